# Regenerates queries/README.md from the saved scripts and a scripted REPL
# session: run `python3 queries/readme.py > queries/README.md` from the
# crate root after `cargo build` (uses ./target/debug/pialog).
import subprocess, sys
B='./target/debug/pialog'
def run(args, stdin=None):
    r = subprocess.run([B]+args, input=stdin, capture_output=True, text=True)
    return r.stdout + r.stderr, r.returncode
out=[]
w=out.append
w("""# Saved queries

Commented Datalog scripts that answer the analyst's standard questions over
the shipped knowledge base (`facts/` + `queries/std.dl`). Run any of them
with `pialog check` (it prints the answers of `?-` queries, then one line per
`.assert`), or `:load` them in `pialog repl`.

| script | question |
| --- | --- |
| `std.dl` | the standard relations: `flow`, `measure_class` (keyword rules), `reaches`, `flow_lacks`, `phase_lacks`, `risk_lacks` (and `*_unknown` where the import could not read part of a phase), `weak_risk`, `reentrusting_vendor`, `shared_vendor`, and the vocabularies of the closed columns … |
| `unencrypted-portable-flows.dl` | flows by electronic media, flash memory or e-mail without an encryption measure |
| `vendors.dl` | vendors receiving the file with re-entrustment allowed; vendors shared by several bodies |
| `weak-risks.dl` | risks rated 課題が残されている, left unrated, or possibly rated by a rating the import could not attribute |
| `info-network.dl` | systems that reach 情報提供ネットワークシステム and the logging measures on that path |
| `coverage.dl` | phases and risks lacking a measure class that another body has, and the cells unknown because part of the phase was not read (the matrix: `pialog matrix`) |
| `changes.dl` | what changed between versions according to the change list |
| `ci.dl` | `.assert`s for CI (README's first command) |

The answers below were produced on the facts in the repository at the time
of writing (`pialog check --full --width 40 queries/NAME.dl`; `--width` cuts long
measure texts to 40 characters). Regenerate them after an import with
`python3 queries/readme.py > queries/README.md`.
""")
scripts=[("ci","CI checks"),("unencrypted-portable-flows","Portable flows without encryption"),("vendors","Vendors"),("weak-risks","Weak and unrated risks"),("info-network","Paths to 情報提供ネットワークシステム and logging"),("coverage","Coverage gaps"),("changes","Changes between versions")]
for name,title in scripts:
    text,code=run(["check","--full","--width","40",f"queries/{name}.dl"])
    lines=text.rstrip("\n").split("\n")
    if len(lines)>80:
        lines=lines[:70]+["… (cut here; run the script for every row)"]+lines[-1:]
    w(f"## {title}: `queries/{name}.dl`\n\n```text\n$ pialog check --full --width 40 queries/{name}.dl\n"+"\n".join(lines)+f"\n```\n(exit status {code})\n")
run(["matrix", "--svg", "queries/matrix.svg", "-o", "/dev/null"])
w("""## The coverage matrix

`pialog matrix -o matrix.csv --svg matrix.svg` writes every assessment ×
phase × measure class: the number of measures, `0!` (red in the SVG) where
another body has such a measure for that phase, empty where the assessment
states no risk of the phase. The heat map of the shipped facts:

![coverage matrix](matrix.svg)
""")
w("""## A REPL session

`pialog repl` on a terminal shows a prompt, keeps history, completes
relation names, `:commands` and column names with Tab, and cuts cells to 60
characters (`:width off` shows them whole). The same session can be piped;
this one was (`printf '…' | pialog repl`), so there are no prompts in the
raw output: they are added below.
""")
cmds=[':help',
 '?- reentrusting_vendor(a, n, vendor, _).',
 ':why reaches("焼津市長/26", "団体内統合宛名システム", "情報提供ネットワークシステム")',
 ':why phase_lacks("焼津市長/26", "entrustment", "encryption")',
 ':whynot reentrusting_vendor("焼津市長/26", 1, "株式会社ミラボ", "x")',
 ['lacks_both(a, p) :- phase_lacks(a, p, "encryption"), phase_lacks(a, p, "logging").',
  '?- lacks_both(a, p).',
  ':schema lacks_both'],
 '?- flow(a, b.',
 ':schema measure_class',
 ':export flow /tmp/flow.csv']
t=["```text"]
def session(cs):
    text,code=run(["repl"], stdin=":time off\n:width 60\n"+"".join(c+"\n" for c in cs))
    return "\n".join(l for l in text.split("\n") if l not in ("time off","width 60"))
for c in cmds:
    group = c if isinstance(c, list) else [c]
    before = ""
    for i in range(len(group)):
        now = session(group[:i+1])
        part = now[len(before):] if now.startswith(before) else now
        before = now
        t.append("pialog> "+group[i])
        t.extend(part.strip("\n").split("\n"))
t.append("```\n")
w("\n".join(t))
w("""A statement may span several lines: the REPL keeps reading until the
closing `.` (directives such as `.decl` end with their line). Ctrl-C during a
long evaluation stops it and keeps the session; Ctrl-D or `:quit` leaves.
""")
sys.stdout.write("\n".join(out))
