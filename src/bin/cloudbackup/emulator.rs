//! `cloudbackup emulator`: run the loopback emulator in the foreground.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use cloudbackup::emulator::{Emulator, EmulatorConfig};

pub(crate) fn run(argv: &[String]) -> ExitCode {
    let mut listen: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8080));
    let mut config = EmulatorConfig::default();
    let mut it = argv.iter();
    while let Some(arg) = it.next() {
        match (arg.as_str(), it.next()) {
            ("--listen", Some(v)) => match v.parse() {
                Ok(a) => listen = a,
                Err(_) => {
                    eprintln!("error: `--listen {v}`: expected ADDRESS:PORT, e.g. 127.0.0.1:8080");
                    return ExitCode::from(2);
                }
            },
            ("--config", Some(path)) => match EmulatorConfig::from_file(path) {
                Ok(c) => config = c,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!(
                    "usage: cloudbackup emulator [--listen 127.0.0.1:PORT] [--config FILE.json]"
                );
                return ExitCode::from(2);
            }
        }
    }
    let handle = match Emulator::start_on(config, listen) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: cannot listen on {listen}: {e}");
            return ExitCode::from(3);
        }
    };
    // A closed stdout (a supervisor that read the address and went away) must not stop the
    // server: write errors are ignored.
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "cloudbackup emulator listening on {}",
        handle.base_url()
    );
    let _ = writeln!(
        out,
        "every spec'd action of every service; admin: {}/_emulator/state",
        handle.base_url()
    );
    let _ = writeln!(
        out,
        "test credentials: see the `cloudbackup::emulator` docs (Tencent AKIDcloudbackupEmulatorTestKey, ...)"
    );
    let _ = out.flush();
    match handle.wait() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
