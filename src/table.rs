//! Plain-text tables for command output, aligned by display width so CJK
//! and emoji names line up.

use std::fmt;

use unicode_width::UnicodeWidthStr;

/// Rows of cells under a header, columns padded to the widest cell.
#[derive(Debug)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    right_aligned: Vec<bool>,
}

impl Table {
    pub fn new<const N: usize>(header: [&str; N]) -> Self {
        Self {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            right_aligned: vec![false; N],
        }
    }

    pub fn right_align(&mut self, column: usize) {
        if let Some(flag) = self.right_aligned.get_mut(column) {
            *flag = true;
        }
    }

    pub fn row<const N: usize>(&mut self, cells: [String; N]) {
        self.rows.push(cells.into());
    }

    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.width());
            }
        }
        widths
    }

    fn write_row(
        &self,
        f: &mut fmt::Formatter<'_>,
        cells: &[String],
        widths: &[usize],
    ) -> fmt::Result {
        let last = cells.len().saturating_sub(1);
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            let pad = " ".repeat(width.saturating_sub(cell.width()));
            let separator = if i == last { "" } else { "  " };
            if self.right_aligned[i] {
                write!(f, "{pad}{cell}{separator}")?;
            } else if i == last {
                write!(f, "{cell}")?;
            } else {
                write!(f, "{cell}{pad}{separator}")?;
            }
        }
        writeln!(f)
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let widths = self.widths();
        self.write_row(f, &self.header, &widths)?;
        for row in &self.rows {
            self.write_row(f, row, &widths)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_by_display_width() {
        let mut table = Table::new(["ID", "N", "NAME"]);
        table.right_align(1);
        table.row(["日本".into(), "5".into(), "x".into()]);
        table.row(["abcdef".into(), "12".into(), "y".into()]);
        assert_eq!(
            table.to_string(),
            "ID       N  NAME\n日本     5  x\nabcdef  12  y\n"
        );
    }
}
