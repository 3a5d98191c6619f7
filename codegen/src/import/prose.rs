//! Constraints the metadata states only in prose ("长度不能超过100个字符", "Maximum value:
//! 100", "默认为20", a list of valid values): found by a few patterns and reported to the spec
//! author as suggestions. They are never written into the spec: a pattern can misread a
//! sentence, and the vendor page decides.

use std::sync::LazyLock;

use regex_lite::Regex;

use crate::vendor::Kind;

/// One suggestion for one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// Where: `request.DiskBackupName`, `types.Filter.Values`.
    pub place: String,
    /// The words of the doc it comes from.
    pub phrase: String,
    /// What to consider: the YAML to add (`length: { max: 100 }`) or a remark.
    pub advice: String,
}

/// Which constraints a field may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// A request field (or a member of an object used in requests): every constraint.
    Request,
    /// A response field: only enumerations and documentation (constraints are not enforced on
    /// answers).
    Response,
}

struct Pattern {
    re: Regex,
    applies: fn(&Kind) -> bool,
    yaml: fn(&regex_lite::Captures<'_>) -> String,
    request_only: bool,
}

fn is_string(k: &Kind) -> bool {
    matches!(k, Kind::String)
}
fn is_number(k: &Kind) -> bool {
    matches!(k, Kind::Integer { .. })
}
fn is_array(k: &Kind) -> bool {
    matches!(k, Kind::Array { .. })
}
fn is_scalar(k: &Kind) -> bool {
    matches!(
        k,
        Kind::String | Kind::Integer { .. } | Kind::Float | Kind::Bool
    )
}

fn re(s: &str) -> Regex {
    Regex::new(s).expect("invariant: the prose patterns compile")
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        Pattern {
            re: re(
                r"(?i)(?:取值范围|value range|valid range|range)\s*(?:：|:|为|is)?\s*\\?\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]",
            ),
            applies: is_number,
            yaml: |c| format!("range: {{ min: {}, max: {} }}", &c[1], &c[2]),
            request_only: true,
        },
        Pattern {
            re: re(
                r"(?i)(?:取值范围|value range|valid values?)\s*(?:：|:|为|is)?\s*(-?\d+)\s*(?:-|~|～|到|至|to)\s*(-?\d+)",
            ),
            applies: is_number,
            yaml: |c| format!("range: {{ min: {}, max: {} }}", &c[1], &c[2]),
            request_only: true,
        },
        Pattern {
            re: re(r"(?i)(?:最大值|maximum value|max value)\s*(?:：|:|为|是|is)?\s*(-?\d+)"),
            applies: is_number,
            yaml: |c| format!("range: {{ max: {} }}", &c[1]),
            request_only: true,
        },
        Pattern {
            re: re(r"(?i)(?:最小值|minimum value|min value)\s*(?:：|:|为|是|is)?\s*(-?\d+)"),
            applies: is_number,
            yaml: |c| format!("range: {{ min: {} }}", &c[1]),
            request_only: true,
        },
        Pattern {
            re: re(
                r"(?:长度|名称|名)[^。；;]{0,12}?(?:不能超过|不超过|不能超|最多|上限为?|不得超过)\s*(\d+)\s*个?\s*(?:ASCII)?\s*(?:字符|字节|位)",
            ),
            applies: is_string,
            yaml: |c| format!("length: {{ max: {} }}", &c[1]),
            request_only: true,
        },
        Pattern {
            re: re(
                r"(?:不能超过|不超过|最多|最大值不超过)\s*(\d+)\s*个\s*(?:ASCII)?\s*(?:字符|字节)",
            ),
            applies: is_string,
            yaml: |c| format!("length: {{ max: {} }}", &c[1]),
            request_only: true,
        },
        Pattern {
            re: re(
                r"(?i)(?:up to|at most|cannot exceed|can not exceed|no more than|maximum of|max(?:imum)? length(?: of| is)?)\s*(\d+)\s*(?:ascii\s*)?(?:characters|chars|bytes)",
            ),
            applies: is_string,
            yaml: |c| format!("length: {{ max: {} }}", &c[1]),
            request_only: true,
        },
        Pattern {
            re: re(r"(?:最多|上限为?|不超过|不能超过)\s*(\d+)\s*(?:个|块|条|项|台)"),
            applies: is_array,
            yaml: |c| format!("count: {{ max: {} }}", &c[1]),
            request_only: true,
        },
        Pattern {
            re: re(
                r"(?i)(?:up to|at most|maximum of|no more than|a maximum of)\s*(\d+)\s*(?:items|elements|entries|ids|instances|disks|snapshots|tags|values|filters)",
            ),
            applies: is_array,
            yaml: |c| format!("count: {{ max: {} }}", &c[1]),
            request_only: true,
        },
        Pattern {
            re: re(
                r"(?i)(?:默认值?(?:为|是|：|:|取)|default(?: value)?(?: is|:|：)|defaults to)\s*`?([A-Za-z0-9_.\-]+)`?",
            ),
            applies: is_scalar,
            yaml: |c| format!("default: {}", &c[1]),
            request_only: true,
        },
    ]
});

/// A list item that names a value: `- CLOUD_SSD：表示SSD云硬盘`, `- ASC: ascending`.
static ENUM_ITEM: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*-\s*`?([A-Za-z0-9][A-Za-z0-9_.\-]*)`?\s*(?:：|:|（|\(|$)"));

/// The suggestions for one field, from its Markdown doc.
pub fn suggest(place: &str, doc: &str, kind: &Kind, side: Side) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = Vec::new();
    for p in PATTERNS.iter() {
        if (p.request_only && side == Side::Response) || !(p.applies)(kind) {
            continue;
        }
        if let Some(c) = p.re.captures(doc) {
            let yaml = (p.yaml)(&c);
            if !out.iter().any(|s| s.advice == yaml) {
                out.push(Suggestion {
                    place: place.to_owned(),
                    phrase: c[0].trim().to_owned(),
                    advice: yaml,
                });
            }
        }
    }
    let values: Vec<&str> = doc
        .lines()
        .filter_map(|l| ENUM_ITEM.captures(l))
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .collect();
    let enumerable = matches!(kind, Kind::String | Kind::Integer { .. })
        || matches!(kind, Kind::Array { items } if matches!(**items, Kind::String | Kind::Integer { .. }));
    if enumerable && values.len() >= 2 {
        let mut unique: Vec<&str> = Vec::new();
        for v in values {
            if !unique.contains(&v) {
                unique.push(v);
            }
        }
        let target = if is_array(kind) {
            "items: { enum: ["
        } else {
            "enum: ["
        };
        let close = if is_array(kind) { "] }" } else { "]" };
        out.push(Suggestion {
            place: place.to_owned(),
            phrase: format!("a list of {} values", unique.len()),
            advice: format!("{target}{}{close}", unique.join(", ")),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Side, suggest};
    use crate::vendor::Kind;

    fn yaml(doc: &str, kind: &Kind, side: Side) -> Vec<String> {
        suggest("request.X", doc, kind, side)
            .into_iter()
            .map(|s| s.advice)
            .collect()
    }

    #[test]
    fn reads_the_usual_phrasings() {
        let int = Kind::Integer {
            bits: Some(64),
            unsigned: true,
        };
        assert_eq!(
            yaml(
                "云硬盘备份点名称。长度不能超过100个字符。",
                &Kind::String,
                Side::Request
            ),
            ["length: { max: 100 }"]
        );
        assert_eq!(
            yaml("返回数量，默认为20，最大值为100。", &int, Side::Request),
            ["range: { max: 100 }", "default: 20"]
        );
        assert_eq!(
            yaml("保留天数，取值范围：[0, 100]", &int, Side::Request),
            ["range: { min: 0, max: 100 }"]
        );
        assert_eq!(
            yaml(
                "Name, which can contain up to 100 characters.",
                &Kind::String,
                Side::Request
            ),
            ["length: { max: 100 }"]
        );
        assert_eq!(
            yaml(
                "顺序。取值范围：\n\n- ASC：升序排列\n\n- DESC：降序排列。",
                &Kind::String,
                Side::Request
            ),
            ["enum: [ASC, DESC]"]
        );
    }

    #[test]
    fn responses_get_enums_only() {
        assert_eq!(
            yaml(
                "长度不能超过100个字符。\n- A：a\n- B：b",
                &Kind::String,
                Side::Response
            ),
            ["enum: [A, B]"]
        );
    }
}
