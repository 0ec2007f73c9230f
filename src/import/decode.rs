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
    /// Neither UTF-8 nor Shift_JIS.
    Undecodable,
}

impl DecodeError {
    /// One sentence for the user.
    pub fn message(&self) -> &'static str {
        match self {
            DecodeError::Empty => "the document is empty",
            DecodeError::Binary => {
                "the document is a binary file, not text (convert the PDF to text first)"
            }
            DecodeError::Undecodable => "the document is neither UTF-8 nor Shift_JIS text",
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
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
            if had_errors {
                return Err(DecodeError::Undecodable);
            }
            (text.into_owned(), Encoding::ShiftJis)
        }
    };
    Ok((text.replace("\r\n", "\n").replace('\r', "\n"), encoding))
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
        assert_eq!(
            decode(&[0xff, 0xfe, 0xfd, 0x80, 0x81]).unwrap_err(),
            DecodeError::Undecodable
        );
    }
}
