//! Reading fact files: the file is read in blocks, and while threads parse
//! one block ([`super::parse`]) this thread reads the next into a second
//! buffer, so reading costs no time of its own and a file of any size is
//! never held whole in memory.

use super::parse::{Accumulator, parse_block, threads_for};
use crate::diag::Diagnostic;
use crate::engine::intern::Interner;
use crate::engine::rows::Rows;
use crate::lang::types::ColumnType;
use std::path::Path;

/// Bytes read per block: large enough for parallel parsing to pay off,
/// small enough that a file of any size is never held whole in memory.
const BLOCK: usize = 8 << 20;

/// Bytes of the first block: reading it is the one read nothing overlaps.
const FIRST_BLOCK: usize = 1 << 20;

/// Reads a facts file of the given column types, block by block: while
/// threads parse one block, this thread reads the next into a second
/// buffer, so reading costs no time of its own.
pub fn read_facts(
    path: &Path,
    types: &[ColumnType],
    delimiter: &str,
    headers: bool,
    symbols: &mut Interner,
) -> Result<Rows, Diagnostic> {
    // Record columns are read as text, then taken apart.
    let read_as = crate::engine::record::read_as_text(types);
    let rows = read_blocks(path, &read_as, delimiter, headers, symbols, BLOCK)?;
    crate::engine::record::records_from_text(rows, types, symbols, path, None, delimiter)
}

/// Checks that a facts file a run skips (no output needs it) could be
/// read: it opens and its first byte reads. A missing or unreadable file
/// is still the user's mistake to hear about; its rows are not checked.
pub fn probe_facts(path: &Path) -> Result<(), Diagnostic> {
    use std::io::Read;
    refuse_devices(path)?;
    let mut file = std::fs::File::open(path).map_err(|e| cannot_read(path, e))?;
    let mut first = [0u8; 1];
    file.read(&mut first).map_err(|e| cannot_read(path, e))?;
    Ok(())
}

/// The message for a facts file the system would not let us read.
fn cannot_read(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::at_file(format!("cannot read `{}`: {e}", path.display()), path)
}

/// [`read_facts`] with blocks of `block_size` bytes (small in tests, so that
/// lines and headers meet block ends).
fn read_blocks(
    path: &Path,
    types: &[ColumnType],
    delimiter: &str,
    headers: bool,
    symbols: &mut Interner,
    block_size: usize,
) -> Result<Rows, Diagnostic> {
    let cannot = |e| cannot_read(path, e);
    refuse_devices(path)?;
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let mut acc = Accumulator::new(types.len());
    let mut buf: Vec<u8> = Vec::new();
    let mut spare: Vec<u8> = Vec::new();
    let size = file.metadata().map_or(0, |m| m.len() as usize);
    let mut first = true;
    // A small first block starts the threads early; later blocks are read
    // while earlier ones are parsed.
    let mut eof = fill(&mut file, &mut buf, block_size.min(FIRST_BLOCK)).map_err(cannot)?;
    // The start of `buf` known to hold no line end.
    let mut searched = 0;
    let mut header_pending = headers;
    loop {
        let cut = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf[searched..]) {
                Some(i) => searched + i + 1,
                // A line longer than a block: read on.
                None => {
                    searched = buf.len();
                    eof = fill(&mut file, &mut buf, block_size).map_err(cannot)?;
                    continue;
                }
            }
        };
        let mut start = 0;
        if header_pending {
            // Before the end of the file `cut` follows a line end, so only a
            // file of one unterminated line ends up all header.
            start = memchr::memchr(b'\n', &buf[..cut]).map_or(cut, |i| i + 1);
            acc.lines_before += usize::from(start > 0);
            header_pending = false;
        }
        let (block, rest) = (&buf[start..cut], &buf[cut..]);
        let threads = threads_for(block.len());
        let read_next = || {
            if eof {
                return Ok(true);
            }
            spare.clear();
            spare.extend_from_slice(rest);
            fill(&mut file, &mut spare, block_size)
        };
        let next_eof = parse_block(
            block, threads, path, types, delimiter, symbols, &mut acc, read_next,
        )?
        .map_err(cannot)?;
        if eof {
            break;
        }
        if first && size > cut {
            // Room for the whole file's rows at the first block's density:
            // no doubling (copies, page faults, twice the memory for a moment).
            let expected = (acc.data.len() as f64 * size as f64 / cut as f64 * 1.02) as usize;
            acc.data
                .reserve_exact(expected.saturating_sub(acc.data.len()));
        }
        first = false;
        searched = buf.len() - cut;
        std::mem::swap(&mut buf, &mut spare);
        eof = next_eof;
    }
    // The buffers go before sorting, which needs room of its own.
    drop((buf, spare));
    Ok(acc.finish())
}

/// Appends up to `block` bytes of `file` to `buf`; true at the end of
/// the file.
fn fill(file: &mut std::fs::File, buf: &mut Vec<u8>, block: usize) -> std::io::Result<bool> {
    use std::io::Read;
    buf.reserve(block);
    let n = file.take(block as u64).read_to_end(buf)?;
    Ok(n < block)
}

/// A FIFO blocks until a writer comes and a device never ends: only
/// regular files are read (see [`crate::regular_file`]).
fn refuse_devices(path: &Path) -> Result<(), Diagnostic> {
    crate::regular_file::refuse_irregular(path).map_err(|why| {
        Diagnostic::at_file(format!("cannot read `{}`: {why}", path.display()), path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::io::parse::{parse_facts, tests::messy};
    use crate::engine::value::text;

    #[test]
    fn blocks_split_anywhere_read_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.facts");
        let types = [ColumnType::Symbol, ColumnType::Symbol, ColumnType::Number];
        let mut content = String::from("head\tline\there\r\n");
        content.push_str(&messy("\t"));
        content.push_str("\nx\t");
        content.push_str(&"長".repeat(100));
        content.push_str("\t7\n");
        std::fs::write(&path, &content).unwrap();
        let mut whole = Interner::new();
        let expected = parse_facts(
            content.split_once('\n').unwrap().1,
            &path,
            &types,
            "\t",
            &mut whole,
        )
        .unwrap();
        let decode = |rows: &Rows, sy: &Interner| -> Vec<String> {
            let mut v: Vec<String> = (0..rows.len)
                .map(|r| {
                    let row = rows.row(r);
                    (0..3)
                        .map(|c| text(row[c], types[c], sy))
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect();
            v.sort();
            v
        };
        for block in [1, 7, 64, 1000, 1 << 20] {
            let mut sy = Interner::new();
            let rows = read_blocks(&path, &types, "\t", true, &mut sy, block).unwrap();
            assert_eq!(
                decode(&rows, &sy),
                decode(&expected, &whole),
                "block {block}"
            );
            let order = |i: &Interner| {
                (0..i.len() as u32)
                    .map(|n| i.resolve(n).to_string())
                    .collect::<Vec<_>>()
            };
            assert_eq!(order(&sy), order(&whole), "block {block}");
        }
        // Errors count the header and every earlier block's lines.
        content.push_str("y\t1\n");
        std::fs::write(&path, &content).unwrap();
        for block in [5, 64, 1 << 20] {
            let e =
                read_blocks(&path, &types, "\t", true, &mut Interner::new(), block).unwrap_err();
            assert!(e.message.contains("found 2"), "{}", e.message);
            let line = content.lines().count();
            let at = format!("b.facts:{line}:4\n");
            assert!(e.render(&Default::default()).contains(&at), "block {block}");
        }
        // A file that is all header.
        std::fs::write(&path, "only a header").unwrap();
        let rows = read_blocks(&path, &types, "\t", true, &mut Interner::new(), 4).unwrap();
        assert_eq!(rows.len, 0);
    }
}
