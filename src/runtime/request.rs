//! Family-neutral request types: what generated code builds, and what signers send.

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
}

impl HttpMethod {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

/// What generated code builds for one call, before signing. Family-neutral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireRequest {
    /// Method.
    pub method: HttpMethod,
    /// Path, for example `/v2/index.php`.
    pub path: String,
    /// Action parameters for the query string or form body, already flattened.
    pub params: Vec<(String, String)>,
    /// Action-level headers (for example `x-request-id`).
    pub headers: Vec<(String, String)>,
    /// Exact JSON bytes when the action has a JSON body.
    pub body: Option<Vec<u8>>,
}
