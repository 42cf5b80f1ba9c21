//! Handwriting recognition speed and accuracy on the 500 hanzi most frequent in the demo
//! titles, each written from hanzi-writer-data's stroke medians (installed by scripts/test),
//! and, as a check that the recogniser's own steps were not fitted to those 500, on the
//! remaining title characters.
//!
//!     cargo bench -p gongkai-core --bench handwriting

use std::path::Path;

use gongkai_core::handwriting::{DEFAULT_MODEL, Recogniser, TitleChars};
use gongkai_testkit::{budget, stroke_data};

fn main() {
    let started = std::time::Instant::now();
    let recogniser = Recogniser::open(Path::new(DEFAULT_MODEL)).expect("recogniser");
    let open_ms = started.elapsed().as_secs_f64() * 1000.0;
    let titles = stroke_data::demo_titles();
    let titles = TitleChars::from_titles(titles.iter().map(String::as_str));
    let all = stroke_data::demo_title_chars(usize::MAX);
    let (chars, rest) = all.split_at(500.min(all.len()));
    let accuracy = stroke_data::accuracy(&recogniser, &titles, chars);
    let rest = stroke_data::accuracy(&recogniser, &titles, rest);
    let mut times = accuracy.times_ms.clone();
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((p / 100.0) * (times.len() - 1) as f64).round() as usize];
    let share = |n: usize| 100.0 * n as f64 / accuracy.characters as f64;
    println!("characters              {}", accuracy.characters);
    println!("open model              {open_ms:.0} ms");
    println!("per character           p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms", at(50.0), at(99.0), at(100.0));
    println!("top-1                   {:.1} %", share(accuracy.top1));
    println!("top-5                   {:.1} %", share(accuracy.top5));
    println!("missed                  {}", accuracy.misses.iter().map(|(c, _)| *c).collect::<String>());
    println!("the other {} title characters: top-1 {:.1} %, top-5 {:.1} %", rest.characters,
        100.0 * rest.top1 as f64 / rest.characters as f64, 100.0 * rest.top5 as f64 / rest.characters as f64);
    budget::at_least("top-5 accuracy", share(accuracy.top5), 90.0, "%");
}
