//! The PDF a kiosk makes for 打印: time to lay out and write a 20-page document with the CJK
//! font embedded, and the file's size, on the demo content's longest body repeated to 20 pages;
//! and the same for an attachment of page images.
//!
//!     cargo bench -p gongkai-core --bench print

use std::{path::Path, time::Instant};

use chrono::NaiveDate;
use gongkai_core::{
    config::assets_dir,
    content::check::check_bundle,
    library::Library,
    print::{
        Block, Printable,
        pdf::{Fonts, Imprint, make},
    },
};

const RUNS: usize = 10;

fn main() {
    let checked = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &gongkai_testkit::fixed_options());
    let library = Library::new(checked.content, gongkai_testkit::DEMO_BUNDLE);
    let started = Instant::now();
    let fonts = Fonts::load(&assets_dir()).expect("fonts");
    println!("load fonts              {:.0} ms (once per kiosk)", started.elapsed().as_secs_f64() * 1000.0);
    let imprint = Imprint { hall: &library.content.site.hall, printed_on: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap() };

    let document = library.content.documents.iter().max_by_key(|d| d.body.chars().count()).unwrap();
    let mut long = Printable::document(&library, document);
    let body = long.blocks.clone();
    while make(&long, &imprint, &fonts).unwrap().pages < 20 {
        long.blocks.extend(body.iter().cloned());
    }
    // Trim back to exactly 20 pages.
    while make(&long, &imprint, &fonts).unwrap().pages > 20 {
        long.blocks.pop();
    }
    report("20-page document", &long, &imprint, &fonts);

    let attachment = library
        .content
        .documents
        .iter()
        .find_map(|d| d.attachments.iter().position(|a| a.pages.len() == 3).and_then(|i| Printable::attachment(&library, d, i)))
        .unwrap();
    assert!(attachment.blocks.iter().all(|b| matches!(b, Block::PageImage(_))));
    report("3-page attachment", &attachment, &imprint, &fonts);
}

fn report(name: &str, printable: &Printable, imprint: &Imprint, fonts: &Fonts) {
    let mut times = Vec::new();
    let mut made = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        made = Some(make(printable, imprint, fonts).unwrap());
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let pdf = made.unwrap();
    println!(
        "{name:<23} {} pages  median {:.0} ms  max {:.0} ms  {:.0} KB",
        pdf.pages,
        times[RUNS / 2],
        times[RUNS - 1],
        pdf.bytes.len() as f64 / 1024.0
    );
}
