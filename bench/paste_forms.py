"""Counts, over every open labelled log, the lines a reader of ``whygpu explain`` misses only because of how they were pasted.

A pasted log carries a program's line in packaging that is the same whatever the message: a log prefix
(time stamp, level, logger, container or scheduler tag), spaces added or dropped around punctuation,
markdown or HTML around it, full-width punctuation, colour codes that lost their escape byte, a line that
follows other-language prose with no space.  For each line of each log this applies each packaging's
undoing (``FORMS``) on its own and says whether a reader then reads what it did not read before: a
signature (by id) or the error-line words reader (``explain.errorwords``).  Counted per packaging class:
lines, cases, and how many of those cases' confirmed first cause the new reading names.

    python3 bench/paste_forms.py                     # every open set, cases.json, shared/real-logs
    python3 bench/paste_forms.py --examples 5        # with up to 5 example lines per class
    python3 bench/paste_forms.py --current           # what the current scan (explain.normalize) still leaves unread
    python3 bench/paste_forms.py --matrix            # every signature's example line in each packaging (scan only)
    python3 bench/paste_forms.py --layout --base main   # each example line in each LAYOUT (whole explain), this code and main's

The layout matrix (acclayout, session 21) lays out every signature example line that explain reads alone (names a
cause first) as people paste it: hard-wrapped at a column (mid-word, or at word boundaries with and without an
indent), split at its first clause onto an indented line, its trailing clause or its head cut, inside a sentence,
inside a JSON or repr string with literal "\n" separators; each form says how many still name the same cause
first.  Its quiet forms (the line quoted in a question, in advice, in a condition) say how many name it: those must
stay as they are.  ``--base REV`` runs the same matrix on REV's code (``git archive``) in the same run.

SEALED sets (holdout17, holdout18) are never read: only tests/explain/corpus/*, cases.json and real-logs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# ``--base``: the same bench run on another revision's code (extracted by ``git archive``).
sys.path.insert(0, os.environ.get("PASTE_FORMS_SRC") or str(ROOT / "src"))

from whygpu.explain import errorwords  # noqa: E402
from whygpu.explain.catalogue import catalogue  # noqa: E402
from whygpu.explain.scan import Matcher, clean  # noqa: E402

SOURCES = [*sorted((ROOT / "tests" / "explain" / "corpus").glob("*/")), ROOT / "tests" / "explain" / "cases.json",
           Path("/work/shared/real-logs")]


def _cases() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for source in SOURCES:
        if not source.exists():
            continue
        for path in [source] if source.is_file() else sorted(source.glob("*.json")):
            data = json.loads(path.read_text())
            for i, case in enumerate(data if isinstance(data, list) else [data]):
                if isinstance(case, dict) and isinstance(case.get("log"), str):
                    case = dict(case, _key=f"{source.name}/{path.stem}" + (f"#{i}" if isinstance(data, list) else ""))
                    out.append(case)
    return out


# Each packaging's undoing, written independently of explain's own (the study must not only confirm the code).
_PREFIX = re.compile(
    r"^(?:\s*(?:"
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?"  # ISO time stamp
    r"|\[\d{4}-\d\d-\d\d[^\]]*\]|\[\d\d:\d\d:\d\d[^\]]*\]|\d\d:\d\d:\d\d(?:[.,]\d+)?"
    r"|[A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d \S+ [\w.@/-]+(?:\[\d+\])?:"  # journald / syslog
    r"|stdout [FP]|stderr [FP]"  # CRI container log
    r"|(?:pod|deployment|job)/[\w.-]+:?|srun:|slurmstepd:|\[[A-Za-z][\w .-]{1,30}\]"  # k8s, Slurm, an app's tag
    r"|-|\||(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\b:?|[\w.]+:\d+\]?"  # separators, levels, logger:line
    r"|\d{1,5}\s*[|:]|Out\[\d+\]:|In \[\d+\]:|[-*+] |>+"  # a paste's line numbers, Jupyter, bullets, quotes
    r")\s*)+"
)
_SPACED = re.compile(r"(?<=[\w)]) (:) (?=\S)|(?<=\w) (/) (?=\w)")
_MARKUP = re.compile(r"`+|\*\*|__(?=\w)|(?<=\w)__|</?(?:br|code|pre|b|i|em|strong|tt|kbd|span|div|p)\b[^>]*>", re.I)
_ANSI_RESIDUE = re.compile(r"(?:\^\[|\\x1[bB]|\\033|\\e|\\u001[bB])?\[[0-9;]{0,12}m")
_CJK = re.compile(r"(?<=[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9.:])(?=[\u3000-\u9fff\uac00-\ud7af])")
_DOUBLED = re.compile(r"\\\\")


def _fullwidth(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


FORMS: dict[str, Callable[[str], str]] = {
    "prefix": lambda t: _PREFIX.sub("", t, count=1),
    "spacing": lambda t: _SPACED.sub(lambda m: m[1] or m[2], t),
    "markup": lambda t: _MARKUP.sub("", t),
    "ansi_residue": lambda t: _ANSI_RESIDUE.sub("", t),
    "fullwidth": _fullwidth,
    "cjk_glued": lambda t: _CJK.sub(" ", t),
    "doubled_backslash": lambda t: _DOUBLED.sub(r"\\", t),
    "runs_of_spaces": lambda t: re.sub(r"[ \t]{2,}", " ", t.strip()),
}


# How people paste a program's line (each applied to every signature's own example lines): the same line
# behind a log prefix, wrapped in markup, re-spaced, in full-width punctuation, behind other-language prose.
WRAPPERS: dict[str, Callable[[str], str]] = {
    "python_logging": lambda t: f"2023-01-02 10:11:12,123 - root - ERROR - {t}",
    "app_tag": lambda t: f"[ComfyUI] {t}",
    "k8s_pod": lambda t: f"pod/trainer-7d9f: {t}",
    "cri_stream": lambda t: f"2024-05-01T10:11:12.123456789Z stderr F {t}",
    "journald": lambda t: f"Jan 02 10:11:12 gpu-node-3 python3[40121]: {t}",
    "slurm_label": lambda t: f"0: {t}",
    "iso_level": lambda t: f"2024-05-01 10:11:12 [ERROR] {t}",
    "backticks": lambda t: f"`{t}`",
    "quote": lambda t: f"> {t}",
    "bullet": lambda t: f"- {t}",
    "bold": lambda t: f"**{t}**",
    "html_br": lambda t: f"{t}<br>",
    "html_code": lambda t: f"<code>{t}</code>",
    "line_number": lambda t: f"12 | {t}",
    "cjk_before": lambda t: f"\u4f46\u662f{t}",
    "space_slash": lambda t: re.sub(r"(?<=\w)/(?=\w)", " / ", t),
    "space_colon": lambda t: re.sub(r"(?<=[\w.])(:) ", r" \1 ", t),
    "no_space_colon": lambda t: re.sub(r"(?<=\w): (?=\w)", ":", t),
    "fullwidth": lambda t: t.translate(str.maketrans({":": "\uff1a", ",": "\uff0c", "(": "\uff08", ")": "\uff09", ";": "\uff1b"})),
    "nbsp": lambda t: t.replace(" ", "\u00a0"),
    "ideographic_space": lambda t: t.replace(" ", "\u3000", 2),
    "ansi_colour": lambda t: f"\x1b[31m{t}\x1b[0m",
    "ansi_residue": lambda t: f"[31m{t}[0m",
    "crlf": lambda t: f"{t}\r",
}


# --- layouts (acclayout, session 21) ---------------------------------------------------------------------------
# Where a message is commonly cut into clauses: after a sentence's stop, a colon, a semicolon or a comma.
_CLAUSE = re.compile(r"(?<=\S)(?:\. |: |; |, )")
# Before a line and after it: what a pasted log puts around the message (a command, the exit).
_BEFORE = "$ python train.py --epochs 10"
_AFTER = "Process finished with exit code 1"


def _hard(width: int, indent: str = "") -> Callable[[str], str]:
    """A terminal's or tracker's hard wrap at ``width`` columns, mid-word."""
    def wrap(text: str) -> str:
        if len(text) <= width:
            return text
        return ("\n" + indent).join(text[i:i + width] for i in range(0, len(text), width))
    return wrap


def _words(width: int, indent: str = "") -> Callable[[str], str]:
    """A wrap at word boundaries at ``width`` columns; continuation lines indented by ``indent``."""
    def wrap(text: str) -> str:
        if len(text) <= width:
            return text
        return "\n".join(textwrap.wrap(text, width, subsequent_indent=indent, break_long_words=False,
                                         break_on_hyphens=False))
    return wrap


def _clause_split(text: str) -> str:
    """The line split at its first clause boundary (past its first 20 characters), the rest on an indented line."""
    m = _CLAUSE.search(text, 20)
    return text if m is None or len(text) - m.end() < 10 else f"{text[:m.end()].rstrip()}\n    {text[m.end():]}"


def _tail_cut(text: str) -> str:
    """The line without its last clause (cut at the last boundary in its second half, 30 characters kept)."""
    cuts = [m.start() for m in _CLAUSE.finditer(text) if m.start() >= max(30, len(text) // 2)]
    return text[:cuts[-1]] if cuts else text


def _head_cut(text: str) -> str:
    """The line without what comes before its first clause boundary or a logger's bracket (in its first half)."""
    m = re.search(r"(?<=\S)(?:: |\] )", text)
    return text[m.end():] if m is not None and m.end() <= len(text) // 2 and len(text) - m.end() >= 30 else text


LAYOUTS: dict[str, Callable[[str], str]] = {
    **{f"hard{w}": _hard(w) for w in (60, 80, 100, 120)},
    "hard80_indent": _hard(80, "    "),
    **{f"words{w}": _words(w) for w in (60, 80, 100, 120)},
    **{f"words{w}_indent": _words(w, "    ") for w in (60, 80, 100, 120)},
    "clause_split": _clause_split,
    "tail_cut": _tail_cut,
    "head_cut": _head_cut,
    "sentence": lambda t: f"When I run python train.py I get {t} every time.",
    "json_string": lambda t: json.dumps({"detail": f"Traceback (most recent call last):\n  File \"train.py\", line 3\n{t}\n"}),
    "repr_string": lambda t: "stderr=" + repr(f"Epoch 1/10\n{t}\nExiting"),
}
# The message quoted where nothing says it happened: explain must stay as quiet as it is.
QUIET: dict[str, Callable[[str], str]] = {
    "question": lambda t: f'Does anyone know what "{t}" means?',
    "advice": lambda t: f'If you see "{t}", reinstall the package.',
    "condition": lambda t: f'if "{t}" in output:',
}


def _first_cause(text: str) -> str | None:
    """The cause explain names first for ``text`` (an error finding), None when it names none."""
    from whygpu.explain import explain_text
    from whygpu.model import Severity

    findings = [f for f in explain_text(text).findings if f.severity is not Severity.INFO and f.cause]
    return findings[0].cause if findings else None


def _fast_scanner() -> None:
    """One matcher for every explain call of the bench (building it is most of a short log's cost; it keeps no state
    of a scan)."""
    from whygpu.explain import scan

    made: dict[int, Any] = {}
    original = scan.Matcher

    def matcher(cat: Any, *, use_re2: bool | None = None) -> Any:
        key = id(cat) * 2 + bool(use_re2)
        if key not in made:
            made[key] = original(cat, use_re2=use_re2)
        return made[key]

    scan.Matcher = matcher  # type: ignore[misc,assignment]


def layout_counts(cat: Any) -> dict[str, Any]:
    """Per layout: [still named first, lines the layout changes]; per quiet form: [named, lines]; examples lost."""
    _fast_scanner()
    pairs = [(s.id, line) for s in cat.signatures for line in (s.example, *(x.line for x in s.seen))
             if s.next_line_of is None and line and "\n" not in line]
    read: list[tuple[str, str, str]] = []
    for sid, line in dict.fromkeys(pairs):
        # What the line says as it was printed, between the same lines as its layouts.
        cause = _first_cause(f"{_BEFORE}\n{line}\n{_AFTER}")
        if cause is not None:
            read.append((sid, line, cause))
    out: dict[str, Any] = {"lines": len(read), "layouts": {}, "quiet": {}, "lost": {}}
    for name, form in LAYOUTS.items():
        kept = changed = 0
        lost: list[str] = []
        for sid, line, cause in read:
            laid = form(line)
            if laid == line:
                continue
            changed += 1
            if _first_cause(f"{_BEFORE}\n{laid}\n{_AFTER}") == cause:
                kept += 1
            else:
                lost.append(f"{sid}: {laid[:160]!r}")
        out["layouts"][name] = [kept, changed]
        out["lost"][name] = lost
    for name, form in QUIET.items():
        out["quiet"][name] = [sum(_first_cause(form(line)) is not None for _, line, _ in read), len(read)]
    return out


def _base_counts(rev: str) -> dict[str, Any]:
    """``layout_counts`` on revision ``rev``'s code, run in a child on its ``src`` (``git archive``)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True, timeout=120)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True, timeout=120)
        env = dict(os.environ, PASTE_FORMS_SRC=str(Path(tmp) / "src"), PYTHONPATH=str(Path(tmp) / "src"))
        done = subprocess.run([sys.executable, __file__, "--layout", "--json"], capture_output=True, text=True, env=env,
                              check=True, timeout=3600)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def layout_matrix(cat: Any, show: int, base: str | None, as_json: bool) -> None:
    """Print each layout's read rate (and the base revision's beside it)."""
    mine = layout_counts(cat)
    if as_json:
        print(json.dumps(mine))
        return
    other = _base_counts(base) if base else None
    print(f"example lines explain reads alone (a cause first): {mine['lines']}"
          + (f" (at {base}: {other['lines']})" if other else ""))
    head = f"{'layout':<16} {'this code':>12}" + (f" {base:>12}" if other else "")
    print(head)
    for name, (kept, changed) in mine["layouts"].items():
        row = f"{name:<16} {kept:>5}/{changed:<6}"
        if other:
            bk, bc = other["layouts"][name]
            row += f" {bk:>5}/{bc:<6}"
        print(row)
    print(f"{'quiet form':<16} {'named':>12}" + (f" {base:>12}" if other else ""))
    for name, (named, total) in mine["quiet"].items():
        row = f"{name:<16} {named:>5}/{total:<6}"
        if other:
            bn, bt = other["quiet"][name]
            row += f" {bn:>5}/{bt:<6}"
        print(row)
    for name, lost in mine["lost"].items():
        for example in lost[:show]:
            print(f"  lost {name}: {example}")


_SCANNERS: dict[int, Any] = {}
_FOUND: list[Any] = []


def _scan(cat: Any, text: str) -> set[str]:
    """The signature ids the scan finds in ``text`` (the whole streaming path: byte filter, then the matcher)."""
    import io

    from whygpu.explain.scan import Scanner

    scanner = _SCANNERS.get(id(cat))
    if scanner is None:
        scanner = _SCANNERS[id(cat)] = Scanner(cat, _FOUND.append)
    _FOUND.clear()
    scanner.scan(io.BytesIO(text.encode("utf-8")).read)
    return {m.signature.id for m in _FOUND}


def matrix(cat: Any, show: int) -> None:
    """Each wrapper: how many signature example lines read alone are still read by their signature once wrapped."""
    pairs = [(s.id, line) for s in cat.signatures for line in (s.example, *(x.line for x in s.seen))
             if s.next_line_of is None and line and "\n" not in line]
    pairs = [(sid, line) for sid, line in pairs if sid in _scan(cat, line)]
    print(f"example lines read alone: {len(pairs)}")
    print(f"{'wrapper':<20} {'still read':>10}")
    for name, wrap in WRAPPERS.items():
        lost = [(sid, line) for sid, line in pairs if sid not in _scan(cat, wrap(line))]
        print(f"{name:<20} {len(pairs) - len(lost):>6}/{len(pairs)}")
        for sid, line in lost[:show]:
            print(f"    {sid}: {wrap(line)[:150]!r}")


# The wrappers a machine adds (the fact reader reads a markdown quote, a list and Jupyter's prompts itself).
MACHINE = ("python_logging", "app_tag", "k8s_pod", "cri_stream", "journald", "iso_level", "backticks", "bold",
           "html_code", "ansi_residue", "space_colon", "space_slash", "fullwidth")


def _facts(text: str) -> set[str]:
    """What the fact reader reads in ``text`` alone (each fact's name and value, without its place)."""
    from whygpu.explain import _head_text
    from whygpu.explain.logfacts import FactReader

    reader = FactReader()
    reader.read_text("t", _head_text([text.encode("utf-8")]))
    out: set[str] = set()
    for name, value in reader.facts.summary().items():
        if name in ("mentioned", "platform", "hot_lines"):
            continue
        values = value.values() if isinstance(value, dict) else [value]
        for group in values:
            for item in group if isinstance(group, list) else [group]:
                out.add(f"{name}={str(item).split(' (t:')[0]}")
    return out


def reader_matrix(show: int) -> None:
    """Each machine wrapper: of the corpus lines from which the fact reader reads a fact alone, how many still give it."""
    lines: dict[str, set[str]] = {}
    for case in _cases():
        for line in case["log"].split("\n"):
            line = line.strip()
            if 8 <= len(line) <= 300 and line not in lines and line.isascii():
                lines[line] = set()
    for line in list(lines):
        got = _facts(line)
        if got:
            lines[line] = got
        else:
            del lines[line]
    print(f"corpus lines the fact reader reads alone: {len(lines)}")
    for name in MACHINE:
        wrap = WRAPPERS[name]
        lost = [(line, want - _facts(wrap(line))) for line, want in lines.items()]
        lost = [(line, gone) for line, gone in lost if gone]
        print(f"{name:<20} {len(lines) - len(lost):>6}/{len(lines)}")
        for line, gone in lost[:show]:
            print(f"    {sorted(gone)[:2]}: {wrap(line)[:120]!r}")


def _yields(cat: Any, lost: str, gained: set[str]) -> bool:
    """Whether the reading ``lost`` is one a reading in ``gained`` stands in for (a generic or replaced one)."""
    sigs = {s.id: s for s in cat.signatures}
    sig = sigs.get(lost.split(":")[-1])
    if sig is None:
        return lost.startswith("words:")
    return sig.generic or any(sig.id in sigs[g].replaces for g in gained if g in sigs) or sig.id == "LOG-GPU-STATUS"


def _read(matcher: Matcher, text: str) -> set[str]:
    found = {sig.id for sig, _ in matcher.match(text)}
    found |= {f"arm:{sig.id}" for sig in matcher.arms(text)}
    reading = errorwords.read_line(text.strip())
    if reading is not None:
        found.add(f"words:{reading.noun}/{reading.predicate}")
    return found


def main(argv: list[str] | None = None) -> int:
    """Print the per-class counts (and examples)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--matrix", action="store_true", help="wrap every signature's example lines instead")
    parser.add_argument("--reader", action="store_true", help="the fact reader's readings of corpus lines, wrapped")
    parser.add_argument("--current", action="store_true", help="start from the scan's own line preparation")
    parser.add_argument("--layout", action="store_true", help="every example line in each layout, read by explain")
    parser.add_argument("--base", help="with --layout: also a git revision's code (for example main), in the same run")
    parser.add_argument("--json", action="store_true", help="with --layout: the counts as JSON")
    args = parser.parse_args(argv)
    cat = catalogue()
    if args.layout:
        layout_matrix(cat, args.examples, args.base, args.json)
        return 0
    if args.matrix:
        matrix(cat, args.examples)
        return 0
    if args.reader:
        reader_matrix(args.examples)
        return 0
    matcher = Matcher(cat, use_re2=False)
    causes = {s.id: s.cause for s in cat.signatures}
    prepare: Callable[[str], str] = lambda t: t  # noqa: E731
    if args.current:
        from whygpu.explain.normalize import unwrap

        prepare = unwrap
    lines: dict[str, int] = defaultdict(int)
    cases: dict[str, set[str]] = defaultdict(set)
    right: dict[str, set[str]] = defaultdict(set)
    examples: dict[str, list[str]] = defaultdict(list)
    total_lines = 0
    for case in _cases():
        expected = (case.get("causes") or [None])[0]
        for raw in case["log"].encode("utf-8", "replace").split(b"\n"):
            text = prepare(clean(raw)[0])
            if not text.strip():
                continue
            total_lines += 1
            before: set[str] | None = None
            for name, form in FORMS.items():
                changed = form(text)
                if changed == text:
                    continue
                if before is None:
                    before = _read(matcher, text)
                after = _read(matcher, changed)
                # A reading gained and none lost but a generic one it replaces (a form that breaks a specific
                # reading lets a generic one through: no gain).
                gained = after - before
                lost = before - after
                if not gained or any(not _yields(cat, x, gained) for x in lost):
                    continue
                lines[name] += 1
                cases[name].add(case["_key"])
                if any(causes.get(g.split(":")[-1]) == expected for g in gained):
                    right[name].add(case["_key"])
                if len(examples[name]) < args.examples:
                    examples[name].append(f"{case['_key']} [{','.join(sorted(gained))}] {text[:200]!r}")
    print(f"lines read: {total_lines}")
    print(f"{'class':<20} {'lines':>6} {'cases':>6} {'cause named':>12}")
    for name in sorted(FORMS, key=lambda n: -lines[n]):
        print(f"{name:<20} {lines[name]:>6} {len(cases[name]):>6} {len(right[name]):>12}")
    for name in sorted(FORMS, key=lambda n: -lines[n]):
        for example in examples[name]:
            print(f"  {name}: {example}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
