//! Escaping for the XML that pialog writes by hand (JUnit reports, SVG).

/// Escapes XML text and attribute values (and drops characters XML 1.0
/// cannot hold).
pub fn esc(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            '\t' | '\n' | '\r' => s.push(c),
            c if (c as u32) < 0x20 => {}
            _ => s.push(c),
        }
    }
    s
}
