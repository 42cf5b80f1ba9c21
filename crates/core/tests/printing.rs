//! Printing through a real CUPS: the PDF the kiosk makes goes to the `cups-pdf` virtual printer
//! that `scripts/test` sets up, and the printed file is read back with `pdftotext` and held
//! against the content. Two more queues of the same CUPS, made by the test, have a backend
//! that reports a fault (`scripts/cups-fault-backend`, installed by `scripts/test`), the way a
//! printer out of paper or unplugged does. Root only, as adding CUPS queues is.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
    sync::Mutex,
    time::{Duration, Instant},
};

use chrono::NaiveDate;
use gongkai_core::{
    config::assets_dir,
    content::check::check_bundle,
    library::Library,
    print::{
        Printable,
        cups::{PrinterState, printer_state, submit},
        pdf::{Fonts, Imprint, make},
    },
};

/// The test queues `scripts/test` creates.
const PRINTER: &str = "gongkai-test";
const PRINTED: &str = "/var/spool/gongkai-test-printer";
const OUT_OF_PAPER: &str = "gongkai-test-no-paper";
const OFFLINE: &str = "gongkai-test-offline";
/// The driver of the test queues (printer-driver-cups-pdf).
const CUPS_PDF_DRIVER: &str = "lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd";

/// One job at a time on the test printer, so each test finds its own file.
static PRINTER_IN_USE: Mutex<()> = Mutex::new(());

fn demo() -> Library {
    let checked = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &gongkai_testkit::fixed_options());
    Library::new(checked.content, gongkai_testkit::DEMO_BUNDLE)
}

fn imprint(library: &Library) -> Imprint<'_> {
    Imprint { hall: &library.content.site.hall, printed_on: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap() }
}

fn pdf_text(path: &Path) -> String {
    let output = Command::new("pdftotext").args(["-layout"]).arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(output.status.success(), "pdftotext {}: {}", path.display(), String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn page_count(path: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(path).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&output.stdout);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).expect("a page count")
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn printed_files() -> Vec<PathBuf> {
    fs::read_dir(PRINTED).map(|dir| dir.flatten().map(|e| e.path()).collect()).unwrap_or_default()
}

/// Prints `pdf` (`pages` of it) on the test printer and returns the file the printer wrote.
fn print_and_collect(pdf: &[u8], title: &str, pages: usize) -> PathBuf {
    assert_eq!(printer_state(PRINTER).unwrap(), PrinterState::Ready, "{PRINTER} is set up by scripts/test");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("job.pdf");
    fs::write(&file, pdf).unwrap();
    // cups-pdf names its file after the title, so an earlier print of the same title is moved
    // out of the way first.
    for earlier in printed_files() {
        fs::remove_file(earlier).unwrap();
    }
    let job = submit(PRINTER, &file, title, pages).unwrap();
    assert!(job.starts_with(&format!("{PRINTER}-")), "{job}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let new = printed_files();
        // cups-pdf writes the file, then finishes the job.
        let done = !Command::new("lpstat").args(["-o", PRINTER]).output().unwrap().stdout.windows(job.len()).any(|w| w == job.as_bytes());
        if let [printed] = new.as_slice()
            && done
        {
            return printed.clone();
        }
        assert!(Instant::now() < deadline, "job {job} printed nothing in 60 s");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
#[ignore = "prints through CUPS test queues: needs root (scripts/test runs it as root)"]
fn a_printed_document_reads_back_as_its_text_with_header_and_footer() {
    let _printer = PRINTER_IN_USE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let library = demo();
    let document = library.content.documents.iter().max_by_key(|d| d.body.chars().count()).unwrap();
    let fonts = Fonts::load(&assets_dir()).unwrap();
    let pdf = make(&Printable::document(&library, document), &imprint(&library), &fonts).unwrap();
    assert!(pdf.pages >= 2, "the longest demo document runs over a page ({} pages)", pdf.pages);

    let printed = print_and_collect(&pdf.bytes, &document.title, pdf.pages);
    assert_eq!(page_count(&printed), pdf.pages);
    let text = pdf_text(&printed);
    let flat = squeeze(&text);
    assert!(flat.contains(&squeeze(&document.title)), "the title is printed");
    for paragraph in document.body.lines().filter(|l| !l.trim().is_empty()) {
        assert!(flat.contains(&squeeze(paragraph)), "printed text lacks the paragraph {paragraph:?}");
    }
    // Every page: 索引号 (and 文号 when there is one) above, the hall, the date and n / m below.
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(pages.len(), pdf.pages);
    for (n, page) in pages.iter().enumerate() {
        let page = squeeze(page);
        assert!(page.contains(&format!("索引号：{}", document.index_no)), "page {} header", n + 1);
        if let Some(no) = &document.doc_no {
            assert!(page.contains(&squeeze(&format!("文号：{no}"))), "page {} header", n + 1);
        }
        assert!(page.contains(&squeeze(&library.content.site.hall)), "page {} footer", n + 1);
        assert!(page.contains("打印于2026年12月4日"), "page {} footer", n + 1);
        assert!(page.contains(&format!("第{}页/共{}页", n + 1, pdf.pages)), "page {} number", n + 1);
    }
}

#[test]
#[ignore = "prints through CUPS test queues: needs root (scripts/test runs it as root)"]
fn an_attachment_prints_its_page_images_and_a_page_range_only_those_pages() {
    let _printer = PRINTER_IN_USE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let library = demo();
    let (document, index) = library
        .content
        .documents
        .iter()
        .find_map(|d| d.attachments.iter().position(|a| a.pages.len() == 3).map(|i| (d, i)))
        .unwrap();
    let fonts = Fonts::load(&assets_dir()).unwrap();
    let printable = Printable::attachment(&library, document, index).unwrap();
    let pdf = make(&printable, &imprint(&library), &fonts).unwrap();
    assert_eq!(pdf.pages, 3, "one printed page per page of the attachment");
    let dir = tempfile::tempdir().unwrap();
    let made = dir.path().join("made.pdf");
    fs::write(&made, &pdf.bytes).unwrap();
    let listed = Command::new("pdfimages").arg("-list").arg(&made).output().expect("pdfimages (poppler-utils)").stdout;
    let images: Vec<String> = String::from_utf8(listed).unwrap().lines().skip(2).map(str::to_string).collect();
    assert_eq!(images.len(), 3, "each page carries its page image: {images:?}");
    assert!(images.iter().all(|line| line.contains(" 1241 ") && line.contains(" 1754 ")), "at full resolution: {images:?}");
    // The kiosk's limit allows two pages: CUPS prints two.
    let printed = print_and_collect(&pdf.bytes, &printable.title, 2);
    assert_eq!(page_count(&printed), 2);
    assert!(squeeze(&pdf_text(&printed)).contains("第2页/共3页"));
}

#[test]
fn a_guide_and_a_catalogue_item_print_their_elements() {
    let library = demo();
    let fonts = Fonts::load(&assets_dir()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let guide = &library.content.service_guides[0];
    let domain = &library.content.catalogue.domains[0];
    let item = &domain.items[0];
    for (printable, expected) in [
        (Printable::guide(&library, guide), vec!["办理条件", "申请材料", "办理流程", guide.steps[0].as_str(), guide.phone.as_str()]),
        (Printable::catalogue_item(&domain.name, item), vec!["公开内容（要素）", "公开依据", item.basis.as_str(), item.subject.as_str()]),
    ] {
        let pdf = make(&printable, &imprint(&library), &fonts).unwrap();
        let file = dir.path().join("made.pdf");
        fs::write(&file, &pdf.bytes).unwrap();
        let text = squeeze(&pdf_text(&file));
        for part in expected.into_iter().chain([printable.title.as_str()]) {
            assert!(text.contains(&squeeze(part)), "{}: lacks {part:?}", printable.title);
        }
    }
}

/// Sets up `queue` afresh on the fault backend reporting `fault`, sends it a job and waits
/// until CUPS says what the printer reported.
fn state_after_a_job(queue: &str, fault: &str) -> PrinterState {
    Command::new("lpadmin").args(["-x", queue]).output().unwrap();
    let device = format!("gongkai-fault:/{fault}");
    let added = Command::new("lpadmin").args(["-p", queue, "-E", "-v", &device, "-m", CUPS_PDF_DRIVER]).output().unwrap();
    assert!(added.status.success(), "lpadmin: {}", String::from_utf8_lossy(&added.stderr));
    assert_eq!(printer_state(queue).unwrap(), PrinterState::Ready, "a new queue is ready");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("job.pdf");
    fs::copy(Path::new(gongkai_testkit::DEMO_BUNDLE).join("attachments/doc-a-025-1.pdf"), &file).unwrap();
    submit(queue, &file, "故障测试", 1).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let state = printer_state(queue).unwrap();
        if state != PrinterState::Ready || Instant::now() > deadline {
            return state;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
#[ignore = "prints through CUPS test queues: needs root (scripts/test runs it as root)"]
fn out_of_paper_and_offline_are_said_plainly() {
    let state = state_after_a_job(OUT_OF_PAPER, "media-empty-error");
    assert_eq!(state, PrinterState::OutOfPaper);
    assert!(state.notice().unwrap().starts_with("打印机缺纸"));
    let state = state_after_a_job(OFFLINE, "offline-error");
    assert_eq!(state, PrinterState::Offline);
    assert!(state.notice().unwrap().starts_with("打印机未连接"));
    assert_eq!(printer_state("gongkai-no-such-queue").unwrap(), PrinterState::Missing);
    assert!(PrinterState::Ready.notice().is_none());
}
