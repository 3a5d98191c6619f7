//! `cloudbackup call`: build a request from `--param`/`--json`, then send it through the typed
//! client of the action (validated, signed, retried) or print it signed (`--dry-run`).

use std::sync::Arc;

use clap::builder::PossibleValue;
use clap::{Arg, ArgMatches, Args};
use cloudbackup::client::{AlibabaSignature, Config, ServiceClient};
use cloudbackup::meta::Family;
use cloudbackup::registry::{self, ActionEntry, DynError, DynErrorKind};
use cloudbackup::runtime::TencentV2Method;
use cloudbackup::runtime::clock::{FixedClock, FixedNonce, format_uuid_v4};
use cloudbackup::runtime::request::WireRequest;
use cloudbackup::validation::ValidationMode;

use crate::cli::{EXIT_CODES, Format, OutputArg};
use crate::target::Target;
use crate::{params, render};

/// `cloudbackup call`.
#[derive(Debug, Args)]
#[command(
    subcommand_required = true,
    arg_required_else_help = true,
    after_help = EXIT_CODES
)]
pub(crate) struct CallCommand {
    /// The action: `<provider> <service> <Action>` (see `cloudbackup list`).
    #[command(subcommand)]
    pub(crate) target: Target,
}

/// `Name=value` (an empty or unknown name is refused later, with the action's parameters).
fn pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, v)) => Ok((name.to_owned(), v.to_owned())),
        None => Err("write Name=value".to_owned()),
    }
}

/// The options of every action.
#[derive(Clone, Debug, Args)]
pub(crate) struct CallOpts {
    /// A request field by its wire name, as text: a scalar, or one item of an array of scalars
    /// (repeat the flag for each item). The value is never parsed as JSON, even when it starts
    /// with `[` or `{`.
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE", value_parser = pair)]
    pub(crate) params: Vec<(String, String)>,
    /// A request field as JSON: an object, an array of objects, or a whole array at once, e.g.
    /// --json 'Filters=[{"Name":"disk-id","Values":["disk-1"]}]'.
    #[arg(long = "json", value_name = "NAME=JSON", value_parser = pair)]
    pub(crate) json: Vec<(String, String)>,
    /// Region: picks the endpoint from the spec, and is sent where the API family sends one.
    #[arg(long)]
    pub(crate) region: Option<String>,
    /// Explicit endpoint, e.g. http://127.0.0.1:8080 for the emulator.
    #[arg(long, env = "CLOUDBACKUP_ENDPOINT", value_name = "URL")]
    pub(crate) endpoint: Option<String>,
    #[command(flatten)]
    pub(crate) output: OutputArg,
    /// Print the exact signed HTTP request instead of sending it (tokens shown as ***).
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Sign with this time, in UNIX seconds (with --dry-run: reproducible output).
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub(crate) timestamp: Option<i64>,
    /// Sign with this nonce (with --dry-run: reproducible output).
    #[arg(long)]
    pub(crate) nonce: Option<u32>,
    /// Send without client-side validation (the service still validates).
    #[arg(long)]
    pub(crate) no_validate: bool,
    /// Credentials and region from this profile of the vendor's CLI (tccli, aliyun) instead
    /// of the environment variables.
    #[arg(long, env = "CLOUDBACKUP_PROFILE", value_name = "NAME")]
    pub(crate) profile: Option<String>,
}

/// The options of a paged action (`paginate:` in its spec).
#[derive(Clone, Debug, Default, Args)]
pub(crate) struct PagingOpts {
    /// Fetch every page from the one the parameters ask for and print the items of all of
    /// them (the page parameter advances; the other parameters stay).
    #[arg(long)]
    pub(crate) all_pages: bool,
    /// With --all-pages: stop after this many items.
    #[arg(long, requires = "all_pages", value_name = "N")]
    pub(crate) max_items: Option<u64>,
}

/// The signature choices of the families that have one (`--signature`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Signature {
    /// Tencent API 2.0: `SignatureMethod`.
    TencentV2(TencentV2Method),
    /// Alibaba RPC: ACS3 (V3) or the V2 HMAC-SHA1 signature.
    Alibaba(AlibabaSignature),
}

const SIGNATURE: &str = "signature";

impl Signature {
    /// The environment variable that sets `--signature` for `family`: one per family, since
    /// each family has its own methods.
    fn env(family: Family) -> Option<&'static str> {
        match family {
            Family::TencentApi2 => Some("CLOUDBACKUP_TENCENT_API2_SIGNATURE"),
            Family::AlibabaRpc => Some("CLOUDBACKUP_ALIBABA_SIGNATURE"),
            _ => None,
        }
    }

    /// The choices of `family`: `(value, help, choice)`, the default first.
    fn choices(family: Family) -> &'static [(&'static str, &'static str, Signature)] {
        match family {
            Family::TencentApi2 => &[
                (
                    "HmacSHA256",
                    "HMAC-SHA256, SignatureMethod=HmacSHA256 (default)",
                    Signature::TencentV2(TencentV2Method::HmacSha256),
                ),
                (
                    "HmacSHA1",
                    "HMAC-SHA1, SignatureMethod=HmacSHA1",
                    Signature::TencentV2(TencentV2Method::HmacSha1),
                ),
            ],
            Family::AlibabaRpc => &[
                (
                    "ACS3-HMAC-SHA256",
                    "the V3 signature, Authorization header (default)",
                    Signature::Alibaba(AlibabaSignature::V3),
                ),
                (
                    "HMAC-SHA1",
                    "the V2 signature, Signature parameter",
                    Signature::Alibaba(AlibabaSignature::V2),
                ),
            ],
            _ => &[],
        }
    }

    /// `--signature`, for an action of `family`, if the family has a choice.
    pub(crate) fn arg(family: Family) -> Option<Arg> {
        let choices = Self::choices(family);
        let default = choices.first()?.0;
        let values: Vec<PossibleValue> = choices
            .iter()
            .map(|(v, help, _)| PossibleValue::new(*v).help(*help))
            .collect();
        let mut arg = Arg::new(SIGNATURE)
            .long(SIGNATURE)
            .value_name("METHOD")
            .help("Signature method of this API family")
            .value_parser(values)
            .default_value(default);
        if let Some(var) = Self::env(family) {
            arg = arg.env(var);
        }
        Some(arg)
    }

    /// The choice made (or defaulted) for an action of `family`.
    pub(crate) fn from_matches(family: Family, m: &ArgMatches) -> Option<Self> {
        let v = m.try_get_one::<String>(SIGNATURE).ok().flatten()?;
        Self::choices(family)
            .iter()
            .find(|(name, _, _)| name == v)
            .map(|(_, _, s)| *s)
    }
}

/// The client of `entry`'s service as the options configure it.
pub(crate) fn client(
    entry: &ActionEntry,
    a: &CallOpts,
    signature: Option<Signature>,
) -> Result<ServiceClient, DynError> {
    let mut config = Config::new();
    if let Some(p) = &a.profile {
        config = config.profile(p.clone());
    }
    if let Some(r) = &a.region {
        config = config.region(r.clone());
    }
    if let Some(e) = &a.endpoint {
        config = config.endpoint(e.clone());
    }
    if a.no_validate {
        config = config.validation(ValidationMode::Off);
    }
    if let Some(ts) = a.timestamp {
        config = config.clock(Arc::new(FixedClock(ts)));
    }
    if let Some(n) = a.nonce {
        let mut bytes = [0u8; 16];
        bytes[12..].copy_from_slice(&n.to_be_bytes());
        config = config.nonce_source(Arc::new(FixedNonce {
            number: n,
            hex: format!("{n:032x}"),
            uuid: format_uuid_v4(bytes),
        }));
    }
    match signature {
        Some(Signature::TencentV2(m)) => config = config.tencent_v2_method(m),
        Some(Signature::Alibaba(v)) => config = config.alibaba_signature(v),
        None => {}
    }
    ServiceClient::new(entry.service, config).map_err(|e| DynError {
        kind: if matches!(e, cloudbackup::ConfigError::Credentials(_)) {
            DynErrorKind::Credentials
        } else {
            DynErrorKind::Config
        },
        message: e.to_string(),
        code: None,
        request_id: None,
    })
}

/// Checks a request built from the command line with the action's typed input: bad input is
/// reported before credentials or endpoints are looked at, and nothing is sent.
pub(crate) fn check(
    entry: &ActionEntry,
    wire: &WireRequest,
    no_validate: bool,
) -> Result<(), DynError> {
    match (entry.check_wire)(wire) {
        Ok(()) => Ok(()),
        Err(registry::WireCheckError::Invalid(_)) if no_validate => Ok(()),
        Err(e) => Err(DynError {
            kind: if matches!(e, registry::WireCheckError::Invalid(_)) {
                DynErrorKind::Validation
            } else {
                DynErrorKind::BadInput
            },
            message: e.to_string(),
            code: None,
            request_id: None,
        }),
    }
}

fn execute(t: &Target) -> Result<(), DynError> {
    let entry: &ActionEntry = t.entry;
    let a = &t.opts;
    let paging = match (&t.paging, entry.paginate) {
        (Some(p), Some(entry)) if p.all_pages => Some((entry, p.max_items)),
        _ => None,
    };
    if paging.is_some() && a.dry_run {
        return Err(DynError::bad_input(
            "--all-pages sends several requests; --dry-run prints one (drop one of them)",
        ));
    }
    let wire = params::wire(entry, &a.params, &a.json)?;
    check(entry, &wire, a.no_validate)?;
    let client = client(entry, a, t.signature)?;
    if a.dry_run {
        let signed = (entry.prepare)(&client, wire)?;
        render::signed(&signed, a.output.format);
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| DynError::bad_input(format!("cannot start the async runtime: {e}")))?;
    if let Some((p, max_items)) = paging {
        let items = runtime.block_on((p.collect)(&client, wire, max_items))?;
        render::items(entry, &items, a.output.format);
        return Ok(());
    }
    let out = runtime.block_on((entry.call)(&client, wire))?;
    render::result(entry, &out, a.output.format);
    Ok(())
}

/// Runs `call`; returns the exit code.
pub(crate) fn run(c: CallCommand) -> u8 {
    let format: Format = c.target.opts.output.format;
    match execute(&c.target) {
        Ok(()) => 0,
        Err(e) => crate::fail(&e, format),
    }
}
