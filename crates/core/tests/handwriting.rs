//! 手写 recognition with Zinnia and the Tegaki Simplified-Chinese model, on strokes written
//! by others (hanzi-writer-data's medians), and 联想 from the demo's titles.

use std::path::Path;

use gongkai_core::{
    content::check::check_bundle,
    handwriting::{DEFAULT_MODEL, Ink, NextChars, Recogniser},
    search::records_from_content,
};
use gongkai_testkit::stroke_data;

fn recogniser() -> Recogniser {
    Recogniser::open(Path::new(DEFAULT_MODEL)).unwrap_or_else(|e| panic!("{e} (scripts/test installs libzinnia0 and tegaki-zinnia-simplified-chinese)"))
}

#[test]
fn the_500_most_frequent_title_characters_are_read_in_the_top_5() {
    let chars = stroke_data::demo_title_chars(500);
    assert_eq!(chars.len(), 500, "the demo titles have 500 distinct hanzi");
    let accuracy = stroke_data::accuracy(&recogniser(), &chars);
    let top5 = accuracy.top5 as f64 / accuracy.characters as f64;
    let top1 = accuracy.top1 as f64 / accuracy.characters as f64;
    println!("top-1 {:.1} %, top-5 {:.1} %; missed: {:?}", top1 * 100.0, top5 * 100.0, accuracy.misses);
    assert!(top5 >= 0.90, "top-5 accuracy {:.1} % is under 90 %; missed {:?}", top5 * 100.0, accuracy.misses);
}

#[test]
fn the_same_character_is_read_at_any_pad_size() {
    let recogniser = recogniser();
    for c in ['低', '保', '公', '开'] {
        let ink = stroke_data::ink(c).expect("strokes");
        let small = Ink {
            width: 300.0,
            height: 300.0,
            strokes: ink.strokes.iter().map(|s| s.iter().map(|(x, y)| (x * 300.0 / 1024.0, y * 300.0 / 1024.0)).collect()).collect(),
        };
        assert!(recogniser.recognise(&small, 5).contains(&c), "{c} on a 300 pad");
    }
}

#[test]
fn an_empty_pad_offers_nothing_and_a_missing_model_is_named() {
    let recogniser = recogniser();
    assert!(recogniser.recognise(&Ink { width: 300.0, height: 300.0, strokes: vec![] }, 5).is_empty());
    assert!(recogniser.recognise(&Ink { width: 300.0, height: 300.0, strokes: vec![vec![]] }, 5).is_empty());
    let missing = Recogniser::open(Path::new("/nonexistent/handwriting.model")).err().expect("no model there");
    assert!(missing.to_string().contains("/nonexistent/handwriting.model"), "{missing}");
}

#[test]
fn next_characters_come_from_the_demo_titles() {
    let checked = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &gongkai_testkit::fixed_options());
    let records = records_from_content(&checked.content);
    let next = NextChars::from_titles(records.iter().map(|r| r.title.as_str()));
    assert!(next.after('低', 5).contains(&'保'), "{:?}", next.after('低', 5));
    assert!(next.after('公', 5).contains(&'开'), "{:?}", next.after('公', 5));
}
