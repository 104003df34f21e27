//! Problems found in content files, each with the file, the line and what to do about it.

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
    source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The start of every line of a text, to find many lines' numbers without counting from the
/// top each time. Gives the same numbers as [`line_of`].
pub struct LineIndex {
    /// Byte offsets just after each `\n`.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        // `match_indices` finds a `char` with `memchr`, faster than testing every byte.
        let starts = source.match_indices('\n').map(|(i, _)| i + 1).collect();
        LineIndex {
            starts,
            len: source.len(),
        }
    }

    /// The 1-based line number of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.len);
        // Newlines before `end`: those whose following offset is at most `end`.
        self.starts.partition_point(|&s| s <= end) + 1
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
        let d = Diagnostic::at("rules.toml", src, 2, "bad");
        assert_eq!(d.to_string(), "rules.toml:2: bad");
    }
}
