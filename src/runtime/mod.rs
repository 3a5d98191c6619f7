//! Hand-written runtime: signing, wire encoding and response decoding. Knows nothing of specs.

pub mod request;
