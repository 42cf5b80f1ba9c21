//! A `Printable` as an A4 PDF, written with krilla: the CJK font embedded (subset to the
//! characters used), the title, 文号 and 索引号 in a header on every page, and a footer with
//! the hall, the date of printing and 第 n 页 / 共 m 页.

use std::{
    fs::{self, File},
    path::Path,
    sync::Arc,
};

use anyhow::{Context, Result, anyhow};
use chrono::{Datelike, NaiveDate};
use krilla::{
    Data, Document,
    color::rgb,
    geom::{PathBuilder, Point, Size, Transform},
    image::Image,
    metadata::{DateTime, Metadata},
    num::NormalizedF32,
    page::PageSettings,
    paint::{Fill, Stroke},
    surface::Surface,
    text::{Font, TextDirection},
};
use memmap2::Mmap;
use ttf_parser::Face;

use super::{
    layout::{Metrics, wrap},
    printable::{Block, Printable, chinese_date},
};
use crate::content::font_coverage::{BOLD_FONT_ASSET, FONT_ASSET};

/// A4 in points.
const PAGE: (f32, f32) = (595.28, 841.89);
const MARGIN: f32 = 64.0;
/// Where the text column starts and ends, under the header and above the footer.
const TOP: f32 = 92.0;
const BOTTOM: f32 = PAGE.1 - 72.0;
const BODY_PT: f32 = 12.0;
const LINE: f32 = 1.8;
const TITLE_PT: f32 = 18.0;
const HEADING_PT: f32 = 14.0;
const SMALL_PT: f32 = 9.0;
const INK: (u8, u8, u8) = (0, 0, 0);
const MUTED: (u8, u8, u8) = (90, 90, 90);

/// The two faces of the shipped font, mapped once and kept for every print: a kiosk holds
/// only the pages of them that its prints have touched, not 33 MB from the start.
pub struct Fonts {
    regular: Arc<Mmap>,
    bold: Arc<Mmap>,
}

impl Fonts {
    /// Maps the fonts from the asset folder `assets`.
    pub fn load(assets: &Path) -> Result<Fonts> {
        let map = |name: &str| -> Result<Arc<Mmap>> {
            let path = assets.join(name);
            let file = File::open(&path).with_context(|| format!("{}: cannot read the font", path.display()))?;
            // SAFETY: the shipped fonts are installed files that nothing writes while the
            // kiosk runs; a package update replaces them by renaming.
            let data = unsafe { Mmap::map(&file) }.with_context(|| format!("{}: cannot read the font", path.display()))?;
            Face::parse(&data, 0).map_err(|e| anyhow!("{}: not a font: {e}", path.display()))?;
            Ok(Arc::new(data))
        };
        Ok(Fonts { regular: map(FONT_ASSET)?, bold: map(BOLD_FONT_ASSET)? })
    }

    fn data(face: &Arc<Mmap>) -> Data {
        let shared: Arc<dyn AsRef<[u8]> + Send + Sync> = face.clone();
        shared.into()
    }
}

/// What goes at the foot of every page besides the page number.
pub struct Imprint<'a> {
    /// The hall the kiosk stands in.
    pub hall: &'a str,
    pub printed_on: NaiveDate,
}

pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// One thing drawn on a page, placed by the layout before anything is written, so that every
/// footer can say how many pages there are.
enum Mark {
    Text { x: f32, baseline: f32, size: f32, bold: bool, color: (u8, u8, u8), text: String },
    Image { path: std::path::PathBuf, top: f32, room: f32 },
}

pub fn make(printable: &Printable, imprint: &Imprint, fonts: &Fonts) -> Result<Pdf> {
    let regular_face = Face::parse(&fonts.regular, 0).map_err(|e| anyhow!("font: {e}"))?;
    let bold_face = Face::parse(&fonts.bold, 0).map_err(|e| anyhow!("font: {e}"))?;
    let regular = Metrics::new(regular_face);
    let pages = lay_out(printable, &regular, &Metrics::new(bold_face));
    write(printable, imprint, fonts, &regular, pages)
}

/// Places the title, facts and blocks on pages of marks.
fn lay_out(printable: &Printable, regular: &Metrics, bold: &Metrics) -> Vec<Vec<Mark>> {
    let mut flow = Flow { pages: vec![Vec::new()], y: TOP, regular, bold };
    flow.lines(&printable.title, TITLE_PT, true, Align::Centre, INK);
    flow.y += 8.0;
    for (name, value) in &printable.facts {
        flow.lines(&format!("{name}：{value}"), SMALL_PT + 1.5, false, Align::Left, MUTED);
    }
    flow.y += 10.0;
    for block in &printable.blocks {
        match block {
            Block::Heading(text) => {
                flow.y += 6.0;
                flow.lines(text, HEADING_PT, true, Align::Left, INK);
            }
            Block::Paragraph(text) => flow.lines(&format!("\u{3000}\u{3000}{text}"), BODY_PT, false, Align::Left, INK),
            Block::Line(text) => flow.lines(text, BODY_PT, false, Align::Left, INK),
            Block::Signature(lines) => {
                flow.y += 2.0 * BODY_PT;
                for line in lines {
                    flow.lines(line, BODY_PT, false, Align::Right, INK);
                }
            }
            Block::PageImage(path) => flow.page_image(path),
        }
    }
    let mut pages = flow.pages;
    if pages.len() > 1 && pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
    }
    pages
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Centre,
    Right,
}

/// Text and images flowing down the pages.
struct Flow<'a> {
    pages: Vec<Vec<Mark>>,
    /// The bottom of what is placed on the last page.
    y: f32,
    regular: &'a Metrics<'a>,
    bold: &'a Metrics<'a>,
}

impl Flow<'_> {
    fn page_is_empty(&self) -> bool {
        self.pages.last().is_none_or(Vec::is_empty)
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// `text` wrapped to the column, starting a new page where a line would not fit.
    fn lines(&mut self, text: &str, size: f32, bold: bool, align: Align, color: (u8, u8, u8)) {
        let metrics = if bold { self.bold } else { self.regular };
        let width = PAGE.0 - 2.0 * MARGIN;
        for line in wrap(text, width, size, metrics) {
            if self.y + size * LINE > BOTTOM && !self.page_is_empty() {
                self.new_page();
            }
            self.y += size * LINE;
            let x = match align {
                Align::Left => MARGIN,
                Align::Centre => MARGIN + (width - metrics.width(&line, size)) / 2.0,
                Align::Right => MARGIN + width - metrics.width(&line, size),
            };
            let baseline = self.y - size * (LINE - 1.0) / 2.0 - size * 0.12;
            self.pages.last_mut().unwrap().push(Mark::Text { x, baseline, size, bold, color, text: line });
        }
    }

    /// A page image in the rest of the page (the first one under the title), or on a page of
    /// its own when less than most of a page is left; what follows starts a new page.
    fn page_image(&mut self, path: &Path) {
        if BOTTOM - self.y < 0.8 * (BOTTOM - TOP) {
            self.new_page();
        }
        let top = self.y + 4.0;
        self.pages.last_mut().unwrap().push(Mark::Image { path: path.to_path_buf(), top, room: BOTTOM - top });
        self.new_page();
    }
}

fn write(printable: &Printable, imprint: &Imprint, fonts: &Fonts, metrics: &Metrics, pages: Vec<Vec<Mark>>) -> Result<Pdf> {
    let regular = Font::new(Fonts::data(&fonts.regular), 0).context("the font does not load")?;
    let bold = Font::new(Fonts::data(&fonts.bold), 0).context("the bold font does not load")?;
    let header: Vec<String> = printable.header.iter().map(|(name, value)| format!("{name}：{value}")).collect();
    let header = header.join("　　");
    let date = chinese_date(imprint.printed_on);
    let count = pages.len();
    let mut document = Document::new();
    let day = imprint.printed_on;
    let made = DateTime::new(day.year().clamp(0, 9999) as u16).month(day.month() as u8).day(day.day() as u8);
    document.set_metadata(
        Metadata::new().title(printable.title.clone()).language("zh-CN".to_string()).creation_date(made),
    );
    for (n, marks) in pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE.0, PAGE.1).context("page size")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let text = |surface: &mut Surface, x: f32, y: f32, size: f32, font: &Font, color: (u8, u8, u8), line: &str| {
            surface.set_fill(Some(fill(color)));
            surface.draw_text(Point::from_xy(x, y), font.clone(), size, line, false, TextDirection::Auto);
        };
        text(&mut surface, MARGIN, 44.0, SMALL_PT, &regular, MUTED, &header);
        rule(&mut surface, 52.0);
        rule(&mut surface, PAGE.1 - 52.0);
        text(&mut surface, MARGIN, PAGE.1 - 36.0, SMALL_PT, &regular, MUTED, &format!("{} · 打印于{date}", imprint.hall));
        let number = format!("第 {} 页 / 共 {count} 页", n + 1);
        let width = metrics.width(&number, SMALL_PT);
        text(&mut surface, PAGE.0 - MARGIN - width, PAGE.1 - 36.0, SMALL_PT, &regular, MUTED, &number);
        for mark in marks {
            match mark {
                Mark::Text { x, baseline, size, bold: is_bold, color, text: line } => {
                    text(&mut surface, x, baseline, size, if is_bold { &bold } else { &regular }, color, &line);
                }
                Mark::Image { path, top, room } => draw_page_image(&mut surface, &path, top, room)?,
            }
        }
        surface.finish();
        page.finish();
    }
    let bytes = document.finish().map_err(|e| anyhow!("cannot write the PDF: {e:?}"))?;
    Ok(Pdf { bytes, pages: count })
}

/// An attachment page fit into the column from `top`, at most `room` high, centred across.
fn draw_page_image(surface: &mut Surface, path: &Path, top: f32, room: f32) -> Result<()> {
    let data = fs::read(path).with_context(|| format!("{}: cannot read the page image", path.display()))?;
    let (width, image_height) = image::image_dimensions(path).with_context(|| format!("{}: not an image", path.display()))?;
    let image = Image::from_png(data.into(), true).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let scale = ((PAGE.0 - 2.0 * MARGIN) / width as f32).min(room / image_height as f32);
    let (w, h) = (width as f32 * scale, image_height as f32 * scale);
    surface.push_transform(&Transform::from_translate((PAGE.0 - w) / 2.0, top));
    surface.draw_image(image, Size::from_wh(w, h).context("empty page image")?);
    surface.pop();
    Ok(())
}

fn fill(color: (u8, u8, u8)) -> Fill {
    Fill { paint: rgb::Color::new(color.0, color.1, color.2).into(), opacity: NormalizedF32::ONE, rule: Default::default() }
}

fn rule(surface: &mut Surface, y: f32) {
    let mut path = PathBuilder::new();
    path.move_to(MARGIN, y);
    path.line_to(PAGE.0 - MARGIN, y);
    let Some(path) = path.finish() else { return };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke { paint: rgb::Color::new(160, 160, 160).into(), width: 0.6, ..Default::default() }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}
