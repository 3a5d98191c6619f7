//! The emulator in-process, with a signer per family and a raw HTTP/1.1 client: requests are
//! built, signed and decoded here the way the typed client does, so that tests can send any
//! request (an empty one, a tampered one) for any registry action. Included by the emulator
//! tests with `#[path = "support/emulator.rs"] mod harness;`.
#![allow(
    dead_code,
    reason = "shared by several test crates, each of which uses a part of it"
)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use cloudbackup::Operation;
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_HUAWEI_ACCESS_KEY,
    DEFAULT_HUAWEI_SECRET_KEY, DEFAULT_HUAWEI_TOKEN, DEFAULT_TENCENT_SECRET_ID,
    DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use cloudbackup::meta::Family;
use cloudbackup::registry::{self, ActionEntry, FieldLocation};
use cloudbackup::runtime::{
    AcsV2Options, AlibabaCredentials, Decoded, Endpoint, HuaweiCredentials, ManualClock,
    NonceSource, OperationContext, RawResponse, SequenceNonce, SignedRequest, Tc3KeyCache,
    Tc3Options, TencentCredentials, TencentV2Method, WireRequest, acs_v2, acs3, decode_alibaba,
    decode_huawei, decode_tc3, decode_tencent_v2, huawei, tc3, tencent_v2,
};

/// The harness clock's start.
pub(crate) const T0: i64 = 1_764_000_000; // 2025-11-24T16:00:00Z

/// An emulator on a manual clock, with the signers' nonce source and TC3 key cache.
pub(crate) struct Harness {
    pub(crate) emu: EmulatorHandle,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) nonce: SequenceNonce,
    pub(crate) cache: Tc3KeyCache,
}

/// A harness with the default emulator configuration.
pub(crate) fn harness() -> Harness {
    harness_with(EmulatorConfig::default())
}

pub(crate) fn harness_with(config: EmulatorConfig) -> Harness {
    let clock = Arc::new(ManualClock::new(T0));
    let emu = Emulator::start(config.with_clock(clock.clone())).expect("emulator starts");
    Harness {
        emu,
        clock,
        nonce: SequenceNonce::new(1),
        cache: Tc3KeyCache::new(),
    }
}

/// How to authenticate a request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Auth {
    /// The family's default scheme: API 2.0 HmacSHA256, TC3, ACS3, Huawei AK/SK.
    Default,
    /// Tencent API 2.0 HmacSHA1.
    Api2Sha1,
    /// Alibaba V2 HMAC-SHA1.
    AcsV2,
    /// Huawei token.
    HuaweiToken,
}

impl Harness {
    pub(crate) fn now(&self) -> i64 {
        use cloudbackup::runtime::Clock;
        self.clock.now_unix()
    }

    pub(crate) fn ctx(&self, entry: &ActionEntry, host: &str) -> OperationContext {
        OperationContext {
            endpoint: Endpoint {
                scheme: "http".into(),
                host: host.into(),
            },
            action: entry.action.name.into(),
            version: entry.service.version.map(str::to_owned),
            region: Some("ap-guangzhou".into()),
            service: entry.service.signing_name.into(),
        }
    }

    /// Signs `wire` for `entry` at `ts` with `secret` (the right one unless a test says so).
    pub(crate) fn sign_as(
        &self,
        entry: &ActionEntry,
        wire: &WireRequest,
        auth: Auth,
        ts: i64,
        secret: Option<&str>,
        host: Option<&str>,
    ) -> SignedRequest {
        let addr = self.emu.addr().to_string();
        let ctx = self.ctx(entry, host.unwrap_or(&addr));
        let n: &dyn NonceSource = &self.nonce;
        match entry.service.family {
            Family::TencentApi2 | Family::TencentTc3 => {
                let creds = TencentCredentials::new(
                    DEFAULT_TENCENT_SECRET_ID,
                    secret.unwrap_or(DEFAULT_TENCENT_SECRET_KEY),
                );
                if entry.service.family == Family::TencentTc3 {
                    let opts = Tc3Options::default();
                    tc3::sign_tc3(&ctx, wire, &creds, ts, &opts, &self.cache)
                        .unwrap()
                        .request
                } else {
                    let m = if auth == Auth::Api2Sha1 {
                        TencentV2Method::HmacSha1
                    } else {
                        TencentV2Method::HmacSha256
                    };
                    tencent_v2::sign_tencent_v2(&ctx, wire, &creds, ts, n, m)
                        .unwrap()
                        .request
                }
            }
            Family::AlibabaRpc => {
                let creds = AlibabaCredentials::new(
                    DEFAULT_ALIBABA_ACCESS_KEY_ID,
                    secret.unwrap_or(DEFAULT_ALIBABA_ACCESS_KEY_SECRET),
                );
                if auth == Auth::AcsV2 {
                    acs_v2::sign_acs_v2(&ctx, wire, &creds, ts, n, &AcsV2Options::default())
                        .unwrap()
                        .request
                } else {
                    acs3::sign_acs3(&ctx, wire, &creds, ts, n).unwrap().request
                }
            }
            _ => {
                let creds = if auth == Auth::HuaweiToken {
                    HuaweiCredentials::token(secret.unwrap_or(DEFAULT_HUAWEI_TOKEN))
                } else {
                    HuaweiCredentials::ak_sk(
                        DEFAULT_HUAWEI_ACCESS_KEY,
                        secret.unwrap_or(DEFAULT_HUAWEI_SECRET_KEY),
                    )
                };
                huawei::sign_huawei(&ctx, wire, &creds, ts, n)
                    .unwrap()
                    .into_request()
            }
        }
    }

    pub(crate) fn sign(
        &self,
        entry: &ActionEntry,
        wire: &WireRequest,
        auth: Auth,
    ) -> SignedRequest {
        self.sign_as(entry, wire, auth, self.now(), None, None)
    }

    pub(crate) fn call<O: Operation>(&self, input: &O, auth: Auth) -> RawResponse {
        let entry = entry_of::<O>();
        let wire = input.to_wire(&mut || self.nonce.uuid_v4());
        send(self.emu.addr(), &self.sign(entry, &wire, auth)).expect("HTTP exchange")
    }
}

/// The registry entry of `O`.
pub(crate) fn entry_of<O: Operation>() -> &'static ActionEntry {
    registry::find(O::SERVICE.provider, O::SERVICE.service, O::ACTION.name).unwrap()
}

/// Sends `req` over a fresh connection to `addr`, keeping its `Host` (from its headers, else
/// its URL). Errors when the connection closes without a response.
pub(crate) fn send(addr: SocketAddr, req: &SignedRequest) -> std::io::Result<RawResponse> {
    let rest = req.url.split_once("://").map_or(req.url.as_str(), |x| x.1);
    let (url_host, target) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut head = format!("{} {target} HTTP/1.1\r\n", req.method);
    if req.header("host").is_none() {
        head.push_str(&format!("Host: {url_host}\r\n"));
    }
    for (k, v) in &req.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        req.body.len()
    ));
    raw_exchange(addr, head.as_bytes(), &req.body)
}

/// One HTTP/1.1 exchange over a fresh connection: `head` and `body` as given.
pub(crate) fn raw_exchange(
    addr: SocketAddr,
    head: &[u8],
    body: &[u8],
) -> std::io::Result<RawResponse> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    s.write_all(head)?;
    s.write_all(body)?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    if buf.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed without a response",
        ));
    }
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Ok(RawResponse {
        status,
        headers,
        body: buf[split + 4..].to_vec(),
    })
}

/// Decodes a response with its family's decoder.
pub(crate) fn decode(family: Family, r: &RawResponse) -> Decoded {
    match family {
        Family::TencentApi2 => decode_tencent_v2(r),
        Family::TencentTc3 => decode_tc3(r),
        Family::AlibabaRpc => decode_alibaba(r),
        _ => decode_huawei(r),
    }
    .unwrap_or_else(|e| panic!("undecodable response: {e}"))
}

/// A request for `entry` with no field set: an empty JSON body where the action sends one
/// (a JSON field, or any TC3 `POST`). Routing and authentication must accept it; validation
/// may refuse it (injected faults come first).
pub(crate) fn empty_wire(entry: &ActionEntry) -> WireRequest {
    let json = entry
        .fields
        .iter()
        .any(|f| f.location == FieldLocation::Json)
        || entry.service.family == Family::TencentTc3 && entry.action.method.as_str() == "POST";
    let mut wire = WireRequest::new(entry.action.method, entry.action.path);
    if json {
        wire.body = Some(b"{}".to_vec());
    }
    wire
}
