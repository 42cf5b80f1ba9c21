//! 朗读 on the reader: speaks through the configured command and stops when the visitor
//! leaves the page or the kiosk resets.

use std::process::Child;

use bevy::prelude::*;

use super::{idle::VisitorLeft, navigation::Screen};
use gongkai_core::speech::SpeechCommand;

pub fn plugin(app: &mut App) {
    app.add_observer(speak_on_tap)
        .add_systems(OnExit(Screen::Reader), stop)
        .add_systems(Update, stop.run_if(on_message::<VisitorLeft>));
}

#[derive(Resource)]
pub struct Speaker {
    command: Option<SpeechCommand>,
    speaking: Option<Child>,
}

impl Speaker {
    pub fn new(command: Option<SpeechCommand>) -> Self {
        Self { command, speaking: None }
    }

    /// The button's label: says plainly when reading aloud cannot work here.
    pub fn button_label(&self) -> &'static str {
        match &self.command {
            Some(command) if command.locate().is_some() => "朗读",
            _ => "朗读（本机未安装）",
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.speaking.take() {
            // Already finished is fine; the point is that it is quiet now.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Put on the 朗读 button with the text to read.
#[derive(Component)]
pub struct SpeakOnTap(pub String);

fn speak_on_tap(click: On<Pointer<Click>>, buttons: Query<&SpeakOnTap>, mut speaker: ResMut<Speaker>) {
    let Ok(SpeakOnTap(text)) = buttons.get(click.entity) else { return };
    let was_speaking = speaker.speaking.is_some();
    speaker.stop();
    if was_speaking {
        return; // a second tap stops reading
    }
    match speaker.command.as_ref().map(|c| c.speak(text)) {
        Some(Ok(child)) => speaker.speaking = Some(child),
        Some(Err(problem)) => warn!("{problem}"),
        None => warn!("no 朗读 command configured"),
    }
}

fn stop(mut speaker: ResMut<Speaker>) {
    speaker.stop();
}
