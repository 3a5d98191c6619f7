//! `cloudbackup emulator`: run the loopback emulator in the foreground.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use cloudbackup::emulator::{Emulator, EmulatorConfig};

use crate::out::{errln, outln};

/// `cloudbackup emulator`.
#[derive(Debug, Args)]
#[command(
    after_help = "The first line on stdout is `cloudbackup emulator listening on URL`. \
The test credentials are documented in the `cloudbackup::emulator` module: they are public, \
so keep the emulator on loopback."
)]
pub(crate) struct EmulatorArgs {
    /// Address to listen on (port 0: any free port). Any address other than loopback exposes
    /// the emulator, whose test keys are public, to the network (a warning is printed).
    #[arg(long, value_name = "ADDRESS:PORT", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Emulator configuration (credentials, token lifetime, faults) as a JSON file.
    #[arg(long, value_name = "FILE.json")]
    config: Option<PathBuf>,
}

/// Runs `emulator` until it is stopped; returns the exit code.
pub(crate) fn run(a: &EmulatorArgs) -> u8 {
    let config = match &a.config {
        Some(path) => match EmulatorConfig::from_file(path) {
            Ok(c) => c,
            Err(e) => {
                errln!("error: {e}");
                return 2;
            }
        },
        None => EmulatorConfig::default(),
    };
    let handle = match Emulator::start_on(config, a.listen) {
        Ok(h) => h,
        Err(e) => {
            errln!("error: cannot listen on {}: {e}", a.listen);
            return 3;
        }
    };
    if !a.listen.ip().is_loopback() {
        errln!(
            "warning: listening on {}, which is not loopback: the emulator's test credentials \
are public (see the `cloudbackup::emulator` docs), so anyone who can reach this address can \
use it; prefer 127.0.0.1",
            handle.addr()
        );
    }
    // A closed stdout (a supervisor that read the address and went away) must not stop the
    // server: `outln!` never fails.
    outln!("cloudbackup emulator listening on {}", handle.base_url());
    outln!(
        "every spec'd action of every service; admin: {}/_emulator/state",
        handle.base_url()
    );
    outln!(
        "test credentials: see the `cloudbackup::emulator` docs (Tencent AKIDcloudbackupEmulatorTestKey, ...)"
    );
    crate::out::flush();
    match handle.wait() {
        Ok(()) => 0,
        Err(e) => {
            errln!("error: {e}");
            1
        }
    }
}
