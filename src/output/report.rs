//! The HTML report (`pialog report`): one self-contained page to hand to
//! the people who decide. Styles, the filter script and every picture (SVG)
//! are inline and nothing is fetched, so the file opens the same from a
//! mail attachment, a USB stick or an intranet share with no network.
//!
//! The page: an overview table of the assessments (linked to their
//! sections), the coverage heat map, then per assessment its flow graph,
//! weak risks, coverage gaps, changes and unread parts. Every finding
//! carries its measure texts and the document line it was read from,
//! linked to the fact file line behind it. A filter box hides what does
//! not contain the typed text.

use super::xml::esc;
use std::fmt::Write as _;

/// The figures of one assessment (`kb::overview` reads them off the
/// standard relations): the overview row and the head of its section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overview {
    /// Its id (`焼津市長/26`).
    pub id: String,
    /// The public body that assessed (`焼津市長`).
    pub body: String,
    /// The affair or title.
    pub title: String,
    /// The form version, when the import saw it.
    pub form: String,
    /// Publication date, when known.
    pub date: String,
    /// Risks rated.
    pub risks: usize,
    /// Risks rated weakly (`weak_risk`).
    pub weak: usize,
    /// Measure classes other bodies state for a risk and this one lacks
    /// (`risk_lacks`).
    pub gaps: usize,
    /// Parts of the document the importer could not read (`unread`).
    pub unread: usize,
}

/// Where a finding was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// What is shown: the document and line (`yaizu.txt:228`), or the fact
    /// file line when the fact names no document.
    pub label: String,
    /// The fact file line (`facts/焼津市長-26.dl:12`), shown on hover.
    pub fact: String,
    /// Link to the fact file, relative to the report when it can be.
    pub href: String,
}

/// One thing worth a reader's attention.
#[derive(Clone, Debug, Default)]
pub struct Finding {
    /// One line saying what it is.
    pub title: String,
    /// Supporting texts: the measures stated, before and after, …
    pub details: Vec<String>,
    /// Where it was read.
    pub source: Option<Source>,
}

/// One assessment's section.
#[derive(Clone, Debug, Default)]
pub struct Section {
    /// Its figures (also the overview row).
    pub overview: Overview,
    /// Its flow graph, as inline SVG.
    pub flow_svg: Option<String>,
    /// Risks rated weakly, with their measures.
    pub weak: Vec<Finding>,
    /// Measure classes peers state for a risk and this one lacks.
    pub gaps: Vec<Finding>,
    /// Entries of its change list.
    pub changes: Vec<Finding>,
    /// Parts of the document the importer could not read.
    pub unread: Vec<Finding>,
}

/// The whole page.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The page title.
    pub title: String,
    /// The coverage heat map, as inline SVG.
    pub heat_map: Option<String>,
    /// What the loaded programs report themselves (their own output,
    /// answers of their queries, verdicts of their assertions), as
    /// [`super::reporter`] draws it for `pialog run`; empty when they ask
    /// nothing.
    pub script: String,
    /// One section per assessment.
    pub sections: Vec<Section>,
}

/// Supporting texts shown open; more fold into a `<details>`.
const FOLD_AFTER: usize = 3;

const STYLE: &str = r#"
body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif;margin:0;color:#222;background:#fafafa}
header{position:sticky;top:0;background:#1f3a5f;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center;z-index:2}
header h1{font-size:18px;margin:0;flex:1}
header input{font-size:14px;padding:4px 8px;width:320px}
main{padding:0 24px 48px;max-width:1400px}
h2{border-bottom:2px solid #1f3a5f;padding-bottom:4px;margin-top:36px}
h3{margin:20px 0 6px;font-size:15px}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#e8eef5}
td.n{text-align:right}
.figure{overflow-x:auto;background:#fff;border:1px solid #ddd;padding:8px}
.finding{background:#fff;border:1px solid #ddd;border-left:4px solid #999;margin:6px 0;padding:6px 10px}
.weak .finding{border-left-color:#d62728}
.gaps .finding{border-left-color:#ff7f0e}
.changes .finding{border-left-color:#1f77b4}
.finding .title{font-weight:bold}
.finding summary{font-size:13px;color:#1f3a5f;cursor:pointer}
.finding ul{margin:4px 0 0 0;padding-left:20px;font-size:13px;color:#444}
.src{font-size:12px;color:#1f3a5f;margin-left:8px}
.none{color:#888;font-style:italic}
.hidden{display:none}
"#;

const SCRIPT: &str = r#"
(function(){
  var box=document.getElementById('filter');
  box.addEventListener('input',function(){
    var q=box.value.trim().toLowerCase();
    document.querySelectorAll('.finding, #overview tbody tr').forEach(function(el){
      el.classList.toggle('hidden', q!=='' && el.textContent.toLowerCase().indexOf(q)<0);
    });
  });
})();
"#;

fn finding_html(f: &Finding, out: &mut String) {
    out.push_str("<div class=\"finding\"><span class=\"title\">");
    out.push_str(&esc(&f.title));
    out.push_str("</span>");
    if let Some(s) = &f.source {
        let _ = write!(
            out,
            "<a class=\"src\" href=\"{}\" title=\"{}\">{}</a>",
            esc(&s.href),
            esc(&s.fact),
            esc(&s.label)
        );
    }
    if !f.details.is_empty() {
        // A long list of measures folds away; the filter still reads it.
        let fold = f.details.len() > FOLD_AFTER;
        if fold {
            let _ = write!(
                out,
                "<details><summary>{} 件 (items)</summary>",
                f.details.len()
            );
        }
        out.push_str("<ul>");
        for d in &f.details {
            let _ = write!(out, "<li>{}</li>", esc(d));
        }
        out.push_str("</ul>");
        if fold {
            out.push_str("</details>");
        }
    }
    out.push_str("</div>\n");
}

fn findings_html(class: &str, heading: &str, items: &[Finding], out: &mut String) {
    let _ = writeln!(
        out,
        "<section class=\"{class}\"><h3>{} ({})</h3>",
        esc(heading),
        items.len()
    );
    if items.is_empty() {
        out.push_str("<p class=\"none\">なし (none)</p>\n");
    }
    for f in items {
        finding_html(f, out);
    }
    out.push_str("</section>\n");
}

/// The anchor of the `i`th section.
fn anchor(i: usize) -> String {
    format!("a{}", i + 1)
}

/// A picture placed inline: without the XML namespace attribute (HTML
/// knows `<svg>`), so the page holds no URL at all.
fn inline_svg(svg: &str) -> String {
    svg.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
}

/// The page.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&report.title)
    );
    let _ = writeln!(
        out,
        "<header><h1>{}</h1><label>絞り込み (filter) <input id=\"filter\" type=\"search\" placeholder=\"例: 暗号, 委託, 焼津\"></label></header>\n<main>",
        esc(&report.title)
    );
    out.push_str("<h2>評価書の一覧 (assessments)</h2>\n<table id=\"overview\"><thead><tr><th>評価書</th><th>評価実施機関</th><th>事務</th><th>様式</th><th>公表日</th><th>リスク</th><th>課題が残る</th><th>不足</th><th>未読部分</th></tr></thead><tbody>\n");
    for (i, s) in report.sections.iter().enumerate() {
        let o = &s.overview;
        let dash = |t: &str| {
            if t.is_empty() {
                "-".to_string()
            } else {
                esc(t)
            }
        };
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            anchor(i),
            esc(&o.id),
            esc(&o.body),
            esc(&o.title),
            dash(&o.form),
            dash(&o.date),
            o.risks,
            o.weak,
            o.gaps,
            o.unread
        );
    }
    out.push_str("</tbody></table>\n");
    if !report.script.is_empty() {
        let _ = writeln!(
            out,
            "<h2>読み込んだプログラムの結果 (what the loaded programs report)</h2>\n<pre class=\"finding\">\n{}</pre>",
            esc(&report.script)
        );
    }
    if let Some(svg) = &report.heat_map {
        out.push_str("<h2>対策の網羅状況 (coverage heat map)</h2>\n<div class=\"figure\">");
        out.push_str(&inline_svg(svg));
        out.push_str("</div>\n");
    }
    for (i, s) in report.sections.iter().enumerate() {
        let o = &s.overview;
        let _ = writeln!(
            out,
            "<article id=\"{}\"><h2>{} — {}</h2>",
            anchor(i),
            esc(&o.id),
            esc(&o.title)
        );
        if let Some(svg) = &s.flow_svg {
            out.push_str("<h3>特定個人情報の流れ (flows)</h3>\n<div class=\"figure\">");
            out.push_str(&inline_svg(svg));
            out.push_str("</div>\n");
        }
        findings_html(
            "weak",
            "課題が残されているリスク (weak risks)",
            &s.weak,
            &mut out,
        );
        findings_html(
            "gaps",
            "他団体にある措置の不足 (coverage gaps)",
            &s.gaps,
            &mut out,
        );
        findings_html("changes", "変更箇所 (changes)", &s.changes, &mut out);
        if !s.unread.is_empty() {
            findings_html(
                "unread",
                "読み取れなかった部分 (unread)",
                &s.unread,
                &mut out,
            );
        }
        out.push_str("</article>\n");
    }
    let _ = write!(
        out,
        "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_anchors_sources_and_no_url() {
        let report = Report {
            title: "評価書 <3>".into(),
            heat_map: Some("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>".into()),
            script: "ok s.dl:1: .assert count r(_) < 3\n".into(),
            sections: vec![Section {
                overview: Overview {
                    id: "x/1".into(),
                    risks: 2,
                    ..Overview::default()
                },
                flow_svg: Some("<svg><text>流れ</text></svg>".into()),
                weak: vec![Finding {
                    title: "use/1 — 目的外".into(),
                    details: vec!["アクセス制御".into()],
                    source: Some(Source {
                        label: "x.txt:12".into(),
                        fact: "facts/x.dl:3".into(),
                        href: "facts/x.dl".into(),
                    }),
                }],
                ..Section::default()
            }],
        };
        let html = render(&report);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>評価書 &lt;3&gt;</title>"));
        assert!(html.contains("<a href=\"#a1\">x/1</a>"));
        assert!(html.contains("<article id=\"a1\">"));
        assert!(
            html.contains(
                "<a class=\"src\" href=\"facts/x.dl\" title=\"facts/x.dl:3\">x.txt:12</a>"
            )
        );
        assert!(html.contains("<li>アクセス制御</li>"));
        assert!(
            html.contains("<svg><rect/></svg>"),
            "inline, namespace dropped"
        );
        assert!(!html.contains("http"), "no URL at all");
        assert!(html.contains("id=\"filter\""));
        assert!(
            html.contains("<pre class=\"finding\">\nok s.dl:1: .assert count r(_) &lt; 3\n</pre>"),
            "the loaded programs' own report, escaped"
        );
    }
}
