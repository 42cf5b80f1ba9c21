//! 手写: one character at a time, recognised offline by Zinnia with the Tegaki
//! Simplified-Chinese model, then 联想 candidates for the next character from the content's
//! own titles.

mod title_chars;
mod zinnia;

use std::path::{Path, PathBuf};

use crate::search::is_hanzi;

pub use title_chars::TitleChars;

/// Where Debian's `tegaki-zinnia-simplified-chinese` puts its model.
pub const DEFAULT_MODEL: &str = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model";

/// Candidates asked of Zinnia, of which the content's own characters are offered first.
const CANDIDATES_ASKED: usize = 30;
/// A stroke's first points closer than this to its start, as a share of the pad's larger
/// side, are the wobble of a finger or pen landing; the model was trained without them.
const LANDING: f32 = 0.08;

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

    /// Up to `n` characters the ink may be, best first: among Zinnia's best candidates, the
    /// characters of the content's titles come first (a visitor searches this content), each
    /// group in Zinnia's order. Symbols and other non-hanzi candidates are left out.
    pub fn recognise(&self, ink: &Ink, titles: &TitleChars, n: usize) -> Vec<char> {
        let landing = LANDING * ink.width.max(ink.height);
        let strokes: Vec<Vec<(i32, i32)>> = ink
            .strokes
            .iter()
            .filter(|stroke| !stroke.is_empty())
            .map(|stroke| without_landing(stroke, landing).iter().map(|(x, y)| (x.round() as i32, y.round() as i32)).collect())
            .collect();
        if strokes.is_empty() {
            return Vec::new();
        }
        let size = |side: f32| side.round().max(1.0) as usize;
        let candidates: Vec<char> = self
            .zinnia
            .classify(size(ink.width), size(ink.height), &strokes, CANDIDATES_ASKED)
            .into_iter()
            .filter_map(|(value, _)| {
                let mut chars = value.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if is_hanzi(c) => Some(c),
                    _ => None,
                }
            })
            .collect();
        let (known, others): (Vec<char>, Vec<char>) = candidates.into_iter().partition(|c| titles.contains(*c));
        known.into_iter().chain(others).take(n).collect()
    }
}

/// The stroke from the last point of its landing wobble on; a short stroke keeps its end.
fn without_landing(stroke: &[(f32, f32)], landing: f32) -> &[(f32, f32)] {
    let Some(&(x0, y0)) = stroke.first() else { return stroke };
    let skip = stroke
        .iter()
        .take(stroke.len().saturating_sub(2))
        .skip(1)
        .take_while(|(x, y)| (x - x0).hypot(y - y0) < landing)
        .count();
    &stroke[skip..]
}
