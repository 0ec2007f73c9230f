//! Fuzzing the parser, the checker, the engine and the importer with
//! proptest: whatever the text, loading and evaluating it gives rows or
//! diagnostics, never a panic, and a diagnostic renders.
//!
//! CI runs a few dozen cases per target; a long run sets
//! `PIALOG_FUZZ_CASES` (e.g. 100000) and is worth doing after any change to
//! the grammar, the checker or the importer:
//! `PIALOG_FUZZ_CASES=100000 cargo test --release --test failsafe_fuzz`.

use pialog::limits::{CountingAllocator, Limits, arm};
use pialog::session::Session;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;

/// Memory limits bound what a fuzzed program may build.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn cases() -> u32 {
    std::env::var("PIALOG_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Pieces programs are made of, so that random sequences are often close
/// to valid programs and reach the checker and the engine, plus noise.
const PIECES: &[&str] = &[
    ".decl e(x: number, y: number)\n",
    ".decl s(x: symbol)\n",
    ".decl p(x: number)\n",
    ".decl q(x: symbol, n: number)\n",
    ".type T <: symbol\n",
    "e(1, 2).\n",
    "e(2, 3).\n",
    "s(\"a\").\n",
    "s(\"焼津\").\n",
    "p(x) :- e(x, _).\n",
    "p(y) :- p(x), e(x, y).\n",
    "p(x + 1) :- p(x), x < 5.\n",
    "q(x, n) :- s(x), n = count : { s(_) }.\n",
    "q(cat(x, x), strlen(x)) :- s(x), strlen(x) < 8.\n",
    "s(x) :- q(x, _), !p(1).\n",
    "s(x) :- s(x), match(\"a.*\", x).\n",
    "s(x) :- s(x), match(\"[\", x).\n",
    "s(substr(x, 1, 9)) :- s(x).\n",
    "p(to_number(x)) :- s(x).\n",
    "?- p(x).\n",
    "?- q(x, n), n > 0.\n",
    ".assert empty p(_)\n",
    ".assert count s(_) >= 1\n",
    ".output p\n",
    ".printsize s\n",
    "p(x) :- e(x, y) ; e(y, x).\n",
    "p(x) :- p(x), p(x), p(x), p(x).\n",
    "e(x, y) :- e(y, x).\n",
    "p(min x : { e(x, _) }).\n",
    "p(x / 0) :- p(x).\n",
    "p(x ^ 40) :- p(x).\n",
    "/* comment */\n",
    "// line comment\n",
    "(",
    ")",
    "{",
    "}",
    ":-",
    ",",
    ".",
    "\"",
    "!",
    "_",
    "=",
    "<",
    "x",
    "1",
    "\n",
    " ",
    "\u{3000}",
    "＝",
    "\u{0}",
    "\u{feff}",
    "é",
    "𝓍",
];

fn program() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<String>(),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// Loads and evaluates the text in a fresh session bounded in time and
/// memory; only a panic fails.
fn load_and_run(text: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut session = Session::new()
        .with_fact_dir(dir.path().to_path_buf())
        .with_output_dir(dir.path().to_path_buf());
    let cancel = session.cancel_flag();
    let _armed = arm(
        Limits {
            timeout: Some(2.0),
            max_memory: Some(512),
        },
        &cancel,
        false,
    );
    match session.load_source("fuzz.dl", text) {
        Ok(_) => {
            if let Err(d) = session.evaluate() {
                assert!(d.render(session.sources()).contains("error"));
            }
        }
        Err(d) => {
            let shown = d.render(session.sources());
            assert!(shown.contains("error"), "{shown}");
        }
    }
}

#[test]
fn programs_never_panic() {
    runner()
        .run(&program(), |text| {
            load_and_run(&text);
            Ok(())
        })
        .expect("no fuzzed program panics");
}

/// Seed documents when `../shared` is there, else a small form of our own.
fn documents() -> Vec<Vec<u8>> {
    let seeds = Path::new("../shared/seeds");
    let mut docs: Vec<Vec<u8>> = std::fs::read_dir(seeds)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .filter_map(|p| std::fs::read(p).ok())
                .collect()
        })
        .unwrap_or_default();
    docs.push(
        "特定個人情報保護評価書（全項目評価書）\n評価書番号 1\n評価書名 住民基本台帳に関する事務\n\
         Ⅰ 基本情報\n１．特定個人情報ファイルを取り扱う事務\n①事務の名称 住民基本台帳に関する事務\n\
         ２．特定個人情報ファイルを取り扱う事務において使用するシステム\nシステム1\n①システムの名称 住基システム\n"
            .as_bytes()
            .to_vec(),
    );
    docs
}

/// A document mangled: lines dropped, repeated or swapped, bytes changed,
/// the text cut short.
fn mangled(docs: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let n = docs.len();
    (
        0..n,
        proptest::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 0..12),
        any::<Option<usize>>(),
    )
        .prop_map(move |(k, edits, cut)| {
            let mut lines: Vec<Vec<u8>> =
                docs[k].split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            for (kind, at, byte) in edits {
                if lines.is_empty() {
                    break;
                }
                let i = at % lines.len();
                match kind % 4 {
                    0 => {
                        lines.remove(i);
                    }
                    1 => {
                        let l = lines[i].clone();
                        lines.insert(i, l);
                    }
                    2 => {
                        let j = (i + 1) % lines.len();
                        lines.swap(i, j);
                    }
                    _ => {
                        let line = &mut lines[i];
                        if !line.is_empty() {
                            let j = at % line.len();
                            line[j] = byte;
                        }
                    }
                }
            }
            let mut bytes = lines.join(&b'\n');
            if let Some(c) = cut {
                bytes.truncate(c % (bytes.len() + 1));
            }
            bytes
        })
}

#[test]
fn documents_never_panic_the_importer() {
    let docs = documents();
    runner()
        .run(&mangled(docs), |bytes| {
            match pialog::import::import(
                Path::new("fuzz.txt"),
                &bytes,
                pialog::import::Given::default(),
            ) {
                Ok(imported) => {
                    // What was imported must load as a program.
                    let mut session = Session::new();
                    let _ = session.load_source("fuzz.dl", &imported.text);
                }
                Err(d) => {
                    assert!(d.render(&Default::default()).contains("error"));
                }
            }
            Ok(())
        })
        .expect("no mangled document panics the importer");
}
