"""A real headless browser (Debian's chromium) for the HTML tests: lays out a page and reads measurements back from its DOM."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_REASON = "chromium is not installed (CI installs it: .ci/run)"

# The flags this machine's closed network needs: no background connections, no first-run work.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def run_chromium(tmp_path: Path, *args: str, timeout: float = 120, no_network: bool = False) -> subprocess.CompletedProcess[str]:
    """Run headless chromium with a fresh profile under ``tmp_path``; ``no_network``: in an empty network namespace where possible."""
    assert CHROMIUM is not None, SKIP_REASON
    prefix: list[str] = []
    if no_network and subprocess.run(["unshare", "--net", "true"], capture_output=True, timeout=30).returncode == 0:
        prefix = ["unshare", "--net"]
    argv = [*prefix, CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


def measure(tmp_path: Path, page_html: str, script: str, *, width: int = 1000, name: str = "page") -> dict[str, Any]:
    """Lay out ``page_html`` with ``script`` appended (it must put JSON in ``<pre id="whygpu-layout">``) and return that JSON."""
    page = tmp_path / f"{name}.html"
    page.write_text(page_html.replace("</body>", f"<script>{script}</script></body>"), encoding="utf-8")
    done = run_chromium(tmp_path, f"--window-size={width},900", "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="whygpu-layout">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    data: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return data


def screenshot(tmp_path: Path, page_html: str, *, width: int = 1000, name: str = "shot") -> Path:
    """A PNG of the page as chromium draws it."""
    page = tmp_path / f"{name}.html"
    page.write_text(page_html, encoding="utf-8")
    png = tmp_path / f"{name}.png"
    run_chromium(tmp_path, f"--window-size={width},900", f"--screenshot={png}", page.as_uri())
    return png
