//! `cloudbackup man`: the man page (roff, clap_mangen), printed, or written into a directory
//! with one page per command down to every action
//! (`cloudbackup-call-tencent-cbs-CreateDiskBackup.1`).

use std::path::PathBuf;

use clap::Args;

use crate::out::{errln, outln};

/// `cloudbackup man`.
#[derive(Debug, Args)]
#[command(after_help = "Read it with: cloudbackup man | man -l -")]
pub(crate) struct ManArgs {
    /// Write cloudbackup.1 and a page for every subcommand into this directory (created if
    /// missing) instead of printing cloudbackup.1.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Runs `man`; returns the exit code (1 when the pages cannot be written).
pub(crate) fn run(a: &ManArgs) -> u8 {
    let cmd = crate::command();
    let Some(dir) = &a.dir else {
        let mut page = Vec::new();
        if let Err(e) = clap_mangen::Man::new(cmd).render(&mut page) {
            errln!("error: cannot render the man page: {e}");
            return 1;
        }
        crate::out::stdout(format_args!("{}", String::from_utf8_lossy(&page)));
        return 0;
    };
    match std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir)) {
        Ok(()) => {
            outln!("man pages written to {}", dir.display());
            0
        }
        Err(e) => {
            errln!(
                "error: cannot write the man pages into {}: {e}",
                dir.display()
            );
            1
        }
    }
}
