//! `pialog graph [--assessment A] [--format dot|mermaid|svg] [--lacking
//! CLASS] [-o FILE] [FILES…]`: the file's flows as a picture.
//!
//! DOT, Mermaid and SVG are all written by pialog: the SVG is laid out in
//! layers (sources, file and systems, recipients) by `output::flow_svg`, so
//! no Graphviz is needed (`pialog graph | dot -Tsvg` still works for its
//! own layout).

use crate::diag::SourceMap;
use crate::kb::load::{KbArgs, open_evaluated};
use crate::kb::views::flow_graph;
use crate::output::csv::{check_target, write_atomically};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats of `graph`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Graphviz DOT text.
    Dot,
    /// Mermaid flowchart text.
    Mermaid,
    /// SVG laid out by pialog (no Graphviz needed).
    Svg,
}

/// Arguments of `pialog graph`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Program and fact files to load (default: facts/ and queries/std.dl).
    pub files: Vec<PathBuf>,
    /// Only this assessment (its id, e.g. `焼津市長/26`).
    #[arg(long, short)]
    pub assessment: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "dot")]
    pub format: Format,
    /// Draw flows lacking a measure of this class in red (e.g. encryption).
    #[arg(long, value_name = "CLASS")]
    pub lacking: Option<String>,
    /// Write here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Where the knowledge base is (`--root`).
    #[command(flatten)]
    pub kb: KbArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let fail = |e: String| {
        eprint!("{e}");
        super::exit(super::EXIT_BAD_INPUT)
    };
    // A mistyped path fails before the knowledge base is evaluated.
    if let Some(path) = &args.output
        && let Err(d) = check_target(path)
    {
        return fail(d.render(&SourceMap::new()));
    }
    let session = match open_evaluated(&args.files, &args.kb.root) {
        Ok(s) => s,
        Err(e) => return fail(e.to_string()),
    };
    let graph = match flow_graph(
        &session,
        args.assessment.as_deref(),
        args.lacking.as_deref(),
    ) {
        Ok(g) => g,
        Err(e) => return fail(e),
    };
    let bytes = match args.format {
        Format::Dot => graph.to_dot().into_bytes(),
        Format::Mermaid => graph.to_mermaid().into_bytes(),
        Format::Svg => {
            let lacking = args.lacking.as_deref();
            match args.assessment.as_deref() {
                Some(a) => crate::output::flow_svg::render(&graph, a, lacking)
                    .unwrap_or_else(|| crate::output::flow_svg::render_all(&graph, lacking)),
                None => crate::output::flow_svg::render_all(&graph, lacking),
            }
            .into_bytes()
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(d) = write_atomically(path, &bytes) {
                return fail(d.render(session.sources()));
            }
        }
        None => {
            let mut out = std::io::stdout().lock();
            if out.write_all(&bytes).and_then(|()| out.flush()).is_err() {
                return super::exit(super::EXIT_BAD_INPUT);
            }
        }
    }
    super::exit(super::EXIT_OK)
}
