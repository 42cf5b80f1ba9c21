//! 手写 recognition with Zinnia and the Tegaki Simplified-Chinese model, on strokes written
//! by others (hanzi-writer-data's medians), and 联想 from the demo's titles.

use std::path::Path;

use gongkai_core::handwriting::{DEFAULT_MODEL, Ink, Recogniser, TitleChars};
use gongkai_testkit::stroke_data;

fn demo_titles() -> TitleChars {
    let titles = stroke_data::demo_titles();
    TitleChars::from_titles(titles.iter().map(String::as_str))
}

fn recogniser() -> Recogniser {
    Recogniser::open(Path::new(DEFAULT_MODEL)).unwrap_or_else(|e| panic!("{e} (scripts/test installs libzinnia0 and tegaki-zinnia-simplified-chinese)"))
}

#[test]
fn the_500_most_frequent_title_characters_are_read_in_the_top_5() {
    let chars = stroke_data::demo_title_chars(500);
    assert_eq!(chars.len(), 500, "the demo titles have 500 distinct hanzi");
    let accuracy = stroke_data::accuracy(&recogniser(), &demo_titles(), &chars);
    let top5 = accuracy.top5 as f64 / accuracy.characters as f64;
    let top1 = accuracy.top1 as f64 / accuracy.characters as f64;
    println!("top-1 {:.1} %, top-5 {:.1} %; missed: {:?}", top1 * 100.0, top5 * 100.0, accuracy.misses);
    assert!(top5 >= 0.90, "top-5 accuracy {:.1} % is under 90 %; missed {:?}", top5 * 100.0, accuracy.misses);
}

#[test]
fn the_same_character_is_read_at_any_pad_size() {
    let (recogniser, titles) = (recogniser(), demo_titles());
    for c in ['低', '保', '公', '政', '务'] {
        let ink = stroke_data::ink(c).expect("strokes");
        let small = Ink {
            width: 300.0,
            height: 300.0,
            strokes: ink.strokes.iter().map(|s| s.iter().map(|(x, y)| (x * 300.0 / 1024.0, y * 300.0 / 1024.0)).collect()).collect(),
        };
        assert!(recogniser.recognise(&ink, &titles, 5).contains(&c), "{c} on a 1024 pad");
        assert!(recogniser.recognise(&small, &titles, 5).contains(&c), "{c} on a 300 pad");
    }
}

#[test]
fn an_empty_pad_offers_nothing_and_a_missing_model_is_named() {
    let (recogniser, titles) = (recogniser(), demo_titles());
    assert!(recogniser.recognise(&Ink { width: 300.0, height: 300.0, strokes: vec![] }, &titles, 5).is_empty());
    assert!(recogniser.recognise(&Ink { width: 300.0, height: 300.0, strokes: vec![vec![]] }, &titles, 5).is_empty());
    let missing = Recogniser::open(Path::new("/nonexistent/handwriting.model")).err().expect("no model there");
    assert!(missing.to_string().contains("/nonexistent/handwriting.model"), "{missing}");
}

#[test]
fn next_characters_come_from_the_demo_titles() {
    let titles = demo_titles();
    assert!(titles.after('低', 5).contains(&'保'), "{:?}", titles.after('低', 5));
    assert!(titles.after('公', 5).contains(&'开'), "{:?}", titles.after('公', 5));
}
