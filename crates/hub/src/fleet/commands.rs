//! Commands to kiosks (立即同步, 重启程序, 截图): kept in the store as they are issued, sent over
//! the kiosk's push stream at once and again with each stream it opens until it answers, and
//! answered by the kiosk with a signed `POST ACK_PATH` (a 截图 by its upload, `screenshots`). A command not answered within
//! `EXPIRES_AFTER_S` is shown as expired, and is no longer sent.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use crate::{Hub, submissions::store::{CommandRecord, CommandState, StoreError}};
use gongkai_core::fleet::{MAX_REPORT_TEXT, SIGNATURE_HEADER, push::KioskCommand, verify_ack};

/// Unanswered commands sent when a stream opens, at most: the stream's queue must hold them.
const RESENT: usize = 10;

/// A restart asked for ten minutes ago is no longer what anyone wants.
pub const EXPIRES_AFTER_S: i64 = 600;

/// How a command stands, as the fleet page says it.
pub fn state_label(command: &CommandRecord, now: i64) -> &'static str {
    let expired = now - command.issued_at > EXPIRES_AFTER_S;
    match command.state {
        CommandState::Waiting if expired => "已过期（未送达）",
        CommandState::Sent if expired => "已过期（未答复）",
        CommandState::Waiting => "待送达",
        CommandState::Sent => "已送达",
        CommandState::Done => "已完成",
        CommandState::Failed => "未完成",
    }
}

/// Keeps `command` for each of `kiosks` and sends it to those with a stream open.
pub async fn issue(hub: &Arc<Hub>, kiosks: Vec<String>, command: KioskCommand, staff: String) -> Result<(), StoreError> {
    let store = Arc::clone(&hub.store);
    let now = chrono::Utc::now().timestamp();
    let targets = kiosks.clone();
    let ids = tokio::task::spawn_blocking(move || {
        let ids = store.add_commands(&targets, command.name(), &staff, now)?;
        store.audit(&staff, "终端命令", &format!("{}：{}", command.label(), named(&targets)))?;
        Ok::<_, StoreError>(ids)
    })
    .await
    .map_err(|e| StoreError::Failed(e.to_string()))??;
    let sent: Vec<i64> = kiosks.iter().zip(ids).filter(|(kiosk, id)| send(hub, kiosk, *id, command)).map(|(_, id)| id).collect();
    mark_sent(hub, sent).await;
    Ok(())
}

/// The kiosks of a command, for the audit log: at most ten by name.
fn named(kiosks: &[String]) -> String {
    match kiosks {
        [first @ .., _] if kiosks.len() > 10 => format!("{} 等 {} 台", first[..10].join("、"), kiosks.len()),
        _ => kiosks.join("、"),
    }
}

/// Sends `kiosk` its unanswered commands when it opens a stream: those still waiting, and
/// those sent into a stream that died before the kiosk could answer. Oldest first; none after
/// a restart, which would end the kiosk before it read them (they go with its next stream).
pub async fn send_unanswered(hub: &Arc<Hub>, kiosk: &str) {
    let store = Arc::clone(&hub.store);
    let (name, since) = (kiosk.to_string(), chrono::Utc::now().timestamp() - EXPIRES_AFTER_S);
    let Ok(Ok(unanswered)) = tokio::task::spawn_blocking(move || store.commands(Some(&name), Some(since), RESENT)).await else { return };
    let mut sent = Vec::new();
    for command in unanswered.into_iter().rev() {
        let Some(kind) = KioskCommand::from_name(&command.command) else { continue };
        if !send(hub, kiosk, command.id, kind) {
            break;
        }
        sent.push(command.id);
        if kind == KioskCommand::Restart {
            break;
        }
    }
    mark_sent(hub, sent).await;
}

fn send(hub: &Hub, kiosk: &str, id: i64, command: KioskCommand) -> bool {
    hub.push.send_to(kiosk, &hub.push.command_message(id, command))
}

async fn mark_sent(hub: &Arc<Hub>, ids: Vec<i64>) {
    if ids.is_empty() {
        return;
    }
    let store = Arc::clone(&hub.store);
    let now = chrono::Utc::now().timestamp();
    // Not marked, a command is sent again with the kiosk's next stream: no harm.
    let _ = tokio::task::spawn_blocking(move || store.commands_sent(&ids, now)).await;
}

/// `POST ACK_PATH`: a kiosk's signed answer to one of its commands.
pub async fn acknowledge(State(hub): State<Arc<Hub>>, headers: HeaderMap, body: Bytes) -> Response {
    let (kiosk, key) = match super::sender(&hub, &headers) {
        Ok(sender) => sender,
        Err(refusal) => return refusal,
    };
    let now = chrono::Utc::now().timestamp();
    let ack = match verify_ack(&key, &body, &super::header_text(&headers, SIGNATURE_HEADER), &kiosk, now) {
        Ok(ack) => ack,
        Err(reason) => return (StatusCode::UNAUTHORIZED, reason).into_response(),
    };
    if ack.detail.chars().count() > MAX_REPORT_TEXT {
        return (StatusCode::UNPROCESSABLE_ENTITY, format!("detail: longer than {MAX_REPORT_TEXT} characters")).into_response();
    }
    let store = Arc::clone(&hub.store);
    match tokio::task::spawn_blocking(move || store.command_answered(ack.command_id, &ack.kiosk_id, ack.done, &ack.detail, now)).await {
        Ok(Ok(true)) => StatusCode::NO_CONTENT.into_response(),
        Ok(Ok(false)) => (StatusCode::NOT_FOUND, "no such command for this kiosk").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "answer not saved").into_response(),
    }
}
