//! tantivy with n-gram tokenizers: characters and digits as unigrams and bigrams in the
//! title, meta and body; the titles' pinyin and initials as letter n-grams up to three. A term
//! matches a field holding every n-gram of it (as our index matches a body), and hits are
//! ranked by tantivy's BM25.

use std::path::Path;

use gongkai_core::search::SearchRecord;
use tantivy::{
    Index, IndexReader, TantivyDocument, Term as IndexTerm,
    collector::{Count, TopDocs},
    query::{BooleanQuery, Occur, Query, TermQuery},
    schema::{Field, FAST, IndexRecordOption, Schema, TextFieldIndexing, TextOptions},
    tokenizer::NgramTokenizer,
};

use super::{Peer, Term, terms, title_pinyin};

pub struct Tantivy {
    reader: IndexReader,
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
    Tantivy { reader: index.reader().expect("index reader"), fields }
}

/// The n-grams of `text` that a field holding it must hold: all of the longest size indexed.
fn grams(text: &str, longest: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len().min(longest);
    chars.windows(n).map(|w| w.iter().collect()).collect()
}

impl Tantivy {
    /// Records whose `field` holds every n-gram of `text`.
    fn every_gram(&self, field: Field, text: &str, longest: usize) -> Box<dyn Query> {
        let all = grams(text, longest)
            .into_iter()
            .map(|gram| -> (Occur, Box<dyn Query>) {
                (Occur::Must, Box::new(TermQuery::new(IndexTerm::from_field_text(field, &gram), IndexRecordOption::WithFreqs)))
            })
            .collect();
        Box::new(BooleanQuery::new(all))
    }

    fn query(&self, text: &str) -> Option<BooleanQuery> {
        let f = &self.fields;
        let each: Vec<(Occur, Box<dyn Query>)> = terms(text)
            .into_iter()
            .map(|term| {
                let either: Vec<(Occur, Box<dyn Query>)> = match &term {
                    Term::Chars(text) => [f.title, f.meta, f.body].into_iter().map(|field| (Occur::Should, self.every_gram(field, text, CHAR_GRAMS))).collect(),
                    Term::Letters(text) => [f.pinyin, f.initials].into_iter().map(|field| (Occur::Should, self.every_gram(field, text, LETTER_GRAMS))).collect(),
                };
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
        for (position, record) in records.iter().enumerate() {
            let (pinyin, initials) = title_pinyin(&record.title);
            let mut document = TantivyDocument::default();
            document.add_u64(fields.position, position as u64);
            document.add_text(fields.title, &record.title);
            document.add_text(fields.meta, &record.meta);
            document.add_text(fields.body, &record.body);
            document.add_text(fields.pinyin, pinyin);
            document.add_text(fields.initials, initials);
            writer.add_document(document).expect("add a record");
        }
        writer.commit().expect("commit");
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
        let searcher = self.reader.searcher();
        let (top, total) = searcher.search(&query, &(TopDocs::with_limit(limit).order_by_score(), Count)).expect("tantivy search");
        let hits = top
            .into_iter()
            .map(|(_, address)| {
                let positions = searcher.segment_reader(address.segment_ord).fast_fields().u64("position").expect("position column");
                positions.first(address.doc_id).expect("a position") as u32
            })
            .collect();
        (hits, total as u64)
    }
}
