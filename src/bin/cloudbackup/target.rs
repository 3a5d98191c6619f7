//! The `call <provider> <service> <Action>` levels, built from the registry at run time: one
//! clap subcommand per provider, service and action, so misspelled names get clap's "a similar
//! subcommand exists" tip, `--help` works at every level, and completions and man pages list
//! every action. Each action's help is built from its spec ([`crate::action_help`]).

use std::collections::BTreeMap;

use clap::{ArgMatches, Args, Command, FromArgMatches, Subcommand};
use cloudbackup::registry::{self, ActionEntry};

use crate::action_help;
use crate::call::{CallOpts, PagingOpts, Signature};

/// The action a `call` names, with its options.
#[derive(Debug)]
pub(crate) struct Target {
    /// The action.
    pub(crate) entry: &'static ActionEntry,
    /// `--param`, `--region`, `--dry-run`, ...
    pub(crate) opts: CallOpts,
    /// `--signature`, for the families that have a choice.
    pub(crate) signature: Option<Signature>,
    /// `--all-pages`, `--max-items`, for paged actions.
    pub(crate) paging: Option<PagingOpts>,
}

/// Provider → service → actions, sorted.
type Tree = BTreeMap<&'static str, BTreeMap<&'static str, Vec<&'static ActionEntry>>>;

fn tree() -> Tree {
    let mut t = Tree::new();
    for e in registry::all() {
        t.entry(e.service.provider)
            .or_default()
            .entry(e.service.service)
            .or_default()
            .push(e);
    }
    t
}

/// A level that only groups the next one: help when called alone.
/// A level of the command tree (a provider or a service): a subcommand is required.
pub(crate) fn group(name: &'static str, about: String) -> Command {
    Command::new(name)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true)
}

fn action_command(entry: &'static ActionEntry) -> Command {
    // The options first: `augment_args` sets an `about` of its own.
    let cmd = CallOpts::augment_args(Command::new(entry.action.name));
    let cmd = match Signature::arg(entry.service.family) {
        Some(arg) => cmd.arg(arg),
        None => cmd,
    };
    let cmd = if entry.paginate.is_some() {
        PagingOpts::augment_args(cmd)
    } else {
        cmd
    };
    cmd.about(entry.summary)
        .long_about(None)
        .after_help(action_help::text(entry))
}

fn providers(cmd: Command) -> Command {
    let mut cmd = cmd;
    for (provider, services) in tree() {
        let names: Vec<&str> = services.keys().copied().collect();
        let mut p = group(provider, format!("services: {}", names.join(", ")));
        for (service, actions) in services {
            let title = actions.first().map_or("", |e| e.service.title);
            let mut s = group(service, title.to_owned());
            for e in actions {
                s = s.subcommand(action_command(e));
            }
            p = p.subcommand(s);
        }
        cmd = cmd.subcommand(p);
    }
    cmd
}

/// A level of a `<provider> <service> <name>` command left out; `see` is where to look.
pub(crate) fn missing(level: &str, see: &str) -> clap::Error {
    clap::Error::raw(
        clap::error::ErrorKind::MissingSubcommand,
        format!("a {level} is required; see `{see}`\n"),
    )
}

impl FromArgMatches for Target {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let (provider, m) = m
            .subcommand()
            .ok_or_else(|| missing("provider", "cloudbackup list"))?;
        let (service, m) = m
            .subcommand()
            .ok_or_else(|| missing("service", "cloudbackup list"))?;
        let (action, m) = m
            .subcommand()
            .ok_or_else(|| missing("action", "cloudbackup list"))?;
        let entry = registry::find(provider, service, action).ok_or_else(|| {
            clap::Error::raw(
                clap::error::ErrorKind::InvalidSubcommand,
                format!("no action {provider}/{service}/{action} in this build\n"),
            )
        })?;
        Ok(Self {
            entry,
            opts: CallOpts::from_arg_matches(m)?,
            signature: Signature::from_matches(entry.service.family, m),
            paging: match entry.paginate {
                Some(_) => Some(PagingOpts::from_arg_matches(m)?),
                None => None,
            },
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Subcommand for Target {
    fn augment_subcommands(cmd: Command) -> Command {
        providers(cmd)
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        providers(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        registry::all().iter().any(|e| e.service.provider == name)
    }
}
