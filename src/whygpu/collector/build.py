"""Builds a snapshot of this machine or of a filesystem tree: the one entry to the collectors, shared by the API and ``collect.py``.

It lives beside the self-contained collector (``collector/main.py``) because that runs it on
Python 3.8 with the standard library alone, so it imports only the collectors, the deep runner and
the snapshot, never the report or its renderers.
"""

from __future__ import annotations

import os

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
    """Collect a snapshot of this machine, or of the filesystem tree at ``root`` (bad input is a ``UserError``)."""
    from whygpu.collect.interface import Machine
    from whygpu.collect.snapshot import collect_snapshot
    from whygpu.errors import UserError

    env = dict(os.environ if environ is None else environ)
    if root is not None:
        from pathlib import Path

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
