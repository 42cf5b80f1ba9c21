//! Fleet alerts. When a kiosk goes offline, freezes or fails to sync, and again when it
//! recovers, the hub posts a webhook and sends an e-mail. It sends one alert per kiosk and
//! channel per change of state: what each channel last said of each kiosk is kept in the
//! store, so neither a kiosk that stays down nor a restart of the hub repeats it. A channel
//! that fails is tried again at the next look, without holding up the other.

mod config;
mod deliver;
mod problems;

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
};

pub use config::{AlertConfig, read_alerts};
pub use problems::Problem;

use super::current;
use crate::Hub;
use deliver::Deliverer;
use problems::{Change, problems_of};

/// Looks at the fleet every `check_every` and sends what changed, for as long as the hub runs.
pub async fn watch(hub: Arc<Hub>, config: AlertConfig) {
    let deliverer = match Deliverer::new(&config) {
        Ok(deliverer) => deliverer,
        Err(e) => return eprintln!("alerts: {e}; no alerts will be sent"),
    };
    let store = Arc::clone(&hub.store);
    let mut sent: BTreeMap<(String, String), BTreeSet<Problem>> = match tokio::task::spawn_blocking(move || store.alerts_sent()).await {
        Ok(Ok(rows)) => rows.into_iter().map(|(channel, kiosk, problems)| ((channel, kiosk), problems)).collect(),
        _ => return eprintln!("alerts: the database cannot be read; no alerts will be sent"),
    };
    let mut tick = tokio::time::interval(config.check_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let (kiosks, _) = current(&hub);
        let at = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
        for kiosk in &kiosks {
            let Some(now) = problems_of(kiosk) else { continue };
            for channel in deliverer.channels() {
                let key = (channel.as_str().to_string(), kiosk.kiosk_id.clone());
                let Some(change) = Change::between(sent.get(&key).unwrap_or(&BTreeSet::new()), now.clone(), kiosk) else { continue };
                if let Err(e) = deliverer.send(channel, &change, &at).await {
                    eprintln!("alerts: {} by {}: not sent, tried again in {} s: {e}", change.summary(), channel.as_str(), config.check_every.as_secs());
                    continue;
                }
                let store = Arc::clone(&hub.store);
                let (channel_name, kiosk_id, problems) = (key.0.clone(), key.1.clone(), now.clone());
                let saved = tokio::task::spawn_blocking(move || store.save_alert_sent(&channel_name, &kiosk_id, &problems)).await;
                if !matches!(saved, Ok(Ok(()))) {
                    eprintln!("alerts: {}: sent, but not recorded; a restart may send it again", change.summary());
                }
                sent.insert(key, now.clone());
            }
        }
    }
}
