//! Huawei Cloud REST envelopes (service `error_code`/`error_msg`, APIG gateway errors).

use serde_json::{Map, Value};

use super::{
    DecodeError, Decoded, RawResponse, ResponseMeta, ServiceErrorParts, code_string, parse_object,
    request_id, text_field,
};

/// The error code and message, in the shapes `huaweicloudsdkcore` accepts: `error_code` /
/// `error_msg`, `errorCode` / `errorMsg`, a nested `error: {code, message}`, and (only on a
/// non-2xx status, where a success payload cannot be confused with it) top-level
/// `code` / `message`.
fn error_parts(obj: &Map<String, Value>, success_status: bool) -> Option<(String, String)> {
    for (code, msg) in [("error_code", "error_msg"), ("errorCode", "errorMsg")] {
        if let Some(c) = obj.get(code).and_then(code_string) {
            return Some((c, text_field(obj, &[msg])));
        }
    }
    if let Some(Value::Object(e)) = obj.get("error")
        && let Some(c) = e.get("code").and_then(code_string)
    {
        return Some((c, text_field(e, &["message"])));
    }
    if !success_status && let Some(c) = obj.get("code").and_then(code_string) {
        return Some((c, text_field(obj, &["message"])));
    }
    None
}

/// Decodes a Huawei response (payload = the whole body object).
///
/// An `error_code` (or equivalent, see above) other than `"0"` is an error on any status
/// (200, 400, 500, gateway `APIG.xxxx`); an absent or `"0"` code with a 2xx is a success; a
/// non-2xx without an error code is a [`DecodeError`]. Request id: body `request_id`, else the
/// `X-Request-Id` header.
pub fn decode_huawei(resp: &RawResponse) -> Result<Decoded, DecodeError> {
    let obj = parse_object(resp)?;
    let request_id = request_id(resp, &obj, &["request_id"]);
    let parts = error_parts(&obj, resp.is_success_status());
    match parts {
        Some((code, message)) if code.trim() != "0" => Ok(Decoded::Error(ServiceErrorParts {
            code,
            message,
            request_id,
            http_status: resp.status,
        })),
        _ if !resp.is_success_status() => Err(DecodeError::new(
            resp,
            "non-2xx status without an error code",
        )),
        _ => Ok(Decoded::Success {
            payload: Value::Object(obj),
            meta: ResponseMeta {
                request_id,
                http_status: resp.status,
            },
        }),
    }
}
