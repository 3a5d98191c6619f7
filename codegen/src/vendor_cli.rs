//! The `import` and `drift` commands of the command line (feature `vendor`).

use std::path::PathBuf;
use std::process::ExitCode;

use cloudbackup_codegen::import;

/// `import tencent API_JSON --service DIR [--action NAME]... [--out SPECS] [--force |
/// --skip-existing] [--read YYYY-MM-DD]`; `Err` on bad arguments (the caller prints the usage).
pub(crate) fn import(args: &[String]) -> Result<ExitCode, ()> {
    let [provider, api_json, rest @ ..] = args else {
        return Err(());
    };
    if provider != "tencent" {
        eprintln!("error: only `import tencent` exists (tccli's API 3.0 metadata)");
        return Err(());
    }
    let mut opts = import::Options {
        api_json: PathBuf::from(api_json),
        service: String::new(),
        actions: Vec::new(),
        out: PathBuf::from("specs"),
        force: false,
        skip_existing: false,
        read: String::new(),
    };
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--force" => opts.force = true,
            "--skip-existing" => opts.skip_existing = true,
            "--service" => opts.service = it.next().ok_or(())?.clone(),
            "--out" => opts.out = PathBuf::from(it.next().ok_or(())?),
            "--read" => opts.read = it.next().ok_or(())?.clone(),
            "--action" => opts.actions.extend(
                it.next()
                    .ok_or(())?
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned),
            ),
            _ => return Err(()),
        }
    }
    if opts.service.is_empty() {
        eprintln!("error: --service DIR is required (the spec directory, e.g. `cbs`)");
        return Err(());
    }
    if opts.read.is_empty() {
        opts.read = today();
    } else if !is_date(&opts.read) {
        eprintln!("error: --read takes a date, YYYY-MM-DD");
        return Err(());
    }
    Ok(match import::tencent(&opts) {
        Ok(report) => {
            print!("{}", report.render());
            if report.needs_force() {
                eprintln!(
                    "error: some files differ from the import; read the diff, then rerun with --force"
                );
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    })
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Today's date (UTC), for `source.read`: the command line is where the clock is read; the
/// library takes the date as an argument.
#[expect(
    clippy::disallowed_methods,
    reason = "the import command stamps specs with the date the metadata was read"
)]
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `drift [SPECS] [--python PY | --vendor DIR]`; `Err` on bad arguments.
pub(crate) fn drift(args: &[String]) -> Result<ExitCode, ()> {
    use cloudbackup_codegen::drift::{self, Source};
    use cloudbackup_codegen::vendor::sdk::Python;
    let mut specs = PathBuf::from("specs");
    let mut source = Source::Python(Python::new("target/pyenv/bin/python"));
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--python" => source = Source::Python(Python::new(it.next().ok_or(())?)),
            "--vendor" => source = Source::Dir(PathBuf::from(it.next().ok_or(())?)),
            a if !a.starts_with("--") => specs = PathBuf::from(a),
            _ => return Err(()),
        }
    }
    let display = specs.display().to_string();
    Ok(
        match drift::run(&specs, display.trim_end_matches('/'), &source) {
            Ok(report) => {
                print!("{}", report.render());
                if report.passed() {
                    ExitCode::SUCCESS
                } else {
                    eprintln!(
                        "error: the specs differ from the vendor metadata; fix the spec, or mark a deliberate difference with `drift:` and its reason (codegen/README.md, section 9.2)"
                    );
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprint!("{e}");
                eprintln!("error: the spec tree must load before it can be compared");
                ExitCode::FAILURE
            }
        },
    )
}
