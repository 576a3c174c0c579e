"""The HTML report laid out by a real browser (headless Debian chromium): padded cells that never overlap,
fix commands whole on one line, and colours that follow the notebook's light or dark theme.

CI installs chromium (.ci/run); where it is absent the tests are skipped, saying so.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from builders import cpu_vm, tf_build, torch_build
from cli_runner import run_whygpu

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it: .ci/run)")

# Runs in the page once it is laid out: every cell's box, every fix line's box and line height, the
# report's colours; written into the DOM, which --dump-dom prints.
MEASURE = """
<script>
(function () {
  const box = (e) => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const report = document.querySelector('.whygpu-report');
  const style = getComputedStyle(report);
  const out = {
    cells: [...report.querySelectorAll('td, th')].map((e) => ({box: box(e), text: e.textContent.slice(0, 40),
      padLeft: parseFloat(getComputedStyle(e).paddingLeft), padRight: parseFloat(getComputedStyle(e).paddingRight)})),
    commands: [...report.querySelectorAll('code.wg-cmd')].map((e) => ({box: box(e), text: e.textContent,
      lineHeight: parseFloat(getComputedStyle(e).lineHeight), whiteSpace: getComputedStyle(e).whiteSpace})),
    fixBoxes: [...report.querySelectorAll('.wg-fix')].map((e) => ({overflowX: getComputedStyle(e).overflowX})),
    background: style.backgroundColor,
    color: style.color,
    links: [...document.querySelectorAll('link, img, script[src], iframe')].length,
  };
  const pre = document.createElement('pre');
  pre.id = 'whygpu-layout';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    argv = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def _layout(tmp_path: Path, page: Path, *flags: str, width: int = 900) -> dict[str, Any]:
    done = _chromium(tmp_path, f"--window-size={width},900", *flags, "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="whygpu-layout">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    data: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return data


def _report_page(tmp_path: Path, body_attributes: str = "") -> Path:
    """The report exactly as ``whygpu doctor --from snap.json --format html -o report.html`` writes it, measured."""
    snapshot = cpu_vm(tf_build(libraries=[]), torch_build("2.13.0+cpu", cuda=None))
    snap = tmp_path / "snap.json"
    snap.write_text(json.dumps(snapshot.to_json()))
    out = tmp_path / "report.html"
    done = run_whygpu(["doctor", "--from", str(snap), "--format", "html", "-o", str(out)])
    assert done.code == 1, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text.split("<body", 1)[0], "the page must need no network"
    text = text.replace("<body>", f"<body {body_attributes}>").replace("</body>", MEASURE + "</body>")
    page = tmp_path / f"measured{abs(hash(body_attributes))}.html"
    page.write_text(text, encoding="utf-8")
    return page


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5 and a["t"] < b["b"] - 0.5 and b["t"] < a["b"] - 0.5


def _luminance(css: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def test_cells_are_padded_and_never_overlap(tmp_path: Path) -> None:
    layout = _layout(tmp_path, _report_page(tmp_path))
    cells = layout["cells"]
    assert len(cells) >= 8, cells
    for cell in cells:
        assert cell["padLeft"] >= 4 and cell["padRight"] >= 4, cell
    for i, first in enumerate(cells):
        for second in cells[i + 1:]:
            assert not _overlap(first["box"], second["box"]), (first, second)
    assert layout["links"] == 0, "nothing loaded from elsewhere"


@pytest.mark.parametrize("width", [1200, 700])
def test_each_fix_command_is_on_one_line(tmp_path: Path, width: int) -> None:
    layout = _layout(tmp_path, _report_page(tmp_path), width=width)
    commands = layout["commands"]
    assert any("pip install" in c["text"] for c in commands), commands
    for command in commands:
        height = command["box"]["b"] - command["box"]["t"]
        assert command["whiteSpace"] == "pre", command
        assert height <= command["lineHeight"] * 1.3, command  # one line box, however long the command
    assert all(box["overflowX"] == "auto" for box in layout["fixBoxes"])


def test_light_and_dark_notebook_themes(tmp_path: Path) -> None:
    light = _layout(tmp_path, _report_page(tmp_path))
    assert _luminance(light["background"]) > 0.8 and _luminance(light["color"]) < 0.3
    jupyter_dark = _layout(tmp_path, _report_page(tmp_path, 'data-jp-theme-light="false"'))
    assert _luminance(jupyter_dark["background"]) < 0.2 and _luminance(jupyter_dark["color"]) > 0.7
    system_dark = _layout(tmp_path, _report_page(tmp_path), "--blink-settings=preferredColorScheme=0")
    assert _luminance(system_dark["background"]) < 0.2
    jupyter_light_on_dark_system = _layout(tmp_path, _report_page(tmp_path, 'data-jp-theme-light="true"'),
                                           "--blink-settings=preferredColorScheme=0")
    assert _luminance(jupyter_light_on_dark_system["background"]) > 0.8


def test_screenshot(tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = _chromium(tmp_path, "--window-size=1100,800", f"--screenshot={shot}", _report_page(tmp_path).as_uri())
    assert shot.exists(), done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
