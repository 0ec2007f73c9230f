//! The Datalog engine: interning, stratification, planning and datafrog
//! evaluation, with Soufflé's semantics.
//!
//! # Values and tuples
//!
//! Every value is one 32-bit word, as in Soufflé's default build: a symbol
//! is its id in the session's [`intern::Interner`], `number` is `i32`,
//! `unsigned` is `u32`, `float` is `f32` bits ([`value`]). A tuple is a
//! `[u32; W]` array, `W` the widest relation of the program rounded up to
//! one of a few widths (the evaluator is instantiated per width by
//! [`with_width!`](crate::with_width)), so tuples are plain values: nothing in a join loop
//! allocates ([`width`]). Between evaluations relations are kept as flat
//! row-major word vectors ([`rows::Rows`]); rows are decoded into [`table::Table`]s only
//! when they leave the engine, and sorted for output by value (symbols by
//! string, numbers numerically) through precomputed sort keys.
//!
//! # The passes
//!
//! 1. **Lowering** ([`ir`]): each DNF alternative of a rule, for each head,
//!    becomes a [`ir::Clause`] over registers with typed expressions
//!    (the types the checker fixed, read from its
//!    [`CheckedProgram`](crate::lang::checked::CheckedProgram));
//!    aggregates are lifted into literals that bind a register, with their
//!    own variable scope (variables shared with the outside are injected).
//!    `eqrel` relations get their symmetric/transitive/reflexive rules here
//!    ([`compile`]).
//! 2. **Stratification** ([`stratify`]): the predicate graph's strongly
//!    connected components (petgraph) in topological order are the strata.
//!    Negation or aggregation inside a component is `unstratifiable`; the
//!    error names the component's relations and points at the literal.
//! 3. **Planning** ([`plan`]): each clause becomes a pipeline of operations.
//!    Greedy and deterministic: bound filters first (comparisons,
//!    `contains`, `match`, negations as antijoins), then bindings `x = e`
//!    and aggregates whose inputs are bound, then the positive atom with the
//!    most bound columns. An atom is read through an *index*: the relation
//!    sorted with its key columns first, so a join is a binary search for
//!    the key prefix plus a walk over the matching run (a keyed join in
//!    datafrog's sense — what `join_into` and `extend_with` do — but over
//!    any number of columns). A negated atom is an antijoin against the
//!    completed lower-stratum relation (datafrog's `filter_anti`: the key
//!    prefix must be absent).
//!    In a recursive stratum every clause is planned once per body atom of
//!    its own stratum: that atom reads the last round's delta (`Recent`),
//!    atoms of the stratum before it read everything (`Full`), atoms after
//!    it read what was known before the round (`Stable`) — the standard
//!    semi-naive expansion, so each derivation is found once per round.
//!    The delta atom leads the pipeline when its arguments allow.
//! 4. **Evaluation** ([`strata`]): strata in order. A non-recursive stratum
//!    runs its plans once over completed relations. A recursive stratum is
//!    a datafrog `Iteration`: each relation is a `Variable` per column order
//!    its plans look it up by, all fed the same tuples, so every index has
//!    the same stable/recent split; `Iteration::changed` merges, dedups and
//!    promotes each round's output to the next delta until nothing is new.
//!    Rule output is radix-sorted before datafrog sees it. A plan whose
//!    first step scans a large relation or delta is split across the cores
//!    (workers read the symbol table; a plan that needs a new symbol is
//!    rerun sequentially). Relations enter tuple form only when a plan
//!    reads them and return to compact rows after the last stratum that
//!    reads them, which bounds memory on large fact sets. Aggregates are
//!    computed in the pipeline over completed lower strata, per binding of
//!    their injected variables (Soufflé's semantics: `count`/`sum` of an
//!    empty body are 0; `min`/`max`/`mean` of an empty body give no tuple).
//!
//! # Evaluation, one concept per file
//!
//! - [`rows`]: a relation's rows between evaluations (flat words, sorted
//!   and distinct) and their conversion to and from tuples; [`width`]: the
//!   tuple widths the evaluator is instantiated for.
//! - `sort.rs`: the one sort of the engine — radix, two halves merged, or
//!   in place on every core; fact files run by run.
//! - `index.rs`: completed relations and one sorted copy per column order
//!   a plan reads them by, with the prefix searches joins run.
//! - `exec.rs`: the pipeline interpreter over registers; `aggregate.rs`:
//!   aggregates computed in the pipeline.
//! - `parallel.rs`: a plan's leading scan split across the cores.
//! - [`strata`]: the driver — strata in order, datafrog iterations for the
//!   recursive ones, relations retired or freed once unread; queries.
//!
//! Scalar semantics (wrapping arithmetic, byte-based strings, whole-string
//! regex `match`, division by zero yielding no tuple) are in [`functors`];
//! Soufflé's file formats in [`io`] (facts are read in blocks, parsed in
//! parallel chunks with chunk-local symbol tables). `PIALOG_TRACE=1`
//! prints each stratum's time and the peak memory so far to stderr.

mod aggregate;
pub mod choice;
pub mod compile;
pub mod cores;
mod exec;
pub mod functors;
pub mod independent;
mod index;
pub mod intern;
pub mod io;
pub mod ir;
pub mod magic;
pub mod memo;
mod parallel;
pub mod plan;
pub mod record;
pub mod record_terms;
pub mod rows;
mod sort;
pub mod strata;
pub mod stratify;
pub mod subsume;
pub mod table;
pub mod value;
pub mod width;

pub use exec::Interrupted;
