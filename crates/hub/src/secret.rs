//! The hub's own key, kept in `DATA/hub-secret` (created on first start, readable by the
//! hub's user only). It seals the values the hub hands to browsers and must recognise later
//! — device cookies, the log-in form's token, the cookie of a browser that has signed in
//! before — so that a client cannot make them up.

use std::{io::Write, path::Path};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use gongkai_core::handoff::constant_time_eq;

const FILE: &str = "hub-secret";
const KEY_BYTES: usize = 32;
/// Enough to make guessing hopeless; short enough for a cookie.
const MAC_BYTES: usize = 16;

pub struct HubSecret {
    key: [u8; KEY_BYTES],
}

/// What a sealed value is for: a value sealed for one purpose never opens as another.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    Device,
    LoginForm,
    KnownBrowser,
}

impl Purpose {
    fn context(self) -> &'static [u8] {
        match self {
            Purpose::Device => b"gongkai-hub device v1\n",
            Purpose::LoginForm => b"gongkai-hub login form v1\n",
            Purpose::KnownBrowser => b"gongkai-hub known browser v1\n",
        }
    }
}

impl HubSecret {
    /// Reads the key in `data`, or makes one there.
    pub fn load_or_create(data: &Path) -> Result<Self, String> {
        let path = data.join(FILE);
        let named = |e: std::io::Error| format!("{}: {e}", path.display());
        match std::fs::read(&path) {
            Ok(bytes) => {
                let key = bytes.try_into().map_err(|_| format!("{}: must hold {KEY_BYTES} bytes; delete it to make a new one (signed-in staff then sign in again)", path.display()))?;
                Ok(Self { key })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = gongkai_core::random::bytes::<KEY_BYTES>().map_err(|e| format!("no randomness for {}: {e}", path.display()))?;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(&path).map_err(named)?;
                file.write_all(&key).and_then(|()| file.sync_all()).map_err(named)?;
                Ok(Self { key })
            }
            Err(e) => Err(named(e)),
        }
    }

    fn mac(&self, purpose: Purpose, payload: &[u8]) -> [u8; MAC_BYTES] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(purpose.context());
        mac.update(payload);
        let mut out = [0; MAC_BYTES];
        out.copy_from_slice(&mac.finalize().into_bytes()[..MAC_BYTES]);
        out
    }

    /// `payload` and its MAC, as hex (a valid cookie value).
    pub fn seal(&self, purpose: Purpose, payload: &[u8]) -> String {
        let mut sealed = payload.to_vec();
        sealed.extend_from_slice(&self.mac(purpose, payload));
        hex::encode(sealed)
    }

    /// The payload of a value this hub sealed for `purpose`; `None` for anything else.
    pub fn open(&self, purpose: Purpose, sealed: &str) -> Option<Vec<u8>> {
        let bytes = hex::decode(sealed).ok()?;
        let split = bytes.len().checked_sub(MAC_BYTES)?;
        let (payload, mac) = bytes.split_at(split);
        constant_time_eq(mac, &self.mac(purpose, payload)).then(|| payload.to_vec())
    }
}

/// `value` as 8 big-endian bytes, and back: the timestamps and ids inside sealed values.
pub fn be_bytes(value: i64) -> [u8; 8] {
    value.to_be_bytes()
}

pub fn from_be(bytes: &[u8]) -> Option<i64> {
    Some(i64::from_be_bytes(bytes.get(..8)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_for_their_purpose_and_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let secret = HubSecret::load_or_create(dir.path()).unwrap();
        let sealed = secret.seal(Purpose::Device, b"phone");
        assert_eq!(secret.open(Purpose::Device, &sealed).as_deref(), Some(&b"phone"[..]));
        assert_eq!(secret.open(Purpose::LoginForm, &sealed), None, "another purpose");
        let mut forged = sealed.clone().into_bytes();
        forged[0] = if forged[0] == b'0' { b'1' } else { b'0' };
        assert_eq!(secret.open(Purpose::Device, &String::from_utf8(forged).unwrap()), None);
        assert_eq!(secret.open(Purpose::Device, "abcd"), None, "shorter than a MAC");
        let again = HubSecret::load_or_create(dir.path()).unwrap();
        assert_eq!(again.open(Purpose::Device, &sealed).as_deref(), Some(&b"phone"[..]), "the key is kept");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by the hub's user only");
        }
        std::fs::write(dir.path().join(FILE), b"short").unwrap();
        let error = HubSecret::load_or_create(dir.path()).err().unwrap();
        assert!(error.contains("hub-secret") && error.contains("32 bytes"), "{error}");
    }
}
