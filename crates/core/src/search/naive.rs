//! The baseline the index is measured against: the same query read the same way, checked
//! record by record with plain substring and pinyin matching. Bodies are searched exactly.

use super::{
    atoms::{has_latin, literal, pinyin_alternatives},
    matcher::{TitlePlace, matches_in_main_readings, title_place},
    normalize::{fold_text, terms},
    query::{Hit, MatchClass, SearchQuery, SearchResults},
    record::SearchRecord,
};

/// `records` must be in `sort_in_rank_order` order; hits refer to positions in it.
pub fn naive_search(records: &[SearchRecord], query: &SearchQuery) -> SearchResults {
    let terms = terms(query.text);
    if terms.is_empty() {
        return SearchResults::default();
    }
    let alternatives: Vec<_> = terms
        .iter()
        .map(|term| {
            let mut alternatives = vec![literal(term)];
            if has_latin(term) {
                alternatives.extend(pinyin_alternatives(term));
            }
            alternatives
        })
        .collect();
    let phrase = terms.join(" ");
    // (beyond the title, detail, class, not preferred within the class, record number): the
    // index's ranking order.
    let mut matched: Vec<(bool, bool, MatchClass, bool, u32)> = Vec::new();
    for (number, record) in records.iter().enumerate() {
        let allowed = (query.kinds.is_empty() || query.kinds.contains(&record.kind))
            && query.domain.is_none_or(|d| record.domain.as_deref() == Some(d))
            && query.year.is_none_or(|y| record.year() == Some(y));
        if !allowed {
            continue;
        }
        let title: Vec<char> = fold_text(&record.title).chars().collect();
        let meta = fold_text(&record.meta);
        let body = fold_text(&record.body);
        let class_of = |(term, alternatives): (&String, &Vec<Vec<_>>)| {
            let place = alternatives.iter().filter_map(|atoms| title_place(&title, atoms)).min();
            match place {
                Some(TitlePlace::Whole) if terms.len() == 1 => Some(MatchClass::WholeTitle),
                Some(TitlePlace::Start) | Some(TitlePlace::Whole) if terms.len() == 1 => Some(MatchClass::TitleStart),
                Some(_) => Some(MatchClass::Title),
                None if meta.contains(term.as_str()) => Some(MatchClass::Meta),
                None if body.contains(term.as_str()) => Some(MatchClass::Body),
                None => None,
            }
        };
        let classes: Option<Vec<MatchClass>> = terms.iter().zip(&alternatives).map(class_of).collect();
        if let Some(worst) = classes.and_then(|c| c.into_iter().max()) {
            let not_preferred = match worst {
                MatchClass::Title => {
                    !alternatives.iter().all(|alts| alts.iter().any(|atoms| matches_in_main_readings(&title, atoms)))
                }
                MatchClass::Meta => terms.len() > 1 && !meta.contains(phrase.as_str()),
                _ => false,
            };
            matched.push((worst > MatchClass::Title, record.kind.is_detail(), worst, not_preferred, number as u32));
        }
    }
    matched.sort();
    SearchResults {
        total: matched.len() as u64,
        total_is_estimate: false,
        hits: matched.into_iter().take(query.limit).map(|(_, _, class, _, record)| Hit { record, class }).collect(),
    }
}
