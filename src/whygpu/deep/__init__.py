"""``doctor --deep``: each framework answered in its own bounded child process, and rules that read its answers."""

from __future__ import annotations

from whygpu.deep.runner import DEFAULT_TIMEOUT_S, collect_deep, run_deep

__all__ = ["DEFAULT_TIMEOUT_S", "collect_deep", "run_deep"]
