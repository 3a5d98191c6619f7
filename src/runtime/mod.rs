//! Hand-written runtime: signing, wire encoding and response decoding. Knows nothing of specs.
//!
//! Generated code builds a [`WireRequest`] and an [`OperationContext`], takes a timestamp from a
//! [`Clock`] and a [`NonceSource`], and calls the signer of its API family. Each signer is a plain
//! function returning [`Signed`] (the [`SignedRequest`] to send plus the intermediate
//! [`SigningSteps`]); responses go through the family's `decode_*` function.

pub mod clock;
pub mod credentials;
pub mod encode;
pub mod request;
pub mod time_fmt;

pub use clock::{
    Clock, FixedClock, FixedNonce, ManualClock, NonceSource, RandomNonce, SequenceNonce,
    SystemClock,
};
pub use credentials::{AlibabaCredentials, HuaweiCredentials, Secret, TencentCredentials};
pub use request::{
    Endpoint, HttpMethod, OperationContext, SignError, Signed, SignedRequest, SigningSteps,
    WireRequest,
};
