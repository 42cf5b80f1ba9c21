//! Fleet alerts. When a kiosk goes offline, freezes or fails to sync, and again when it
//! recovers, the hub posts a webhook and sends an e-mail. It sends one alert per kiosk and
//! channel per change of state: what each channel last said of each kiosk is kept in the
//! store, so neither a kiosk that stays down nor a restart of the hub repeats it. Each channel
//! runs on its own: one that fails or hangs is tried again at the next look, and the other
//! goes on.

mod config;
mod deliver;
mod problems;

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
    time::Duration,
};

pub use config::{AlertConfig, read_alerts};
pub use problems::Problem;

use super::current;
use crate::{Hub, submissions::store::Store};
use deliver::{Channel, Deliverer};
use problems::{Change, problems_while_alerted};

/// What each channel last sent of each kiosk.
type Sent = BTreeMap<String, BTreeSet<Problem>>;

/// The alert channels, ready to send, and what each last sent. Built when the hub opens, so
/// that a configuration that cannot work stops the start rather than the first alert.
pub struct Alerter {
    deliverer: Arc<Deliverer>,
    check_every: Duration,
    sent: BTreeMap<Channel, Sent>,
}

impl Alerter {
    pub fn new(config: &AlertConfig, store: &dyn Store) -> Result<Self, String> {
        let deliverer = Deliverer::new(config)?;
        let mut sent: BTreeMap<Channel, Sent> = deliverer.channels().into_iter().map(|channel| (channel, Sent::new())).collect();
        for (channel, kiosk, problems) in store.alerts_sent().map_err(|e| format!("alerts: {e}"))? {
            if let Some(kiosks) = sent.iter_mut().find_map(|(c, kiosks)| (c.as_str() == channel).then_some(kiosks)) {
                kiosks.insert(kiosk, problems);
            }
        }
        Ok(Self { deliverer: Arc::new(deliverer), check_every: config.check_every, sent })
    }

    /// Starts one watch per channel on the current tokio runtime.
    pub fn start(&self, hub: &Arc<Hub>) {
        for (channel, sent) in &self.sent {
            tokio::spawn(watch(Arc::clone(hub), Arc::clone(&self.deliverer), *channel, sent.clone(), self.check_every));
        }
    }
}

/// Looks at the fleet every `check_every` and sends what changed by `channel`, for as long as
/// the hub runs.
async fn watch(hub: Arc<Hub>, deliverer: Arc<Deliverer>, channel: Channel, mut sent: Sent, check_every: Duration) {
    // A hub just started has heard no kiosk yet: its first look waits until every running
    // kiosk has had time to report, or all would be called offline.
    let offline_after_s = hub.fleet.lock().map(|f| f.offline_after_s).unwrap_or_default();
    tokio::time::sleep(Duration::from_secs(offline_after_s.max(0) as u64)).await;
    let mut tick = tokio::time::interval(check_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let (kiosks, _) = current(&hub);
        let at = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
        for kiosk in &kiosks {
            let alerted = sent.get(&kiosk.kiosk_id).cloned().unwrap_or_default();
            let Some(now) = problems_while_alerted(kiosk, &alerted) else { continue };
            let Some(change) = Change::between(&alerted, now.clone(), kiosk) else { continue };
            if let Err(e) = deliverer.send(channel, &change, &at).await {
                eprintln!("alerts: {} by {}: not sent, tried again in {} s: {e}", change.summary(), channel.as_str(), check_every.as_secs());
                continue;
            }
            let store = Arc::clone(&hub.store);
            let (kiosk_id, problems) = (kiosk.kiosk_id.clone(), now.clone());
            let saved = tokio::task::spawn_blocking(move || store.save_alert_sent(channel.as_str(), &kiosk_id, &problems)).await;
            if !matches!(saved, Ok(Ok(()))) {
                eprintln!("alerts: {}: sent, but not recorded; a restart may send it again", change.summary());
            }
            sent.insert(kiosk.kiosk_id.clone(), now);
        }
    }
}
