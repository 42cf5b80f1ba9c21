//! Random bytes from the operating system, for keys, salts, session ids and 查询码.

use std::{fs::File, io::Read};

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
