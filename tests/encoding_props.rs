//! Property tests of the encoders: RFC 3986 percent-encoding, canonical query sorting, and
//! the Tencent API 2.0 request string.

use cloudbackup::runtime::encode::{
    canonical_query, decode_pairs, encode_pairs, is_unreserved, percent_decode, percent_encode,
    percent_encode_path, sort_params,
};
use cloudbackup::runtime::tencent_v2::request_string;
use proptest::prelude::*;

/// Strings rich in the characters that matter: space, `+ / = ~ * % & ?`, upper/lower case,
/// digits, non-ASCII (2-, 3- and 4-byte UTF-8), and anything else.
fn tricky() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        ' ', '+', '/', '=', '~', '*', '%', '&', '?', '-', '_', '.', 'a', 'Z', '0', 'é', '未', '😀',
        '\u{0}', '#',
    ]);
    prop::collection::vec(prop_oneof![3 => special, 1 => any::<char>()], 0..24)
        .prop_map(|cs| cs.into_iter().collect())
}

fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((tricky(), tricky()), 0..8)
}

proptest! {
    #[test]
    fn encode_decode_round_trip(s in tricky()) {
        prop_assert_eq!(percent_decode(&percent_encode(&s)), Some(s.clone()));
        // A path keeps the `%XX` escapes it already has (encoded path parameters), so only a
        // path without `%` round-trips byte for byte.
        let raw = s.replace('%', "");
        prop_assert_eq!(percent_decode(&percent_encode_path(&raw)), Some(raw));
    }

    #[test]
    fn path_encoding_is_idempotent(s in tricky()) {
        let once = percent_encode_path(&s);
        prop_assert_eq!(percent_encode_path(&once), once.clone());
        // What an encoded segment (a path parameter) holds comes back whole.
        let seg = format!("/v1/{}/x", percent_encode(&s));
        prop_assert_eq!(percent_encode_path(&seg), seg);
    }

    #[test]
    fn only_unreserved_bytes_are_left_unescaped(s in tricky()) {
        let enc = percent_encode(&s);
        let b = enc.as_bytes();
        let mut i = 0;
        let mut decoded_len = 0;
        while i < b.len() {
            if b[i] == b'%' {
                let hex = &enc[i + 1..i + 3];
                prop_assert!(hex.bytes().all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c)), "upper-case hex: {}", hex);
                let byte = u8::from_str_radix(hex, 16).unwrap();
                prop_assert!(!is_unreserved(byte), "unreserved byte {} escaped", byte);
                i += 3;
            } else {
                prop_assert!(is_unreserved(b[i]), "reserved byte {} left raw", b[i]);
                i += 1;
            }
            decoded_len += 1;
        }
        prop_assert_eq!(decoded_len, s.len());
    }

    #[test]
    fn path_encoding_keeps_only_slashes_extra(s in tricky()) {
        let raw = s.replace('%', "");
        let segments: Vec<String> = raw.split('/').map(percent_encode).collect();
        prop_assert_eq!(percent_encode_path(&raw), segments.join("/"));
    }

    #[test]
    fn canonical_query_round_trips_and_is_sorted_bytewise(p in params()) {
        let q = canonical_query(&p);
        let back = decode_pairs(&q).expect("canonical query decodes");
        let mut expected = p.clone();
        sort_params(&mut expected);
        prop_assert_eq!(&back, &expected);
        for w in back.windows(2) {
            prop_assert!(w[0].0.as_bytes() <= w[1].0.as_bytes());
            if w[0].0 == w[1].0 {
                prop_assert!(w[0].1.as_bytes() <= w[1].1.as_bytes());
            }
        }
    }

    #[test]
    fn canonical_query_ignores_input_order(p in params(), seed in any::<u64>()) {
        let mut shuffled = p.clone();
        // Deterministic Fisher-Yates from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(canonical_query(&shuffled), canonical_query(&p));
        prop_assert_eq!(request_string(&shuffled), request_string(&p));
    }

    #[test]
    fn empty_values_encode_as_name_equals(name in tricky()) {
        let q = encode_pairs(&[(name.clone(), String::new())]);
        prop_assert_eq!(q, format!("{}=", percent_encode(&name)));
    }

    #[test]
    fn tencent_v2_request_string_uses_raw_values(p in params()) {
        let mut sorted = p.clone();
        sort_params(&mut sorted);
        let expected: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
        prop_assert_eq!(request_string(&p), expected.join("&"));
    }
}

#[test]
fn special_characters_encode_as_the_vendors_expect() {
    for (raw, enc) in [
        (" ", "%20"),
        ("+", "%2B"),
        ("/", "%2F"),
        ("=", "%3D"),
        ("~", "~"),
        ("*", "%2A"),
        ("%", "%25"),
        ("&", "%26"),
        (":", "%3A"),
        ("é", "%C3%A9"),
        ("😀", "%F0%9F%98%80"),
        ("", ""),
        ("AZaz09-_.", "AZaz09-_."),
    ] {
        assert_eq!(percent_encode(raw), enc, "{raw:?}");
    }
}

#[test]
fn upper_case_sorts_before_lower_case() {
    let p = |k: &str| (k.to_owned(), String::new());
    let q = canonical_query(&[
        p("instanceIds.0"),
        p("Timestamp"),
        p("a"),
        p("B"),
        p("_x"),
        p("Z"),
    ]);
    assert_eq!(q, "B=&Timestamp=&Z=&_x=&a=&instanceIds.0=");
}

#[test]
fn malformed_escapes_do_not_decode() {
    for bad in ["%", "%2", "%zz", "%C3", "%FF%FE"] {
        assert_eq!(percent_decode(bad), None, "{bad}");
    }
    assert_eq!(decode_pairs("a=1&b"), None);
    assert_eq!(decode_pairs(""), Some(vec![]));
}
