//! `alerts.toml`: where the hub sends fleet alerts (a webhook, e-mail or both) and how often
//! it looks at the fleet. Every mistake is named with the file and the field.

use std::{fs, path::Path, time::Duration};

use lettre::message::Mailbox;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertsFile {
    #[serde(default = "default_check_every_s")]
    check_every_s: u64,
    webhook: Option<WebhookFile>,
    email: Option<EmailFile>,
}

fn default_check_every_s() -> u64 {
    30
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookFile {
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailFile {
    server: String,
    port: Option<u16>,
    #[serde(default)]
    tls: Tls,
    from: String,
    to: Vec<String>,
    username: Option<String>,
    /// A file holding the password alone, so that the config can be world-readable.
    password_file: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tls {
    /// Plain SMTP: a relay on the same machine or the same trusted network only.
    None,
    /// STARTTLS on the submission port (587), the usual choice.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// Holds the SMTP password: no `Debug`, so that it is never printed by accident.
#[derive(Clone)]
pub struct Email {
    pub server: String,
    pub port: u16,
    pub tls: Tls,
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub credentials: Option<(String, String)>,
}

#[derive(Clone)]
pub struct AlertConfig {
    pub check_every: Duration,
    pub webhook: Option<String>,
    pub email: Option<Email>,
}

/// Reads and checks `alerts.toml`.
pub fn read_alerts(path: &Path) -> Result<AlertConfig, String> {
    let name = path.display();
    let text = fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let file: AlertsFile = toml::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
    if file.check_every_s == 0 {
        return Err(format!("{name}: check_every_s: must be at least 1"));
    }
    if file.webhook.is_none() && file.email.is_none() {
        return Err(format!("{name}: neither [webhook] nor [email]: alerts would go nowhere"));
    }
    let webhook = match file.webhook {
        Some(WebhookFile { url }) if url.starts_with("http://") || url.starts_with("https://") => Some(url),
        Some(WebhookFile { url }) => return Err(format!("{name}: webhook.url: {url:?} is not an http:// or https:// address")),
        None => None,
    };
    let email = file.email.map(|email| read_email(email, &name.to_string())).transpose()?;
    Ok(AlertConfig { check_every: Duration::from_secs(file.check_every_s), webhook, email })
}

fn read_email(file: EmailFile, name: &str) -> Result<Email, String> {
    let mailbox = |field: &str, text: &str| text.parse::<Mailbox>().map_err(|e| format!("{name}: {field}: {text:?} is not an e-mail address ({e})"));
    let from = mailbox("email.from", &file.from)?;
    if file.to.is_empty() {
        return Err(format!("{name}: email.to: no recipient"));
    }
    let to = file.to.iter().enumerate().map(|(i, to)| mailbox(&format!("email.to[{i}]"), to)).collect::<Result<_, _>>()?;
    let credentials = match (file.username, file.password_file) {
        (Some(user), Some(password_file)) => {
            let password = fs::read_to_string(&password_file).map_err(|e| format!("{name}: email.password_file: {password_file}: {e}"))?;
            Some((user, password.trim_end_matches(['\n', '\r']).to_string()))
        }
        (None, None) => None,
        _ => return Err(format!("{name}: email: username and password_file go together")),
    };
    if credentials.is_some() && file.tls == Tls::None {
        return Err(format!("{name}: email: with tls = \"none\" the password would cross the network in the clear; use starttls or tls"));
    }
    let port = file.port.unwrap_or(match file.tls {
        Tls::None => 25,
        Tls::Starttls => 587,
        Tls::Tls => 465,
    });
    Ok(Email { server: file.server, port, tls: file.tls, from, to, credentials })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<AlertConfig, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alerts.toml");
        fs::write(&path, text).unwrap();
        read_alerts(&path).map_err(|e| e.replace(&path.display().to_string(), "alerts.toml"))
    }

    /// The error a file is refused with (the config itself has no `Debug`, to keep secrets out of logs).
    fn refusal(text: &str) -> String {
        match read(text) {
            Ok(_) => panic!("accepted: {text}"),
            Err(e) => e,
        }
    }

    #[test]
    fn a_good_file_reads_and_each_mistake_is_named() {
        let config = read("[webhook]\nurl = \"http://127.0.0.1:9000/hook\"\n[email]\nserver = \"mail.example.cn\"\nfrom = \"终端 <gk@example.cn>\"\nto = [\"ops@example.cn\"]\n").unwrap();
        assert_eq!(config.check_every, Duration::from_secs(30));
        let email = config.email.unwrap();
        assert_eq!((email.port, email.tls), (587, Tls::Starttls));
        assert_eq!(refusal("check_every_s = 5\n"), "alerts.toml: neither [webhook] nor [email]: alerts would go nowhere");
        assert_eq!(refusal("[webhook]\nurl = \"ftp://x\"\n"), "alerts.toml: webhook.url: \"ftp://x\" is not an http:// or https:// address");
        let bad_to = refusal("[email]\nserver = \"m\"\nfrom = \"gk@example.cn\"\nto = [\"ops@example.cn\", \"值班室\"]\n");
        assert!(bad_to.starts_with("alerts.toml: email.to[1]: \"值班室\" is not an e-mail address"), "{bad_to}");
        let half = refusal("[email]\nserver = \"m\"\nfrom = \"gk@example.cn\"\nto = [\"ops@example.cn\"]\nusername = \"gk\"\n");
        assert_eq!(half, "alerts.toml: email: username and password_file go together");
        assert!(refusal("[webhook]\nurl = \"http://x\"\nsecret = 1\n").contains("unknown field `secret`"));
        let dir = tempfile::tempdir().unwrap();
        let password = dir.path().join("password");
        fs::write(&password, "pw\n").unwrap();
        let plain = format!("[email]\nserver = \"m\"\ntls = \"none\"\nfrom = \"gk@example.cn\"\nto = [\"ops@example.cn\"]\nusername = \"gk\"\npassword_file = {:?}\n", password.display().to_string());
        assert!(refusal(&plain).starts_with("alerts.toml: email: with tls = \"none\" the password would cross the network in the clear"));
        let config = read(&plain.replace("tls = \"none\"", "tls = \"tls\"")).unwrap();
        let email = config.email.unwrap();
        assert_eq!((email.port, email.credentials), (465, Some(("gk".into(), "pw".into()))));
    }

    #[test]
    fn the_example_in_hub_config_reads() {
        let example = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../hub-config/alerts.toml"));
        let config = read_alerts(example).unwrap();
        assert!(config.webhook.is_some() && config.email.is_some());
    }
}
