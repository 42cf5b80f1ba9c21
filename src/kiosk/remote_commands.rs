//! What the kiosk does with the hub's push messages: a published bundle or 立即同步 asks the
//! sync worker for a cycle; 重启程序 ends the program once the answer is sent, for the service
//! manager to start it again (and is refused where none would); 截图 asks the screen for a
//! capture (`screen_capture`).

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
        mpsc::Sender,
    },
    time::Duration,
};

use bevy::prelude::*;

use super::screen_capture::CaptureAsked;
use gongkai_core::{
    fleet::{CommandOutcome, push::{KioskCommand, PushMessage}},
    sync::SyncRequest,
};

pub fn plugin(app: &mut App) {
    app.init_resource::<RestartAsked>().add_systems(Update, exit_when_asked);
}

/// Set from the push thread; the screen's thread ends the app at its next frame.
#[derive(Resource, Default, Clone)]
pub struct RestartAsked(pub Arc<AtomicBool>);

/// The push listener's handler. `wake` wakes a sleeping screen.
pub fn handler(
    sync_now: Sender<SyncRequest>,
    restart: RestartAsked,
    capture: CaptureAsked,
    wake: impl Fn() + Clone + Send + 'static,
) -> impl Fn(PushMessage) -> Option<CommandOutcome> + Send {
    move |message| match message {
        PushMessage::Bundle { manifest_sha256, spread_ms, .. } => {
            let _ = sync_now.send(SyncRequest { manifest_sha256, spread: Duration::from_millis(spread_ms) });
            None
        }
        PushMessage::Command { id, command, spread_ms } => {
            carry_out(id, command, Duration::from_millis(spread_ms), &sync_now, &restart, &capture, wake.clone())
        }
        PushMessage::Unknown => None,
    }
}

/// Carries out a command; its answer, or none yet for a 截图, which its upload answers once
/// the screen's thread has captured a frame.
fn carry_out(
    id: i64,
    command: KioskCommand,
    spread: Duration,
    sync_now: &Sender<SyncRequest>,
    restart: &RestartAsked,
    capture: &CaptureAsked,
    wake: impl Fn() + Send + 'static,
) -> Option<CommandOutcome> {
    let outcome = |done: bool, detail: &str| Some(CommandOutcome { done, detail: detail.into(), then: None });
    match command {
        // No manifest is named, so the worker never takes it as the one shown.
        KioskCommand::Sync => match sync_now.send(SyncRequest { manifest_sha256: String::new(), spread }) {
            Ok(()) => outcome(true, "已开始同步"),
            Err(_) => outcome(false, "同步线程已停止"),
        },
        // systemd names each service run; without it nothing would start the kiosk again.
        KioskCommand::Restart if std::env::var_os("INVOCATION_ID").is_none() => outcome(false, "未由服务管理器运行，重启后不会自动启动，已拒绝"),
        KioskCommand::Restart => {
            let flag = Arc::clone(&restart.0);
            let then: Box<dyn FnOnce() + Send> = Box::new(move || {
                flag.store(true, Ordering::SeqCst);
                wake();
            });
            Some(CommandOutcome { done: true, detail: "正在重启".into(), then: Some(then) })
        }
        KioskCommand::Screenshot => {
            capture.ask(Some(id));
            wake();
            None
        }
        KioskCommand::Unknown => outcome(false, "此终端的版本不支持该命令"),
    }
}

fn exit_when_asked(asked: Res<RestartAsked>, mut exit: MessageWriter<AppExit>) {
    if asked.0.load(Ordering::SeqCst) {
        exit.write(AppExit::Success);
    }
}
