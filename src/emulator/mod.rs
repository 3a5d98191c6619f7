//! A loopback emulator of every spec'd action (feature `emulator`).
//!
//! One HTTP/1.1 server answers every generated action of every service, verifying signatures
//! and tokens the way the vendors do, running the spec's validators server-side, and answering
//! in each family's envelopes. Start it in-process for tests with [`Emulator::start`], or run
//! it in the foreground with [`run`].
//!
//! ```no_run
//! use cloudbackup::emulator::{Emulator, EmulatorConfig};
//!
//! let emu = Emulator::start(EmulatorConfig::default()).unwrap();
//! println!("emulator on http://{}", emu.addr());
//! // ... point clients at it, then:
//! assert!(emu.state().calls.is_empty());
//! emu.shutdown();
//! ```
//!
//! # Test credentials
//!
//! [`EmulatorConfig::default`] accepts (see the `DEFAULT_*` constants in [`config`]):
//!
//! | family | key id | secret |
//! | --- | --- | --- |
//! | Tencent (API 2.0, TC3) | `AKIDcloudbackupEmulatorTestKey` | `cloudbackup-emulator-tencent-secret` |
//! | Alibaba (ACS3, V2) | `LTAIcloudbackupEmulator` | `cloudbackup-emulator-alibaba-secret` |
//! | Huawei AK/SK | `HWCLOUDBACKUPEMULATORAK` | `cloudbackup-emulator-huawei-sk` |
//! | Huawei IAM password | domain `cloudbackup-emulator-domain`, user `cloudbackup-emulator-user` | `cloudbackup-emulator-password` |
//! | Huawei token | (`x-auth-token`) | `cloudbackup-emulator-huawei-token`, or any token the emulated IAM issued (24 h) |
//!
//! They are test values, not secrets; override them in [`EmulatorConfig`] or a JSON file
//! ([`EmulatorConfig::from_file`]).
//!
//! The identity endpoints hand out temporary credentials of their own (the instance role
//! `cloudbackup-emulator-role` of [`config::DEFAULT_ROLE_NAME`], key ids `AKIDtmp…`, `STS.emu…`,
//! `HWTMP…`, random hex secrets and tokens, 1 hour from the metadata services or the
//! `DurationSeconds` asked from STS); every action accepts them with their security token until
//! they expire, then answers the family's expired-token error (`AuthFailure.TokenFailure`,
//! `InvalidSecurityToken.Expired`, `APIG.0301`).
//!
//! # Routing
//!
//! Clients point at `http://127.0.0.1:PORT`, so the `Host` header is usually the emulator's own
//! address; it narrows the choice only when it is a vendor host from the specs. In order:
//!
//! 1. `/_emulator/...`: the admin endpoints (below).
//! 2. `POST /v3/auth/tokens`: the emulated Huawei IAM (password auth, project scope; the token
//!    comes back in `X-Subject-Token`).
//! 3. The identity endpoints, a module apart from the spec'd actions: the Tencent, Alibaba and
//!    Huawei instance metadata paths (`/latest/meta-data/cam/…`, `/latest/api/token`,
//!    `/latest/meta-data/ram/…`, `/meta-data/latest/api/token`,
//!    `/openstack/latest/securitykey`) and the STS role assumptions (TC3 `AssumeRole` in
//!    credential scope `sts`, RPC `AssumeRole` version `2015-04-01`,
//!    `POST /v3.0/OS-CREDENTIAL/securitytokens`). Credential-chain tests point
//!    `InstanceMetadata::endpoint` and `AssumeRole::endpoint` here.
//! 4. An `X-TC-Action` header: TC3. The service is the one in the `Authorization` credential
//!    scope (`Credential=id/date/cbs/tc3_request`), the version must be `X-TC-Version`.
//! 5. Path `/v2/index.php`: Tencent API 2.0, action from the `Action` parameter; the service is
//!    the one whose host is in `Host`, else the only service with that action (several → a
//!    4000 error naming them).
//! 6. `x-acs-action`/`x-acs-version` headers or `Action`+`Version` parameters: Alibaba RPC.
//! 7. Otherwise Huawei REST, by method and path (no match → `APIG.0101`, 404).
//!
//! # Verification
//!
//! The canonical request is rebuilt from the request as received (signed headers from the
//! `Authorization` header, the query as received for TC3 and re-canonicalised for Alibaba and
//! Huawei, the hash of the received body), signed with the configured secret and compared in
//! constant time. Timestamps must be within the family's window of the configured
//! [`Clock`](crate::runtime::clock::Clock) (Tencent 5 min, Alibaba and Huawei 15 min); a
//! nonce seen within twice the window is a replay (API 2.0 `Nonce`, Alibaba `SignatureNonce` /
//! `x-acs-signature-nonce`; TC3 and Huawei have no nonce). Failures come in the family's shape:
//! API 2.0 `{"code":4100|4104|4500,...}`, TC3 `AuthFailure.SignatureFailure` /
//! `AuthFailure.SignatureExpire` / `AuthFailure.SecretIdNotFound` (HTTP 200), Alibaba
//! `SignatureDoesNotMatch` / `InvalidTimeStamp.Expired` / `SignatureNonceUsed` /
//! `InvalidAccessKeyId.NotFound` (4xx, with `RequestId`, `HostId`, `Recommend`), Huawei
//! `APIG.0301` / `APIG.0303` (401); after 5 AK/SK failures in a row an AK is locked for 5
//! minutes, as Huawei documents. Temporary-credential tokens (`X-TC-Token`, STS
//! `SecurityToken`, `X-Security-Token`) are signed like any other value but not checked.
//!
//! # Behaviour after authentication
//!
//! Faults armed for the action apply first, then the spec's call limits (TC3
//! `RequestLimitExceeded`, API 2.0 `4400`, Alibaba `Throttling.Api`, Huawei `APIG.1002`/429),
//! then the spec's validators on the request rebuilt as a
//! [`WireRequest`](crate::runtime::request::WireRequest) (API 2.0 `4000`; TC3
//! `MissingParameter`/`InvalidParameter`/`InvalidParameterValue`; Alibaba
//! `MissingParameter`/`InvalidParameter` 400; Huawei the action's documented 400 code, e.g.
//! `KOOPHONE.API.1000`). A success is the spec's example response when it is valid JSON, else
//! synthesised from the response fields, with fresh ids (request ids, `dbp-…`/`dbs…` ids,
//! counters for task and flow ids); request values are echoed where the response names them.
//! Actions with an idempotency field answer a repeated token with the first answer (fresh
//! request id) and create nothing.
//!
//! # Admin endpoints and faults
//!
//! - `GET /_emulator/state`: the [`StateSnapshot`] as JSON.
//! - `POST /_emulator/reset`: forget calls, resources, tokens, nonces and faults.
//! - `GET /_emulator/faults`, `POST /_emulator/faults`: list, or arm one [`FaultSpec`] or a
//!   list, e.g. `{"action": "tencent/cbs/CreateDiskBackup", "count": 2, "kind": "error",
//!   "code": "InvalidDisk.Busy"}`. Kinds: `error` (a documented code), `latency` (`millis`),
//!   `http5xx` (`status`), `drop_before_apply`, `drop_after_apply`.
//!
//! The same faults can be armed at start from the config file (`"faults": [...]`) or with
//! [`EmulatorHandle::inject`].

pub mod config;
pub mod faults;
pub mod state;

mod admin;
mod handler;
mod identity;
mod ops;
mod responses;
mod router;
mod server;
mod store;
mod values;
mod verify;
mod wire;

use std::io;
use std::net::{SocketAddr, TcpListener as StdListener};
use std::sync::Arc;
use std::thread::JoinHandle;

pub use config::{ConfigError, EmulatorConfig, IamUser, KeyPair};
pub use faults::{FaultError, FaultKind, FaultSpec};
pub use state::{ActionCalls, StateSnapshot};
pub use store::{LiveResource, Scope, TransitionOverride};

use handler::Shared;

/// Starts emulators.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Starts an emulator on `127.0.0.1` with a free port, on a thread of its own.
    pub fn start(config: EmulatorConfig) -> io::Result<EmulatorHandle> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Starts an emulator listening on `addr`, on a thread of its own.
    pub fn start_on(config: EmulatorConfig, addr: SocketAddr) -> io::Result<EmulatorHandle> {
        let shared = Arc::new(
            Shared::new(config).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?,
        );
        let listener = StdListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let serving = shared.clone();
        let thread = std::thread::Builder::new()
            .name("cloudbackup-emulator".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    server::serve(listener, serving, stopped).await;
                    Ok::<(), io::Error>(())
                })
            })?;
        Ok(EmulatorHandle {
            addr,
            shared,
            stop,
            thread: Some(thread),
        })
    }
}

/// A running emulator. Dropping it shuts it down.
#[derive(Debug)]
pub struct EmulatorHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: tokio::sync::watch::Sender<bool>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl EmulatorHandle {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A copy of the state.
    pub fn state(&self) -> StateSnapshot {
        let now = self.shared.config.clock.now_unix();
        self.shared.lock().snapshot(now)
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &EmulatorConfig {
        &self.shared.config
    }

    /// Arms a fault.
    pub fn inject(&self, fault: FaultSpec) -> Result<(), FaultError> {
        handler::arm(&mut self.shared.lock(), &fault, &self.shared.entries)
    }

    /// Changes a resource kind's timed state move (its duration, or where it leads); a later
    /// change of the same move replaces an earlier one.
    ///
    /// # Errors
    ///
    /// A message when the kind is unknown or has no states.
    pub fn set_transition(&self, t: TransitionOverride) -> Result<(), String> {
        store::check_override(&t, &self.shared.entries)?;
        self.shared.lock().store.set_override(t);
        Ok(())
    }

    /// Forgets calls, resources, idempotency tokens, nonces, issued tokens and faults.
    pub fn reset(&self) {
        self.shared.lock().reset();
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    /// Blocks until the server stops (it stops only on error or through another handle's
    /// shutdown, so this is for running it in the foreground).
    pub fn wait(mut self) -> io::Result<()> {
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| io::Error::other("emulator thread panicked"))?,
            None => Ok(()),
        }
    }

    fn stop_and_join(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Runs an emulator on `listen_addr` in the foreground until the process ends (for
/// `cloudbackup emulator --listen 127.0.0.1:PORT`).
pub fn run(config: EmulatorConfig, listen_addr: SocketAddr) -> io::Result<()> {
    Emulator::start_on(config, listen_addr)?.wait()
}
