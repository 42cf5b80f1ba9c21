//! How charts move: bars grow, rings and donuts sweep round, digits roll into place, reels
//! (ticker, long tables) scroll through their window. Every motion changes transforms, sizes
//! or gradients only: no text is laid out again and no asset is made while it runs, and a
//! finished motion removes its component so a still page costs nothing.

use std::f32::consts::TAU;

use bevy::{prelude::*, window::RequestRedraw};

pub fn plugin(app: &mut App) {
    app.init_resource::<ChartMotion>()
        .add_systems(Update, (grow, sweep, roll_digits, scroll_reels, request_frames).chain());
}

/// Whether charts animate; `gongkai render` turns it off to capture the finished state.
#[derive(Resource, Debug, Clone, Copy)]
pub struct ChartMotion {
    pub animate: bool,
}

impl Default for ChartMotion {
    fn default() -> Self {
        Self { animate: true }
    }
}

/// Seconds an entry animation takes.
const ENTRY_S: f32 = 1.2;

fn ease_out(t: f32) -> f32 {
    1.0 - (1.0 - t.clamp(0.0, 1.0)).powi(3)
}

/// A bar growing to `target` percent of its track along `axis`.
#[derive(Component, Debug, Clone, Copy)]
pub struct Grow {
    pub axis: Axis,
    pub target: f32,
    pub progress: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Width,
    Height,
}

impl Grow {
    pub fn to(axis: Axis, target: f32) -> Self {
        Self { axis, target: target.clamp(0.0, 100.0), progress: 0.0 }
    }
}

/// A ring or donut drawn as a conic gradient of hard-edged segments that sweeps round from
/// the top: each segment is a colour and the fraction of the circle where it ends.
#[derive(Component, Debug, Clone)]
pub struct Sweep {
    pub segments: Vec<(Color, f32)>,
    /// What shows where no segment is yet (the ring's track).
    pub rest: Color,
    pub progress: f32,
}

impl Sweep {
    pub fn new(segments: Vec<(Color, f32)>, rest: Color) -> Self {
        Self { segments, rest, progress: 0.0 }
    }

    /// The gradient with the segments swept `t` (0–1) of the way round.
    pub fn gradient(&self, t: f32) -> BackgroundGradient {
        let mut stops = Vec::with_capacity(2 * self.segments.len() + 2);
        let mut start = 0.0;
        for &(color, end) in &self.segments {
            let end = (end * t).clamp(0.0, 1.0) * TAU;
            stops.push(AngularColorStop::new(color, start));
            stops.push(AngularColorStop::new(color, end));
            start = end;
        }
        stops.push(AngularColorStop::new(self.rest, start));
        stops.push(AngularColorStop::new(self.rest, TAU));
        BackgroundGradient::from(ConicGradient::new(UiPosition::CENTER, stops))
    }
}

/// A column of the digits 0–9 in a one-line window, rolling until `target` shows.
#[derive(Component, Debug, Clone, Copy)]
pub struct RollingDigit {
    pub target: u8,
    /// The height of one line, logical pixels.
    pub line: f32,
    pub progress: f32,
}

/// Content that moves through a clipping window by design (digit columns, the ticker, long
/// tables): the window fits its parent, the reel extends past it. The layout report says so.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Reel;

/// A reel that scrolls forever: `speed` logical pixels a second towards the start of `axis`,
/// wrapping every `period` pixels (one copy of its content), after a `pause` at each `step`
/// when it moves in steps (table rows) rather than continuously (the ticker).
#[derive(Component, Debug, Clone, Copy)]
pub struct Scroll {
    pub axis: Axis,
    pub speed: f32,
    pub period: f32,
    pub step: Option<(f32, f32)>,
    pub offset: f32,
    pub resting: f32,
}

impl Scroll {
    pub fn continuous(axis: Axis, speed: f32, period: f32) -> Self {
        Self { axis, speed, period, step: None, offset: 0.0, resting: 0.0 }
    }
    /// Moves one `step` at a time, resting `pause` seconds between.
    pub fn stepped(axis: Axis, speed: f32, period: f32, step: f32, pause: f32) -> Self {
        Self { axis, speed, period, step: Some((step, pause)), offset: 0.0, resting: 0.0 }
    }

    /// Advances by `dt` seconds.
    fn advance(&mut self, dt: f32) {
        if self.period <= 0.0 {
            return;
        }
        match self.step {
            None => self.offset = (self.offset + self.speed * dt) % self.period,
            Some((step, pause)) => {
                if self.resting < pause {
                    self.resting += dt;
                    return;
                }
                let before = (self.offset / step).floor();
                self.offset += self.speed * dt;
                let after = (self.offset / step).floor();
                if after > before {
                    // Arrived at the next row: rest there.
                    self.offset = after * step;
                    self.resting = 0.0;
                }
                if self.offset >= self.period - 0.01 {
                    self.offset = 0.0;
                }
            }
        }
    }
}

fn step_of(progress: &mut f32, motion: &ChartMotion, dt: f32) -> f32 {
    *progress = if motion.animate { (*progress + dt / ENTRY_S).min(1.0) } else { 1.0 };
    ease_out(*progress)
}

fn grow(mut commands: Commands, time: Res<Time>, motion: Res<ChartMotion>, mut bars: Query<(Entity, &mut Grow, &mut Node)>) {
    for (entity, mut grow, mut node) in &mut bars {
        let axis = grow.axis;
        let target = grow.target;
        let value = percent(target * step_of(&mut grow.progress, &motion, time.delta_secs()));
        match axis {
            Axis::Width => node.width = value,
            Axis::Height => node.height = value,
        }
        if grow.progress >= 1.0 {
            commands.entity(entity).remove::<Grow>();
        }
    }
}

fn sweep(mut commands: Commands, time: Res<Time>, motion: Res<ChartMotion>, mut rings: Query<(Entity, &mut Sweep, &mut BackgroundGradient)>) {
    for (entity, mut sweep, mut background) in &mut rings {
        let mut progress = sweep.progress;
        let t = step_of(&mut progress, &motion, time.delta_secs());
        sweep.progress = progress;
        *background = sweep.gradient(t);
        if progress >= 1.0 {
            commands.entity(entity).remove::<Sweep>();
        }
    }
}

fn roll_digits(
    mut commands: Commands,
    time: Res<Time>,
    motion: Res<ChartMotion>,
    mut digits: Query<(Entity, &mut RollingDigit, &mut UiTransform)>,
) {
    for (entity, mut digit, mut transform) in &mut digits {
        let mut progress = digit.progress;
        let t = step_of(&mut progress, &motion, time.delta_secs());
        digit.progress = progress;
        transform.translation.y = px(-(f32::from(digit.target) * t) * digit.line);
        if progress >= 1.0 {
            commands.entity(entity).remove::<RollingDigit>();
        }
    }
}

fn scroll_reels(time: Res<Time>, motion: Res<ChartMotion>, mut reels: Query<(&mut Scroll, &mut UiTransform)>) {
    if !motion.animate {
        return;
    }
    for (mut scroll, mut transform) in &mut reels {
        scroll.advance(time.delta_secs());
        match scroll.axis {
            Axis::Width => transform.translation.x = px(-scroll.offset),
            Axis::Height => transform.translation.y = px(-scroll.offset),
        }
    }
}

/// A screen that otherwise wakes only now and then draws every frame while something moves.
fn request_frames(
    moving: Query<(), Or<(With<Grow>, With<Sweep>, With<RollingDigit>, With<Scroll>)>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if !moving.is_empty() {
        redraw.write(RequestRedraw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stepped_reel_rests_on_each_row_and_wraps() {
        let mut scroll = Scroll::stepped(Axis::Height, 100.0, 300.0, 50.0, 1.0);
        scroll.advance(0.5);
        assert_eq!(scroll.offset, 0.0, "resting");
        scroll.advance(0.6);
        scroll.advance(0.3);
        assert!((scroll.offset - 30.0).abs() < 1e-3, "moving: {}", scroll.offset);
        scroll.advance(0.3);
        assert_eq!(scroll.offset, 50.0, "stops at the next row");
        for _ in 0..100 {
            scroll.advance(0.25);
        }
        assert!(scroll.offset < 300.0);
        let mut ticker = Scroll::continuous(Axis::Width, 100.0, 250.0);
        ticker.advance(3.0);
        assert!((ticker.offset - 50.0).abs() < 1e-3, "ticker: {}", ticker.offset);
    }
}
