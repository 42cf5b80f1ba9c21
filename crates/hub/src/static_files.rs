//! The static layout over HTTP, with ETag (If-None-Match) and Range as RFC 9110 has them,
//! for the kiosks' sync. Files are served only from inside the data folder: a symlink that
//! leads out of it is not followed.

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
    let bytes = match read_inside(&hub.data, &path).await {
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
    let if_none_match: Vec<&str> = headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).collect();
    if none_match_fails(&if_none_match, &tag) {
        return (StatusCode::NOT_MODIFIED, response_headers).into_response();
    }
    match headers.get(header::RANGE).and_then(|v| v.to_str().ok()).map(|range| parse_range(range, bytes.len() as u64)) {
        None | Some(Range::Ignored) => (StatusCode::OK, response_headers, Body::from(bytes)).into_response(),
        Some(Range::Bytes(start, end)) => {
            let content_range = format!("bytes {start}-{end}/{}", bytes.len());
            response_headers.insert(header::CONTENT_RANGE, HeaderValue::from_str(&content_range).expect("ASCII"));
            let part = bytes[start as usize..=end as usize].to_vec();
            (StatusCode::PARTIAL_CONTENT, response_headers, Body::from(part)).into_response()
        }
        Some(Range::Unsatisfiable) => {
            let content_range = format!("bytes */{}", bytes.len());
            response_headers.insert(header::CONTENT_RANGE, HeaderValue::from_str(&content_range).expect("ASCII"));
            (StatusCode::RANGE_NOT_SATISFIABLE, response_headers).into_response()
        }
    }
}

/// Reads `path` under `data` (a real path), refusing (as not found) a file whose real path
/// leads out of the data folder through a symlink.
async fn read_inside(data: &std::path::Path, path: &str) -> std::io::Result<Vec<u8>> {
    let real = tokio::fs::canonicalize(data.join(path)).await?;
    if !real.starts_with(data) {
        return Err(std::io::ErrorKind::NotFound.into());
    }
    tokio::fs::read(real).await
}

/// Whether `If-None-Match` (all its header lines) matches `tag`, by weak comparison, or
/// is `*` (any current file): the client's copy is then current.
fn none_match_fails(lines: &[&str], tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    lines.iter().flat_map(|line| line.split(',')).any(|candidate| candidate.trim() == "*" || opaque(candidate) == opaque(tag))
}

#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// Inclusive bounds within the file.
    Bytes(u64, u64),
    /// A valid range wholly past the end: 416.
    Unsatisfiable,
    /// Not one byte range this server serves (another unit, a list, bad syntax): RFC 9110
    /// lets a server ignore it and send the whole file with 200.
    Ignored,
}

/// One range of `bytes=START-[END]` or the suffix `bytes=-LENGTH`, within `len` bytes.
fn parse_range(range: &str, len: u64) -> Range {
    let Some(spec) = range.trim().strip_prefix("bytes=") else { return Range::Ignored };
    if spec.contains(',') {
        return Range::Ignored;
    }
    let Some((first, last)) = spec.trim().split_once('-') else { return Range::Ignored };
    let number = |t: &str| if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) { t.parse::<u64>().ok() } else { None };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        // The last LENGTH bytes; all of them when LENGTH is larger than the file.
        return match number(last) {
            Some(0) => Range::Unsatisfiable,
            Some(_) if len == 0 => Range::Unsatisfiable,
            Some(suffix) => Range::Bytes(len.saturating_sub(suffix), len - 1),
            None => Range::Ignored,
        };
    }
    let Some(start) = number(first) else { return Range::Ignored };
    let end = if last.is_empty() { None } else { match number(last) { Some(end) => Some(end), None => return Range::Ignored } };
    if end.is_some_and(|end| end < start) {
        return Range::Ignored;
    }
    if start >= len {
        return Range::Unsatisfiable;
    }
    Range::Bytes(start, end.unwrap_or(len - 1).min(len - 1))
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
    fn ranges_follow_rfc_9110() {
        assert_eq!(parse_range("bytes=10-", 100), Range::Bytes(10, 99));
        assert_eq!(parse_range("bytes=0-9", 100), Range::Bytes(0, 9));
        assert_eq!(parse_range("bytes=90-200", 100), Range::Bytes(90, 99), "an end past the file is the file's end");
        assert_eq!(parse_range("bytes=-30", 100), Range::Bytes(70, 99), "the last 30 bytes");
        assert_eq!(parse_range("bytes=-300", 100), Range::Bytes(0, 99), "a suffix longer than the file");
        assert_eq!(parse_range("bytes=100-", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=5-2", 100), Range::Ignored, "invalid: the whole file");
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Range::Ignored, "a list: the whole file");
        assert_eq!(parse_range("items=0-1", 100), Range::Ignored);
        assert_eq!(parse_range("bytes=x-", 100), Range::Ignored);
    }

    #[test]
    fn if_none_match_takes_lists_weak_tags_and_any() {
        let tag = "\"abc\"";
        assert!(none_match_fails(&["\"abc\""], tag));
        assert!(none_match_fails(&["\"x\", W/\"abc\""], tag), "a list with a weak match");
        assert!(none_match_fails(&["\"x\"", "\"abc\""], tag), "over two header lines");
        assert!(none_match_fails(&["*"], tag));
        assert!(!none_match_fails(&["\"x\", \"y\""], tag));
        assert!(!none_match_fails(&[], tag));
    }
}
