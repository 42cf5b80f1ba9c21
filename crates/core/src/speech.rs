//! 朗读: reads text aloud through an external command (default `espeak-ng` with its Mandarin
//! voice), so any text-to-speech engine the hall has can be plugged in by configuration.

use std::{
    env,
    io::Write,
    path::PathBuf,
    process::{Child, Command, Stdio},
};

/// The program and its arguments; the text goes to its standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeechCommand {
    pub program: String,
    pub args: Vec<String>,
}

impl Default for SpeechCommand {
    fn default() -> Self {
        Self { program: "espeak-ng".into(), args: vec!["-v".into(), "cmn".into(), "--stdin".into()] }
    }
}

impl SpeechCommand {
    pub fn from_words(words: &[String]) -> Option<Self> {
        let (program, args) = words.split_first()?;
        Some(Self { program: program.clone(), args: args.to_vec() })
    }

    /// Where the program is, when it is installed.
    pub fn locate(&self) -> Option<PathBuf> {
        let program = PathBuf::from(&self.program);
        if program.components().count() > 1 {
            return program.is_file().then_some(program);
        }
        let path = env::var_os("PATH")?;
        env::split_paths(&path).map(|dir| dir.join(&self.program)).find(|candidate| candidate.is_file())
    }

    /// Starts reading `text`; the caller stops it by killing the child.
    pub fn speak(&self, text: &str) -> Result<Child, String> {
        let Some(program) = self.locate() else {
            return Err(format!("朗读功能未安装（找不到 {}）", self.program));
        };
        let mut child = Command::new(program)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("朗读无法启动：{e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A long text fills the pipe faster than it is spoken: write from a thread so the
            // screen never waits. A reader stopped early closes the pipe; that is no error.
            let text = text.to_owned();
            std::thread::spawn(move || {
                let _ = stdin.write_all(text.as_bytes());
            });
        }
        Ok(child)
    }
}

#[cfg(test)]
mod tests {
    use super::SpeechCommand;

    #[test]
    fn a_missing_program_says_so_plainly() {
        let command = SpeechCommand { program: "no-such-speaker-xyz".into(), args: vec![] };
        assert!(command.locate().is_none());
        assert_eq!(command.speak("你好").unwrap_err(), "朗读功能未安装（找不到 no-such-speaker-xyz）");
    }

    #[test]
    fn the_text_reaches_the_program() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("spoken.txt");
        let command = SpeechCommand::from_words(&["sh".into(), "-c".into(), format!("cat > {}", out.display())]).unwrap();
        assert!(command.locate().is_some());
        let status = command.speak("第一条 总则").unwrap().wait().unwrap();
        assert!(status.success());
        assert_eq!(std::fs::read_to_string(out).unwrap(), "第一条 总则");
    }
}
