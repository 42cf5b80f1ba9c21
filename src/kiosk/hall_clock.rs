//! The hall's local time as every screen sees it: which notices are current, which urgent.

use bevy::prelude::*;
use chrono::NaiveDateTime;

pub fn plugin(app: &mut App) {
    app.init_resource::<HallClock>();
}

/// Hall local time; `fixed` shows the screens as at one moment (`render --at`, tests).
#[derive(Resource, Debug, Clone, Default)]
pub struct HallClock {
    pub fixed: Option<NaiveDateTime>,
}

impl HallClock {
    pub fn now(&self) -> NaiveDateTime {
        self.fixed.unwrap_or_else(|| chrono::Local::now().naive_local())
    }
}
