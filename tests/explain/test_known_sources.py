"""bench/known_sources.py: the sources collectors skip, rebuilt from the repository (docs/measuring-explain.md)."""

from __future__ import annotations

import json
from pathlib import Path

import bench_scripts


def test_case_sources_docs_urls_and_issue_names_are_gathered_normalised(tmp_path: Path) -> None:
    ks = bench_scripts.load("known_sources")
    root = tmp_path / "repo"
    case_dir = root / "tests" / "explain" / "corpus" / "holdout1"
    case_dir.mkdir(parents=True)
    (case_dir / "gh-a-b-1.json").write_text(json.dumps({"id": "gh-a-b-1", "source": "https://GitHub.com/A/B/issues/1/"}))
    (case_dir / "broken.json").write_text("{not json")
    (root / "docs").mkdir()
    (root / "docs" / "study.md").write_text("As in owner/repo#42 and https://example.org/thread/7.\n")
    (root / "bench").mkdir()
    (root / "bench" / "notes.md").write_text("other/proj#9 is not expanded outside docs/\n")
    urls = ks.known(root)
    assert "https://github.com/a/b/issues/1" in urls
    assert "https://example.org/thread/7" in urls
    assert {"https://github.com/owner/repo/issues/42", "https://github.com/owner/repo/pull/42"} <= urls
    assert not any("other/proj" in u for u in urls)


def test_the_repository_holds_every_corpus_source() -> None:
    ks = bench_scripts.load("known_sources")
    urls = ks.known()
    sample = sorted(Path(ks.ROOT, "tests", "explain", "corpus", "holdout105").glob("*.json"))[0]
    assert ks.normal(json.loads(sample.read_text())["source"]) in urls
