//! `recall sync`: carries the data dir between machines with git.
//!
//! The data dir is a git repository whose remote every machine shares. Logs
//! never conflict, because each machine appends only to its own folder
//! (`log/<device>/`, see [`crate::store::layout`]); a deck edited on two
//! machines is a real conflict, and is left for the user as git leaves it.
//!
//! git runs as a subprocess with an argument list (never a shell string).
//! The caller holds the data-dir lock, so no session writes meanwhile.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, SecondsFormat, Utc};

use crate::store::DeviceId;
use crate::store::layout::LOG_DIR;

/// The remote every machine pulls from and pushes to.
const REMOTE: &str = "origin";
/// The branch a new repository starts on.
const DEFAULT_BRANCH: &str = "main";
/// What git must never carry: the lock, temp files of atomic writes and of
/// folder-sync tools.
const GITIGNORE: &str = "\
# Written by recall sync --init: files that belong to one machine only.
/lock
/device
/extra_new.csv
.recall-*.tmp
*.tmp
.syncthing.*
~$*
";
/// Where the time of the last successful sync is kept: inside `.git`, which
/// is this machine's own.
const LAST_SYNC_FILE: &str = "recall-last-sync";

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("cannot run git: {0}\n  help: install git, then run `recall sync` again")]
    NoGit(#[source] std::io::Error),
    #[error(
        "{} is not set up for sync\n  help: run `recall sync --init REMOTE` (REMOTE: a git URL or path that every machine can reach)",
        .0.display()
    )]
    NotSetUp(PathBuf),
    #[error(
        "{} is inside another git repository ({}); recall syncs only a data dir that is a repository of its own\n  help: choose another --data-dir, or run `git init` in it yourself",
        dir.display(), top.display()
    )]
    InsideAnotherRepo { dir: PathBuf, top: PathBuf },
    #[error(
        "{} is already set up for sync with `{existing}`, not `{wanted}`\n  help: run `recall sync` without --init, or change the remote with `git -C {} remote set-url origin URL`",
        dir.display(), dir.display()
    )]
    OtherRemote {
        dir: PathBuf,
        existing: String,
        wanted: String,
    },
    #[error(
        "cannot reach the remote{}: {stderr}\n  note: nothing is lost: this machine's changes are committed locally, and the next `recall sync` sends them",
        if remote.is_empty() { String::new() } else { format!(" `{remote}`") }
    )]
    Unreachable { remote: String, stderr: String },
    #[error("{}", conflict_message(.0))]
    Conflict(Vec<PathBuf>),
    #[error("git {} failed: {stderr}", args.join(" "))]
    Git { args: Vec<String>, stderr: String },
    #[error("cannot prepare the data dir {} for sync", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn conflict_message(files: &[PathBuf]) -> String {
    let mut text = String::from(
        "the sync stopped: these files were changed both here and on another machine:\n",
    );
    for file in files {
        let name = file.display();
        text.push_str(&format!(
            "  {name}: this machine's version is `git show :2:{name}`, the other machine's is `git show :3:{name}`\n"
        ));
    }
    text.push_str(
        "  git left both versions in each file between <<<<<<< and >>>>>>> lines, and nothing was lost.\n  help: edit each file to keep what you want (`recall check FILE` points at the lines), then run `recall sync` again",
    );
    text
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Whether this machine had changes to commit.
    pub committed: bool,
    /// Reviews that arrived from other machines.
    pub reviews_in: usize,
    /// Deck files that changed because of other machines, by path.
    pub decks_changed: Vec<String>,
    /// Whether anything was sent to the remote.
    pub pushed: bool,
    /// The branch synced.
    pub branch: String,
}

/// The data dir as a git repository.
#[derive(Debug)]
pub struct Repo {
    dir: PathBuf,
    device: DeviceId,
    /// Whether git has a user identity here; asked once.
    has_identity: std::cell::OnceCell<bool>,
}

impl Repo {
    /// The data dir `dir`, for machine `device`. Checks nothing yet.
    pub fn new(dir: &Path, device: DeviceId) -> Repo {
        Repo {
            dir: dir.to_path_buf(),
            device,
            has_identity: std::cell::OnceCell::new(),
        }
    }

    /// Whether `dir` is a git repository of its own (sync is set up).
    pub fn is_set_up(dir: &Path) -> bool {
        dir.join(".git").is_dir()
    }

    /// When this machine last synced, if it ever did.
    pub fn last_sync(dir: &Path) -> Option<DateTime<Utc>> {
        let text = std::fs::read_to_string(dir.join(".git").join(LAST_SYNC_FILE)).ok()?;
        DateTime::parse_from_rfc3339(text.trim())
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// `recall sync --init REMOTE`: makes the data dir a repository synced
    /// with `remote` (taking in what the remote already has), then syncs.
    /// Running it again with the same remote only syncs.
    pub fn init(&self, remote: &str, now: DateTime<Utc>) -> Result<Report, SyncError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| self.io(&self.dir, source))?;
        if Repo::is_set_up(&self.dir) {
            let existing = self
                .git_text(&["remote", "get-url", REMOTE])
                .unwrap_or_default();
            if existing != remote {
                return Err(SyncError::OtherRemote {
                    dir: self.dir.clone(),
                    existing,
                    wanted: remote.to_owned(),
                });
            }
            return self.sync(now);
        }
        self.refuse_parent_repo()?;
        self.git(&["init", "--quiet", "--initial-branch", DEFAULT_BRANCH])?;
        self.write_gitignore()?;
        self.move_legacy_logs()?;
        self.git(&["remote", "add", REMOTE, remote])?;
        self.commit()?;
        self.fetch(remote)?;
        match self.remote_branch()? {
            Some(branch) => {
                if branch != DEFAULT_BRANCH {
                    self.git(&["branch", "--move", "--force", &branch])?;
                }
                self.sync_with(&branch, now, true)
            }
            None => {
                self.git(&["push", "--quiet", "--set-upstream", REMOTE, DEFAULT_BRANCH])
                    .map_err(|e| self.unreachable(e))?;
                self.record_sync(now);
                Ok(Report {
                    committed: true,
                    pushed: true,
                    branch: DEFAULT_BRANCH.to_owned(),
                    ..Report::default()
                })
            }
        }
    }

    /// `recall sync`: commit this machine's changes, fetch, merge, push.
    pub fn sync(&self, now: DateTime<Utc>) -> Result<Report, SyncError> {
        if !Repo::is_set_up(&self.dir) {
            self.refuse_parent_repo()?;
            return Err(SyncError::NotSetUp(self.dir.clone()));
        }
        let branch = self
            .git_text(&["symbolic-ref", "--short", "HEAD"])
            .unwrap_or_else(|_| DEFAULT_BRANCH.to_owned());
        self.sync_with(&branch, now, false)
    }

    fn sync_with(
        &self,
        branch: &str,
        now: DateTime<Utc>,
        first: bool,
    ) -> Result<Report, SyncError> {
        self.finish_resolved_merge()?;
        let committed = self.commit()?;
        let remote = self
            .git_text(&["remote", "get-url", REMOTE])
            .unwrap_or_default();
        self.fetch(&remote)?;
        let before = self.git_text(&["rev-parse", "HEAD"]).ok();
        let theirs = format!("{REMOTE}/{branch}");
        let mut report = Report {
            committed,
            branch: branch.to_owned(),
            ..Report::default()
        };
        if self.has_ref(&format!("refs/remotes/{theirs}")) {
            let mut args = vec!["merge", "--no-edit", "--quiet"];
            if first {
                args.push("--allow-unrelated-histories");
            }
            args.push(&theirs);
            if let Err(error) = self.git(&args) {
                let conflicts = self.conflicts()?;
                if conflicts.is_empty() {
                    return Err(error);
                }
                return Err(SyncError::Conflict(conflicts));
            }
            if let Some(before) = &before {
                self.describe_incoming(before, &mut report)?;
            }
        }
        let ahead = self
            .git_text(&["rev-list", "--count", &format!("{theirs}..HEAD")])
            .map_or(true, |n| n != "0");
        if ahead || !self.has_ref(&format!("refs/remotes/{theirs}")) {
            self.git(&[
                "push",
                "--quiet",
                "--set-upstream",
                REMOTE,
                &format!("HEAD:{branch}"),
            ])
            .map_err(|e| self.unreachable(e))?;
            report.pushed = true;
        }
        self.record_sync(now);
        Ok(report)
    }

    /// After a conflict the user has edited: files that no longer hold
    /// conflict markers are taken as resolved and the merge is committed.
    fn finish_resolved_merge(&self) -> Result<(), SyncError> {
        if !self.dir.join(".git").join("MERGE_HEAD").exists() {
            return Ok(());
        }
        let conflicts = self.conflicts()?;
        let unresolved: Vec<PathBuf> = conflicts
            .into_iter()
            .filter(|file| {
                std::fs::read_to_string(self.dir.join(file))
                    .map_or(true, |text| has_conflict_markers(&text))
            })
            .collect();
        if !unresolved.is_empty() {
            return Err(SyncError::Conflict(unresolved));
        }
        self.git(&["add", "--all"])?;
        self.git_commit("merge edits from another machine")?;
        Ok(())
    }

    /// Commits everything this machine changed; `false` if nothing had.
    fn commit(&self) -> Result<bool, SyncError> {
        self.git(&["add", "--all"])?;
        let staged = self.run(&["diff", "--cached", "--quiet"])?;
        if staged.status.success() {
            return Ok(false);
        }
        self.git_commit(&format!("recall: changes from {}", self.device))?;
        Ok(true)
    }

    fn git_commit(&self, message: &str) -> Result<(), SyncError> {
        // A machine without a git identity still syncs: commits are then
        // signed with the device id.
        self.git(&["commit", "--quiet", "--no-verify", "-m", message])?;
        Ok(())
    }

    fn fetch(&self, remote: &str) -> Result<(), SyncError> {
        self.git(&["fetch", "--quiet", REMOTE])
            .map_err(|error| match error {
                SyncError::Git { stderr, .. } => SyncError::Unreachable {
                    remote: remote.to_owned(),
                    stderr,
                },
                other => other,
            })
            .map(|_| ())
    }

    fn unreachable(&self, error: SyncError) -> SyncError {
        match error {
            SyncError::Git { stderr, .. } => SyncError::Unreachable {
                remote: self
                    .git_text(&["remote", "get-url", REMOTE])
                    .unwrap_or_default(),
                stderr,
            },
            other => other,
        }
    }

    /// The branch the remote has: `main` if it has one, else its first.
    fn remote_branch(&self) -> Result<Option<String>, SyncError> {
        let list = self.git_text(&[
            "for-each-ref",
            "--format=%(refname:lstrip=3)",
            &format!("refs/remotes/{REMOTE}/"),
        ])?;
        let branches: Vec<&str> = list.lines().filter(|b| *b != "HEAD").collect();
        Ok(branches
            .iter()
            .find(|b| **b == DEFAULT_BRANCH)
            .or(branches.first())
            .map(|b| (*b).to_owned()))
    }

    fn has_ref(&self, name: &str) -> bool {
        self.run(&["rev-parse", "--verify", "--quiet", name])
            .is_ok_and(|out| out.status.success())
    }

    fn conflicts(&self) -> Result<Vec<PathBuf>, SyncError> {
        let list = self.git_text(&["diff", "--name-only", "--diff-filter=U"])?;
        Ok(list.lines().map(PathBuf::from).collect())
    }

    /// Counts the reviews and deck changes between `before` and HEAD.
    fn describe_incoming(&self, before: &str, report: &mut Report) -> Result<(), SyncError> {
        let range = format!("{before}..HEAD");
        let changed = self.git_text(&["diff", "--name-only", &range])?;
        let own = format!("{LOG_DIR}/{}/", self.device);
        for file in changed.lines() {
            if file.ends_with(crate::store::log::FILE_NAME) && !file.starts_with(&own) {
                let diff = self.git_text(&["diff", "--unified=0", &range, "--", file])?;
                report.reviews_in += diff
                    .lines()
                    .filter(|line| line.starts_with('+') && !line.starts_with("+++"))
                    .filter(|line| !line[1..].starts_with(crate::store::log::HEADER))
                    .count();
            } else if file.starts_with("decks/") {
                report.decks_changed.push(file.to_owned());
            }
        }
        Ok(())
    }

    fn record_sync(&self, now: DateTime<Utc>) {
        // Only shown on the home screen: losing it loses nothing.
        let _ = std::fs::write(
            self.dir.join(".git").join(LAST_SYNC_FILE),
            now.to_rfc3339_opts(SecondsFormat::Secs, true),
        );
    }

    /// A data dir inside someone's repository must not be committed there.
    fn refuse_parent_repo(&self) -> Result<(), SyncError> {
        let Ok(top) = self.git_text(&["rev-parse", "--show-toplevel"]) else {
            return Ok(());
        };
        let top = PathBuf::from(top);
        let same = match (top.canonicalize(), self.dir.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same {
            return Ok(());
        }
        Err(SyncError::InsideAnotherRepo {
            dir: self.dir.clone(),
            top,
        })
    }

    fn write_gitignore(&self) -> Result<(), SyncError> {
        let path = self.dir.join(".gitignore");
        // A .gitignore the user already has is theirs: never rewritten.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write as _;
                file.write_all(GITIGNORE.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|source| self.io(&path, source))
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(source) => Err(self.io(&path, source)),
        }
    }

    /// The single-file logs of older versions sit at the top of the data
    /// dir, where two machines' copies would collide in git. They move
    /// (renamed, not rewritten) into a folder of their own that nobody
    /// appends to, `log/legacy-<device>/`, and are read from there.
    fn move_legacy_logs(&self) -> Result<(), SyncError> {
        let layout = crate::store::Layout::new(&self.dir);
        let folder = self
            .dir
            .join(LOG_DIR)
            .join(legacy_folder(&self.device).as_str());
        for kind in [
            crate::store::LogKind::Reviews,
            crate::store::LogKind::Quizzes,
        ] {
            let old = layout.legacy_log(kind);
            if !old.is_file() {
                continue;
            }
            std::fs::create_dir_all(&folder).map_err(|source| self.io(&folder, source))?;
            let new = folder.join(kind.file_name());
            std::fs::rename(&old, &new).map_err(|source| self.io(&old, source))?;
        }
        Ok(())
    }

    fn io(&self, path: &Path, source: std::io::Error) -> SyncError {
        SyncError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    fn git(&self, args: &[&str]) -> Result<Output, SyncError> {
        let output = self.run(args)?;
        if output.status.success() {
            return Ok(output);
        }
        Err(SyncError::Git {
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }

    fn git_text(&self, args: &[&str]) -> Result<String, SyncError> {
        let output = self.git(args)?;
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    fn run(&self, args: &[&str]) -> Result<Output, SyncError> {
        let mut command = self.command();
        // A machine without a git identity still syncs: its commits (and
        // merges) are then signed with the device id.
        if !*self.has_identity.get_or_init(|| self.git_has_identity()) {
            command.args(["-c", "user.name=recall", "-c"]);
            command.arg(format!("user.email={}@recall", self.device));
        }
        command
            .args(args.iter().map(OsStr::new))
            .output()
            .map_err(SyncError::NoGit)
    }

    fn git_has_identity(&self) -> bool {
        self.command()
            .args(["config", "user.email"])
            .output()
            .is_ok_and(|out| out.status.success())
    }

    fn command(&self) -> Command {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(&self.dir)
            // Never wait for a password nobody will type: fail and say so.
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(Stdio::null());
        command
    }
}

/// The folder older single-file logs move into: a valid device id that no
/// installation generates (generated ids end in six hex digits).
fn legacy_folder(device: &DeviceId) -> DeviceId {
    let name: String = format!("legacy-{device}").chars().take(40).collect();
    DeviceId::new(&name).unwrap_or_else(|_| device.clone())
}

/// Whether a file still holds git's conflict markers.
fn has_conflict_markers(text: &str) -> bool {
    crate::deck::catalog::conflict_marker_line(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_folder_is_a_device_id_of_its_own() {
        let device = DeviceId::new("laptop-3fa09c").unwrap();
        assert_eq!(legacy_folder(&device).as_str(), "legacy-laptop-3fa09c");
        let long = DeviceId::new(&"x".repeat(40)).unwrap();
        assert_eq!(legacy_folder(&long).as_str().len(), 40);
    }

    #[test]
    fn the_conflict_message_names_both_versions() {
        let text = conflict_message(&[PathBuf::from("decks/geo.toml")]);
        assert!(text.contains("git show :2:decks/geo.toml"), "{text}");
        assert!(text.contains("git show :3:decks/geo.toml"), "{text}");
        assert!(text.contains("recall sync"), "{text}");
    }
}
