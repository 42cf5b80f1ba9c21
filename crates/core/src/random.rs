//! Random bytes from the operating system, for keys, salts, session ids and 查询码; and
//! numbers for jitter, which need no such strength.

use std::{
    collections::hash_map::RandomState,
    fs::File,
    hash::{BuildHasher, Hasher},
    io::Read,
};

/// `N` bytes from `/dev/urandom`.
pub fn bytes<const N: usize>() -> std::io::Result<[u8; N]> {
    let mut out = [0u8; N];
    File::open("/dev/urandom")?.read_exact(&mut out)?;
    Ok(out)
}

/// 32 random bytes as 64 hex digits: session ids, CSRF tokens, device cookies.
pub fn hex_token() -> std::io::Result<String> {
    Ok(hex::encode(bytes::<32>()?))
}

/// A number in [0, 1) from the standard library's per-process random hashing keys: spreads
/// a fleet's retries, never a secret.
pub fn fraction() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}
