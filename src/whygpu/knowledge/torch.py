"""PyTorch knowledge: releases and their CUDA variants, wheel local tags, arch lists and index URLs."""

from __future__ import annotations

from dataclasses import field
from functools import lru_cache

from packaging.version import Version

from whygpu import lazyre as re
from whygpu.knowledge import load
from whygpu.knowledge._util import in_spec, minor_key, parse_version, release_parts, table_rows
from whygpu.records import record


@record(frozen=True)
class TorchRelease:
    """A PyTorch release minor: the CUDA variants it was published for and its Python range."""

    version: str
    cuda_variants: list[str] = field(hash=False)
    experimental_cuda_variants: tuple[str, ...]
    pypi_default_cuda: str | None
    pypi_default_verified: bool
    python_min: str  # the oldest Python it has wheels for
    python_max: str  # the newest Python the compatibility matrix lists it as supporting (not "experimental")
    source: str
    python_wheels_max: str = ""  # the newest Python it has PyPI wheels for (above python_max where the matrix says experimental)


@record(frozen=True)
class TorchPython:
    """accunify (session 26): one row of knowledge/torch.toml [[python]]: which PyTorch releases serve a Python minor.

    ``wheels_from``: the first release with PyPI wheels for it (None: older than every [[release]] row); ``supported_from``:
    the first the compatibility matrix lists it for without "experimental" (None: likewise older); ``wheels_until``: the
    last release with wheels for it (None: still built).
    """

    python: str
    wheels_from: str | None
    supported_from: str | None
    wheels_until: str | None
    source: str


def _python_key(python: str) -> tuple[int, ...]:
    return tuple(int(p) for p in python.split("."))


@lru_cache(maxsize=1)
def _python_rows() -> tuple[TorchPython, ...]:
    rows = [TorchPython(python=str(row["python"]), wheels_from=row.get("wheels_from"), supported_from=row.get("supported_from"),
                        wheels_until=row.get("wheels_until"), source=str(row["source"]))
            for row in table_rows("torch", "python")]
    return tuple(sorted(rows, key=lambda r: _python_key(r.python)))


def _serves(row: TorchPython, release: Version, *, supported: bool) -> bool:
    """Whether the release (a version) has wheels for the row's Python and, with ``supported``, the matrix supports it."""
    if row.wheels_until is not None and Version(".".join(release.base_version.split(".")[:2])) > Version(row.wheels_until):
        return False
    first = row.supported_from if supported else row.wheels_from
    return first is None or release >= Version(first)


@lru_cache(maxsize=1)
def _torch_releases() -> dict[str, TorchRelease]:
    releases: dict[str, TorchRelease] = {}
    pythons = _python_rows()
    for row in table_rows("torch", "release"):
        stable = list(row.get("cuda", ()))
        experimental = tuple(row.get("cuda_experimental", ()))
        version = Version(row["version"])
        wheels = [p.python for p in pythons if _serves(p, version, supported=False)]
        supported = [p.python for p in pythons if _serves(p, version, supported=True)]
        releases[row["version"]] = TorchRelease(
            version=row["version"],
            cuda_variants=sorted(set(stable) | set(experimental), key=Version),
            experimental_cuda_variants=experimental,
            pypi_default_cuda=row.get("pypi_default_cuda"),
            pypi_default_verified=bool(row.get("pypi_default_verified", False)),
            python_min=wheels[0],
            python_max=supported[-1],
            source=row["source"],
            python_wheels_max=wheels[-1],
        )
    return releases


def torch_releases() -> list[TorchRelease]:
    """Every PyTorch release minor the table knows, newest first."""
    return sorted(_torch_releases().values(), key=lambda r: tuple(int(p) for p in r.version.split(".")[:2]), reverse=True)


def torch_release(version: str) -> TorchRelease | None:
    """The CUDA variants, PyPI default CUDA and Python range of a PyTorch release minor."""
    key = minor_key(version)
    if key is None:
        return None
    return _torch_releases().get(key)


def torch_cuda_from_local_tag(tag: str) -> str | None:
    """The CUDA version in a torch wheel's local tag: "cu121" -> "12.1"; "cpu", "rocm6.1" -> None.

    Accepts the bare tag, "+cu121" or a whole version such as "2.1.0+cu121".
    """
    local = tag.rsplit("+", 1)[-1].strip().lower()
    match = re.fullmatch(r"cu(\d+)(\d)", local)
    if match is None:
        return None
    return f"{int(match.group(1))}.{match.group(2)}"


def torch_local_tag(cuda: str | None) -> str:
    """The variant name of the PyTorch index for a CUDA version: "12.6" -> "cu126", None -> "cpu"."""
    if cuda is None:
        return "cpu"
    text = cuda.strip().lower()
    if text.startswith("cu") or text == "cpu" or text.startswith(("rocm", "xpu")):
        return text
    parsed = parse_version(text)
    if parsed is None:
        return "cpu"
    major, minor = release_parts(parsed, 2)
    return f"cu{major}{minor}"


def torch_arch_list(version: str, cuda: str) -> list[str] | None:
    """The TORCH_CUDA_ARCH_LIST of the official Linux x86-64 wheel for a release and CUDA variant.

    Entries are compute capabilities such as "8.6"; "12.0+PTX" marks PTX as well as SASS.
    ``cuda`` may be "12.6" or "cu126". None when the table does not know the pair.
    """
    parsed = parse_version(version)
    cuda_version = (
        torch_cuda_from_local_tag(cuda) if cuda.strip().lower().startswith("cu") else cuda
    )
    cuda_key = minor_key(cuda_version) if cuda_version else None
    if parsed is None or cuda_key is None:
        return None
    for row in table_rows("torch", "arch_list"):
        if row["cuda"] == cuda_key and in_spec(row["torch"], parsed):
            return list(row["archs"])
    return None


def torch_index_url(cuda: str | None) -> str:
    """The PyTorch wheel index for a CUDA version ("12.6" or "cu126"), or the CPU index for None."""
    template: str = load("torch")["index"][0]["url_template"]
    return template.format(variant=torch_local_tag(cuda))


def torch_index_published(variant: str) -> bool | None:
    """Whether PyTorch publishes a wheel index for a CUDA variant ("cu122" -> False, "cu121" -> True).

    None for a variant older than every release the table knows (it may have existed then) and
    for anything that is not a CUDA variant.
    """
    cuda = torch_cuda_from_local_tag(variant)
    if cuda is None:
        return None
    known = sorted({v for r in torch_releases() for v in r.cuda_variants}, key=Version)
    if not known or Version(cuda) < Version(known[0]):
        return None
    return cuda in known


def torch_nearest_published_cuda(cuda: str) -> str | None:
    """The newest CUDA variant PyTorch publishes that is not newer than ``cuda`` ("12.2" -> "12.1")."""
    try:
        wanted = Version(cuda)
    except ValueError:
        return None
    known = sorted({v for r in torch_releases() for v in r.cuda_variants}, key=Version)
    older = [v for v in known if Version(v) <= wanted]
    return older[-1] if older else None


def torch_pypi_wheel_cpu_only(platform: str) -> bool:
    """Whether a torch wheel without a +cuXYZ local tag is CPU-only on ``platform`` ("windows", "macos")."""
    return any(row["platform"] == platform for row in table_rows("torch", "pypi_cpu_only"))


def torch_min_compute_capability(version: str, cuda: str | None = None) -> str | None:
    """The lowest compute capability the official binaries of a release (and CUDA variant) run on.

    From the variant's arch list when the table has it, else from the release's row of
    ``min_compute_capability`` (old releases, every variant). None when neither says.
    """
    if cuda:
        archs = torch_arch_list(version, cuda)
        if archs:
            return min((a.split("+")[0] for a in archs), key=lambda a: tuple(int(p) for p in a.split(".")))
    parsed = parse_version(version)
    if parsed is None:
        return None
    for row in table_rows("torch", "min_compute_capability"):
        if in_spec(row["torch"], parsed):
            return str(row["min_cc"])
    return None


def torch_lowest_compute_capability(since: str | None = None) -> tuple[str, str] | None:
    """(the lowest compute capability any official PyTorch binary of the table's releases runs on, the first such release).

    accversions (session 20): for a log that shows PyTorch but not its version, a GPU below this is below the binaries of
    every release the table covers (``min_compute_capability``: 3.5 from 0.4.1, when 3.0 was removed); an older release
    or a build from source may still run on it, which the rule's wording says.
    accfacts (session 25): ``since`` keeps to the releases from that one on (the oldest a Python runs,
    ``torch_first_release_for_python``): the lowest minimum of those releases' rows (``min_compute_capability`` and
    ``arch_list``), with ``since`` as the first release.
    """
    best: tuple[tuple[int, ...], str, str] | None = None
    floor = parse_version(since) if since else None
    rows = [(str(row["torch"]), str(row["min_cc"])) for row in table_rows("torch", "min_compute_capability")]
    if floor is not None:
        rows += [(str(row["torch"]), min((str(a).split("+")[0] for a in row["archs"]), key=lambda cc: tuple(int(p) for p in cc.split("."))))
                 for row in table_rows("torch", "arch_list")]
    for spec, cc in rows:
        start = re.search(r">=\s*([\d.]+)", spec)
        end = re.search(r"<\s*([\d.]+)", spec)
        if start is None:
            continue
        if floor is not None and end is not None and Version(end.group(1)) <= floor:
            continue  # every release of the row is older than ``since``
        key = tuple(int(p) for p in cc.split("."))
        first = since if floor is not None and Version(start.group(1)) < floor else start.group(1)
        if best is None or key < best[0] or (key == best[0] and Version(str(first)) < Version(best[2])):
            best = (key, cc, str(first))
    return None if best is None else (best[1], best[2])


def torch_python(python: str) -> TorchPython | None:
    """accunify (session 26): the one reader of knowledge/torch.toml [[python]]: the row of Python ``python`` (a minor or a
    patch, "3.8.7"), or None for a Python the table has no row for."""
    wanted = minor_key(python)
    return next((row for row in _python_rows() if row.python == wanted), None)


def torch_first_release_for_python(python: str, *, supported: bool = False) -> str | None:
    """The oldest PyTorch release with official (PyPI) wheels for Python ``python`` (a minor or a patch: "3.8.7"); with
    ``supported``, the oldest the compatibility matrix lists it for without "experimental". None for a Python the table
    has no row for, or whose first is older than every [[release]] row (every tabled release installs on it).

    accfacts (session 25) asks the wheel question: no older release installs on that Python, whatever the matrix says.
    """
    row = torch_python(python)
    if row is None:
        return None
    return row.supported_from if supported else row.wheels_from


def torch_python_support(version: str, python: str) -> str | None:
    """accunify (session 26): how PyTorch release ``version`` serves Python ``python``, the one decision lint and explain ask:

    "supported" (the compatibility matrix lists that Python for the release), "wheels" (PyPI has the release's wheels for it,
    but the matrix calls it experimental or does not list it: pip installs it), "none" (no wheel of the release installs
    on it: pip finds nothing, or falls back to another release), or None where the release or the Python is not a version
    the table can judge (a release older than every [[release]] row). A caller asking whether pip installs it asks
    ``!= "none"``; one recommending a Python asks for "supported".
    """
    release = torch_release(version)
    parsed = parse_version(version)
    wanted = minor_key(python)
    if release is None or parsed is None or wanted is None:
        return None
    key = _python_key(wanted)
    if not (_python_key(release.python_min) <= key <= _python_key(release.python_wheels_max)):
        return "none"
    row = torch_python(wanted)
    if row is not None and not _serves(row, Version(parsed.base_version), supported=False):
        return "none"  # a patch older than the first with wheels (1.7.0 for 3.9)
    return "supported" if key <= _python_key(release.python_max) else "wheels"


def torch_bundled_cudnn_major(version: str, cuda: str | None) -> str | None:
    """The cuDNN major a PyTorch CUDA build of ``version`` for CUDA ``cuda`` brings with it (its wheel's or conda package's), or None when unknown.

    None for a CPU build (``cuda`` None) and for releases or CUDA variants the table has no row for.
    """
    found = torch_bundled_cudnn(version, cuda)
    return found[0] if found is not None else None


def torch_bundled_cudnn(version: str, cuda: str | None) -> tuple[str, str] | None:
    """(cuDNN major, the page that states it) a PyTorch CUDA build of ``version`` for CUDA ``cuda`` brings: the
    [[cudnn_bundled]] row that decides :func:`torch_bundled_cudnn_major`, with its source (accbundle, session 27)."""
    release, build_cuda = parse_version(version), parse_version(cuda)
    if release is None or build_cuda is None:
        return None
    for row in table_rows("torch", "cudnn_bundled"):
        if in_spec(str(row["torch"]), release) and in_spec(str(row["cuda"]), build_cuda):
            return str(row["cudnn_major"]), str(row["source"])
    return None


def torch_releases_bringing_cudnn(major: str) -> list[str]:
    """The PEP 440 specifiers of the PyTorch releases whose CUDA builds bring cuDNN ``major`` ([[cudnn_bundled]]; newest rows
    first): what a fix names as the PyTorch that agrees with a program built for that cuDNN (accbundle, session 27)."""
    return [str(row["torch"]) for row in table_rows("torch", "cudnn_bundled") if str(row["cudnn_major"]) == str(major)]


def torch_release_runs_on(version: str, cuda: str | None, cc: str) -> tuple[bool | None, str]:
    """Whether the official binaries of a PyTorch release run on a GPU of compute capability ``cc``, and why (acccc, session 21).

    With ``cuda`` (a CUDA variant, "12.4" or "cu124"), that variant's architecture list decides; without it, every
    CUDA variant the release was published for: False only where none runs on the GPU, True only where all do, else
    None (which variant is installed decides). The decision for each build is ``knowledge.target.build_runs_on_gpu``,
    the one the doctor (HW003) and preflight (TGT003) ask. None also where the table lacks an arch list.
    """
    from whygpu.knowledge.target import BuildSpec, build_runs_on_gpu

    variants: list[str] = []
    # accversions (session 24): a version with its wheel's local tag ("2.8.0+cu129") names its CUDA variant itself.
    if not cuda and "+" in version:
        cuda = torch_cuda_from_local_tag(version)
        if cuda is None:
            return None, f"PyTorch {version} is no CUDA build of the official index"
    if cuda:
        variant = torch_cuda_from_local_tag(cuda) if cuda.strip().lower().startswith("cu") else cuda
        variants = [variant] if variant else []
    else:
        release = torch_release(version)
        variants = list(release.cuda_variants) if release is not None else []
    if not variants:
        return None, f"the CUDA variants of PyTorch {version} are not known"
    verdicts = []
    for variant in variants:
        if not torch_arch_list(version, variant):
            return None, f"the architecture list of PyTorch {version} for CUDA {variant} is not known"
        fit = build_runs_on_gpu(BuildSpec("torch", "torch", version, variant), cc)
        verdicts.append((variant, fit))
    if all(fit.runs is False for _, fit in verdicts):
        names = ", ".join(f"cu{v.replace('.', '')}" for v, _ in verdicts)
        return False, f"no official PyTorch {version} binary ({names}) has code for compute capability {cc} ({verdicts[-1][1].reasons[-1]})"
    if all(fit.runs for _, fit in verdicts):
        return True, f"PyTorch {version}'s binaries run on compute capability {cc}"
    return None, f"some CUDA variants of PyTorch {version} run on compute capability {cc}, others do not"


def torch_first_release_for_capability(cc: str) -> tuple[str, str] | None:
    """accprose (session 35): (the oldest PyTorch release minor whose official binaries for some CUDA variant run on a GPU of
    compute capability ``cc``, that variant), from the table's architecture lists (``torch_release_runs_on`` for each
    variant, the one decision); None where no tabled release runs it. For a GPU named without the build the log runs
    ("my 5070ti machine" and no version), what decides is whether the installed build is that release or newer with such
    a variant: an RTX 50 board (12.0) runs from 2.7 on its CUDA 12.8 builds."""
    for release in sorted(torch_releases(), key=lambda r: Version(r.version)):
        for variant in release.cuda_variants:
            runs, _why = torch_release_runs_on(release.version, variant, cc)
            if runs:
                return release.version, variant
    return None


def torch_releases_without_capability(cc: str) -> bool:
    """accprose (session 35): whether some tabled PyTorch release (one whose architecture lists the table holds) has no
    official binary that runs on compute capability ``cc`` while a later one does: a GPU newer than those releases (an H100
    under 1.13, an RTX 50 board under 2.6), for which the release installed decides."""
    first = torch_first_release_for_capability(cc)
    if first is None:
        return False
    tabled = [r for r in torch_releases() if any(torch_arch_list(r.version, v) for v in r.cuda_variants)]
    return bool(tabled) and Version(min(tabled, key=lambda r: Version(r.version)).version) < Version(first[0])
