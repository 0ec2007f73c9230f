//! Bytes of a published document -> text.
//!
//! Public bodies publish UTF-8 and Shift_JIS text; a PDF or a spreadsheet
//! handed in by mistake must be refused with a clear message instead of
//! producing garbage facts.

/// Why a document could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// No bytes, or only whitespace.
    Empty,
    /// NUL bytes or many control characters: a binary file.
    Binary,
    /// Neither UTF-8 nor Shift_JIS: where the first byte that neither
    /// reads is (in the encoding that read further).
    Undecodable(BadByte),
}

/// Where the first undecodable byte of a document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadByte {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters before it on its line, plus one).
    pub col: usize,
    /// The line, decoded as far as possible, control characters replaced,
    /// for quoting under the message.
    pub text: String,
}

impl DecodeError {
    /// One sentence for the user.
    pub fn message(&self) -> &'static str {
        match self {
            DecodeError::Empty => "the document is empty",
            DecodeError::Binary => {
                "the document is a binary file, not text (convert the PDF to text first)"
            }
            DecodeError::Undecodable(_) => "the document is neither UTF-8 nor Shift_JIS text",
        }
    }
}

/// Which encoding the text was read in (reported in the fact file header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (with or without a byte order mark).
    Utf8,
    /// Shift_JIS (Windows-31J).
    ShiftJis,
}

/// Decodes a document: UTF-8 first, then Shift_JIS; line breaks become `\n`.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    let (text, encoding) = match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), Encoding::Utf8),
        Err(utf8) => {
            let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
            if had_errors {
                return Err(DecodeError::Undecodable(bad_byte(
                    bytes,
                    utf8.valid_up_to(),
                )));
            }
            (text.into_owned(), Encoding::ShiftJis)
        }
    };
    Ok((text.replace("\r\n", "\n").replace('\r', "\n"), encoding))
}

/// Locates the first undecodable byte: of the two encodings, the one that
/// read further is taken to be the one the document was meant to be in.
fn bad_byte(bytes: &[u8], utf8_valid: usize) -> BadByte {
    let sjis_valid = shift_jis_valid_up_to(bytes);
    let (at, sjis) = if sjis_valid > utf8_valid {
        (sjis_valid, true)
    } else {
        (utf8_valid, false)
    };
    let lossy = |b: &[u8]| -> String {
        if sjis {
            encoding_rs::SHIFT_JIS
                .decode_without_bom_handling(b)
                .0
                .into_owned()
        } else {
            String::from_utf8_lossy(b).into_owned()
        }
    };
    let (line, col, text) = crate::diag::locate_bad_byte(bytes, at, lossy);
    BadByte { line, col, text }
}

/// How many leading bytes read as Shift_JIS without an error.
fn shift_jis_valid_up_to(bytes: &[u8]) -> usize {
    let mut decoder = encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling();
    let Some(cap) = decoder.max_utf8_buffer_length_without_replacement(bytes.len()) else {
        return 0;
    };
    let mut out = String::with_capacity(cap);
    match decoder.decode_to_string_without_replacement(bytes, &mut out, true) {
        (encoding_rs::DecoderResult::Malformed(bad, after), read) => {
            read.saturating_sub(after as usize + bad as usize)
        }
        (_, read) => read,
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 20 > sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_and_crlf() {
        let (t, e) = decode("\u{feff}評価書\r\n番号".as_bytes()).unwrap();
        assert_eq!(t, "評価書\n番号");
        assert_eq!(e, Encoding::Utf8);
    }

    #[test]
    fn shift_jis_is_decoded() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("公表日 令和7年8月12日");
        let (t, e) = decode(&bytes).unwrap();
        assert_eq!(t, "公表日 令和7年8月12日");
        assert_eq!(e, Encoding::ShiftJis);
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b"  \n\t").unwrap_err(), DecodeError::Empty);
        assert_eq!(
            decode(b"%PDF-1.7\0\x01\x02").unwrap_err(),
            DecodeError::Binary
        );
        assert!(matches!(
            decode(&[0xff, 0xfe, 0xfd, 0x80, 0x81]).unwrap_err(),
            DecodeError::Undecodable(_)
        ));
    }

    #[test]
    fn undecodable_byte_is_located() {
        // UTF-8 up to a stray 0xFF on line 2, column 3.
        let mut bytes = "評価書\nab".as_bytes().to_vec();
        bytes.push(0xff);
        bytes.extend_from_slice(b"cd\n");
        let DecodeError::Undecodable(at) = decode(&bytes).unwrap_err() else {
            panic!("not undecodable");
        };
        assert_eq!((at.line, at.col), (2, 3));
        assert!(at.text.starts_with("ab"));
        // Shift_JIS up to a stray 0xFF on line 1, column 4.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("評価書");
        let mut sjis = sjis.into_owned();
        sjis.push(0xff);
        sjis.extend_from_slice(b"x");
        let DecodeError::Undecodable(at) = decode(&sjis).unwrap_err() else {
            panic!("not undecodable");
        };
        assert_eq!((at.line, at.col), (1, 4));
        assert!(at.text.starts_with("評価書"));
    }
}
