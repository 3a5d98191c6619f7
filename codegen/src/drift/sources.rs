//! Which vendor metadata a service has, by API family, found by the service's id, signing name
//! and version:
//!
//! | family | metadata |
//! | --- | --- |
//! | `tencent-tc3` | tccli's `tccli/services/<signing_name>/v<YYYYMMDD>/api.json` |
//! | `tencent-api2` | none: API 2.0 has no published metadata (tccli covers API 3.0) |
//! | `alibaba-rpc` | the SDK models of `alibabacloud_<service><YYYYMMDD>` |
//! | `huawei-rest` | the SDK models of `huaweicloudsdk<service>`, when Huawei publishes one |
//!
//! Metadata comes from the vendor venv (`--python`, running `codegen/src/vendor/sdk_models.py`)
//! or from a directory laid out the same way (`--vendor DIR`, used by the tests):
//! `DIR/tccli/...` as in the package, and `DIR/<provider>/<module>.json` holding what
//! `sdk_models.py` prints for that module.

use std::path::PathBuf;

use crate::vendor::{Metadata, sdk::Python, tccli};

/// Where vendor metadata is read from.
#[derive(Clone, Debug)]
pub enum Source {
    /// The venv's interpreter.
    Python(Python),
    /// A directory of saved metadata.
    Dir(PathBuf),
}

/// What a service is checked against.
#[derive(Debug)]
pub enum Found {
    /// This metadata.
    Metadata(Box<Metadata>),
    /// Nothing to check against, and why (listed, not a failure).
    None(String),
    /// The metadata should exist but cannot be read (a failure).
    Error(String),
}

/// The service facts that choose the metadata.
#[derive(Debug)]
pub struct Service<'a> {
    /// Service id (`cbs`).
    pub service: &'a str,
    /// `family:`.
    pub family: &'a str,
    /// `version:`, if any.
    pub version: Option<&'a str>,
    /// `signing_name:` (defaults to the service id).
    pub signing_name: &'a str,
    /// The action names of the spec tree (read only these models).
    pub actions: Vec<&'a str>,
}

fn digits(v: &str) -> String {
    v.chars().filter(char::is_ascii_digit).collect()
}

/// The metadata for one service.
pub fn find(source: &Source, s: &Service<'_>) -> Found {
    match s.family {
        "tencent-api2" => Found::None(
            "`tencent-api2`: API 2.0 has no published metadata (tccli describes API 3.0 only)"
                .to_owned(),
        ),
        "tencent-tc3" => tencent(source, s),
        "alibaba-rpc" => {
            let Some(version) = s.version else {
                return Found::Error("`alibaba-rpc` service without `version:`".to_owned());
            };
            let module = format!("alibabacloud_{}{}", s.service, digits(version));
            match sdk(source, "alibaba", &module, &s.actions) {
                Ok(Some(m)) => Found::Metadata(Box::new(m)),
                Ok(None) => Found::Error(format!(
                    "`{module}` is not installed: pin `{}` in scripts/python-requirements.txt",
                    module.replace('_', "-")
                )),
                Err(e) => Found::Error(e),
            }
        }
        "huawei-rest" => {
            let module = format!("huaweicloudsdk{}", s.service);
            let installed = match source {
                Source::Python(py) => py.find(&module).map(|f| f.is_some()),
                Source::Dir(dir) => Ok(dir.join("huawei").join(format!("{module}.json")).exists()),
            };
            match installed {
                Ok(false) => Found::None(format!(
                    "no Huawei SDK for it: `{module}` is not installed (pin it in scripts/python-requirements.txt if Huawei publishes one)"
                )),
                Ok(true) => Found::Error(format!(
                    "`{module}` is installed, but the drift check does not read Huawei SDK models yet"
                )),
                Err(e) => Found::Error(e),
            }
        }
        other => Found::Error(format!("unknown family `{other}`")),
    }
}

fn tencent(source: &Source, s: &Service<'_>) -> Found {
    let Some(version) = s.version else {
        return Found::Error("`tencent-tc3` service without `version:`".to_owned());
    };
    let dir = match source {
        Source::Dir(d) => d.join("tccli"),
        Source::Python(py) => match py.find("tccli") {
            Ok(Some(f)) => f.dir,
            Ok(None) => {
                return Found::Error(
                    "tccli is not installed: run scripts/setup-python.sh".to_owned(),
                );
            }
            Err(e) => return Found::Error(e),
        },
    };
    let path = tccli::api_json_path(&dir, s.signing_name, version);
    if !path.exists() {
        return Found::Error(format!(
            "tccli has no metadata for `{}` version {version} ({} is missing)",
            s.signing_name,
            path.display()
        ));
    }
    match tccli::read(&path) {
        Ok(svc) => Found::Metadata(Box::new(svc.metadata)),
        Err(e) => Found::Error(e),
    }
}

fn sdk(
    source: &Source,
    provider: &str,
    module: &str,
    actions: &[&str],
) -> Result<Option<Metadata>, String> {
    match source {
        Source::Dir(dir) => {
            let path = dir.join(provider).join(format!("{module}.json"));
            match std::fs::read_to_string(&path) {
                Ok(text) => Metadata::from_json(&text)
                    .map(Some)
                    .map_err(|e| format!("{}: {e}", path.display())),
                Err(_) => Ok(None),
            }
        }
        Source::Python(py) => {
            if py.find(module)?.is_none() {
                return Ok(None);
            }
            py.alibaba(module, actions).map(Some)
        }
    }
}
