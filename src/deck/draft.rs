//! New cards written in an editor: the template a draft starts from, and a
//! finished draft appended to a deck file's text. The deck's own text is
//! never re-serialised: the draft goes after it as written, so the user's
//! comments and layout stay as they are. Problems found in the result are
//! told apart: in the draft (its line) or in the deck file.

/// Lines of the template that start with this are recall's instructions:
/// they are dropped when the draft is added.
pub const NOTE_MARK: &str = "# recall:";

/// The text a new card's draft starts with, and the line to open it at
/// (inside the `front` string).
pub fn template(deck_name: &str, deck_file: &str) -> (String, usize) {
    let name = deck_name.replace(['\n', '\r'], " ");
    let file = deck_file.replace(['\n', '\r'], " ");
    let text = format!(
        "{NOTE_MARK} a new card for \"{name}\", added at the end of\n\
         {NOTE_MARK} {file} when you save and quit.\n\
         {NOTE_MARK} Add as many [[cards]] as you like (docs/deck-format.md);\n\
         {NOTE_MARK} leave the file as it is to add nothing. These lines are dropped.\n\
         \n\
         [[cards]]\n\
         # id = \"my-card\"  (optional: without one, the id comes from the front)\n\
         front = \"\"\"\n\
         \n\
         \"\"\"\n\
         back = \"\"\"\n\
         \n\
         \"\"\"\n\
         tags = []\n"
    );
    let line = text
        .lines()
        .position(|line| line == "front = \"\"\"")
        .map_or(1, |index| index + 2);
    (text, line)
}

/// A deck file's text with a draft appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// The deck's text, then the draft's.
    pub text: String,
    /// The line of `text` where the draft's text begins.
    pub first_line: usize,
    /// The line of the draft that became `first_line`.
    pub draft_line: usize,
}

/// Where a line of [`Appended::text`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// This line of the deck file.
    Deck(usize),
    /// This line of the draft.
    Draft(usize),
}

impl Appended {
    /// Where line `line` of the combined text is.
    pub fn origin(&self, line: usize) -> Origin {
        if line >= self.first_line {
            Origin::Draft(line - self.first_line + self.draft_line)
        } else {
            Origin::Deck(line)
        }
    }
}

/// `deck` with what the user wrote in `draft` after it (recall's note
/// lines dropped), or `None` when the draft adds nothing (only blank lines
/// and comments are left).
pub fn append(deck: &str, draft: &str) -> Option<Appended> {
    let lines: Vec<&str> = draft.lines().collect();
    // The draft's text starts after recall's notes and the blank lines
    // under them; notes further down are the user's to keep or not.
    let skipped = lines
        .iter()
        .take_while(|line| line.starts_with(NOTE_MARK) || line.trim().is_empty())
        .count();
    let body = &lines[skipped..];
    let adds_something = body.iter().any(|line| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#')
    });
    if !adds_something {
        return None;
    }
    let mut text = deck.to_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() && !text.ends_with("\n\n") {
        text.push('\n');
    }
    let first_line = text.matches('\n').count() + 1;
    for line in body {
        text.push_str(line);
        text.push('\n');
    }
    Some(Appended {
        text,
        first_line,
        draft_line: skipped + 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::toml_format;

    const DECK: &str = "# my notes\n[deck]\nname = \"Geo\"\n\n[[cards]]\nid = \"a\"   # first\nfront = \"Q\"\nback = \"A\"";

    #[test]
    fn the_template_adds_no_card_until_written_in() {
        let (template, line) = template("Geo", "/d/geo.toml");
        // (The app tells an untouched draft by its bytes; appended anyway,
        // its empty front would not load.)
        let appended = append(DECK, &template).unwrap();
        assert!(toml_format::parse(&appended.text, "geo").is_err());
        // Only notes and comments left: nothing to add.
        let notes_only: String = template
            .lines()
            .filter(|line| line.starts_with('#'))
            .map(|line| format!("{line}\n"))
            .collect();
        assert_eq!(append(DECK, &notes_only), None);
        // The line opened is the empty line inside `front`.
        let lines: Vec<&str> = template.lines().collect();
        assert_eq!(lines[line - 2], "front = \"\"\"");
        assert_eq!(lines[line - 1], "");
    }

    #[test]
    fn a_draft_goes_after_the_deck_as_written() {
        let (template, _) = template("Geo", "/d/geo.toml");
        let draft = template
            .replacen(
                "front = \"\"\"\n\n",
                "front = \"\"\"\nCapital of France?\n",
                1,
            )
            .replacen("back = \"\"\"\n\n", "back = \"\"\"\nParis\n", 1);
        let appended = append(DECK, &draft).unwrap();
        // The deck's text (comments and all) is untouched, then a blank line.
        assert!(appended.text.starts_with(&format!("{DECK}\n\n[[cards]]\n")));
        assert!(!appended.text.contains(NOTE_MARK));
        let deck = toml_format::parse(&appended.text, "geo").unwrap();
        assert_eq!(deck.cards().len(), 2);
        assert_eq!(deck.cards()[1].front, "Capital of France?");
        assert_eq!(deck.cards()[1].back, "Paris");
        // `[[cards]]` is line 6 of the draft and line first_line of the text.
        let text_lines: Vec<&str> = appended.text.lines().collect();
        assert_eq!(text_lines[appended.first_line - 1], "[[cards]]");
        assert_eq!(appended.origin(appended.first_line), Origin::Draft(6));
        assert_eq!(appended.origin(2), Origin::Deck(2));
    }

    #[test]
    fn problems_in_the_draft_are_located_in_the_draft() {
        let draft = "[[cards]]\nfront = \"Q2\"\nback = \"A2\"\nbogus = 1\n";
        let appended = append(DECK, draft).unwrap();
        let problems = toml_format::parse(&appended.text, "geo").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            appended.origin(problems[0].position.line),
            Origin::Draft(4),
            "{:?}",
            problems[0]
        );
    }

    #[test]
    fn a_deck_without_a_final_newline_still_separates() {
        let appended = append("a = 1", "[[cards]]\nfront = \"x\"\n").unwrap();
        assert_eq!(appended.text, "a = 1\n\n[[cards]]\nfront = \"x\"\n");
        assert_eq!(appended.first_line, 3);
        let appended = append("", "\n[[cards]]\n").unwrap();
        assert_eq!(appended.text, "[[cards]]\n");
        assert_eq!(appended.origin(1), Origin::Draft(2));
    }
}
