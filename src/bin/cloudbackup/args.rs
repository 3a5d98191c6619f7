//! Command-line options of `call` and `list`: a small, strict parser with clear errors.

use cloudbackup::registry::DynError;

/// Options of `cloudbackup call`.
#[derive(Debug, Default)]
pub(crate) struct CallArgs {
    pub(crate) target: Vec<String>,
    pub(crate) params: Vec<(String, String)>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) json: bool,
    pub(crate) dry_run: bool,
    pub(crate) timestamp: Option<i64>,
    pub(crate) nonce: Option<u32>,
    pub(crate) no_validate: bool,
    pub(crate) help: bool,
}

fn value<'a>(
    it: &mut impl Iterator<Item = &'a String>,
    flag: &str,
) -> Result<&'a String, DynError> {
    it.next()
        .ok_or_else(|| DynError::bad_input(format!("`{flag}` needs a value")))
}

/// Parses `--output text|json`.
pub(crate) fn output(v: &str) -> Result<bool, DynError> {
    match v {
        "json" => Ok(true),
        "text" => Ok(false),
        other => Err(DynError::bad_input(format!(
            "`--output` is `text` or `json`, not `{other}`"
        ))),
    }
}

/// Parses the arguments after `call`.
pub(crate) fn parse_call(argv: &[String]) -> Result<CallArgs, DynError> {
    let mut a = CallArgs::default();
    let mut it = argv.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let take = |it: &mut std::slice::Iter<'_, String>| -> Result<String, DynError> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => value(it, flag).cloned(),
            }
        };
        match flag {
            "--param" | "-p" => {
                let p = take(&mut it)?;
                let Some((name, v)) = p.split_once('=') else {
                    return Err(DynError::bad_input(format!(
                        "`--param {p}`: write `--param Name=value`"
                    )));
                };
                a.params.push((name.to_owned(), v.to_owned()));
            }
            "--region" => a.region = Some(take(&mut it)?),
            "--endpoint" => a.endpoint = Some(take(&mut it)?),
            "--output" | "-o" => a.json = output(&take(&mut it)?)?,
            "--timestamp" => {
                let v = take(&mut it)?;
                a.timestamp = Some(v.parse().map_err(|_| {
                    DynError::bad_input(format!("`--timestamp {v}`: expected UNIX seconds"))
                })?);
            }
            "--nonce" => {
                let v = take(&mut it)?;
                a.nonce = Some(v.parse().map_err(|_| {
                    DynError::bad_input(format!(
                        "`--nonce {v}`: expected a positive 32-bit integer"
                    ))
                })?);
            }
            "--dry-run" => a.dry_run = true,
            "--no-validate" => a.no_validate = true,
            "-h" | "--help" => a.help = true,
            f if f.starts_with('-') => {
                return Err(DynError::bad_input(format!(
                    "unknown option `{f}`; run `cloudbackup --help`"
                )));
            }
            _ => a.target.push(arg.clone()),
        }
    }
    Ok(a)
}
