//! Images in card text: where an `[image: name]` marker stands, the image
//! itself, on rows of its own, drawn with ratatui-image in the best way the
//! terminal has (kitty, iTerm2 or sixel graphics; coloured half blocks
//! otherwise, which any terminal shows).
//!
//! The app decodes the files and hands them in ([`CardImages::insert`]);
//! this module splits card text around the markers, sizes each image to
//! the width and at most [`MAX_ROWS`] rows, and draws it. A marker whose
//! image is not here (images off, the file missing or unreadable) stays as
//! the text it is, and so does an image scrolled partly out of view (a
//! graphics protocol cannot draw part of one), so the card never loses it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use image::DynamicImage;
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::widgets::{Clear, Widget};
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::{Image, Resize};

use crate::deck::image_markers;

/// The most rows one image takes.
pub const MAX_ROWS: u16 = 12;

/// The images of the card on screen, and how to draw them.
pub struct CardImages {
    picker: Picker,
    /// By name; `None` when the file is missing or cannot be decoded.
    decoded: HashMap<String, Option<DynamicImage>>,
    /// Encoded for the terminal, by (name, width, rows) they were fitted to.
    protocols: RefCell<HashMap<(String, u16, u16), Option<Protocol>>>,
}

impl fmt::Debug for CardImages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardImages")
            .field("protocol", &self.picker.protocol_type())
            .field("decoded", &self.decoded.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl CardImages {
    /// Drawn as `picker` says (from querying the terminal).
    pub fn new(picker: Picker) -> CardImages {
        CardImages {
            picker,
            decoded: HashMap::new(),
            protocols: RefCell::new(HashMap::new()),
        }
    }

    /// Drawn with half blocks, whatever the terminal: for tests, and for a
    /// terminal that did not answer.
    pub fn halfblocks() -> CardImages {
        CardImages::new(Picker::halfblocks())
    }

    /// How images are drawn.
    pub fn protocol(&self) -> ProtocolType {
        self.picker.protocol_type()
    }

    /// Whether `name` was handed in (decoded or not).
    pub fn knows(&self, name: &str) -> bool {
        self.decoded.contains_key(name)
    }

    /// Hands in an image; `None` for a file that is missing or unreadable.
    pub fn insert(&mut self, name: impl Into<String>, image: Option<DynamicImage>) {
        let name = name.into();
        self.protocols
            .borrow_mut()
            .retain(|(known, _, _), _| *known != name);
        self.decoded.insert(name, image);
    }

    /// Forgets every image but those named: what a new card does not show.
    pub fn keep_only(&mut self, names: &[&str]) {
        self.decoded
            .retain(|name, _| names.contains(&name.as_str()));
        self.protocols
            .borrow_mut()
            .retain(|(name, _, _), _| names.contains(&name.as_str()));
    }

    fn available(&self, name: &str) -> bool {
        matches!(self.decoded.get(name), Some(Some(_)))
    }

    /// The size in cells of `name` fitted into `width` × `rows`.
    fn size(&self, name: &str, width: u16, rows: u16) -> Option<Size> {
        self.with_protocol(name, width, rows, Protocol::size)
    }

    fn with_protocol<R>(
        &self,
        name: &str,
        width: u16,
        rows: u16,
        f: impl FnOnce(&Protocol) -> R,
    ) -> Option<R> {
        let mut protocols = self.protocols.borrow_mut();
        let protocol = protocols
            .entry((name.to_owned(), width, rows))
            .or_insert_with(|| {
                let image = self.decoded.get(name)?.as_ref()?;
                self.picker
                    .new_protocol(image.clone(), Size::new(width, rows), Resize::Fit(None))
                    .ok()
                    .filter(|protocol| protocol.size().width > 0 && protocol.size().height > 0)
            });
        protocol.as_ref().map(f)
    }

    /// Draws `name` at `area` (as sized by [`place`]).
    fn render(&self, name: &str, fit: (u16, u16), area: Rect, buf: &mut Buffer) {
        self.with_protocol(name, fit.0, fit.1, |protocol| {
            Image::new(protocol).render(area, buf);
        });
    }
}

/// A stretch of card text, or an image drawn in its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Image(&'a str),
}

/// `text` split at the markers of the images `images` has; every other
/// marker stays in the text. Blank stretches between images are dropped.
pub fn pieces<'a>(text: &'a str, images: Option<&CardImages>) -> Vec<Piece<'a>> {
    let Some(images) = images else {
        return vec![Piece::Text(text)];
    };
    let mut out = Vec::new();
    let mut start = 0;
    for (range, name) in image_markers(text) {
        if !images.available(name) {
            continue;
        }
        let before = &text[start..range.start];
        if !before.trim().is_empty() {
            out.push(Piece::Text(before.trim_end()));
        }
        out.push(Piece::Image(name));
        start = range.end;
    }
    let rest = &text[start..];
    if out.is_empty() || !rest.trim().is_empty() {
        out.push(Piece::Text(rest.trim_start_matches([' ', '\t', '\n'])));
    }
    out
}

/// An image laid out among the lines of a card: from line `line`, `rows`
/// lines tall, fitted to `fit` (width, rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub line: usize,
    pub rows: u16,
    pub width: u16,
    pub name: String,
    fit: (u16, u16),
}

/// How `name` is laid out in `width` columns: its placement from `line`,
/// or `None` if it cannot be drawn.
pub fn place(
    images: &CardImages,
    name: &str,
    line: usize,
    width: u16,
    max_rows: u16,
) -> Option<Placement> {
    let rows = max_rows.clamp(1, MAX_ROWS);
    let size = images.size(name, width, rows)?;
    Some(Placement {
        line,
        rows: size.height,
        width: size.width,
        name: name.to_owned(),
        fit: (width, rows),
    })
}

/// Draws the placements that are wholly in view: `area` shows lines from
/// `offset` on.
pub fn render_placements(
    images: &CardImages,
    placements: &[Placement],
    area: Rect,
    offset: usize,
    buf: &mut Buffer,
) {
    let visible = offset..offset + usize::from(area.height);
    for placement in placements {
        let end = placement.line + usize::from(placement.rows);
        if placement.line < visible.start || end > visible.end {
            continue;
        }
        let rows = Rect {
            y: area.y + (placement.line - offset) as u16,
            height: placement.rows,
            ..area
        };
        // The marker on the first row goes, the image takes its place.
        Clear.render(rows, buf);
        let rect = Rect {
            width: placement.width.min(area.width),
            ..rows
        };
        images.render(&placement.name, placement.fit, rect, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(names: &[&str]) -> CardImages {
        let mut images = CardImages::halfblocks();
        for name in names {
            images.insert(*name, Some(DynamicImage::new_rgb8(4, 4)));
        }
        images.insert("broken.png", None);
        images
    }

    #[test]
    fn text_splits_only_at_images_that_are_here() {
        let text = "Tokyo [image: a.png]\n\n[image: broken.png] and [image: gone.png]";
        assert_eq!(pieces(text, None), [Piece::Text(text)]);
        let images = with(&["a.png"]);
        assert_eq!(
            pieces(text, Some(&images)),
            [
                Piece::Text("Tokyo"),
                Piece::Image("a.png"),
                Piece::Text("[image: broken.png] and [image: gone.png]"),
            ]
        );
        assert_eq!(
            pieces("[image: a.png]", Some(&images)),
            [Piece::Image("a.png")]
        );
    }

    #[test]
    fn an_image_fits_the_width_and_the_row_limit() {
        let mut images = CardImages::halfblocks();
        // Half blocks: a cell is 10 × 20 pixels, two pixel rows per cell.
        images.insert("wide.png", Some(DynamicImage::new_rgb8(400, 40)));
        let placement = place(&images, "wide.png", 3, 20, 50).unwrap();
        assert_eq!((placement.line, placement.width), (3, 20));
        assert!(placement.rows >= 1 && placement.rows <= 2, "{placement:?}");
        images.insert("tall.png", Some(DynamicImage::new_rgb8(40, 4000)));
        let placement = place(&images, "tall.png", 0, 80, 50).unwrap();
        assert_eq!(placement.rows, MAX_ROWS);
        assert!(place(&images, "missing.png", 0, 80, 50).is_none());
    }
}
