//! Tencent API 2.0 and API 3.0 envelopes.

use serde_json::Value;

use super::{
    DecodeError, Decoded, RawResponse, ResponseMeta, ServiceErrorParts, code_string, parse_object,
    request_id, text_field,
};

/// Decodes an API 2.0 response `{code, message, codeDesc, data}`.
///
/// `code` may be an integer or a string; `0` is success (payload = the whole body object),
/// anything else is an error even with HTTP 200 (message from `message`, else `codeDesc`).
/// A body without a usable `code`, or a success code on a non-2xx status, is a
/// [`DecodeError`]. Request id: top-level `RequestId`/`requestId`, else a response header
/// (`data.requestId` of Redis is a task id, not a request id).
pub fn decode_tencent_v2(resp: &RawResponse) -> Result<Decoded, DecodeError> {
    let obj = parse_object(resp)?;
    let code = obj
        .get("code")
        .and_then(code_string)
        .ok_or_else(|| DecodeError::new(resp, "no integer or string `code` field"))?;
    let request_id = request_id(resp, &obj, &["RequestId", "requestId"]);
    if code.trim() == "0" {
        if !resp.is_success_status() {
            return Err(DecodeError::new(resp, "success code 0 on a non-2xx status"));
        }
        return Ok(Decoded::Success {
            payload: Value::Object(obj),
            meta: ResponseMeta {
                request_id,
                http_status: resp.status,
            },
        });
    }
    let mut message = text_field(&obj, &["message"]);
    if message.is_empty() {
        message = text_field(&obj, &["codeDesc"]);
    }
    Ok(Decoded::Error(ServiceErrorParts {
        code,
        message,
        request_id,
        http_status: resp.status,
    }))
}

/// Decodes an API 3.0 response `{"Response": {..., "RequestId"}}`.
///
/// `Response.Error` (`{"Code", "Message"}`) means a service error whatever the status
/// (usually HTTP 200). Otherwise a 2xx is a success with payload = the `Response` object.
/// A body without a `Response` object, a malformed `Error`, or a non-2xx without `Error` is
/// a [`DecodeError`] carrying the status.
pub fn decode_tc3(resp: &RawResponse) -> Result<Decoded, DecodeError> {
    let mut obj = parse_object(resp)?;
    let Some(Value::Object(inner)) = obj.remove("Response") else {
        return Err(DecodeError::new(resp, "no `Response` object"));
    };
    let request_id = request_id(resp, &inner, &["RequestId"]);
    if let Some(err) = inner.get("Error") {
        let code = err
            .as_object()
            .and_then(|e| e.get("Code"))
            .and_then(code_string)
            .ok_or_else(|| DecodeError::new(resp, "`Response.Error` without a `Code`"))?;
        let message = err
            .get("Message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        return Ok(Decoded::Error(ServiceErrorParts {
            code,
            message,
            request_id,
            http_status: resp.status,
        }));
    }
    if !resp.is_success_status() {
        return Err(DecodeError::new(
            resp,
            "non-2xx status without `Response.Error`",
        ));
    }
    Ok(Decoded::Success {
        payload: Value::Object(inner),
        meta: ResponseMeta {
            request_id,
            http_status: resp.status,
        },
    })
}
