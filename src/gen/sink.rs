//! Where generated rows go: Soufflé-style `.facts` TSV files (one per
//! relation, for `.input`) and/or pialog fact files (one `.dl` per
//! assessment, like `pialog import` writes). Rows are written straight into
//! buffered writers; no row is ever held as an owned `String`.

use super::Rel;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// One cell of a generated row.
#[derive(Clone, Copy, Debug)]
pub enum Field<'a> {
    /// A symbol (written bare in TSV, quoted in `.dl`).
    S(&'a str),
    /// A number.
    N(u64),
}

/// Receives the rows of one assessment after another.
pub trait Sink {
    /// Writes one row of `rel`; `fields.len()` is the relation's arity.
    fn row(&mut self, rel: Rel, fields: &[Field<'_>]) -> io::Result<()>;
    /// Called after the last row of assessment `id`.
    fn end_assessment(&mut self, id: &str) -> io::Result<()>;
    /// Flushes everything to disk.
    fn finish(&mut self) -> io::Result<()>;
}

/// Appends the decimal digits of `n` without allocating.
pub fn push_number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Writes `<dir>/<rel>.facts`, tab-separated, one file per relation.
pub struct TsvSink {
    writers: Vec<BufWriter<File>>,
    line: Vec<u8>,
}

impl TsvSink {
    /// Creates (truncates) every relation's `.facts` file in `dir`.
    pub fn create(dir: &Path) -> io::Result<TsvSink> {
        let mut writers = Vec::with_capacity(Rel::ALL.len());
        for rel in Rel::ALL {
            let path = dir.join(format!("{}.facts", rel.name()));
            writers.push(BufWriter::with_capacity(1 << 18, File::create(path)?));
        }
        Ok(TsvSink {
            writers,
            line: Vec::with_capacity(512),
        })
    }
}

impl Sink for TsvSink {
    fn row(&mut self, rel: Rel, fields: &[Field<'_>]) -> io::Result<()> {
        self.line.clear();
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.line.push(b'\t');
            }
            match f {
                Field::S(s) => self.line.extend_from_slice(s.as_bytes()),
                Field::N(n) => push_number(&mut self.line, *n),
            }
        }
        self.line.push(b'\n');
        self.writers[rel as usize].write_all(&self.line)
    }

    fn end_assessment(&mut self, _id: &str) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        for w in &mut self.writers {
            w.flush()?;
        }
        Ok(())
    }
}

/// Writes one pialog fact file per assessment into a directory, named as
/// `pialog import` names them (`/` in the id becomes `-`).
pub struct DlSink {
    dir: PathBuf,
    buf: Vec<u8>,
}

impl DlSink {
    /// A sink writing into `dir` (which must exist).
    pub fn new(dir: &Path) -> DlSink {
        DlSink {
            dir: dir.to_path_buf(),
            buf: Vec::with_capacity(1 << 16),
        }
    }
}

/// Appends `s` as a Datalog string literal.
fn push_quoted(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for &b in s.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

impl Sink for DlSink {
    fn row(&mut self, rel: Rel, fields: &[Field<'_>]) -> io::Result<()> {
        self.buf.extend_from_slice(rel.name().as_bytes());
        self.buf.push(b'(');
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.buf.extend_from_slice(b", ");
            }
            match f {
                Field::S(s) => push_quoted(&mut self.buf, s),
                Field::N(n) => push_number(&mut self.buf, *n),
            }
        }
        self.buf.extend_from_slice(b").\n");
        Ok(())
    }

    fn end_assessment(&mut self, id: &str) -> io::Result<()> {
        let name = format!("{}.dl", id.replace('/', "-"));
        std::fs::write(self.dir.join(name), &self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Sends every row to two sinks (`--format both`).
pub struct Tee<A, B>(pub A, pub B);

impl<A: Sink, B: Sink> Sink for Tee<A, B> {
    fn row(&mut self, rel: Rel, fields: &[Field<'_>]) -> io::Result<()> {
        self.0.row(rel, fields)?;
        self.1.row(rel, fields)
    }
    fn end_assessment(&mut self, id: &str) -> io::Result<()> {
        self.0.end_assessment(id)?;
        self.1.end_assessment(id)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.0.finish()?;
        self.1.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_quotes() {
        let mut v = Vec::new();
        push_number(&mut v, 0);
        v.push(b' ');
        push_number(&mut v, 1234567890);
        assert_eq!(v, b"0 1234567890");
        let mut q = Vec::new();
        push_quoted(&mut q, "a\"b\\c");
        assert_eq!(q, b"\"a\\\"b\\\\c\"");
    }
}
