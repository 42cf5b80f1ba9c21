//! tantivy with n-gram tokenizers: characters and digits as unigrams and bigrams in the
//! title, meta and body; the titles' pinyin and initials as letter n-grams up to three. A term
//! matches a field holding every n-gram of it (as our index matches a body: tantivy's n-grams
//! have no positions to check more), and hits are ranked by BM25 with title and pinyin
//! matches boosted above meta and body ones. The index is merged into one segment.

use std::path::Path;

use gongkai_core::search::SearchRecord;
use tantivy::{
    Index, ReloadPolicy, Searcher, TantivyDocument, Term as IndexTerm,
    merge_policy::NoMergePolicy,
    collector::{Count, TopDocs},
    columnar::Column,
    query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery},
    schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions},
    tokenizer::NgramTokenizer,
};

use super::{Indexed, Peer, Term, terms};

pub struct Tantivy {
    searcher: Searcher,
    /// Each segment's column of record positions, opened once.
    positions: Vec<Column<u64>>,
    fields: Fields,
}

struct Fields {
    position: Field,
    title: Field,
    meta: Field,
    body: Field,
    pinyin: Field,
    initials: Field,
}

/// The longest n-gram of each kind of field: characters carry more than letters.
const CHAR_GRAMS: usize = 2;
const LETTER_GRAMS: usize = 3;
/// The index writer's memory, shared by its threads.
const WRITER_BYTES: usize = 512 << 20;
/// Boosts of a match in the title or its pinyin, and in the meta fields, over the body.
const TITLE_BOOST: f32 = 10.0;
const META_BOOST: f32 = 3.0;

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqs))
    };
    let fields = Fields {
        position: builder.add_u64_field("position", FAST),
        title: builder.add_text_field("title", text("chars")),
        meta: builder.add_text_field("meta", text("chars")),
        body: builder.add_text_field("body", text("chars")),
        pinyin: builder.add_text_field("pinyin", text("letters")),
        initials: builder.add_text_field("initials", text("letters")),
    };
    (builder.build(), fields)
}

fn register_tokenizers(index: &Index) {
    index.tokenizers().register("chars", NgramTokenizer::new(1, CHAR_GRAMS, false).expect("n-gram tokenizer"));
    index.tokenizers().register("letters", NgramTokenizer::new(1, LETTER_GRAMS, false).expect("n-gram tokenizer"));
}

fn opened(index: Index, fields: Fields) -> Tantivy {
    register_tokenizers(&index);
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().expect("index reader");
    let searcher = reader.searcher();
    let positions = searcher.segment_readers().iter().map(|segment| segment.fast_fields().u64("position").expect("position column")).collect();
    Tantivy { searcher, positions, fields }
}

/// The n-grams of `text` that a field holding it must hold: all of the longest size indexed.
fn grams(text: &str, longest: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len().min(longest);
    chars.windows(n).map(|w| w.iter().collect()).collect()
}

/// Records whose `field` holds every n-gram of `text`, their score times `boost`.
fn every_gram(field: Field, text: &str, longest: usize, boost: f32) -> (Occur, Box<dyn Query>) {
    let all = grams(text, longest)
        .into_iter()
        .map(|gram| -> (Occur, Box<dyn Query>) {
            (Occur::Must, Box::new(TermQuery::new(IndexTerm::from_field_text(field, &gram), IndexRecordOption::WithFreqs)))
        })
        .collect();
    (Occur::Should, Box::new(BoostQuery::new(Box::new(BooleanQuery::new(all)), boost)))
}

impl Tantivy {
    fn query(&self, text: &str) -> Option<BooleanQuery> {
        let f = &self.fields;
        let each: Vec<(Occur, Box<dyn Query>)> = terms(text)
            .into_iter()
            .map(|term| {
                let (text, mut either) = match &term {
                    Term::Chars(text) => (text, Vec::new()),
                    Term::Letters(text) => {
                        let pinyin = [f.pinyin, f.initials].into_iter().map(|field| every_gram(field, text, LETTER_GRAMS, TITLE_BOOST));
                        (text, pinyin.collect())
                    }
                };
                either.extend([(f.title, TITLE_BOOST), (f.meta, META_BOOST), (f.body, 1.0)].into_iter().map(|(field, boost)| every_gram(field, text, CHAR_GRAMS, boost)));
                (Occur::Must, Box::new(BooleanQuery::new(either)) as Box<dyn Query>)
            })
            .collect();
        (!each.is_empty()).then(|| BooleanQuery::new(each))
    }
}

impl Peer for Tantivy {
    const NAME: &'static str = "tantivy n-gram";

    fn build(records: &[SearchRecord], dir: &Path) -> Self {
        let (schema, fields) = schema();
        let index = Index::create_in_dir(dir, schema).expect("create the tantivy index");
        register_tokenizers(&index);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(threads, WRITER_BYTES).expect("index writer");
        // One merge of everything at the end, rather than merges in the background that the
        // final one would race.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for (position, record) in records.iter().enumerate() {
            let f = Indexed::of(record);
            let mut document = TantivyDocument::default();
            document.add_u64(fields.position, position as u64);
            document.add_text(fields.title, f.title);
            document.add_text(fields.meta, f.meta);
            document.add_text(fields.body, f.body);
            document.add_text(fields.pinyin, f.pinyin);
            document.add_text(fields.initials, f.initials);
            writer.add_document(document).expect("add a record");
        }
        writer.commit().expect("commit");
        let segments = index.searchable_segment_ids().expect("segments");
        if segments.len() > 1 {
            writer.merge(&segments).wait().expect("merge into one segment");
        }
        writer.wait_merging_threads().expect("merge");
        opened(index, fields)
    }

    fn open(dir: &Path) -> Self {
        let index = Index::open_in_dir(dir).expect("open the tantivy index");
        let (_, fields) = schema();
        opened(index, fields)
    }

    fn search(&self, text: &str, limit: usize) -> (Vec<u32>, u64) {
        let Some(query) = self.query(text) else { return (Vec::new(), 0) };
        let (top, total) = self.searcher.search(&query, &(TopDocs::with_limit(limit).order_by_score(), Count)).expect("tantivy search");
        let hits = top.into_iter().map(|(_, at)| self.positions[at.segment_ord as usize].first(at.doc_id).expect("a position") as u32).collect();
        (hits, total as u64)
    }
}
