"""The library API behind the CLI and the notebook helpers: build a snapshot, diagnose, explain."""

from __future__ import annotations

from typing import Any

import whygpu.render  # noqa: F401  (a report shows as HTML in Jupyter)
from whygpu.model import Report
from whygpu.snapshot import Snapshot


def build_snapshot(
    *,
    python: str | None = None,
    root: str | None = None,
    offline: bool = False,
    timeout_s: float = 5.0,
    deep: bool = False,
    deep_timeout_s: float = 60.0,
    environ: dict[str, str] | None = None,
) -> Snapshot:
    """Collect a snapshot of this machine, or of the filesystem tree at ``root``."""
    from whygpu.collector.build import build_snapshot as _build_snapshot

    return _build_snapshot(python=python, root=root, offline=offline, timeout_s=timeout_s, deep=deep,
                           deep_timeout_s=deep_timeout_s, environ=environ)


def doctor(*, snapshot: str | Snapshot | None = None, **options: Any) -> Report:
    """Diagnose this machine (keyword options as ``build_snapshot``) or a snapshot file/object."""
    from whygpu.diagnose import diagnose
    from whygpu.snapshot import read_snapshot

    if isinstance(snapshot, str):
        return diagnose(read_snapshot(snapshot), subject_kind="snapshot")
    if isinstance(snapshot, Snapshot):
        return diagnose(snapshot, subject_kind="snapshot")
    return diagnose(build_snapshot(**options), subject_kind="machine")


def explain(path: str) -> Report:
    """Read logs at ``path`` (a file, a gzip'd file or an Azure ML job folder) and return the report."""
    from whygpu.explain import explain_path, to_report

    return to_report(explain_path(path))
