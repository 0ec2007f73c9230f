#!/usr/bin/env python3
"""Run pialog's benchmark rules on DuckDB and print the ratio to pialog.

The same inputs (the seeded random graph and the synthetic national corpus
written by `pialog bench --work-dir`), the same rules (transitive closure as
a recursive CTE; the coverage pack of src/bench/coverage.dl in SQL), and the
row count of every output relation compared with pialog's `.printsize`.
Installs duckdb from PyPI (`pip install --user duckdb`) when it is missing.
Outside CI: it takes minutes and needs the network once.

    python3 scripts/duckdb_bench.py [--pialog target/release/pialog] [--quick]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def ensure_duckdb():
    try:
        import duckdb  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--user", "--quiet", "duckdb"])
        import site
        import importlib

        sys.path.append(site.getusersitepackages())
        importlib.invalidate_caches()
    import duckdb

    return duckdb


# name -> list of (column, type); the order and types of facts/schema.dl.
SCHEMA = {
    "assessment": "a org number title kind",
    "published": "a date",
    "affair": "a name",
    "system": "a sys",
    "system_function": "a sys text",
    "connects": "a sys other",
    "file": "a f",
    "record_item": "a f item",
    "source": "a f kind detail",
    "acquired_via": "a f method detail",
    "entrustment": "a f n:int task",
    "entrusted_to": "a n:int vendor",
    "entrust_via": "a n:int method detail",
    "reentrust": "a n:int yesno",
    "provision": "a f n:int recipient",
    "provision_via": "a n:int method detail",
    "transfer": "a f n:int recipient",
    "transfer_via": "a n:int method detail",
    "stored": "a f text",
    "risk": "a r phase title",
    "adequacy": "a r rating",
    "measure": "a r m text",
    "choice": "a scope item value",
    "change": "a k:int date item before after timing",
}

KEYWORDS = [
    ("encryption", "暗号"),
    ("access-control", "アクセス権限"),
    ("access-control", "アクセス制御"),
    ("access-control", "操作権限"),
    ("authentication", "認証"),
    ("authentication", "パスワード"),
    ("authentication", "生体"),
    ("logging", "ログ"),
    ("logging", "操作履歴"),
    ("physical", "施錠"),
    ("physical", "入退室"),
    ("physical", "監視カメラ"),
    ("closed-network", "専用線"),
    ("closed-network", "LGWAN"),
    ("closed-network", "インターネットに接続しない"),
    ("training", "研修"),
    ("contract", "契約"),
    ("contract", "特記事項"),
    ("audit", "監査"),
    ("audit", "点検"),
    ("erasure", "消去"),
    ("erasure", "廃棄"),
    ("erasure", "削除"),
    ("minimisation", "必要最小限"),
    ("minimisation", "必要な情報以外"),
    ("verification", "照合"),
    ("verification", "突合"),
    ("verification", "本人確認"),
    ("incident-response", "漏えい事案"),
    ("incident-response", "事故発生時"),
]

NET = "情報提供ネットワークシステム"

# The coverage pack, relation by relation, in evaluation order (the
# Datalog is in src/bench/coverage.dl). Every derived relation is a set.
RULES = [
    ("class", "SELECT DISTINCT class AS c FROM keyword"),
    ("measure_class", "SELECT DISTINCT m.a, m.m, k.class FROM measure m, keyword k WHERE contains(m.text, k.word)"),
    ("risk_class", "SELECT DISTINCT m.a, m.r, mc.class FROM measure m JOIN measure_class mc ON m.a = mc.a AND m.m = mc.m"),
    ("phase_class", "SELECT DISTINCT r.a, r.phase, rc.class FROM risk r JOIN risk_class rc ON r.a = rc.a AND r.r = rc.r"),
    ("flow", f"""
        SELECT s.a, s.kind AS src, s.f AS dst, v.method, 'acquisition' AS phase
          FROM source s JOIN acquired_via v ON s.a = v.a AND s.f = v.f
        UNION SELECT e.a, e.f, t.vendor, v.method, 'entrustment'
          FROM entrustment e JOIN entrusted_to t ON e.a = t.a AND e.n = t.n
          JOIN entrust_via v ON e.a = v.a AND e.n = v.n
        UNION SELECT p.a, p.f, p.recipient, v.method, 'provision'
          FROM provision p JOIN provision_via v ON p.a = v.a AND p.n = v.n
        UNION SELECT p.a, p.f, p.recipient, v.method, 'provision'
          FROM transfer p JOIN transfer_via v ON p.a = v.a AND p.n = v.n
        UNION SELECT a, sys, other, 'info-network', 'network' FROM connects WHERE other = '{NET}'
        UNION SELECT a, sys, other, 'internal-link', 'use' FROM connects WHERE other <> '{NET}'"""),
    ("flow_lacks", """
        SELECT DISTINCT f.a, f.src, f.dst, f.method, 'encryption' AS class FROM flow f
         WHERE f.method IN ('media', 'flash', 'email')
           AND NOT EXISTS (SELECT 1 FROM phase_class p
                            WHERE p.a = f.a AND p.phase = f.phase AND p.class = 'encryption')"""),
    ("reaches", """
        WITH RECURSIVE reach(a, x, y) AS (
            SELECT a, sys, other FROM connects
            UNION SELECT r.a, r.x, c.other FROM reach r JOIN connects c ON r.a = c.a AND r.y = c.sys)
        SELECT * FROM reach"""),
    ("reaches_network", f"SELECT DISTINCT a, x AS sys FROM reaches WHERE y = '{NET}'"),
    ("network_logging", """
        SELECT DISTINCT n.a, n.sys, m.m FROM reaches_network n
          JOIN risk r ON r.a = n.a AND r.phase = 'network'
          JOIN measure m ON m.a = r.a AND m.r = r.r
          JOIN measure_class mc ON mc.a = m.a AND mc.m = m.m AND mc.class = 'logging'"""),
    ("unrated", """
        SELECT DISTINCT r.a, r.r FROM risk r
         WHERE NOT EXISTS (SELECT 1 FROM adequacy q WHERE q.a = r.a AND q.r = r.r)"""),
    ("weak_risk", """
        SELECT DISTINCT a, r, 'issues-remain' AS rating FROM adequacy WHERE rating = 'issues-remain'
        UNION SELECT a, r, 'unrated' FROM unrated"""),
    ("reentrusting_vendor", """
        SELECT DISTINCT t.a, t.n, t.vendor FROM entrusted_to t
          JOIN reentrust r ON r.a = t.a AND r.n = t.n AND r.yesno = 'yes'"""),
    ("vendor_body", "SELECT DISTINCT t.vendor AS v, s.org FROM entrusted_to t JOIN assessment s ON s.a = t.a"),
    ("shared_vendor", "SELECT v, count(*) AS n FROM vendor_body GROUP BY v HAVING count(*) >= 2"),
    ("class_count", """
        SELECT c.c, count(mc.a) AS n FROM class c LEFT JOIN measure_class mc ON mc.class = c.c GROUP BY c.c"""),
    ("lacks_per_assessment", """
        SELECT s.a, count(l.a) AS n FROM (SELECT DISTINCT a FROM assessment) s
          LEFT JOIN flow_lacks l ON l.a = s.a GROUP BY s.a"""),
    ("phase_class_use", "SELECT phase AS p, class AS c, count(*) AS n FROM phase_class GROUP BY phase, class"),
    ("assessed_phase", "SELECT DISTINCT a, phase AS p FROM risk"),
    ("phase_gap", """
        SELECT DISTINCT ap.a, ap.p, u.c FROM assessed_phase ap
          JOIN phase_class_use u ON u.p = ap.p AND u.n >= 100
         WHERE NOT EXISTS (SELECT 1 FROM phase_class pc
                            WHERE pc.a = ap.a AND pc.phase = ap.p AND pc.class = u.c)"""),
]

PRINTED = [
    "measure_class", "risk_class", "phase_class", "flow", "flow_lacks", "reaches",
    "reaches_network", "network_logging", "unrated", "weak_risk", "reentrusting_vendor",
    "shared_vendor", "class_count", "lacks_per_assessment", "phase_gap",
]


def read_facts(con, dirname):
    for rel, cols in SCHEMA.items():
        spec = []
        for c in cols.split():
            name, _, ty = c.partition(":")
            spec.append(f"'{name}': '{'INTEGER' if ty == 'int' else 'VARCHAR'}'")
        path = os.path.join(dirname, f"{rel}.facts").replace("'", "''")
        con.execute(
            f"CREATE TABLE {rel} AS SELECT * FROM read_csv('{path}', delim='\\t', header=false, "
            f"quote='', escape='', columns={{{', '.join(spec)}}})"
        )


def coverage(duckdb, dirname):
    con = duckdb.connect()
    start = time.perf_counter()
    read_facts(con, dirname)
    loaded = time.perf_counter() - start
    con.execute("CREATE TABLE keyword(class VARCHAR, word VARCHAR)")
    con.executemany("INSERT INTO keyword VALUES (?, ?)", KEYWORDS)
    for name, sql in RULES:
        con.execute(f"CREATE TABLE {name} AS {sql}")
    wall = time.perf_counter() - start
    counts = {r: con.execute(f"SELECT count(*) FROM {r}").fetchone()[0] for r in PRINTED}
    con.close()
    return wall, loaded, counts


def tc(duckdb, dirname):
    con = duckdb.connect()
    start = time.perf_counter()
    path = os.path.join(dirname, "edge.facts").replace("'", "''")
    con.execute(
        f"CREATE TABLE edge AS SELECT * FROM read_csv('{path}', delim='\\t', header=false, "
        "columns={'x': 'INTEGER', 'y': 'INTEGER'})"
    )
    con.execute("""CREATE TABLE path AS WITH RECURSIVE p(x, y) AS (
        SELECT x, y FROM edge UNION SELECT p.x, e.y FROM p JOIN edge e ON p.y = e.x)
        SELECT * FROM p""")
    wall = time.perf_counter() - start
    n = con.execute("SELECT count(*) FROM path").fetchone()[0]
    con.close()
    return wall, {"path": n}


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pialog", default="target/release/pialog", help="the pialog binary")
    ap.add_argument("--quick", action="store_true", help="small sizes (2,720 assessments, 500-node graph)")
    ap.add_argument("--work-dir", help="keep inputs here (default: a temporary directory)")
    ap.add_argument("--runs", type=int, default=1, help="pialog runs per step")
    args = ap.parse_args()
    duckdb = ensure_duckdb()
    work = args.work_dir or tempfile.mkdtemp(prefix="pialog-duckdb-")
    cmd = [args.pialog, "bench", "--only", "tc,national", "--json", "--work-dir", work,
           "--runs", str(args.runs)]
    if args.quick:
        cmd.append("--quick")
    else:
        cmd += ["--tc-sizes", "2000x8000"]
    print("running:", " ".join(cmd), file=sys.stderr)
    report = json.loads(subprocess.check_output(cmd))
    print(f"machine: {report['machine']}; duckdb {duckdb.__version__}")
    rows = {(r["workload"], r["engine"]): r for r in report["rows"]}
    results = []

    tc_row = rows.get(("tc", "pialog"))
    if tc_row:
        nodes, edges = tc_row["size"].replace(" nodes /", "").replace(" edges", "").split()
        wall, counts = tc(duckdb, os.path.join(work, f"tc-{nodes}-{edges}"))
        results.append(("tc " + tc_row["size"], tc_row, wall, counts, peak_mib()))

    nat_row = rows.get(("national", "pialog coverage pack"))
    if nat_row:
        n = nat_row["size"].split()[0]
        wall, loaded, counts = coverage(duckdb, os.path.join(work, f"corpus-{n}"))
        results.append(("coverage " + nat_row["size"], nat_row, wall, counts, peak_mib()))

    print(f"{'workload':<36} {'pialog s':>9} {'cpu s':>6} {'MB':>6} {'duckdb s':>9} {'MB*':>6} {'duckdb/pialog':>14}  rows")
    for name, prow, wall, counts, mib in results:
        pw = prow.get("wall_s")
        ratio = f"{wall / pw:.2f}x" if pw else "-"
        mism = [f"{k}: pialog {prow['rows'].get(k)} duckdb {v}" for k, v in counts.items()
                if prow["rows"].get(k) != v]
        same = "identical" if not mism else "DIFFER: " + "; ".join(mism)
        pmb = prow.get("peak_rss_mib") or 0
        pcpu = prow.get("cpu_s") or float("nan")
        print(f"{name:<36} {pw or float('nan'):>9.3f} {pcpu:>6.2f} {pmb:>6.0f} {wall:>9.3f} {mib:>6.0f} {ratio:>14}  {same}")
    print("* DuckDB's MB is the peak of this Python process up to the end of that workload (DuckDB runs")
    print("  in-process, on all cores); pialog's is the VmHWM of the child process that ran it.")
    print("  Wall times are sensitive to other load on the machine; pialog's cpu s is not.")


if __name__ == "__main__":
    main()
