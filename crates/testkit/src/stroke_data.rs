//! Real handwriting for the recogniser's tests and benchmark: the stroke medians of the npm
//! package `hanzi-writer-data` (from the Make Me a Hanzi project), which `scripts/test`
//! installs into `.test-data/`. No one here wrote these strokes.

use std::{collections::HashMap, fs, path::PathBuf, time::Instant};

use gongkai_core::{
    content::check::check_bundle,
    handwriting::{Ink, Recogniser, TitleChars},
    search::{is_hanzi, records_from_content},
};

/// hanzi-writer draws on a 1024 square whose y axis points up, with its top edge at 900.
const CANVAS: f32 = 1024.0;
const BASELINE: f32 = 900.0;

/// The package's folder: `GONGKAI_STROKE_DATA`, or `.test-data/node_modules/hanzi-writer-data`
/// in the workspace.
pub fn folder() -> PathBuf {
    let folder = std::env::var_os("GONGKAI_STROKE_DATA").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../.test-data/node_modules/hanzi-writer-data"))
    });
    assert!(
        folder.join("低.json").is_file(),
        "stroke data missing at {}: run scripts/test, or `npm install --prefix .test-data hanzi-writer-data@2.0.1`",
        folder.display()
    );
    folder
}

/// The character's strokes as a finger would draw them on a 1024 × 1024 pad, top-left origin.
pub fn ink(c: char) -> Option<Ink> {
    let text = fs::read_to_string(folder().join(format!("{c}.json"))).ok()?;
    let data: serde_json::Value = serde_json::from_str(&text).ok()?;
    let strokes = data["medians"]
        .as_array()?
        .iter()
        .map(|stroke| {
            stroke
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|point| Some((point[0].as_f64()? as f32, BASELINE - point[1].as_f64()? as f32)))
                .collect()
        })
        .collect();
    Some(Ink { width: CANVAS, height: CANVAS, strokes })
}

/// The titles of the demo content, as the kiosk lists them for search.
pub fn demo_titles() -> Vec<String> {
    let checked = check_bundle(std::path::Path::new(crate::DEMO_BUNDLE), &crate::fixed_options());
    records_from_content(&checked.content).into_iter().map(|record| record.title).collect()
}

/// The `n` hanzi most frequent in the titles of the demo content, most frequent first.
pub fn demo_title_chars(n: usize) -> Vec<char> {
    let mut counts: HashMap<char, usize> = HashMap::new();
    for title in demo_titles() {
        for c in title.chars().filter(|c| is_hanzi(*c)) {
            *counts.entry(c).or_default() += 1;
        }
    }
    let mut chars: Vec<(char, usize)> = counts.into_iter().collect();
    chars.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    chars.into_iter().take(n).map(|(c, _)| c).collect()
}

/// How well the recogniser reads these characters written from the stroke data.
pub struct Accuracy {
    pub characters: usize,
    pub top1: usize,
    pub top5: usize,
    /// Milliseconds per recognition.
    pub times_ms: Vec<f64>,
    /// The characters not among the five candidates, with what was offered instead.
    pub misses: Vec<(char, Vec<char>)>,
}

pub fn accuracy(recogniser: &Recogniser, titles: &TitleChars, chars: &[char]) -> Accuracy {
    let mut result = Accuracy { characters: chars.len(), top1: 0, top5: 0, times_ms: Vec::new(), misses: Vec::new() };
    for &c in chars {
        let ink = ink(c).unwrap_or_else(|| panic!("no strokes for {c} in {}", folder().display()));
        let started = Instant::now();
        let candidates = recogniser.recognise(&ink, titles, 5);
        result.times_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        result.top1 += usize::from(candidates.first() == Some(&c));
        if candidates.contains(&c) {
            result.top5 += 1;
        } else {
            result.misses.push((c, candidates));
        }
    }
    result
}
