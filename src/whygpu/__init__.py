"""whygpu: why your framework is not using the NVIDIA GPU, and exactly what to change."""

from __future__ import annotations

from whygpu.version import __version__

# ``typing`` is not imported at run time: ``import whygpu`` and ``whygpu --help`` stay light.
# mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from whygpu.model import Report

__all__ = ["__version__", "doctor", "explain"]


def doctor(**options: Any) -> Report:
    """Diagnose this machine (or ``root=``/``python=``/``snapshot=``) and return a report that displays as HTML in Jupyter."""
    from whygpu.api import doctor as _doctor

    return _doctor(**options)


def explain(path: str) -> Report:
    """Read a log file or an Azure ML job log folder and return the report on it."""
    from whygpu.api import explain as _explain

    return _explain(path)
