//! The admin endpoints: `GET /_emulator/state`, `POST /_emulator/reset`,
//! `GET|POST /_emulator/faults`, `GET|POST /_emulator/transitions`.

use serde_json::json;

use super::handler::{Shared, arm};
use super::wire::{Incoming, Outgoing};

fn error(status: u16, message: &str) -> Outgoing {
    Outgoing::json(status, &json!({ "error": message }))
}

pub(crate) fn handle(shared: &Shared, req: &Incoming) -> Outgoing {
    let now = shared.config.clock.now_unix();
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/_emulator/state") => {
            let snap = shared.lock().snapshot(now);
            match serde_json::to_value(&snap) {
                Ok(v) => Outgoing::json(200, &v),
                Err(e) => error(500, &e.to_string()),
            }
        }
        ("POST", "/_emulator/reset") => {
            shared.lock().reset();
            Outgoing::json(200, &json!({ "reset": true }))
        }
        ("GET", "/_emulator/transitions") => {
            let list = shared.lock().store.overrides.clone();
            Outgoing::json(200, &json!({ "transitions": list }))
        }
        ("POST", "/_emulator/transitions") => {
            let parsed: Result<Vec<super::store::TransitionOverride>, String> =
                serde_json::from_slice::<serde_json::Value>(&req.body)
                    .map_err(|e| format!("not JSON: {e}"))
                    .and_then(|v| {
                        let v = if v.is_array() {
                            v
                        } else {
                            serde_json::Value::Array(vec![v])
                        };
                        serde_json::from_value(v).map_err(|e| e.to_string())
                    })
                    .and_then(|list: Vec<super::store::TransitionOverride>| {
                        for t in &list {
                            super::store::check_override(t, &shared.entries)?;
                        }
                        Ok(list)
                    });
            match parsed {
                Ok(list) => {
                    let n = list.len();
                    let store = &mut shared.lock().store;
                    for t in list {
                        store.set_override(t);
                    }
                    Outgoing::json(200, &json!({ "added": n }))
                }
                Err(e) => error(
                    400,
                    &format!("not a transition or a list of transitions: {e}"),
                ),
            }
        }
        ("GET", "/_emulator/faults") => {
            let faults = shared.lock().snapshot(now).faults;
            Outgoing::json(200, &json!({ "faults": faults }))
        }
        ("POST", "/_emulator/faults") => {
            // Parsed in two steps so that an error names the member at fault (an untagged
            // enum would only say that no shape matched).
            let specs = match serde_json::from_slice(&req.body)
                .map_err(|e| ("(body)".to_owned(), format!("not JSON: {e}")))
                .and_then(|v| super::faults::faults_from_json(v, false))
            {
                Ok(specs) => specs,
                Err((member, e)) => {
                    return error(
                        400,
                        &format!("not a fault or a list of faults: `{member}`: {e}"),
                    );
                }
            };
            let mut st = shared.lock();
            for f in &specs {
                if let Err(e) = super::faults::resolve(f, &shared.entries) {
                    return error(400, &e.to_string());
                }
            }
            for f in &specs {
                if let Err(e) = arm(&mut st, f, &shared.entries) {
                    return error(400, &e.to_string());
                }
            }
            Outgoing::json(200, &json!({ "armed": specs.len() }))
        }
        _ => error(
            404,
            "unknown admin endpoint: GET /_emulator/state, POST /_emulator/reset, GET|POST /_emulator/faults, GET|POST /_emulator/transitions",
        ),
    }
}
