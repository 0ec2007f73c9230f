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
use std::path::Path;
use std::time::{Duration, Instant};

/// The relations of `facts/schema.dl`, in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(usize)]
pub enum Rel {
    /// `assessment(a, org, number, title, kind)`
    Assessment,
    /// `published(a, date)`
    Published,
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
}

impl Rel {
    /// Every relation, in schema order (index = discriminant).
    pub const ALL: [Rel; 24] = [
        Rel::Assessment,
        Rel::Published,
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
    ];

    /// The relation's name in `facts/schema.dl`.
    pub fn name(self) -> &'static str {
        match self {
            Rel::Assessment => "assessment",
            Rel::Published => "published",
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
        }
    }

    /// Number of columns.
    pub fn arity(self) -> usize {
        match self {
            Rel::Published | Rel::Affair | Rel::System | Rel::File => 2,
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
            | Rel::Choice => 4,
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
    pub rows: [u64; 24],
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
    rows: [u64; 24],
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
        rows: [0; 24],
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
/// [`Format::Facts`], `dl/<id>.dl` for [`Format::Dl`].
pub fn generate(opts: &GenOptions, dir: &Path) -> io::Result<GenStats> {
    std::fs::create_dir_all(dir)?;
    let dl_dir = dir.join("dl");
    match opts.format {
        Format::Facts => generate_into(opts, &mut sink::TsvSink::create(dir)?),
        Format::Dl => {
            std::fs::create_dir_all(&dl_dir)?;
            generate_into(opts, &mut sink::DlSink::new(&dl_dir))
        }
        Format::Both => {
            std::fs::create_dir_all(&dl_dir)?;
            let mut tee = sink::Tee(sink::TsvSink::create(dir)?, sink::DlSink::new(&dl_dir));
            generate_into(opts, &mut tee)
        }
    }
}
