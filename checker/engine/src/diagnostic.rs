//! Problems found in content files, each with the file, the line and what to do about it.

use std::cell::Cell;
use std::fmt;

/// One problem in a content file. `line` is 1-based; 0 means "the file as a whole".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }

    /// A diagnostic located at a byte offset of `source`.
    pub fn at(file: &str, source: &str, offset: usize, message: impl Into<String>) -> Self {
        Diagnostic::new(file, line_of(source, offset), message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

/// The 1-based line number of a byte offset.
pub fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    newlines(&source.as_bytes()[..end]) + 1
}

/// The number of `\n` in some bytes: a sum the compiler does with vector instructions, many
/// bytes at a time.
fn newlines(bytes: &[u8]) -> usize {
    // Counted in bytes, 255 at a time (a byte cannot overflow), then added up.
    bytes
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>()))
        .sum()
}

/// Many lines' numbers in one text, without counting from the top each time: each is counted
/// on from the offset asked before (offsets are mostly asked in order). Gives the same numbers
/// as [`line_of`].
pub struct LineIndex<'a> {
    bytes: &'a [u8],
    /// The offset asked last, and the `\n` before it.
    at: Cell<(usize, usize)>,
}

impl LineIndex<'_> {
    pub fn new(source: &str) -> LineIndex<'_> {
        LineIndex {
            bytes: source.as_bytes(),
            at: Cell::new((0, 0)),
        }
    }

    /// The 1-based line number of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.bytes.len());
        let (at, before) = self.at.get();
        let before = if end >= at {
            before + newlines(&self.bytes[at..end])
        } else {
            before - newlines(&self.bytes[end..at])
        };
        self.at.set((end, before));
        before + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_one() {
        let src = "a\nb\nc";
        assert_eq!(line_of(src, 0), 1);
        assert_eq!(line_of(src, 2), 2);
        assert_eq!(line_of(src, 4), 3);
        assert_eq!(line_of(src, 400), 3);
        let index = LineIndex::new(src);
        for offset in 0..=src.len() + 2 {
            assert_eq!(index.line(offset), line_of(src, offset), "offset {offset}");
        }
        // Asked out of order too.
        for offset in [4, 0, 3, 1, 400, 2, 2, 5, 0] {
            assert_eq!(index.line(offset), line_of(src, offset), "offset {offset}");
        }
        let d = Diagnostic::at("rules.toml", src, 2, "bad");
        assert_eq!(d.to_string(), "rules.toml:2: bad");
    }
}
