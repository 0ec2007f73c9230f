//! pest's parse failures in plain words.
//!
//! pest reports the grammar rules it tried at the furthest position it
//! reached. Users know nothing of rule names, so each rule gets a readable
//! name ("`.` to end the rule", "a term"), duplicates collapse, and the
//! diagnostic says what was found there instead.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::grammar::Rule;
use crate::diag::{Diagnostic, FileId, Span};

/// A pest error as a diagnostic; pest parsed `text[offset..]` of file `file`.
pub fn to_diagnostic(err: &Error<Rule>, text: &str, offset: usize, file: FileId) -> Diagnostic {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let pos = (offset + pos).min(text.len());
    // Nothing but blanks left: point just after the last token instead of
    // at a line that may not exist in the user's editor.
    let pos = if text[pos..].trim().is_empty() {
        text.trim_end().len()
    } else {
        pos
    };
    let rest = &text[pos..];

    if let Some(d) = special_case(text, pos, file) {
        return d;
    }

    let found = found_token(rest);
    let found = if rest.trim().is_empty() { "" } else { found };
    let span = Span::new(file, pos, pos + found.len().max(1).min(rest.len().max(1)));
    let expected = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => describe(positives),
        ErrorVariant::CustomError { message } => {
            // pest's own limits (nesting beyond its stack guard).
            return Diagnostic::error(
                format!("syntax error: {message} (the text is nested too deeply)"),
                Span::new(file, pos, pos + 1),
            );
        }
    };
    let found_text = if rest.trim().is_empty() {
        "the end of the file".to_string()
    } else {
        format!("`{found}`")
    };
    let message = if expected.is_empty() {
        format!("syntax error: unexpected {found_text}")
    } else {
        format!("syntax error: expected {expected}, found {found_text}")
    };
    Diagnostic::error(message, span).with_label("here")
}

/// Mistakes that have a better message than "expected …".
fn special_case(text: &str, pos: usize, file: FileId) -> Option<Diagnostic> {
    let rest = &text[pos..];
    if rest.starts_with("/*") && !rest[2..].contains("*/") {
        return Some(
            Diagnostic::error(
                "syntax error: unterminated comment (`/*` without `*/`)",
                Span::new(file, pos, pos + 2),
            )
            .with_label("opened here"),
        );
    }
    if rest.starts_with('"') && unterminated_string(&rest[1..]) {
        return Some(
            Diagnostic::error(
                "syntax error: unterminated string (missing closing `\"`)",
                Span::new(file, pos, pos + 1),
            )
            .with_label("opened here"),
        );
    }
    if let Some(d) = single_quoted(rest, pos, file) {
        return Some(d);
    }
    // The error is at the start of a token that follows an unclosed string
    // on an earlier part of the line? Not detectable cheaply; leave it.
    None
}

/// `'VRS'`: strings take double quotes, as in Soufflé. Points at the
/// quoted text and says how to write it.
fn single_quoted(rest: &str, pos: usize, file: FileId) -> Option<Diagnostic> {
    let inner = rest.strip_prefix('\'')?;
    let line_end = inner.find('\n').unwrap_or(inner.len());
    let close = inner[..line_end].find('\'');
    let (len, fix) = match close {
        Some(end) => (end + 2, format!("\"{}\"", &inner[..end])),
        None => (1, "\"…\"".to_string()),
    };
    Some(
        Diagnostic::error(
            "syntax error: strings take double quotes, not single quotes",
            Span::new(file, pos, pos + len),
        )
        .with_label("single-quoted")
        .with_note(format!("write {fix}")),
    )
}

fn unterminated_string(after_quote: &str) -> bool {
    let mut escaped = false;
    for c in after_quote.chars() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return false,
            _ => {}
        }
    }
    true
}

/// The word or character at the error position, for "found `…`".
fn found_token(rest: &str) -> &str {
    let mut end = 0;
    for (i, c) in rest.char_indices() {
        if c.is_alphanumeric() || c == '_' {
            end = i + c.len_utf8();
        } else {
            if i == 0 {
                end = c.len_utf8();
                // Two-character operators read better whole.
                for op in [":-", "?-", "<=", ">=", "!=", "<:", "//", "/*"] {
                    if rest.starts_with(op) {
                        end = op.len();
                    }
                }
            }
            break;
        }
    }
    if end > 40 {
        let mut cut = 40;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        end = cut;
    }
    &rest[..end]
}

/// Readable names of the rules pest expected, joined with "or".
fn describe(positives: &[Rule]) -> String {
    let mut names: Vec<&'static str> = Vec::new();
    let literal_context = positives.iter().any(|r| {
        matches!(
            r,
            Rule::negation | Rule::comparison | Rule::builtin_pred | Rule::paren_body
        )
    });
    for rule in positives {
        let name = if literal_context
            && matches!(
                rule,
                Rule::atom
                    | Rule::negation
                    | Rule::comparison
                    | Rule::builtin_pred
                    | Rule::paren_body
                    | Rule::bool_lit
                    | Rule::expr
                    | Rule::qualified
                    | Rule::lparen
                    | Rule::bang
            ) {
            Some("a body literal (an atom, a negation or a comparison)")
        } else {
            rule_name(*rule)
        };
        if let Some(n) = name
            && !names.contains(&n)
        {
            names.push(n);
        }
    }
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} or {last}", names.join(", "))
        }
    }
}

fn rule_name(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        dot | end_dot => "`.` to end the rule",
        comma => "`,`",
        lparen => "`(`",
        rparen => "`)`",
        lbrace => "`{`",
        rbrace => "`}`",
        lbracket => "`[`",
        rbracket => "`]`",
        colon => "`:`",
        if_sym => "`:-`",
        semi => "`;`",
        bang => "`!`",
        EOI => "the end of the file",
        one_item | program => "a rule, a fact or a directive",
        include
        | unsupported_preprocessor
        | decl
        | type_decl
        | io_directive
        | export
        | assertion
        | pragma
        | plan
        | unsupported_directive
        | query
        | retract
        | clause
        | subsumption => "a rule, a fact or a directive",
        // `<=` after a head is rare enough not to be offered where a rule
        // is expected to end.
        choice_domain | fd_key => "a `choice-domain` key",
        atom => "an atom `rel(…)`",
        body | conjunction | negation | paren_body | comparison | builtin_pred | bool_lit => {
            "a body literal (an atom, a negation or a comparison)"
        }
        expr | variable | wildcard | string | number | unsigned | float | ip_number
        | paren_expr | aggregate | functor_call | cast | unsupported_arg | neg | bnot | lnot
        | record_term | adt_term | nil => "a term",
        compare_op => "a comparison operator (`=`, `!=`, `<`, `<=`, `>`, `>=`)",
        add | sub | mul | div | modulo | pow | band | bor | bxor | bshl | bshr | bshru | land
        | lor | lxor => "an operator",
        qualified | ident => "a name",
        attribute => "a column `name: type`",
        type_name => "a type name",
        qualifier => "a relation qualifier",
        subtype_def | union_def | record_def | adt_def => "`<:` or `=` and a type",
        io_params => "`(` with parameters",
        kv_pair => "a parameter `key=value`",
        kv_value => "a parameter value",
        kw_to => "`to`",
        assert_empty | assert_count | kw_empty | kw_count_a => "`empty` or `count`",
        signed_int => "an integer",
        agg_body => "`{ body }` or an atom",
        agg_kind => "an aggregate",
        query_head => "`?-`",
        _ => return None,
    })
}
