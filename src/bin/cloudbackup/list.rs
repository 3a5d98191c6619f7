//! `cloudbackup list`: every action of this build, from the registry.

use std::process::ExitCode;

use cloudbackup::registry;

pub(crate) fn run(argv: &[String]) -> ExitCode {
    let json = match argv {
        [] => false,
        [flag, v] if flag == "--output" => match crate::args::output(v) {
            Ok(j) => j,
            Err(e) => return crate::fail(&e, false),
        },
        _ => {
            return crate::fail(
                &registry::DynError::bad_input("usage: cloudbackup list [--output json]"),
                false,
            );
        }
    };
    let all = registry::all();
    if json {
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
        println!("{}", serde_json::Value::Array(items));
    } else {
        for e in all {
            println!(
                "{:<9} {:<10} {:<22} {}",
                e.service.provider, e.service.service, e.action.name, e.summary
            );
        }
    }
    ExitCode::SUCCESS
}
