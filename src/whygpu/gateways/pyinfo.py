"""Asks a Python interpreter for its own facts (version, prefixes, site-packages, platform) in a child process with a timeout.

The child runs a few lines of standard-library code that any Python 3.6+ understands and imports
nothing else, so asking costs about as much as starting the interpreter. Every failure (not found,
not Python, Python 2, a crash, a hang) comes back as ``Unavailable``.
"""

from __future__ import annotations

import contextlib
import json
import site
import sys
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from whygpu.facts import Fact, Unavailable
from whygpu.gateways.process import CommandRunner
from whygpu.records import record

_PROBE = "python interpreter"
_MARK = "WHYGPU-PYINFO:"

# Runs in the target interpreter: Python 3.6 syntax and standard library only. The marker keeps
# output printed by a sitecustomize or a .pth file from being read as the answer.
_CHILD_CODE = """
import json, site, sys
def _sites():
    out = []
    try:
        out.extend(site.getsitepackages())
    except Exception:
        pass
    try:
        if site.ENABLE_USER_SITE:
            out.append(site.getusersitepackages())
    except Exception:
        pass
    return out
print("MARK" + json.dumps({
    "executable": sys.executable,
    "version": "%d.%d.%d" % sys.version_info[:3],
    "prefix": sys.prefix,
    "base_prefix": getattr(sys, "base_prefix", sys.prefix),
    "site_packages": _sites(),
    "user_site_enabled": bool(getattr(site, "ENABLE_USER_SITE", False)),
    "sys_path": list(sys.path),
    "platform": sys.platform,
}))
""".replace("MARK", _MARK)


@record(frozen=True)
class InterpreterInfo:
    """An interpreter's answer about itself."""

    executable: str
    version: str  # "3.11.7"
    prefix: str
    base_prefix: str
    site_packages: tuple[str, ...]  # site.getsitepackages() then the user site when enabled
    sys_path: tuple[str, ...] = field(default_factory=tuple)
    platform: str = "linux"  # sys.platform


def _site_list() -> list[str]:
    out: list[str] = []
    # An embedded or unusual interpreter may lack either function.
    with contextlib.suppress(Exception):
        out.extend(site.getsitepackages())
    with contextlib.suppress(Exception):
        if site.ENABLE_USER_SITE:
            out.append(site.getusersitepackages())
    return out


def current_interpreter() -> InterpreterInfo:
    """The facts of the interpreter running whygpu, read in-process (no child needed)."""
    return InterpreterInfo(
        executable=sys.executable,
        version="{}.{}.{}".format(*sys.version_info[:3]),
        prefix=sys.prefix,
        base_prefix=sys.base_prefix,
        site_packages=tuple(_site_list()),
        sys_path=tuple(sys.path),
        platform=sys.platform,
    )


def ask_interpreter(
    runner: CommandRunner, executable: str, *, timeout_s: float, env: Mapping[str, str] | None = None
) -> Fact[InterpreterInfo]:
    """Run ``executable`` with a short standard-library script and read its answer."""
    result = runner.run([executable, "-c", _CHILD_CODE], timeout_s=timeout_s, env=env)
    if result.error is not None:
        return Unavailable(f"{executable}: {result.error}", _PROBE)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith(_MARK)), None)
    if result.returncode != 0 or line is None:
        detail = (result.stderr.strip().splitlines() or ["no answer"])[-1][:200]
        return Unavailable(f"{executable} exited with status {result.returncode}: {detail}", _PROBE)
    try:
        data: Any = json.loads(line[len(_MARK):])
        return InterpreterInfo(
            executable=str(data["executable"] or executable),
            version=str(data["version"]),
            prefix=str(data["prefix"]),
            base_prefix=str(data["base_prefix"]),
            site_packages=tuple(str(p) for p in data["site_packages"]),
            sys_path=tuple(str(p) for p in data.get("sys_path", [])),
            platform=str(data.get("platform", "linux")),
        )
    except (ValueError, KeyError, TypeError) as exc:
        return Unavailable(f"{executable}: unreadable answer ({type(exc).__name__})", _PROBE)
