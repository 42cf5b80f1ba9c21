//! The wall's sense of time and the clock in its frame, rewritten only when the minute changes.

use bevy::prelude::*;
use chrono::{Datelike, NaiveDateTime, Timelike};

pub fn plugin(app: &mut App) {
    app.init_resource::<WallClock>().add_systems(Update, tick.run_if(any_with_component::<ClockText>));
}

/// Hall local time; `fixed` shows the wall as at one moment (renders, tests).
#[derive(Resource, Debug, Clone, Default)]
pub struct WallClock {
    pub fixed: Option<NaiveDateTime>,
}

impl WallClock {
    pub fn now(&self) -> NaiveDateTime {
        self.fixed.unwrap_or_else(|| chrono::Local::now().naive_local())
    }
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

fn tick(clock: Res<WallClock>, mut texts: Query<&mut Text, With<ClockText>>) {
    let shown = clock_text(clock.now());
    for mut text in &mut texts {
        // Only a changed value is laid out again.
        if text.0 != shown {
            text.0 = shown.clone();
        }
    }
}
