//! Spec diagnostics: the code catalog, the `Diagnostic` type and its renderer.
//!
//! Every problem found in the specs is a [`Diagnostic`] with a stable [`Code`], a location
//! (file, line, column) and a hint. Stages collect every problem they find into
//! [`Diagnostics`] and the pipeline stops between stages when any error was collected.

use std::fmt::Write as _;

use crate::source::{Loc, SourceMap};

/// A stable diagnostic code. The catalog is documented in `codegen/README.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// S0001: the file is not valid YAML.
    YamlSyntax,
    /// S0002: a key the spec format does not know, a missing key, or a value of the wrong shape.
    BadShape,
    /// S0003: a `type:` the spec format does not know.
    UnknownType,
    /// S0004: a file could not be read.
    Io,
    /// S0101: the file name does not match the `action:` (or `service:`/`provider:`) it declares.
    FileNameMismatch,
    /// S0102: a service directory without `_service.yaml`, or a provider without `_provider.yaml`.
    MissingSharedFile,
    /// S0103: an unknown API family.
    UnknownFamily,
    /// S0104: a value that is not valid where it appears (bad method, path, date, URL, code).
    BadValue,
    /// S0201: a constraint whose minimum is greater than its maximum.
    MinGreaterThanMax,
    /// S0202: a `pattern:` that is not a valid regular expression.
    InvalidRegex,
    /// S0203: a constraint that does not apply to the field's type.
    ConstraintNotApplicable,
    /// S0204: an enum value whose type does not match the enum.
    EnumValueType,
    /// S0205: a `default:` that does not fit its field.
    BadDefault,
    /// S0206: a constraint on a response field (responses are not validated).
    ResponseConstraint,
    /// S0301: a rule that references a field the action does not have.
    UnknownRuleField,
    /// S0302: two names that collide after conversion to Rust identifiers.
    NameCollision,
    /// S0303: the same error code declared twice.
    DuplicateErrorCode,
    /// S0304: a name that cannot become a Rust identifier.
    InvalidName,
    /// S0305: a field location (`in:`) that the action's family or method cannot carry.
    BadLocation,
    /// S0306: a `generated:` value on a field that cannot hold it.
    BadGenerated,
    /// S0307: a `{name}` in `http.path` without its `in: path` field, or the reverse.
    PathTemplate,
    /// S0308: a shared type declaration (`types:` in `_service.yaml`) that cannot be generated.
    BadTypeDecl,
    /// S0309: a `paginate:` that does not fit the action's fields.
    BadPaginate,
    /// S0310: a waiter that does not fit the action's fields or the `from` action.
    BadWaiter,
    /// S0311: an `emulator:` or `resources:` declaration that does not fit the service.
    BadEmulator,
    /// S0501: a service without its Cargo feature (`<provider>-<service>`, a default feature
    /// enabling the provider's runtime), or a `[features]` table the generator cannot read.
    CargoFeature,
    /// W0401: documentation missing in the spec.
    MissingDocs,
}

impl Code {
    /// The stable code string, for example `S0201`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::YamlSyntax => "S0001",
            Code::BadShape => "S0002",
            Code::UnknownType => "S0003",
            Code::Io => "S0004",
            Code::FileNameMismatch => "S0101",
            Code::MissingSharedFile => "S0102",
            Code::UnknownFamily => "S0103",
            Code::BadValue => "S0104",
            Code::MinGreaterThanMax => "S0201",
            Code::InvalidRegex => "S0202",
            Code::ConstraintNotApplicable => "S0203",
            Code::EnumValueType => "S0204",
            Code::BadDefault => "S0205",
            Code::ResponseConstraint => "S0206",
            Code::UnknownRuleField => "S0301",
            Code::NameCollision => "S0302",
            Code::DuplicateErrorCode => "S0303",
            Code::InvalidName => "S0304",
            Code::BadLocation => "S0305",
            Code::BadGenerated => "S0306",
            Code::PathTemplate => "S0307",
            Code::BadTypeDecl => "S0308",
            Code::BadPaginate => "S0309",
            Code::BadWaiter => "S0310",
            Code::BadEmulator => "S0311",
            Code::CargoFeature => "S0501",
            Code::MissingDocs => "W0401",
        }
    }

    /// Whether this code is an error (stops the build) or a warning.
    pub fn severity(self) -> Severity {
        match self {
            Code::MissingDocs => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Every code, in catalog order.
    pub const ALL: &'static [Code] = &[
        Code::YamlSyntax,
        Code::BadShape,
        Code::UnknownType,
        Code::Io,
        Code::FileNameMismatch,
        Code::MissingSharedFile,
        Code::UnknownFamily,
        Code::BadValue,
        Code::MinGreaterThanMax,
        Code::InvalidRegex,
        Code::ConstraintNotApplicable,
        Code::EnumValueType,
        Code::BadDefault,
        Code::ResponseConstraint,
        Code::UnknownRuleField,
        Code::NameCollision,
        Code::DuplicateErrorCode,
        Code::InvalidName,
        Code::BadLocation,
        Code::BadGenerated,
        Code::PathTemplate,
        Code::BadTypeDecl,
        Code::BadPaginate,
        Code::BadWaiter,
        Code::BadEmulator,
        Code::CargoFeature,
        Code::MissingDocs,
    ];
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The build fails.
    Error,
    /// Printed as a cargo warning; the build goes on.
    Warning,
}

/// One problem in the specs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// One-line message.
    pub message: String,
    /// Where the problem is.
    pub loc: Loc,
    /// Secondary locations, for example "first defined here".
    pub related: Vec<(Loc, String)>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new diagnostic without related locations or help.
    pub fn new(code: Code, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            loc,
            related: Vec::new(),
            help: None,
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary location.
    #[must_use]
    pub fn related(mut self, loc: Loc, label: impl Into<String>) -> Self {
        self.related.push((loc, label.into()));
        self
    }

    /// Renders the diagnostic rustc-style, without colour. The gutter is as wide as the largest
    /// line number shown, as in rustc:
    ///
    /// ```text
    /// error[S0201]: `length.min` (100) is greater than `length.max` (1)
    ///  --> specs/demo/disk/CreateBackup.yaml:8:20
    ///   |
    /// 8 |     length: { min: 100, max: 1 }
    ///   |                    ^
    ///   = help: swap the bounds, or correct the one that was mistyped
    /// ```
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        let level = match self.code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let width = std::iter::once(self.loc)
            .chain(self.related.iter().map(|(l, _)| *l))
            .map(|l| l.line.to_string().len())
            .max()
            .unwrap_or(1);
        let pad = " ".repeat(width);
        let _ = writeln!(out, "{level}[{}]: {}", self.code.as_str(), self.message);
        render_snippet(&mut out, sources, self.loc, None, width);
        for (loc, label) in &self.related {
            render_snippet(&mut out, sources, *loc, Some(label), width);
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
        out
    }

    /// One line for `cargo:warning=`: `path:line:col: message [code]`.
    pub fn one_line(&self, sources: &SourceMap) -> String {
        format!(
            "{}:{}:{}: {} [{}]",
            sources.path(self.loc.file),
            self.loc.line,
            self.loc.col,
            self.message,
            self.code.as_str()
        )
    }
}

fn render_snippet(
    out: &mut String,
    sources: &SourceMap,
    loc: Loc,
    label: Option<&str>,
    width: usize,
) {
    let path = sources.path(loc.file);
    let pad = " ".repeat(width);
    let _ = writeln!(out, "{pad}--> {path}:{}:{}", loc.line, loc.col);
    let Some(line) = sources.line(loc.file, loc.line) else {
        return;
    };
    let caret_pad: String = line
        .chars()
        .take(loc.col.saturating_sub(1) as usize)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{:>width$} | {line}", loc.line);
    match label {
        Some(label) => {
            let _ = writeln!(out, "{pad} | {caret_pad}^ {label}");
        }
        None => {
            let _ = writeln!(out, "{pad} | {caret_pad}^");
        }
    }
}

/// Problems collected by one stage. Check [`Diagnostics::has_errors`] between stages.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Records every problem of `other`.
    pub fn append(&mut self, mut other: Diagnostics) {
        self.items.append(&mut other.items);
    }

    /// Whether any error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items
            .iter()
            .any(|d| d.code.severity() == Severity::Error)
    }

    /// Every diagnostic, sorted by file, line and column so that output is deterministic.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items
            .sort_by(|a, b| (a.loc, a.code, &a.message).cmp(&(b.loc, b.code, &b.message)));
        // Shared files (service and common errors) are checked once per action: keep one copy.
        self.items.dedup();
        self.items
    }

    /// Every diagnostic so far.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Renders a list of diagnostics, followed by a summary line when there are errors.
pub fn render_all(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.render(sources));
        out.push('\n');
    }
    let errors = diags
        .iter()
        .filter(|d| d.code.severity() == Severity::Error)
        .count();
    if errors > 0 {
        let _ = writeln!(
            out,
            "error: the specs have {errors} error{}; see codegen/README.md for every diagnostic code",
            if errors == 1 { "" } else { "s" }
        );
    }
    out
}
