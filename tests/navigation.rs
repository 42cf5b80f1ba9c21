//! Drives the kiosk with synthetic touch input, the way winit delivers a finger, without a
//! window system or GPU: layout and picking run as on a 1920×1080 screen.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use bevy::{
    input::{
        ButtonState,
        mouse::MouseButtonInput,
        touch::{TouchInput, TouchPhase},
    },
    prelude::*,
    time::TimeUpdateStrategy,
    window::{CursorMoved, PrimaryWindow, WindowEvent},
};
use gongkai::kiosk::{
    self, AppKind, HallClock, HandwritingPad, KeypadGuard, Navigate, Navigation, PinEntry, Player, Route, Screen, SearchText, Shown, SyncConnection, Theme,
    VisitorInput,
};
use gongkai_core::{
    config::{KioskConfig, PrintSection},
    content::model::NoticeLevel,
    content::{build::{BuildOptions, build_bundle}, check::{CheckOptions, check_bundle}},
    library::Library,
    sync::ContentUpdate,
};

const CONFIG: &str = "kiosk-config/hall-touch.toml";

/// A kiosk app on the demo content (or `bundle`), with time advancing 100 ms per frame.
fn kiosk_app(bundle: Option<PathBuf>, idle_timeout_s: u32) -> App {
    kiosk_app_with(|config| {
        config.idle.timeout_s = idle_timeout_s;
        if let Some(bundle) = bundle.clone() {
            config.content.bundle = bundle;
        }
    })
}

/// A kiosk app on the config `adjust` makes of the demo config.
fn kiosk_app_with(adjust: impl FnOnce(&mut KioskConfig)) -> App {
    let mut prepared = kiosk::prepare_with(Some(CONFIG.into()), adjust).unwrap();
    prepared.config.idle.countdown_s = 3;
    let mut app = kiosk::app(prepared, AppKind::Headless { width: 1920, height: 1080 });
    app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(100)));
    app.finish();
    app.cleanup();
    // Fonts load on background threads; text has no size until they are in.
    for _ in 0..600 {
        app.update();
        let fonts_in = app.world().resource::<Assets<Font>>().len() >= 2;
        if fonts_in && screen(&app) == Screen::Attract {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    settle(&mut app);
    app
}

fn settle(app: &mut App) {
    for _ in 0..4 {
        app.update();
    }
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn touch(app: &mut App, phase: TouchPhase, position: Vec2) {
    let window = primary_window(app);
    let event = TouchInput { phase, position, window, force: None, id: 7 };
    app.world_mut().write_message(event);
    app.world_mut().write_message(WindowEvent::TouchInput(event));
}

/// A finger down and up at `position` (logical pixels), one frame apart.
fn tap_at(app: &mut App, position: Vec2) {
    touch(app, TouchPhase::Started, position);
    app.update();
    touch(app, TouchPhase::Ended, position);
    settle(app);
}

/// The centre of the first text node reading `label`, in logical pixels.
fn centre_of(app: &mut App, label: &str) -> Option<Vec2> {
    let mut texts = app.world_mut().query::<(&Text, &ComputedNode, &UiGlobalTransform, &InheritedVisibility)>();
    texts
        .iter(app.world())
        .find(|(text, _, _, visible)| text.0 == label && visible.get())
        .map(|(_, node, transform, _)| transform.translation * node.inverse_scale_factor)
}

fn tap(app: &mut App, label: &str) {
    let position = centre_of(app, label).unwrap_or_else(|| panic!("no {label:?} on {:?}", screen(app)));
    tap_at(app, position);
}

fn texts(app: &mut App) -> Vec<String> {
    let mut texts = app.world_mut().query::<&Text>();
    texts.iter(app.world()).map(|t| t.0.clone()).collect()
}

fn can_go_back(app: &App) -> bool {
    app.world().resource::<Navigation>().can_go_back()
}

/// Every tile of the home screen and the screen it opens.
const TILES: [(&str, Screen); 13] = [
    ("数据看板", Screen::Dashboard),
    ("公开目录", Screen::Catalogue),
    ("政府信息", Screen::Documents),
    ("政策解读", Screen::Interpretations),
    ("重点工作", Screen::KeyWork),
    ("办事指南", Screen::Guides),
    ("通知公告", Screen::Notices),
    ("意见征集", Screen::Consultations),
    ("行政权力", Screen::AdminRecords),
    ("居(村)务公开", Screen::Community),
    ("依申请公开", Screen::Apply),
    ("政民互动", Screen::Interaction),
    ("搜索：标题、文号、拼音首字母", Screen::Search),
];

/// The smallest text 关怀模式 allows, in logical pixels (the render tests' limit).
const CARE_MIN_TEXT_PX: f32 = 34.0;

/// The smallest font size of the visible text on screen, in logical pixels.
fn smallest_text_px(app: &mut App) -> f32 {
    let mut texts = app.world_mut().query::<(&Text, &TextFont, &InheritedVisibility)>();
    texts
        .iter(app.world())
        .filter(|(text, _, visible)| visible.get() && !text.0.trim().is_empty())
        .map(|(text, font, _)| match font.font_size {
            FontSize::Px(px) => px,
            other => panic!("{:?} is sized {other:?}, not in pixels", text.0),
        })
        .fold(f32::INFINITY, f32::min)
}

#[test]
fn every_tile_reaches_its_screen_and_back_returns_home() {
    let mut app = kiosk_app(None, 90);
    assert_eq!(screen(&app), Screen::Attract);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    assert_eq!(screen(&app), Screen::Home, "a touch anywhere leaves the attract loop");
    for (tile, expected) in TILES {
        tap(&mut app, tile);
        assert_eq!(screen(&app), expected, "tile {tile}");
        tap(&mut app, "返回");
        assert_eq!(screen(&app), Screen::Home, "返回 from {tile}");
    }
}

#[test]
fn back_retraces_the_visit_and_home_forgets_it() {
    let mut app = kiosk_app(None, 90);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    tap(&mut app, "公开目录");
    tap(&mut app, "下一页");
    assert_eq!(app.world().resource::<Navigation>().current.page, 1);
    tap(&mut app, "下一页");
    let library = app.world().resource::<Shown>().0.clone().unwrap();
    let shown = texts(&mut app);
    let on_page = library.content.catalogue.domains.iter().position(|d| shown.contains(&d.name)).unwrap();
    assert!(on_page > 0, "the third page shows later domains");
    tap(&mut app, &library.content.catalogue.domains[on_page].name.clone());
    assert_eq!(app.world().resource::<Navigation>().current.domain, Some(on_page));
    tap(&mut app, "返回");
    let back_at = app.world().resource::<Navigation>().current;
    assert_eq!((back_at.domain, back_at.page), (None, 2), "返回 comes back to the page the visitor was on");
    tap(&mut app, "首页");
    assert_eq!(screen(&app), Screen::Home);
    assert!(!can_go_back(&app));

    tap(&mut app, "政府信息");
    tap(&mut app, "下一页");
    let row = centre_of(&mut app, "上一页").map(|_| Vec2::new(960.0, 330.0)).unwrap();
    tap_at(&mut app, row);
    assert_eq!(screen(&app), Screen::Reader, "a document row opens the reader");
    tap(&mut app, "返回");
    assert_eq!((screen(&app), app.world().resource::<Navigation>().current.page), (Screen::Documents, 1));
}

#[test]
fn care_mode_enlarges_text_on_every_page_until_the_visitor_leaves() {
    let mut app = kiosk_app(None, 5);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    let standard = smallest_text_px(&mut app);
    assert!(standard < CARE_MIN_TEXT_PX, "the standard look has smaller text ({standard} px)");
    tap(&mut app, "关怀模式");
    assert!(app.world().resource::<Theme>().care);
    assert!(centre_of(&mut app, "标准模式").is_some(), "the button now offers the way back");
    let home = smallest_text_px(&mut app);
    assert!(home >= CARE_MIN_TEXT_PX, "home in 关怀模式: smallest text {home} px");
    for (tile, expected) in TILES {
        tap(&mut app, tile);
        assert_eq!(screen(&app), expected, "tile {tile}");
        let smallest = smallest_text_px(&mut app);
        assert!(smallest >= CARE_MIN_TEXT_PX, "{tile} in 关怀模式: smallest text {smallest} px");
        tap(&mut app, "返回");
    }
    tap(&mut app, "办事指南");
    assert!(app.world().resource::<Theme>().care, "care mode stays on across screens");
    for _ in 0..100 {
        app.update();
    }
    assert_eq!(screen(&app), Screen::Attract);
    assert!(!app.world().resource::<Theme>().care, "the next visitor starts in the standard look");
}

#[test]
fn idle_timeout_counts_down_then_clears_the_visit() {
    let mut app = kiosk_app(None, 5);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    tap(&mut app, "搜索：标题、文号、拼音首字母");
    tap(&mut app, "Z");
    tap(&mut app, "C");
    assert_eq!(app.world().resource::<SearchText>().0, "zc");
    assert!(texts(&mut app).iter().any(|t| t.starts_with("共 ") || t.starts_with("约 ")), "results shown");
    // 5 s without input: the countdown overlay appears and a touch keeps the visit.
    for _ in 0..52 {
        app.update();
    }
    assert!(texts(&mut app).iter().any(|t| t.ends_with("秒后返回首页")), "countdown shown");
    tap_at(&mut app, Vec2::new(960.0, 900.0));
    assert!(!texts(&mut app).iter().any(|t| t.ends_with("秒后返回首页")), "a touch dismisses it");
    assert_eq!((screen(&app), app.world().resource::<SearchText>().0.as_str()), (Screen::Search, "zc"));
    // Left alone for timeout + countdown: back to the attract loop with nothing kept.
    for _ in 0..100 {
        app.update();
    }
    assert_eq!(screen(&app), Screen::Attract);
    assert_eq!(app.world().resource::<SearchText>().0, "");
    assert!(!can_go_back(&app));
    assert!(!texts(&mut app).iter().any(|t| t.ends_with("秒后返回首页")));
}

#[test]
fn admin_panel_needs_five_corner_taps_and_the_pin() {
    let mut app = kiosk_app(None, 90);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    for _ in 0..4 {
        tap_at(&mut app, Vec2::new(20.0, 1060.0));
    }
    assert_eq!(screen(&app), Screen::Home, "four taps are not enough");
    tap_at(&mut app, Vec2::new(20.0, 1060.0));
    assert_eq!(screen(&app), Screen::Admin);
    enter_pin(&mut app, "246811");
    assert!(!app.world().resource::<PinEntry>().unlocked);
    assert!(texts(&mut app).iter().any(|t| t == "密码不正确，请重新输入"));
    assert!(!texts(&mut app).iter().any(|t| t == "终端编号："));
    enter_pin(&mut app, "1234");
    assert!(texts(&mut app).iter().any(|t| t == "密码为 6 至 12 位数字"));
    // Each entry stands alone: the short one is not kept in front of the next.
    enter_pin(&mut app, "246810");
    assert!(app.world().resource::<PinEntry>().unlocked);
    let shown = texts(&mut app);
    for field in ["终端编号：", "内容版本：", "最近同步：", "分辨率：", "帧率：", "内存："] {
        assert!(shown.iter().any(|t| t == field), "{field} on the panel");
    }
    assert!(shown.iter().any(|t| t == "yunxi-hall-01"));
    tap(&mut app, "首页");
    assert!(!app.world().resource::<PinEntry>().unlocked, "leaving locks the panel");
}

fn enter_pin(app: &mut App, pin: &str) {
    for digit in pin.chars() {
        tap(app, &digit.to_string());
    }
    tap(app, "确定");
}

fn open_admin(app: &mut App) {
    for _ in 0..5 {
        tap_at(app, Vec2::new(20.0, 1060.0));
    }
    assert_eq!(screen(app), Screen::Admin);
}

#[test]
fn three_wrong_pins_lock_the_keypad_and_leaving_the_panel_does_not_reset_the_count() {
    let mut app = kiosk_app(None, 90);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    open_admin(&mut app);
    enter_pin(&mut app, "111111");
    enter_pin(&mut app, "111112");
    tap(&mut app, "首页");
    open_admin(&mut app);
    enter_pin(&mut app, "111113");
    let locked = |app: &mut App| texts(app).iter().any(|t| t.starts_with("密码输错次数过多，键盘已锁定，请于"));
    assert!(locked(&mut app), "the third wrong PIN locks the keypad: {:?}", texts(&mut app));
    assert!(centre_of(&mut app, "确定").is_none(), "no keypad while locked");
    tap(&mut app, "首页");
    open_admin(&mut app);
    assert!(locked(&mut app), "still locked after leaving and coming back");
    assert_eq!(app.world().resource::<KeypadGuard>().0.wrong_total, 3);
}

#[test]
fn a_list_of_100000_documents_spawns_one_page_of_rows() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("big");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["content", "synth", "--documents", "100000"])
        .arg(&bundle)
        .status()
        .unwrap();
    assert!(status.success());
    let mut app = kiosk_app(Some(bundle), 90);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    assert!(texts(&mut app).contains(&"100,000 件政府文件".to_string()), "home shows the synthetic bundle, not the demo");
    tap(&mut app, "政府信息");
    assert_eq!(screen(&app), Screen::Documents);
    let shown = texts(&mut app);
    assert!(shown.iter().any(|t| t.starts_with("第 1 / ") && t.ends_with(" 页")), "{shown:?}");
    let nodes = app.world_mut().query::<&Node>().iter(app.world()).count();
    assert!(nodes < 300, "{nodes} UI nodes for a list of 100,000");
    tap(&mut app, "下一页");
    assert_eq!(app.world().resource::<Navigation>().current.page, 1);
}

fn furthest_scroll(app: &mut App) -> f32 {
    let mut positions = app.world_mut().query::<&ScrollPosition>();
    positions.iter(app.world()).map(|p| p.y).fold(0.0, f32::max)
}

/// Runs frames until `done`, at most `frames` of them.
fn update_until(app: &mut App, frames: usize, done: impl Fn(&mut App) -> bool) -> bool {
    for _ in 0..frames {
        if done(app) {
            return true;
        }
        app.update();
    }
    done(app)
}

fn shows(app: &mut App, text: &str) -> bool {
    texts(app).iter().any(|t| t == text)
}

#[test]
fn an_urgent_notice_bands_every_screen_opens_on_a_tap_and_leaves_when_it_expires() {
    let mut app = kiosk_app(None, 90);
    let library = app.world().resource::<Shown>().0.clone().unwrap();
    let (index, urgent) = library.content.notices.iter().enumerate().find(|(_, n)| n.level == NoticeLevel::Urgent).unwrap();
    assert!(!shows(&mut app, "紧急通知"), "no urgent notice is current on the demo's own day");
    app.insert_resource(HallClock { fixed: Some(urgent.published_at + chrono::Duration::minutes(5)) });
    assert!(update_until(&mut app, 30, |app| shows(app, "紧急通知")), "the attract loop shows it");
    assert!(shows(&mut app, &urgent.title), "first, with its title: {:?}", texts(&mut app));
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    assert_eq!(screen(&app), Screen::Home);
    for tile in ["政府信息", "办事指南", "数据看板"] {
        tap(&mut app, tile);
        assert!(shows(&mut app, "紧急通知"), "the band on {tile}");
        tap(&mut app, "返回");
    }
    assert!(shows(&mut app, "紧急通知"), "the band on the home screen");
    tap(&mut app, "点击查看 ›");
    assert_eq!(app.world().resource::<Navigation>().current, Route::opening(Screen::Notices, index));
    assert!(shows(&mut app, &format!("【紧急】{}", urgent.title)), "{:?}", texts(&mut app));
    // A reader keeps its scroll when the band goes: it is taken out in place.
    let during = app.world().resource::<HallClock>().clone();
    app.world_mut().write_message(Navigate::To(Route::opening(Screen::Reader, 0)));
    settle(&mut app);
    tap(&mut app, "下一屏");
    let scrolled = furthest_scroll(&mut app);
    assert!(scrolled > 100.0, "the reader moved on ({scrolled})");
    app.insert_resource(HallClock { fixed: urgent.expires_at });
    assert!(update_until(&mut app, 30, |app| !shows(app, "紧急通知")), "gone once it expires");
    assert_eq!(screen(&app), Screen::Reader, "the visitor stays where they were");
    assert_eq!(furthest_scroll(&mut app), scrolled, "and so does the text");
    // A list is drawn again for the band, at the page the visitor was on.
    tap(&mut app, "首页");
    tap(&mut app, "政府信息");
    tap(&mut app, "下一页");
    let page = app.world().resource::<Navigation>().current;
    assert_eq!(page.page, 1);
    app.insert_resource(during);
    assert!(update_until(&mut app, 30, |app| shows(app, "紧急通知")), "back while it is current");
    assert_eq!(app.world().resource::<Navigation>().current, page);
}

#[test]
fn a_hot_search_finds_a_notice_and_the_result_opens_it() {
    let mut app = kiosk_app(None, 90);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    tap(&mut app, "搜索：标题、文号、拼音首字母");
    assert!(shows(&mut app, "热门搜索") && shows(&mut app, "分类浏览"), "the empty search screen offers a start");
    tap(&mut app, "停水");
    assert_eq!(app.world().resource::<SearchText>().0, "停水");
    let library = app.world().resource::<Shown>().0.clone().unwrap();
    let (index, notice) = library.content.notices.iter().enumerate().find(|(_, n)| n.title.contains("停水")).unwrap();
    assert_eq!(row_texts(&mut app, &notice.title), [notice.title.as_str(), "通知公告"], "the hit says its kind");
    tap(&mut app, &notice.title);
    assert_eq!(app.world().resource::<Navigation>().current, Route::opening(Screen::Notices, index));
    tap(&mut app, "返回");
    tap(&mut app, "清空");
    tap(&mut app, "居(村)务公开");
    assert_eq!(screen(&app), Screen::Community, "a section chip opens its screen");
}

/// The texts of the list row whose title reads `title`.
fn row_texts(app: &mut App, title: &str) -> Vec<String> {
    let mut titles = app.world_mut().query::<(&Text, &ChildOf)>();
    let row = titles.iter(app.world()).find(|(text, _)| text.0 == title).map(|(_, parent)| parent.parent());
    texts_under(app, row.unwrap_or_else(|| panic!("no row {title:?}")))
}

#[test]
fn an_attachment_found_by_search_opens_its_document() {
    let mut app = kiosk_app(None, 90);
    let library = app.world().resource::<Shown>().0.clone().unwrap();
    let (index, document, attachment) = library
        .content
        .documents
        .iter()
        .enumerate()
        .find_map(|(i, d)| d.attachments.first().map(|a| (i, d, a)))
        .unwrap();
    // What a visitor would have typed: the keyboard's own path is tested by the real-X walk.
    app.world_mut().resource_mut::<SearchText>().0 = attachment.title.clone();
    app.world_mut().write_message(Navigate::To(Route::to(Screen::Search)));
    settle(&mut app);
    let row = row_texts(&mut app, &attachment.title);
    assert!(row[1].starts_with("附件 · 《"), "the hit names its document: {row:?}");
    tap(&mut app, &attachment.title);
    assert_eq!(app.world().resource::<Navigation>().current, Route::opening(Screen::Reader, index));
    let title_start: String = document.title.chars().take(8).collect();
    assert!(texts(&mut app).iter().any(|t| t.contains(&title_start)), "the reader shows {}", document.title);
}

/// The page image on screen: its pixels (as the bundle holds them) and its width in the
/// layout, after checking that the layout keeps the page's proportions.
fn page_image(app: &mut App) -> (Vec<u8>, f32) {
    let mut nodes = app.world_mut().query::<(&ImageNode, &ComputedNode)>();
    let (handle, size) = nodes
        .iter(app.world())
        .find(|(_, node)| node.size.x > 400.0)
        .map(|(image, node)| (image.image.clone(), node.size * node.inverse_scale_factor))
        .expect("a page image on screen");
    let image = app.world().resource::<Assets<Image>>().get(&handle).unwrap();
    let (width, height) = (image.width() as f32, image.height() as f32);
    assert!((size.y / size.x - height / width).abs() < 0.01, "the page is drawn {size} from {width}×{height}");
    (image.data.clone().unwrap(), size.x)
}

#[test]
fn an_attached_pdf_opens_from_the_reader_page_by_page_and_zooms() {
    let mut app = kiosk_app(None, 90);
    let library = app.world().resource::<Shown>().0.clone().unwrap();
    let (index, attachment) = library
        .content
        .documents
        .iter()
        .enumerate()
        .find_map(|(i, d)| d.attachments.iter().find(|a| a.pages.len() == 3).map(|a| (i, a)))
        .expect("the demo's three-page 评标报告");
    app.world_mut().write_message(Navigate::To(Route::opening(Screen::Reader, index)));
    settle(&mut app);
    let button = texts(&mut app).into_iter().find(|t| t.contains("共3页")).expect("the attachment is a button on the reader");
    assert!(button.starts_with("1. 附件1：评标报告主要内容（PDF）"), "{button}");
    // The 附件 list follows the text: move down a screenful at a time until it is in view.
    for _ in 0..10 {
        if centre_of(&mut app, &button).is_some_and(|at| at.y < 900.0) {
            break;
        }
        tap(&mut app, "下一屏");
        settle(&mut app);
    }
    tap(&mut app, &button);
    assert_eq!(screen(&app), Screen::Attachment);
    assert!(shows(&mut app, "第 1 / 3 页"));
    assert!(texts(&mut app).contains(&attachment.title));
    let (first, _) = page_image(&mut app);
    let in_bundle = image::open(library.folder.join(&attachment.pages[0])).unwrap().to_rgba8().into_raw();
    assert!(first == in_bundle, "page 1 shows the first page image of the bundle");

    tap(&mut app, "下一页");
    assert!(shows(&mut app, "第 2 / 3 页"));
    let (second, fit_width) = page_image(&mut app);
    let in_bundle = image::open(library.folder.join(&attachment.pages[1])).unwrap().to_rgba8().into_raw();
    assert!(second == in_bundle, "下一页 shows the second page");

    // A tap on the page doubles it; the next fits it again.
    let centre = centre_of(&mut app, "第 2 / 3 页").unwrap();
    let page_point = Vec2::new(400.0, centre.y.min(500.0));
    tap_at(&mut app, page_point);
    let (_, zoomed_width) = page_image(&mut app);
    assert!((zoomed_width / fit_width - 2.0).abs() < 0.01, "zoomed {zoomed_width} from {fit_width}");
    tap_at(&mut app, page_point);
    assert!((page_image(&mut app).1 - fit_width).abs() < 1.0);

    // Turning pages replaces the view: 返回 goes straight back to the document.
    tap(&mut app, "返回");
    assert_eq!(app.world().resource::<Navigation>().current, Route::opening(Screen::Reader, index));
}

/// The 手写 pad's top-left corner and side, in logical pixels.
fn pad_rect(app: &mut App) -> (Vec2, f32) {
    let mut pads = app.world_mut().query_filtered::<(&ComputedNode, &UiGlobalTransform), With<HandwritingPad>>();
    let (node, transform) = pads.single(app.world()).expect("one 手写 pad on the search screen");
    let size = node.size() * node.inverse_scale_factor;
    (transform.translation * node.inverse_scale_factor - size / 2.0, size.x)
}

/// A finger writes `c` on the pad, stroke by stroke, along someone else's strokes of it.
fn write_by_hand(app: &mut App, c: char) {
    let (top_left, side) = pad_rect(app);
    let ink = gongkai_testkit::stroke_data::ink(c).expect("strokes of the character");
    let on_pad = |&(x, y): &(f32, f32)| top_left + Vec2::new(x, y) * side / ink.width;
    for stroke in &ink.strokes {
        // Candidates appear after each stroke; the pad must stay where the finger is.
        assert_eq!(pad_rect(app), (top_left, side), "the pad moved while {c} was written");
        let points: Vec<Vec2> = stroke.iter().map(on_pad).collect();
        let (Some(first), Some(last)) = (points.first(), points.last()) else { continue };
        touch(app, TouchPhase::Started, *first);
        app.update();
        for point in &points[1..] {
            touch(app, TouchPhase::Moved, *point);
            app.update();
        }
        touch(app, TouchPhase::Ended, *last);
        settle(app);
    }
}

#[test]
fn writing_dibao_by_hand_finds_its_documents() {
    let mut app = kiosk_app(None, 90);
    app.world_mut().write_message(Navigate::To(Route::to(Screen::Search)));
    settle(&mut app);
    tap(&mut app, "手写");
    write_by_hand(&mut app, '低');
    tap(&mut app, "低");
    let offered = texts(&mut app);
    assert!(offered.iter().any(|t| t == "联想") && offered.iter().any(|t| t == "保"), "联想 after 低 offers 保: {offered:?}");
    // The visitor writes 保 rather than taking the offer.
    write_by_hand(&mut app, '保');
    tap(&mut app, "保");
    assert_eq!(app.world().resource::<SearchText>().0, "低保");
    let library = app.world().resource::<Shown>().0.clone().unwrap();
    let shown = texts(&mut app);
    let (index, title) = library
        .content
        .documents
        .iter()
        .enumerate()
        .find(|(_, d)| d.title.contains("低保") && shown.contains(&d.title))
        .map(|(i, d)| (i, d.title.clone()))
        .unwrap_or_else(|| panic!("a 低保 document among the results: {shown:?}"));
    tap(&mut app, &title);
    assert_eq!(app.world().resource::<Navigation>().current, Route::opening(Screen::Reader, index));
    // 返回 comes back to the pad, not to the keyboard, with the search kept.
    tap(&mut app, "返回");
    pad_rect(&mut app);
    assert_eq!(app.world().resource::<SearchText>().0, "低保");
}

/// The sample rate and the 16-bit samples of a PCM WAV file, read chunk by chunk.
fn wav_samples(bytes: &[u8]) -> (u32, Vec<i16>) {
    assert_eq!(&bytes[0..4], b"RIFF");
    let mut rate = 0;
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        let body = &bytes[at + 8..(at + 8 + size).min(bytes.len())];
        match &bytes[at..at + 4] {
            b"fmt " => rate = u32::from_le_bytes(body[4..8].try_into().unwrap()),
            b"data" => return (rate, body.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect()),
            _ => {}
        }
        at += 8 + size + size % 2;
    }
    panic!("no data chunk")
}

#[test]
fn read_aloud_on_the_reader_is_heard() {
    let dir = tempfile::tempdir().unwrap();
    let (partial, spoken) = (dir.path().join("speaking.wav"), dir.path().join("spoken.wav"));
    // espeak-ng speaks into a file; the file is renamed once it is complete.
    let script = format!("espeak-ng -v cmn -w {} --stdin && mv {} {}", partial.display(), partial.display(), spoken.display());
    let command = ["sh".to_string(), "-c".to_string(), script];
    let mut app = kiosk_app_with(|config| config.speech.command = command.to_vec());
    app.world_mut().write_message(Navigate::To(Route::opening(Screen::Reader, 0)));
    settle(&mut app);
    tap(&mut app, "朗读");
    for _ in 0..1200 {
        if spoken.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let (rate, samples) = wav_samples(&std::fs::read(&spoken).expect("espeak-ng finished speaking"));
    let seconds = samples.len() as f64 / f64::from(rate);
    let rms = (samples.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / samples.len().max(1) as f64).sqrt();
    assert!(seconds > 2.0, "speech lasts ({seconds:.1} s at {rate} Hz)");
    assert!(rms > 300.0, "and is not silence (RMS {rms:.0} of 32768)");
}

#[test]
fn the_reader_scrolls_by_drag_and_by_screenful() {
    let mut app = kiosk_app(None, 90);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    tap(&mut app, "政府信息");
    tap_at(&mut app, Vec2::new(960.0, 330.0));
    assert_eq!(screen(&app), Screen::Reader);
    assert_eq!(furthest_scroll(&mut app), 0.0);
    // A finger drags the text up by 300 px.
    let mut at = Vec2::new(600.0, 800.0);
    touch(&mut app, TouchPhase::Started, at);
    app.update();
    for _ in 0..6 {
        at.y -= 50.0;
        touch(&mut app, TouchPhase::Moved, at);
        app.update();
    }
    // The finger stops here and lifts where it stopped: any motion from now on is the glide.
    let released = furthest_scroll(&mut app);
    assert!(released >= 250.0, "text moved with the finger ({released})");
    touch(&mut app, TouchPhase::Ended, at);
    settle(&mut app);
    let dragged = furthest_scroll(&mut app);
    assert!(dragged > released + 1.0, "text kept gliding after the finger stopped ({released} → {dragged})");
    tap(&mut app, "上一屏");
    let up = furthest_scroll(&mut app);
    assert!(up < dragged - 200.0, "上一屏 moves back most of a screen ({dragged} → {up})");
    tap(&mut app, "下一屏");
    assert!(furthest_scroll(&mut app) > up + 200.0, "下一屏 moves on");
}

fn primary_window(app: &mut App) -> Entity {
    app.world_mut().query_filtered::<Entity, With<PrimaryWindow>>().single(app.world()).unwrap()
}

/// A mouse click, as winit delivers it: the cursor moves there, the button goes down and up.
/// `one_frame`: all three in one batch, handled in one frame, as a touch frame that reaches X
/// as a mouse sends them; otherwise a frame between press and release.
fn click(app: &mut App, position: Vec2, one_frame: bool) {
    let window = primary_window(app);
    let moved = CursorMoved { window, position, delta: None };
    app.world_mut().write_message(moved.clone());
    app.world_mut().write_message(WindowEvent::CursorMoved(moved));
    for state in [ButtonState::Pressed, ButtonState::Released] {
        let button = MouseButtonInput { button: MouseButton::Left, state, window };
        app.world_mut().write_message(button);
        app.world_mut().write_message(WindowEvent::MouseButtonInput(button));
        if !one_frame {
            app.update();
        }
    }
    settle(app);
}

#[test]
fn a_tap_that_arrives_in_one_frame_is_not_lost() {
    let mut app = kiosk_app(None, 90);
    click(&mut app, Vec2::new(960.0, 540.0), true);
    assert_eq!(screen(&app), Screen::Home, "the first tap, with no pointer position before it");
    let tile = centre_of(&mut app, "办事指南").unwrap();
    click(&mut app, tile, true);
    assert_eq!(screen(&app), Screen::Guides, "a tap elsewhere than the pointer was");
    // A finger down and up within one frame, never hovering before.
    let home = centre_of(&mut app, "首页").unwrap();
    touch(&mut app, TouchPhase::Started, home);
    touch(&mut app, TouchPhase::Ended, home);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home, "a touch that starts and ends in one frame");
}

#[test]
fn a_mouse_works_as_well_as_a_finger() {
    let mut app = kiosk_app(None, 90);
    click(&mut app, Vec2::new(960.0, 540.0), false);
    assert_eq!(screen(&app), Screen::Home);
    let tile = centre_of(&mut app, "办事指南").unwrap();
    click(&mut app, tile, false);
    assert_eq!(screen(&app), Screen::Guides);
    let home = centre_of(&mut app, "首页").unwrap();
    click(&mut app, home, false);
    assert_eq!(screen(&app), Screen::Home);
}

/// The checker's minimal fixture, built and checked as bundle version 42, as the sync
/// worker hands it over; the folder lives as long as the first value.
fn minimal_update() -> (tempfile::TempDir, ContentUpdate) {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("v42");
    let options = BuildOptions { bundle_version: Some(42), created_at: chrono::Utc::now(), check: CheckOptions::at_local_now() };
    assert!(build_bundle(std::path::Path::new(gongkai_testkit::MINIMAL_BUNDLE), &bundle, &options).unwrap().is_clean());
    let checked = check_bundle(&bundle, &CheckOptions::at_local_now());
    let library = std::sync::Arc::new(Library::new(checked.content, &bundle));
    (dir, ContentUpdate { library, version: 42, built: None, folder: bundle })
}

/// A channel into the app as the sync worker's.
fn connect_sync(app: &mut App) -> std::sync::mpsc::Sender<ContentUpdate> {
    let (sender, receiver) = std::sync::mpsc::channel();
    app.insert_resource(SyncConnection::new(receiver, Default::default()));
    sender
}

#[test]
fn new_content_waits_until_the_visitor_is_back_home() {
    let (_dir, update) = minimal_update();
    let library = update.library.clone();
    let mut app = kiosk_app(None, 90);
    let sender = connect_sync(&mut app);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    tap(&mut app, "政府信息");
    tap_at(&mut app, Vec2::new(960.0, 330.0));
    assert_eq!(screen(&app), Screen::Reader);
    let before = app.world().resource::<Shown>().0.as_ref().unwrap().content.documents.len();
    sender.send(update).unwrap();
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Reader, "the visitor keeps reading");
    assert_eq!(app.world().resource::<Shown>().0.as_ref().unwrap().content.documents.len(), before);
    tap(&mut app, "首页");
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    let shown = app.world().resource::<Shown>().0.clone().unwrap();
    assert!(std::sync::Arc::ptr_eq(&shown, &library), "the new bundle is on screen");
    assert_eq!(app.world().resource::<kiosk::KioskFacts>().bundle_version, 42);
    let count = format!("{} 件政府文件", gongkai_core::number_format::grouped(library.content.documents.len() as u64));
    assert!(texts(&mut app).contains(&count), "home shows the new content: {count}");
    assert!(!can_go_back(&app));
}

/// The texts a screenshot paints over: those in a node marked `VisitorInput`.
fn blanked_texts(app: &mut App) -> Vec<String> {
    let mut marked = app.world_mut().query_filtered::<Entity, With<VisitorInput>>();
    let roots: Vec<Entity> = marked.iter(app.world()).collect();
    roots.into_iter().flat_map(|root| texts_under(app, root)).collect()
}

#[test]
fn what_a_visitor_types_is_marked_to_be_blanked_in_any_screenshot() {
    let mut app = kiosk_app(None, 90);
    tap_at(&mut app, Vec2::new(960.0, 540.0));
    tap(&mut app, "搜索：标题、文号、拼音首字母");
    assert!(blanked_texts(&mut app).is_empty(), "nothing typed yet: {:?}", blanked_texts(&mut app));
    tap(&mut app, "Z");
    tap(&mut app, "C");
    let blanked = blanked_texts(&mut app);
    assert!(blanked.iter().any(|t| t.contains("zc")), "the query: {blanked:?}");
    assert!(blanked.iter().any(|t| t.starts_with("共 ") || t.starts_with("约 ")), "the results: {blanked:?}");
    assert!(!blanked.iter().any(|t| t == "A"), "not the keyboard");
    tap(&mut app, "手写");
    let blanked = blanked_texts(&mut app);
    assert!(blanked.iter().any(|t| t == "重写") && blanked.iter().any(|t| t == "联想"), "the pad and its candidates: {blanked:?}");
    tap(&mut app, "首页");
    open_admin(&mut app);
    tap(&mut app, "2");
    tap(&mut app, "4");
    assert_eq!(blanked_texts(&mut app), ["●●"], "the PIN digits, and not the keypad");
}

/// The texts below `root`, in order.
fn texts_under(app: &mut App, root: Entity) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(entity) = stack.pop() {
        if let Some(text) = app.world().get::<Text>(entity) {
            found.push(text.0.clone());
        }
        if let Some(children) = app.world().get::<Children>(entity) {
            stack.extend(children.iter().rev());
        }
    }
    found
}

#[test]
fn a_wall_shows_new_content_from_its_next_page_and_never_tears_down_the_page_on_screen() {
    // Long enough for the fonts to load and the first checks to run within the first page.
    const PAGE_S: f32 = 10.0;
    let prepared = kiosk::prepare_with(Some("kiosk-config/led-wall.toml".into()), |config| {
        let wall = config.wall.as_mut().unwrap();
        wall.pages.retain(|p| matches!(p.page.as_str(), "disclosure" | "key-work"));
        gongkai_testkit::wall_pages_always_on(&mut wall.pages, PAGE_S);
    })
    .unwrap();
    let mut app = kiosk::app(prepared, AppKind::Headless { width: 1920, height: 1080 });
    app.finish();
    app.cleanup();
    let sender = connect_sync(&mut app);
    let page = |app: &App| app.world().resource::<Player>().page();
    let started = std::time::Instant::now();
    while page(&app).is_none() || app.world().resource::<Assets<Font>>().len() < 2 {
        assert!(started.elapsed() < Duration::from_secs(30), "the wall shows its first page");
        app.update();
        std::thread::sleep(Duration::from_millis(10));
    }
    settle(&mut app);
    let first = page(&app).unwrap();
    let on_screen = texts_under(&mut app, first);
    assert!(on_screen.iter().any(|t| t.contains("政务公开")), "the first page is the disclosure page: {on_screen:?}");

    let (_dir, update) = minimal_update();
    // The key-work page counts the tasks of the content it was built from: 1 here, 48 in the demo.
    let new_count = format!("{} 项重点工作平均进度", update.library.content.key_work.len());
    let library = update.library.clone();
    sender.send(update).unwrap();
    settle(&mut app);
    let shown = app.world().resource::<Shown>().0.clone().unwrap();
    assert!(std::sync::Arc::ptr_eq(&shown, &library), "the new bundle is taken at once");
    assert_eq!(page(&app), Some(first), "the page on screen stays");
    assert_eq!(texts_under(&mut app, first), on_screen, "and shows what it showed");

    // The page stays as it was until it has slid off the screen; the next is built from the
    // new content.
    while app.world().get_entity(first).is_ok() {
        assert!(started.elapsed() < Duration::from_secs(60), "the next page comes after {PAGE_S} s");
        assert_eq!(texts_under(&mut app, first), on_screen, "the page is not rebuilt while it is up");
        app.update();
        std::thread::sleep(Duration::from_millis(20));
    }
    let next = page(&app).unwrap();
    let next_texts = texts_under(&mut app, next);
    assert!(next_texts.contains(&new_count), "the key-work page shows {new_count:?}: {next_texts:?}");
}

/// A kiosk whose `[print]` names `queue`, allowing `per_job` pages a job.
fn kiosk_with_printer(queue: &str, per_job: usize) -> App {
    let queue = queue.to_string();
    kiosk_app_with(move |config| {
        config.print = Some(PrintSection { queue, max_pages_per_job: per_job, pages_per_day: 300 });
    })
}

/// Waits, in real time, until the screen shows a text containing `part`, and returns it.
fn wait_for_text(app: &mut App, part: &str) -> String {
    for _ in 0..600 {
        app.update();
        if let Some(text) = texts(app).into_iter().find(|t| t.contains(part)) {
            settle(app);
            return text;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no text with {part:?} within 30 s: {:?}", texts(app));
}

#[test]
#[ignore = "prints through the CUPS test queue: needs root (scripts/test runs it as root)"]
fn printing_a_document_says_the_pages_first_then_sends_them_to_cups() {
    let spool = Path::new("/var/spool/gongkai-test-printer");
    // The longest demo document runs to two pages; this kiosk prints one a job.
    let mut app = kiosk_with_printer("gongkai-test", 1);
    let library = app.world().resource::<Shown>().0.clone().unwrap();
    let (index, document) = library.content.documents.iter().enumerate().max_by_key(|(_, d)| d.body.chars().count()).unwrap();
    app.world_mut().write_message(Navigate::To(Route::opening(Screen::Reader, index)));
    settle(&mut app);
    // cups-pdf names its file after the title: an earlier print of it goes first.
    for earlier in std::fs::read_dir(spool).unwrap().flatten() {
        std::fs::remove_file(earlier.path()).unwrap();
    }
    tap(&mut app, "打印");
    let plan = wait_for_text(&mut app, "本机此次最多可打印 1 页");
    assert!(plan.starts_with("共 2 页") && plan.contains("将打印前 1 页"), "{plan}");
    tap(&mut app, "确认打印");
    wait_for_text(&mut app, "已发送到打印机，共 1 页");
    // The job is done when CUPS no longer lists it; cups-pdf has then written the whole file.
    let printed = (0..300)
        .find_map(|_| {
            std::thread::sleep(Duration::from_millis(100));
            let queued = std::process::Command::new("lpstat").args(["-o", "gongkai-test"]).output().unwrap().stdout;
            let file = std::fs::read_dir(spool).unwrap().flatten().map(|e| e.path()).next();
            file.filter(|_| queued.is_empty())
        })
        .expect("the test printer wrote the job");
    let text = std::process::Command::new("pdftotext").arg(&printed).arg("-").output().unwrap().stdout;
    let text: String = String::from_utf8(text).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    let title: String = document.title.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains(&title), "the printed pages carry the title");
    assert!(text.contains("第1页/共2页") && !text.contains("第2页/共"), "one page printed");
    tap(&mut app, "完成");
    assert!(!texts(&mut app).iter().any(|t| t.contains("打印机")), "the dialog is closed");
}

#[test]
#[ignore = "asks the CUPS scheduler that scripts/test starts as root"]
fn a_printer_this_pc_lacks_is_said_plainly_and_nothing_prints() {
    let mut app = kiosk_with_printer("gongkai-no-such-queue", 20);
    app.world_mut().write_message(Navigate::To(Route::opening(Screen::Guides, 0)));
    settle(&mut app);
    tap(&mut app, "打印");
    wait_for_text(&mut app, "打印机暂停服务");
    assert!(centre_of(&mut app, "确认打印").is_none(), "nothing to confirm");
    tap(&mut app, "知道了");
    assert_eq!(screen(&app), Screen::Guides);
}

#[test]
fn a_document_an_attachment_a_guide_and_a_catalogue_item_offer_printing() {
    let mut app = kiosk_app(None, 90);
    let library = app.world().resource::<Shown>().0.clone().unwrap();
    for (name, route) in kiosk::named_routes(Some(&library)) {
        app.world_mut().write_message(Navigate::To(route));
        settle(&mut app);
        let offered = centre_of(&mut app, "打印").is_some();
        let printable = matches!(name, "reader" | "attachment" | "guide" | "catalogue-item");
        assert_eq!(offered, printable, "打印 on {name}");
    }
}

#[test]
fn a_kiosk_without_a_printer_offers_no_printing() {
    let mut app = kiosk_app_with(|config| config.print = None);
    app.world_mut().write_message(Navigate::To(Route::opening(Screen::Reader, 0)));
    settle(&mut app);
    assert!(centre_of(&mut app, "打印").is_none());
}

/// A kiosk app on `config` showing the demo's cover (`first_content`), with `behind` checked
/// behind it once the first frame is drawn.
fn on_the_demo_cover(config: &str, behind: kiosk::BehindCover) -> App {
    use gongkai_core::library::cover::Cover;
    let mut prepared = kiosk::prepare_with(Some(config.into()), |_| {}).unwrap();
    let demo = prepared.facts.bundle_folder.clone();
    let now = chrono::Local::now().naive_local();
    let cover = Cover::of(&check_bundle(&demo, &CheckOptions { now }).content, "0".repeat(64), (1, chrono::Utc::now()), now);
    prepared.shown = Shown(Some(std::sync::Arc::new(Library::of_cover(cover, &demo))));
    prepared.behind_cover = Some(behind);
    let mut app = kiosk::app(prepared, AppKind::Headless { width: 1920, height: 1080 });
    app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(100)));
    app.finish();
    app.cleanup();
    app
}

/// Runs frames until `done` holds (the check behind a cover runs on its own thread).
fn run_until(app: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    for _ in 0..2000 {
        app.update();
        if done(app) {
            return settle(app);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("never: {what} (screen {:?})", screen(app));
}

fn shows_documents(app: &App) -> bool {
    app.world().resource::<Shown>().0.as_ref().is_some_and(|library| library.is_complete())
}

#[test]
fn a_cover_whose_bundles_are_both_refused_behind_it_gives_way_to_the_out_of_service_screen() {
    let missing = std::env::temp_dir().join("gongkai-no-such-bundle");
    let mut app = on_the_demo_cover(CONFIG, kiosk::BehindCover::new(missing.clone(), missing));
    run_until(&mut app, "the cover on the attract loop", |app| screen(app) == Screen::Attract);
    run_until(&mut app, "out of service", |app| screen(app) == Screen::OutOfService);
    assert!(app.world().resource::<Shown>().0.is_none());
    let facts = app.world().resource::<kiosk::KioskFacts>();
    assert_eq!((facts.bundle_version, facts.manifest_sha256.as_str()), (0, ""), "the heartbeat reports no bundle");
}

#[test]
fn a_wall_keeps_its_playlist_when_the_check_behind_its_cover_brings_another_bundle() {
    let missing = std::env::temp_dir().join("gongkai-no-such-bundle");
    let demo = PathBuf::from(gongkai_testkit::DEMO_BUNDLE);
    let mut app = on_the_demo_cover("kiosk-config/led-wall.toml", kiosk::BehindCover::new(missing, demo));
    run_until(&mut app, "the wall on the cover", |app| screen(app) == Screen::Wall);
    run_until(&mut app, "the demo bundle checked behind the cover", shows_documents);
    assert_eq!(screen(&app), Screen::Wall);
}

#[test]
fn while_a_cover_is_shown_the_documents_page_says_they_are_loading() {
    let missing = std::env::temp_dir().join("gongkai-no-such-bundle");
    let demo = PathBuf::from(gongkai_testkit::DEMO_BUNDLE);
    let mut app = on_the_demo_cover(CONFIG, kiosk::BehindCover::new(missing, demo));
    // The check starts after the first full frame, once the fonts are in: a few frames after.
    settle(&mut app);
    app.world_mut().write_message(Navigate::To(Route::to(Screen::Documents)));
    settle(&mut app);
    let to_come = app.world().resource::<Shown>().0.as_ref().unwrap().to_come();
    let loading = format!("本专区的 {} 件政府文件和 {} 篇政策解读正在载入，请稍候片刻。", to_come.documents, to_come.interpretations);
    assert!(!shows_documents(&app) && screen(&app) == Screen::Documents);
    assert!(texts(&mut app).contains(&loading), "{:?}", texts(&mut app));
    // Another bundle came (the configured one was refused): the visitor starts over on it.
    run_until(&mut app, "the demo bundle checked behind the cover", shows_documents);
    assert_eq!(screen(&app), Screen::Attract);
}
