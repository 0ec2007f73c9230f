//! The part of the C preprocessor Soufflé programs use: Soufflé runs `cpp`
//! over a program before parsing it, so `#define`d names, function-like
//! macros and `#ifdef` / `#ifndef` / `#if` / `#else` / `#endif` blocks are
//! part of the language its users write.
//!
//! Each file is preprocessed on its own, before it is parsed; `#include`
//! lines are left for the parser, which reads included files itself. Lines
//! are never added or removed (a directive or a skipped line becomes an
//! empty line), so line numbers in messages stay those of the file. Names
//! inside string literals and comments are not replaced, as with `cpp`.

use std::collections::HashMap;

/// One `#define`.
#[derive(Clone, Debug)]
struct Macro {
    /// Parameter names of a function-like macro; `None` for a plain name.
    params: Option<Vec<String>>,
    /// The replacement text.
    body: String,
}

/// The text after preprocessing, or `None` when the file has no directive
/// other than `#include` (it is then parsed exactly as written).
pub fn preprocess(text: &str) -> Option<String> {
    if !text
        .lines()
        .any(|l| directive(l).is_some_and(|(d, _)| d != "include"))
    {
        return None;
    }
    let mut macros: HashMap<String, Macro> = HashMap::new();
    // One entry per open conditional: (this branch is taken, a branch of it
    // was taken already, the enclosing text is active).
    let mut conds: Vec<(bool, bool, bool)> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut in_comment = false;
    let mut lines = text.split('\n').peekable();
    while let Some(first) = lines.next() {
        let mut line = first.to_string();
        let mut joined = 0;
        // A directive continues on the next line after a final `\`.
        if directive(&line).is_some() {
            while line.ends_with('\\') && lines.peek().is_some() {
                line.pop();
                line.push_str(lines.next().unwrap_or_default());
                joined += 1;
            }
        }
        let active = conds.last().is_none_or(|c| c.0 && c.2);
        match directive(&line) {
            Some((name, rest)) if !in_comment => {
                let kept = match name {
                    "ifdef" | "ifndef" | "if" => {
                        let truth = match name {
                            "ifdef" => macros.contains_key(first_word(rest)),
                            "ifndef" => !macros.contains_key(first_word(rest)),
                            _ => condition(rest, &macros),
                        };
                        conds.push((truth, truth, active));
                        false
                    }
                    "elif" => {
                        if let Some(c) = conds.last_mut() {
                            let truth = !c.1 && condition(rest, &macros);
                            c.0 = truth;
                            c.1 |= truth;
                        }
                        false
                    }
                    "else" => {
                        if let Some(c) = conds.last_mut() {
                            c.0 = !c.1;
                            c.1 = true;
                        }
                        false
                    }
                    "endif" => {
                        conds.pop();
                        false
                    }
                    "define" if active => {
                        define(rest, &mut macros);
                        false
                    }
                    "undef" if active => {
                        macros.remove(first_word(rest));
                        false
                    }
                    // `#include` and anything else is the parser's.
                    "include" => active,
                    _ => active && !matches!(name, "define" | "undef"),
                };
                if kept {
                    out.push_str(&line);
                }
            }
            _ if active => out.push_str(&expand_line(&line, &macros, &mut in_comment)),
            _ => {}
        }
        for _ in 0..joined {
            out.push('\n');
        }
        if lines.peek().is_some() {
            out.push('\n');
        }
    }
    Some(out)
}

/// `#name rest` of a directive line.
fn directive(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start().strip_prefix('#')?.trim_start();
    let end = t
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(t.len());
    let name = &t[..end];
    (!name.is_empty()).then(|| (name, t[end..].trim()))
}

fn first_word(s: &str) -> &str {
    s.split(|c: char| c.is_whitespace() || c == '(' || c == '/')
        .next()
        .unwrap_or("")
}

/// Records `#define NAME body` or `#define NAME(a, b) body`.
fn define(rest: &str, macros: &mut HashMap<String, Macro>) {
    let end = rest
        .find(|c: char| !c.is_alphanumeric() && c != '_')
        .unwrap_or(rest.len());
    let name = &rest[..end];
    if name.is_empty() {
        return;
    }
    let after = &rest[end..];
    let (params, body) = match after.strip_prefix('(') {
        Some(p) => {
            let close = p.find(')').unwrap_or(p.len());
            let params = p[..close]
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            (Some(params), p.get(close + 1..).unwrap_or("").trim())
        }
        None => (None, after.trim()),
    };
    macros.insert(
        name.to_string(),
        Macro {
            params,
            body: strip_comments(body),
        },
    );
}

/// A replacement text without its `//` or `/* */` comments.
fn strip_comments(body: &str) -> String {
    let mut in_comment = false;
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_comment {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                in_comment = false;
            }
            continue;
        }
        if in_string {
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('/', Some('/')) => break,
            ('/', Some('*')) => {
                chars.next();
                in_comment = true;
            }
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.trim().to_string()
}

/// `#if EXPR`: a number (non-zero is true), `defined(NAME)` / `defined NAME`,
/// a defined name standing for a number, or `!` of one of these.
fn condition(expr: &str, macros: &HashMap<String, Macro>) -> bool {
    let e = expr.trim();
    if let Some(rest) = e.strip_prefix('!') {
        return !condition(rest, macros);
    }
    if let Some(rest) = e.strip_prefix("defined") {
        let name = rest
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .trim();
        return macros.contains_key(name);
    }
    if let Ok(n) = e.parse::<i64>() {
        return n != 0;
    }
    match macros.get(e) {
        Some(m) if m.params.is_none() => condition(&m.body, macros),
        _ => false,
    }
}

/// Replaces macro names in one line outside strings and comments;
/// `in_comment` carries an open `/* … */` over to the next line.
fn expand_line(line: &str, macros: &HashMap<String, Macro>, in_comment: &mut bool) -> String {
    if macros.is_empty() {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut code = String::new();
    let b = line.as_bytes();
    let mut i = 0;
    let flush = |code: &mut String, out: &mut String| {
        if !code.is_empty() {
            out.push_str(&expand(code, macros, &mut Vec::new()));
            code.clear();
        }
    };
    while i < b.len() {
        if *in_comment {
            let end = line[i..].find("*/").map_or(line.len(), |p| i + p + 2);
            *in_comment = end == line.len() && !line[i..].ends_with("*/");
            out.push_str(&line[i..end]);
            i = end;
            continue;
        }
        if line[i..].starts_with("//") {
            flush(&mut code, &mut out);
            out.push_str(&line[i..]);
            break;
        }
        if line[i..].starts_with("/*") {
            flush(&mut code, &mut out);
            *in_comment = true;
            out.push_str("/*");
            i += 2;
            continue;
        }
        if b[i] == b'"' {
            flush(&mut code, &mut out);
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            out.push_str(&line[i..end]);
            i = end;
            continue;
        }
        let ch = line[i..].chars().next().unwrap_or(' ');
        code.push(ch);
        i += ch.len_utf8();
    }
    flush(&mut code, &mut out);
    out
}

/// Expands the macros of a stretch of code without strings or comments;
/// `active` holds the macros being expanded (no recursion into them).
fn expand(code: &str, macros: &HashMap<String, Macro>, active: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            // A string of a macro's body is copied as it is, like one of
            // the line itself.
            let b = rest.as_bytes();
            let mut j = 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if !(c.is_alphabetic() || c == '_') {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let end = rest
            .find(|c: char| !c.is_alphanumeric() && c != '_')
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        rest = after;
        let Some(m) = macros
            .get(word)
            .filter(|_| !active.iter().any(|a| a == word))
        else {
            out.push_str(word);
            continue;
        };
        let replaced = match &m.params {
            None => m.body.clone(),
            Some(params) => {
                let Some((args, after)) = call_args(rest) else {
                    out.push_str(word);
                    continue;
                };
                rest = after;
                substitute(&m.body, params, &args)
            }
        };
        active.push(word.to_string());
        out.push_str(&expand(&replaced, macros, active));
        active.pop();
    }
    out
}

/// The arguments of `(a, b)` at the start of `s` (after blanks), split at
/// top-level commas, and the text after the `)`.
fn call_args(s: &str) -> Option<(Vec<String>, &str)> {
    let t = s.trim_start();
    let inner = t.strip_prefix('(')?;
    let mut depth = 0;
    let mut args = Vec::new();
    let mut cur = String::new();
    for (i, c) in inner.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' if depth > 0 => depth -= 1,
            ')' => {
                args.push(cur.trim().to_string());
                return Some((args, &inner[i + 1..]));
            }
            ',' if depth == 0 => {
                args.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    None
}

/// A function-like macro's body with its parameters replaced.
fn substitute(body: &str, params: &[String], args: &[String]) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        if !(c.is_alphabetic() || c == '_') {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let end = rest
            .find(|c: char| !c.is_alphanumeric() && c != '_')
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        rest = after;
        match params.iter().position(|p| p == word) {
            Some(k) => out.push_str(args.get(k).map_or("", String::as_str)),
            None => out.push_str(word),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_without_directives_are_untouched() {
        assert_eq!(preprocess("#include \"a.dl\"\nr(1).\n"), None);
    }

    #[test]
    fn names_and_calls_are_replaced_outside_strings_and_comments() {
        let text =
            "#define N 3\n#define SQ(x) ((x) * (x))\nr(N, SQ(N + 1)). // N\ns(\"N\"). /* N */\n";
        let out = preprocess(text).expect("has directives");
        assert_eq!(
            out,
            "\n\nr(3, ((3 + 1) * (3 + 1))). // N\ns(\"N\"). /* N */\n"
        );
        // Nor inside the strings of a macro's own body.
        let out = preprocess("#define N \"N\"\n#define P [N, \"N\"]\nr(P).\n").expect("directives");
        assert_eq!(out, "\n\nr([\"N\", \"N\"]).\n");
    }

    #[test]
    fn conditionals_keep_the_line_count() {
        let text = "#define A\n#ifdef A\na(1).\n#else\na(2).\n#endif\n#ifndef A\nb(1).\n#endif\n#if 0\nc(1).\n#elif defined(A)\nc(2).\n#endif";
        let out = preprocess(text).expect("has directives");
        assert_eq!(out.split('\n').count(), text.split('\n').count());
        let kept: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(kept, ["a(1).", "c(2)."]);
    }

    #[test]
    fn a_macro_does_not_expand_into_itself() {
        let out = preprocess("#define X X + 1\nr(X).").expect("has directives");
        assert_eq!(out, "\nr(X + 1).");
    }
}
