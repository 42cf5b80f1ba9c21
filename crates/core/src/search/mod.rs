//! Chinese search for the kiosk: characters (any run, even inside a word), full pinyin,
//! pinyin initials and mixtures, 文号 pieces, with every reading of heteronyms. Plain Rust:
//! the kiosk's search screen calls it on every keystroke.

mod atoms;
mod index;
mod keys;
mod matcher;
mod naive;
mod normalize;
mod persist;
mod pinyin_table;
mod query;
mod record;
mod storage;
mod tally;

pub use index::{RecordInfo, SearchIndex};
pub use query::{Hit, MatchClass, SearchQuery, SearchResults, warm_up};
pub use naive::naive_search;
pub use normalize::{fold_text, is_hanzi, terms as query_terms};
pub use tally::SearchTally;
pub use record::{RecordKind, SearchRecord, document_records, part_id, records_from_content, sort_in_rank_order};
