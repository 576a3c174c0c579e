"""Every output format renders; text and Markdown match golden files; secrets never reach any format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import cpu_vm, healthy, tf_build, torch_build
from golden import check_golden
from whygpu.diagnose import diagnose
from whygpu.model import Finding, Report, Severity, Verdict, rank_causes
from whygpu.render.interface import Format, render

GOLDEN = Path(__file__).parent / "golden"


def _stable(report: Report) -> Report:
    report.subject.pop("hostname", None)
    return report


def _cpu_report() -> Report:
    return _stable(diagnose(cpu_vm(tf_build(libraries=[]), torch_build("2.13.0+cpu", cuda=None))))


def _secret_report() -> Report:
    f = Finding("ENV001", "GPU_HIDDEN", Severity.ERROR, "hidden",
                ("AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountKey=SUPERSECRETKEY==",
                 "https://a.blob.core.windows.net/x?sv=1&sig=SIGNATURESECRET"), "fix with token=TOKENSECRET")
    return Report("machine", Verdict(False, "x"), rank_causes([f]), [f], details={"env": "PASSWORD=PWSECRET"})


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_renders(fmt: Format) -> None:
    if fmt is Format.SARIF:
        pytest.importorskip("whygpu.render.sarif")
    out = render(_cpu_report(), fmt, verbose=1)
    assert out.strip()


@pytest.mark.parametrize("fmt", list(Format))
def test_no_format_leaks_secrets(fmt: Format) -> None:
    if fmt is Format.SARIF:
        pytest.importorskip("whygpu.render.sarif")
    out = render(_secret_report(), fmt, verbose=2)
    for secret in ("SUPERSECRETKEY", "SIGNATURESECRET", "TOKENSECRET", "PWSECRET"):
        assert secret not in out


def test_json_is_the_contract() -> None:
    data = json.loads(render(_cpu_report(), Format.JSON))
    assert data["schema_version"] == 1
    assert data["causes"][0]["code"] == "NO_GPU"


def test_text_golden_cpu_vm() -> None:
    check_golden(GOLDEN / "doctor-cpu-vm.txt", render(_cpu_report(), Format.TEXT, width=100))


def test_text_golden_cpu_vm_verbose() -> None:
    check_golden(GOLDEN / "doctor-cpu-vm-verbose.txt", render(_cpu_report(), Format.TEXT, verbose=1, width=100))


def test_markdown_golden_cpu_vm() -> None:
    check_golden(GOLDEN / "doctor-cpu-vm.md", render(_cpu_report(), Format.MARKDOWN))


def test_text_golden_healthy() -> None:
    check_golden(GOLDEN / "doctor-healthy.txt", render(_stable(diagnose(healthy(tf_build(), torch_build()))), Format.TEXT, width=100))


def test_text_puts_the_verdict_first() -> None:
    out = render(_cpu_report(), Format.TEXT, width=100)
    assert out.splitlines()[0].startswith("NO The GPU is not usable here")


def test_html_for_jupyter() -> None:
    report = _cpu_report()
    html = report._repr_html_()
    assert "<table" in html and "NO_GPU" in html
