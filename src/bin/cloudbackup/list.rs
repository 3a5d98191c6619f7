//! `cloudbackup list`: every action of this build, from the registry.

use clap::Args;
use cloudbackup::registry;

use crate::cli::{Format, OutputArg};
use crate::out::outln;
use crate::render::table;

/// `cloudbackup list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    output: OutputArg,
}

/// Runs `list`; returns the exit code.
pub(crate) fn run(a: &ListArgs) -> u8 {
    let all = registry::all();
    match a.output.format {
        Format::Json => {
            let items: Vec<serde_json::Value> = all
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "provider": e.service.provider,
                        "service": e.service.service,
                        "action": e.action.name,
                        "summary": e.summary,
                        "idempotent": e.action.idempotent,
                    })
                })
                .collect();
            outln!("{}", serde_json::Value::Array(items));
        }
        Format::Text => {
            for e in all {
                outln!(
                    "{:<9} {:<10} {:<22} {}",
                    e.service.provider,
                    e.service.service,
                    e.action.name,
                    e.summary
                );
            }
        }
        Format::Table => {
            let mut t = table(&["provider", "service", "action", "idempotent", "summary"]);
            for e in all {
                t.add_row(vec![
                    e.service.provider,
                    e.service.service,
                    e.action.name,
                    if e.action.idempotent { "yes" } else { "no" },
                    e.summary,
                ]);
            }
            outln!("{t}");
        }
    }
    0
}
