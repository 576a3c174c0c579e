"""Reads the named facts of knowledge/ruleouts.toml from a log's facts, and ranks causes against them (session 19, accrank2).

The knowledge layer says which fact rules which cause out (``knowledge.ruleouts``); this module says
whether a log shows each fact, with the line that showed it.  One function orders causes against
them (``rank``), called by LOG104's ranking table and by the final ranking of an explain report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whygpu import lazyre as re
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.knowledge.ruleouts import RuleOut, driver_new_enough, ranked_against

# Frameworks as the log facts key them.
_FRAMEWORKS = ("tensorflow", "torch", "jax")
_LINUX = ("linux", "wsl", "wsl1", "wsl2", "colab")


def _single_framework(facts: LogFacts) -> bool:
    """Whether the log names at most one framework (a line no framework signs is then that framework's)."""
    named = set(facts.mentioned) | set(facts.versions) | set(facts.cuda_build)
    return len(named & set(_FRAMEWORKS)) <= 1


def _applies(facts: LogFacts, framework: str | None, key: str) -> bool:
    """Whether a fact of framework ``key`` speaks for ``framework`` (None: the cause names no framework)."""
    if framework is not None:
        return key == framework
    return _single_framework(facts)


# A version on an install command or in the resolver's answer is what was asked for, not what is installed
# (pip's "Could not find a version that satisfies the requirement jaxlib==0.4.7+cuda11.cudnn82").
# (The install command is the one parser's, explain.installstate.install_commands: pip's or conda's install, accunify.)
_ASKED = re.compile(r"\b-f\s+https?:|could not find a version|no matching distribution|\brequires?\b|\brequirement\b", re.I)


def _installed(seen: Seen[Any]) -> bool:
    """Whether a build sighting shows what is installed (not only asked for)."""
    if "successfully installed" in seen.text.lower():
        return True
    from whygpu.explain.installstate import install_commands

    return not (_ASKED.search(seen.text) or any(c.manager in ("pip", "conda") and c.verb == "install" for c in install_commands(seen.text)))


def _gpu_package(facts: LogFacts, framework: str | None) -> Seen[Any] | None:
    """tensorflow-gpu or onnxruntime-gpu installed, with no CPU package of the same framework shown beside it."""
    if framework in (None, "tensorflow") and (framework is not None or _single_framework(facts)):
        listed = {s.value.lower().replace("_", "-") for s in facts.tf_packages_installed}
        gpu = [s for s in facts.tf_packages_installed + facts.distributions.get("tensorflow", [])
               if s.value.lower().replace("_", "-") == "tensorflow-gpu"]
        if gpu and not listed & {"tensorflow", "tensorflow-cpu", "tf-nightly", "tf-nightly-cpu"} and not facts.stated_cpu_build:
            return gpu[0]
    if framework in (None, "onnxruntime"):
        # acctwins (session 39): asked for onnxruntime too (LOG104 ranks its causes with framework "onnxruntime", the report
        # with None: the two disagreed, and LOG104's "First to check" named a cause the report ranked below another).
        names = {s.value.lower().replace("_", "-") for s in facts.ort_packages_installed}
        if "onnxruntime-gpu" in names and "onnxruntime" not in names and not facts.stated_cpu_build:
            return next(s for s in facts.ort_packages_installed if s.value.lower().replace("_", "-") == "onnxruntime-gpu")
    return None


def _gpu_release(facts: LogFacts, framework: str | None) -> Seen[Any] | None:
    """The release installed from pip carries the CUDA code on the platform the log shows (the knowledge tables decide)."""
    platform = facts.platform_name()
    if _applies(facts, framework, "tensorflow") and facts.versions.get("tensorflow"):
        from whygpu.knowledge.tensorflow import tensorflow_build, tensorflow_pip_has_gpu

        version = facts.versions["tensorflow"][0]
        pip = [s for s in facts.tf_packages_installed
               if s.value.lower() == "tensorflow" and re.search(r"\bpip3?\b|\buv\b", s.text, re.I)]
        others = {s.value.lower().replace("_", "-") for s in facts.tf_packages_installed} - {"tensorflow"}
        if pip and not others and not facts.stated_cpu_build and tensorflow_pip_has_gpu(version.value) is True:
            targets = ["linux"] if platform in _LINUX else ["windows"] if platform == "windows" else [] if platform == "darwin" else ["linux", "windows"]
            builds = [tensorflow_build(version.value, target) for target in targets]
            if builds and all(b is not None and b.gpu for b in builds):
                return pip[0]
    if _applies(facts, framework, "torch") and facts.torch_from_pypi and platform in _LINUX:
        from whygpu.knowledge.torch import torch_pypi_wheel_cpu_only

        if not facts.torch_cpu_index and not facts.cuda_build.get("torch") and not torch_pypi_wheel_cpu_only("linux"):
            return facts.torch_from_pypi[0]
    return None


def _cuda_called(facts: LogFacts, framework: str | None) -> Seen[Any] | None:
    if not _single_framework(facts):
        return None
    for seen in (*facts.library_loaded, *facts.cuda_called):
        return seen
    from whygpu.explain.catalogue import catalogue

    cat = catalogue()
    for seen in facts.library_failed:
        row = cat.library_rule(seen.value)
        if row is not None and row.kind in ("cuda", "cudnn") and not row.benign:
            return seen
    return None


def _driver_answers(facts: LogFacts) -> Seen[Any] | None:
    # nvidia-smi's header (driver version beside the CUDA it supports), not a version the user names alone.
    if facts.driver_version and facts.driver_cuda and facts.driver_version[0].where == facts.driver_cuda[0].where:
        return facts.driver_version[0]
    return None


def _driver_off_path(facts: LogFacts) -> Seen[Any] | None:
    # accpkg (session 35): the driver's library said missing where the program runs from a Nix / Guix store or a sandbox
    # (explain.pkgmanagers.package_reading's store or sandbox reading): the line of the missing library.
    from whygpu.explain.pkgmanagers import package_reading

    reading = package_reading(facts)
    if reading is None or reading[2].cause != "CUDA_LIBS_NOT_ON_PATH":
        return None
    return reading[1]


def _gpu_listed(facts: LogFacts) -> Seen[Any] | None:
    return next((s for values in facts.gpu_answer.values() for s in values if s.value is True), None)


def _gpu_in_container(facts: LogFacts) -> Seen[Any] | None:
    driver = _driver_answers(facts)
    if driver is None or facts.docker_run_without_gpus or facts.container_banner_no_driver:
        return None  # a container started without the GPU is shown too: the one that answered may not be the one that failed
    for run in facts.docker_run_with_gpus:
        if re.search(r"\bnvidia-smi\b", run.value) and _line(run.where) <= _line(driver.where):
            return driver
    # accnotice (session 32): nvidia-smi's table printed after `kubectl exec <pod> -- nvidia-smi` or `docker exec <c>
    # nvidia-smi`: the driver answered inside that running container.
    return next((s for s in facts.smi_answer_inside if s.value == "table"), None)


def _line(where: str) -> int:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _driver_new_enough(facts: LogFacts) -> Seen[Any] | None:
    if not facts.driver_cuda:
        return None
    from whygpu.explain.rules import _wanted_by_build

    wanted = [s.value for s in facts.cuda_wanted] + [want for _, want, _ in _wanted_by_build(facts)]
    return facts.driver_cuda[0] if driver_new_enough(facts.driver_cuda[0].value, wanted) else None


def pip_wheels_loaded(facts: LogFacts) -> bool | None:
    """Whether the framework the log shows loads pip's nvidia-*-cuNN wheels (``knowledge.ruleouts.loads_pip_cuda_wheels``):
    None when the log shows no framework's version, or several frameworks."""
    from whygpu.knowledge.ruleouts import loads_pip_cuda_wheels

    shown = [fw for fw in _FRAMEWORKS if facts.versions.get(fw)]
    if len(shown) != 1 or not _single_framework(facts):
        return None
    return loads_pip_cuda_wheels(shown[0], facts.versions[shown[0]][0].value)


def _cudnn_present(facts: LogFacts) -> Seen[Any] | None:
    if facts.cudnn_installed:
        return facts.cudnn_installed[0]
    if facts.pip_cuda_wheels.get("cudnn") and pip_wheels_loaded(facts) is not False:
        return facts.pip_cuda_wheels["cudnn"][0]
    for name, seen in facts.library_files.items():
        if re.match(r"(?:lib)?cudnn", name, re.I) and seen:
            return seen[0]
    from whygpu.knowledge.torch import torch_bundled_cudnn_major

    for version, cuda in zip(facts.versions.get("torch", [])[:1], facts.build_cuda.get("torch", [])[:1], strict=False):
        if torch_bundled_cudnn_major(version.value, cuda.value) is not None:
            return cuda
    return None


def _works_stated(facts: LogFacts, framework: str | None) -> Seen[Any] | None:
    """accounter (session 23): the log's own word that the GPU works for this run (explain/works.py), where no framework's
    answer in the log says it has no GPU (then two runs or two environments are shown, and the answer is the fact)."""
    if any(s.value is False for values in facts.gpu_answer.values() for s in values):
        return None
    from whygpu.explain.works import of_other_framework

    return next((s for s in facts.stated_gpu_works if framework is None or not of_other_framework(s.value, framework)), None)


def _available_stated(facts: LogFacts, framework: str | None) -> Seen[Any] | None:
    """accounter: the writer's report that the framework's own query answered True in their environment
    ("when I run `torch.cuda.is_available()` it shows true"), the words of ``_works_stated`` that are such an answer."""
    seen = _works_stated(facts, framework)
    if seen is None:
        return None
    from whygpu.knowledge.visible_devices import shell_answer_covers_run

    if not shell_answer_covers_run(s.value for s in facts.hidden_run if s.value.table == "starter"):
        return None  # acchidden (session 36): a run script, launcher or scheduler starts the run: the shell's answer is not its
    from whygpu.explain.works import names_available_call

    return next((s for s in facts.stated_gpu_works if names_available_call(s.value)
                 and (framework is None or not _other(s.value, framework))), None)


def _smi_in_container_stated(facts: LogFacts) -> Seen[Any] | None:
    """acccontainer (session 25): the writer's word that nvidia-smi answered inside the container (explain/where.py
    smi_works_in_container), where the log shows no container started without the GPU beside it (then two containers
    are shown, and the one that answered may not be the one that failed)."""
    if not facts.stated_smi_in_container or facts.docker_run_without_gpus or facts.container_banner_no_driver or facts.manifest_without_gpus:
        return None
    return facts.stated_smi_in_container[0]


def _other(words: str, framework: str) -> bool:
    from whygpu.explain.works import of_other_framework

    return of_other_framework(words, framework)


def _gpu_twin_pair(facts: LogFacts, framework: str | None) -> Seen[Any] | None:
    """accnodev (session 33): a framework's GPU build by its name shown installed beside its CPU twin (paddlepaddle-gpu beside
    paddlepaddle, onnxruntime-gpu beside onnxruntime, an mxnet-cu build beside mxnet: knowledge.python_layouts.gpu_build_shadowed),
    the GPU build's line: the CPU build that imports is the twin, the pair's cause (FRAMEWORK_INSTALL_BROKEN, LOG370, LOG160)."""
    from whygpu.knowledge.python_layouts import gpu_build_shadowed

    shown = [*facts.twin_installed, *facts.ort_packages_installed]
    twin = gpu_build_shadowed([s.value for s in shown], cpu_answer=False) if len(shown) >= 2 else None
    if twin is None or not twin.others or (framework is not None and twin.group.group != framework):
        return None
    return next((s for s in shown if s.value == twin.gpu), None)


# accnotcpu (session 35): the named fact each kind of build evidence shows where it decides a CUDA build; where the install
# only suggests one (knowledge/cuda_build.toml), "cuda_build_suggested".
_DECIDED_FACT = {"build_query": "cuda_build", "gpu_package": "gpu_package", "gpu_release": "gpu_release", "cuda_called": "cuda_called",
                 "cuda_code_line": "cuda_called"}


def _build_facts(facts: LogFacts, framework: str | None) -> dict[str, Seen[Any] | None]:
    """The build's named facts from the one verdict on it (explain.buildshown.cuda_build_verdict): a CUDA build decided is
    shown by the fact of the evidence that decided it; a CUDA build the install suggests, by "cuda_build_suggested"; a CPU
    build, or evidence on both sides, by none."""
    from whygpu.explain.buildshown import cuda_build_verdict

    found = cuda_build_verdict(facts, framework)
    if found is None or not found[0].cuda:
        return {}
    verdict, seen = found
    return {_DECIDED_FACT.get(verdict.kind, "cuda_build") if verdict.strength == "decides" else "cuda_build_suggested": seen}


# The named facts this module reads (every row of knowledge/ruleouts.toml names one of them; a test checks it).
FACTS = ("cuda_build", "gpu_package", "gpu_release", "cuda_called", "cuda_build_suggested", "driver_answers", "gpu_listed", "gpu_in_container",
         "driver_new_enough", "cudnn_present", "works_stated", "available_stated", "smi_in_container_stated", "gpu_twin_pair",
         "gpu_in_build", "driver_off_path", "driver_none_answer", "gpu_named")


def _gpu_named(facts: LogFacts) -> Seen[Any] | None:
    """accnoticed39 (session 39): the line that names the machine's NVIDIA GPU (a model of NVIDIA's, a cloud machine that
    carries one), where the machine's signs read as a GPU present (explain.presence, knowledge.gpu_presence)."""
    from whygpu.explain.presence import machine_gpu
    from whygpu.knowledge.gpus import gpu_in_text

    named = [s for s in facts.gpu_model if (m := gpu_in_text(s.value)) is not None and m.vendor == "nvidia"]
    named += facts.cloud_gpu_machine
    if not named or machine_gpu(facts).gpu != "present":
        return None
    if any(str(s.value).startswith("place:login-node") for s in facts.sched_job):
        return None  # the job ran on a cluster's login or head node, not the GPU nodes named (aws-parallelcluster#5085)
    return named[0]


def _gpu_in_build(facts: LogFacts, framework: str | None) -> Seen[Any] | None:
    """accprose (session 35): the GPU the log shows (its capability stated, or its model in any form the writer gives it) is
    one the framework build it shows runs on (``knowledge.target.framework_build_runs_on``): the line that names the GPU."""
    from whygpu.knowledge.gpus import gpu_in_text
    from whygpu.knowledge.target import framework_build_runs_on

    shown: list[tuple[str, Seen[Any]]] = [(s.value, s) for s in facts.compute_capability]
    for seen in facts.gpu_model:
        model = gpu_in_text(seen.value)
        if model is not None and model.compute_capability:
            shown.append((model.compute_capability, seen))
    if not shown or len({cc for cc, _ in shown}) != 1:
        return None  # no GPU, or GPUs of several capabilities: which one ran decides
    cc, gpu = shown[0]
    for key in ("torch", "tensorflow"):
        if not _applies(facts, framework, key) or not facts.versions.get(key):
            continue
        version = facts.versions[key][0]
        cuda = facts.build_cuda.get(key, [])
        if framework_build_runs_on(key, str(version.value), str(cuda[0].value) if cuda else None, cc):
            return Seen(gpu.value, gpu.where, f"{gpu.text} (compute capability {cc}; {version.text})")
    return None


def shown_facts(facts: LogFacts, framework: str | None = None) -> dict[str, Seen[Any]]:
    """The named facts of knowledge/ruleouts.toml the log shows for ``framework`` (None: a cause that names none), each with the line that showed it."""
    found: dict[str, Seen[Any] | None] = {
        **_build_facts(facts, framework),
        "driver_answers": _driver_answers(facts),
        "gpu_listed": _gpu_listed(facts),
        "gpu_in_container": _gpu_in_container(facts),
        "driver_new_enough": _driver_new_enough(facts),
        "cudnn_present": _cudnn_present(facts),
        "works_stated": _works_stated(facts, framework),
        "available_stated": _available_stated(facts, framework),
        "smi_in_container_stated": _smi_in_container_stated(facts),
        "gpu_twin_pair": _gpu_twin_pair(facts, framework),
        "gpu_in_build": _gpu_in_build(facts, framework),
        "driver_off_path": _driver_off_path(facts),
        "driver_none_answer": facts.driver_cuda_none[0] if facts.driver_cuda_none else None,  # accsmall38: "Driver 0.0"
        "gpu_named": _gpu_named(facts),
    }
    return {name: seen for name, seen in found.items() if seen is not None}


def rank(causes: Sequence[str], facts: LogFacts, framework: str | None = None) -> tuple[list[str], dict[str, tuple[RuleOut, Seen[Any]]]]:
    """``causes`` ordered against what the log shows (``knowledge.ruleouts.ranked_against``), and for each cause moved down the row and the line that moved it."""
    shown = shown_facts(facts, framework)
    order, moved = ranked_against(causes, frozenset(shown))
    return order, {cause: (row, shown[row.shown]) for cause, row in moved.items()}


def said(row: RuleOut, seen: Seen[Any]) -> str:
    """How a report says what moved a cause down: the reason, then the line that showed it."""
    from whygpu.redact import redact_text

    return redact_text(f"{row.why} ({seen.evidence()})")
