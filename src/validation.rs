//! Client-side validation: every violation of a request, found before anything is sent.

use std::fmt;

/// Whether a client checks requests against the spec's constraints before sending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ValidationMode {
    /// Reject invalid requests before sending (the default).
    #[default]
    Enforce,
    /// Send requests as built. Useful when a vendor loosened a limit before the spec caught up;
    /// the service still validates.
    Off,
}

/// The rule a value broke.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// Length in characters within bounds.
    Length {
        /// Inclusive minimum.
        min: Option<i64>,
        /// Inclusive maximum.
        max: Option<i64>,
    },
    /// Numeric value within bounds.
    Range {
        /// Inclusive minimum.
        min: Option<i64>,
        /// Inclusive maximum.
        max: Option<i64>,
    },
    /// Number of items within bounds.
    Count {
        /// Inclusive minimum.
        min: Option<i64>,
        /// Inclusive maximum.
        max: Option<i64>,
    },
    /// The whole value matches a regular expression.
    Pattern(&'static str),
    /// One of the documented values.
    OneOf(&'static [&'static str]),
    /// The field must be set.
    Required,
    /// The field must not be set.
    Absent,
    /// The value compares with another field's value.
    Compare {
        /// How.
        op: Compare,
        /// The other field's wire name.
        other: &'static str,
        /// The other field's value, as shown.
        other_value: String,
    },
}

/// How two fields of a `compare:` rule must relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compare {
    /// Less than the other.
    Lt,
    /// At most the other.
    Le,
    /// Greater than the other.
    Gt,
    /// At least the other.
    Ge,
    /// Equal to the other.
    Eq,
    /// Different from the other.
    Ne,
}

impl Compare {
    /// Whether `a` relates to `b` this way.
    pub fn holds<T: PartialOrd>(self, a: &T, b: &T) -> bool {
        match self {
            Compare::Lt => a < b,
            Compare::Le => a <= b,
            Compare::Gt => a > b,
            Compare::Ge => a >= b,
            Compare::Eq => a == b,
            Compare::Ne => a != b,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Compare::Lt => "less than",
            Compare::Le => "at most",
            Compare::Gt => "greater than",
            Compare::Ge => "at least",
            Compare::Eq => "equal to",
            Compare::Ne => "different from",
        }
    }
}

fn bounds(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    min: Option<i64>,
    max: Option<i64>,
    unit: &str,
) -> fmt::Result {
    match (min, max) {
        (Some(a), Some(b)) if a == b => write!(f, "{what} must be exactly {a}{unit}"),
        (Some(a), Some(b)) => write!(f, "{what} must be between {a} and {b}{unit}"),
        (Some(a), None) => write!(f, "{what} must be at least {a}{unit}"),
        (None, Some(b)) => write!(f, "{what} must be at most {b}{unit}"),
        (None, None) => write!(f, "{what} is unconstrained"),
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Length { min, max } => bounds(f, "length", *min, *max, " characters"),
            Rule::Range { min, max } => bounds(f, "value", *min, *max, ""),
            Rule::Count { min, max } => bounds(f, "item count", *min, *max, ""),
            Rule::Pattern(p) => write!(f, "must match `{p}`"),
            Rule::OneOf(values) => write!(f, "must be one of {}", values.join(", ")),
            Rule::Required => f.write_str("is required"),
            Rule::Absent => f.write_str("must not be set"),
            Rule::Compare { op, other, .. } => write!(f, "must be {} `{other}`", op.words()),
        }
    }
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Wire name of the field (`instance_ids[3]` for an item).
    pub field: String,
    /// The rule.
    pub rule: Rule,
    /// The offending value (shortened to 64 characters), or its size for lengths and counts.
    pub value: String,
    /// The condition under which the rule applies, for cross-field rules (`` `Period` is `Year` ``).
    pub condition: Option<&'static str>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.field, self.rule)?;
        if let Some(c) = self.condition {
            write!(f, " when {c}")?;
        }
        write!(f, " (got {}", crate::client::error::one_line(&self.value))?;
        if let Rule::Compare {
            other, other_value, ..
        } = &self.rule
        {
            write!(f, ", `{other}` is {other_value}")?;
        }
        f.write_str(")")
    }
}

/// Every violation found in one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

impl ValidationErrors {
    /// The violations, in field order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Whether some violation concerns the field with this wire name (or one of its items).
    pub fn concerns(&self, field: &str) -> bool {
        self.violations.iter().any(|v| {
            v.field == field
                || v.field
                    .strip_prefix(field)
                    .is_some_and(|r| r.starts_with('['))
        })
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "invalid request ({n} problem{}): ",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

const MAX_SHOWN: usize = 64;

/// A value as error messages show it: itself when at most 64 characters, else its first 64
/// characters and `…` — so that a huge value makes a short, readable error.
pub fn shorten(v: &str) -> std::borrow::Cow<'_, str> {
    match v.char_indices().nth(MAX_SHOWN) {
        None => std::borrow::Cow::Borrowed(v),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &v[..cut])),
    }
}

fn shown(v: &str) -> String {
    match v.char_indices().nth(MAX_SHOWN) {
        None => format!("{v:?}"),
        Some((cut, _)) => format!("{:?}…", &v[..cut]),
    }
}

fn outside(v: i64, min: Option<i64>, max: Option<i64>) -> bool {
    min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m)
}

/// Collects violations; used by generated `validate()` methods.
#[derive(Debug, Default)]
pub struct Validator {
    violations: Vec<Violation>,
}

impl Validator {
    /// An empty validator.
    pub fn new() -> Self {
        Validator::default()
    }

    fn push(&mut self, field: String, rule: Rule, value: String, condition: Option<&'static str>) {
        self.violations.push(Violation {
            field,
            rule,
            value,
            condition,
        });
    }

    /// Length in characters of a value, if set.
    pub fn length(
        &mut self,
        field: &str,
        v: Option<&str>,
        min: Option<i64>,
        max: Option<i64>,
        condition: Option<&'static str>,
    ) {
        let Some(v) = v else { return };
        let n = i64::try_from(v.chars().count()).unwrap_or(i64::MAX);
        if outside(n, min, max) {
            self.push(
                field.to_owned(),
                Rule::Length { min, max },
                format!("{n} characters"),
                condition,
            );
        }
    }

    /// Numeric range of a value, if set.
    pub fn range(
        &mut self,
        field: &str,
        v: Option<i64>,
        min: Option<i64>,
        max: Option<i64>,
        condition: Option<&'static str>,
    ) {
        let Some(v) = v else { return };
        if outside(v, min, max) {
            self.push(
                field.to_owned(),
                Rule::Range { min, max },
                v.to_string(),
                condition,
            );
        }
    }

    /// Item count of an array, if set.
    pub fn count(
        &mut self,
        field: &str,
        n: Option<usize>,
        min: Option<i64>,
        max: Option<i64>,
        condition: Option<&'static str>,
    ) {
        let Some(n) = n else { return };
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        if outside(n, min, max) {
            self.push(
                field.to_owned(),
                Rule::Count { min, max },
                format!("{n} items"),
                condition,
            );
        }
    }

    /// Whole-value regular expression.
    pub fn pattern(&mut self, field: &str, v: &str, re: &regex_lite::Regex, source: &'static str) {
        if !re.is_match(v) {
            self.push(field.to_owned(), Rule::Pattern(source), shown(v), None);
        }
    }

    /// An enumeration value the spec does not list.
    pub fn one_of(&mut self, field: &str, known: bool, v: &str, allowed: &'static [&'static str]) {
        if !known {
            self.push(field.to_owned(), Rule::OneOf(allowed), shown(v), None);
        }
    }

    /// A field that must be set under a condition.
    pub fn required(&mut self, field: &str, present: bool, condition: Option<&'static str>) {
        if !present {
            self.push(
                field.to_owned(),
                Rule::Required,
                "nothing".to_owned(),
                condition,
            );
        }
    }

    /// A field that must not be set under a condition.
    pub fn absent(&mut self, field: &str, present: bool, condition: Option<&'static str>) {
        if present {
            self.push(
                field.to_owned(),
                Rule::Absent,
                "a value".to_owned(),
                condition,
            );
        }
    }

    /// `field` (value `a`) must relate to `other` (value `b`) as `op` says; checked when both
    /// are set.
    pub fn compare<T: PartialOrd + fmt::Display>(
        &mut self,
        field: &str,
        a: Option<T>,
        op: Compare,
        other: &'static str,
        b: Option<T>,
        condition: Option<&'static str>,
    ) {
        let (Some(a), Some(b)) = (a, b) else { return };
        if !op.holds(&a, &b) {
            self.push(
                field.to_owned(),
                Rule::Compare {
                    op,
                    other,
                    other_value: shorten(&b.to_string()).into_owned(),
                },
                shorten(&a.to_string()).into_owned(),
                condition,
            );
        }
    }

    /// The result: `Ok` when nothing was violated.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors {
                violations: self.violations,
            })
        }
    }
}
