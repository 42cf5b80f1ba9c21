//! Sending an alert: a JSON POST to the webhook, an e-mail through SMTP (lettre).

use std::time::Duration;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor, message::header::ContentType,
    transport::smtp::authentication::Credentials,
};

use super::{
    config::{AlertConfig, Email, Tls},
    problems::Change,
};

/// One way an alert goes out; each remembers what it last sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Channel {
    Webhook,
    Email,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Webhook => "webhook",
            Channel::Email => "email",
        }
    }
}

/// A receiver that does not answer within this is tried again at the next look.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);

pub struct Deliverer {
    client: reqwest::Client,
    webhook: Option<String>,
    email: Option<(AsyncSmtpTransport<Tokio1Executor>, Email)>,
}

impl Deliverer {
    pub fn new(config: &AlertConfig) -> Result<Self, String> {
        let client = reqwest::Client::builder().timeout(SEND_TIMEOUT).build().map_err(|e| format!("webhook client: {e}"))?;
        let email = config.email.clone().map(|email| Ok::<_, String>((mailer(&email)?, email))).transpose()?;
        Ok(Self { client, webhook: config.webhook.clone(), email })
    }

    pub fn channels(&self) -> Vec<Channel> {
        let mut channels = Vec::new();
        if self.webhook.is_some() {
            channels.push(Channel::Webhook);
        }
        if self.email.is_some() {
            channels.push(Channel::Email);
        }
        channels
    }

    pub async fn send(&self, channel: Channel, change: &Change<'_>, at: &str) -> Result<(), String> {
        match channel {
            Channel::Webhook => {
                let Some(url) = &self.webhook else { return Ok(()) };
                let body = change.json(at).to_string();
                let request = self.client.post(url).header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
                let shown = without_query(url);
                let response = request.send().await.map_err(|e| format!("{shown}: {}", e.without_url()))?;
                let status = response.status();
                if status.is_success() { Ok(()) } else { Err(format!("{shown}: answered {status}")) }
            }
            Channel::Email => {
                let Some((mailer, email)) = &self.email else { return Ok(()) };
                let mut message = Message::builder().from(email.from.clone()).subject(change.subject());
                for to in &email.to {
                    message = message.to(to.clone());
                }
                let message = message.header(ContentType::TEXT_PLAIN).body(change.text(at)).map_err(|e| format!("e-mail: {e}"))?;
                mailer.send(message).await.map(|_| ()).map_err(|e| format!("{}:{}: {e}", email.server, email.port))
            }
        }
    }
}

/// A webhook's address as the log shows it: chat-bot webhooks carry their token in the query.
fn without_query(url: &str) -> String {
    match url.split_once('?') {
        Some((address, _)) => format!("{address}?…"),
        None => url.to_string(),
    }
}

fn mailer(email: &Email) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = match email.tls {
        Tls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&email.server),
        Tls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&email.server).map_err(|e| format!("{}: {e}", email.server))?,
        Tls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&email.server).map_err(|e| format!("{}: {e}", email.server))?,
    };
    let mut builder = builder.port(email.port).timeout(Some(SEND_TIMEOUT));
    if let Some((user, password)) = &email.credentials {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_token_stays_out_of_the_log() {
        assert_eq!(without_query("https://oapi.example.cn/robot/send?access_token=s3cret"), "https://oapi.example.cn/robot/send?…");
        assert_eq!(without_query("http://127.0.0.1:9000/hook"), "http://127.0.0.1:9000/hook");
    }
}
