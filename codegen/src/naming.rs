//! The only place Rust identifiers are made. Case conversion is heck's; keywords become raw
//! identifiers (`r#type`), except those that cannot be raw, which get a `_` suffix.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// A validated Rust identifier (without the `r#` prefix, which [`Ident::tokens`] adds).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(String);

/// Keywords of Rust 2024 (strict and reserved) that need `r#`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

impl Ident {
    /// The identifier text, without `r#`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the identifier must be written raw.
    pub fn is_raw(&self) -> bool {
        KEYWORDS.contains(&self.0.as_str())
    }

    /// The identifier as a token.
    pub fn tokens(&self) -> proc_macro2::Ident {
        if self.is_raw() {
            proc_macro2::Ident::new_raw(&self.0, proc_macro2::Span::call_site())
        } else {
            proc_macro2::Ident::new(&self.0, proc_macro2::Span::call_site())
        }
    }

    /// A doc link to this member of `Self`: ``[`Self::name`]``, or the plain ``` `name` ``` for a
    /// raw identifier (rustdoc resolves no `Self::r#name` link).
    pub fn self_link(&self) -> String {
        if self.is_raw() {
            format!("`{}`", self.0)
        } else {
            format!("[`Self::{}`]", self.0)
        }
    }

    /// An identifier made by the generator itself from a known-good string.
    pub fn internal(s: &str) -> Ident {
        debug_assert!(is_plain_ident(s), "invariant: internal ident {s:?}");
        Ident(s.to_owned())
    }
}

impl std::fmt::Display for Ident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_raw() {
            write!(f, "r#{}", self.0)
        } else {
            f.write_str(&self.0)
        }
    }
}

fn is_plain_ident(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    s != "_" && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn finish(s: String) -> Option<Ident> {
    let s = if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    };
    is_plain_ident(&s).then_some(Ident(s))
}

/// Converts a wire or spec name to a snake_case field, module or method name.
/// `None` when the result is not an identifier (empty, starts with a digit, non-ASCII).
pub fn snake(name: &str) -> Option<Ident> {
    finish(name.to_snake_case())
}

/// Converts a wire or spec name to an UpperCamelCase type or variant name.
/// A leading digit gets a `V` prefix (`2FA` → `V2fa`), so numeric enum values have names.
pub fn upper_camel(name: &str) -> Option<Ident> {
    let s = name.to_upper_camel_case();
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        s
    };
    finish(s)
}

/// Validates a name given explicitly in a spec (`name:`, `rust_name:`, `type_name:`) as-is.
pub fn explicit(name: &str) -> Option<Ident> {
    if NOT_RAW.contains(&name) {
        return None;
    }
    is_plain_ident(name).then(|| Ident(name.to_owned()))
}

/// Whether a name is written in UpperCamelCase already (for action names and variants).
pub fn is_upper_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && is_plain_ident(name)
        && !name.contains('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_table() {
        let table = [
            ("DiskBackupName", "disk_backup_name"),
            ("DBInstanceId", "db_instance_id"),
            ("IPv6Address", "i_pv6_address"),
            ("S3Key", "s3_key"),
            ("dbList", "db_list"),
            ("resourceId", "resource_id"),
            ("instance_ids", "instance_ids"),
            ("x-request-id", "x_request_id"),
            ("ClientToken", "client_token"),
            ("UsedTime", "used_time"),
            ("type", "type"),
            ("Self", "self_"),
            ("CreateDiskBackup", "create_disk_backup"),
            ("ManualBackupInstance", "manual_backup_instance"),
        ];
        for (input, want) in table {
            assert_eq!(snake(input).map(|i| i.0), Some(want.to_owned()), "{input}");
        }
        assert!(snake("type").is_some_and(|i| i.is_raw()));
        assert_eq!(
            snake("type").map(|i| i.to_string()),
            Some("r#type".to_owned())
        );
        assert_eq!(snake("2fa"), None);
        assert_eq!(snake("名前"), None);
        assert_eq!(snake(""), None);
    }

    #[test]
    fn upper_camel_table() {
        let table = [
            ("cn-hangzhou", "CnHangzhou"),
            ("ap-southeast-1", "ApSoutheast1"),
            ("cn-shanghai-finance", "CnShanghaiFinance"),
            ("MySQL", "MySql"),
            ("micro", "Micro"),
            ("InvalidDisk.Busy", "InvalidDiskBusy"),
            (
                "ResourceInUse.DiskRollbacking",
                "ResourceInUseDiskRollbacking",
            ),
            ("KOOPHONE.API.1000", "KoophoneApi1000"),
            ("2FA", "V2fa"),
            ("Year", "Year"),
        ];
        for (input, want) in table {
            assert_eq!(
                upper_camel(input).map(|i| i.0),
                Some(want.to_owned()),
                "{input}"
            );
        }
        assert_eq!(upper_camel("Self").map(|i| i.0), Some("Self_".to_owned()));
        assert_eq!(upper_camel("é"), None);
    }

    #[test]
    fn explicit_names() {
        assert!(explicit("InstanceNotFound").is_some());
        assert!(explicit("bad name").is_none());
        assert!(explicit("self").is_none());
        assert!(explicit("9lives").is_none());
        assert!(is_upper_camel("CreateBackup"));
        assert!(!is_upper_camel("createBackup"));
        assert!(!is_upper_camel("Create_Backup"));
    }
}
