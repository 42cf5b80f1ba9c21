//! 手写: one character at a time, recognised offline by Zinnia with the Tegaki
//! Simplified-Chinese model, then 联想 candidates for the next character from the content's
//! own titles.

mod next_chars;
mod zinnia;

use std::path::{Path, PathBuf};

pub use next_chars::NextChars;

/// Where Debian's `tegaki-zinnia-simplified-chinese` puts its model.
pub const DEFAULT_MODEL: &str = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model";

/// What a visitor wrote on the pad: strokes of points, in the pad's own units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ink {
    pub width: f32,
    pub height: f32,
    pub strokes: Vec<Vec<(f32, f32)>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandwritingUnavailable {
    pub model: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for HandwritingUnavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "handwriting recogniser with model {}: {}", self.model.display(), self.reason)
    }
}

impl std::error::Error for HandwritingUnavailable {}

pub struct Recogniser {
    zinnia: zinnia::Zinnia,
}

impl Recogniser {
    pub fn open(model: &Path) -> Result<Self, HandwritingUnavailable> {
        zinnia::Zinnia::open(model)
            .map(|zinnia| Recogniser { zinnia })
            .map_err(|reason| HandwritingUnavailable { model: model.to_path_buf(), reason })
    }

    /// Up to `n` characters the ink may be, best first. Only single CJK characters are
    /// offered: the model also knows a few symbols no title needs.
    pub fn recognise(&self, ink: &Ink, n: usize) -> Vec<char> {
        let strokes: Vec<Vec<(i32, i32)>> = ink
            .strokes
            .iter()
            .filter(|stroke| !stroke.is_empty())
            .map(|stroke| stroke.iter().map(|(x, y)| (x.round() as i32, y.round() as i32)).collect())
            .collect();
        if strokes.is_empty() {
            return Vec::new();
        }
        let size = |side: f32| side.round().max(1.0) as usize;
        // Ask for more than `n`: some candidates are symbols and are left out.
        self.zinnia
            .classify(size(ink.width), size(ink.height), &strokes, n * 2)
            .into_iter()
            .filter_map(|(value, _)| {
                let mut chars = value.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if crate::search::is_hanzi(c) => Some(c),
                    _ => None,
                }
            })
            .take(n)
            .collect()
    }
}
