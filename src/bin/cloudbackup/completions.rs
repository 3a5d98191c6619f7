//! `cloudbackup completions <shell>`: a completion script for the whole command line, every
//! provider, service, action and option included (clap_complete).

use clap::Args;
use clap_complete::Shell;

/// `cloudbackup completions`.
#[derive(Debug, Args)]
#[command(after_help = "Install, e.g. for bash: cloudbackup completions bash > \
~/.local/share/bash-completion/completions/cloudbackup\n\
bash, zsh, elvish and powershell complete down to every action and its options; fish \
completes commands and providers only (a limit of clap_complete's fish script, \
clap-rs/clap#5975).")]
pub(crate) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: Shell,
}

/// Runs `completions`; returns the exit code.
pub(crate) fn run(a: &CompletionsArgs) -> u8 {
    let mut cmd = crate::command();
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "cloudbackup", &mut script);
    crate::out::stdout(format_args!("{}", String::from_utf8_lossy(&script)));
    0
}
