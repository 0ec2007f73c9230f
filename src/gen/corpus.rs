//! One synthetic assessment at a time: the sections of the form in order,
//! with counts and codes drawn so that the national corpus has roughly the
//! proportions of published assessments (≈ 95 facts per assessment).

use super::Rel;
use super::rng::Rng;
use super::sink::{Field, Sink};
use super::vocab as v;
use std::fmt::Write as _;
use std::io;

/// Assessments published by one body (the corpus gives each body a block
/// of consecutive indexes, so a slice of the corpus is whole bodies).
pub const ASSESSMENTS_PER_BODY: u64 = 25;

/// Holds the shared national pools and the scratch buffers reused from one
/// assessment to the next.
pub struct Generator {
    seed: u64,
    vendors: Vec<String>,
    id: String,
    org: String,
    num: String,
    title: String,
    date: String,
    text: String,
    rid: String,
    mid: String,
    systems: Vec<&'static str>,
    files: Vec<&'static str>,
    order: Vec<usize>,
}

/// The name of body `k` of the national pool: prefectures first, then
/// municipalities named from two place parts and a head (unique for
/// 11,247 bodies; beyond that a number keeps them apart).
pub fn body_name(k: u64, out: &mut String) {
    out.clear();
    let k = k as usize;
    if k < v::PREFECTURES.len() {
        out.push_str(v::PREFECTURES[k]);
        out.push_str(v::PREFECTURE_SUFFIX);
        return;
    }
    const HEADS: &[&str] = &[
        "市長",
        "町長",
        "村長",
        "区長",
        "市教育委員会",
        "町教育委員会",
        "広域連合長",
    ];
    let m = k - v::PREFECTURES.len();
    let parts = v::PLACE_PARTS.len();
    out.push_str(v::PLACE_PARTS[(m / HEADS.len()) % parts]);
    out.push_str(v::PLACE_PARTS[(m / HEADS.len() / parts) % parts]);
    let round = m / (HEADS.len() * parts * parts);
    if round > 0 {
        let _ = write!(out, "第{round}");
    }
    out.push_str(HEADS[m % HEADS.len()]);
}

impl Generator {
    /// A generator for the corpus seeded with `seed`.
    pub fn new(seed: u64) -> Generator {
        let mut vendors = Vec::new();
        for form in v::VENDOR_FORMS {
            for stem in v::VENDOR_STEMS {
                vendors.push(form.replace("{}", stem));
            }
        }
        // Interleave forms so that the popular (low) indexes mix them.
        let mut shuffle = Rng::new(seed ^ 0x005E_ED0F_7E4D_0125);
        for i in (1..vendors.len()).rev() {
            let j = shuffle.below(i + 1);
            vendors.swap(i, j);
        }
        Generator {
            seed,
            vendors,
            id: String::new(),
            org: String::new(),
            num: String::new(),
            title: String::new(),
            date: String::new(),
            text: String::new(),
            rid: String::new(),
            mid: String::new(),
            systems: Vec::new(),
            files: Vec::new(),
            order: Vec::new(),
        }
    }

    /// A vendor of the national pool (its index); a few big vendors serve
    /// most bodies.
    fn vendor_index(&self, r: &mut Rng) -> usize {
        let n = self.vendors.len();
        let bound = r.below(n) + 1;
        r.below(bound)
    }

    /// Picks `k` distinct indexes of `0..n` into `self.order`.
    fn distinct(&mut self, r: &mut Rng, n: usize, k: usize) {
        self.order.clear();
        self.order.extend(0..n);
        let k = k.min(n);
        for i in 0..k {
            let j = i + r.below(n - i);
            self.order.swap(i, j);
        }
        self.order.truncate(k);
    }

    /// Writes every fact of assessment `index`.
    pub fn assessment<S: Sink>(&mut self, index: u64, out: &mut S) -> io::Result<()> {
        let mut r = Rng::stream(self.seed, index);
        body_name(index / ASSESSMENTS_PER_BODY, &mut self.org);
        self.num.clear();
        let _ = write!(self.num, "{}", index % ASSESSMENTS_PER_BODY + 1);
        self.id.clear();
        let _ = write!(self.id, "{}/{}", self.org, self.num);
        let a = self.id.clone();
        let a = a.as_str();

        // Cover page.
        let affair = r.pick(v::AFFAIRS);
        let (kind, kind_title) = r.pick(v::KINDS);
        self.title.clear();
        let _ = write!(self.title, "{affair} {kind_title}");
        out.row(
            Rel::Assessment,
            &[
                Field::S(a),
                Field::S(&self.org),
                Field::S(&self.num),
                Field::S(&self.title),
                Field::S(kind),
            ],
        )?;
        let year = 2015 + r.below(12);
        self.date.clear();
        let _ = write!(
            self.date,
            "{year}-{:02}-{:02}",
            1 + r.below(12),
            1 + r.below(28)
        );
        out.row(Rel::Published, &[Field::S(a), Field::S(&self.date)])?;
        // The form's version follows from the date and the kind, so the
        // random stream (and with it the rest of the corpus) is unchanged.
        let form = form_version(year, kind);
        out.row(Rel::Form, &[Field::S(a), Field::S(&form)])?;
        out.row(Rel::Affair, &[Field::S(a), Field::S(affair)])?;

        self.systems_section(a, &mut r, out)?;
        self.files_section(a, &mut r, out)?;
        self.risks_section(a, &mut r, out)?;

        // Section choices (audit, training).
        for (scope, item, values) in v::SECTION_CHOICES {
            out.row(
                Rel::Choice,
                &[
                    Field::S(a),
                    Field::S(scope),
                    Field::S(item),
                    Field::S(r.pick(values)),
                ],
            )?;
        }

        // Change list.
        let changes = [0, 0, 1, 1, 2, 3, 4][r.below(7)];
        for k in 1..=changes {
            self.date.clear();
            let _ = write!(
                self.date,
                "{}-{:02}-{:02}",
                year + r.below(3),
                1 + r.below(12),
                1 + r.below(28)
            );
            let before = r.pick(v::CHANGE_TEXTS);
            let after = r.pick(v::CHANGE_TEXTS);
            out.row(
                Rel::Change,
                &[
                    Field::S(a),
                    Field::N(k),
                    Field::S(&self.date),
                    Field::S(r.pick(v::CHANGE_ITEMS)),
                    Field::S(before),
                    Field::S(after),
                    Field::S(if r.chance(70) { "before" } else { "after" }),
                ],
            )?;
        }
        out.end_assessment(a)
    }

    /// I-2: systems, their functions and connections. Some bodies route
    /// through 中間サーバー to 情報提供ネットワークシステム, some connect
    /// directly, some never reach it.
    fn systems_section<S: Sink>(&mut self, a: &str, r: &mut Rng, out: &mut S) -> io::Result<()> {
        let n = [2, 2, 3, 3, 3, 4, 4, 5, 6][r.below(9)];
        self.distinct(r, v::SYSTEMS.len(), n);
        self.systems.clear();
        for &i in &self.order {
            self.systems.push(v::SYSTEMS[i]);
        }
        let via_middle = r.chance(45);
        if via_middle && !self.systems.contains(&v::MIDDLE_SERVER) {
            let last = self.systems.len() - 1;
            self.systems[last] = v::MIDDLE_SERVER;
        }
        for s in 0..self.systems.len() {
            let sys = self.systems[s];
            out.row(Rel::System, &[Field::S(a), Field::S(sys)])?;
            let funcs = if r.chance(30) { 2 } else { 1 };
            // Rows are sets: a value drawn twice is written once (the draws
            // stay the same, so the random stream does not shift).
            let mut seen: [&str; 2] = [""; 2];
            for k in 0..funcs {
                let func = r.pick(v::FUNCTIONS);
                seen[k] = func;
                if k == 1 && seen[0] == func {
                    continue;
                }
                out.row(
                    Rel::SystemFunction,
                    &[Field::S(a), Field::S(sys), Field::S(func)],
                )?;
            }
        }
        for s in 0..self.systems.len() {
            let sys = self.systems[s];
            if sys == v::MIDDLE_SERVER {
                out.row(
                    Rel::Connects,
                    &[Field::S(a), Field::S(sys), Field::S(v::INFO_NETWORK)],
                )?;
                continue;
            }
            // A chain: each system hands on to the next one.
            let mut next = "";
            if s + 1 < self.systems.len() && r.chance(60) {
                next = self.systems[s + 1];
                out.row(
                    Rel::Connects,
                    &[Field::S(a), Field::S(sys), Field::S(self.systems[s + 1])],
                )?;
            }
            if r.chance(55) {
                let other = r.pick(v::EXTERNAL_SYSTEMS);
                if other != sys && other != next {
                    out.row(
                        Rel::Connects,
                        &[Field::S(a), Field::S(sys), Field::S(other)],
                    )?;
                }
            }
        }
        Ok(())
    }

    /// I-3 and II: files, record items, sources, entrustment, provision,
    /// transfer and storage.
    fn files_section<S: Sink>(&mut self, a: &str, r: &mut Rng, out: &mut S) -> io::Result<()> {
        let nf = [1, 1, 1, 1, 2, 2, 3][r.below(7)];
        self.distinct(r, v::FILES.len(), nf);
        self.files.clear();
        for &i in &self.order {
            self.files.push(v::FILES[i]);
        }
        for fi in 0..self.files.len() {
            let f = self.files[fi];
            out.row(Rel::File, &[Field::S(a), Field::S(f)])?;
            let items = r.range(2, 4);
            self.distinct(r, v::RECORD_ITEMS.len(), items);
            for k in 0..self.order.len() {
                let item = v::RECORD_ITEMS[self.order[k]];
                out.row(Rel::RecordItem, &[Field::S(a), Field::S(f), Field::S(item)])?;
            }
            let count = r.range(1, 2);
            for (kind, detail) in r.distinct(count, |r| r.pick(v::SOURCES)) {
                out.row(
                    Rel::Source,
                    &[Field::S(a), Field::S(f), Field::S(kind), Field::S(detail)],
                )?;
            }
            let count = r.range(1, 2);
            for (method, detail) in r.distinct(count, method) {
                out.row(
                    Rel::AcquiredVia,
                    &[Field::S(a), Field::S(f), Field::S(method), Field::S(detail)],
                )?;
            }
            let count = r.range(1, 2);
            for text in r.distinct(count, |r| r.pick(v::STORED)) {
                out.row(Rel::Stored, &[Field::S(a), Field::S(f), Field::S(text)])?;
            }
        }
        // 委託: numbered across the assessment.
        let entrust = [0, 1, 1, 2, 2, 3][r.below(6)];
        for n in 1..=entrust {
            let f = self.files[r.below(self.files.len())];
            out.row(
                Rel::Entrustment,
                &[
                    Field::S(a),
                    Field::S(f),
                    Field::N(n),
                    Field::S(r.pick(v::ENTRUST_TASKS)),
                ],
            )?;
            let vendors = if r.chance(25) { 2 } else { 1 };
            for i in r.distinct(vendors, |r| self.vendor_index(r)) {
                let vendor = self.vendors[i].as_str();
                out.row(
                    Rel::EntrustedTo,
                    &[Field::S(a), Field::N(n), Field::S(vendor)],
                )?;
            }
            let (method, detail) = method(r);
            out.row(
                Rel::EntrustVia,
                &[Field::S(a), Field::N(n), Field::S(method), Field::S(detail)],
            )?;
            let yes = if r.chance(30) { "yes" } else { "no" };
            out.row(Rel::Reentrust, &[Field::S(a), Field::N(n), Field::S(yes)])?;
        }
        // 提供 and 移転.
        for (rel, via, counts) in [
            (Rel::Provision, Rel::ProvisionVia, [0u64, 1, 1, 2, 3]),
            (Rel::Transfer, Rel::TransferVia, [0u64, 0, 1, 1, 2]),
        ] {
            for n in 1..=counts[r.below(counts.len())] {
                let f = self.files[r.below(self.files.len())];
                out.row(
                    rel,
                    &[
                        Field::S(a),
                        Field::S(f),
                        Field::N(n),
                        Field::S(r.pick(v::RECIPIENTS)),
                    ],
                )?;
                let (method, detail) = method(r);
                out.row(
                    via,
                    &[Field::S(a), Field::N(n), Field::S(method), Field::S(detail)],
                )?;
            }
        }
        Ok(())
    }

    /// III: 8–20 risks over the phases in form order, their ratings (some
    /// issues-remain, some unrated), 1–4 measures each, and the per-risk
    /// choices.
    fn risks_section<S: Sink>(&mut self, a: &str, r: &mut Rng, out: &mut S) -> io::Result<()> {
        // The slots of the form: every numbered risk, then each phase's
        // その他 block.
        let standard: usize = v::PHASES.iter().map(|(_, t)| t.len()).sum();
        let slots = standard + v::PHASES.len();
        let mut want = r.range(8, 20);
        let mut left = slots;
        let mut slot = 0;
        for (phase, titles) in v::PHASES {
            for n in 0..=titles.len() {
                let take = r.below(left) < want;
                left -= 1;
                slot += 1;
                if !take {
                    continue;
                }
                want -= 1;
                self.rid.clear();
                self.rid.push_str(phase);
                self.rid.push('/');
                let title = if n < titles.len() {
                    let _ = write!(self.rid, "{}", n + 1);
                    titles[n]
                } else {
                    self.rid.push_str("other");
                    v::OTHER_RISK
                };
                let rid = self.rid.clone();
                out.row(
                    Rel::Risk,
                    &[
                        Field::S(a),
                        Field::S(&rid),
                        Field::S(phase),
                        Field::S(title),
                    ],
                )?;
                if n < titles.len() {
                    match r.pick(v::RATINGS) {
                        Some(rating) => out.row(
                            Rel::Adequacy,
                            &[Field::S(a), Field::S(&rid), Field::S(rating)],
                        )?,
                        // Every other unrated risk is one whose rating the
                        // import saw but could not attribute.
                        None if n % 2 == 0 => out.row(
                            Rel::Unread,
                            &[
                                Field::S(a),
                                Field::S(&rid),
                                Field::N(0),
                                Field::S(UNREAD_RATING),
                            ],
                        )?,
                        None => {}
                    }
                }
                let measures = [1, 1, 2, 2, 2, 3, 4][r.below(7)];
                for k in 1..=measures {
                    self.measure_text(r);
                    self.mid.clear();
                    let _ = write!(self.mid, "{rid}#{k}");
                    out.row(
                        Rel::Measure,
                        &[
                            Field::S(a),
                            Field::S(&rid),
                            Field::S(&self.mid),
                            Field::S(&self.text),
                        ],
                    )?;
                }
                let item = match rid.as_str() {
                    "use/2" => Some("user-auth"),
                    "storage/1" => Some("serious-incident"),
                    _ => None,
                };
                if let Some(item) = item {
                    let value = if r.chance(85) { "yes" } else { "no" };
                    let value = if item == "serious-incident" {
                        if value == "yes" { "no" } else { "yes" }
                    } else {
                        value
                    };
                    out.row(
                        Rel::Choice,
                        &[Field::S(a), Field::S(&rid), Field::S(item), Field::S(value)],
                    )?;
                }
            }
        }
        debug_assert_eq!(slot, slots);
        Ok(())
    }

    /// Composes one measure bullet into `self.text`: opening (sometimes
    /// naming one of the body's systems), sentence, ending.
    fn measure_text(&mut self, r: &mut Rng) {
        self.text.clear();
        let lead = r.pick(v::MEASURE_LEADS);
        if let Some((before, after)) = lead.split_once("{}") {
            self.text.push_str(before);
            self.text
                .push_str(self.systems[r.below(self.systems.len())]);
            self.text.push_str(after);
        } else {
            self.text.push_str(lead);
        }
        self.text.push_str(r.pick(v::MEASURE_CORES));
        self.text.push_str(r.pick(v::MEASURE_TAILS));
    }
}

/// A method code and, for `other`, the words in its parentheses.
fn method(r: &mut Rng) -> (&'static str, &'static str) {
    let m = r.pick(v::METHODS);
    let detail = if m == "other" {
        r.pick(v::OTHER_METHODS)
    } else {
        ""
    };
    (m, detail)
}

/// The reason the synthetic corpus gives an unattributed rating.
const UNREAD_RATING: &str = "rating printed but not attributed to its risk";

/// The 様式 line of a cover published in `year` for a form of `kind`: the
/// editions of 平成26年4月, 平成28年1月, 平成30年5月 and 令和7年5月, and the
/// form's number (様式2 basic, 様式3 focused, 様式4 full).
fn form_version(year: usize, kind: &str) -> String {
    let edition = match year {
        ..2016 => "平成26年4月",
        2016..2018 => "平成28年1月",
        2018..2025 => "平成30年5月",
        _ => "令和7年5月",
    };
    let number = match kind {
        "basic" => 2,
        "focused" => 3,
        _ => 4,
    };
    format!("{edition} 様式{number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        let mut s = String::new();
        for k in 0..20_000 {
            body_name(k, &mut s);
            assert!(seen.insert(s.clone()), "duplicate body name {s}");
        }
    }
}
