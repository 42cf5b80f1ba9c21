//! Who sent a request, as the hub's limits see it: the peer's address, or the address the
//! trusted reverse proxies name in `X-Forwarded-For` (read from the right, past the proxies
//! themselves; what a client wrote before them is not believed). An IPv6 address counts by its /64, the
//! block one household or one hall network is given, so a client cannot dodge a per-address
//! limit by hopping addresses inside its own block.

use std::{
    convert::Infallible,
    fmt,
    net::{IpAddr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use axum::{extract::FromRequestParts, http::{HeaderMap, request::Parts}};

use crate::{Hub, rate_limit::{Key, key}};

/// The peer address of a connection, put into each request by the server.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source(IpAddr);

impl Source {
    /// The client of a request that came from `peer`.
    pub fn of(peer: Option<Peer>, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> Source {
        let peer = peer.map_or(IpAddr::from([0, 0, 0, 0]), |p| p.0.ip().to_canonical());
        let mut client = peer;
        if trusted_proxies.contains(&peer) {
            // Each proxy appends the address it saw. Walk back past our own proxies; the first
            // other address is the client. Anything unreadable ends the walk at the last
            // address known good, so a client cannot pick its own bucket.
            let lines: Vec<&str> = headers.get_all("x-forwarded-for").iter().map(|v| v.to_str().unwrap_or("?")).collect();
            for hop in lines.join(",").rsplit(',') {
                match parse_hop(hop.trim()) {
                    Some(ip) if trusted_proxies.contains(&ip) => client = ip,
                    Some(ip) => {
                        client = ip;
                        break;
                    }
                    None => break,
                }
            }
        }
        Source(group(client))
    }

    /// The limits' key for this source.
    pub fn key(&self, kind: &str) -> Key {
        key(kind, self.0.to_string().as_bytes())
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V6(v6) => write!(f, "{v6}/64"),
            v4 => write!(f, "{v4}"),
        }
    }
}

impl FromRequestParts<Arc<Hub>> for Source {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, hub: &Arc<Hub>) -> Result<Self, Self::Rejection> {
        Ok(Source::of(parts.extensions.get::<Peer>().copied(), &parts.headers, &hub.limits.trusted_proxies))
    }
}

/// An address as proxies write it: `203.0.113.9`, `203.0.113.9:5000`, `2001:db8::1` or
/// `[2001:db8::1]:5000`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let ip = hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))?;
    Some(ip.to_canonical())
}

fn group(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(forwarded: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", forwarded.parse().unwrap());
        headers
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let from_proxy = Some(Peer("10.0.0.2:5000".parse().unwrap()));
        let direct = Some(Peer("203.0.113.9:5000".parse().unwrap()));
        let claimed = headers("198.51.100.1, 192.0.2.7");
        assert_eq!(Source::of(from_proxy, &claimed, &[proxy]), Source("192.0.2.7".parse().unwrap()), "the hop the proxy added");
        assert_eq!(Source::of(direct, &claimed, &[proxy]), Source("203.0.113.9".parse().unwrap()), "a client's own claim is ignored");
        assert_eq!(Source::of(from_proxy, &HeaderMap::new(), &[proxy]), Source(proxy), "no header: the proxy itself");
        // A CDN in front of nginx: both are ours, the client is before them.
        let cdn: IpAddr = "10.0.0.3".parse().unwrap();
        let chain = headers("203.0.113.50, 198.51.100.7:443, 10.0.0.3");
        assert_eq!(Source::of(from_proxy, &chain, &[proxy, cdn]), Source("198.51.100.7".parse().unwrap()), "with a port");
        let bracketed = headers("[2001:db8:5::1]:443");
        assert_eq!(Source::of(from_proxy, &bracketed, &[proxy]), Source("2001:db8:5::".parse().unwrap()));
        // An unreadable hop ends the walk: the client cannot choose an address behind it.
        let garbled = headers("198.51.100.1, garbage");
        assert_eq!(Source::of(from_proxy, &garbled, &[proxy]), Source(proxy));
        let mut two_lines = headers("198.51.100.1");
        two_lines.append("x-forwarded-for", "192.0.2.8".parse().unwrap());
        assert_eq!(Source::of(from_proxy, &two_lines, &[proxy]), Source("192.0.2.8".parse().unwrap()), "the last line is the last hop");
    }

    #[test]
    fn ipv6_counts_by_its_64_block_and_mapped_ipv4_as_ipv4() {
        let a = Source::of(Some(Peer("[2001:db8:1:2::5]:1".parse().unwrap())), &HeaderMap::new(), &[]);
        let b = Source::of(Some(Peer("[2001:db8:1:2:ffff::9]:1".parse().unwrap())), &HeaderMap::new(), &[]);
        let other = Source::of(Some(Peer("[2001:db8:1:3::5]:1".parse().unwrap())), &HeaderMap::new(), &[]);
        assert_eq!(a, b);
        assert_ne!(a, other);
        let mapped = Source::of(Some(Peer("[::ffff:192.0.2.1]:1".parse().unwrap())), &HeaderMap::new(), &[]);
        assert_eq!(mapped, Source("192.0.2.1".parse().unwrap()));
    }
}
