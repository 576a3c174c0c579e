"""The machine a collector inspects, passed in: root directory, environment, command runner, network policy.

Collectors read ``/proc``, ``/sys``, ``/dev``, ``/etc``, ``/usr`` through ``machine.path(...)`` and
never through absolute paths, so a test builds a fake machine in ``tmp_path`` and an unpacked
container image is diagnosed with ``--root``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import field

from whygpu.gateways.process import CommandRunner, NoCommands, SubprocessRunner
from whygpu.records import record

DEFAULT_IMDS_URL = "http://169.254.169.254"


@record
class Machine:
    """Everything a collector may touch. ``live`` is False under ``--root``: no commands, no NVML, no network."""

    root: str | os.PathLike[str] = "/"  # a Path from ``from_root``
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    runner: CommandRunner = field(default_factory=SubprocessRunner)
    live: bool = True
    offline: bool = False
    # A path to a python interpreter to inspect (None: the current one, or every env under --root).
    python: str | None = None
    timeout_s: float = 5.0

    def path(self, absolute: str) -> str:
        """``/proc/driver/nvidia/version`` under this machine's root.

        The string ``root / absolute`` gives as a ``pathlib.Path``: empty and ``.`` parts dropped, ``..``
        kept (the collectors are many, their paths short: pathlib's import and parsing cost more than
        their reads).
        """
        root = os.fspath(self.root)
        parts = "/".join([part for part in absolute.split("/") if part and part != "."])
        if not parts:
            return root
        return f"{root}{parts}" if root.endswith("/") else f"{root}/{parts}"

    @property
    def imds_url(self) -> str | None:
        """The IMDS base URL, or None when network use is off."""
        if self.offline or not self.live:
            return None
        return self.environ.get("WHYGPU_IMDS_URL", DEFAULT_IMDS_URL).rstrip("/")

    @classmethod
    def from_root(cls, root: str, environ: Mapping[str, str] | None = None, *, python: str | None = None) -> Machine:
        """A filesystem tree (an unpacked image, a mounted disk): nothing live is run or contacted."""
        from pathlib import Path

        return cls(root=Path(root), environ=dict(environ or {}), runner=NoCommands(), live=False, offline=True, python=python)
