"""``whygpu lint``: static checks of Dockerfiles, conda and requirements files, Azure ML YAML and Python code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whygpu.model import Report


def lint(paths: Any = (".",), **kwargs: Any) -> Report:
    """Lint files or directories and return the report (see ``whygpu.lint.engine.lint``)."""
    from whygpu.lint.engine import lint as run

    return run(paths, **kwargs)


__all__ = ["lint"]
