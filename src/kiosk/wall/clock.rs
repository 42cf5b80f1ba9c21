//! The clock in the wall's frame, rewritten only when the minute changes.

use bevy::prelude::*;
use chrono::{Datelike, NaiveDateTime, Timelike};

use crate::kiosk::hall_clock::HallClock;

pub fn plugin(app: &mut App) {
    app.add_systems(Update, tick.run_if(any_with_component::<ClockText>));
}

/// The frame's clock text.
#[derive(Component)]
pub struct ClockText;

/// `11月22日 星期日 14:05`.
pub fn clock_text(now: NaiveDateTime) -> String {
    const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    format!(
        "{}月{}日 星期{} {:02}:{:02}",
        now.month(),
        now.day(),
        WEEKDAYS[now.weekday().num_days_from_monday() as usize],
        now.hour(),
        now.minute()
    )
}

fn tick(clock: Res<HallClock>, mut texts: Query<&mut Text, With<ClockText>>) {
    let shown = clock_text(clock.now());
    for mut text in &mut texts {
        // Only a changed value is laid out again.
        if text.0 != shown {
            text.0 = shown.clone();
        }
    }
}
