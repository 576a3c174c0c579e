"""The headless browser the HTML tests share: Debian's chromium (installed by .ci/run), flags that keep it quiet and offline."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def run_chromium(tmp_path: Path, *args: str, no_network: bool = False) -> subprocess.CompletedProcess[str]:
    """Run chromium headless with a fresh profile under ``tmp_path``; ``no_network``: in its own empty network namespace when possible."""
    assert CHROMIUM is not None
    prefix: list[str] = []
    if no_network and subprocess.run(["unshare", "--net", "true"], capture_output=True, timeout=30).returncode == 0:
        prefix = ["unshare", "--net"]
    argv = [*prefix, CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)
