//! 紧急通知 on a touch kiosk: while an urgent notice is current, every screen carries a band
//! that opens it, and the attract loop shows it first. When one starts or expires, the band is
//! put in or taken out of the screen in use where that changes nothing else (a reader keeps its
//! scroll and 朗读), and screens sized by it (lists, dashboards) are drawn again at the same
//! page. (An LED wall is taken over instead: `wall::urgent`.)

use std::time::Duration;

use bevy::{prelude::*, time::common_conditions::on_timer};

use super::{
    Shown,
    content_updates::{ContentChanged, ContentSwap},
    hall_clock::HallClock,
    navigation::{Navigate, Navigation, Route, Screen},
    widgets::{PageRoot, Ui, UrgentBand, spawn_urgent_banner},
};
use gongkai_core::dashboards;

pub fn plugin(app: &mut App) {
    // New content is looked at in the frame it is shown: a screen at rest sleeps up to 5 s
    // between frames, and an urgent notice just pushed must not wait for the next.
    let look = on_timer(Duration::from_secs(1)).or_eager(on_message::<ContentChanged>);
    app.add_systems(Startup, follow).add_systems(
        Update,
        (follow.run_if(look), redraw_in_place.run_if(resource_changed::<UrgentNotice>)).chain().after(ContentSwap),
    );
}

/// The urgent notice current now, by its place in the content's notices.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct UrgentNotice(pub Option<Urgent>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urgent {
    pub index: usize,
    pub title: String,
}

fn follow(
    shown: Res<Shown>,
    clock: Res<HallClock>,
    mut urgent: ResMut<UrgentNotice>,
    screen: Res<State<Screen>>,
    navigation: Res<Navigation>,
    mut navigate: MessageWriter<Navigate>,
) {
    let now = shown.0.as_deref().and_then(|library| {
        let notice = dashboards::urgent_notice(library, clock.now())?;
        let index = library.content.notices.iter().position(|n| n.id == notice.id)?;
        Some(Urgent { index, title: notice.title.clone() })
    });
    if urgent.0 == now {
        return;
    }
    urgent.0 = now;
    let route = navigation.current;
    // A PIN half typed is not thrown away; the admin panel has no band.
    if !matches!(screen.get(), Screen::Admin | Screen::Wall | Screen::OutOfService) && !takes_band_in_place(&route) {
        navigate.write(Navigate::Refresh);
    }
}

/// Views whose layout does not depend on the band's height; the others size their pages by it.
fn takes_band_in_place(route: &Route) -> bool {
    match route.screen {
        Screen::Home => true,
        Screen::Attract | Screen::Dashboard | Screen::Search => false,
        _ => route.open.is_some(),
    }
}

fn redraw_in_place(
    mut commands: Commands,
    navigation: Res<Navigation>,
    bands: Query<Entity, With<UrgentBand>>,
    roots: Query<Entity, With<PageRoot>>,
    ui: Ui,
) {
    if !takes_band_in_place(&navigation.current) {
        return;
    }
    for band in &bands {
        commands.entity(band).despawn();
    }
    for root in &roots {
        // Under the header, the root's first child.
        if let Some(band) = spawn_urgent_banner(&mut commands, root, &ui) {
            commands.entity(root).insert_children(1, &[band]);
        }
    }
}
