//! Editing and adding cards from the app with the editor set to a script
//! (what `$VISUAL`/`$EDITOR` name): a valid edit reloads the decks and the
//! session goes on with the new text, progress kept; an edit that breaks
//! the TOML shows `file:line:column` and is fixed by opening the editor
//! again (or kept as it is, never thrown away); an edit that changes
//! nothing says so; `n` appends a card to the deck file as written; the
//! bundled deck is copied first; an imported deck warns; an editor that
//! cannot start leaves a message, not a broken app.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/app_data.rs"]
mod app_data;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use app_data::{at, paths};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use recall::app::App;
use recall::app::keys::{Action, KeyContext};
use recall::deck::Catalog;
use recall::deck::catalog::BUNDLED;
use recall::store::Config;
use recall::ui::Theme;
use tempfile::TempDir;

const GEO: &str = "\
# My geography deck: comments and layout are mine.
[deck]
name = \"Geo\"

[[cards]]
id = \"france\"
front = \"Capital of France?\"
back = \"Paris\"

[[cards]]
id = \"peru\"   # keep this comment
front = \"Capital of Peru?\"
back = \"Lima\"
";

/// `decks/geo.toml`, with one review of `peru` (so it is not new).
fn setup(data: &TempDir) -> PathBuf {
    let decks = data.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    let geo = decks.join("geo.toml");
    std::fs::write(&geo, GEO).unwrap();
    std::fs::write(
        data.path().join("reviews.csv"),
        "reviewed_at,deck,card,rating,duration_ms\n\
         2026-11-20T09:00:00.000Z,geo,peru,3,3000\n",
    )
    .unwrap();
    geo
}

/// A shell script as the editor: it logs its arguments to `args.log` and
/// runs `body` with the file as `$2` (`$1` is `+LINE`).
fn editor(data: &TempDir, name: &str, body: &str) -> Vec<String> {
    let path = data.path().join(name);
    let log = data.path().join("args.log");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nprintf '%s %s\\n' \"$1\" \"$2\" >> '{}'\n{body}\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    vec![path.display().to_string()]
}

fn app(data: &TempDir, editor: Vec<String>) -> App {
    let paths = paths(data);
    let catalog = Catalog::discover(&paths.deck_dir(), &[]).unwrap();
    App::new(&paths, catalog, Config::default(), at(0))
        .unwrap()
        .with_theme(Theme::monochrome())
        .with_editor(editor)
}

fn screen(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|frame| app.view(frame, at(0))).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// What the terminal loop does with a requested edit (without leaving a
/// screen): run the editor, hand back its result. `false` if none was asked.
fn run_editor(app: &mut App) -> bool {
    let Some(job) = app.take_edit() else {
        return false;
    };
    let ran = job.spawn();
    app.finish_edit(job, ran, at(5));
    true
}

fn args_log(data: &TempDir) -> Vec<String> {
    std::fs::read_to_string(data.path().join("args.log"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Type(c), at(0));
    }
}

/// The browser, searched down to `query`.
fn browse(app: &mut App, query: &str) {
    app.update(Action::Browse, at(0));
    app.update(Action::Search, at(0));
    type_text(app, query);
    app.update(Action::EndSearch, at(0));
}

fn geo_index(app_catalog: &Path) -> usize {
    // geo is the second deck: the bundled deck comes first.
    let catalog = Catalog::discover(app_catalog, &[]).unwrap();
    catalog.position("geo").unwrap()
}

#[test]
fn a_valid_edit_goes_on_with_the_new_text_and_keeps_progress() {
    let data = TempDir::new().unwrap();
    let geo = setup(&data);
    let script = editor(
        &data,
        "edit.sh",
        "sed -i 's/Capital of Peru?/Capital city of Peru?/' \"$2\"",
    );
    let mut app = app(&data, script);
    let deck = geo_index(&data.path().join("decks"));
    app.start_session(Some(deck), at(0), false).unwrap();
    // The reviewed card, due again, is up first.
    let before = screen(&mut app);
    assert!(before.contains("Capital of Peru?"), "{before}");
    app.update(Action::Edit, at(1));
    assert!(run_editor(&mut app));
    // Opened at the card's line: `id = "peru"` is line 11.
    assert_eq!(args_log(&data), [format!("+11 {}", geo.display())]);
    let after = screen(&mut app);
    assert!(after.contains("Capital city of Peru?"), "{after}");
    assert!(after.contains("decks reloaded, progress kept"), "{after}");
    // The rest of the file is as the user wrote it.
    assert_eq!(
        std::fs::read_to_string(&geo).unwrap(),
        GEO.replace("Capital of Peru?", "Capital city of Peru?")
    );
    // The session goes on: the card is still up, and can be graded.
    app.update(Action::Reveal, at(2));
    app.update(Action::Grade(recall::schedule::Rating::Good), at(3));
    let reviews = std::fs::read_to_string(data.path().join("log/test/reviews.csv"))
        .or_else(|_| {
            // The device's log folder; any name.
            let dir = std::fs::read_dir(data.path().join("log")).unwrap();
            let path = dir.flatten().next().unwrap().path().join("reviews.csv");
            std::fs::read_to_string(path)
        })
        .unwrap();
    assert!(reviews.contains(",geo,peru,3,"), "{reviews}");
}

#[test]
fn progress_is_kept_by_id_across_an_edit_from_the_browser() {
    let data = TempDir::new().unwrap();
    let geo = setup(&data);
    let script = editor(
        &data,
        "edit.sh",
        "sed -i 's/Capital of Peru?/Capital of Perú?/' \"$2\"",
    );
    let mut app = app(&data, script);
    browse(&mut app, "peru");
    let row = |text: &str| {
        text.lines()
            .find(|line| line.contains("Capital of Per"))
            .unwrap_or_default()
            .to_owned()
    };
    let before = row(&screen(&mut app));
    assert!(before.contains("learn"), "{before}");
    app.update(Action::Edit, at(1));
    assert!(run_editor(&mut app));
    assert_eq!(args_log(&data), [format!("+11 {}", geo.display())]);
    let after = row(&screen(&mut app));
    assert!(after.contains("Capital of Perú?"), "{after}");
    // Same state, due and review count as before the edit.
    assert_eq!(
        before.replace("Capital of Peru?", "Capital of Perú?"),
        after,
        "the schedule moved"
    );
}

#[test]
fn a_broken_edit_shows_where_and_the_editor_opens_again_there() {
    let data = TempDir::new().unwrap();
    let geo = setup(&data);
    // First run: break the TOML on a new last line; second run: take it out.
    let script = editor(
        &data,
        "edit.sh",
        &format!(
            "if [ -e '{n}' ]; then sed -i '$d' \"$2\"; else touch '{n}'; printf 'front = = \"oops\"\\n' >> \"$2\"; fi",
            n = data.path().join("ran-once").display()
        ),
    );
    let mut app = app(&data, script);
    let deck = geo_index(&data.path().join("decks"));
    app.start_session(Some(deck), at(0), false).unwrap();
    app.update(Action::Edit, at(1));
    assert!(run_editor(&mut app));
    assert_eq!(app.key_context(), KeyContext::EditProblems);
    let text = screen(&mut app);
    assert!(
        text.contains(&format!(
            "{}:14:",
            geo.file_name().unwrap().to_string_lossy()
        )) || text.contains("geo.toml:14:"),
        "{text}"
    );
    assert!(
        text.contains("edit again") && text.contains("keep as is"),
        "{text}"
    );
    // Nothing half-applied: the session still has the deck as loaded.
    app.update(Action::Edit, at(2));
    assert!(run_editor(&mut app));
    // Opened again at the problem's line.
    let log = args_log(&data);
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[1], format!("+14 {}", geo.display()));
    assert_eq!(app.key_context(), KeyContext::Question);
    // Fixed: the file is the original again, so nothing changed after all.
    assert_eq!(std::fs::read_to_string(&geo).unwrap(), GEO);
    assert!(screen(&mut app).contains("No change to"));
}

#[test]
fn a_broken_edit_can_be_kept_as_it_is() {
    let data = TempDir::new().unwrap();
    let geo = setup(&data);
    let script = editor(&data, "edit.sh", "printf 'bogus = 1\\n' >> \"$2\"");
    let mut app = app(&data, script);
    browse(&mut app, "france");
    app.update(Action::Edit, at(1));
    assert!(run_editor(&mut app));
    assert_eq!(app.key_context(), KeyContext::EditProblems);
    assert!(screen(&mut app).contains("geo.toml:14:1"));
    app.update(Action::Keep, at(2));
    assert_eq!(app.key_context(), KeyContext::Browser);
    // The user's text is on disk as they left it; the browser still has
    // the deck as it was loaded.
    assert_eq!(
        std::fs::read_to_string(&geo).unwrap(),
        format!("{GEO}bogus = 1\n")
    );
    let text = screen(&mut app);
    assert!(
        text.contains("Kept") && text.contains("Capital of France?"),
        "{text}"
    );
}

#[test]
fn an_edit_that_changes_nothing_says_so() {
    let data = TempDir::new().unwrap();
    let geo = setup(&data);
    let mut app = app(&data, editor(&data, "edit.sh", "true"));
    browse(&mut app, "france");
    app.update(Action::Edit, at(1));
    assert!(run_editor(&mut app));
    assert_eq!(app.key_context(), KeyContext::Browser);
    let text = screen(&mut app);
    assert!(text.contains("No change to"), "{text}");
    assert_eq!(std::fs::read_to_string(&geo).unwrap(), GEO);
}

#[test]
fn a_new_card_is_appended_to_the_deck_file_as_written() {
    let data = TempDir::new().unwrap();
    let geo = setup(&data);
    // Fill in the template's front and back, as a user would.
    let script = editor(
        &data,
        "add.sh",
        "sed -i -e '/^front = \"\"\"$/{n;s/^$/Capital of Chile?/}' -e '/^back = \"\"\"$/{n;s/^$/Santiago/}' \"$2\"",
    );
    let mut app = app(&data, script);
    browse(&mut app, "deck:geo");
    app.update(Action::AddCard, at(1));
    let job = app.take_edit().unwrap();
    let draft = job.file.clone();
    assert!(draft.starts_with(data.path().join("drafts")), "{draft:?}");
    assert!(
        std::fs::read_to_string(&draft)
            .unwrap()
            .contains("[[cards]]")
    );
    let ran = job.spawn();
    app.finish_edit(job, ran, at(5));
    assert_eq!(app.key_context(), KeyContext::Browser);
    let text = screen(&mut app);
    assert!(text.contains("Added 1 card to"), "{text}");
    // The deck's text is untouched, the card follows; recall's notes went.
    let written = std::fs::read_to_string(&geo).unwrap();
    assert!(
        written.starts_with(&format!("{GEO}\n[[cards]]\n")),
        "{written}"
    );
    assert!(written.contains("Capital of Chile?\n\"\"\""), "{written}");
    assert!(!written.contains("# recall:"), "{written}");
    assert!(!draft.exists(), "the draft is removed once added");
    // The browser has it.
    app.update(Action::Back, at(0));
    browse(&mut app, "chile");
    let text = screen(&mut app);
    assert!(text.contains("1 of 18 cards"), "{text}");
}

#[test]
fn a_new_card_with_a_problem_is_kept_in_its_draft() {
    let data = TempDir::new().unwrap();
    let geo = setup(&data);
    // A front, no back, and a misspelt key on the draft's line 14.
    let script = editor(
        &data,
        "add.sh",
        "sed -i -e '/^front = \"\"\"$/{n;s/^$/Capital of Chile?/}' \"$2\"; printf 'bakc = \"x\"\\n' >> \"$2\"",
    );
    let mut app = app(&data, script);
    browse(&mut app, "deck:geo");
    app.update(Action::AddCard, at(1));
    let job = app.take_edit().unwrap();
    let draft = job.file.clone();
    let ran = job.spawn();
    app.finish_edit(job, ran, at(5));
    assert_eq!(app.key_context(), KeyContext::EditProblems);
    let text = screen(&mut app);
    let name = draft.file_name().unwrap().to_string_lossy().into_owned();
    // The problem is placed in the draft, by its own line numbers.
    assert!(text.contains(&format!("{name}:15:1")), "{text}");
    app.update(Action::Keep, at(6));
    assert_eq!(std::fs::read_to_string(&geo).unwrap(), GEO, "nothing added");
    let kept = std::fs::read_to_string(&draft).unwrap();
    assert!(
        kept.contains("Capital of Chile?") && kept.contains("bakc"),
        "{kept}"
    );
    assert!(screen(&mut app).contains("Kept your draft in"));
}

#[test]
fn an_untouched_draft_adds_nothing() {
    let data = TempDir::new().unwrap();
    let geo = setup(&data);
    let mut app = app(&data, editor(&data, "add.sh", "true"));
    // `n` on home adds to the selected deck (the first row: the bundled
    // deck is second in name order? select geo explicitly).
    browse(&mut app, "deck:geo");
    app.update(Action::AddCard, at(1));
    let job = app.take_edit().unwrap();
    let draft = job.file.clone();
    let ran = job.spawn();
    app.finish_edit(job, ran, at(5));
    assert!(screen(&mut app).contains("Nothing added."));
    assert!(!draft.exists());
    assert_eq!(std::fs::read_to_string(&geo).unwrap(), GEO);
}

#[test]
fn the_bundled_deck_is_copied_first_and_the_copy_takes_its_place() {
    let data = TempDir::new().unwrap();
    std::fs::write(
        data.path().join("reviews.csv"),
        "reviewed_at,deck,card,rating,duration_ms\n\
         2026-11-20T09:00:00.000Z,aws-api-gateway,endpoint-types,4,3000\n",
    )
    .unwrap();
    let script = editor(
        &data,
        "edit.sh",
        "sed -i 's/What are the three endpoint types/Name the three endpoint types/' \"$2\"",
    );
    let mut app = app(&data, script);
    browse(&mut app, "\"three endpoint types\"");
    let row = |text: &str| {
        text.lines()
            .find(|line| line.starts_with('▶'))
            .unwrap_or_default()
            .to_owned()
    };
    let before = row(&screen(&mut app));
    assert!(before.contains("review"), "{before}");
    app.update(Action::Edit, at(1));
    assert_eq!(app.key_context(), KeyContext::EditConfirm);
    let text = screen(&mut app);
    assert!(text.contains("ships with recall"), "{text}");
    // No: nothing is copied.
    app.update(Action::No, at(1));
    let copy = data.path().join("decks").join(BUNDLED[0].file);
    assert!(!copy.exists());
    assert!(app.take_edit().is_none());
    // Yes: copied as it is, then opened.
    app.update(Action::Edit, at(1));
    app.update(Action::Yes, at(1));
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), BUNDLED[0].text);
    assert!(run_editor(&mut app));
    let log = args_log(&data);
    assert_eq!(log.len(), 1);
    assert!(log[0].ends_with(&copy.display().to_string()), "{log:?}");
    assert_ne!(
        log[0],
        format!("+1 {}", copy.display()),
        "opened at the card"
    );
    let after = row(&screen(&mut app));
    assert!(after.contains("Name the three"), "{after}");
    // Same id, same schedule: progress kept; one deck, not two.
    let schedule = |row: &str| row[row.find(" review").unwrap()..].to_owned();
    assert_eq!(schedule(&before), schedule(&after));
    let catalog = Catalog::discover(&data.path().join("decks"), &[]).unwrap();
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    assert_eq!(catalog.decks.len(), 1);
}

#[test]
fn an_imported_deck_warns_that_a_reimport_overwrites() {
    let data = TempDir::new().unwrap();
    let geo = setup(&data);
    std::fs::write(
        &geo,
        GEO.replace("[deck]\n", "[deck]\nimported_from = \"/home/me/geo.csv\"\n"),
    )
    .unwrap();
    let mut app = app(&data, editor(&data, "edit.sh", "true"));
    browse(&mut app, "france");
    app.update(Action::Edit, at(1));
    assert_eq!(app.key_context(), KeyContext::EditConfirm);
    let text = screen(&mut app);
    assert!(text.contains("/home/me/geo.csv"), "{text}");
    assert!(text.contains("overwrites"), "{text}");
    app.update(Action::No, at(1));
    assert!(app.take_edit().is_none());
    app.update(Action::Edit, at(1));
    app.update(Action::Yes, at(1));
    assert!(run_editor(&mut app));
    assert_eq!(args_log(&data).len(), 1);
}

#[test]
fn an_editor_that_cannot_start_leaves_a_message() {
    let data = TempDir::new().unwrap();
    setup(&data);
    let missing = data.path().join("no-such-editor").display().to_string();
    let mut app = app(&data, vec![missing]);
    browse(&mut app, "france");
    app.update(Action::Edit, at(1));
    assert!(run_editor(&mut app));
    assert_eq!(app.key_context(), KeyContext::Browser);
    let text = screen(&mut app);
    assert!(text.contains("Could not start the editor"), "{text}");
    // A draft for a new card is not left behind either.
    app.update(Action::AddCard, at(1));
    assert!(run_editor(&mut app));
    let drafts = std::fs::read_dir(data.path().join("drafts"))
        .unwrap()
        .count();
    assert_eq!(drafts, 0);
}

#[test]
fn the_editor_comes_from_visual_then_editor_split_like_a_shell() {
    use recall::app::edit::command_from;
    assert_eq!(command_from(None, None).unwrap(), ["vi"]);
    assert_eq!(command_from(Some(""), Some("nano")).unwrap(), ["nano"]);
    assert_eq!(
        command_from(Some("code --wait"), Some("nano")).unwrap(),
        ["code", "--wait"]
    );
    assert_eq!(
        command_from(None, Some("'/opt/my editor/bin/ed' -p '>'")).unwrap(),
        ["/opt/my editor/bin/ed", "-p", ">"]
    );
    let error = command_from(Some("vim 'unclosed"), None).unwrap_err();
    assert!(error.contains("$VISUAL"), "{error}");
}
