//! Injectable time and nonce sources.
//!
//! Signers never read the system time themselves: callers pass a timestamp obtained from a
//! [`Clock`] and a [`NonceSource`], so tests can reproduce vendor examples byte for byte.
//! [`SystemClock`] is the only place in the crate that reads the system time.

use std::collections::hash_map::RandomState;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicI64, AtomicU32, AtomicU64, Ordering};

/// A source of the current time, in whole seconds since the Unix epoch (UTC).
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Current time as Unix seconds.
    fn now_unix(&self) -> i64;
}

/// The real wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    // The one sanctioned read of the system time in the crate (see clippy.toml).
    #[allow(clippy::disallowed_methods)]
    fn now_unix(&self) -> i64 {
        match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        }
    }
}

/// A clock that always returns the same instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now_unix(&self) -> i64 {
        self.0
    }
}

/// A clock tests can move: starts at a given instant and changes only through
/// [`ManualClock::set`] and [`ManualClock::advance`].
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock showing `unix` seconds.
    pub fn new(unix: i64) -> Self {
        Self(AtomicI64::new(unix))
    }

    /// Sets the clock to `unix` seconds.
    pub fn set(&self, unix: i64) {
        self.0.store(unix, Ordering::SeqCst);
    }

    /// Moves the clock forward (or backward, if negative) by `secs`.
    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_unix(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A source of per-request nonces (Tencent `Nonce`, Alibaba `SignatureNonce` /
/// `x-acs-signature-nonce`, Huawei `x-request-id`).
pub trait NonceSource: Send + Sync + std::fmt::Debug {
    /// A fresh 32-bit number (Tencent API 2.0 `Nonce`).
    fn next_u32(&self) -> u32;
    /// `bytes` fresh bytes as lowercase hex (`2 * bytes` characters).
    fn next_hex(&self, bytes: usize) -> String;
    /// A fresh random (version 4) UUID in the canonical lowercase hyphenated form.
    fn uuid_v4(&self) -> String;
}

/// The default nonce source.
///
/// Values come from SipHash keyed by the standard library's per-process random
/// [`RandomState`] over a process-wide counter: unique and unpredictable enough for replay
/// protection nonces and request ids (they are not used as keys).
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomNonce;

static NONCE_COUNTER: AtomicU64 = AtomicU64::new(0);

impl RandomNonce {
    fn next_u64(&self) -> u64 {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(NONCE_COUNTER.fetch_add(1, Ordering::Relaxed));
        h.finish()
    }

    fn fill(&self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

impl NonceSource for RandomNonce {
    fn next_u32(&self) -> u32 {
        // Truncation intended: the low half of a random u64.
        (self.next_u64() & u64::from(u32::MAX)) as u32
    }

    fn next_hex(&self, bytes: usize) -> String {
        let mut buf = vec![0u8; bytes];
        self.fill(&mut buf);
        hex::encode(buf)
    }

    fn uuid_v4(&self) -> String {
        let mut b = [0u8; 16];
        self.fill(&mut b);
        format_uuid_v4(b)
    }
}

/// Formats 16 bytes as a version 4, variant 1 UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
pub fn format_uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// A nonce source that always returns the same values (for reproducing worked examples).
///
/// [`NonceSource::next_hex`] returns `hex` whatever length is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FixedNonce {
    /// Returned by [`NonceSource::next_u32`].
    pub number: u32,
    /// Returned by [`NonceSource::next_hex`].
    pub hex: String,
    /// Returned by [`NonceSource::uuid_v4`].
    pub uuid: String,
}

impl NonceSource for FixedNonce {
    fn next_u32(&self) -> u32 {
        self.number
    }

    fn next_hex(&self, _bytes: usize) -> String {
        self.hex.clone()
    }

    fn uuid_v4(&self) -> String {
        self.uuid.clone()
    }
}

/// A deterministic nonce source counting up from a start value: each call of any method
/// takes the next number (tests that need distinct but predictable nonces).
#[derive(Debug, Default)]
pub struct SequenceNonce(AtomicU32);

impl SequenceNonce {
    /// A sequence whose first value is `start`.
    pub fn new(start: u32) -> Self {
        Self(AtomicU32::new(start))
    }

    fn take(&self) -> u32 {
        self.0.fetch_add(1, Ordering::SeqCst)
    }
}

impl NonceSource for SequenceNonce {
    fn next_u32(&self) -> u32 {
        self.take()
    }

    fn next_hex(&self, bytes: usize) -> String {
        let n = self.take().to_be_bytes();
        let mut buf = vec![0u8; bytes];
        let k = bytes.min(4);
        buf[bytes - k..].copy_from_slice(&n[4 - k..]);
        hex::encode(buf)
    }

    fn uuid_v4(&self) -> String {
        let mut b = [0u8; 16];
        b[12..].copy_from_slice(&self.take().to_be_bytes());
        format_uuid_v4(b)
    }
}

/// A boxed future returned by [`Timer::sleep`].
pub type SleepFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// A monotonic clock with the matching sleep: what rate limiters, backoff and deadlines use.
///
/// [`TokioTimer`] is the real one (it follows tokio's paused test clock); [`ManualTimer`]
/// moves only when slept on, so tests run instantly and can read every requested wait.
pub trait Timer: Send + Sync + std::fmt::Debug {
    /// Time elapsed since an arbitrary fixed origin; never goes backwards.
    fn now(&self) -> std::time::Duration;
    /// Waits for `duration`.
    fn sleep(&self, duration: std::time::Duration) -> SleepFuture;
}

/// The real monotonic clock and sleep, through tokio's timer (so `tokio::time::pause` and
/// `#[tokio::test(start_paused = true)]` control it). Needs a tokio runtime with time enabled.
#[derive(Debug, Clone, Copy)]
pub struct TokioTimer {
    origin: tokio::time::Instant,
}

impl TokioTimer {
    /// A timer whose origin is now.
    // The one sanctioned read of the monotonic clock in the crate (see clippy.toml).
    #[allow(clippy::disallowed_methods)]
    pub fn new() -> Self {
        Self {
            origin: tokio::time::Instant::now(),
        }
    }
}

impl Default for TokioTimer {
    fn default() -> Self {
        Self::new()
    }
}

impl Timer for TokioTimer {
    fn now(&self) -> std::time::Duration {
        // `Instant::elapsed` reads the clock too; allowed here for the same reason as `new`.
        #[allow(clippy::disallowed_methods)]
        let now = tokio::time::Instant::now();
        now.saturating_duration_since(self.origin)
    }

    fn sleep(&self, duration: std::time::Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A virtual timer for tests: starts at zero, and every [`Timer::sleep`] returns at once after
/// moving the time forward by the requested duration and recording it. Made with
/// [`ManualTimer::driving`], it also moves a [`ManualClock`] (an emulator's, say), so that a
/// client waiting in virtual time sees the other side's time pass with it.
#[derive(Debug, Default)]
pub struct ManualTimer {
    nanos: AtomicU64,
    sleeps: std::sync::Mutex<Vec<std::time::Duration>>,
    driven: Option<(std::sync::Arc<ManualClock>, i64)>,
}

impl ManualTimer {
    /// A timer at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// A timer at zero that keeps `clock` at its current time plus the time slept.
    pub fn driving(clock: std::sync::Arc<ManualClock>) -> Self {
        let start = clock.now_unix();
        Self {
            driven: Some((clock, start)),
            ..Self::default()
        }
    }

    /// Moves the time forward without recording a sleep.
    pub fn advance(&self, by: std::time::Duration) {
        let n = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        let total = self.nanos.fetch_add(n, Ordering::SeqCst).saturating_add(n);
        if let Some((clock, start)) = &self.driven {
            let secs = i64::try_from(total / 1_000_000_000).unwrap_or(i64::MAX);
            clock.set(start.saturating_add(secs));
        }
    }

    /// Every sleep requested so far, in order.
    pub fn sleeps(&self) -> Vec<std::time::Duration> {
        self.sleeps
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Timer for ManualTimer {
    fn now(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.nanos.load(Ordering::SeqCst))
    }

    fn sleep(&self, duration: std::time::Duration) -> SleepFuture {
        self.sleeps
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(duration);
        self.advance(duration);
        Box::pin(std::future::ready(()))
    }
}
