"""Writes the list of public sources the project already holds, for collectors of sealed sets to skip.

docs/measuring-explain.md: a collector skips a thread whose source is already in the corpus, the real-logs sample, the lint
corpus or another collector's folder. This gathers them from the repository alone, so that a new machine can rebuild the
list: every case's ``source`` (the corpus, the real-logs sample when beside the repository, and any extra folders given),
every URL in docs/, bench/ and the knowledge files, and each ``owner/repo#N`` named in docs/ (as an issue, a pull request
and a discussion, since the name does not say which). URLs are lower-cased, without a trailing slash or full stop.

    python3 bench/known_sources.py OUT.txt [EXTRA_CASE_DIR...]
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_URL = re.compile(r"https?://[^\s)\]>\"'`,]+")
_ISSUE_REF = re.compile(r"\b([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#(\d+)\b")


def normal(url: str) -> str:
    """A source as collectors compare it: lower-cased, no trailing slash or full stop."""
    return url.strip().lower().rstrip("/.")


def case_sources(folders: Iterable[Path]) -> set[str]:
    """The ``source`` of every case file (``*.json``) in ``folders``."""
    out: set[str] = set()
    for folder in folders:
        for path in sorted(folder.glob("*.json")):
            try:
                source = json.loads(path.read_text(encoding="utf-8")).get("source")
            except (OSError, ValueError, AttributeError):
                continue
            if isinstance(source, str) and source.strip():
                out.add(normal(source))
    return out


def text_sources(text: str, *, refs: bool = False) -> set[str]:
    """The URLs in ``text``; with ``refs``, each ``owner/repo#N`` too, as its issue, pull request and discussion."""
    out = {normal(url) for url in _URL.findall(text)}
    if refs:
        for repo, number in _ISSUE_REF.findall(text):
            for kind in ("issues", "pull", "discussions"):
                out.add(normal(f"https://github.com/{repo}/{kind}/{number}"))
    return out


def known(root: Path = ROOT, extra: Iterable[Path] = ()) -> set[str]:
    """Every source the repository at ``root`` holds (and the cases of ``extra`` folders)."""
    folders = [*sorted((root / "tests" / "explain" / "corpus").glob("*/")), root.parent / "shared" / "real-logs", *extra]
    out = case_sources(f for f in folders if f.is_dir())
    texts = [*sorted((root / "docs").rglob("*.md")), *sorted((root / "bench").glob("*.toml")), *sorted((root / "bench").glob("*.md")),
             *sorted((root / "bench" / "explain_ceiling").glob("*")), *sorted((root / "tests" / "explain" / "corpus").glob("*/README.md")),
             *sorted((root / "src" / "whygpu").rglob("*.toml"))]
    for path in texts:
        if path.is_file():
            out |= text_sources(path.read_text(encoding="utf-8", errors="replace"), refs=path.suffix == ".md" and "docs" in path.parts)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    urls = known(extra=[Path(a) for a in args[1:]])
    Path(args[0]).write_text("\n".join(sorted(urls)) + "\n", encoding="utf-8")
    print(f"{len(urls)} known sources written to {args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
