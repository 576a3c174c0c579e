"""The fleet page laid out by a real headless browser: every table cell apart, the odd node shown, nothing from the network."""

from __future__ import annotations

from pathlib import Path

import pytest
from fleetkit import lost_gpu, other_driver, write_fleet

from browser import CHROMIUM, SKIP_REASON, measure, screenshot
from cli_runner import run_whygpu

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=SKIP_REASON)

LAYOUT = """
(function () {
  const box = (e) => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const cells = (sel) => [...document.querySelectorAll(sel + ' td')].map((e) => ({box: box(e), text: e.textContent}));
  const out = {nodes: cells('#nodes'), odd: cells('#odd'), causes: document.querySelectorAll('.wg-table').length,
               external: [...document.querySelectorAll('link, img, script[src], iframe')].length,
               verdict: document.querySelector('.wg-verdict').textContent};
  const pre = document.createElement('pre'); pre.id = 'whygpu-layout'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5 and a["t"] < b["b"] - 0.5 and b["t"] < a["b"] - 0.5


def test_fleet_page_lays_out_with_the_odd_nodes(tmp_path: Path) -> None:
    write_fleet(tmp_path / "fleet", 6, {2: other_driver, 4: lost_gpu})
    out = tmp_path / "fleet.html"
    done = run_whygpu(["fleet", "--format", "html", "-o", str(out), str(tmp_path / "fleet")])
    assert done.code == 1, done.stderr
    page = out.read_text(encoding="utf-8")
    layout = measure(tmp_path, page, LAYOUT)
    assert layout["external"] == 0
    assert "node-02" in layout["verdict"] and "node-04" in layout["verdict"]
    texts = [c["text"] for c in layout["odd"]]
    assert "node-02" in texts and "node-04" in texts
    assert len(layout["nodes"]) == 6 * 7
    boxes = [c["box"] for c in layout["nodes"] + layout["odd"]]
    assert all(b["r"] > b["l"] and b["b"] > b["t"] for b in boxes)
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if _overlap(a, b)]
    png = screenshot(tmp_path, page)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
