//! Who is asking: the reader's address, for rate limits (SPEC 6.1, "Readers behind
//! proxies"). The socket's peer is the reader unless it is a proxy the operator trusts
//! (`--trusted-proxy CIDR`); then the address comes from the chain that proxy forwarded,
//! read from the right: the right-most address that is not itself a trusted proxy. Hops
//! further left were written by the client and could say anything. Address blocks are
//! `ipnet`'s (already built in, through hyper-util).

use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// An address block, `192.0.2.0/24` or `2001:db8::/32`; a bare address is a block of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr(IpNet);

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let net = match s.parse::<IpNet>() {
            Ok(net) => net.trunc(),
            Err(_) => IpNet::from(s.parse::<IpAddr>().map_err(|_| {
                if s.contains('/') {
                    let max = if s.contains(':') { 128 } else { 32 };
                    format!("{s:?}: not a CIDR block (the prefix length must be 0 to {max})")
                } else {
                    format!("{s:?} is not an IP address or CIDR block")
                }
            })?),
        };
        // Addresses are compared as IPv4 when they are IPv4-mapped: so are blocks.
        let net = match net {
            IpNet::V6(v6) if v6.prefix_len() >= 96 => match v6.addr().to_ipv4_mapped() {
                Some(v4) => Ipv4Net::new(v4, v6.prefix_len() - 96).map_or(net, IpNet::V4),
                None => net,
            },
            other => other,
        };
        Ok(Cidr(net))
    }
}

impl Cidr {
    pub fn contains(&self, addr: IpAddr) -> bool {
        self.0.contains(&canonical(addr))
    }
}

/// IPv4 written as IPv6 (`::ffff:192.0.2.1`, what a dual-stack socket reports) is IPv4.
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    }
}

/// Which header a trusted proxy's chain is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProxyHeader {
    /// `X-Forwarded-For` when the request has one (what nginx, Caddy, Traefik, HAProxy and
    /// the big CDNs write), else `Forwarded`.
    #[default]
    Auto,
    Forwarded,
    XForwardedFor,
}

impl FromStr for ProxyHeader {
    type Err = String;

    fn from_str(s: &str) -> Result<ProxyHeader, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ProxyHeader::Auto),
            "forwarded" => Ok(ProxyHeader::Forwarded),
            "x-forwarded-for" => Ok(ProxyHeader::XForwardedFor),
            other => Err(format!("{other:?}: use auto, forwarded or x-forwarded-for")),
        }
    }
}

/// The operator's proxies and how to read what they forward.
#[derive(Debug, Clone, Default)]
pub struct Proxies {
    pub trusted: Vec<Cidr>,
    pub header: ProxyHeader,
}

impl Proxies {
    fn trusts(&self, addr: IpAddr) -> bool {
        self.trusted.iter().any(|c| c.contains(addr))
    }

    /// The reader's address for a request that arrived from `peer`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let use_xff = match self.header {
            ProxyHeader::XForwardedFor => true,
            ProxyHeader::Forwarded => false,
            ProxyHeader::Auto => headers.contains_key("x-forwarded-for"),
        };
        let chain = if use_xff {
            x_forwarded_for(headers)
        } else {
            forwarded(headers)
        };
        let mut client = peer;
        for hop in chain.iter().rev() {
            match hop {
                Some(addr) => {
                    client = canonical(*addr);
                    if !self.trusts(client) {
                        return client;
                    }
                }
                // "unknown", an obfuscated name or garbage: nothing further left can be
                // believed, so the last hop that could be is the reader's stand-in.
                None => return client,
            }
        }
        client
    }
}

/// The key rate limits count under: an IPv4 address, or an IPv6 reader's /64 (one
/// subscriber line usually gets a whole /64, so counting single IPv6 addresses would let
/// one machine pose as billions of readers).
pub fn limit_key(addr: IpAddr) -> String {
    match canonical(addr) {
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(v6) => match Ipv6Net::new(v6, 64) {
            Ok(block) => format!("{}/64", block.trunc().addr()),
            Err(_) => v6.to_string(),
        },
    }
}

/// The `for=` hops of every `Forwarded` header (RFC 7239), in order; `None` for a hop that
/// is not an address.
pub fn forwarded(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let mut hops = Vec::new();
    for value in headers.get_all("forwarded") {
        let Ok(value) = value.to_str() else {
            hops.push(None);
            continue;
        };
        for element in split_unquoted(value, ',') {
            let mut hop = None;
            let mut seen = false;
            for pair in split_unquoted(element, ';') {
                let Some((name, value)) = pair.split_once('=') else {
                    continue;
                };
                if name.trim().eq_ignore_ascii_case("for") {
                    seen = true;
                    hop = unquote(value.trim()).and_then(|v| node(&v));
                }
            }
            // An element without `for` says nothing about the client: skip it.
            if seen {
                hops.push(hop);
            }
        }
    }
    hops
}

/// The hops of every `X-Forwarded-For` header, in order.
pub fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|value| match value.to_str() {
            Ok(v) => v.split(',').map(|hop| node(hop.trim())).collect::<Vec<_>>(),
            Err(_) => vec![None],
        })
        .collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn node(s: &str) -> Option<IpAddr> {
    if let Some(rest) = s.strip_prefix('[') {
        let (addr, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        return addr.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    if let Ok(addr) = s.parse::<IpAddr>() {
        return Some(addr);
    }
    // IPv4 with a port; an IPv6 address with a port must be bracketed.
    let (addr, port) = s.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    addr.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// Splits on `sep` outside double quotes (quoted strings may hold `,` and `;`).
fn split_unquoted(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if quoted && c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            parts.push(s.get(start..i).unwrap_or(""));
            start = i + c.len_utf8();
        }
    }
    parts.push(s.get(start..).unwrap_or(""));
    parts
}

/// A token, or a quoted string with its escapes undone; `None` for an unfinished quote.
fn unquote(s: &str) -> Option<String> {
    let Some(inner) = s.strip_prefix('"') else {
        return Some(s.to_owned());
    };
    let inner = inner.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(chars.next()?);
        } else {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, HeaderValue::from_static(value));
        }
        h
    }

    fn proxies(cidrs: &[&str]) -> Proxies {
        Proxies {
            trusted: cidrs
                .iter()
                .map(|c| c.parse().expect("test cidr"))
                .collect(),
            header: ProxyHeader::Auto,
        }
    }

    #[test]
    fn cidr_blocks() {
        let v4: Cidr = "10.1.0.0/16".parse().expect("cidr");
        assert!(v4.contains(ip("10.1.255.3")));
        assert!(!v4.contains(ip("10.2.0.1")));
        assert!(
            v4.contains(ip("::ffff:10.1.2.3")),
            "IPv4-mapped IPv6 is IPv4"
        );
        let host: Cidr = "192.0.2.7".parse().expect("cidr");
        assert!(host.contains(ip("192.0.2.7")) && !host.contains(ip("192.0.2.8")));
        let v6: Cidr = "2001:db8:abcd::/48".parse().expect("cidr");
        assert!(v6.contains(ip("2001:db8:abcd:12::1")));
        assert!(!v6.contains(ip("2001:db8:abce::1")));
        assert!(!v6.contains(ip("10.1.2.3")));
        let all: Cidr = "0.0.0.0/0".parse().expect("cidr");
        assert!(all.contains(ip("203.0.113.9")) && !all.contains(ip("::1")));
        let mapped: Cidr = "::ffff:10.0.0.0/104".parse().expect("cidr");
        assert!(mapped.contains(ip("10.9.9.9")) && mapped.contains(ip("::ffff:10.9.9.9")));
        assert!(!mapped.contains(ip("11.0.0.1")));
        let not_normalised: Cidr = "10.1.2.3/8".parse().expect("cidr");
        assert!(not_normalised.contains(ip("10.200.0.1")));
        for bad in [
            "10.0.0.0/33",
            "::/129",
            "10.0.0/8",
            "fe80::1/x",
            "",
            "localhost",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_syntax() {
        let h = headers(&[
            (
                "forwarded",
                r#"for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711""#,
            ),
            ("forwarded", r#"for="_gazonk", for=unknown;proto=https"#),
            ("forwarded", r#"by=198.51.100.1, for="198.51.100.17:8080""#),
            (
                "forwarded",
                r#"for="192.0.2.1;evil=\"x,y\"";proto=http, for=198.51.100.9"#,
            ),
        ]);
        assert_eq!(
            forwarded(&h),
            vec![
                Some(ip("192.0.2.60")),
                Some(ip("2001:db8:cafe::17")),
                None,
                None,
                Some(ip("198.51.100.17")),
                None,
                Some(ip("198.51.100.9")),
            ]
        );
    }

    #[test]
    fn x_forwarded_for_syntax() {
        let h = headers(&[
            (
                "x-forwarded-for",
                "203.0.113.5, 2001:db8::2 ,[2001:db8::3]:443",
            ),
            ("x-forwarded-for", "198.51.100.4:1234, not-an-ip, "),
        ]);
        assert_eq!(
            x_forwarded_for(&h),
            vec![
                Some(ip("203.0.113.5")),
                Some(ip("2001:db8::2")),
                Some(ip("2001:db8::3")),
                Some(ip("198.51.100.4")),
                None,
                None,
            ]
        );
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let p = proxies(&["10.0.0.0/8"]);
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("forwarded", "for=198.51.100.2"),
        ]);
        assert_eq!(p.client(ip("203.0.113.9"), &h), ip("203.0.113.9"));
        assert_eq!(
            Proxies::default().client(ip("10.0.0.1"), &h),
            ip("10.0.0.1"),
            "no proxy is trusted unless listed"
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_reader() {
        let p = proxies(&["10.0.0.0/8"]);
        let xff = headers(&[("x-forwarded-for", "198.51.100.1")]);
        assert_eq!(p.client(ip("10.0.0.1"), &xff), ip("198.51.100.1"));
        let fwd = headers(&[("forwarded", r#"for="[2001:db8::7]:1""#)]);
        assert_eq!(p.client(ip("10.0.0.1"), &fwd), ip("2001:db8::7"));
        assert_eq!(
            p.client(ip("::ffff:10.0.0.1"), &xff),
            ip("198.51.100.1"),
            "a dual-stack socket's view of an IPv4 proxy"
        );
        assert_eq!(
            p.client(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1"),
            "no header: the proxy itself"
        );
    }

    #[test]
    fn spoofed_chains_yield_the_address_the_proxy_saw() {
        let p = proxies(&["10.0.0.0/8", "2001:db8:ffff::/48"]);
        // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended what it saw.
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.1")]);
        assert_eq!(p.client(ip("10.0.0.1"), &spoofed), ip("198.51.100.1"));
        // Two trusted proxies in a row: the first hop that is not one of them.
        let chained = headers(&[(
            "x-forwarded-for",
            "1.2.3.4, 198.51.100.1, 10.0.0.5, 2001:db8:ffff::1",
        )]);
        assert_eq!(p.client(ip("10.0.0.1"), &chained), ip("198.51.100.1"));
        // A client that pretends to be a trusted proxy gains nothing further left.
        let pretend = headers(&[("forwarded", "for=1.2.3.4, for=10.9.9.9, for=198.51.100.1")]);
        assert_eq!(p.client(ip("10.0.0.1"), &pretend), ip("198.51.100.1"));
        // Garbage right of the reader stops the walk at the last believable hop.
        let garbage = headers(&[("x-forwarded-for", "198.51.100.1, nonsense, 10.0.0.5")]);
        assert_eq!(p.client(ip("10.0.0.1"), &garbage), ip("10.0.0.5"));
        // Every hop trusted: the left-most is the closest to the reader.
        let all_trusted = headers(&[("x-forwarded-for", "10.0.0.7, 10.0.0.5")]);
        assert_eq!(p.client(ip("10.0.0.1"), &all_trusted), ip("10.0.0.7"));
    }

    #[test]
    fn which_header_is_read() {
        let both = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("forwarded", "for=203.0.113.77"),
        ]);
        let mut p = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            p.client(ip("10.0.0.1"), &both),
            ip("198.51.100.1"),
            "auto: X-Forwarded-For, which the common proxies write, over a Forwarded a client may have sent"
        );
        p.header = ProxyHeader::Forwarded;
        assert_eq!(p.client(ip("10.0.0.1"), &both), ip("203.0.113.77"));
        p.header = ProxyHeader::XForwardedFor;
        let only_forwarded = headers(&[("forwarded", "for=203.0.113.77")]);
        assert_eq!(
            p.client(ip("10.0.0.1"), &only_forwarded),
            ip("10.0.0.1"),
            "pinned to X-Forwarded-For: a Forwarded header is not read"
        );
        assert_eq!("X-Forwarded-For".parse(), Ok(ProxyHeader::XForwardedFor));
        assert!("via".parse::<ProxyHeader>().is_err());
    }

    #[test]
    fn limit_keys_group_ipv6_by_64() {
        assert_eq!(limit_key(ip("192.0.2.1")), "192.0.2.1");
        assert_eq!(limit_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(
            limit_key(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")),
            limit_key(ip("2001:db8:1:2::9"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
    }
}
