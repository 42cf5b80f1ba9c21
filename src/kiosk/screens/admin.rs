//! The admin panel behind the hidden corner and the PIN: kiosk id, content version and date,
//! last sync result, resolution, frame rate, memory, and exit.

use bevy::{
    diagnostic::{DiagnosticsStore, FrameTimeDiagnosticsPlugin},
    prelude::*,
};

use std::time::{Duration, Instant};

use gongkai_core::{
    admin_pin::{PIN_DIGITS, PinGuard, PinHash},
    process_memory,
};
use crate::kiosk::{
    KioskFacts, SyncConnection,
    navigation::{Navigate, Route, Screen},
    screen_capture::VisitorInput,
    widgets::{ButtonStyle, Ui, button, field_row, label, section_heading, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.init_resource::<PinEntry>()
        .init_resource::<KeypadGuard>()
        .add_systems(OnEnter(Screen::Admin), spawn)
        .add_systems(Update, (lock.run_if(not(in_state(Screen::Admin))), reopen_keypad_when_due.run_if(in_state(Screen::Admin))))
        .add_observer(press_key);
}

/// The PIN hash from the config; `None` keeps the panel locked.
#[derive(Resource)]
pub struct AdminPin(pub Option<PinHash>);

/// The digits typed so far and whether the panel is open.
#[derive(Resource, Default, Debug)]
pub struct PinEntry {
    digits: String,
    pub unlocked: bool,
    prompt: Prompt,
}

#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
enum Prompt {
    #[default]
    Enter,
    Wrong,
    TooShort,
}

/// Wrong PINs so far; the keypad locks after a few (see `PinGuard`).
#[derive(Resource, Default)]
pub struct KeypadGuard(pub PinGuard);

/// On the panel while the keypad is locked.
#[derive(Component)]
struct LockedNotice;

#[derive(Component, Clone, Copy)]
enum PinKey {
    Digit(char),
    Backspace,
    Enter,
    Exit,
}

#[allow(clippy::too_many_arguments)]
fn spawn(
    mut commands: Commands,
    entry: Res<PinEntry>,
    pin: Res<AdminPin>,
    facts: Res<KioskFacts>,
    guard: Res<KeypadGuard>,
    windows: Query<&Window>,
    diagnostics: Res<DiagnosticsStore>,
    sync: Option<Res<SyncConnection>>,
    ui: Ui,
) {
    let body = spawn_page(&mut commands, Screen::Admin, "管理", &ui);
    let theme = &ui.theme;
    if entry.unlocked {
        commands.spawn((ChildOf(body), section_heading("本机状态", &ui)));
        let resolution = windows.iter().next().map_or_else(String::new, |w| format!("{} × {}", w.physical_width(), w.physical_height()));
        let fps = diagnostics
            .get(&FrameTimeDiagnosticsPlugin::FPS)
            .and_then(|d| d.smoothed())
            .map_or_else(|| "—".to_string(), |fps| format!("{fps:.0} 帧/秒（画面不变时按需刷新）"));
        let rows = [
            ("终端编号", facts.kiosk_id.clone()),
            ("内容版本", format!("{}（{}）", facts.bundle_version, facts.bundle_built)),
            ("内容来源", facts.bundle_folder.display().to_string()),
            ("最近同步", sync_line(sync.as_deref())),
            ("分辨率", resolution),
            ("帧率", fps),
            ("内存", format!("{:.0} MB（峰值 {:.0} MB）", process_memory::rss_mb(), process_memory::peak_mb())),
        ];
        for (name, value) in rows {
            commands.spawn((ChildOf(body), field_row(name, &value, &ui)));
        }
        commands.spawn((ChildOf(body), button("退出程序", &ui, ButtonStyle::Primary), PinKey::Exit));
        return;
    }
    if let Some(left) = guard.0.locked_for(Instant::now()) {
        let notice = format!("密码输错次数过多，键盘已锁定，请于 {} 后再试", unlock_time(left));
        commands.spawn((ChildOf(body), LockedNotice, label(notice, &ui, theme.heading(), theme.colors.text, true)));
        return;
    }
    let prompt = match (&pin.0, entry.prompt) {
        (None, _) => "本机未设置管理密码（配置项 admin.pin_hash），无法进入管理".to_string(),
        (Some(_), Prompt::Wrong) => "密码不正确，请重新输入".to_string(),
        (Some(_), Prompt::TooShort) => format!("密码为 {} 至 {} 位数字", PIN_DIGITS.start(), PIN_DIGITS.end()),
        (Some(_), Prompt::Enter) => "请输入管理密码".to_string(),
    };
    commands.spawn((ChildOf(body), label(prompt, &ui, theme.heading(), theme.colors.text, true)));
    let dots = "●".repeat(entry.digits.len());
    commands.spawn((ChildOf(body), VisitorInput, label(if dots.is_empty() { "　".into() } else { dots }, &ui, theme.heading(), theme.colors.text, false)));
    if pin.0.is_none() {
        return;
    }
    let pad = commands
        .spawn((
            ChildOf(body),
            Node {
                display: Display::Grid,
                grid_template_columns: RepeatedGridTrack::px(3, theme.tap_height() * 2.0),
                row_gap: px(12),
                column_gap: px(12),
                ..default()
            },
        ))
        .id();
    let keys = ('1'..='9')
        .map(|c| (c.to_string(), PinKey::Digit(c)))
        .chain([("删除".into(), PinKey::Backspace), ("0".into(), PinKey::Digit('0')), ("确定".into(), PinKey::Enter)]);
    for (text, key) in keys {
        let style = if matches!(key, PinKey::Enter) { ButtonStyle::Primary } else { ButtonStyle::Secondary };
        commands.spawn((ChildOf(pad), button(text, &ui, style), key));
    }
}

/// The last sync attempt and what it did.
fn sync_line(sync: Option<&SyncConnection>) -> String {
    let Some(sync) = sync else { return "未配置内容同步，显示本机内容包".into() };
    let Ok(status) = sync.status.lock() else { return "—".into() };
    match (&status.last_attempt, &status.last_outcome) {
        (Some(at), Some(outcome)) => format!("{} {outcome}", at.format("%m-%d %H:%M:%S")),
        _ => "同步尚未完成第一次".into(),
    }
}

fn press_key(
    click: On<Pointer<Click>>,
    keys: Query<&PinKey>,
    pin: Res<AdminPin>,
    mut entry: ResMut<PinEntry>,
    mut guard: ResMut<KeypadGuard>,
    mut navigate: MessageWriter<Navigate>,
    mut exit: MessageWriter<AppExit>,
) {
    let Ok(key) = keys.get(click.entity) else { return };
    match *key {
        PinKey::Digit(d) if entry.digits.len() < *PIN_DIGITS.end() => entry.digits.push(d),
        PinKey::Digit(_) => {}
        PinKey::Backspace => {
            entry.digits.pop();
        }
        PinKey::Enter if entry.digits.len() < *PIN_DIGITS.start() => {
            entry.prompt = Prompt::TooShort;
            entry.digits.clear();
        }
        PinKey::Enter => {
            let Some(hash) = &pin.0 else { return };
            let opened = guard.0.try_pin(hash, &entry.digits, Instant::now()).unwrap_or(false);
            entry.unlocked = opened;
            entry.prompt = if opened { Prompt::Enter } else { Prompt::Wrong };
            entry.digits.clear();
        }
        PinKey::Exit => {
            if entry.unlocked {
                exit.write(AppExit::Success);
            }
            return;
        }
    }
    navigate.write(Navigate::Replace(Route::to(Screen::Admin)));
}

/// Leaving the panel for any other screen locks it again (re-showing it after a key press
/// also exits and enters the state, so this cannot be an `OnExit` system).
fn lock(mut entry: ResMut<PinEntry>) {
    if entry.unlocked || entry.prompt != Prompt::Enter || !entry.digits.is_empty() {
        *entry = PinEntry::default();
    }
}

/// The keypad comes back on its own once the lock is over.
fn reopen_keypad_when_due(notices: Query<(), With<LockedNotice>>, guard: Res<KeypadGuard>, mut navigate: MessageWriter<Navigate>) {
    if !notices.is_empty() && guard.0.locked_for(Instant::now()).is_none() {
        navigate.write(Navigate::Replace(Route::to(Screen::Admin)));
    }
}

/// The local time a lock of `left` from now ends, to the second.
pub fn unlock_time(left: Duration) -> String {
    let left = chrono::Duration::from_std(left).unwrap_or_default();
    (chrono::Local::now() + left + chrono::Duration::milliseconds(999)).format("%H:%M:%S").to_string()
}
