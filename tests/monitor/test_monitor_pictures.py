"""The HTML report in a real headless browser (Debian's chromium), the PNG plot, and Markdown."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pytest

from browser import CHROMIUM, run_chromium
from cli_runner import run_whygpu
from conftest import FIXTURES


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Without any network at all: the page must need none.
    return run_chromium(tmp_path, *args, no_network=True)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_html_report_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run_whygpu(["monitor", "--from", str(FIXTURES / "input_bound.dmon.txt"), "--html", str(page)])
    assert result.code == 1, result.stderr
    text = page.read_text()
    # Nothing to fetch: no src/href but inline data, no CSS url(), and a CSP that forbids any fetch.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?!data:)""", text) and "url(" not in text
    assert "default-src 'none'" in text
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert '<svg' in dom.stdout and 'id="whygpu-chart"' in dom.stdout
    assert len(re.findall(r'class="gpu-line"', dom.stdout)) == 2  # utilisation and memory of GPU 0
    assert "input-bound" in dom.stdout
    shot = tmp_path / "shot.png"
    done = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,800", page.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    width, height = _png_size(shot.read_bytes())
    assert (width, height) == (1000, 800)
    # The chart is drawn: the screenshot holds the lines' colour (#1f77b4) along a wide stretch of the page.
    image = pytest.importorskip("matplotlib.image").imread(str(shot))
    line = (abs(image[:, :, 0] - 0x1F / 255) < 0.08) & (abs(image[:, :, 1] - 0x77 / 255) < 0.08) & \
        (abs(image[:, :, 2] - 0xB4 / 255) < 0.08)
    columns = line.any(axis=0).nonzero()[0]
    assert line.sum() > 500 and columns.max() - columns.min() > 600


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_html_with_png_chart_in_chromium(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    page, plot = tmp_path / "report.html", tmp_path / "plot.png"
    result = run_whygpu(["monitor", "--from", str(FIXTURES / "gpu_bound.nvidia-smi.csv"), "--html", str(page),
                         "--plot", str(plot)])
    assert result.code == 0, result.stderr
    assert _png_size(plot.read_bytes()) == (800, 450)
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert 'src="data:image/png;base64,' in dom.stdout


def test_plot_without_matplotlib_is_a_usage_error(tmp_path: Path) -> None:
    # A sitecustomize that hides matplotlib, as on an install without the plot extra.
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\nclass Block:\n    def find_spec(self, name, path=None, target=None):\n"
        "        return None\n    def find_module(self, name, path=None):\n        return None\n"
        "import importlib.machinery\nclass Hide(importlib.machinery.PathFinder):\n    @classmethod\n"
        "    def find_spec(cls, name, path=None, target=None):\n"
        "        if name == 'matplotlib' or name.startswith('matplotlib.'):\n            return None\n"
        "        return importlib.machinery.PathFinder.find_spec(name, path, target)\n"
        "sys.meta_path[:] = [Hide if f is importlib.machinery.PathFinder else f for f in sys.meta_path]\n")
    import os

    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    result = run_whygpu(["monitor", "--from", str(FIXTURES / "gpu_bound.nvidia-smi.csv"), "--plot", str(tmp_path / "p.png")],
                        env=env)
    assert result.code == 2 and "whygpu[plot]" in result.stderr


def test_markdown_table() -> None:
    result = run_whygpu(["monitor", "--from", str(FIXTURES / "gpu_bound.nvidia-smi.csv"), "--format", "markdown"])
    assert result.code == 0
    assert "| GPU | name | samples | mean | median | p95 | idle | peak memory | verdict |" in result.stdout
    assert result.stdout.count("| healthy |") == 2
