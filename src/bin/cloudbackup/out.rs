//! Standard output and error that never panic: a reader that goes away (`cloudbackup ... | head
//! -2`) ends the output quietly instead of aborting with "failed printing to stdout".
//!
//! The first failed write to stdout is remembered and later writes are skipped; `main` reports
//! a failure other than a closed pipe once, at the end. Writes to stderr ignore errors (there is
//! nowhere left to report them).

use std::fmt;
use std::io::{self, Write};
use std::sync::Mutex;

/// The first error writing to stdout, if any.
static STDOUT_ERROR: Mutex<Option<io::Error>> = Mutex::new(None);

fn remember(e: io::Error) {
    let mut slot = STDOUT_ERROR.lock().unwrap_or_else(|p| p.into_inner());
    if slot.is_none() {
        *slot = Some(e);
    }
}

fn failed() -> bool {
    STDOUT_ERROR
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .is_some()
}

/// Writes to stdout; after a failure, does nothing.
pub(crate) fn stdout(args: fmt::Arguments<'_>) {
    if failed() {
        return;
    }
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        remember(e);
    }
}

/// Flushes stdout (for a reader waiting on a line while the process goes on).
pub(crate) fn flush() {
    if !failed()
        && let Err(e) = io::stdout().lock().flush()
    {
        remember(e);
    }
}

/// Writes to stderr, ignoring errors.
pub(crate) fn stderr(args: fmt::Arguments<'_>) {
    let _ = io::stderr().lock().write_fmt(args);
}

/// Flushes stdout and takes the first write error, unless it was a closed pipe (the reader
/// had what it wanted: not an error).
pub(crate) fn finish() -> Option<io::Error> {
    flush();
    let e = STDOUT_ERROR
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()?;
    (e.kind() != io::ErrorKind::BrokenPipe).then_some(e)
}

/// `println!` to stdout through [`stdout`].
macro_rules! outln {
    () => { $crate::out::stdout(format_args!("\n")) };
    ($($t:tt)*) => { $crate::out::stdout(format_args!("{}\n", format_args!($($t)*))) };
}

/// `eprintln!` to stderr through [`stderr`].
macro_rules! errln {
    ($($t:tt)*) => { $crate::out::stderr(format_args!("{}\n", format_args!($($t)*))) };
}

pub(crate) use {errln, outln};
