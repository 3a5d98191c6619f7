//! Every family's response decoder on arbitrary responses, and every generated `parse_output`
//! on each success payload. Must never panic; a decode error's excerpt stays bounded. The case
//! and its input format are in `fuzz/common/decode_case.rs`, shared with the replay test.
#![no_main]
#![forbid(unsafe_code)]

#[path = "../common/decode_case.rs"]
mod decode_case;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    decode_case::run(data);
});
