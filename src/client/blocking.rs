//! The blocking side: a private current-thread tokio runtime that blocking clients run the
//! async engine on.

use std::future::Future;
use std::sync::Arc;

use super::error::ConfigError;

/// A private single-threaded runtime shared by clones of one blocking client.
///
/// Blocking calls must not be made from inside an async runtime (tokio panics): use the async
/// client there.
#[derive(Clone, Debug)]
pub struct BlockingRuntime {
    rt: Arc<tokio::runtime::Runtime>,
}

impl BlockingRuntime {
    /// A new runtime with IO and timers.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Http`] if the runtime cannot be started.
    pub fn new() -> Result<Self, ConfigError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ConfigError::Http(format!("cannot start the blocking runtime: {e}")))?;
        Ok(Self { rt: Arc::new(rt) })
    }

    /// Runs `fut` to completion on this runtime.
    pub fn block_on<F: Future>(&self, fut: F) -> F::Output {
        self.rt.block_on(fut)
    }
}
