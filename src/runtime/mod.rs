//! Hand-written runtime: signing, wire encoding and response decoding. Knows nothing of specs.
//!
//! # How generated code uses it
//!
//! 1. Build a [`WireRequest`] (method, path, flattened action params, action headers, exact
//!    JSON body bytes) and an [`OperationContext`] (endpoint, action, version, region,
//!    signing service).
//! 2. Take `timestamp = clock.now_unix()` from an injected [`Clock`] and pass an injected
//!    [`NonceSource`]; nothing in the runtime reads the system time itself.
//! 3. Call the family's signer — plain functions, one per family:
//!    - Tencent API 2.0: [`tencent_v2::sign_tencent_v2`] (option [`TencentV2Method`]);
//!    - Tencent API 3.0: [`tc3::sign_tc3`] (options [`Tc3Options`], cache [`Tc3KeyCache`]);
//!    - Alibaba RPC V3: [`acs3::sign_acs3`]; V2 HMAC-SHA1: [`acs_v2::sign_acs_v2`];
//!    - Huawei: [`huawei::sign_huawei`] (token or AK/SK per [`HuaweiCredentials`]); IAM token
//!      acquisition and caching in [`huawei_iam`].
//!
//!    Each returns [`Signed`]: the [`SignedRequest`] to send and the intermediate
//!    [`SigningSteps`] (Huawei token mode has none: [`HuaweiSigned`]). Each also has a
//!    `*_request` twin (e.g. [`tc3::sign_tc3_request`]) that a client uses: same bytes sent,
//!    taking an [`OperationRef`] and the [`WireRequest`] by value, keeping no steps, and
//!    reusing keyed HMAC states from a [`MacKeyCache`].
//! 4. Send it, wrap the reply as a [`RawResponse`] and decode it with the family's function:
//!    [`decode_tencent_v2`], [`decode_tc3`], [`decode_alibaba`], [`decode_huawei`], giving a
//!    typed success or service error ([`Decoded`]) or a [`DecodeError`].
//!
//! Each provider's signers, decoders and credentials are behind its feature (`tencent`,
//! `alibaba`, `huawei`), which its service features enable.

#[cfg(feature = "alibaba")]
pub mod acs3;
#[cfg(feature = "alibaba")]
pub mod acs_v2;
pub mod clock;
pub mod credentials;
pub mod crypto;
pub mod decode;
pub mod encode;
#[cfg(feature = "huawei")]
pub mod huawei;
#[cfg(feature = "huawei")]
pub mod huawei_iam;
pub mod mac_cache;
pub mod request;
mod scratch;
#[cfg(feature = "tencent")]
pub mod tc3;
#[cfg(feature = "tencent")]
pub mod tencent_v2;
pub mod time_fmt;

#[cfg(feature = "alibaba")]
pub use acs_v2::AcsV2Options;
pub use clock::{
    Clock, FixedClock, FixedNonce, ManualClock, ManualTimer, NonceSource, RandomNonce,
    SequenceNonce, SleepFuture, SystemClock, Timer, TokioTimer,
};
#[cfg(feature = "alibaba")]
pub use credentials::AlibabaCredentials;
#[cfg(feature = "huawei")]
pub use credentials::HuaweiCredentials;
pub use credentials::Secret;
#[cfg(feature = "tencent")]
pub use credentials::TencentCredentials;
#[cfg(feature = "alibaba")]
pub use decode::decode_alibaba;
#[cfg(feature = "huawei")]
pub use decode::decode_huawei;
pub use decode::{DecodeError, Decoded, RawResponse, ResponseMeta, ServiceErrorParts};
#[cfg(feature = "tencent")]
pub use decode::{decode_tc3, decode_tencent_v2};
#[cfg(feature = "huawei")]
pub use huawei::HuaweiSigned;
pub use mac_cache::MacKeyCache;
pub use request::{
    Endpoint, HeaderName, HttpMethod, OperationContext, OperationRef, SignError, Signed,
    SignedRequest, SigningSteps, WireRequest,
};
#[cfg(feature = "tencent")]
pub use tc3::{Tc3KeyCache, Tc3Options};
#[cfg(feature = "tencent")]
pub use tencent_v2::TencentV2Method;
