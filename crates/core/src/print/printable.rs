//! What a visitor can print, as plain data: a title, the fields that identify it (文号, 索引号,
//! printed in every page's header), a few facts under the title, and its text and page images.

use std::path::PathBuf;

use crate::{
    content::model::{CatalogueItem, Document, ServiceGuide, label_of},
    library::Library,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Printable {
    pub title: String,
    /// Printed at the top of every page, e.g. 文号 and 索引号.
    pub header: Vec<(String, String)>,
    /// Printed under the title on the first page.
    pub facts: Vec<(String, String)>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    /// Indented as the first line of a paragraph.
    Paragraph(String),
    /// Flush left, as a letter's salutation (张三：).
    Line(String),
    /// Right-aligned after a gap, as a letter's signature: the organ, then the date.
    Signature(Vec<String>),
    /// A page image (an attachment's page), printed on a page of its own, fit to it.
    PageImage(PathBuf),
}

impl Printable {
    pub fn document(library: &Library, document: &Document) -> Printable {
        let facts = vec![
            ("发文机关".to_string(), library.department_name(&document.issuer).to_string()),
            ("成文日期".to_string(), chinese_date(document.written_on)),
            ("发布日期".to_string(), chinese_date(document.published_on)),
            ("主题分类".to_string(), document.topic.clone()),
            ("有效性".to_string(), label_of(&document.validity)),
        ];
        let mut blocks = paragraphs(&document.body);
        if !document.attachments.is_empty() {
            blocks.push(Block::Heading("附件".to_string()));
            blocks.extend(
                document
                    .attachments
                    .iter()
                    .enumerate()
                    .map(|(n, a)| Block::Paragraph(format!("{}. {}（{}）", n + 1, a.title, a.format))),
            );
        }
        Printable { title: document.title.clone(), header: header(document), facts, blocks }
    }

    /// The attachment `attachment` of `document`, one printed page per page image.
    pub fn attachment(library: &Library, document: &Document, attachment: usize) -> Option<Printable> {
        let chosen = document.attachments.get(attachment)?;
        let blocks = chosen.pages.iter().map(|page| Block::PageImage(library.folder.join(page))).collect();
        Some(Printable { title: chosen.title.clone(), header: header(document), facts: Vec::new(), blocks })
    }

    pub fn guide(library: &Library, guide: &ServiceGuide) -> Printable {
        let mut blocks = vec![Block::Heading("办理条件".to_string())];
        blocks.extend(numbered(guide.conditions.iter().cloned()));
        blocks.push(Block::Heading("申请材料".to_string()));
        blocks.extend(numbered(guide.materials.iter().map(|m| format!("{}（{}）", m.name, m.copies))));
        blocks.push(Block::Heading("办理流程".to_string()));
        blocks.extend(numbered(guide.steps.iter().cloned()));
        let facts = vec![
            ("办理时限".to_string(), guide.time_limit.clone()),
            ("收费标准".to_string(), guide.fee.clone()),
            ("办理窗口".to_string(), guide.window.clone()),
            ("咨询电话".to_string(), guide.phone.clone()),
            ("主管部门".to_string(), library.department_name(&guide.department).to_string()),
        ];
        Printable { title: guide.title.clone(), header: vec![("办事指南".to_string(), guide.id.clone())], facts, blocks }
    }

    /// A 公开事项 of the 公开目录 under the domain named `domain`, with its standard elements.
    pub fn catalogue_item(domain: &str, item: &CatalogueItem) -> Printable {
        let element = |name: &str, text: String| [Block::Heading(name.to_string()), Block::Paragraph(text)];
        let blocks = [
            element("公开内容（要素）", item.content.clone()),
            element("公开依据", item.basis.clone()),
            element("公开时限", item.time_limit.clone()),
            element("公开主体", item.subject.clone()),
            element("公开渠道和载体", item.channels.join("、")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let facts = vec![
            ("公开领域".to_string(), domain.to_string()),
            ("一级事项".to_string(), item.level1.clone()),
            ("公开对象".to_string(), label_of(&item.audience)),
            ("公开方式".to_string(), label_of(&item.mode)),
            ("公开层级".to_string(), item.levels.join("、")),
        ];
        let header = vec![("基层政务公开标准目录".to_string(), domain.to_string())];
        Printable { title: item.level2.clone(), header, facts, blocks }
    }
}

/// A day as printed pages write it: 2026年3月2日.
pub fn chinese_date(day: chrono::NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

fn paragraphs(text: &str) -> Vec<Block> {
    text.lines().map(str::trim).filter(|line| !line.is_empty()).map(|line| Block::Paragraph(line.to_string())).collect()
}

fn numbered(items: impl Iterator<Item = String>) -> impl Iterator<Item = Block> {
    items.enumerate().map(|(n, item)| Block::Paragraph(format!("{}. {item}", n + 1)))
}

/// 文号 (if any) and 索引号, on every printed page of a document and of its attachments.
fn header(document: &Document) -> Vec<(String, String)> {
    let mut header = Vec::new();
    if let Some(no) = &document.doc_no {
        header.push(("文号".to_string(), no.clone()));
    }
    header.push(("索引号".to_string(), document.index_no.clone()));
    header
}
