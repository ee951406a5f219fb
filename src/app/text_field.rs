//! A one-line text field: the typed answer. Full Unicode input, the cursor
//! moving by grapheme cluster (so an emoji or an accented letter is one
//! step), Backspace and Delete.

use unicode_segmentation::UnicodeSegmentation;

/// The text typed so far and where the cursor is (a byte offset on a
/// grapheme boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    text: String,
    cursor: usize,
}

impl TextField {
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor's byte offset in [`TextField::text`].
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
        // A combining mark joins the cluster before it: stay on a boundary.
        self.cursor = self.boundary_at_or_after(self.cursor);
    }

    fn boundaries(&self) -> impl Iterator<Item = usize> + '_ {
        self.text
            .grapheme_indices(true)
            .map(|(i, _)| i)
            .chain(std::iter::once(self.text.len()))
    }

    fn boundary_at_or_after(&self, at: usize) -> usize {
        self.boundaries()
            .find(|&b| b >= at)
            .unwrap_or(self.text.len())
    }

    fn previous(&self) -> usize {
        self.boundaries()
            .take_while(|&b| b < self.cursor)
            .last()
            .unwrap_or(0)
    }

    fn next(&self) -> usize {
        self.boundaries()
            .find(|&b| b > self.cursor)
            .unwrap_or(self.text.len())
    }

    pub fn left(&mut self) {
        self.cursor = self.previous();
    }

    pub fn right(&mut self) {
        self.cursor = self.next();
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// Backspace: deletes the cluster before the cursor.
    pub fn delete_back(&mut self) {
        let start = self.previous();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Delete: deletes the cluster after the cursor.
    pub fn delete_forward(&mut self) {
        let end = self.next();
        self.text.replace_range(self.cursor..end, "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> TextField {
        let mut field = TextField::default();
        text.chars().for_each(|c| field.insert(c));
        field
    }

    #[test]
    fn typing_moving_and_deleting() {
        let mut field = typed("Pars");
        field.left();
        field.insert('i');
        assert_eq!(field.text(), "Paris");
        field.end();
        field.delete_back();
        assert_eq!(field.text(), "Pari");
        field.home();
        field.delete_forward();
        assert_eq!(field.text(), "ari");
        field.delete_back(); // at the start: nothing to delete
        assert_eq!((field.text(), field.cursor()), ("ari", 0));
    }

    #[test]
    fn clusters_are_one_step() {
        // e + combining acute, then a family emoji (a ZWJ sequence).
        let mut field = typed("e\u{301}👨‍👩‍👧");
        assert_eq!(field.cursor(), field.text().len());
        field.delete_back();
        assert_eq!(field.text(), "e\u{301}");
        field.left();
        assert_eq!(field.cursor(), 0);
        field.right();
        assert_eq!(field.cursor(), "e\u{301}".len());
        field.insert('日');
        assert_eq!(field.text(), "e\u{301}日");
    }
}
