"""Precision and recall of `whygpu lint` on a corpus of real public repositories (bench/lint_corpus.toml).

Each recorded repository is checked out at its recorded commit from the local mirror that the
fetch tool writes (/work/.mirror/<owner>+<name>/repo), or taken from --dir (<dir>/<owner>__<name>),
linted with the default settings, and compared with what was confirmed by reading the files:

- precision: reported errors and warnings that are recorded real GPU problems / all reported
  errors and warnings; and the same for errors alone (what fails the default gate, fail-on error);
- recall: recorded real problems that lint reports (same rule, path, line within 3) / recorded;
- fails CI: whether `whygpu lint` with the default settings exits 1; on a repository recorded
  healthy that is a false failure.

A repository that is neither mirrored nor in --dir is skipped with one line saying so.
Usage: python3 bench/lint_corpus.py [--dir DIR] [--mirror DIR] [--only NAME] [--set NAME] [--show-false]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - older interpreters only
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
LINE_SLACK = 3


@dataclass
class Result:
    """One repository's figures."""

    name: str
    reported: int = 0
    confirmed: int = 0
    errors: int = 0  # reported at error, what fails the default gate (fail-on error)
    confirmed_errors: int = 0
    expected: int = 0
    found: int = 0
    fails: bool = False
    healthy: bool = False
    false_alarms: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def _git_dir(mirror: Path, name: str) -> Path | None:
    base = mirror / name.replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "objects").is_dir():
            return candidate
    return None


def _extract(git_dir: Path, commit: str, dest: Path) -> None:
    """Write the files of ``commit`` under ``dest``; blobs the partial mirror lacks (large binaries) are skipped."""
    listing = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "-z", "--full-tree", commit], capture_output=True, check=True, timeout=300).stdout
    entries: list[tuple[str, str]] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode != b"120000":
            entries.append((sha.decode(), path.decode("utf-8", "surrogateescape")))
    with subprocess.Popen(["git", "--git-dir", str(git_dir), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE) as cat:
        assert cat.stdin is not None and cat.stdout is not None
        for sha, path in entries:
            cat.stdin.write(sha.encode() + b"\n")
            cat.stdin.flush()
            header = cat.stdout.readline().split()
            if not header or header[-1] == b"missing":
                continue
            data = cat.stdout.read(int(header[2]))
            cat.stdout.read(1)
            target = dest / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        cat.stdin.close()


def _checkout(repo: dict[str, object], args: argparse.Namespace, scratch: Path) -> Path | None:
    name = str(repo["name"])
    if args.dir:
        given = Path(args.dir) / name.replace("/", "__")
        if given.is_dir():
            return given
    git_dir = _git_dir(Path(args.mirror), name)
    if git_dir is None:
        return None
    dest = scratch / name.replace("/", "__")
    marker = dest / ".whygpu-corpus-commit"
    if not (marker.is_file() and marker.read_text().strip() == repo["commit"]):
        dest.mkdir(parents=True, exist_ok=True)
        _extract(git_dir, str(repo["commit"]), dest)
        marker.write_text(str(repo["commit"]))
    return dest


def _lint(root: Path) -> tuple[int, list[dict[str, object]]]:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        # Default settings: no --fail-on, no --isolated; the exit code is what CI would see.
        # lint runs in the checkout (its config and .gitignore are found from there): a relative PYTHONPATH
        # (`PYTHONPATH=src`) would then name nothing and the installed whygpu would be measured instead.
        env = dict(os.environ)
        if env.get("PYTHONPATH"):
            env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in env["PYTHONPATH"].split(os.pathsep) if p)
        proc = subprocess.run([sys.executable, "-m", "whygpu", "lint", "--json", "-o", report.name, str(root)], capture_output=True, text=True, timeout=1800,
                              cwd=root, env=env)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"whygpu lint exited {proc.returncode} on {root}: {proc.stderr.strip()[-500:]}")
        data = json.loads(Path(report.name).read_text(encoding="utf-8"))
    return proc.returncode, list(data.get("findings", []))


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path


def judge(repo: dict[str, object], root: Path) -> Result:
    """Lint one checkout and compare with the record."""
    result = Result(str(repo["name"]), healthy=bool(repo.get("healthy", False)))
    code, findings = _lint(root)
    result.fails = code == 1
    expected = [dict(e) for e in repo.get("expect", [])]  # type: ignore[attr-defined]
    result.expected = len(expected)
    matched: set[int] = set()
    for finding in findings:
        if finding.get("severity") not in ("error", "warning"):
            continue
        result.reported += 1
        is_error = finding.get("severity") == "error"
        result.errors += is_error
        extra = finding.get("extra") or {}
        assert isinstance(extra, dict)
        path = _relative(str(extra.get("file", "")), root)
        line = int(extra.get("line") or 0)
        hit = next(
            (i for i, e in enumerate(expected) if i not in matched and e["rule"] == finding.get("id") and e["path"] == path and abs(int(e["line"]) - line) <= LINE_SLACK),
            None,
        )
        if hit is None:
            result.false_alarms.append(f"{finding.get('id')} {finding.get('severity')} {path}:{line} {finding.get('title')}")
        else:
            matched.add(hit)
            result.confirmed += 1
            result.confirmed_errors += is_error
    result.found = len(matched)
    result.missed = [f"{e['rule']} {e['path']}:{e['line']} {e['why']}" for i, e in enumerate(expected) if i not in matched]
    return result


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {100 * a / b:.0f}%" if b else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(HERE / "lint_corpus.toml"))
    parser.add_argument("--mirror", default=os.environ.get("WHYGPU_CORPUS_MIRROR", "/work/.mirror"), help="where fetched repositories are (<owner>+<name>/repo)")
    parser.add_argument("--dir", help="checkouts as <dir>/<owner>__<name> (used before the mirror)")
    parser.add_argument("--scratch", default=os.path.join(tempfile.gettempdir(), "lintcorpus"), help="where mirrored commits are checked out")
    parser.add_argument("--only", action="append", default=[], help="only repositories whose name contains this")
    parser.add_argument("--set", dest="subset", help="only repositories of this set ('held-out-3'; 'studied' for those without a set)")
    parser.add_argument("--show-false", action="store_true", help="list every false alarm and every miss")
    args = parser.parse_args()
    corpus = tomllib.loads(Path(args.corpus).read_text(encoding="utf-8"))
    scratch = Path(args.scratch)
    results: list[Result] = []
    print(f"{'repository':34} {'precision (warning+)':>22} {'recall':>14} {'fails CI':>9}")
    for repo in corpus["repo"]:
        if args.only and not any(part in repo["name"] for part in args.only):
            continue
        if args.subset and repo.get("set", "studied") != args.subset:
            continue
        root = _checkout(repo, args, scratch)
        if root is None:
            print(f"{repo['name']:34} skipped: not in {args.mirror} (fetch it) nor in --dir")
            continue
        result = judge(repo, root)
        results.append(result)
        verdict = ("yes" if result.fails else "no") + (" (healthy!)" if result.fails and result.healthy else "")
        print(f"{result.name:34} {_ratio(result.confirmed, result.reported):>22} {_ratio(result.found, result.expected):>14} {verdict:>9}")
        if args.show_false:
            for line in result.false_alarms:
                print(f"    false alarm: {line[:200]}")
            for line in result.missed:
                print(f"    missed:      {line[:200]}")
    reported = sum(r.reported for r in results)
    confirmed = sum(r.confirmed for r in results)
    expected = sum(r.expected for r in results)
    found = sum(r.found for r in results)
    healthy = [r for r in results if r.healthy]
    failing = [r.name for r in healthy if r.fails]
    print()
    print(f"repositories: {len(results)} ({len(healthy)} healthy)")
    print(f"precision at warning and above: {_ratio(confirmed, reported)}")
    print(f"precision at error (what fails the default gate): {_ratio(sum(r.confirmed_errors for r in results), sum(r.errors for r in results))}")
    print(f"recall of recorded real problems: {_ratio(found, expected)}")
    print(f"healthy repositories failing CI with the default settings: {len(failing)}" + (f" ({', '.join(failing)})" if failing else ""))
    print(f"repositories failing CI: {sum(r.fails for r in results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
