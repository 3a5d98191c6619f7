//! Building a [`WireRequest`] from typed fields ([`WireBuilder`], used by generated `to_wire`)
//! and reading typed fields back ([`WireReader`], generated `from_wire`: the emulator's and
//! the CLI's side). Every method takes the field's wire format (`Plain`, a timestamp format,
//! `Comma<..>`, `JsonList<..>`); the plain ones are shorthands for `Plain`.

use serde_json::{Map, Value};

use super::{
    FieldError, FromJson, FromParam, JsonFormat, ParamFormat, Plain, ToJson, ToParam, optional_as,
};
use crate::runtime::encode::{percent_decode, percent_encode};
use crate::runtime::request::{HttpMethod, WireRequest};

/// Builds a [`WireRequest`] field by field; used by generated `to_wire()` methods.
#[derive(Debug)]
pub struct WireBuilder {
    method: HttpMethod,
    path: &'static str,
    path_values: Vec<(&'static str, String)>,
    params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    json: Option<Map<String, Value>>,
}

impl WireBuilder {
    /// A request with no fields yet; `path` is the action's path template (`{name}` segments
    /// are filled by [`WireBuilder::path_param`]); `json_body` when the action sends a JSON
    /// body (even empty).
    pub fn new(method: HttpMethod, path: &'static str, json_body: bool) -> Self {
        WireBuilder {
            method,
            path,
            path_values: Vec::new(),
            params: Vec::new(),
            headers: Vec::new(),
            json: json_body.then(Map::new),
        }
    }

    /// A query or form parameter.
    pub fn param(&mut self, name: &str, v: &(impl ToParam + FromParam)) {
        self.param_as::<Plain, _>(name, v);
    }

    /// A query or form parameter in wire format `F`.
    pub fn param_as<F: ParamFormat<T>, T>(&mut self, name: &str, v: &T) {
        self.params.push((name.to_owned(), F::to_param(v)));
    }

    /// An array flattened as `name.<start>`, `name.<start+1>`, ...
    pub fn param_list<T: ToParam + FromParam>(&mut self, name: &str, items: &[T], start: usize) {
        self.param_list_as::<Plain, T>(name, items, start);
    }

    /// An array flattened as `name.<start>`, ..., each item in wire format `F`.
    pub fn param_list_as<F: ParamFormat<T>, T>(&mut self, name: &str, items: &[T], start: usize) {
        for (i, item) in items.iter().enumerate() {
            self.params
                .push((format!("{name}.{}", i + start), F::to_param(item)));
        }
    }

    /// A parameter carrying JSON text (arrays and objects with `style: json`).
    pub fn param_json(&mut self, name: &str, v: &impl ToJson) {
        self.params.push((name.to_owned(), v.to_json().to_string()));
    }

    /// A header.
    pub fn header(&mut self, name: &str, v: &(impl ToParam + FromParam)) {
        self.header_as::<Plain, _>(name, v);
    }

    /// A header in wire format `F`.
    pub fn header_as<F: ParamFormat<T>, T>(&mut self, name: &str, v: &T) {
        self.headers.push((name.to_owned(), F::to_param(v)));
    }

    /// A `{name}` segment of the path.
    pub fn path_param(&mut self, name: &'static str, v: &(impl ToParam + FromParam)) {
        self.path_param_as::<Plain, _>(name, v);
    }

    /// A `{name}` segment of the path in wire format `F` (percent-encoded as one segment).
    pub fn path_param_as<F: ParamFormat<T>, T>(&mut self, name: &'static str, v: &T) {
        self.path_values.push((name, F::to_param(v)));
    }

    /// A JSON body member.
    pub fn json(&mut self, name: &str, v: &impl ToJson) {
        self.json
            .get_or_insert_with(Map::new)
            .insert(name.to_owned(), v.to_json());
    }

    /// A JSON body member in wire format `F`.
    pub fn json_as<F: JsonFormat<T>, T>(&mut self, name: &str, v: &T) {
        self.json
            .get_or_insert_with(Map::new)
            .insert(name.to_owned(), F::to_json(v));
    }

    /// The request: the path with its parameters filled in, JSON members serialised
    /// compactly, keys in byte order.
    pub fn finish(self) -> WireRequest {
        let values: Vec<(&str, &str)> = self
            .path_values
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        WireRequest {
            method: self.method,
            path: fill_path(self.path, &values),
            params: self.params,
            headers: self.headers,
            body: self.json.map(|m| Value::Object(m).to_string().into_bytes()),
        }
    }
}

/// The path `template` with each `{name}` segment replaced by its value, percent-encoded as
/// one segment (`a/b` becomes `a%2Fb`). A segment whose value is not given stays as written.
pub fn fill_path(template: &str, values: &[(&str, &str)]) -> String {
    if !template.contains('{') {
        return template.to_owned();
    }
    template
        .split('/')
        .map(|seg| {
            let name = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
            match name.and_then(|n| values.iter().find(|(k, _)| *k == n)) {
                Some((_, v)) => percent_encode(v),
                None => seg.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The `{name}` values of `path` (percent-decoded) when it matches `template` segment by
/// segment; `None` when it does not match (or a segment does not decode).
pub fn path_params<'t>(template: &'t str, path: &str) -> Option<Vec<(&'t str, String)>> {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    if t.len() != p.len() {
        return None;
    }
    let mut out = Vec::new();
    for (ts, ps) in t.iter().zip(&p) {
        match ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if !ps.is_empty() => out.push((name, percent_decode(ps)?)),
            Some(_) => return None,
            None if ts == ps => {}
            None => return None,
        }
    }
    Some(out)
}

/// Reads typed fields back out of a [`WireRequest`]; used by generated `from_wire()` methods.
#[derive(Debug)]
pub struct WireReader<'a> {
    wire: &'a WireRequest,
    json: Option<Value>,
}

fn field_err(path: &str, reason: impl Into<String>) -> FieldError {
    FieldError {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

impl<'a> WireReader<'a> {
    /// A reader; fails when the body is present but is not a JSON object.
    pub fn new(wire: &'a WireRequest) -> Result<Self, FieldError> {
        let json = match &wire.body {
            Some(b) if !b.is_empty() => {
                let v: Value = serde_json::from_slice(b)
                    .map_err(|e| field_err("<body>", format!("not JSON: {e}")))?;
                if !v.is_object() {
                    return Err(field_err("<body>", "not a JSON object"));
                }
                Some(v)
            }
            _ => None,
        };
        Ok(WireReader { wire, json })
    }

    /// A query or form parameter.
    pub fn param<T: ToParam + FromParam>(&self, name: &str) -> Result<Option<T>, FieldError> {
        self.param_as::<Plain, T>(name)
    }

    /// A query or form parameter in wire format `F`.
    pub fn param_as<F: ParamFormat<T>, T>(&self, name: &str) -> Result<Option<T>, FieldError> {
        self.wire
            .params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| F::from_param(v).map_err(|e| field_err(name, e)))
            .transpose()
    }

    /// An array flattened as `name.<start>`, `name.<start+1>`, ...; `None` when there is no item.
    pub fn param_list<T: ToParam + FromParam>(
        &self,
        name: &str,
        start: usize,
    ) -> Result<Option<Vec<T>>, FieldError> {
        self.param_list_as::<Plain, T>(name, start)
    }

    /// An indexed array whose items are in wire format `F`.
    pub fn param_list_as<F: ParamFormat<T>, T>(
        &self,
        name: &str,
        start: usize,
    ) -> Result<Option<Vec<T>>, FieldError> {
        let mut items = Vec::new();
        loop {
            let key = format!("{name}.{}", items.len() + start);
            match self.wire.params.iter().find(|(k, _)| *k == key) {
                Some((_, v)) => items.push(F::from_param(v).map_err(|e| field_err(&key, e))?),
                None => break,
            }
        }
        Ok((!items.is_empty()).then_some(items))
    }

    /// A parameter carrying JSON text.
    pub fn param_json<T: FromJson>(&self, name: &str) -> Result<Option<T>, FieldError> {
        let Some((_, text)) = self.wire.params.iter().find(|(k, _)| k == name) else {
            return Ok(None);
        };
        let v: Value =
            serde_json::from_str(text).map_err(|e| field_err(name, format!("not JSON: {e}")))?;
        T::from_json(&v, false)
            .map(Some)
            .map_err(|e| field_err(name, e))
    }

    /// A header (case-insensitive name).
    pub fn header<T: ToParam + FromParam>(&self, name: &str) -> Result<Option<T>, FieldError> {
        self.header_as::<Plain, T>(name)
    }

    /// A header in wire format `F`.
    pub fn header_as<F: ParamFormat<T>, T>(&self, name: &str) -> Result<Option<T>, FieldError> {
        self.wire
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| F::from_param(v).map_err(|e| field_err(name, e)))
            .transpose()
    }

    /// The `{name}` segment of the path, matched against the action's `template`.
    pub fn path_param<T: ToParam + FromParam>(
        &self,
        template: &str,
        name: &str,
    ) -> Result<Option<T>, FieldError> {
        self.path_param_as::<Plain, T>(template, name)
    }

    /// The `{name}` segment of the path in wire format `F`.
    pub fn path_param_as<F: ParamFormat<T>, T>(
        &self,
        template: &str,
        name: &str,
    ) -> Result<Option<T>, FieldError> {
        let Some(values) = path_params(template, &self.wire.path) else {
            return Err(field_err(
                "<path>",
                format!(
                    "`{}` does not match `{template}`",
                    crate::validation::shorten(&self.wire.path)
                ),
            ));
        };
        values
            .into_iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| F::from_param(&v).map_err(|e| field_err(name, e)))
            .transpose()
    }

    /// A JSON body member.
    pub fn json<T: FromJson + ToJson>(&self, name: &str) -> Result<Option<T>, FieldError> {
        self.json_as::<Plain, T>(name)
    }

    /// A JSON body member in wire format `F`.
    pub fn json_as<F: JsonFormat<T>, T>(&self, name: &str) -> Result<Option<T>, FieldError> {
        match &self.json {
            Some(v) => optional_as::<F, T>(v, &[name], false),
            None => Ok(None),
        }
    }

    /// Turns a missing required field into an error.
    pub fn need<T>(value: Option<T>, name: &str) -> Result<T, FieldError> {
        value.ok_or_else(|| field_err(name, "missing"))
    }
}
