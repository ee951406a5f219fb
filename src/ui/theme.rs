//! Every style in one place. Text uses the terminal's own foreground and
//! background, so it reads on dark and light themes alike; colours are
//! accents from the 16 named ANSI colours, which follow the user's palette.
//! With `NO_COLOR` set there are no colours at all, and everything that
//! matters is still told apart by bold, dim, italic or reversed text.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to anything non-empty
    /// (<https://no-color.org>).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    pub const fn colored() -> Theme {
        Theme { color: true }
    }

    pub const fn monochrome() -> Theme {
        Theme { color: false }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn text(&self) -> Style {
        Style::new()
    }

    /// Titles and headings.
    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Secondary information: labels, hints, counts that are zero.
    pub fn muted(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Inline `code`.
    pub fn code(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Magenta)
        } else {
            Style::new().add_modifier(Modifier::ITALIC)
        }
    }

    /// The active cloze deletion, on the question and the answer.
    pub fn highlight(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// `*Emphasis*` (and Anki's underline): italic, or underlined without
    /// colour, where italic is taken by code.
    pub fn emphasis(&self) -> Style {
        if self.color {
            Style::new().add_modifier(Modifier::ITALIC)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    /// `~~Struck~~` text.
    pub fn strike(&self) -> Style {
        Style::new().add_modifier(Modifier::CROSSED_OUT)
    }

    /// A link's text (its target follows it, muted).
    pub fn link(&self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::UNDERLINED)
    }

    /// Whether code is highlighted: not without colour.
    pub fn highlights_code(&self) -> bool {
        self.color
    }

    /// A key in a hint, e.g. the `q` of `q quit`.
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The selected row.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn new_count(&self) -> Style {
        self.fg(Color::Blue)
    }

    pub fn learning_count(&self) -> Style {
        self.fg(Color::Red)
    }

    pub fn review_count(&self) -> Style {
        self.fg(Color::Green)
    }

    /// Right answers; Good and Easy.
    pub fn good(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    /// Wrong answers; Again; errors.
    pub fn bad(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn gauge(&self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn border(&self) -> Style {
        self.muted()
    }
}
