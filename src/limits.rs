//! Bounds on a run: a memory budget (`--max-memory MB`) and a deadline
//! (`--timeout SECONDS`), and a clean end when memory runs out anyway.
//!
//! Why: a rule such as `n(x+1) :- n(x).` never stops, and a cross product
//! or a growing `cat` asks for more memory than any machine has; a CI job
//! must get an `error:` line and exit 2, not hang until the runner's own
//! time-out or die of SIGABRT with half its work on disk.
//!
//! How: [`CountingAllocator`] (the binary's global allocator) keeps the
//! bytes in use. Crossing the budget *trips* the limit: it sets the
//! armed evaluation's cancel flag, which the engine already checks at safe
//! points (every 64K tuples of a join, every round of a fixpoint), so the
//! statement stops and is rolled back like a Ctrl-C. A deadline trips the
//! same flag from a timer thread. Two hard stops remain for what no safe
//! point catches in time: an infallible request that would take the heap
//! past twice the budget, or one the system refuses (no budget, but
//! `ulimit -v` or a full machine), ends the process at once with an
//! `error:` line naming the stage, the temporary output files removed,
//! exit 2. Code that can do without a request asks through
//! [`try_reserve`], which gets a refusal instead.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Bytes the heap holds now.
static IN_USE: AtomicUsize = AtomicUsize::new(0);
/// The budget in bytes; 0 for none.
static BUDGET: AtomicUsize = AtomicUsize::new(0);
/// The deadline in milliseconds, for the message; 0 for none.
static TIMEOUT_MS: AtomicU64 = AtomicU64::new(0);
/// Which limit stopped the armed evaluation (see [`Tripped`]).
static TRIPPED: AtomicU8 = AtomicU8::new(0);
/// The cancel flag of the armed evaluation (null when none is armed).
static CANCEL: AtomicPtr<AtomicBool> = AtomicPtr::new(std::ptr::null_mut());
/// The cancel flag armed when a limit tripped (compared, never read).
static TRIPPED_FLAG: AtomicPtr<AtomicBool> = AtomicPtr::new(std::ptr::null_mut());
/// Set once the process is ending from out of memory.
static FATAL: AtomicBool = AtomicBool::new(false);
/// What is being evaluated, for the messages.
static STAGE: Mutex<String> = Mutex::new(String::new());

thread_local! {
    /// True while this thread asks through [`try_reserve`].
    static FALLIBLE: Cell<bool> = const { Cell::new(false) };
}

/// A global allocator that counts the heap's bytes against the budget.
/// The binary installs it (`#[global_allocator]`); without it, the limits
/// only bound time.
pub struct CountingAllocator;

impl CountingAllocator {
    /// Accounts `extra` more bytes and runs the allocation `f`.
    #[inline]
    fn grant(&self, extra: usize, f: impl FnOnce() -> *mut u8) -> *mut u8 {
        let now = IN_USE.fetch_add(extra, Ordering::Relaxed) + extra;
        let budget = BUDGET.load(Ordering::Relaxed);
        if budget != 0 && now > budget && !FATAL.load(Ordering::Relaxed) {
            if FALLIBLE.with(Cell::get) {
                IN_USE.fetch_sub(extra, Ordering::Relaxed);
                return std::ptr::null_mut();
            }
            trip(Tripped::Memory);
            if now > budget.saturating_mul(2) {
                out_of_memory(extra);
            }
        }
        let p = f();
        if p.is_null() {
            IN_USE.fetch_sub(extra, Ordering::Relaxed);
            if !FALLIBLE.with(Cell::get) && !FATAL.load(Ordering::Relaxed) {
                out_of_memory(extra);
            }
        }
        p
    }
}

// SAFETY: every call goes to `System` with the caller's layout; only the
// byte count around it is ours.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.grant(layout.size(), || unsafe { System.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.grant(layout.size(), || unsafe { System.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old {
            self.grant(new_size - old, || unsafe {
                System.realloc(ptr, layout, new_size)
            })
        } else {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                IN_USE.fetch_sub(old - new_size, Ordering::Relaxed);
            }
            p
        }
    }
}

/// Reserves room for `additional` more elements, accepting a refusal: with
/// a budget, a request that would cross it is refused rather than tripping
/// the limit; without one, the system's refusal comes back as an error.
/// For requests that are only an optimisation (a size guess) or that the
/// caller can report itself.
pub fn try_reserve<T>(
    v: &mut Vec<T>,
    additional: usize,
) -> Result<(), std::collections::TryReserveError> {
    FALLIBLE.with(|f| f.set(true));
    let r = v.try_reserve_exact(additional);
    FALLIBLE.with(|f| f.set(false));
    r
}

/// Which limit stopped an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tripped {
    /// The heap crossed `--max-memory`.
    Memory = 1,
    /// `--timeout` passed.
    Time = 2,
}

fn trip(why: Tripped) {
    if TRIPPED
        .compare_exchange(0, why as u8, Ordering::Relaxed, Ordering::Relaxed)
        .is_ok()
    {
        let flag = CANCEL.load(Ordering::Acquire);
        TRIPPED_FLAG.store(flag, Ordering::Relaxed);
        if !flag.is_null() {
            // SAFETY: the pointer comes from `Arc::into_raw` in `arm` and
            // is released only after it was taken out of `CANCEL`; the
            // session owning the flag holds another reference meanwhile.
            unsafe { (*flag).store(true, Ordering::Relaxed) };
        }
    }
}

/// The limit that stopped the evaluation with this cancel flag, if one
/// did (a Ctrl-C or a caller's cancel gives `None`).
pub fn tripped(cancel: &Arc<AtomicBool>) -> Option<Tripped> {
    if TRIPPED_FLAG.load(Ordering::Relaxed).cast_const() != Arc::as_ptr(cancel) {
        return None;
    }
    match TRIPPED.load(Ordering::Relaxed) {
        1 => Some(Tripped::Memory),
        2 => Some(Tripped::Time),
        _ => None,
    }
}

/// Names what is being evaluated (`stratum 3 [path]`), for the message of
/// a limit; the engine calls it at the start of each stratum.
pub fn set_stage(what: String) {
    if let Ok(mut s) = STAGE.lock() {
        *s = what;
    }
}

/// Bytes of heap in use now (0 without the counting allocator).
pub fn in_use() -> usize {
    IN_USE.load(Ordering::Relaxed)
}

/// The message for a tripped limit: what was exceeded, where, and the
/// flag that moves it.
pub fn message(why: Tripped) -> (String, String) {
    let stage = STAGE.lock().map(|s| s.clone()).unwrap_or_default();
    let at = if stage.is_empty() {
        String::new()
    } else {
        format!(" while evaluating {stage}")
    };
    match why {
        Tripped::Memory => (
            format!(
                "memory limit of {} MB exceeded{at}",
                BUDGET.load(Ordering::Relaxed) >> 20
            ),
            "the relation named grew past the budget; raise it with --max-memory MB (`:limit memory` in the REPL)".into(),
        ),
        Tripped::Time => (
            format!(
                "time limit of {} exceeded{at}",
                seconds(TIMEOUT_MS.load(Ordering::Relaxed))
            ),
            "a recursive rule may never stop (`n(x+1) :- n(x).`); raise the limit with --timeout SECONDS (`:limit time` in the REPL)".into(),
        ),
    }
}

fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.3} s", ms as f64 / 1000.0)
    }
}

/// The limits of one run, as the flags give them.
#[derive(clap::Args, Clone, Copy, Debug, Default, PartialEq)]
pub struct Limits {
    /// Stop with an error after this many seconds of evaluation.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub timeout: Option<f64>,
    /// Stop with an error when the heap grows past this many megabytes.
    #[arg(long = "max-memory", value_name = "MB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_memory: Option<u64>,
}

/// The REPL's `:limit [time SECONDS|off] [memory MB|off]`: changes the
/// limits named and returns the line showing all of them (`limits: time
/// 10 s, memory off`), or the usage as an error.
pub fn set_from_words(limits: &mut Limits, words: &str) -> Result<String, String> {
    let usage = || "error: usage: :limit [time SECONDS|off] [memory MB|off]\n".to_string();
    let mut next = *limits;
    let mut it = words.split_whitespace();
    while let Some(what) = it.next() {
        let value = it.next().ok_or_else(usage)?;
        match (what, value) {
            ("time", "off") => next.timeout = None,
            ("memory", "off") => next.max_memory = None,
            ("time", v) => next.timeout = Some(parse_seconds(v).map_err(|_| usage())?),
            ("memory", v) => match v.parse::<u64>() {
                Ok(mb) if mb > 0 => next.max_memory = Some(mb),
                _ => return Err(usage()),
            },
            _ => return Err(usage()),
        }
    }
    *limits = next;
    let time = limits
        .timeout
        .map_or("off".to_string(), |s| seconds((s * 1000.0).round() as u64));
    let memory = limits
        .max_memory
        .map_or("off".to_string(), |mb| format!("{mb} MB"));
    Ok(format!("limits: time {time}, memory {memory}\n"))
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s.is_finite() && s < 1e9 => Ok(s),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

/// Limits in force while it lives: [`arm`] them around an evaluation.
pub struct Armed {
    flag: *const AtomicBool,
    timer: Option<(std::sync::mpsc::Sender<()>, std::thread::JoinHandle<()>)>,
}

/// Puts `limits` in force for an evaluation that stops when `cancel` is
/// set. With `hard`, a deadline the evaluation does not notice within two
/// seconds (it is reading a file, not evaluating) ends the process with
/// the error; the REPL passes false to keep its session.
pub fn arm(limits: Limits, cancel: &Arc<AtomicBool>, hard: bool) -> Armed {
    TRIPPED.store(0, Ordering::Relaxed);
    TRIPPED_FLAG.store(std::ptr::null_mut(), Ordering::Relaxed);
    let budget = limits.max_memory.map_or(0, |mb| {
        usize::try_from(mb.saturating_mul(1 << 20)).unwrap_or(usize::MAX)
    });
    BUDGET.store(budget, Ordering::Relaxed);
    let flag = Arc::into_raw(cancel.clone());
    let old = CANCEL.swap(flag.cast_mut(), Ordering::AcqRel);
    release(old);
    let timer = limits.timeout.map(|secs| {
        let limit = Duration::from_secs_f64(secs);
        TIMEOUT_MS.store(limit.as_millis() as u64, Ordering::Relaxed);
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let handle = std::thread::spawn(move || {
            use std::sync::mpsc::RecvTimeoutError::Timeout;
            if rx.recv_timeout(limit) != Err(Timeout) {
                return;
            }
            trip(Tripped::Time);
            if hard && rx.recv_timeout(Duration::from_secs(2)) == Err(Timeout) {
                let (msg, note) = message(Tripped::Time);
                crate::output::transaction::remove_live_files(true);
                eprintln!("error: {msg}\n  = note: {note}");
                std::process::exit(2);
            }
        });
        (tx, handle)
    });
    if budget != 0 && in_use() > budget {
        trip(Tripped::Memory);
    }
    Armed { flag, timer }
}

fn release(p: *mut AtomicBool) {
    if !p.is_null() {
        // SAFETY: every non-null pointer in `CANCEL` came from
        // `Arc::into_raw` and is released once, after being swapped out.
        drop(unsafe { Arc::from_raw(p) });
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        if let Some((tx, handle)) = self.timer.take() {
            let _ = tx.send(());
            let _ = handle.join();
        }
        BUDGET.store(0, Ordering::Relaxed);
        let _ = CANCEL
            .compare_exchange(
                self.flag.cast_mut(),
                std::ptr::null_mut(),
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .map(release);
    }
}

/// Ends the process cleanly when memory is gone: a fixed-size message
/// (nothing here may allocate), the temporary outputs removed, exit 2.
#[cold]
fn out_of_memory(request: usize) -> ! {
    use std::io::Write;
    FATAL.store(true, Ordering::Relaxed);
    let mut buf = [0u8; 1024];
    let len = {
        let mut w: &mut [u8] = &mut buf;
        let budget = BUDGET.load(Ordering::Relaxed);
        let _ = if budget == 0 {
            write!(
                w,
                "error: out of memory (a request for {request} bytes failed)"
            )
        } else {
            write!(
                w,
                "error: memory limit of {} MB exceeded (a request for {request} bytes)",
                budget >> 20
            )
        };
        if let Ok(stage) = STAGE.try_lock()
            && !stage.is_empty()
        {
            let _ = write!(w, " while evaluating {}", stage.as_str());
        }
        let _ = if budget == 0 {
            writeln!(
                w,
                "\n  = note: bound the run with --max-memory MB to stop it in time"
            )
        } else {
            writeln!(
                w,
                "\n  = note: the relation named grew past the budget; raise it with --max-memory MB"
            )
        };
        1024 - w.len()
    };
    let _ = std::io::stderr().write_all(&buf[..len]);
    crate::output::transaction::remove_live_files(false);
    std::process::exit(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_positive_numbers() {
        assert_eq!(parse_seconds("2.5"), Ok(2.5));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("soon").is_err());
        assert!(parse_seconds("inf").is_err());
        assert_eq!(seconds(2000), "2 s");
        assert_eq!(seconds(1500), "1.500 s");
    }

    #[test]
    fn the_repl_sets_and_lifts_limits() {
        let mut l = Limits::default();
        assert_eq!(
            set_from_words(&mut l, " time 2 memory 100").unwrap(),
            "limits: time 2 s, memory 100 MB\n"
        );
        assert_eq!(l.timeout, Some(2.0));
        assert_eq!(
            set_from_words(&mut l, "memory off").unwrap(),
            "limits: time 2 s, memory off\n"
        );
        assert!(set_from_words(&mut l, "time").is_err());
        assert!(set_from_words(&mut l, "speed 3").is_err());
        assert_eq!(l.timeout, Some(2.0));
    }

    #[test]
    fn a_deadline_sets_the_cancel_flag_and_names_the_stage() {
        let cancel = Arc::new(AtomicBool::new(false));
        let armed = arm(
            Limits {
                timeout: Some(0.05),
                max_memory: None,
            },
            &cancel,
            false,
        );
        set_stage("stratum 0 [n]".into());
        let start = std::time::Instant::now();
        while !cancel.load(Ordering::Relaxed) && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(cancel.load(Ordering::Relaxed));
        assert_eq!(tripped(&cancel), Some(Tripped::Time));
        // The stage is process-wide and other tests evaluate in parallel, so
        // only the kind of limit is certain here; the integration tests check
        // the stage named in the binary's message.
        assert!(message(Tripped::Time).0.contains("time limit of"));
        drop(armed);
        set_stage(String::new());
    }
}
