"""Where each framework keeps its build facts and which CUDA libraries it loads (python_layouts.toml)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from whygpu import lazyre as re
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
    gpu_by_name: tuple[str, ...] = ()  # the members that are the group's GPU build by their name alone (accpkg)
    # accpairs (session 27): the group's GPU builds never answer that they have no CUDA (they fail to import, or answer
    # True), so that answer beside one of them shown installed shows another copy imported (cpu_answer_means_copy).
    cpu_answer_means_copy: bool = False
    # accnodev (session 33): the command whose answer tells which copy imports (the check that decides), and what a
    # release tag of the GPU build needs to be installed again (PaddlePaddle's .postNNN builds are on its own index).
    check: str = ""
    release_note: tuple[tuple[str, str], ...] = ()


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
            gpu_by_name=tuple(str(m) for m in r.get("gpu_by_name", [r["gpu_member"]] if r["gpu_member"] else [])),
            cpu_answer_means_copy=bool(r.get("cpu_answer_means_copy", False)),
            check=str(r.get("check", "")),
            release_note=tuple((str(k), str(v)) for k, v in r.get("release_note", {}).items()),
        )
        for r in load("python_layouts").get("same_import", [])
    )


@record(frozen=True)
class Installed:
    """One distribution a machine, a snapshot or a log shows installed: its name, version and installer where known."""

    name: str
    version: str | None = None
    installer: str | None = None  # "pip", "conda" or None (not shown)


def same_import_conflicts(installed: Iterable[Installed], *, windows: bool | None) -> list[tuple[SameImport, tuple[Installed, ...]]]:
    """The ``[[same_import]]`` groups of which more than one member is installed, with those members: the one decision
    that two distributions overwrite each other's import package (doctor FW004 and explain LOG160 both ask it).

    ``windows`` is whether the environment is native Windows, ``None`` when not known (a log that does not say): a
    member another member depends on there (tensorflow-intel under tensorflow on Windows) is no conflict, and where the
    platform is unknown it is not counted either, so that an unknown platform never reads as a conflict. tensorflow-gpu
    counts only where it is a GPU build (before 2.1) or its version is unknown, since from 2.1 on it is a deprecated
    alias or an empty stub (FW003 speaks for it); a conda metapackage (tensorflow-gpu, conda-forge's tensorflow-cpu)
    owns no files and is no conflict.
    """
    names: dict[str, Installed] = {}
    for package in installed:
        names.setdefault(package.name.lower().replace("_", "-"), package)
    out: list[tuple[SameImport, tuple[Installed, ...]]] = []
    for group in same_import_groups():
        present = [names[m] for m in group.members if m in names]
        dependency = group.platform_dependency.get("windows")
        if dependency and windows is not False:
            present = [p for p in present if p.name.lower().replace("_", "-") != dependency]
        if any(p.name == "tensorflow-gpu" for p in present):
            from whygpu.knowledge.tensorflow import tensorflow_gpu_package

            present = [p for p in present if p.name != "tensorflow-gpu"
                       or tensorflow_gpu_package(p.version, p.installer) in ("gpu-build", "unknown")]
        if group.group == "tensorflow" and any(p.installer == "conda" for p in present):
            from whygpu.knowledge.tensorflow import tensorflow_conda_metapackage

            present = [p for p in present if p.installer != "conda" or tensorflow_conda_metapackage(p.name) is None]
        if len(present) >= 2:
            out.append((group, tuple(present)))
    return out


# --- accpairs (session 27): a GPU build and its CPU twin, from what a log or a machine shows -----------------------


@record(frozen=True)
class TwinShadow:
    """A GPU build of a ``[[same_import]]`` group that another copy of the import package shadows: the group, the GPU
    build's name, the other members shown installed (empty where only the framework's answer shows the other copy), and why."""

    group: SameImport
    gpu: str
    others: tuple[str, ...]
    why: str


def gpu_build_shadowed(installed: Iterable[str], *, cpu_answer: bool, windows: bool | None = None) -> TwinShadow | None:
    """Whether the distributions ``installed`` show a GPU build shadowed by another copy of its import package: the one
    decision explain's LOG370 asks (doctor's FW004 asks ``same_import_conflicts`` for the pairs alone).

    - A member that is the group's GPU build by its name (``gpu_by_name``) and another member of the group, both installed
      (``same_import_conflicts`` decides what counts as installed together): whichever was installed last owns the files,
      and a CPU twin pulled in by a dependency leaves a CPU build imported.
    - A GPU build by its name installed alone, where the framework answered that its build has no CUDA (``cpu_answer``) and
      the group's GPU builds never give that answer (``cpu_answer_means_copy``: a CUDA build of MXNet fails at import
      without its CUDA runtime, PaddlePaddle's GPU wheel answers is_compiled_with_cuda() True): the build imported is
      another copy, a CPU twin in the same environment or another environment's.

    None where no member installed is a GPU build by its name, or the group's names do not decide a build (torch, CuPy).
    """
    names = list(dict.fromkeys(_dist(n) for n in installed))
    for group in same_import_groups():
        gpu = [n for n in names if n in group.gpu_by_name]
        if not gpu:
            continue
        conflicts = same_import_conflicts([Installed(n) for n in names if n in group.members], windows=windows)
        present = next((tuple(m.name for m in members) for g, members in conflicts if g.group == group.group), ())
        others = tuple(n for n in present if n not in group.gpu_by_name)
        if others:
            return TwinShadow(group, gpu[0], others, f"{gpu[0]} and {', '.join(others)} both install the `{group.group}` "
                              "import package; the one installed last owns its files")
        if cpu_answer and group.cpu_answer_means_copy:
            return TwinShadow(group, gpu[0], (), f"{gpu[0]} is a CUDA build, which never answers that it has no CUDA: "
                              f"the `{group.group}` imported is another copy (a CPU build installed over it or beside it)")
    return None



# --- acctwins (session 28): an add-on that requires a framework's CPU twin by its distribution name ---------------------


@record(frozen=True)
class PulledTwin:
    """What installing an add-on does where a GPU build of its framework is installed: the group, the GPU build, the
    distribution the add-on requires (pulled in beside it), that distribution's release where known, and the row's source."""

    group: SameImport
    gpu: str
    pulled: str
    version: str | None
    source: str


def _same_minor(version: str | None) -> str | None:
    from whygpu.knowledge._util import parse_version

    parsed = parse_version(version) if version else None
    return f"{parsed.release[0]}.{parsed.release[1]}" if parsed is not None and len(parsed.release) >= 2 else None


@lru_cache(maxsize=1)
def requires_twin_packages() -> frozenset[str]:
    """The add-ons of the ``[[requires_twin]]`` rows (explain reads them shown installed)."""
    return frozenset(_dist(str(r["package"])) for r in load("python_layouts").get("requires_twin", []))


def addon_pulls_cpu_twin(addon: str, gpu: str, *, addon_version: str | None = None, releases: dict[str, str] | None = None) -> PulledTwin | None:
    """Whether installing the distribution ``addon`` where the GPU build ``gpu`` is installed pulls in a CPU build of the
    same import package over it: the one decision explain's LOG385 asks (``[[requires_twin]]`` rows).

    pip meets a requirement by the distribution's name, so an add-on that requires plain ``tensorflow`` installs it beside
    tensorflow-gpu, and one that requires plain ``onnxruntime`` installs it beside onnxruntime-gpu; both write the one
    import package. It is a CPU build that is pulled where the required distribution is one by its name in every release
    (onnxruntime), or, for tensorflow, where the release pulled has no CUDA code in its pip package (before 2.1 except
    1.15.0: ``knowledge.tensorflow.tensorflow_pip_has_gpu``): the release of it ``releases`` shows (name -> release), else the one
    the add-on's release fixes (tensorflow-text X.Y requires tensorflow X.Y). None where the add-on has no row, ``gpu`` is
    no GPU build by its name of the required distribution's group, the GPU build is the very distribution required (its
    requirement is met), or the release pulled is not known to be a CPU build.
    """
    addon, gpu = _dist(addon), _dist(gpu)
    row = next((r for r in load("python_layouts").get("requires_twin", []) if r["package"] == addon), None)
    if row is None or gpu == row["requires"]:
        return None
    group = next((g for g in same_import_groups() if row["requires"] in g.members and gpu in g.gpu_by_name), None)
    if group is None:
        return None
    version = (releases or {}).get(str(row["requires"])) or (_same_minor(addon_version) if row.get("version") == "same-minor" else None)
    if row["requires"] in group.gpu_by_name:
        from whygpu.knowledge.tensorflow import tensorflow_pip_has_gpu

        if group.group != "tensorflow" or tensorflow_pip_has_gpu(version) is not False:
            return None
    return PulledTwin(group, gpu, str(row["requires"]), version, str(row["source"]))

# --- accpkg (session 21): the repair of two distributions sharing an import package -------------------------------


def _dist(name: str) -> str:
    return name.lower().replace("_", "-")


def same_import_repair(removed: Iterable[str], installed: str, *, forced: bool, other_build: bool) -> SameImport | None:
    """The ``[[same_import]]`` group that removing the ``removed`` distributions and then installing ``installed`` repairs,
    or None: the one decision that such a pair of package commands shows two distributions of one import package
    installed together (or one overwritten by the other), which explain's LOG220 asks.

    It is that repair where ``installed`` is the group's GPU build by its name (``gpu_by_name``; a group whose names do
    not decide has none) and the removal shows the GPU build was there beside another member, or damaged:

    - two or more members of the group removed at once: both were installed (``pip uninstall onnxruntime
      onnxruntime-gpu``);
    - a member removed and the GPU build then installed over the copy that is there (``forced``: ``--force-reinstall``,
      ``--ignore-installed``): the GPU build was installed already, and the other member had overwritten its files;
    - the group's one GPU distribution (``gpu_member``: onnxruntime-gpu, paddlepaddle-gpu) removed and installed again,
      the same build (not ``other_build``: no other version, index or wheel named): its files had been overwritten.
      (Not plain tensorflow, whose name is a CPU build before 2.1: reinstalling it may be a change of build.)

    Removing only the CPU member and installing the GPU build without forcing it is no such repair: it is also how a
    CPU-only install is replaced, so it does not decide between the two causes.
    """
    gone = {_dist(n) for n in removed}
    new = _dist(installed)
    for group in same_import_groups():
        if new not in group.gpu_by_name or not set(group.members) - set(group.gpu_by_name):
            continue
        members = gone & set(group.members)
        if not members:
            continue
        if len(members) >= 2 or forced or (members == {new} and new == group.gpu_member and not other_build):
            return group
    return None


@record(frozen=True)
class LinuxOnlyLibraries:
    """A package whose wheels carried only Linux shared libraries before a release (a ``[[linux_only_libraries]]`` row)."""

    package: str
    library_prefix: str
    windows_from: str
    source: str


@lru_cache(maxsize=1)
def linux_only_libraries() -> tuple[LinuxOnlyLibraries, ...]:
    """The packages whose Linux-only native libraries mean no GPU support on native Windows (python_layouts.toml)."""
    return tuple(LinuxOnlyLibraries(package=str(r["package"]), library_prefix=str(r["library_prefix"]),
                                    windows_from=str(r["windows_from"]), source=str(r["source"]))
                 for r in load("python_layouts").get("linux_only_libraries", []))


def release_without_windows_gpu(package: str, version: str) -> LinuxOnlyLibraries | None:
    """accplat (session 29): the [[linux_only_libraries]] row of ``package`` where ``version`` is a release before its first
    with Windows libraries (bitsandbytes 0.41.0: no Windows GPU build), else None (the one decision explain's LOG412 asks)."""
    from whygpu.knowledge._util import parse_version

    row = next((r for r in linux_only_libraries() if r.package == package.lower()), None)
    have, since = parse_version(version), parse_version(row.windows_from) if row else None
    if row is None or have is None or since is None:
        return None
    return row if have < since else None


def linux_library_on_windows(path: str) -> LinuxOnlyLibraries | None:
    """The package whose Linux-only library ``path`` is, where ``path`` is a native-Windows path (a drive letter) to a
    ``.so`` of it: the one decision that such a package build has no GPU support on native Windows (explain's LOG221)."""
    if re.match(r"^[A-Za-z]:[\\/]", path) is None or not re.search(r"\.so(?:\.\d+)*$", path):
        return None
    name = re.split(r"[\\/]", path)[-1]
    return next((row for row in linux_only_libraries() if name.startswith(row.library_prefix)), None)


def twin_repair(group: SameImport, gpu: str, others: Iterable[str], version: str | None, *, note: str = "") -> str:
    """accnodev (session 33): the repair of a GPU build shadowed by its twin, from what the log shows: every copy removed in
    one command (the twins first), the GPU build installed again at the release the log shows installed (none named where
    the log shows none), and the check that decides which build imports. "pip uninstall paddlepaddle paddlepaddle-gpu &&
    pip install paddlepaddle-gpu==2.5.1.post117, then check: python -c "import paddle; paddle.utils.run_check()"".
    """
    names = " ".join(dict.fromkeys([*others, gpu]))
    install = f"{gpu}=={version}" if version else gpu
    text = f"pip uninstall {names} && pip install {install}" + (f" ({note})" if note else "")
    for tag, release_note in group.release_note:
        if version and tag in version:
            text += f" ({release_note})"
            break
    if group.check:
        text += f"; then check which build imports: {group.check}"
    return text
