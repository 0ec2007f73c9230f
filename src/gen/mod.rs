//! The synthetic national corpus behind `pialog gen` and `pialog bench`.
//!
//! Real assessments are a few thousand documents per year; the national
//! knowledge base the engine must carry is tens of millions of facts. This
//! module writes a seeded, deterministic stand-in in the exact shape of
//! `facts/schema.dl` (every relation, every column), with the statistical
//! features the coverage rules care about: vendors shared between bodies,
//! system chains that reach the information network, risks left unrated or
//! rated 課題が残されている, and measure text with and without the class
//! keywords. Assessment `i` depends only on `(seed, i)`, so a small corpus is
//! a prefix of a larger one.

pub mod corpus;
pub mod graph;
pub mod rng;
pub mod sink;
pub mod vocab;

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The relations of `facts/schema.dl`, in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(usize)]
pub enum Rel {
    /// `assessment(a, org, number, title, kind)`
    Assessment,
    /// `published(a, date)`
    Published,
    /// `form(a, version)`
    Form,
    /// `affair(a, name)`
    Affair,
    /// `system(a, sys)`
    System,
    /// `system_function(a, sys, text)`
    SystemFunction,
    /// `connects(a, sys, other)`
    Connects,
    /// `file(a, f)`
    File,
    /// `record_item(a, f, item)`
    RecordItem,
    /// `source(a, f, kind, detail)`
    Source,
    /// `acquired_via(a, f, method, detail)`
    AcquiredVia,
    /// `entrustment(a, f, n, task)`
    Entrustment,
    /// `entrusted_to(a, n, vendor)`
    EntrustedTo,
    /// `entrust_via(a, n, method, detail)`
    EntrustVia,
    /// `reentrust(a, n, yesno)`
    Reentrust,
    /// `provision(a, f, n, recipient)`
    Provision,
    /// `provision_via(a, n, method, detail)`
    ProvisionVia,
    /// `transfer(a, f, n, recipient)`
    Transfer,
    /// `transfer_via(a, n, method, detail)`
    TransferVia,
    /// `stored(a, f, text)`
    Stored,
    /// `risk(a, r, phase, title)`
    Risk,
    /// `adequacy(a, r, rating)`
    Adequacy,
    /// `measure(a, r, m, text)`
    Measure,
    /// `choice(a, scope, item, value)`
    Choice,
    /// `change(a, k, date, item, before, after, timing)`
    Change,
    /// `unread(a, section, line, reason)`
    Unread,
}

impl Rel {
    /// Every relation, in schema order (index = discriminant).
    pub const ALL: [Rel; 26] = [
        Rel::Assessment,
        Rel::Published,
        Rel::Form,
        Rel::Affair,
        Rel::System,
        Rel::SystemFunction,
        Rel::Connects,
        Rel::File,
        Rel::RecordItem,
        Rel::Source,
        Rel::AcquiredVia,
        Rel::Entrustment,
        Rel::EntrustedTo,
        Rel::EntrustVia,
        Rel::Reentrust,
        Rel::Provision,
        Rel::ProvisionVia,
        Rel::Transfer,
        Rel::TransferVia,
        Rel::Stored,
        Rel::Risk,
        Rel::Adequacy,
        Rel::Measure,
        Rel::Choice,
        Rel::Change,
        Rel::Unread,
    ];

    /// The relation's name in `facts/schema.dl`.
    pub fn name(self) -> &'static str {
        match self {
            Rel::Assessment => "assessment",
            Rel::Published => "published",
            Rel::Form => "form",
            Rel::Affair => "affair",
            Rel::System => "system",
            Rel::SystemFunction => "system_function",
            Rel::Connects => "connects",
            Rel::File => "file",
            Rel::RecordItem => "record_item",
            Rel::Source => "source",
            Rel::AcquiredVia => "acquired_via",
            Rel::Entrustment => "entrustment",
            Rel::EntrustedTo => "entrusted_to",
            Rel::EntrustVia => "entrust_via",
            Rel::Reentrust => "reentrust",
            Rel::Provision => "provision",
            Rel::ProvisionVia => "provision_via",
            Rel::Transfer => "transfer",
            Rel::TransferVia => "transfer_via",
            Rel::Stored => "stored",
            Rel::Risk => "risk",
            Rel::Adequacy => "adequacy",
            Rel::Measure => "measure",
            Rel::Choice => "choice",
            Rel::Change => "change",
            Rel::Unread => "unread",
        }
    }

    /// Number of columns.
    pub fn arity(self) -> usize {
        match self {
            Rel::Published | Rel::Form | Rel::Affair | Rel::System | Rel::File => 2,
            Rel::SystemFunction
            | Rel::Connects
            | Rel::RecordItem
            | Rel::EntrustedTo
            | Rel::Reentrust
            | Rel::Stored
            | Rel::Adequacy => 3,
            Rel::Source
            | Rel::AcquiredVia
            | Rel::Entrustment
            | Rel::EntrustVia
            | Rel::Provision
            | Rel::ProvisionVia
            | Rel::Transfer
            | Rel::TransferVia
            | Rel::Risk
            | Rel::Measure
            | Rel::Choice
            | Rel::Unread => 4,
            Rel::Assessment => 5,
            Rel::Change => 7,
        }
    }
}

/// Which files `pialog gen` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `<rel>.facts` TSV files for `.input`.
    Facts,
    /// One pialog fact file per assessment under `dl/`.
    Dl,
    /// Both.
    Both,
}

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct GenOptions {
    /// Number of assessments.
    pub assessments: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// Output files.
    pub format: Format,
}

/// The default seed, so that `pialog gen` without `--seed` is reproducible.
pub const DEFAULT_SEED: u64 = 20_260_401;

/// What a generation run wrote.
#[derive(Clone, Debug, Default)]
pub struct GenStats {
    /// Rows per relation, indexed like [`Rel::ALL`].
    pub rows: [u64; 26],
    /// Wall time.
    pub elapsed: Duration,
}

impl GenStats {
    /// Total number of facts.
    pub fn total(&self) -> u64 {
        self.rows.iter().sum()
    }
}

/// Counts rows on their way to another sink.
struct Counting<'s, S: sink::Sink> {
    inner: &'s mut S,
    rows: [u64; 26],
}

impl<S: sink::Sink> sink::Sink for Counting<'_, S> {
    fn row(&mut self, rel: Rel, fields: &[sink::Field<'_>]) -> io::Result<()> {
        self.rows[rel as usize] += 1;
        self.inner.row(rel, fields)
    }
    fn end_assessment(&mut self, id: &str) -> io::Result<()> {
        self.inner.end_assessment(id)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.inner.finish()
    }
}

/// Runs the generator into any sink (used by tests and by [`generate`]).
pub fn generate_into<S: sink::Sink>(opts: &GenOptions, out: &mut S) -> io::Result<GenStats> {
    let start = Instant::now();
    let mut counting = Counting {
        inner: out,
        rows: [0; 26],
    };
    let mut g = corpus::Generator::new(opts.seed);
    for i in 0..opts.assessments {
        g.assessment(i as u64, &mut counting)?;
    }
    sink::Sink::finish(&mut counting)?;
    Ok(GenStats {
        rows: counting.rows,
        elapsed: start.elapsed(),
    })
}

/// Writes the corpus into `dir` (created if missing): `<rel>.facts` for
/// [`Format::Facts`], `dl/<id>.dl` for [`Format::Dl`]. Everything is
/// written into a temporary folder inside `dir` and moved into place only
/// when all of it succeeded, so that a failure leaves no partial corpus
/// (and removes `dir` again if this call created it). The error names the
/// file that could not be written.
pub fn generate(opts: &GenOptions, dir: &Path) -> Result<GenStats, String> {
    if dir.exists() && !dir.is_dir() {
        return Err(format!(
            "cannot write the corpus to `{}`: it is a file, not a folder",
            dir.display()
        ));
    }
    let created = !dir.exists();
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the folder `{}`: {e}", dir.display()))?;
    let result = stage_and_move(opts, dir);
    if result.is_err() && created {
        let _ = std::fs::remove_dir(dir);
    }
    result
}

/// The body of [`generate`] once `dir` exists.
fn stage_and_move(opts: &GenOptions, dir: &Path) -> Result<GenStats, String> {
    let tsv = matches!(opts.format, Format::Facts | Format::Both);
    let dl = matches!(opts.format, Format::Dl | Format::Both);
    let dl_dir = dir.join("dl");
    let tsv_targets: Vec<PathBuf> = if tsv {
        Rel::ALL
            .iter()
            .map(|r| dir.join(format!("{}.facts", r.name())))
            .collect()
    } else {
        Vec::new()
    };
    for target in &tsv_targets {
        crate::output::csv::check_target(target).map_err(|d| d.message)?;
    }
    if dl && dl_dir.exists() && !dl_dir.is_dir() {
        return Err(format!(
            "cannot write `{}`: it is a file, not a folder",
            dl_dir.display()
        ));
    }
    let tmp = tempfile::Builder::new()
        .prefix(".pialog-gen-")
        .tempdir_in(dir)
        .map_err(|e| format!("cannot write into `{}`: {e}", dir.display()))?;
    let staged = tmp.path();
    let written = |e: io::Error| format!("cannot write the corpus into `{}`: {e}", dir.display());
    let stats = match opts.format {
        Format::Facts => generate_into(opts, &mut sink::TsvSink::create(staged).map_err(written)?),
        Format::Dl => {
            std::fs::create_dir(staged.join("dl")).map_err(written)?;
            generate_into(opts, &mut sink::DlSink::new(&staged.join("dl")))
        }
        Format::Both => {
            std::fs::create_dir(staged.join("dl")).map_err(written)?;
            let mut tee = sink::Tee(
                sink::TsvSink::create(staged).map_err(written)?,
                sink::DlSink::new(&staged.join("dl")),
            );
            generate_into(opts, &mut tee)
        }
    }
    .map_err(written)?;
    // Every target is checked before the first file is moved.
    let mut moves: Vec<(PathBuf, PathBuf)> = tsv_targets
        .iter()
        .filter_map(|t| Some((staged.join(t.file_name()?), t.clone())))
        .collect();
    if dl {
        let entries = std::fs::read_dir(staged.join("dl")).map_err(written)?;
        for entry in entries {
            let name = entry.map_err(written)?.file_name();
            let target = dl_dir.join(&name);
            if target.is_dir() {
                return Err(format!(
                    "cannot write `{}`: it is a folder",
                    target.display()
                ));
            }
            moves.push((staged.join("dl").join(&name), target));
        }
        std::fs::create_dir_all(&dl_dir)
            .map_err(|e| format!("cannot create the folder `{}`: {e}", dl_dir.display()))?;
    }
    for (from, to) in &moves {
        std::fs::rename(from, to).map_err(|e| format!("cannot write `{}`: {e}", to.display()))?;
    }
    Ok(stats)
}
