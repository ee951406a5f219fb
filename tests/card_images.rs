//! Card images in the study screen, drawn into ratatui's `TestBackend` with
//! half blocks (the protocol every terminal can show): an image where its
//! `[image: name]` marker is, the marker kept as text when images are off,
//! when the file is missing, and while the image is scrolled partly out of
//! view.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use image::{DynamicImage, Rgb, RgbImage};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use ratatui::widgets::StatefulWidget;
use recall::app::keys::{self, KeyContext};
use recall::study::queue::DueCounts;
use recall::ui::Theme;
use recall::ui::chrome::ScrollState;
use recall::ui::images::CardImages;
use recall::ui::study::{CardView, SessionHeader};

const RED: Rgb<u8> = Rgb([200, 30, 30]);
const BLUE: Rgb<u8> = Rgb([30, 30, 200]);

/// A flag: red left half, blue right half, 80 × 40 pixels: 8 × 2 cells of
/// the 10 × 20 pixels half blocks assume.
fn flag() -> DynamicImage {
    let image = RgbImage::from_fn(80, 40, |x, _| if x < 40 { RED } else { BLUE });
    DynamicImage::ImageRgb8(image)
}

fn images() -> CardImages {
    let mut images = CardImages::halfblocks();
    images.insert("flag.png", Some(flag()));
    images.insert("missing.png", None);
    // 4 columns, 10 rows of half blocks at most: taller than a small screen.
    let tall = RgbImage::from_fn(40, 200, |_, _| RED);
    images.insert("tall.png", Some(DynamicImage::ImageRgb8(tall)));
    images
}

fn draw(
    size: (u16, u16),
    front: &str,
    back: Option<&str>,
    images: Option<&CardImages>,
    scroll: &mut ScrollState,
) -> Buffer {
    let hints = keys::hints(KeyContext::Answer, |_| None);
    let view = CardView {
        header: SessionHeader {
            deck_name: "Flags",
            remaining: DueCounts {
                new: 1,
                learning: 0,
                learning_now: 0,
                review: 0,
            },
            progress: (0, 1),
        },
        front,
        back,
        typed: None,
        hints: &hints,
        message: None,
        images,
        wrapped: None,
        theme: Theme::monochrome(),
    };
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    terminal
        .draw(|frame| {
            let area = frame.area();
            StatefulWidget::render(&view, area, frame.buffer_mut(), scroll);
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    buffer
        .content()
        .chunks(width)
        .map(|row| row.iter().map(|cell| cell.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The colours half blocks gave the cells of row `y`, left to right: an
/// image's pixels (the monochrome theme colours nothing in RGB).
fn image_colours(buffer: &Buffer, y: u16) -> Vec<Color> {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].bg)
        .filter(|colour| matches!(colour, Color::Rgb(..)))
        .collect()
}

/// Whether any cell shows an image.
fn shows_an_image(buffer: &Buffer) -> bool {
    (0..buffer.area.height).any(|y| !image_colours(buffer, y).is_empty())
}

const FRONT: &str = "Whose flag is this?\n\n[image: flag.png]";
const BACK: &str = "Nobody's: it was made up. [image: missing.png]";

#[test]
fn an_image_is_drawn_where_its_marker_is() {
    let images = images();
    let buffer = draw(
        (50, 16),
        FRONT,
        Some(BACK),
        Some(&images),
        &mut ScrollState::default(),
    );
    let screen = text(&buffer);
    insta::assert_snapshot!("card_with_an_image", screen);
    assert!(!screen.contains("[image: flag.png]"), "{screen}");
    // A missing file keeps its marker.
    assert!(screen.contains("[image: missing.png]"), "{screen}");
    // The image's own colours: red on the left, blue on the right.
    let row = (0..buffer.area.height)
        .find(|&y| !image_colours(&buffer, y).is_empty())
        .unwrap();
    let colours = image_colours(&buffer, row);
    let rgb = |Rgb([r, g, b]): Rgb<u8>| Color::Rgb(r, g, b);
    assert_eq!(colours.first(), Some(&rgb(RED)), "{colours:?}");
    assert_eq!(colours.last(), Some(&rgb(BLUE)), "{colours:?}");
}

#[test]
fn with_images_off_the_markers_stay_text() {
    let buffer = draw(
        (50, 16),
        FRONT,
        Some(BACK),
        None,
        &mut ScrollState::default(),
    );
    let screen = text(&buffer);
    assert!(screen.contains("[image: flag.png]"), "{screen}");
    assert!(screen.contains("[image: missing.png]"), "{screen}");
    assert!(!shows_an_image(&buffer), "{screen}");
}

#[test]
fn an_image_partly_out_of_view_shows_its_marker() {
    let images = images();
    // 14 rows show 9 lines of text: the 7 before the image, its marker
    // and one more of its 4 rows.
    let front = format!("{}\n\n[image: tall.png]\n\nafter", "line\n\n".repeat(4));
    let mut scroll = ScrollState::default();
    let whole = draw((50, 40), &front, None, Some(&images), &mut scroll);
    assert!(!text(&whole).contains("[image: tall.png]"));
    assert!(shows_an_image(&whole));
    let mut scroll = ScrollState::default();
    let cut = draw((50, 14), &front, None, Some(&images), &mut scroll);
    let screen = text(&cut);
    assert!(screen.contains("[image: tall.png]"), "{screen}");
    assert!(!shows_an_image(&cut), "{screen}");
    // Scrolled to the bottom, the whole image is in view again.
    scroll.to_bottom();
    let scrolled = draw((50, 14), &front, None, Some(&images), &mut scroll);
    let screen = text(&scrolled);
    assert!(!screen.contains("[image: tall.png]"), "{screen}");
    assert!(shows_an_image(&scrolled), "{screen}");
}
