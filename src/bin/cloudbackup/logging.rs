//! `-v`/`-vv`/`-vvv` and `RUST_LOG`: the library's tracing (and the HTTP client's `log`
//! records) as lines on stderr, through tracing-subscriber. The library never puts a secret in
//! a span or event, so none reaches these lines.

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::out::errln;

/// The filter of `-v` given `verbose` times.
fn verbosity(verbose: u8) -> &'static str {
    match verbose {
        1 => "warn,cloudbackup=debug",
        2 => "info,cloudbackup=trace,reqwest=trace,hyper=debug,hyper_util=debug",
        _ => "trace",
    }
}

/// Installs the subscriber: `-v` wins over `RUST_LOG`; neither: nothing is traced.
pub(crate) fn init(verbose: u8) {
    let spec = if verbose > 0 {
        verbosity(verbose).to_owned()
    } else {
        match std::env::var("RUST_LOG") {
            Ok(s) if !s.trim().is_empty() => s,
            _ => return,
        }
    };
    let targets: Targets = match spec.parse() {
        Ok(t) => t,
        Err(e) => {
            errln!(
                "warning: ignoring RUST_LOG={spec:?} ({e}); write target=level pairs, e.g. cloudbackup=debug"
            );
            return;
        }
    };
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(true);
    if let Err(e) = tracing_subscriber::registry()
        .with(fmt)
        .with(targets)
        .try_init()
    {
        errln!("warning: tracing is off: {e}");
    }
}
