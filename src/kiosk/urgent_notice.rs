//! 紧急通知 on a touch kiosk: while an urgent notice is current, every screen carries a banner
//! that opens it, and the attract loop shows it first. When one starts or expires, the screen
//! in use is drawn again with or without it. (An LED wall is taken over instead: `wall::urgent`.)

use std::time::Duration;

use bevy::{prelude::*, time::common_conditions::on_timer};

use super::{
    Shown,
    hall_clock::HallClock,
    navigation::{Navigate, Screen},
};
use gongkai_core::dashboards;

pub fn plugin(app: &mut App) {
    app.add_systems(Startup, follow).add_systems(Update, follow.run_if(on_timer(Duration::from_secs(1))));
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
    // A PIN half typed is not thrown away; the admin panel has no banner.
    if !matches!(screen.get(), Screen::Admin | Screen::Wall | Screen::OutOfService) {
        navigate.write(Navigate::Refresh);
    }
}
