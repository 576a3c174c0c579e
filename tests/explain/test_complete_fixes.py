"""Every explained case renders with every value filled: no ``?``, ``{name}``, ``None`` or ``<version>`` where a version belongs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from whygpu.explain import explain_text, to_report
from whygpu.render.interface import Format, render

HERE = Path(__file__).parent
REAL_LOGS = HERE.parents[2] / "shared" / "real-logs"


def _cases() -> list[dict]:
    cases = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
    for folder in (*sorted((HERE / "corpus").iterdir()), REAL_LOGS):
        if folder.is_dir():
            cases += [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    return cases


CASES = _cases()

# What an unfilled template leaves behind in the text whygpu writes (the log's own lines, shown
# as evidence, are left out: they may say anything).
PLACEHOLDERS = [
    re.compile(r"\{[a-z_]+\}"),  # a template name never filled
    re.compile(r"(?:<=|>=|==|CUDA|cuDNN|driver|version|torch|tensorflow|jax)\s*\?(?![\w?])"),  # "CUDA <= ?"
    re.compile(r"\b(?:CUDA|cuDNN|version|driver|Python)\s+None\b"),
    re.compile(r"<(?:version|ver|x\.y|X\.Y|cuda|driver|N|NNN|major|minor)>", re.I),
]


def _own_text(report_json: dict) -> list[str]:
    """The titles, fixes and summary whygpu wrote (not the evidence quoted from the log)."""
    out = [report_json["verdict"]["summary"]]
    for item in report_json["causes"] + report_json["findings"]:
        out += [item.get("title", ""), item.get("fix", "")]
    return out


@pytest.mark.parametrize("case", CASES, ids=[str(c.get("id", i)) for i, c in enumerate(CASES)])
def test_every_fix_is_complete_in_every_format(case: dict) -> None:
    report = to_report(explain_text(case["log"], source=str(case.get("id", "case"))))
    data = report.to_json()
    for text in _own_text(data):
        for rx in PLACEHOLDERS:
            assert not rx.search(text), f"unfilled placeholder {rx.pattern!r} in: {text!r}"
    # The verdict and each cause's title and fix reach every format whole (HTML escapes quotes and
    # angle brackets); a finding folded under a cause shows there by its code and evidence, so the
    # findings' own titles are checked in JSON only (below, through _own_text's placeholders).
    own = [data["verdict"]["summary"]] + [t for c in data["causes"] for t in (c.get("title", ""), c.get("fix", "")) if t]
    for fmt in (Format.TEXT, Format.JSON, Format.MARKDOWN, Format.HTML):
        out = render(report, fmt, verbose=1, width=100, color=False)
        for text in own[:5]:
            first = text.splitlines()[0][:60]
            if fmt is Format.HTML:
                import html

                first = html.escape(first, quote=True)
            if fmt is Format.JSON:
                first = json.dumps(first, ensure_ascii=False)[1:-1]  # as the JSON renderer writes it (a writer's words quoted in a title)
            assert first in out, f"{fmt.value}: {first!r} missing"


def test_the_driver_too_old_fix_names_a_real_cuda_version() -> None:
    log = ("RuntimeError: The NVIDIA driver on your system is too old (found version 11000). Please update your GPU driver "
           "by downloading and installing a new version from the URL: http://www.nvidia.com/Download/index.aspx")
    report = to_report(explain_text(log))
    fix = report.causes[0].fix
    assert report.causes[0].code == "DRIVER_TOO_OLD"
    assert "?" not in fix
    assert re.search(r"CUDA 11\.0\b", report.causes[0].title + fix)
    assert re.search(r"download\.pytorch\.org/whl/cu1\d\d", fix), fix


def test_every_signature_s_own_example_explains_with_every_value_filled() -> None:
    """A signature that fires on a log no richer reading knows gives its own fix: it must read whole, with no template left."""
    from whygpu.explain.catalogue import catalogue

    unfilled: list[str] = []
    for sig in catalogue().signatures:
        if sig.kind == "benign":
            continue
        for text in _own_text(to_report(explain_text(sig.example, source=sig.id)).to_json()):
            hit = next((m for rx in PLACEHOLDERS if (m := rx.search(text)) is not None), None)
            if hit is not None:
                unfilled.append(f"{sig.id}: {hit[0]!r} in {text[:80]!r}")
    assert unfilled == []
