"""JAX knowledge: the CUDA plugin variants of each jax/jaxlib version and what they need."""

from __future__ import annotations

from functools import lru_cache

from packaging.version import Version

from whygpu import lazyre as re
from whygpu.knowledge import load
from whygpu.knowledge._util import in_spec, parse_version, pep503, table_rows
from whygpu.records import record


@record(frozen=True)
class JaxCudaVariant:
    """One CUDA flavour of JAX (a ``jax[cudaNN]`` extra) and what it needs."""

    cuda_major: int
    extra: str
    min_cuda: str
    min_cudnn: str | None
    min_driver: str
    min_compute_capability: str
    source: str


@record(frozen=True)
class JaxRequirements:
    """What a jax/jaxlib version needs to use an NVIDIA GPU."""

    version: str
    variants: tuple[JaxCudaVariant, ...]
    min_cuda: str | None
    min_cudnn: str | None
    min_driver: str | None
    cuda_jaxlib_local_tag: bool
    cpu_only_meaning: str
    source: str

    @property
    def extra(self) -> str | None:
        """The ``jax[...]`` extra with the lowest driver and GPU floor ("cuda12"), if any."""
        if not self.variants:
            return None
        broadest = min(
            self.variants, key=lambda v: (parse_version(v.min_driver) or Version("0"), v.cuda_major)
        )
        return broadest.extra

    def variant(self, cuda_major: int) -> JaxCudaVariant | None:
        """The variant for one CUDA major, or None when this version has none."""
        return next((v for v in self.variants if v.cuda_major == cuda_major), None)


@lru_cache(maxsize=1)
def _jax_variants() -> tuple[tuple[str, JaxCudaVariant], ...]:
    return tuple(
        (
            row["jax"],
            JaxCudaVariant(
                cuda_major=int(row["cuda_major"]),
                extra=row["extra"],
                min_cuda=row["min_cuda"],
                min_cudnn=row.get("min_cudnn"),
                min_driver=row["min_driver"],
                min_compute_capability=row["min_compute_capability"],
                source=row["source"],
            ),
        )
        for row in table_rows("jax", "cuda_variant")
    )


def _lowest(values: list[str]) -> str | None:
    parsed = [(v, parse_version(v)) for v in values]
    known = [(v, p) for v, p in parsed if p is not None]
    return min(known, key=lambda pair: pair[1])[0] if known else None


def jax_cuda_requirements(jax_version: str) -> JaxRequirements | None:
    """The CUDA plugin packages and minimum CUDA, cuDNN and driver of a jax/jaxlib version.

    None for versions outside the table (before the CUDA plugins and the CUDA jaxlib of 0.4.x).
    """
    parsed = parse_version(jax_version)
    if parsed is None:
        return None
    variants = tuple(v for spec, v in _jax_variants() if in_spec(spec, parsed))
    monolithic = any(in_spec(row["jax"], parsed) for row in table_rows("jax", "cuda_jaxlib"))
    if not variants and not monolithic:
        return None
    cpu = load("jax")["cpu_only"][0]
    sources = [v.source for v in variants] or [cpu["source"]]
    return JaxRequirements(
        version=str(jax_version),
        variants=variants,
        min_cuda=_lowest([v.min_cuda for v in variants]),
        min_cudnn=_lowest([v.min_cudnn for v in variants if v.min_cudnn]),
        min_driver=_lowest([v.min_driver for v in variants]),
        cuda_jaxlib_local_tag=monolithic,
        cpu_only_meaning=cpu["meaning"],
        source=sources[0],
    )


@record(frozen=True)
class JaxPlugin:
    """A JAX CUDA plugin distribution read from its name: the CUDA major it is built for and its role."""

    cuda_major: int
    role: str
    """``pjrt`` (jax-cudaNN-pjrt: the PJRT C-API plugin library) or ``kernels`` (jax-cudaNN-plugin: the Python kernels)."""


@lru_cache(maxsize=1)
def _plugin_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    patterns = []
    for row in table_rows("jax", "plugin"):
        regex = re.escape(row["pattern"]).replace(re.escape("{major}"), r"(\d+)")
        patterns.append((re.compile(f"^{regex}$"), row["role"]))
    return tuple(patterns)


def jax_plugin(dist_name: str) -> JaxPlugin | None:
    """The one reading of a JAX CUDA plugin distribution's name (the ``plugin`` rows): "jax_cuda12_pjrt" -> (12, "pjrt"); None for any other name.

    The collector (which plugins an environment has) and lint (whether a stack installs one) ask it.
    """
    wanted = pep503(dist_name)
    for pattern, role in _plugin_patterns():
        match = pattern.match(wanted)
        if match:
            return JaxPlugin(int(match.group(1)), role)
    return None


def jaxlib_local_cuda(version: str) -> tuple[int | None, str | None] | None:
    """(CUDA major, cuDNN major) a CUDA build of jaxlib names in its local version: "0.4.20+cuda12.cudnn89" -> (12, "8").

    jaxlib up to 0.4.29 could be a CUDA build itself (from Google's wheel index); a tag that says
    ``cuda`` without the numbers is a CUDA build of unknown versions (None, None). None for a
    jaxlib whose local version (or bare tag) does not say ``cuda``.
    Source: https://storage.googleapis.com/jax-releases/jax_cuda_releases.html
    """
    local = version.partition("+")[2] if "+" in version else version
    if "cuda" not in local.lower():
        return None
    match = re.search(r"cuda(\d+)(?:\.cudnn(\d)(\d*))?", local.lower())
    if match is None:
        return None, None
    return int(match.group(1)), match.group(2)


def jaxlib_system_cudnn(version: str, extras: tuple[str, ...] | list[str] = ()) -> str | None:
    """The cuDNN a CUDA jaxlib loads from the system, by the ``cuda_jaxlib_libraries`` row: its local version's cuDNN
    major ("0.3.10+cuda11.cudnn82" -> "8"; "" when the tag names none), or None: not a CUDA jaxlib, or one of the
    stack's jax ``extras`` brings NVIDIA's pip wheels (``cuda11_pip``), or an extra whose libraries are not known."""
    found = jaxlib_local_cuda(version)
    if found is None:
        return None
    rows = table_rows("jax", "cuda_jaxlib_libraries")
    row = rows[0] if rows else None
    if row is None or row.get("loads") != "system":
        return None
    for extra in extras:
        if re.match(str(row["pip_wheels_extra"]), extra.lower()) or not re.match(str(row["system_extra"]), extra.lower()):
            return None
    return found[1] or ""


def jax_platform_has_cuda(platform: str) -> bool | None:
    """Whether JAX publishes CUDA builds for a platform ("linux" True, "windows" False), None when the table does not say."""
    for row in table_rows("jax", "platform"):
        if row["name"] == platform:
            return bool(row["gpu"])
    return None


def jax_lowest_compute_capability() -> tuple[str, str] | None:
    """(the lowest compute capability the CUDA plugins of any release in the table support, the first such release) (acccc, session 21).

    For a log that shows JAX but not its version, as ``torch_lowest_compute_capability`` and
    ``tensorflow_lowest_compute_capability`` are for theirs: a GPU below this is below the CUDA builds of every release
    the table covers (``cuda_variant`` rows: 5.2 from 0.4.26); an older release or a build from source may still run on it.
    """
    best: tuple[tuple[int, ...], str, str] | None = None
    for spec, variant in _jax_variants():
        since = re.search(r">=\s*([\d.]+)", spec)
        key = tuple(int(p) for p in variant.min_compute_capability.split("."))
        if since is None:
            continue
        first = tuple(int(p) for p in since.group(1).split("."))
        if best is None or key < best[0] or (key == best[0] and first < tuple(int(p) for p in best[2].split("."))):
            best = (key, variant.min_compute_capability, since.group(1))
    return None if best is None else (best[1], best[2])


def _plain_release(version: str) -> Version | None:
    """The public part of a version ("0.3.10" of "0.3.10+cuda11.cudnn82"), None when it does not parse."""
    return parse_version(version.split("+", 1)[0])


def cuda_jaxlib_not_found(pinned: str, offered: list[str] | tuple[str, ...] | None, platform: str | None) -> str | None:
    """accplat (session 29): what pip not finding a pinned CUDA jaxlib (``jaxlib==0.3.10+cuda11.cudnn82``) says: the cause
    code, or None when the log cannot decide (the ``[[pypi_cpu_wheels]]`` and ``[[cuda_wheel_index]]`` rows of jax.toml).

    ``offered`` is pip's "(from versions: ...)" list (None when the log shows none); ``platform`` the log's platform.
    FRAMEWORK_CPU_BUILD where no CUDA jaxlib exists for the platform (native Windows or macOS, or pip's list is PyPI's
    Windows list: plain versions beginning at the release that added Windows wheels); FRAMEWORK_INSTALL_BROKEN where the
    platform has CUDA jaxlib wheels and the command asked for one its index does not serve (a Linux machine or container,
    a list holding +cuda versions: the CUDA index was read; a list holding the pinned release's plain version: the release
    exists for this platform, its CUDA build was not where pip looked)."""
    if platform in ("windows", "darwin"):
        return "FRAMEWORK_CPU_BUILD"
    if offered:
        if any("+cuda" in v for v in offered):
            return "FRAMEWORK_INSTALL_BROKEN"
        want = _plain_release(pinned)
        plain = [v for v in (_plain_release(o) for o in offered) if v is not None]
        if want is not None and want in plain:
            return "FRAMEWORK_INSTALL_BROKEN"
        for row in table_rows("jax", "pypi_cpu_wheels"):
            since = parse_version(str(row["since"]))
            if plain and since is not None and min(plain) == since and row["platform"] in ("windows", "darwin"):
                return "FRAMEWORK_CPU_BUILD"
    if platform in ("linux", "wsl", "wsl2", "colab"):
        indexed = [row for row in table_rows("jax", "cuda_wheel_index") if "linux" in row["platforms"]]
        return "FRAMEWORK_INSTALL_BROKEN" if indexed else None
    return None


def current_cuda_install() -> str:
    """The install command of JAX's CUDA build today (the ``[[cuda_wheel_index]]`` row's ``current``)."""
    rows = table_rows("jax", "cuda_wheel_index")
    return str(rows[0]["current"]) if rows else 'pip install -U "jax[cuda12]"'
