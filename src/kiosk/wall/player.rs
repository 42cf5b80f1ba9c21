//! Plays the playlist: each page for its seconds (skipping pages outside their hours), then
//! the next slides in from the right as the old one slides out, both drawn all the way, so
//! no frame is ever empty. New content is picked up by the next page.

use std::time::Duration;

use bevy::{ecs::system::SystemParam, prelude::*};

use super::{WallSettings, frame::Stage, page::spawn_page};
use gongkai_core::dashboards::DashboardKind;
use crate::kiosk::{hall_clock::HallClock, Shown, navigation::{Navigation, Screen}, pacing::NextChange, widgets::{QrMaker, Ui}};

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

impl Player {
    /// The page on the stage, or arriving on it during a slide.
    pub fn page(&self) -> Option<Entity> {
        self.page
    }

    /// The playlist entry of that page; `None` while a page is held.
    pub fn entry(&self) -> Option<usize> {
        self.entry
    }
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

/// What building a page on the stage needs.
#[derive(SystemParam)]
pub struct PageBuilder<'w, 's> {
    settings: Res<'w, WallSettings>,
    shown: Res<'w, Shown>,
    clock: Res<'w, HallClock>,
    stages: Query<'w, 's, Entity, With<Stage>>,
    ui: Ui<'w>,
    qr: QrMaker<'w>,
}

impl PageBuilder<'_, '_> {
    /// Puts `kind` on the stage; `None` before the frame is up or without content.
    fn build(&mut self, commands: &mut Commands, kind: DashboardKind) -> Option<Entity> {
        let library = self.shown.0.clone()?;
        let stage = self.stages.single().ok()?;
        Some(spawn_page(commands, stage, kind, &library, &self.settings, self.clock.now(), &self.ui, &mut self.qr))
    }

    fn entry(&self, after: Option<usize>) -> (usize, DashboardKind, f32) {
        let playlist = &self.settings.playlist;
        let next = playlist.next(after, self.clock.now());
        (next, playlist.entries[next].page, playlist.entries[next].seconds)
    }
}

pub fn start(mut commands: Commands, mut player: ResMut<Player>, navigation: Res<Navigation>, mut pages: PageBuilder) {
    let (kind, entry, seconds) = match navigation.current.open {
        Some(held) => (DashboardKind::ALL[held.min(DashboardKind::ALL.len() - 1)], None, f32::INFINITY),
        None => {
            let (entry, kind, seconds) = pages.entry(None);
            (kind, Some(entry), seconds)
        }
    };
    let Some(page) = pages.build(&mut commands, kind) else { return };
    *player = Player { entry, remaining_s: seconds, page: Some(page), slide: None, paused: player.paused };
}

fn advance(
    mut commands: Commands,
    // Real time: how long a page stays up is a wall-clock promise, whatever the frame rate.
    time: Res<Time<Real>>,
    mut player: ResMut<Player>,
    mut pages: PageBuilder,
    mut shown_pages: MessageWriter<PageShown>,
    mut next_change: ResMut<NextChange>,
) {
    if player.paused || player.slide.is_some() {
        return;
    }
    let (Some(current), Some(leaving)) = (player.entry, player.page) else { return };
    player.remaining_s -= time.delta_secs();
    if player.remaining_s > 0.0 {
        next_change.within(Duration::from_secs_f32(player.remaining_s.min(3600.0)));
        return;
    }
    let (next, kind, seconds) = pages.entry(Some(current));
    let Some(arriving) = pages.build(&mut commands, kind) else { return };
    commands.entity(arriving).insert(UiTransform::from_translation(Val2::new(percent(100), px(0))));
    player.entry = Some(next);
    player.remaining_s = seconds;
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
