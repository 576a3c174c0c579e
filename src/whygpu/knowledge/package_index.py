"""What build of a framework a package index or uv torch backend gives (knowledge/package_index.toml), and pip's choice
between a final release and a pre-release served by two indexes: for explain.indexcfg and rules LOG750-LOG752 (accindex,
session 38)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whygpu.knowledge._util import table_rows

__all__ = ["IndexBuild", "backend_build", "index_build", "marker_excludes", "pip_takes_cpu"]


@dataclass(frozen=True)
class IndexBuild:
    """The build an index serves: ``kind`` cpu / cuda / rocm / xpu, the CUDA tag (cu121) where one is named, whether the
    index holds only pre-releases, and the row's source."""

    framework: str
    kind: str
    tag: str
    prerelease: bool
    source: str


@lru_cache(maxsize=1)
def _indexes() -> tuple[tuple[re.Pattern[str], dict[str, object]], ...]:
    return tuple((re.compile(str(r["pattern"]), re.I), r) for r in table_rows("package_index", "index"))


def _kind(tag: str) -> str:
    tag = tag.lower()
    if tag == "cpu":
        return "cpu"
    if tag.startswith("cu"):
        return "cuda"
    if tag.startswith("rocm"):
        return "rocm"
    return tag


def index_build(url: str) -> IndexBuild | None:
    """The build of the framework an index URL serves, by the first [[index]] row that matches; None for an index the table
    does not know (PyPI, a private mirror named by host only): what such an index gives is not decided here."""
    for pattern, row in _indexes():
        if m := pattern.search(url):
            tag = (m.groupdict().get("variant") or str(row["build"])).lower()
            kind = _kind(tag) if row["build"] == "variant" else str(row["build"])
            return IndexBuild(str(row["framework"]), kind, tag, bool(row.get("prerelease")), str(row["source"]))
    return None


def backend_build(value: str) -> IndexBuild | None:
    """uv's torch backend (--torch-backend, UV_TORCH_BACKEND, torch-backend =): cpu is PyTorch's CPU index, cuNNN its CUDA
    index; auto is decided by uv from the driver it finds (kind "auto")."""
    value = value.strip().strip("'\"").lower()
    for row in table_rows("package_index", "backend"):
        if row["value"] == value:
            return IndexBuild("torch", str(row["build"]), value, False, str(row["source"]))
    if re.fullmatch(r"cu\d{2,3}|rocm[\d.]+|xpu", value):
        return IndexBuild("torch", _kind(value), value, False, str(table_rows("package_index", "backend")[0]["source"]))
    return None


def pip_takes_cpu(cpu: IndexBuild, other: IndexBuild | None) -> bool:
    """The one decision LOG750 asks: pip (and uv with unsafe-best-match) sees torch on a CPU index and on another index
    together, with no order between them (https://pip.pypa.io/en/stable/cli/pip_install/#finding-packages), and takes the
    highest version by PEP 440:

    - ``other`` None is PyPI (or an index of plain releases): a release with a local label ("2.5.1+cpu") sorts after the
      same release without one (https://peps.python.org/pep-0440/#local-version-identifiers), so the CPU index's build
      is taken, as pytorch/pytorch#26340 describes for --extra-index-url .../whl/cpu;
    - a CUDA index that holds only pre-releases (nightly, test) beside a CPU index's final release: the final release sorts
      higher (https://peps.python.org/pep-0440/#pre-releases), so the CPU build is taken (pytorch/ci-infra#661);
    - two final releases with local labels ("+cpu" against "+cu121") are ranked by their release numbers first and are not
      decided here."""
    if cpu.kind != "cpu" or cpu.prerelease:
        return False
    if other is None:
        return True
    return other.kind == "cuda" and other.prerelease


def marker_excludes(marker: str, platform: str) -> bool | None:
    """Whether a uv or Poetry source's environment marker ("sys_platform == 'linux'", "platform_machine == 'x86_64' and
    sys_platform != 'darwin'") leaves out ``platform`` (windows, linux), evaluated with the PEP 508 variables that
    platform reports ([[platform_env]]); a source left out falls through to the default index (PyPI)
    (https://docs.astral.sh/uv/concepts/indexes/#pinning-a-package-to-an-index). None where the marker or the platform is
    not known."""
    from packaging.markers import (
        InvalidMarker,
        Marker,
        UndefinedComparison,
        UndefinedEnvironmentName,
    )

    env = next((r for r in table_rows("package_index", "platform_env") if r["platform"] == platform), None)
    if env is None:
        return None
    try:
        parsed = Marker(marker)
        values = {k: str(v) for k, v in env.items() if k not in ("platform", "source")}
        return not parsed.evaluate(values)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return None
