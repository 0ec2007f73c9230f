//! JSON for scripts: the `--format json` document of `pialog run`/`check`
//! and `pialog export --format json`.
//!
//! Numbers stay JSON numbers and symbols strings, so a consumer never has to
//! guess a cell's type; the shape is the one fixed in the team contract:
//! `{"answers":[{"query","columns","rows"}],"assertions":[{"assertion",
//! "passed","detail","rows"}]}`, with `"printed"` beside them only when the
//! program itself printed something (see [`printed`]).

use super::result::Printed;
use crate::engine::table::{Table, Value};
use serde_json::{Value as Json, json};

/// One cell as JSON.
pub fn value(v: &Value) -> Json {
    match v {
        Value::Symbol(s) => Json::String(s.clone()),
        Value::Number(n) => json!(n),
        Value::Unsigned(n) => json!(n),
        Value::Float(x) => serde_json::Number::from_f64(*x)
            .map(Json::Number)
            .unwrap_or(Json::Null),
    }
}

/// The rows of a table as arrays of cells.
pub fn rows(table: &Table) -> Json {
    Json::Array(
        table
            .rows
            .iter()
            .map(|r| Json::Array(r.iter().map(value).collect()))
            .collect(),
    )
}

/// A relation or answer as `{"name","columns","rows"}` (`pialog export
/// --format json`).
pub fn table(table: &Table) -> Json {
    json!({
        "name": table.name,
        "columns": table.columns,
        "rows": rows(table),
    })
}

/// One answered query of a script.
pub fn answer(query: &str, table: &Table) -> Json {
    json!({"query": query, "columns": table.columns, "rows": rows(table)})
}

/// One assertion result of a script; `offending` holds the rows that made
/// it fail (empty when it passed).
pub fn assertion(text: &str, passed: bool, detail: &str, offending: &Table) -> Json {
    json!({"assertion": text, "passed": passed, "detail": detail, "rows": rows(offending)})
}

/// What the program itself printed (`.printsize` lines, relations sent to
/// stdout), as objects: `{"printsize","rows"}` for a size and
/// `{"relation","columns","rows"}` for a relation, its cells as Soufflé
/// writes them (text; `columns` is null without `headers=true`). In the
/// document rather than before it, so that stdout stays one JSON document.
pub fn printed(items: &[Printed]) -> Vec<Json> {
    items
        .iter()
        .map(|p| match p {
            Printed::Size { relation, rows } => json!({"printsize": relation, "rows": rows}),
            Printed::Relation { name, header, body } => {
                let rows: Vec<Vec<&str>> = body
                    .lines()
                    .map(|l| match l {
                        // A nullary relation that holds prints `()`.
                        "()" => Vec::new(),
                        l => l.split('\t').collect(),
                    })
                    .collect();
                json!({"relation": name, "columns": header, "rows": rows})
            }
        })
        .collect()
}

/// The whole document from already-built answer, assertion and printed
/// objects; `printed` appears only when there is some.
pub fn document(answers: Vec<Json>, assertions: Vec<Json>, printed: Vec<Json>) -> Json {
    let mut doc = json!({"answers": answers, "assertions": assertions});
    if !printed.is_empty() {
        doc["printed"] = Json::Array(printed);
    }
    doc
}

/// Pretty-printed text with a final newline.
pub fn to_text(doc: &Json) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_else(|_| "null".to_string());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture;

    #[test]
    fn keeps_types_and_contract_shape() {
        let t = fixture::table(
            &["s", "n"],
            vec![vec![fixture::sym("焼津"), Value::Number(-2)]],
        );
        let doc = document(
            vec![answer("?- r(s, n).", &t)],
            vec![assertion(".assert empty r(_, _)", false, "1 row", &t)],
            Vec::new(),
        );
        assert_eq!(doc["answers"][0]["rows"][0][1], json!(-2));
        assert_eq!(doc["answers"][0]["columns"][0], json!("s"));
        assert_eq!(doc["assertions"][0]["passed"], json!(false));
        assert_eq!(doc["assertions"][0]["rows"][0][0], json!("焼津"));
    }
}
