//! Locating an undecodable byte in a file that is not text in the expected
//! encoding, so the error can quote the line like any other.

/// Where an undecodable byte stands in a file that is not text in the
/// expected encoding: 1-based line and column, and the line itself made
/// printable for quoting (control bytes replaced, cut short). Program files
/// and imported documents both report bad bytes this way; `lossy` decodes a
/// byte range in whichever encoding the file was meant to be in.
pub fn locate_bad_byte(
    bytes: &[u8],
    at: usize,
    lossy: impl Fn(&[u8]) -> String,
) -> (usize, usize, String) {
    let at = at.min(bytes.len());
    let line_start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let col = lossy(&bytes[line_start..at]).chars().count() + 1;
    // A binary file's "line" can be long and full of control bytes that
    // would garble the terminal.
    let quoted = lossy(&bytes[line_start..line_end])
        .trim_end_matches('\r')
        .chars()
        .map(super::render::printable_char)
        .take(col.max(80) + 40)
        .collect();
    (line, col, quoted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_byte_is_located_by_line_and_character() {
        let bytes = b"ok\n\xe7\x84\xbc\xff\x01x\nnext";
        let (line, col, quoted) =
            locate_bad_byte(bytes, 6, |b| String::from_utf8_lossy(b).into_owned());
        assert_eq!((line, col), (2, 2));
        assert_eq!(quoted, "焼\u{FFFD}\u{FFFD}x");
    }
}
