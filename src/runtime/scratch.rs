//! Per-thread scratch buffers for the intermediate strings of a signature (canonical request,
//! string to sign): the `*_request` signers, which return only what is sent, reuse them
//! instead of allocating two strings per call. Cleared before every use and after it.

use std::cell::RefCell;

use super::crypto::hex32;
use super::request::{Signed, SignedRequest, SigningSteps};

/// The two intermediate strings of one signature.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Canonical request (or the family's equivalent).
    pub(crate) canonical: String,
    /// String to sign.
    pub(crate) sts: String,
}

impl Scratch {
    fn clear(&mut self) {
        self.canonical.clear();
        self.sts.clear();
    }

    /// The step signers' result for the families whose signature is the lowercase hex of a
    /// 32-byte MAC (TC3, ACS3, Huawei AK/SK): these buffers become the steps.
    pub(crate) fn into_hex_signed(self, request: SignedRequest, mac: &[u8; 32]) -> Signed {
        Signed {
            steps: SigningSteps {
                canonical_request: self.canonical,
                string_to_sign: self.sts,
                signature: hex32(mac),
            },
            request,
        }
    }
}

/// Buffers larger than this are dropped after use rather than kept for the next call.
const KEEP_MAX: usize = 16 * 1024;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch buffers, emptied; with fresh ones if they are in use.
pub(crate) fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            s.clear();
            let out = f(&mut s);
            s.clear();
            if s.canonical.capacity() > KEEP_MAX || s.sts.capacity() > KEEP_MAX {
                *s = Scratch::default();
            }
            out
        }
        Err(_) => f(&mut Scratch::default()),
    })
}
