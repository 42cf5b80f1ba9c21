//! The static layout over HTTP, with ETag (If-None-Match) and Range, for the kiosks' sync.

use std::sync::Arc;

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

use super::Hub;
use gongkai_core::sync::layout::PUBLISHED_MANIFEST;

/// Only the three kinds of path the layout has; anything else is 404, never a file outside.
fn is_layout_path(path: &str) -> bool {
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    match path.split('/').collect::<Vec<_>>()[..] {
        ["bundle", "manifest.json"] => true,
        ["signatures", name] => name.strip_suffix(".sig").is_some_and(|n| hex(n, 64)),
        ["objects", prefix, name] => hex(prefix, 2) && hex(name, 64) && name.starts_with(prefix),
        _ => false,
    }
}

pub async fn file(State(hub): State<Arc<Hub>>, Path(path): Path<String>, headers: HeaderMap) -> Response {
    if !is_layout_path(&path) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let bytes = match tokio::fs::read(hub.data.join(&path)).await {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    // Objects and signatures never change under their name; the manifest's tag is its hash.
    let tag = if path == PUBLISHED_MANIFEST {
        format!("\"{}\"", hex::encode(Sha256::digest(&bytes)))
    } else {
        format!("\"{}\"", path.rsplit('/').next().unwrap_or_default())
    };
    let cache = if path == PUBLISHED_MANIFEST { "no-cache" } else { "public, max-age=31536000, immutable" };
    let mut response_headers = HeaderMap::new();
    response_headers.insert(header::ETAG, HeaderValue::from_str(&tag).expect("hex is a valid header"));
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response_headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(tag.as_str()) {
        return (StatusCode::NOT_MODIFIED, response_headers).into_response();
    }
    match headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        None => (StatusCode::OK, response_headers, Body::from(bytes)).into_response(),
        Some(range) => match parse_range(range, bytes.len() as u64) {
            Some((start, end)) => {
                let content_range = format!("bytes {start}-{end}/{}", bytes.len());
                response_headers.insert(header::CONTENT_RANGE, HeaderValue::from_str(&content_range).expect("ASCII"));
                let part = bytes[start as usize..=end as usize].to_vec();
                (StatusCode::PARTIAL_CONTENT, response_headers, Body::from(part)).into_response()
            }
            None => {
                let content_range = format!("bytes */{}", bytes.len());
                response_headers.insert(header::CONTENT_RANGE, HeaderValue::from_str(&content_range).expect("ASCII"));
                (StatusCode::RANGE_NOT_SATISFIABLE, response_headers).into_response()
            }
        },
    }
}

/// One range `bytes=START-[END]` within `len` bytes, as inclusive bounds.
fn parse_range(range: &str, len: u64) -> Option<(u64, u64)> {
    let (start, end) = range.strip_prefix("bytes=")?.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = if end.trim().is_empty() { len.checked_sub(1)? } else { end.trim().parse().ok()? };
    (start <= end && end < len).then_some((start, end.min(len - 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_layout_paths_are_served() {
        let sha = "ab".repeat(32);
        assert!(is_layout_path("bundle/manifest.json"));
        assert!(is_layout_path(&format!("objects/ab/{sha}")));
        assert!(is_layout_path(&format!("signatures/{sha}.sig")));
        for path in ["bundle/../../etc/passwd", "objects/ab/../x", &format!("objects/cd/{sha}"), "bundle", ""] {
            assert!(!is_layout_path(path), "{path}");
        }
    }

    #[test]
    fn ranges_resume_and_refuse_beyond_the_end() {
        assert_eq!(parse_range("bytes=10-", 100), Some((10, 99)));
        assert_eq!(parse_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(parse_range("bytes=100-", 100), None);
        assert_eq!(parse_range("bytes=5-2", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
    }
}
