//! The source map: every spec file read, by id, so diagnostics can quote the offending line.

use crate::spec::S;

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A position in a spec file (1-based line and column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (characters).
    pub col: u32,
}

impl Loc {
    /// The start of a file.
    pub fn file_start(file: FileId) -> Loc {
        Loc {
            file,
            line: 1,
            col: 1,
        }
    }

    /// The location of a spanned YAML value.
    pub fn of<T>(file: FileId, s: &S<T>) -> Loc {
        Loc {
            file,
            line: u32::try_from(s.referenced.line()).unwrap_or(u32::MAX),
            col: u32::try_from(s.referenced.column()).unwrap_or(u32::MAX),
        }
    }

    /// The location of the character at `offset` (in characters) of a string value, so that a
    /// diagnostic can point into it (`{project_id}` in a path). Only when the scalar is written
    /// as its value on one line (plain, or quoted without escapes); otherwise the value's start.
    pub fn inside(file: FileId, s: &S<String>, offset: usize) -> Loc {
        let start = Loc::of(file, s);
        let chars = s.value.chars().count() as u64;
        let written = s.referenced.span().len();
        let skip = if s.value.contains('\n') {
            None
        } else if written == chars {
            Some(0) // plain
        } else if written == chars + 2 {
            Some(1) // quoted, no escapes
        } else {
            None
        };
        match skip.and_then(|q| u32::try_from(offset + q).ok()) {
            Some(d) => Loc {
                col: start.col.saturating_add(d),
                ..start
            },
            None => start,
        }
    }
}

/// Every file read during a run: display path (relative, with `/`) and text.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<(String, String)>,
}

impl SourceMap {
    /// Adds a file and returns its id.
    pub fn add(&mut self, display_path: String, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("invariant: fewer than 2^32 files"));
        self.files.push((display_path, text));
        id
    }

    /// The display path of a file.
    pub fn path(&self, id: FileId) -> &str {
        self.files.get(id.0 as usize).map_or("<unknown>", |f| &f.0)
    }

    /// The text of a file.
    pub fn text(&self, id: FileId) -> &str {
        self.files.get(id.0 as usize).map_or("", |f| &f.1)
    }

    /// One line of a file (1-based), without its line break.
    pub fn line(&self, id: FileId, line: u32) -> Option<&str> {
        self.text(id)
            .lines()
            .nth(line.checked_sub(1)? as usize)
            .map(|l| l.trim_end_matches('\r'))
    }
}
