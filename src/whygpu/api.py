"""The library API behind the CLI and the notebook helpers: build a snapshot, diagnose, explain."""

from __future__ import annotations

import os
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
    from pathlib import Path

    from whygpu.collect.interface import Machine
    from whygpu.collect.snapshot import collect_snapshot
    from whygpu.errors import UserError

    env = dict(os.environ if environ is None else environ)
    if root is not None:
        root_path = Path(root)
        if not root_path.exists():
            raise UserError("no such directory", where=root)
        if not root_path.is_dir():
            raise UserError("not a directory (--root takes the top of a filesystem tree)", where=root)
        if deep:
            raise UserError("--deep starts the frameworks on this machine; it cannot inspect a --root tree")
        # The tree's own environment is unknown; only WHYGPU_* settings of the caller apply.
        machine = Machine.from_root(root, {}, python=python)
    else:
        if python is not None and not (os.path.exists(python) or _on_path(python, env)):
            raise UserError("no such interpreter", where=python)
        machine = Machine(environ=env, offline=offline, python=python, timeout_s=timeout_s)
    snapshot = collect_snapshot(machine)
    if deep:
        from whygpu.deep import collect_deep

        snapshot.deep = collect_deep(snapshot, machine, timeout_s=deep_timeout_s)
    return snapshot


def _on_path(name: str, env: dict[str, str]) -> bool:
    import shutil

    return os.sep not in name and shutil.which(name, path=env.get("PATH")) is not None


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
