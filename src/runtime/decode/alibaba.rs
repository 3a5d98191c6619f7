//! Alibaba Cloud RPC envelopes.

use serde_json::Value;

use super::{
    DecodeError, Decoded, RawResponse, ResponseMeta, ServiceErrorParts, code_string, parse_object,
    request_id, text_field,
};

/// `Code` values some Alibaba APIs return on success.
fn is_success_marker(code: &str) -> bool {
    code == "200" || code.eq_ignore_ascii_case("ok") || code.eq_ignore_ascii_case("success")
}

fn is_false(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// The first field among `fields` holding a non-empty string or integer code.
fn first_code(obj: &serde_json::Map<String, Value>, fields: &[&str]) -> Option<String> {
    fields
        .iter()
        .filter_map(|f| obj.get(*f).and_then(code_string))
        .find(|c| !c.is_empty())
}

/// Decodes an Alibaba RPC response (payload = the whole body object).
///
/// An error is keyed on the body, not the HTTP status: a `Code` that is non-empty and not a
/// success marker (`200`, `OK`, `Success`) (message from `Message`), or `Success: false`
/// (code from `ErrCode`, else `Code`, else `UnknownError`; message from `ErrMessage`, else
/// `Message`). Otherwise a 2xx is a success; a non-2xx without an error code is a
/// [`DecodeError`]. Request id: body `RequestId`, else the `x-acs-request-id` header.
pub fn decode_alibaba(resp: &RawResponse) -> Result<Decoded, DecodeError> {
    let obj = parse_object(resp)?;
    let request_id = request_id(resp, &obj, &["RequestId"]);
    let error = |code: String, message: String| {
        Ok(Decoded::Error(ServiceErrorParts {
            code,
            message,
            request_id: request_id.clone(),
            http_status: resp.status,
        }))
    };
    if is_false(obj.get("Success")) {
        let code = first_code(&obj, &["ErrCode", "Code"]).unwrap_or_else(|| "UnknownError".into());
        let mut message = text_field(&obj, &["ErrMessage"]);
        if message.is_empty() {
            message = text_field(&obj, &["Message"]);
        }
        return error(code, message);
    }
    if let Some(code) = first_code(&obj, &["Code"])
        && !is_success_marker(&code)
    {
        return error(code, text_field(&obj, &["Message"]));
    }
    if !resp.is_success_status() {
        return Err(DecodeError::new(
            resp,
            "non-2xx status without an error `Code`",
        ));
    }
    Ok(Decoded::Success {
        payload: Value::Object(obj),
        meta: ResponseMeta {
            request_id,
            http_status: resp.status,
        },
    })
}
