//! Search finds everything a visitor can see on the demo: typing the title shown on screen
//! finds the item, and the hit opens where the item is. Natural persons are never found by name.

use std::path::Path;

use gongkai_core::{
    content::{
        check::check_bundle,
        model::{Content, PartyType, label_of},
    },
    library::{Library, Position},
    search::{RecordKind, SearchQuery, part_id, records_from_content},
};

fn demo() -> Library {
    let checked = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &gongkai_testkit::fixed_options());
    assert!(checked.problems.is_empty());
    Library::new(checked.content, gongkai_testkit::DEMO_BUNDLE)
}

/// Every item of the new kinds: its kind, id, the title a visitor reads, and where it opens.
fn shown_items(content: &Content) -> Vec<(RecordKind, String, String, Position)> {
    let mut items = Vec::new();
    for (i, n) in content.notices.iter().enumerate() {
        items.push((RecordKind::Notice, n.id.clone(), n.title.clone(), Position::Notice(i)));
    }
    for (i, c) in content.consultations.iter().enumerate() {
        items.push((RecordKind::Consultation, c.id.clone(), c.title.clone(), Position::Consultation(i)));
    }
    for (community, c) in content.communities.iter().enumerate() {
        for (post, (_, p)) in c.posts().enumerate() {
            items.push((RecordKind::CommunityPost, part_id(&c.id, post), p.title.clone(), Position::CommunityPost { community, post }));
        }
    }
    for (i, r) in content.admin_results.records.iter().enumerate() {
        items.push((RecordKind::AdminRecord, r.id.clone(), r.matter.clone(), Position::AdminRecord(i)));
        items.push((RecordKind::AdminRecord, r.id.clone(), r.decision_no.clone(), Position::AdminRecord(i)));
        if r.party.party_type != PartyType::NaturalPerson {
            items.push((RecordKind::AdminRecord, r.id.clone(), r.party.name.clone(), Position::AdminRecord(i)));
        }
    }
    for (i, d) in content.documents.iter().enumerate() {
        for (n, a) in d.attachments.iter().enumerate() {
            items.push((RecordKind::Attachment, part_id(&d.id, n), a.title.clone(), Position::Document(i)));
        }
    }
    for (i, k) in content.key_work.iter().enumerate() {
        for (n, m) in k.milestones.iter().enumerate() {
            items.push((RecordKind::Milestone, part_id(&k.id, n), m.title.clone(), Position::KeyWork(i)));
        }
    }
    items
}

#[test]
fn every_title_on_screen_finds_its_item_and_opens_where_it_is() {
    let library = demo();
    let items = shown_items(&library.content);
    for kind in [RecordKind::Notice, RecordKind::CommunityPost, RecordKind::AdminRecord, RecordKind::Attachment, RecordKind::Milestone] {
        assert!(items.iter().filter(|i| i.0 == kind).count() >= 5, "the demo has {kind:?} items to find");
    }
    let mut missed = Vec::new();
    for (kind, id, title, position) in &items {
        // Only this kind, so that a title shared with many documents cannot crowd it out.
        let found = library.search.search(&SearchQuery { text: title, kinds: &[*kind], limit: 10_000, ..Default::default() });
        if !found.hits.iter().any(|h| library.search.record(h.record).id == id) {
            missed.push(format!("{kind:?} {id}: {title}"));
        }
        assert_eq!(library.locate(*kind, id), Some(*position), "{kind:?} {id}");
    }
    assert!(missed.is_empty(), "{} of {} not found:\n{}", missed.len(), items.len(), missed.join("\n"));
}

#[test]
fn a_natural_person_is_not_found_by_name() {
    let library = demo();
    let content = &library.content;
    let people: Vec<_> = content.admin_results.records.iter().filter(|r| r.party.party_type == PartyType::NaturalPerson).collect();
    assert!(people.len() >= 5, "the demo has decisions about natural persons");
    // The masked name is in no field of the record the index holds.
    for indexed in records_from_content(content).iter().filter(|r| r.kind == RecordKind::AdminRecord) {
        let Some(Position::AdminRecord(i)) = library.locate(RecordKind::AdminRecord, &indexed.id) else { panic!("{}", indexed.id) };
        let party = &content.admin_results.records[i].party;
        if party.party_type == PartyType::NaturalPerson {
            let fields = [&indexed.title, &indexed.meta, &indexed.body];
            assert!(fields.iter().all(|f| !f.contains(&party.name)), "{} indexes {}: {fields:?}", indexed.id, party.name);
        }
    }
    // Nor does the surname find a decision whose other fields do not hold it.
    for record in people {
        let name = &record.party.name;
        assert!(name.ends_with('*'), "masked in the content: {name}");
        let surname: String = name.chars().take_while(|c| *c != '*').collect();
        let found = library.search.search(&SearchQuery { text: &surname, kinds: &[RecordKind::AdminRecord], limit: 10_000, ..Default::default() });
        for hit in found.hits {
            let id = library.search.record(hit.record).id;
            let Some(Position::AdminRecord(i)) = library.locate(RecordKind::AdminRecord, id) else { panic!("{id}") };
            let r = &content.admin_results.records[i];
            let searchable =
                format!("{}{}{}{}{}", r.matter, r.result, r.decision_no, library.department_name(&r.authority), label_of(&r.kind));
            let named = r.party.party_type == PartyType::NaturalPerson && !searchable.contains(&surname);
            assert!(!named, "{} found by the surname of {} ({surname})", r.id, r.party.name);
        }
    }
}

#[test]
fn an_attachment_title_finds_the_attachment_before_body_matches_of_documents() {
    let library = demo();
    let (document, attachment) = library
        .content
        .documents
        .iter()
        .find_map(|d| d.attachments.first().map(|a| (d, a)))
        .expect("the demo has attachments");
    let found = library.search.search(&SearchQuery { text: &attachment.title, limit: 5, ..Default::default() });
    let top: Vec<_> = found.hits.iter().map(|h| library.search.record(h.record)).collect();
    let own = part_id(&document.id, 0);
    assert!(top.iter().any(|r| r.kind == RecordKind::Attachment && r.id == own), "{top:?}");
}
