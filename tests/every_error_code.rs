//! Every documented error code of every registry action (its own, its service's and its API
//! family's) is answered by the emulator in the family's real envelope (fault injection), read
//! back by the family's decoder (the one the typed client uses) and mapped by the action's
//! typed `parse_error` to its own variant of the action's error (the family's common codes to
//! their own variant of the provider's common enum, inside `Common`), with the documented
//! retryability and HTTP status. The actions come from the registry: a new spec is covered
//! without editing this file.
#![cfg(feature = "emulator")]

#[path = "support/emulator.rs"]
mod harness;

use std::collections::HashSet;

use cloudbackup::emulator::{FaultKind, FaultSpec};
use cloudbackup::runtime::Decoded;
use cloudbackup::{ErrorMeta, registry};
use harness::{Auth, decode, empty_wire, harness, send};

/// The variant path of a typed error, from its `Debug` form: `InvalidDiskBusy`, or
/// `Common(AuthFailureSignatureFailure` for a common code.
fn variant(e: &dyn std::fmt::Debug) -> String {
    let debug = format!("{e:?}");
    let end = debug
        .find("(ErrorMeta")
        .expect("every variant carries an ErrorMeta");
    debug[..end].to_owned()
}

#[test]
fn every_documented_code_is_its_own_variant() {
    let h = harness();
    let entries = registry::all();
    assert!(!entries.is_empty(), "the registry lists the spec'd actions");
    let mut checked = 0;
    for entry in entries {
        let path = entry.path();
        let unhandled = variant(&(entry.parse_error)(ErrorMeta {
            code: "NotADocumentedCode".into(),
            message: String::new(),
            request_id: None,
            http_status: 200,
            raw: None,
        }));
        assert_eq!(unhandled, "Unhandled", "{path}");
        let mut variants = HashSet::new();
        for info in entry.documented_errors() {
            h.emu.reset();
            h.emu
                .inject(FaultSpec::new(
                    &path,
                    1,
                    FaultKind::Error {
                        code: info.code.into(),
                        message: None,
                    },
                ))
                .unwrap();
            // Injected faults come before validation: an empty request is enough.
            let signed = h.sign(entry, &empty_wire(entry), Auth::Default);
            let raw = send(h.emu.addr(), &signed).expect("HTTP exchange");
            let Decoded::Error(parts) = decode(entry.service.family, &raw) else {
                panic!("{path} {}: the emulator answered a success", info.code);
            };
            assert_eq!(parts.code, info.code, "{path}");
            if let Some(status) = info.status {
                assert_eq!(parts.http_status, status, "{path} {}", info.code);
            }
            let e = (entry.parse_error)(parts.into());
            assert_eq!(e.meta().code, info.code, "{path}");
            assert_eq!(e.is_retryable(), info.retryable, "{path} {}", info.code);
            let d = variant(&e);
            assert_ne!(d, unhandled, "{path} {} decoded as Unhandled", info.code);
            assert!(
                variants.insert(d),
                "{path} {}: two codes share a variant",
                info.code
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no documented error code in the registry");
}
