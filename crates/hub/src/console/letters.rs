//! The 文书 of a case: the card that lists those its steps have sent so far, and each as a PDF
//! to print or send, filled in from the case (`crate::letters`).

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use maud::{Markup, html};

use gongkai_core::print::pdf::Pdf;

use super::{PDF, auth, blocking, download, organs, unavailable};
use crate::{
    Hub,
    letters::{self, Letter, Office},
    submissions::{query_code::QueryCode, store::Submission},
};

/// The card on an application's page; nothing for other kinds of submission.
pub fn card(hub: &Hub, submission: &Submission) -> Markup {
    let available = Letter::available(submission);
    html! {
        @if !available.is_empty() {
            div class="card" id="letters" {
                h2 { "文书" }
                ul {
                    @for letter in available {
                        li { a href={ "/staff/s/" (submission.code.as_str()) "/letters/" (letter.slug()) ".pdf" } { (name(hub, submission, letter)) } }
                    }
                }
            }
        }
    }
}

/// The letter's title, and for a third party's letter whom it goes to.
fn name(hub: &Hub, submission: &Submission, letter: Letter) -> String {
    let title = hub.letters.template(letter.kind).title.clone();
    match (letter.kind, submission.case.notices.third_parties.get(letter.consultation)) {
        (kind, Some(party)) if kind.consults() => format!("{title}（{party}）"),
        _ => title,
    }
}

pub async fn pdf(State(hub): State<Arc<Hub>>, Path((code, file)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let staff = match auth::require(&hub, &headers).await {
        Ok(staff) => staff,
        Err(redirect) => return redirect,
    };
    let not_found = || (StatusCode::NOT_FOUND, "没有这份文书").into_response();
    let (Some(code), Some(letter)) = (QueryCode::parse(&code), file.strip_suffix(".pdf").and_then(Letter::parse)) else { return not_found() };
    let submission = match blocking(&hub, move |store| store.by_code(&code)).await {
        Ok(Some(submission)) => submission,
        Ok(None) => return not_found(),
        Err(e) => return unavailable(e),
    };
    if !organs::may_handle(&hub, &staff.session, &submission.case.organ) {
        return organs::refused(&hub, &staff, &submission.case.organ);
    }
    // Never signed in another organ's name.
    let signer = letters::signer(letter, &submission.case);
    if hub.organs.get(signer).is_none() {
        let reason = format!("这份文书的落款机关（{signer}）不在机关名单中：请联系运维人员把它列回机关名单，或由管理员转办后再生成转办后的文书。");
        return (StatusCode::CONFLICT, reason).into_response();
    }
    let (rendering, submitted) = (Arc::clone(&hub), submission.clone());
    let pdf = match tokio::task::spawn_blocking(move || make(&rendering, letter, &submitted)).await {
        Ok(Ok(Some(pdf))) => pdf,
        Ok(Ok(None)) => return not_found(),
        Ok(Err(reason)) => {
            eprintln!("文书 {} of {}: {reason}", letter.slug(), submission.code.as_str());
            return (StatusCode::INTERNAL_SERVER_ERROR, "文书未能生成，请联系系统管理员。").into_response();
        }
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "文书未能生成，请稍后再试。").into_response(),
    };
    let title = name(&hub, &submission, letter);
    let (who, id, detail) = (staff.session.username.clone(), submission.id, format!("下载文书：{title}"));
    if let Err(e) = blocking(&hub, move |store| store.audit_case(id, &who, "下载文书", &detail)).await {
        return unavailable(e);
    }
    // The file may be sent on as it is: named by what its header shows, so a third party's
    // does not carry the 查询码.
    let (_, reference) = letters::reference(letter, &submission);
    download(&format!("{reference}-{title}.pdf"), PDF, pdf.bytes)
}

/// The PDF of `letter`, `None` when the case has not sent it, or why it cannot be made (the
/// font is missing).
fn make(hub: &Hub, letter: Letter, submission: &Submission) -> Result<Option<Pdf>, String> {
    let fonts = hub.letter_fonts()?;
    let office = Office { templates: &hub.letters, calendar: &hub.calendar, organs: &hub.organs };
    letters::render(letter, submission, &office, fonts, hub.today()).transpose()
}
