//! Publisher signatures over a bundle's manifest.json (ed25519). The manifest names the
//! SHA-256 of every file, so one signature covers the whole bundle.
//!
//! - `NAME.key`: the secret key, 64 hex digits; keep it on the publishing machine only.
//! - `NAME.pub`: the public key, 64 hex digits; it goes into every kiosk's config.
//! - `manifest.sig` in the bundle: `ed25519 PUBLIC-KEY-HEX SIGNATURE-HEX`, one line. Naming the
//!   key lets a kiosk tell an unknown key from a bad signature.

use std::{
    fmt,
    fs::{self, OpenOptions},
    io::Write,
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use crate::content::bundle_files::{MANIFEST, SIGNATURE};

/// Makes a new key pair as `PREFIX.key` (mode 0600) and `PREFIX.pub`; refuses to overwrite.
pub fn generate_key_pair(prefix: &Path) -> Result<(PathBuf, PathBuf), String> {
    let secret_path = prefix.with_extension("key");
    let public_path = prefix.with_extension("pub");
    let seed = crate::random::bytes::<32>().map_err(|e| format!("/dev/urandom: {e}"))?;
    let key = SigningKey::from_bytes(&seed);
    let mut secret = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&secret_path)
        .map_err(|e| format!("{}: {e}", secret_path.display()))?;
    writeln!(secret, "{}", hex::encode(key.to_bytes())).map_err(|e| format!("{}: {e}", secret_path.display()))?;
    fs::write(&public_path, format!("{}\n", hex::encode(key.verifying_key().to_bytes())))
        .map_err(|e| format!("{}: {e}", public_path.display()))?;
    Ok((secret_path, public_path))
}

pub fn read_signing_key(path: &Path) -> Result<SigningKey, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes: [u8; 32] = hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("{}: not a secret key (64 hex digits)", path.display()))?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// A public key from its 64 hex digits (as in `NAME.pub` and kiosk configs).
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    hex::decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or_else(|| format!("{:?} is not an ed25519 public key (64 hex digits)", text.trim()))
}

/// Writes `manifest.sig` for the bundle in `dir`.
pub fn sign_bundle(dir: &Path, key: &SigningKey) -> Result<(), String> {
    let manifest_path = dir.join(MANIFEST);
    let manifest = fs::read(&manifest_path).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let line = signature_line(&manifest, key);
    let path = dir.join(SIGNATURE);
    fs::write(&path, line).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn signature_line(manifest: &[u8], key: &SigningKey) -> String {
    let signature = key.sign(manifest);
    format!("ed25519 {} {}\n", hex::encode(key.verifying_key().to_bytes()), hex::encode(signature.to_bytes()))
}

/// Why a manifest's signature is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureProblem {
    Malformed,
    UnknownKey(String),
    DoesNotMatch,
}

impl fmt::Display for SignatureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureProblem::Malformed => write!(f, "{SIGNATURE} is not `ed25519 KEY SIGNATURE`"),
            SignatureProblem::UnknownKey(key) => write!(f, "signed with key {key}, which this kiosk does not trust"),
            SignatureProblem::DoesNotMatch => write!(f, "signature does not match manifest.json"),
        }
    }
}

/// Checks `signature` (the text of manifest.sig) over `manifest` against the trusted keys.
pub fn verify_manifest(manifest: &[u8], signature: &str, trusted: &[VerifyingKey]) -> Result<(), SignatureProblem> {
    let parts: Vec<&str> = signature.split_whitespace().collect();
    let ["ed25519", key_hex, signature_hex] = parts[..] else { return Err(SignatureProblem::Malformed) };
    let key = parse_public_key(key_hex).map_err(|_| SignatureProblem::Malformed)?;
    let signature: [u8; 64] =
        hex::decode(signature_hex).ok().and_then(|b| b.try_into().ok()).ok_or(SignatureProblem::Malformed)?;
    if !trusted.contains(&key) {
        return Err(SignatureProblem::UnknownKey(key_hex.to_ascii_lowercase()));
    }
    key.verify(manifest, &Signature::from_bytes(&signature)).map_err(|_| SignatureProblem::DoesNotMatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sign_and_verify_and_refuse_everything_else() {
        let dir = tempfile::tempdir().unwrap();
        let (secret, public) = generate_key_pair(&dir.path().join("publisher")).unwrap();
        assert!(generate_key_pair(&dir.path().join("publisher")).is_err(), "never overwrites a key");
        let key = read_signing_key(&secret).unwrap();
        let trusted = [parse_public_key(&fs::read_to_string(public).unwrap()).unwrap()];
        let manifest = br#"{"format":1,"bundle_version":7}"#;
        let line = signature_line(manifest, &key);
        assert_eq!(verify_manifest(manifest, &line, &trusted), Ok(()));
        assert_eq!(verify_manifest(br#"{"format":1,"bundle_version":8}"#, &line, &trusted), Err(SignatureProblem::DoesNotMatch));
        let stranger = SigningKey::from_bytes(&[9; 32]);
        let foreign = signature_line(manifest, &stranger);
        assert!(matches!(verify_manifest(manifest, &foreign, &trusted), Err(SignatureProblem::UnknownKey(_))));
        // A stranger's signature presented under the trusted key's name does not match.
        let forged = format!("ed25519 {} {}", hex::encode(trusted[0].to_bytes()), foreign.split(' ').nth(2).unwrap());
        assert_eq!(verify_manifest(manifest, &forged, &trusted), Err(SignatureProblem::DoesNotMatch));
        for junk in ["", "ed25519", "rsa 00 00", "ed25519 zz 00"] {
            assert_eq!(verify_manifest(manifest, junk, &trusted), Err(SignatureProblem::Malformed), "{junk}");
        }
    }
}
