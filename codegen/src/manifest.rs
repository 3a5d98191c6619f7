//! A reader of the `[features]` table of a Cargo manifest: every feature, what it enables and
//! its line. It reads the whole file as TOML (strings of the four kinds with their escapes,
//! comments, multi-line arrays, inline tables, dotted keys, table headers), so that nothing
//! inside a string or another table is taken for a feature, but keeps only the features: the
//! generator checks them (`crate::features`) from the build script of every crate it serves,
//! where a TOML library would be one more dependency to build. A feature is found in any of
//! the three ways TOML allows: `[features]` then `name = [...]`, `features.name = [...]` at
//! the root, or `features = { name = [...] }`.

use std::collections::BTreeMap;

/// One feature of `[features]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feature {
    /// 1-based line of its key.
    pub line: u32,
    /// What it enables, as written (`tencent`, `dep:hyper`, `tokio/rt`).
    pub enables: Vec<String>,
}

/// The `[features]` table of a manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeatureTable {
    /// 1-based line of the `[features]` header, when the table has one.
    pub header: Option<u32>,
    /// Every feature, by name.
    pub features: BTreeMap<String, Feature>,
}

/// Why a manifest could not be read: where, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column (characters).
    pub col: u32,
    /// What is wrong.
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Newline,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Eq,
    Comma,
    Dot,
    /// A string of any of the four kinds, unescaped.
    Str(String),
    /// A bare key, or a piece of a number, date or boolean.
    Bare(String),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: u32,
    col: u32,
}

fn error(line: u32, col: u32, message: impl Into<String>) -> ManifestError {
    ManifestError {
        line,
        col,
        message: message.into(),
    }
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: u32,
    col: u32,
}

impl Lexer<'_> {
    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    /// Consumes `c` if it is next.
    fn eat(&mut self, c: char) -> bool {
        if self.chars.peek() == Some(&c) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn starts_with(&self, s: &str) -> bool {
        let mut it = self.chars.clone();
        s.chars().all(|c| it.next() == Some(c))
    }

    /// A string after its opening quote (`quote` once, or three times when `multi`).
    fn string(
        &mut self,
        quote: char,
        multi: bool,
        at: (u32, u32),
    ) -> Result<String, ManifestError> {
        let basic = quote == '"';
        let mut out = String::new();
        if multi {
            // A newline right after the opening delimiter is not part of the string.
            self.eat('\r');
            self.eat('\n');
        }
        loop {
            let Some(c) = self.bump() else {
                return Err(error(at.0, at.1, "unterminated string"));
            };
            match c {
                '\n' if !multi => return Err(error(at.0, at.1, "unterminated string")),
                c if c == quote && !multi => return Ok(out),
                c if c == quote && self.starts_with(&format!("{quote}{quote}")) => {
                    self.bump();
                    self.bump();
                    // Up to two more quotes belong to the string (`"""a""""` is `a"`).
                    for _ in 0..2 {
                        if self.eat(quote) {
                            out.push(quote);
                        }
                    }
                    return Ok(out);
                }
                '\\' if basic => self.escape(multi, &mut out)?,
                c => out.push(c),
            }
        }
    }

    fn escape(&mut self, multi: bool, out: &mut String) -> Result<(), ManifestError> {
        let (line, col) = (self.line, self.col);
        let bad = || error(line, col, "invalid escape in a string");
        let c = self.bump().ok_or_else(bad)?;
        let hex = |lexer: &mut Self, n: usize| -> Result<char, ManifestError> {
            let digits: String = (0..n).filter_map(|_| lexer.bump()).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .filter(|_| digits.len() == n)
                .and_then(char::from_u32)
                .ok_or_else(bad)
        };
        match c {
            'b' => out.push('\u{8}'),
            't' => out.push('\t'),
            'n' => out.push('\n'),
            'f' => out.push('\u{c}'),
            'r' => out.push('\r'),
            'e' => out.push('\u{1b}'),
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'x' => out.push(hex(self, 2)?),
            'u' => out.push(hex(self, 4)?),
            'U' => out.push(hex(self, 8)?),
            // A line-ending backslash trims the newline and the whitespace after it.
            ' ' | '\t' | '\r' | '\n' if multi => {
                let mut newline = c == '\n';
                while let Some(&n) = self.chars.peek() {
                    if !matches!(n, ' ' | '\t' | '\r' | '\n') {
                        break;
                    }
                    newline |= n == '\n';
                    self.bump();
                }
                if !newline {
                    return Err(bad());
                }
            }
            _ => return Err(bad()),
        }
        Ok(())
    }

    fn tokens(mut self) -> Result<Vec<Token>, ManifestError> {
        let mut out = Vec::new();
        while let Some(&c) = self.chars.peek() {
            let (line, col) = (self.line, self.col);
            let tok = match c {
                ' ' | '\t' | '\r' => {
                    self.bump();
                    continue;
                }
                '#' => {
                    while self.chars.peek().is_some_and(|&c| c != '\n') {
                        self.bump();
                    }
                    continue;
                }
                '"' | '\'' => {
                    self.bump();
                    let multi = self.starts_with(&format!("{c}{c}"));
                    if multi {
                        self.bump();
                        self.bump();
                    }
                    Tok::Str(self.string(c, multi, (line, col))?)
                }
                c if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | ':') => {
                    let mut s = String::new();
                    while let Some(&c) = self.chars.peek() {
                        if !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | ':')) {
                            break;
                        }
                        s.push(c);
                        self.bump();
                    }
                    Tok::Bare(s)
                }
                _ => {
                    self.bump();
                    match c {
                        '\n' => Tok::Newline,
                        '[' => Tok::LBracket,
                        ']' => Tok::RBracket,
                        '{' => Tok::LBrace,
                        '}' => Tok::RBrace,
                        '=' => Tok::Eq,
                        ',' => Tok::Comma,
                        '.' => Tok::Dot,
                        _ => return Err(error(line, col, format!("unexpected `{c}`"))),
                    }
                }
            };
            out.push(Token { tok, line, col });
        }
        Ok(out)
    }
}

/// A value, reduced to what the feature table needs.
enum Value {
    Str(String),
    Array(Vec<Value>),
    /// An inline table: dotted key, value, line of the key.
    Table(Vec<(Vec<String>, Value, u32)>),
    /// A number, boolean or date.
    Other,
}

struct Parser {
    toks: Vec<Token>,
    i: usize,
    /// Where the input ends, for errors there.
    end: (u32, u32),
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.tok)
    }

    fn at(&self) -> (u32, u32) {
        self.toks.get(self.i).map_or(self.end, |t| (t.line, t.col))
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ManifestError> {
        let (line, col) = self.at();
        Err(error(line, col, message))
    }

    fn next_if(&mut self, tok: &Tok) -> bool {
        if self.peek() == Some(tok) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> Result<(), ManifestError> {
        if self.next_if(tok) {
            Ok(())
        } else {
            self.fail(format!("expected {what}"))
        }
    }

    fn skip_newlines(&mut self) {
        while self.next_if(&Tok::Newline) {}
    }

    fn end_of_line(&mut self) -> Result<(), ManifestError> {
        match self.peek() {
            None => Ok(()),
            Some(Tok::Newline) => {
                self.i += 1;
                Ok(())
            }
            Some(_) => self.fail("expected the end of the line"),
        }
    }

    /// `a`, `"a b"`, `a.b.'c'`.
    fn key(&mut self) -> Result<Vec<String>, ManifestError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                Some(Tok::Bare(s) | Tok::Str(s)) => {
                    parts.push(s.clone());
                    self.i += 1;
                }
                _ => return self.fail("expected a key"),
            }
            if !self.next_if(&Tok::Dot) {
                return Ok(parts);
            }
        }
    }

    fn value(&mut self) -> Result<Value, ManifestError> {
        match self.peek().cloned() {
            Some(Tok::Str(s)) => {
                self.i += 1;
                Ok(Value::Str(s))
            }
            Some(Tok::Bare(first)) => {
                // `true`, `1.5`, `1979-05-27 07:32:00.999`: the pieces of one scalar.
                self.i += 1;
                let mut date = is_date(&first);
                loop {
                    match self.peek() {
                        Some(Tok::Dot) => {
                            self.i += 1;
                            if matches!(self.peek(), Some(Tok::Bare(_))) {
                                self.i += 1;
                            }
                        }
                        // The time of a date-time written with a space.
                        Some(Tok::Bare(_)) if date => self.i += 1,
                        _ => return Ok(Value::Other),
                    }
                    date = false;
                }
            }
            Some(Tok::LBracket) => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_newlines();
                    if self.next_if(&Tok::RBracket) {
                        return Ok(Value::Array(items));
                    }
                    items.push(self.value()?);
                    self.skip_newlines();
                    if !self.next_if(&Tok::Comma) {
                        self.skip_newlines();
                        self.expect(&Tok::RBracket, "`,` or `]`")?;
                        return Ok(Value::Array(items));
                    }
                }
            }
            Some(Tok::LBrace) => {
                self.i += 1;
                let mut entries = Vec::new();
                loop {
                    self.skip_newlines();
                    if self.next_if(&Tok::RBrace) {
                        return Ok(Value::Table(entries));
                    }
                    let line = self.at().0;
                    let key = self.key()?;
                    self.expect(&Tok::Eq, "`=`")?;
                    entries.push((key, self.value()?, line));
                    self.skip_newlines();
                    if !self.next_if(&Tok::Comma) {
                        self.skip_newlines();
                        self.expect(&Tok::RBrace, "`,` or `}`")?;
                        return Ok(Value::Table(entries));
                    }
                }
            }
            _ => self.fail("expected a value"),
        }
    }
}

/// `1979-05-27`.
fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Adds feature `name` (its key on `line`) from `value`, which must be an array of strings.
fn add(
    table: &mut FeatureTable,
    name: &[String],
    value: Value,
    line: u32,
) -> Result<(), ManifestError> {
    let [name] = name else {
        return Err(error(
            line,
            1,
            format!(
                "`features.{}` is not a feature: a feature's name is one key",
                name.join(".")
            ),
        ));
    };
    let not_strings = || {
        error(
            line,
            1,
            format!("feature `{name}` is not an array of strings"),
        )
    };
    let Value::Array(items) = value else {
        return Err(not_strings());
    };
    let enables = items
        .into_iter()
        .map(|v| match v {
            Value::Str(s) => Ok(s),
            _ => Err(not_strings()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if table.features.contains_key(name) {
        return Err(error(line, 1, format!("feature `{name}` is defined twice")));
    }
    table
        .features
        .insert(name.clone(), Feature { line, enables });
    Ok(())
}

/// Reads the `[features]` table of a manifest (an empty table when it has none).
///
/// ```
/// use cloudbackup_codegen::manifest::features;
///
/// let toml = "[package]\nname = \"x\"\n\n[features]\ndefault = [\"a-b\"] # on\na-b = [\n  \"a\",\n]\n";
/// let table = features(toml).unwrap();
/// assert_eq!(table.header, Some(4));
/// assert_eq!(table.features["a-b"].enables, ["a"]);
/// assert_eq!(table.features["a-b"].line, 6);
/// ```
///
/// # Errors
///
/// Where the text stops being the TOML this reader knows, or a feature is not an array of
/// strings.
pub fn features(text: &str) -> Result<FeatureTable, ManifestError> {
    let lexer = Lexer {
        chars: text.chars().peekable(),
        line: 1,
        col: 1,
    };
    let toks = lexer.tokens()?;
    let end = toks.last().map_or((1, 1), |t| (t.line, t.col));
    let mut p = Parser { toks, i: 0, end };
    let mut table = FeatureTable::default();
    // The table the following keys belong to (`[]` for the root), and whether it is an
    // element of an array of tables (`[[bin]]`).
    let mut current: Vec<String> = Vec::new();
    let mut array = false;
    loop {
        p.skip_newlines();
        let Some(tok) = p.peek() else {
            return Ok(table);
        };
        let line = p.at().0;
        if *tok == Tok::LBracket {
            p.i += 1;
            array = p.next_if(&Tok::LBracket);
            current = p.key()?;
            p.expect(&Tok::RBracket, "`]`")?;
            if array {
                p.expect(&Tok::RBracket, "`]]`")?;
            }
            p.end_of_line()?;
            if !array && current == ["features"] {
                if table.header.is_some() {
                    return Err(error(line, 1, "`[features]` is defined twice"));
                }
                table.header = Some(line);
            }
            continue;
        }
        let key = p.key()?;
        p.expect(&Tok::Eq, "`=`")?;
        let value = p.value()?;
        p.end_of_line()?;
        if array {
            continue;
        }
        let full: Vec<String> = current.iter().chain(&key).cloned().collect();
        match full.split_first() {
            Some((first, [])) if first == "features" => {
                let Value::Table(entries) = value else {
                    return Err(error(line, 1, "`features` is not a table"));
                };
                for (name, value, line) in entries {
                    add(&mut table, &name, value, line)?;
                }
            }
            Some((first, name)) if first == "features" => add(&mut table, name, value, line)?,
            _ => {}
        }
    }
}
