//! Vendor SDK models read by `codegen/src/vendor/sdk_models.py` (embedded here and run with the
//! venv's Python, `target/pyenv/bin/python` by default), which prints [`Metadata`] as JSON.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use super::Metadata;

/// The introspection script, run as `python -c SCRIPT ...`.
const SCRIPT: &str = include_str!("sdk_models.py");

/// A Python interpreter with the vendor SDKs installed.
#[derive(Clone, Debug)]
pub struct Python {
    /// The interpreter.
    pub exe: PathBuf,
}

/// Where an installed module is.
#[derive(Clone, Debug, Deserialize)]
pub struct Found {
    /// Its directory.
    pub dir: PathBuf,
    /// The distribution that installed it (`tccli`).
    pub package: Option<String>,
    /// That distribution's version.
    pub version: Option<String>,
}

#[derive(Deserialize)]
struct FindOut {
    found: bool,
    #[serde(default)]
    dir: Option<PathBuf>,
    #[serde(default)]
    package: Option<String>,
    #[serde(default)]
    version: Option<String>,
}

impl Python {
    /// The interpreter at `exe`.
    pub fn new(exe: impl Into<PathBuf>) -> Python {
        Python { exe: exe.into() }
    }

    fn run(&self, args: &[&str]) -> Result<String, String> {
        if !Path::new(&self.exe).exists() {
            return Err(format!(
                "no Python at {}: run scripts/setup-python.sh to install the vendor SDKs",
                self.exe.display()
            ));
        }
        let out = Command::new(&self.exe)
            .arg("-c")
            .arg(SCRIPT)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.exe.display()))?;
        if !out.status.success() {
            return Err(format!(
                "sdk_models.py {} failed ({}):\n{}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim_end()
            ));
        }
        String::from_utf8(out.stdout).map_err(|e| format!("sdk_models.py printed non-UTF-8: {e}"))
    }

    /// Where `module` is installed, or `None` when it is not.
    pub fn find(&self, module: &str) -> Result<Option<Found>, String> {
        let text = self.run(&["find", module])?;
        let out: FindOut =
            serde_json::from_str(&text).map_err(|e| format!("sdk_models.py find: {e}"))?;
        Ok(match (out.found, out.dir) {
            (true, Some(dir)) => Some(Found {
                dir,
                package: out.package,
                version: out.version,
            }),
            _ => None,
        })
    }

    /// The models of an Alibaba Cloud SDK module for `actions` (all when empty).
    pub fn alibaba(&self, module: &str, actions: &[&str]) -> Result<Metadata, String> {
        let mut args = vec!["alibaba", module];
        args.extend_from_slice(actions);
        Metadata::from_json(&self.run(&args)?)
    }
}
