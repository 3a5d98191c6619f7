//! The rig of the lifecycle tests: an emulator on a manual clock, and client configurations
//! (without credentials) whose timer drives that clock, so waiters wait in virtual time, and
//! whose retries are off, so every call is one request.

use std::sync::Arc;

use cloudbackup::Config;
use cloudbackup::client::RetryPolicy;
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use cloudbackup::runtime::{ManualClock, ManualTimer, SequenceNonce};

/// The emulator's start: 2025-12-04 00:00:00 UTC (08:00 in the emulator's local time, UTC+8).
pub(crate) const T0: i64 = 1_764_806_400;

pub(crate) struct Rig {
    pub(crate) emu: EmulatorHandle,
    clock: Arc<ManualClock>,
    pub(crate) timer: Arc<ManualTimer>,
    nonce: Arc<SequenceNonce>,
}

impl Rig {
    pub(crate) fn start() -> Self {
        let clock = Arc::new(ManualClock::new(T0));
        let emu = Emulator::start(EmulatorConfig::default().with_clock(clock.clone())).unwrap();
        let timer = Arc::new(ManualTimer::driving(clock.clone()));
        Rig {
            emu,
            clock,
            timer,
            nonce: Arc::new(SequenceNonce::new(1)),
        }
    }

    /// A configuration for `region` against the emulator; the caller adds credentials.
    pub(crate) fn config(&self, region: &str) -> Config {
        Config::new()
            .endpoint(self.emu.base_url())
            .region(region)
            .clock(self.clock.clone())
            .timer(self.timer.clone())
            .nonce_source(self.nonce.clone())
            .retry(RetryPolicy::disabled())
    }

    /// Moves virtual time on by `secs` (through the timer, which drives the clock: moving the
    /// clock alone would be undone by the timer's next sleep).
    pub(crate) fn advance(&self, secs: u64) {
        self.timer.advance(std::time::Duration::from_secs(secs));
    }

    /// Seconds of virtual time the client's timer slept since the `from`-th sleep.
    pub(crate) fn slept_since(&self, from: usize) -> u64 {
        self.timer.sleeps()[from..]
            .iter()
            .map(|d| d.as_secs())
            .sum()
    }
}
