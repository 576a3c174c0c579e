"""Where each framework keeps its build facts and which CUDA libraries it loads (python_layouts.toml)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whygpu.knowledge import load
from whygpu.records import record


@record(frozen=True)
class FrameworkLayout:
    """What ``knowledge/python_layouts.toml`` says about one framework."""

    name: str
    import_package: str
    build_file: str | None
    distributions: dict[str, bool]  # name -> can it be a CUDA build at all
    loader_objects: tuple[str, ...]
    preload: str | None  # "first", "fallback" or None
    preload_dirs: tuple[str, ...]
    required: frozenset[str]
    cuda_extra: str | None


@lru_cache(maxsize=1)
def layouts() -> dict[str, FrameworkLayout]:
    """The framework layouts, keyed by framework name."""
    data = load("python_layouts")
    out: dict[str, FrameworkLayout] = {}
    for name in ("tensorflow", "torch", "jax"):
        def rows(table: str, _name: str = name) -> list[dict[str, Any]]:
            return [r for r in data.get(table, []) if r.get("framework") == _name]

        preload = rows("wheel_preload")
        build = rows("build_file")
        extra = rows("cuda_extra")
        out[name] = FrameworkLayout(
            name=name,
            import_package=rows("import_package")[0]["package"],
            build_file=build[0]["path"] if build else None,
            distributions={r["name"]: bool(r["gpu"]) for r in rows("distribution")},
            loader_objects=tuple(r["path"] for r in rows("loader_object")),
            preload=preload[0]["when"] if preload else None,
            preload_dirs=tuple(preload[0]["dirs"]) if preload else (),
            required=frozenset(lib for r in rows("required_libraries") for lib in r["libraries"]),
            cuda_extra=extra[0]["extra"] if extra else None,
        )
    return out


@record(frozen=True)
class SameImport:
    """Distributions that install one import package, so that only one of them may be installed (a ``[[same_import]]`` row)."""

    group: str
    members: tuple[str, ...]
    gpu_member: str | None
    platform_dependency: dict[str, str]
    source: str


@lru_cache(maxsize=1)
def same_import_groups() -> tuple[SameImport, ...]:
    """The groups of distributions that write the same import package (FW004 reads them)."""
    return tuple(
        SameImport(
            group=str(r["group"]),
            members=tuple(str(m) for m in r["members"]),
            gpu_member=str(r["gpu_member"]) or None,
            platform_dependency={str(k): str(v) for k, v in r.get("platform_dependency", {}).items()},
            source=str(r["source"]),
        )
        for r in load("python_layouts").get("same_import", [])
    )
