//! Answering a query: each term becomes sets of records matching in the title, the meta
//! fields and the body; the classes are ranked title before meta before body, a whole title
//! before a title start before a match inside it, and newer before older within a class.

use std::{cell::RefCell, rc::Rc};

use roaring::RoaringBitmap;
use rustc_hash::FxHashMap;

use super::{
    atoms::{Atom, has_latin, literal, pinyin_alternatives},
    index::SearchIndex,
    keys::{self, Field},
    matcher::{TitlePlace, matches_in_main_readings, starts_with, title_place},
    normalize::terms,
    pinyin_table::table,
    record::RecordKind,
};

#[derive(Debug, Clone, Default)]
pub struct SearchQuery<'a> {
    pub text: &'a str,
    /// Only these kinds; empty means all.
    pub kinds: &'a [RecordKind],
    pub domain: Option<&'a str>,
    pub year: Option<i32>,
    /// How many hits to return (the total counts all).
    pub limit: usize,
}

/// How well a record matches, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchClass {
    WholeTitle,
    TitleStart,
    Title,
    Meta,
    Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub record: u32,
    pub class: MatchClass,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// Every matching record, not only the hits returned.
    pub total: u64,
    /// The total includes title candidates not checked one by one (a very common short
    /// pinyin sequence): show it as 约 N.
    pub total_is_estimate: bool,
    pub hits: Vec<Hit>,
}

/// Candidates checked one by one at most; past this a term's title matches are checked only
/// as they are ranked, which keeps every keystroke fast on a million records.
const VERIFY_LIMIT: u64 = 2_000;
/// Title-start candidates examined for the "title starts with" class.
const START_SCAN_LIMIT: usize = 4_000;
/// Matches of a class examined for its preferred order (main readings, adjacent terms).
const PREFERENCE_SCAN: usize = 4_000;
/// Candidates few enough to check against their titles rather than narrow further with
/// more posting lists.
const CHECK_DIRECTLY: u64 = 256;

/// How one class of matches is ranked.
struct Class<'a> {
    name: MatchClass,
    /// Ranked before the others of the class: title matches in main readings (dibao: 低保
    /// before 的(di)报告), meta matches with the terms side by side.
    preferred: &'a dyn Fn(u32) -> bool,
    /// Confirms matches the posting lists only suggested.
    confirmed: &'a dyn Fn(u32) -> bool,
}

/// The records one term matches, by field.
struct TermMatch {
    alternatives: Vec<Vec<Atom>>,
    title: RoaringBitmap,
    /// Part of `title` that the posting lists suggest but that was not checked yet.
    unverified: RoaringBitmap,
    /// Title matches that may start at the title's first character (checked when ranked).
    starts: RoaringBitmap,
    meta: RoaringBitmap,
    /// Part of `meta` not checked yet (too many candidates to check them all).
    meta_unverified: RoaringBitmap,
    body: RoaringBitmap,
}

impl SearchIndex {
    pub fn search(&self, query: &SearchQuery) -> SearchResults {
        let terms = terms(query.text);
        if terms.is_empty() || self.is_empty() {
            return SearchResults::default();
        }
        let scope = self.scope(query);
        let lookup = Lookup::new(self);
        let matches: Vec<TermMatch> = terms.iter().map(|t| lookup.evaluate(t, scope.as_ref())).collect();

        let all = |pick: &dyn Fn(&TermMatch) -> RoaringBitmap| {
            let mut sets = matches.iter().map(pick);
            let first = sets.next().unwrap_or_default();
            sets.fold(first, |acc, set| acc & set)
        };
        let in_title = all(&|m| m.title.clone());
        let in_title_or_meta = all(&|m| &m.title | &m.meta);
        let anywhere = all(&|m| &(&m.title | &m.meta) | &m.body);

        let mut ranked = Ranked { hits: Vec::new(), limit: query.limit };
        // Title matches first, items before the details that share their words
        // (`RecordKind::is_detail`); then meta and body matches, items before details again.
        // Records are numbered items first, so a tier is a range of numbers.
        let tiers = self.tiers();
        let mut same_length = None;
        let in_main_readings = |record: u32| {
            let title = self.titles.get(record);
            matches.iter().all(|m| m.alternatives.iter().any(|atoms| matches_in_main_readings(title, atoms)))
        };
        let title_class = Class { name: MatchClass::Title, preferred: &in_main_readings, confirmed: &|r| self.title_confirmed(&matches, r) };
        for tier in &tiers {
            // Once a page of hits is ranked, the rest are only counted.
            if ranked.full() {
                break;
            }
            if let [single] = matches.as_slice() {
                let same_length = same_length.get_or_insert_with(|| lookup.title_lengths(&single.alternatives));
                self.rank_title_starts(single, same_length, tier, &mut ranked);
            }
            let placed: RoaringBitmap = ranked.hits.iter().map(|h| h.record).collect();
            self.rank_class(&(&(&in_title & tier) - &placed), &title_class, &mut ranked);
        }
        // Several terms written together, as in a 文号 (〔2024〕12 → "2024 12"), rank first.
        let phrase = terms.join(" ");
        let adjacent_in_meta = |record: u32| terms.len() == 1 || self.metas.get(record).contains(phrase.as_str());
        let meta_class = Class { name: MatchClass::Meta, preferred: &adjacent_in_meta, confirmed: &|r| self.meta_confirmed(&terms, &matches, r) };
        if !ranked.full() {
            let meta_only = &in_title_or_meta - &in_title;
            let body_only = &anywhere - &in_title_or_meta;
            for tier in &tiers {
                if ranked.full() {
                    break;
                }
                self.rank_class(&(&meta_only & tier), &meta_class, &mut ranked);
                ranked.take(&(&body_only & tier), MatchClass::Body);
            }
        }
        let total_is_estimate = matches.iter().any(|m| !m.unverified.is_empty() || !m.meta_unverified.is_empty());
        SearchResults { total: anywhere.len(), total_is_estimate, hits: ranked.hits }
    }

    /// Ranks one class: the `preferred` records first (looked for among the newest
    /// `PREFERENCE_SCAN` candidates), then the rest; newest first in each group.
    fn rank_class(&self, candidates: &RoaringBitmap, class: &Class, ranked: &mut Ranked) {
        let mut first = RoaringBitmap::new();
        for record in candidates.iter().take(PREFERENCE_SCAN) {
            if ranked.full() {
                return;
            }
            if (class.preferred)(record) && (class.confirmed)(record) {
                first.insert(record);
                ranked.hits.push(Hit { record, class: class.name });
            }
        }
        let rest = (candidates - &first).into_iter().filter(|r| (class.confirmed)(*r));
        ranked.push_all(rest, class.name);
    }

    /// Checks the meta matches the posting lists only suggested (terms found in the title
    /// need no meta match).
    fn meta_confirmed(&self, terms: &[String], matches: &[TermMatch], record: u32) -> bool {
        terms.iter().zip(matches).all(|(term, m)| {
            !m.meta_unverified.contains(record)
                || (m.title.contains(record) && !m.unverified.contains(record))
                || self.metas.get(record).contains(term.as_str())
        })
    }

    /// Checks the title matches the posting lists only suggested.
    fn title_confirmed(&self, matches: &[TermMatch], record: u32) -> bool {
        let title = self.titles.get(record);
        matches.iter().all(|m| {
            !m.unverified.contains(record) || m.alternatives.iter().any(|atoms| title_place(title, atoms).is_some())
        })
    }

    /// The record numbers of the items, then of the details (the tiers that are not empty).
    fn tiers(&self) -> Vec<RoaringBitmap> {
        let len = self.len() as u32;
        let first_detail = RecordKind::ALL
            .iter()
            .filter(|k| k.is_detail())
            .filter_map(|k| self.by_kind.get(k).and_then(RoaringBitmap::min))
            .min()
            .unwrap_or(len);
        [0..first_detail, first_detail..len]
            .into_iter()
            .filter(|range| !range.is_empty())
            .map(|range| {
                let mut tier = RoaringBitmap::new();
                tier.insert_range(range);
                tier
            })
            .collect()
    }

    /// Records allowed by the filters; `None` when nothing is filtered.
    fn scope(&self, query: &SearchQuery) -> Option<RoaringBitmap> {
        let mut scope: Option<RoaringBitmap> = None;
        let mut restrict = |set: RoaringBitmap| {
            scope = Some(match scope.take() {
                Some(current) => current & set,
                None => set,
            });
        };
        if !query.kinds.is_empty() {
            restrict(query.kinds.iter().filter_map(|k| self.by_kind.get(k)).fold(RoaringBitmap::new(), |a, b| a | b));
        }
        if let Some(domain) = query.domain {
            restrict(self.by_domain.get(domain).cloned().unwrap_or_default());
        }
        if let Some(year) = query.year {
            restrict(self.by_year.get(&year).cloned().unwrap_or_default());
        }
        scope
    }

    /// Whole-title and title-start matches of a one-term query within `tier`, newest first in
    /// each class. `same_length`: titles as long as one of the term's readings.
    fn rank_title_starts(&self, term: &TermMatch, same_length: &RoaringBitmap, tier: &RoaringBitmap, ranked: &mut Ranked) {
        let place = |record: u32| {
            let title = self.titles.get(record);
            term.alternatives.iter().filter_map(|atoms| title_place(title, atoms)).min()
        };
        let starts = &term.starts & tier;
        let whole: Vec<u32> = (&starts & same_length).iter().filter(|r| place(*r) == Some(TitlePlace::Whole)).collect();
        ranked.push_all(whole.iter().copied(), MatchClass::WholeTitle);
        let starts_here = |record: u32| {
            let title = self.titles.get(record);
            term.alternatives.iter().any(|atoms| starts_with(title, atoms))
        };
        for record in starts.iter().filter(|r| !whole.contains(r)).take(START_SCAN_LIMIT) {
            if ranked.full() {
                return;
            }
            if starts_here(record) {
                ranked.hits.push(Hit { record, class: MatchClass::TitleStart });
            }
        }
    }
}

/// A posting list or a set derived from it, shared rather than copied within one query.
type Set = Rc<RoaringBitmap>;

/// One query's view of the index: each posting list is decoded once, and each run of atoms
/// intersected once, however many readings of the query ask for them.
struct Lookup<'a> {
    index: &'a SearchIndex,
    cache: RefCell<FxHashMap<u64, Set>>,
    /// Candidates of the first atoms of a reading, and whether they are exact: readings of a
    /// long run of pinyin share their beginnings.
    runs: RefCell<FxHashMap<Vec<Atom>, (Set, bool)>>,
}

impl Lookup<'_> {
    fn new(index: &SearchIndex) -> Lookup<'_> {
        Lookup { index, cache: RefCell::default(), runs: RefCell::default() }
    }

    fn evaluate(&self, term: &str, scope: Option<&RoaringBitmap>) -> TermMatch {
        let chars: Vec<char> = term.chars().collect();
        let within = |set: &RoaringBitmap| match scope {
            Some(scope) => set & scope,
            None => set.clone(),
        };
        // Meta and body: the term as written. Meta is checked exactly; bodies are not kept
        // in memory, so a body matches when every adjacent pair of the term occurs in it.
        let meta = within(&self.char_grams(Field::Meta, &chars));
        let (meta, meta_unverified) = if chars.len() > 2 {
            check_or_defer(meta, |r| self.index.metas.get(r).contains(term))
        } else {
            (meta, RoaringBitmap::new())
        };
        let body = within(&self.char_grams(Field::Body, &chars));

        let mut alternatives = vec![literal(term)];
        if has_latin(term) {
            alternatives.extend(pinyin_alternatives(term));
        }
        let mut title = RoaringBitmap::new();
        let mut unverified = RoaringBitmap::new();
        let mut certain = RoaringBitmap::new();
        let mut starts = RoaringBitmap::new();
        for atoms in &alternatives {
            let (candidates, exact) = self.atom_candidates(atoms);
            let mut found = within(&candidates);
            if exact {
                certain |= &found;
            } else {
                let (matches, deferred) =
                    check_or_defer(found, |r| title_place(self.index.titles.get(r), atoms).is_some());
                certain |= &matches - &deferred;
                found = matches;
                unverified |= deferred;
            }
            starts |= &found & &*self.first_position(atoms);
            title |= found;
        }
        // A record one reading defers may be certain through another.
        unverified -= &certain;
        TermMatch { alternatives, title, unverified, starts, meta, meta_unverified, body }
    }

    /// Records that may match `atoms` somewhere in the title, and whether that is certain.
    /// Adjacent pairs narrow the candidates until few are left; those few are checked against
    /// their titles, which spares decoding the posting lists of the remaining pairs.
    fn atom_candidates(&self, atoms: &[Atom]) -> (Set, bool) {
        if let [atom] = atoms {
            return (self.single_atom(atom), true);
        }
        let mut found: Option<(Set, bool)> = None;
        for end in 2..=atoms.len() {
            let run = &atoms[..end];
            let known = self.runs.borrow().get(run).cloned();
            let (set, exact) = match (known, &found) {
                (Some(known), _) => known,
                (None, previous) => {
                    let (pair, pair_exact) = self.atom_pair(&atoms[end - 2], &atoms[end - 1]);
                    // Two atoms are exact when their pair is; more are side by side
                    // pairwise but maybe not all in one place.
                    let narrowed = match previous {
                        Some((set, _)) => (Rc::new(&**set & &*pair), false),
                        None => (pair, pair_exact),
                    };
                    self.runs.borrow_mut().insert(run.to_vec(), narrowed.clone());
                    narrowed
                }
            };
            if set.is_empty() {
                // Certain: no title has this run, so none has the whole sequence.
                return (set, true);
            }
            if end < atoms.len() && set.len() <= CHECK_DIRECTLY {
                let titles = &self.index.titles;
                let checked = set.iter().filter(|r| title_place(titles.get(*r), atoms).is_some()).collect();
                return (Rc::new(checked), true);
            }
            found = Some((set, exact));
        }
        found.unwrap_or_default()
    }

    fn single_atom(&self, atom: &Atom) -> Set {
        match atom {
            Atom::Char(c) => self.posting(keys::char(Field::Title, *c)),
            Atom::Syllable(s) => self.posting(keys::syllable(*s)),
            Atom::Initial(l) => self.posting(keys::initial(*l)),
            Atom::Prefix(list) => self.union(list.iter().map(|s| keys::syllable(*s))),
        }
    }

    /// Titles with these two atoms side by side, and whether that set is exact. A hanzi
    /// written as itself pairs through its readings, which may also match other characters.
    fn atom_pair(&self, a: &Atom, b: &Atom) -> (Set, bool) {
        let t = table();
        let as_reading = |atom: &Atom| match atom {
            Atom::Char(c) if !t.readings(*c).is_empty() => Some(Atom::Prefix(t.readings(*c).to_vec())),
            _ => None,
        };
        match (a, b) {
            (Atom::Char(x), Atom::Char(y)) => (self.posting(keys::char_pair(Field::Title, *x, *y)), true),
            (Atom::Syllable(x), Atom::Syllable(y)) => (self.posting(keys::syllable_pair(*x, *y)), true),
            (Atom::Initial(x), Atom::Initial(y)) => (self.posting(keys::initial_pair(*x, *y)), true),
            (Atom::Syllable(x), Atom::Initial(y)) => (self.posting(keys::syllable_initial(*x, *y)), true),
            (Atom::Initial(x), Atom::Syllable(y)) => (self.posting(keys::initial_syllable(*x, *y)), true),
            (Atom::Syllable(x), Atom::Prefix(list)) => {
                (self.union(list.iter().map(|y| keys::syllable_pair(*x, *y))), true)
            }
            (Atom::Initial(x), Atom::Prefix(list)) => {
                (self.union(list.iter().map(|y| keys::initial_syllable(*x, *y))), true)
            }
            (Atom::Prefix(list), other) => {
                let sets = list.iter().map(|x| self.atom_pair(&Atom::Syllable(*x), other).0);
                (Rc::new(sets.fold(RoaringBitmap::new(), |acc, set| acc | &*set)), false)
            }
            _ => match (as_reading(a), as_reading(b)) {
                (Some(x), _) => (self.atom_pair(&x, b).0, false),
                (None, Some(y)) => (self.atom_pair(a, &y).0, false),
                (None, None) => (Rc::new(&*self.single_atom(a) & &*self.single_atom(b)), false),
            },
        }
    }

    /// Titles whose first characters match the start of `atoms`.
    fn first_position(&self, atoms: &[Atom]) -> Set {
        match atoms {
            [Atom::Char(x), Atom::Char(y), ..] => self.posting(keys::first_char_pair(*x, *y)),
            [Atom::Syllable(x), Atom::Syllable(y), ..] => self.posting(keys::first_syllable_pair(*x, *y)),
            [Atom::Initial(x), Atom::Initial(y), ..] => self.posting(keys::first_initial_pair(*x, *y)),
            [Atom::Char(c), ..] => self.posting(keys::first_char(*c)),
            [Atom::Syllable(s), ..] => self.posting(keys::first_syllable(*s)),
            [Atom::Initial(l), ..] => self.posting(keys::first_initial(*l)),
            [Atom::Prefix(list), ..] => self.union(list.iter().map(|s| keys::first_syllable(*s))),
            [] => Set::default(),
        }
    }

    /// Titles as long as one of `alternatives`, for the whole-title class.
    fn title_lengths(&self, alternatives: &[Vec<Atom>]) -> RoaringBitmap {
        let mut lengths: Vec<usize> = alternatives.iter().map(Vec::len).collect();
        lengths.sort_unstable();
        lengths.dedup();
        self.union(lengths.into_iter().map(keys::title_length)).as_ref().clone()
    }

    /// Records with all adjacent character pairs of `chars` in `field` (one character: itself).
    fn char_grams(&self, field: Field, chars: &[char]) -> Set {
        match chars {
            [] => Set::default(),
            [c] => self.posting(keys::char(field, *c)),
            _ => intersect_all(chars.windows(2).map(|p| self.posting(keys::char_pair(field, p[0], p[1]))).collect()),
        }
    }

    /// A posting list, decoded at most once per query.
    fn posting(&self, key: u64) -> Set {
        let mut cache = self.cache.borrow_mut();
        cache.entry(key).or_insert_with(|| Rc::new(self.index.postings.get(key).unwrap_or_default())).clone()
    }

    fn union(&self, keys: impl Iterator<Item = u64>) -> Set {
        Rc::new(keys.fold(RoaringBitmap::new(), |acc, key| acc | &*self.posting(key)))
    }
}

/// Candidates the posting lists only suggest: checked one by one when there are few;
/// otherwise all kept and also returned as deferred, to be checked as they are ranked.
/// Returns (matches, deferred part of them).
fn check_or_defer(candidates: RoaringBitmap, check: impl Fn(u32) -> bool) -> (RoaringBitmap, RoaringBitmap) {
    if candidates.len() <= VERIFY_LIMIT {
        (candidates.iter().filter(|r| check(*r)).collect(), RoaringBitmap::new())
    } else {
        (candidates.clone(), candidates)
    }
}

/// Intersection, smallest first so that the work shrinks as early as possible.
fn intersect_all(mut sets: Vec<Set>) -> Set {
    sets.sort_by_key(|set| set.len());
    let mut sets = sets.into_iter();
    let first = sets.next().unwrap_or_default();
    sets.fold(first, |acc, set| if acc.is_empty() { acc } else { Rc::new(&*acc & &*set) })
}

/// Hits in rank order, up to the limit.
struct Ranked {
    hits: Vec<Hit>,
    limit: usize,
}

impl Ranked {
    fn full(&self) -> bool {
        self.hits.len() >= self.limit
    }

    fn push_all(&mut self, records: impl Iterator<Item = u32>, class: MatchClass) {
        for record in records {
            if self.full() {
                return;
            }
            self.hits.push(Hit { record, class });
        }
    }

    fn take(&mut self, records: &RoaringBitmap, class: MatchClass) {
        self.push_all(records.iter(), class);
    }
}

/// The reading table is built on first use; building it early keeps the first keystroke fast.
pub fn warm_up() {
    let _ = table();
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::search::SearchRecord;

    fn record(id: &str, title: &str, meta: &str, body: &str, date: &str) -> SearchRecord {
        SearchRecord {
            kind: if id.starts_with('g') { RecordKind::Guide } else { RecordKind::Document },
            id: id.into(),
            title: title.into(),
            meta: meta.into(),
            body: body.into(),
            date: date.parse::<NaiveDate>().ok(),
            domain: id.starts_with('d').then(|| "shbx".to_string()),
        }
    }

    fn index() -> SearchIndex {
        SearchIndex::build(vec![
            record("d-old-inside", "关于养老保险的通知", "云人社发〔2020〕3号", "", "2020-01-01"),
            record("d-new-inside", "城乡居民养老保险实施办法", "云人社发〔2024〕12号", "", "2024-05-01"),
            record("d-start", "养老保险待遇调整", "云人社发〔2022〕19号", "", "2022-03-01"),
            record("d-whole", "养老保险", "", "", "2019-01-01"),
            record("x-meta", "工作动态", "区养老保险服务中心", "", "2025-01-01"),
            record("x-body", "社区公告", "", "参加养老保险的居民", "2025-06-01"),
            record("g-undated", "养老保险参保登记", "", "", ""),
        ])
    }

    fn ids(index: &SearchIndex, query: &SearchQuery) -> Vec<String> {
        index.search(query).hits.iter().map(|h| index.record(h.record).id.to_string()).collect()
    }

    fn search(text: &str) -> SearchQuery<'_> {
        SearchQuery { text, limit: 20, ..SearchQuery::default() }
    }

    #[test]
    fn ranks_whole_start_inside_meta_body_then_newer_first() {
        let index = index();
        assert_eq!(
            ids(&index, &search("养老保险")),
            ["d-whole", "d-start", "g-undated", "d-new-inside", "d-old-inside", "x-meta", "x-body"]
        );
        assert_eq!(index.search(&search("养老保险")).total, 7);
    }

    #[test]
    fn pinyin_and_initials_reach_titles_only() {
        let index = index();
        assert_eq!(ids(&index, &search("ylbx"))[..2], ["d-whole", "d-start"]);
        assert_eq!(ids(&index, &search("yanglao baoxian"))[0], "d-whole");
        assert!(!ids(&index, &search("ylbx")).contains(&"x-body".to_string()));
    }

    #[test]
    fn document_numbers_by_pieces() {
        let index = index();
        assert_eq!(ids(&index, &search("2024 12号")), ["d-new-inside"]);
        assert_eq!(ids(&index, &search("〔2022〕19")), ["d-start"]);
    }

    #[test]
    fn adjacent_pieces_of_a_document_number_rank_first() {
        let index = SearchIndex::build(vec![
            record("d-scattered", "通知", "云府发〔2019〕3号 11360402/2024-00412", "", "2025-01-01"),
            record("d-exact", "通知", "云府发〔2024〕12号", "", "2024-01-01"),
        ]);
        assert_eq!(ids(&index, &search("〔2024〕12")), ["d-exact", "d-scattered"]);
    }

    #[test]
    fn filters_by_kind_domain_and_year() {
        let index = index();
        let guides = [RecordKind::Guide];
        let only_guides = SearchQuery { kinds: &guides, ..search("养老") };
        assert_eq!(ids(&index, &only_guides), ["g-undated"]);
        let in_2024 = SearchQuery { year: Some(2024), ..search("养老") };
        assert_eq!(ids(&index, &in_2024), ["d-new-inside"]);
        let in_domain = SearchQuery { domain: Some("shbx"), ..search("养老") };
        assert_eq!(index.search(&in_domain).total, 4);
    }

    #[test]
    fn limit_keeps_the_total() {
        let index = index();
        let results = index.search(&SearchQuery { limit: 2, ..search("保险") });
        assert_eq!((results.hits.len(), results.total), (2, 7));
        assert!(index.search(&search("  ")).hits.is_empty());
        assert_eq!(index.search(&search("不存在的词")).total, 0);
    }
}
