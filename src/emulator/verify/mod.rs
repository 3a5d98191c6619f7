//! Server-side signature and token verification, one module per vendor. Each rebuilds the
//! canonical form from the request as received and compares in constant time.

pub(crate) mod alibaba;
pub(crate) mod huawei;
pub(crate) mod tencent;
