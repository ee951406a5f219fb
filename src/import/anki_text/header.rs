//! The `#key:value` lines at the top of an Anki text file, read the way
//! Anki reads them: keys are case-insensitive, unknown keys and lines
//! without a colon are comments, and the header ends at the first line that
//! does not start with `#`.

use super::Separator;
use crate::deck::{DeckId, Position};
use crate::import::{FileProblem, Located, Remark, RemarkKind};

/// What the header lines say; `None` where they say nothing.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub separator: Option<Separator>,
    /// A `#separator:` value that names no separator, and where.
    pub bad_separator: Option<(String, Position)>,
    pub html: Option<bool>,
    /// `#tags:`, added to every card.
    pub tags: Vec<String>,
    /// The raw `#columns:` value, split once the separator is known.
    pub columns: Option<String>,
    pub deck: Option<String>,
    /// Columns, 0-based (the file counts from 1).
    pub guid_column: Option<usize>,
    pub notetype_column: Option<usize>,
    pub deck_column: Option<usize>,
    pub tags_column: Option<usize>,
    /// recall's own lines, which Anki ignores: `#recall deck id:` and
    /// `#recall description:`.
    pub deck_id: Option<DeckId>,
    pub description: Option<String>,
    pub remarks: Vec<Remark>,
    /// The header's length in bytes and lines.
    pub len: usize,
    pub lines: usize,
}

/// Reads the header lines at the top of `text`.
pub fn parse(text: &str) -> Result<Header, Located> {
    let mut header = Header::default();
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let position = Position {
            line: index + 1,
            column: 1,
        };
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(meta) = content.strip_prefix('#') {
            if let Some((key, value)) = meta.split_once(':') {
                header.key(key, value, position)?;
            }
        } else if index == 0 && content.starts_with("tags:") {
            // Anki's older exports started with a `tags:` line.
            header.tags = words(&content["tags:".len()..]);
        } else {
            break;
        }
        header.len += line.len();
        header.lines += 1;
    }
    Ok(header)
}

impl Header {
    fn key(&mut self, key: &str, value: &str, position: Position) -> Result<(), Located> {
        let key = key.trim().to_ascii_lowercase();
        match key.as_str() {
            "separator" => match Separator::from_header(value) {
                Some(separator) => self.separator = Some(separator),
                None => self.bad_separator = Some((value.to_owned(), position)),
            },
            "html" => match value.trim().to_ascii_lowercase().as_str() {
                "true" => self.html = Some(true),
                "false" => self.html = Some(false),
                _ => self.remark(
                    position,
                    RemarkKind::BadHtml {
                        value: value.into(),
                    },
                ),
            },
            "tags" => self.tags = words(value),
            "columns" => self.columns = Some(value.to_owned()),
            "deck" => self.deck = Some(value.trim().to_owned()).filter(|deck| !deck.is_empty()),
            "guid column" | "notetype column" | "deck column" | "tags column" => {
                let column = value
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1));
                if column.is_none() {
                    self.remark(
                        position,
                        RemarkKind::BadColumn {
                            key: key.clone(),
                            value: value.into(),
                        },
                    );
                }
                match key.as_str() {
                    "guid column" => self.guid_column = column,
                    "notetype column" => self.notetype_column = column,
                    "deck column" => self.deck_column = column,
                    _ => self.tags_column = column,
                }
            }
            "recall deck id" => {
                let id = DeckId::new(value.trim()).map_err(|error| {
                    let column = "#recall deck id:".len() + 1;
                    (
                        Position { column, ..position },
                        FileProblem::InvalidDeckId { error },
                    )
                })?;
                self.deck_id = Some(id);
            }
            "recall description" => self.description = Some(value.to_owned()),
            _ => {}
        }
        Ok(())
    }

    fn remark(&mut self, position: Position, kind: RemarkKind) {
        self.remarks.push(Remark { position, kind });
    }
}

/// Tags are space-separated words.
pub fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_anki_export_headers() {
        let text = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\nrow\n";
        let header = parse(text).unwrap();
        assert_eq!(header.separator, Some(Separator::TAB));
        assert_eq!(header.html, Some(true));
        assert_eq!(
            (
                header.guid_column,
                header.notetype_column,
                header.deck_column,
                header.tags_column
            ),
            (Some(0), Some(1), Some(2), Some(5))
        );
        assert_eq!((header.lines, &text[header.len..]), (6, "row\n"));
    }

    #[test]
    fn keys_are_case_insensitive_and_comments_are_skipped() {
        let text =
            "#Separator:Comma\r\n# a comment\n#tags:a b  c\n#deck: Geo::Capitals \n#unknown:x\nrow";
        let header = parse(text).unwrap();
        assert_eq!(header.separator, Some(Separator::COMMA));
        assert_eq!(header.tags, ["a", "b", "c"]);
        assert_eq!(header.deck.as_deref(), Some("Geo::Capitals"));
        assert_eq!(header.lines, 5);
        assert!(header.remarks.is_empty());
    }

    #[test]
    fn odd_values_become_remarks() {
        let header = parse("#separator:nope\n#html:maybe\n#tags column:0\n").unwrap();
        assert_eq!(
            header.bad_separator.map(|(v, _)| v).as_deref(),
            Some("nope")
        );
        assert_eq!(header.remarks.len(), 2);
        assert_eq!(header.tags_column, None);
    }

    #[test]
    fn recall_lines_and_the_old_tags_line() {
        let header =
            parse("tags:x y\n#recall deck id:aws-api\n#recall description:About <b>it</b>\n")
                .unwrap();
        assert_eq!(header.tags, ["x", "y"]);
        assert_eq!(header.deck_id.unwrap().as_str(), "aws-api");
        assert_eq!(header.description.as_deref(), Some("About <b>it</b>"));
        let (position, problem) = parse("#recall deck id:not valid\n").unwrap_err();
        assert_eq!(
            position,
            Position {
                line: 1,
                column: 17
            }
        );
        assert!(matches!(problem, FileProblem::InvalidDeckId { .. }));
    }
}
