//! Large valid bundles for benchmarks: `gongkai content synth --documents N OUT`.
//! Output is deterministic for a seed and passes the checker.

mod random;
pub mod vocabulary;

use std::{
    fs,
    io::{BufWriter, Write},
    path::Path,
};

use anyhow::{Context, Result, bail};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::{
    bundle_files::{CATALOGUE, DOCUMENTS_DIR, INTERPRETATIONS, SITE},
    model::*,
};
use random::Rng;
use vocabulary::*;

/// Documents per shard file: small enough that one changed document costs little to sync.
pub const DOCUMENTS_PER_SHARD: usize = 5_000;
/// One document in this many gets a 解读.
const INTERPRETATION_EVERY: usize = 100;
const DISTRICT: &str = "合成区";

pub struct SynthOptions {
    pub documents: usize,
    pub seed: u64,
}

/// Writes the content files (no manifest) of a synthetic bundle into the new folder `out`.
pub fn write_content(out: &Path, options: &SynthOptions) -> Result<()> {
    if out.exists() {
        bail!("{}: already exists; choose a new folder", out.display());
    }
    fs::create_dir_all(out.join(DOCUMENTS_DIR))
        .with_context(|| format!("{}: cannot create folder", out.display()))?;
    let departments = departments();
    write_json(&out.join(SITE), &site(&departments))?;
    write_json(&out.join(CATALOGUE), &catalogue())?;

    let mut rng = Rng::new(options.seed);
    let mut interpretations = Vec::new();
    let mut shard = Vec::with_capacity(DOCUMENTS_PER_SHARD);
    for i in 0..options.documents {
        let mut document = document(i, &departments, &mut rng);
        if i % INTERPRETATION_EVERY == 0 {
            let interpretation = interpretation_of(&document, &mut rng);
            document.interpretations.push(interpretation.id.clone());
            interpretations.push(interpretation);
        }
        shard.push(document);
        if shard.len() == DOCUMENTS_PER_SHARD || i + 1 == options.documents {
            let name = format!("{:05}.json", i / DOCUMENTS_PER_SHARD);
            write_json(&out.join(DOCUMENTS_DIR).join(name), &shard)?;
            shard.clear();
        }
    }
    write_json(&out.join(INTERPRETATIONS), &interpretations)
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    let file = fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    let mut writer = BufWriter::new(file);
    serde_json::to_writer(&mut writer, value)?;
    writer.flush().with_context(|| format!("{}: cannot write", path.display()))
}

fn departments() -> Vec<Department> {
    STANDARD_DOMAINS
        .iter()
        .map(|(id, name)| Department { id: format!("dept-{id}"), name: format!("区{name}主管部门") })
        .collect()
}

fn site(departments: &[Department]) -> Site {
    Site {
        district: DISTRICT.into(),
        office: format!("{DISTRICT}人民政府办公室"),
        hall: format!("{DISTRICT}政务服务中心"),
        address: format!("{DISTRICT}中心大道1号"),
        hours: "周一至周五 9:00—17:00".into(),
        hotline: "12345".into(),
        logo: None,
        demo_label: Some("合成测试数据".into()),
        demo_as_of: None,
        hot_searches: Vec::new(),
        departments: departments.to_vec(),
    }
}

fn catalogue() -> Catalogue {
    let domains = STANDARD_DOMAINS
        .iter()
        .zip(DOMAIN_TOPICS)
        .map(|((id, name), topics)| Domain {
            id: (*id).into(),
            name: (*name).into(),
            items: topics
                .iter()
                .take(3)
                .enumerate()
                .map(|(k, topic)| CatalogueItem {
                    id: format!("{id}-{:02}", k + 1),
                    level1: (*name).into(),
                    level2: (*topic).into(),
                    content: format!("{topic}的政策文件、办理程序和结果"),
                    basis: "《中华人民共和国政府信息公开条例》".into(),
                    time_limit: "自信息形成或者变更之日起20个工作日内".into(),
                    subject: format!("区{name}主管部门"),
                    channels: vec!["政府网站".into(), "政务公开专区".into()],
                    audience: Audience::Public,
                    mode: DisclosureMode::Proactive,
                    levels: vec!["区级".into()],
                    documents: Vec::new(),
                })
                .collect(),
        })
        .collect();
    Catalogue { domains }
}

fn document(i: usize, departments: &[Department], rng: &mut Rng) -> Document {
    let domain = rng.below(STANDARD_DOMAINS.len());
    let topic = rng.pick(DOMAIN_TOPICS[domain]);
    let kind = rng.pick(&DOCUMENT_KINDS);
    let issuer = &departments[domain].name;
    let written_on = date_between(rng, "2000-01-01", "2026-10-31");
    let published_on = written_on + Duration::days(rng.below(8) as i64);
    let year = written_on.format("%Y");
    let title = format!("{DISTRICT}{issuer}关于{}{topic}工作的{kind}", rng.pick(&ACTIONS));
    let sentence_count = 4 + rng.below(5);
    let body = (0..sentence_count)
        .map(|_| rng.pick(&SENTENCES).replace("{topic}", topic).replace("{district}", DISTRICT))
        .collect::<Vec<_>>()
        .join("\n");
    // One document in three has an attachment, as the search bench's attachments.
    let attachments = if rng.below(3) == 0 {
        vec![Attachment { title: format!("{topic}{}", rng.pick(&ATTACHMENT_KINDS)), format: "PDF".into(), file: None, pages: Vec::new() }]
    } else {
        Vec::new()
    };
    // Drawn in the order the fields once drew them, so the same seed makes the same documents.
    let doc_no = (rng.below(5) > 0).then(|| format!("{}〔{year}〕{}号", rng.pick(&ISSUER_ABBREVIATIONS), i + 1));
    let topic_class = rng.pick(&TOPIC_CLASSES).to_string();
    let validity = match rng.below(20) {
        0 => Validity::Repealed,
        1 | 2 => Validity::Expired,
        _ => Validity::Valid,
    };
    Document {
        id: format!("syn-{i:07}"),
        index_no: format!("SYN{domain:02}/{year}-{i:07}"),
        doc_no,
        title,
        issuer: issuer.clone(),
        written_on,
        published_on,
        topic: topic_class,
        domain: Some(STANDARD_DOMAINS[domain].0.into()),
        disclosure: Disclosure::Proactive,
        validity,
        // One in ten a 行政规范性文件 and one in a hundred a 规章, by number, so the draws
        // that make the rest stay as they were; a repealed one ended a month after publication.
        category: match i % 100 {
            0 => Some(Category::Rule),
            n if n % 10 == 0 => Some(Category::NormativeDocument),
            _ => None,
        },
        repealed_on: (validity == Validity::Repealed).then(|| published_on + Duration::days(30)),
        body,
        attachments,
        interpretations: Vec::new(),
    }
}

fn interpretation_of(document: &Document, rng: &mut Rng) -> Interpretation {
    Interpretation {
        id: format!("jd-{}", document.id),
        document: document.id.clone(),
        title: format!("《{}》政策解读", document.title),
        author: document.issuer.clone(),
        published_on: document.published_on + Duration::days(rng.below(3) as i64),
        text: format!("一、出台背景\n{}\n二、主要内容\n{}", rng.pick(&SENTENCES), rng.pick(&SENTENCES))
            .replace("{topic}", &document.title)
            .replace("{district}", DISTRICT),
        qa: Vec::new(),
        images: Vec::new(),
    }
}

fn date_between(rng: &mut Rng, from: &str, to: &str) -> NaiveDate {
    let from: NaiveDate = from.parse().unwrap_or_default();
    let to: NaiveDate = to.parse().unwrap_or_default();
    let span = (to - from).num_days().max(1) as usize;
    from + Duration::days(rng.below(span) as i64)
}
