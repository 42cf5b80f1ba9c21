//! Plays the playlist: each page for its seconds (skipping pages outside their hours), then
//! the next slides in from the right as the old one slides out, both drawn all the way, so
//! no frame is ever empty. New content is picked up by the next page.

use bevy::prelude::*;

use super::{WallSettings, clock::WallClock, frame::Stage, page::spawn_page};
use crate::{
    dashboards::DashboardKind,
    kiosk::{
        Shown,
        navigation::{Navigation, Screen},
        widgets::{QrMaker, Ui},
    },
};

pub fn plugin(app: &mut App) {
    app.init_resource::<Player>()
        .add_message::<PageShown>()
        .add_systems(Update, (advance, slide).chain().run_if(in_state(Screen::Wall)));
}

/// What the wall is showing.
#[derive(Resource, Debug, Default)]
pub struct Player {
    /// The playlist entry on the stage; `None` while a page is held (renders, tests).
    entry: Option<usize>,
    remaining_s: f32,
    page: Option<Entity>,
    slide: Option<Slide>,
    /// An urgent notice has the wall: the playlist waits.
    pub paused: bool,
}

#[derive(Debug, Clone, Copy)]
struct Slide {
    leaving: Entity,
    arriving: Entity,
    progress: f32,
}

/// Sent in the frame a playlist page is put on the stage (the wall benchmark counts cycles
/// and times page switches by it).
#[derive(Message, Debug, Clone, Copy)]
pub struct PageShown {
    /// Its place in the playlist.
    pub entry: usize,
}

#[allow(clippy::too_many_arguments)]
pub fn start(
    mut commands: Commands,
    mut player: ResMut<Player>,
    navigation: Res<Navigation>,
    settings: Res<WallSettings>,
    shown: Res<Shown>,
    clock: Res<WallClock>,
    stages: Query<Entity, With<Stage>>,
    ui: Ui,
    mut qr: QrMaker,
) {
    let (Some(library), Ok(stage)) = (shown.0.as_deref(), stages.single()) else { return };
    let now = clock.now();
    let (kind, entry) = match navigation.current.open {
        Some(held) => (DashboardKind::ALL[held.min(DashboardKind::ALL.len() - 1)], None),
        None => {
            let entry = settings.playlist.next(None, now);
            (settings.playlist.entries[entry].page, Some(entry))
        }
    };
    let page = spawn_page(&mut commands, stage, kind, library, &settings, now, &ui, &mut qr);
    *player = Player {
        entry,
        remaining_s: entry.map_or(f32::INFINITY, |e| settings.playlist.entries[e].seconds),
        page: Some(page),
        slide: None,
        paused: player.paused,
    };
}

#[allow(clippy::too_many_arguments)]
fn advance(
    mut commands: Commands,
    time: Res<Time>,
    mut player: ResMut<Player>,
    settings: Res<WallSettings>,
    shown: Res<Shown>,
    clock: Res<WallClock>,
    stages: Query<Entity, With<Stage>>,
    ui: Ui,
    mut qr: QrMaker,
    mut shown_pages: MessageWriter<PageShown>,
) {
    if player.paused || player.slide.is_some() {
        return;
    }
    let Some(current) = player.entry else { return };
    player.remaining_s -= time.delta_secs();
    if player.remaining_s > 0.0 {
        return;
    }
    let (Some(library), Ok(stage), Some(leaving)) = (shown.0.as_deref(), stages.single(), player.page) else { return };
    let now = clock.now();
    let next = settings.playlist.next(Some(current), now);
    let arriving = spawn_page(&mut commands, stage, settings.playlist.entries[next].page, library, &settings, now, &ui, &mut qr);
    commands.entity(arriving).insert(UiTransform::from_translation(Val2::new(percent(100), px(0))));
    player.entry = Some(next);
    player.remaining_s = settings.playlist.entries[next].seconds;
    player.page = Some(arriving);
    player.slide = Some(Slide { leaving, arriving, progress: 0.0 });
    shown_pages.write(PageShown { entry: next });
}

fn slide(
    mut commands: Commands,
    time: Res<Time>,
    mut player: ResMut<Player>,
    settings: Res<WallSettings>,
    mut transforms: Query<&mut UiTransform>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    let Some(mut slide) = player.slide else { return };
    slide.progress = (slide.progress + time.delta_secs() / settings.transition_s.max(0.001)).min(1.0);
    let eased = 1.0 - (1.0 - slide.progress).powi(3);
    if let Ok(mut leaving) = transforms.get_mut(slide.leaving) {
        leaving.translation.x = percent(-100.0 * eased);
    }
    if let Ok(mut arriving) = transforms.get_mut(slide.arriving) {
        arriving.translation.x = percent(100.0 * (1.0 - eased));
    }
    redraw.write(bevy::window::RequestRedraw);
    if slide.progress >= 1.0 {
        commands.entity(slide.leaving).despawn();
        player.slide = None;
    } else {
        player.slide = Some(slide);
    }
}
