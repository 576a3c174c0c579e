"""A library the framework's own install should have brought, failing to load: which member of the family it is (accbrought).

Since PyTorch 1.13 (Linux), TensorFlow 2.14 (``[and-cuda]``) and JAX's ``[cuda12]`` extra, the CUDA and cuDNN libraries come as
pip's nvidia-* wheels that the framework's install brings (knowledge/brought_libraries.toml; which releases load them is
knowledge.ruleouts.loads_pip_cuda_wheels). When one of those files fails to load, the loader's words alone say missing,
another version or off the path about evenly; how the framework was installed is what ranks them: ``--no-deps``, an
uninstalled nvidia-* wheel, TensorFlow without ``[and-cuda]``, JAX's ``_local`` extras, wheels of two CUDA majors. This is
the one decision; knowledge.libraries.library_failure_cause calls it where the versions shown did not decide.
"""

from __future__ import annotations

from typing import Any

from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["BroughtReading", "FrameworkInstall", "brought_library_cause", "brought_stem", "install_fact_row", "other_program_named"]


@record(frozen=True)
class FrameworkInstall:
    """What a log shows of the framework's install: the framework ("torch", "tensorflow", "jax"), whether the release shown
    loads pip's nvidia-* wheels (None: no release shown), the install facts shown ([[install]] rows' names), and the CUDA
    major and cuDNN major its build's wheels hold ("" where unknown)."""

    framework: str
    loads_wheels: bool | None
    facts: tuple[str, ...] = ()
    cuda_major: str = ""
    cudnn_major: str = ""


@record(frozen=True)
class BroughtReading:
    """The member of the family a brought library's failure means: ``cause`` then ``alternatives``, ``fact`` the install fact
    that ranked them ("none_shown" where only the framework's install is known), ``shown`` that fact in words, ``decides`` the
    check that tells them apart, ``why`` and ``source`` the row's."""

    cause: str
    alternatives: tuple[str, ...]
    fact: str
    shown: str
    decides: str
    why: str
    source: str
    fix: str = ""


def brought_stem(file: str) -> str:
    """The library stem of a file name as the [[framework]] rows list it: "libcublasLt.so.12" -> "cublaslt",
    "libcudnn_cnn_infer.so.8" -> "cudnn_cnn_infer", "cudnn64_9.dll" -> "cudnn"."""
    name = file.strip().lower().rsplit("/", 1)[-1]
    name = name.removeprefix("lib").split(".so", 1)[0].split(".dll", 1)[0]
    for suffix in ("64_", "64"):
        if suffix in name:
            name = name.split(suffix, 1)[0]
    return name.rstrip("_-")


def _framework_row(framework: str) -> dict[str, Any] | None:
    return next((r for r in table_rows("brought_libraries", "framework") if r["framework"] == framework), None)


def install_fact_row(fact: str) -> dict[str, Any] | None:
    """The [[install]] row of an install fact, or None."""
    return next((r for r in table_rows("brought_libraries", "install") if r["fact"] == fact), None)


# The install facts in the order they decide: what removed or never installed the wheels first, then the variant that
# never brings them, then two majors side by side.
_ORDER = ("no_deps", "wheels_removed", "split_site_packages", "extra_left_out", "local_variant", "other_major_wheels")


# The pip name of each framework, for the fix's commands.
_PIP_NAME = {"torch": "torch", "tensorflow": "tensorflow[and-cuda]", "jax": "jax[cuda12]"}


def _wheel(stem: str) -> tuple[str, str]:
    """The nvidia-* package name pattern and Python module that hold a library stem."""
    base = stem.split("_", 1)[0]
    module = {"cudart": "cuda_runtime", "cublaslt": "cublas", "nvtoolsext": "nvtx", "cupti": "cuda_cupti", "nvrtc": "cuda_nvrtc"}.get(base, base)
    return f"nvidia-{module.replace('_', '-')}-cuNN", f"nvidia.{module}"


def brought_library_cause(file: str, install: FrameworkInstall, wanted: str | None = None) -> BroughtReading | None:
    """The member of the library family ``file`` failing to load means, where ``framework``'s own install brings it.

    ``install.loads_wheels`` is whether the framework release shown loads pip's nvidia-* wheels
    (knowledge.ruleouts.loads_pip_cuda_wheels; None where no release is shown). ``install.facts`` are the install facts the log
    shows (the [[install]] rows' names). None where the
    framework's install does not bring that file, or the release shown does not load the wheels, or (no release shown) no install
    fact names how it was installed: then the line's own reading stands. ``wanted`` is the major the file's name carries
    (CUDA for a CUDA library, cuDNN for a cuDNN one), compared with the one the framework's build brings: where both are
    known and differ, the file is not what the framework's wheels hold (another package asks for it) and None is returned.
    """
    framework, loads_wheels, facts = install.framework, install.loads_wheels, install.facts
    row = _framework_row(framework)
    stem = brought_stem(file)
    if row is None or not stem or stem not in row["stems"]:
        return None
    if loads_wheels is False:
        return None
    build_major = install.cudnn_major if stem.startswith("cudnn") else install.cuda_major
    if wanted and build_major and wanted.split(".")[0] != build_major.split(".")[0]:
        return None  # another major than the build's: what the versions decide (MISMATCH), not what the wheels hold
    # A framework's own variant facts speak only for that framework.
    named = [f for f in _ORDER if f in facts and not (f == "extra_left_out" and framework != "tensorflow")
             and not (f == "local_variant" and framework != "jax") and not (f == "split_site_packages" and framework != "torch")]
    if loads_wheels is None and not named:
        return None  # neither the release nor the install shown: nothing says the wheels are the framework's libraries
    fact = named[0] if named else "none_shown"
    fact_row = install_fact_row(fact)
    if fact_row is None:
        return None
    ranking = [str(c) for c in fact_row["cudnn" if stem.startswith("cudnn") else "cuda"]]
    wheel, module = _wheel(stem)
    check = str(fact_row.get("check") or load_decide().get("check", ""))
    return BroughtReading(ranking[0], tuple(ranking[1:]), fact, str(fact_row["shown"]),
                          check.format(wheel=wheel, module=module, stem=stem.split("_", 1)[0]), str(fact_row["why"]), str(fact_row["source"]),
                          str(fact_row.get("fix", "")).format(framework=_PIP_NAME.get(framework, framework)))


def other_program_named(text: str) -> bool:
    """Whether a load line names a program that links its own CUDA libraries ([other_programs])."""
    from whygpu.knowledge import load

    table = load("brought_libraries").get("other_programs", {})
    low = text.lower()
    return isinstance(table, dict) and any(word in low for word in table.get("words", ()))


def load_decide() -> dict[str, Any]:
    """The [decide] table of knowledge/brought_libraries.toml."""
    from whygpu.knowledge import load

    table = load("brought_libraries").get("decide", {})
    return table if isinstance(table, dict) else {}
