//! The hall's printer, through CUPS's own commands (`lpstat`, `lp`), as any program on the
//! kiosk PC prints: the integrator sets up the queue once, the kiosk only names it.

use std::{
    io::Read,
    path::Path,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

/// How long `lpstat` or `lp` may take: a scheduler that does not answer is a printer that
/// cannot print now, not a kiosk that waits for ever.
const CUPS_TIMEOUT: Duration = Duration::from_secs(10);

/// What CUPS says of the queue, as far as a visitor at the kiosk needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterState {
    Ready,
    OutOfPaper,
    PaperJam,
    Offline,
    /// Stopped by staff or after a fault CUPS does not name.
    Paused,
    /// The queue does not exist: the kiosk's config names a printer this PC does not have.
    Missing,
}

impl PrinterState {
    /// What the screen says when it cannot print now.
    pub fn notice(self) -> Option<&'static str> {
        match self {
            PrinterState::Ready => None,
            PrinterState::OutOfPaper => Some("打印机缺纸，暂时不能打印。请联系大厅工作人员加纸，或扫码在手机上查看。"),
            PrinterState::PaperJam => Some("打印机卡纸，暂时不能打印。请联系大厅工作人员处理，或扫码在手机上查看。"),
            PrinterState::Offline => Some("打印机未连接，暂时不能打印。请联系大厅工作人员，或扫码在手机上查看。"),
            PrinterState::Paused | PrinterState::Missing => Some("打印机暂停服务。请联系大厅工作人员，或扫码在手机上查看。"),
        }
    }
}

/// Asks CUPS for the state of `queue`.
pub fn printer_state(queue: &str) -> Result<PrinterState> {
    let mut lpstat = Command::new("lpstat");
    lpstat.env("LC_ALL", "C").args(["-l", "-p", queue]);
    let output = run(lpstat).context("cannot ask CUPS for the printer: lpstat")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() || stdout.trim().is_empty() {
        if stderr.contains("Invalid destination name") || stderr.contains("Unknown destination") {
            return Ok(PrinterState::Missing);
        }
        bail!("cannot ask CUPS for printer {queue}: {}", stderr.trim());
    }
    Ok(state_of(&stdout))
}

/// Reads `lpstat -l -p` output: its `Alerts:` line holds the IPP printer-state-reasons.
fn state_of(lpstat: &str) -> PrinterState {
    let alerts: Vec<&str> = lpstat
        .lines()
        .find_map(|line| line.trim().strip_prefix("Alerts:"))
        .map(|reasons| reasons.split_whitespace().collect())
        .unwrap_or_default();
    let has = |prefix: &str| alerts.iter().any(|reason| reason.starts_with(prefix));
    if has("media-empty") || has("media-needed") {
        PrinterState::OutOfPaper
    } else if has("media-jam") {
        PrinterState::PaperJam
    } else if has("offline") || has("connecting-to-device") {
        PrinterState::Offline
    } else if lpstat.lines().next().is_some_and(|line| line.contains(" disabled since ")) || has("paused") {
        PrinterState::Paused
    } else {
        PrinterState::Ready
    }
}

/// Sends `pdf` to `queue` as one A4 job titled `title`, printing its first `pages` pages,
/// and returns CUPS's job id.
pub fn submit(queue: &str, pdf: &Path, title: &str, pages: usize) -> Result<String> {
    let mut lp = Command::new("lp");
    lp.env("LC_ALL", "C")
        .args(["-d", queue, "-t", title, "-o", "media=A4", "-o", "fit-to-page"])
        .args(["-o", &format!("page-ranges=1-{pages}"), "--"])
        .arg(pdf);
    let output = run(lp).context("cannot print: lp")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("CUPS refused the job for {queue}: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    stdout
        .split_whitespace()
        .skip_while(|word| *word != "is")
        .nth(1)
        .map(str::to_string)
        .with_context(|| format!("CUPS answered without a job id: {}", stdout.trim()))
}

/// Runs a CUPS command to its end or for `CUPS_TIMEOUT`, whichever comes first. Its output
/// is a few lines, well within what a pipe holds while it runs.
fn run(mut command: Command) -> Result<Output> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("did not run (install cups-client)")?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > CUPS_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            bail!("no answer from CUPS within {} s", CUPS_TIMEOUT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    child.stdout.take().map(|mut out| out.read_to_end(&mut stdout));
    child.stderr.take().map(|mut err| err.read_to_end(&mut stderr));
    Ok(Output { status, stdout, stderr })
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDLE: &str = "printer hall is idle.  enabled since Fri Dec  4 15:04:55 2026\n\tForm mounted:\n\tAlerts: none\n";

    #[test]
    fn alerts_name_the_fault() {
        assert_eq!(state_of(IDLE), PrinterState::Ready);
        let no_paper = "printer hall disabled since Fri Dec  4 15:05:10 2026 -\n\tout of paper\n\tAlerts: media-empty-error paused\n";
        assert_eq!(state_of(no_paper), PrinterState::OutOfPaper);
        assert_eq!(state_of("printer hall is idle.\n\tAlerts: media-jam-error\n"), PrinterState::PaperJam);
        assert_eq!(state_of("printer hall is idle.\n\tAlerts: offline-report\n"), PrinterState::Offline);
        assert_eq!(state_of("printer hall disabled since Fri -\n\treason unknown\n\tAlerts: paused\n"), PrinterState::Paused);
    }
}
