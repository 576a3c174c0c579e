"""The log rules that judge versions a line states in any program's wording (accversions, session 20).

Each rule reads a fact of ``explain.versionfacts`` and asks the knowledge layer's one decision for it
(``knowledge.cuda_versions.build_fits_found``, ``knowledge.libraries.stub_driver_library_causes``); neither speaks in a
log that shows the GPU in use, and neither repeats a cause a signature already read from the same line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.ccrules import possible_instead
from whygpu.explain.judge import LogSubject, alternative_hit, log_cause_fix
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_LIBRARY_NAMES = {"cudnn": "cuDNN", "cuda": "CUDA", "driver": "the driver's CUDA"}


def _read_by_signature(subject: LogSubject, cause: str, where: str) -> bool:
    """True when a signature's finding of ``cause`` already cites the line at ``where`` (its reading stands)."""
    return any(f.cause == cause and any(e.startswith(f"{where}:") for e in f.evidence) for f in subject.matched)


@rule(
    "LOG191", "log-built-with-found-other", "CUDNN_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Reads a line of any program that states the version it was compiled, built or linked with and the version it found, loaded or has at run time (cuDNN, CUDA, or the driver's CUDA), in either order and in a version's any printed form (8.6.0, 8600, (8, 6, 0)), and asks the knowledge layer whether the found one serves the build.",
        why="A program built against one cuDNN or CUDA release and run with another says so itself in many wordings (PaddlePaddle, MXNet, Caffe, TensorFlow/XLA, PyTorch); whether the two fit is a compatibility fact (cuDNN: the same major and a minor at least the build's; CUDA libraries: the soname's release; the driver: the highest CUDA it runs), not the wording's.",
        example="W0819 device_context.cc:293] WARNING: device: 0. The installed Paddle is compiled with CUDNN 7.4, but CUDNN version in your machine is 7.0, which may cause serious incompatible bug.\n(https://github.com/PaddlePaddle/Paddle/issues/17977)",
        fix="Install the cuDNN/CUDA release the program was built with (or a newer one that serves it), or a build of the program for the release installed; for the driver, a driver that runs the build's CUDA.",
        limits="Only a line that states both versions; a question, a condition, advice or code is not read. Versions that fit (a newer cuDNN minor of the same major) are quiet even where the program warns.",
        references=("https://docs.nvidia.com/deeplearning/cudnn/backend/latest/api/overview.html", "https://docs.nvidia.com/deploy/cuda-compatibility/"),
        causes=("CUDNN_MISMATCH", "CUDA_LIBS_MISMATCH", "DRIVER_TOO_OLD"),
    ),
)
def built_with_found_other(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.built_found or (subject.gpu_in_use and not subject.blocking()):
        return
    from whygpu.knowledge.cuda_versions import build_fits_found, cudnn_major

    done: set[str] = set()
    for seen in facts.built_found:
        pair = seen.value
        fits, cause = build_fits_found(pair.found_library, pair.built, pair.found)
        if fits is not False or cause in done or _read_by_signature(subject, cause, seen.where):
            continue
        done.add(cause)
        built_name = _LIBRARY_NAMES[pair.library]
        found_name = _LIBRARY_NAMES[pair.found_library]
        versions: dict[str, str | None] = (
            {"wanted_cudnn": pair.built, "installed_cudnn": pair.found} if pair.library == "cudnn"
            else {"wanted_cuda": pair.built} if pair.found_library == "driver"
            else {"wanted_cuda": pair.built, "installed_cuda": pair.found}
        )
        fix = log_cause_fix(cause, subject, **versions)
        if pair.library == "cudnn" and cudnn_major(pair.built) == cudnn_major(pair.found):
            # The same major, an older minor: the loader finds it, the program's own version check refuses it.
            major = cudnn_major(pair.built)
            fix = (f"Install cuDNN {pair.built} or a newer {major}.x (the program was built with {pair.built}; an older {major}.x loads but "
                   f"fails its version check or its kernels), and make sure the loader finds that one first (LD_LIBRARY_PATH, conda's "
                   f"own cudnn package); or install a build of the program made for cuDNN {pair.found}.")
        yield Hit(
            title=f"The program was built with {built_name} {pair.built}, but {found_name} {pair.found} is what it found: {cause_meaning(cause)}",
            evidence=_ev(seen),
            fix=fix,
            confidence=Confidence.MEDIUM,
            cause=cause,
            blocks_gpu=True,
            extra={"read_from": "the versions the line states, judged by knowledge.cuda_versions.build_fits_found"},
        )


@rule(
    "LOG192", "log-libcuda-stub-loaded", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Finds the CUDA toolkit's link-time stub libcuda (lib64/stubs/libcuda.so) shown as the driver library a program loaded: ldd resolving libcuda.so.1 to it, or an error naming it as the loaded file. A stubs file only listed on disk is not read.",
        why="The stub answers every call with CUDA_ERROR_STUB_LIBRARY; it is loaded only when its directory is on the loader's path ahead of the driver's libcuda (knowledge.libraries.stub_driver_library_causes).",
        example="libcuda.so.1 => /usr/local/cuda/lib64/stubs/libcuda.so.1 (0x00007f9de7215000)\n(https://github.com/tensorflow/tensorflow/issues/14224)",
        fix="Remove the toolkit's stubs directory from LD_LIBRARY_PATH (and from /etc/ld.so.conf.d, an image's ENV), so the loader finds the driver's libcuda.so.1; check with `ldd <the program's library> | grep libcuda`.",
        limits="The driver may be absent as well: with the stubs directory off the path, a missing driver shows as libcuda not found.",
        references=("https://docs.nvidia.com/cuda/cuda-driver-api/group__CUDA__TYPES.html",),
        causes=("CUDA_LIBS_NOT_ON_PATH", "DRIVER_MISSING"),
    ),
)
def libcuda_stub_loaded(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.libcuda_stub or subject.gpu_in_use:
        return
    from whygpu.knowledge.libraries import stub_driver_library_causes

    first, *others = stub_driver_library_causes()
    seen = facts.libcuda_stub[0]
    evidence = _ev(seen)
    yield Hit(
        title=f"The program loaded the CUDA toolkit's stub libcuda ({seen.value}), not the driver's: {cause_meaning(first)}",
        evidence=evidence,
        fix="Take the toolkit's stubs directory off the loader's path (LD_LIBRARY_PATH, /etc/ld.so.conf.d, an image's ENV): the stub is for "
        "linking only and answers every call with CUDA_ERROR_STUB_LIBRARY. Then `ldd <the program's library> | grep libcuda` must show the "
        "driver's libcuda.so.1 (e.g. /usr/lib/x86_64-linux-gnu/libcuda.so.1); if it shows 'not found', the NVIDIA driver is not installed "
        "(or not given to the container).",
        confidence=Confidence.HIGH,
        cause=first,
        blocks_gpu=True,
    )
    yield from possible_instead(subject, others, evidence, first, heading="Possible as well")


VERSION_RULES: list[Rule[LogSubject]] = [built_with_found_other, libcuda_stub_loaded]


# accpairs (session 27): the release a program wants, said in words, against the release installed.
@rule(
    "LOG371", "log-stated-requirement-other-installed", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words naming the CUDA or cuDNN release a program requires, recommends, suggests or was built for (\"it requires CUDA 10.0\", \"instead of the suggested cuDNN v6\", \"Toolkit 8.0 as suggested\", \"the required CUDA version is 11.8\") and the release the log shows installed (in the same sentence after a contrast, \"but I have CUDA 10.2\", or anywhere the log states it), and asks the knowledge layer whether the installed release serves the wanted one.",
        why="A program whose build loads the system's CUDA and cuDNN (TensorFlow before 2.14 without its [and-cuda] wheels, MXNet's and PaddlePaddle's CUDA builds, the applications built on them) finds only the sonames of the release it was built for: another CUDA release (another major, or before CUDA 11 another minor) or another cuDNN major leaves it without its libraries, and it runs on the CPU. Where both are off, the cuDNN was chosen for the CUDA installed, so the CUDA release is named first.",
        example="I have been trying to get GPU acceleration to work with CUDA Toolkit 9.0 + cuDNN v7.0.5 ... I didn't use Toolkit 8.0 as suggested (https://www.tensorflow.org/install/source#gpu)",
        fix="Install the CUDA (and cuDNN) release the program asks for beside the other one and put it first on the loader's path, or install a build of the program made for the release installed.",
        limits="Only words said as a fact (not a question, a condition or advice) or a program's message retold ('when I import tensorflow, it says that tensorflow works only with CUDA 9.0', which is itself the failure), and a log that says the GPU went unused or failed; PyTorch's wheels carry their own CUDA, so a PyTorch-only log is not judged; a line of another cause (a library not found, the driver) is that cause's.",
        references=("https://www.tensorflow.org/install/source#gpu", "https://docs.nvidia.com/deploy/cuda-compatibility/#binary-compatibility",
                    "https://developer.nvidia.com/rdp/cudnn-archive"),
        causes=("CUDA_LIBS_MISMATCH", "CUDNN_MISMATCH"),
    ),
)
def stated_requirement_other_installed(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.stated_wanted or subject.gpu_in_use or not (facts.gpu_unused() or facts.stated_trouble or facts.retold_failure):
        return
    if [fw for fw in facts.mentioned if fw != "torch"] == [] and "torch" in facts.mentioned:
        return  # PyTorch's wheels carry their own CUDA runtime: a system release does not decide
    if any(f.alternative_to is None and f.severity is Severity.ERROR and f.cause != "UNKNOWN" for f in subject.matched):
        return
    from whygpu.knowledge.cuda import cuda_serves_build
    from whygpu.knowledge.cuda_versions import cuda_satisfies, cudnn_satisfies

    found: dict[str, tuple[str, str, Any]] = {}
    for seen in facts.stated_wanted:
        library, wanted, mine = seen.value
        if library in found:
            continue
        shown = facts.cuda_installed if library == "cuda" else facts.cudnn_installed
        installed = [(mine, seen)] if mine else [(s.value, s) for s in shown]
        if not installed:
            continue
        if library == "cuda":
            if int(wanted.split(".")[0]) < 11 and "." not in wanted:
                # A pre-11 release named by its major alone: each minor had its own sonames, so only another major decides
                # (lead, session 29: "built against CUDA 9" beside "has CUDA 10").
                if any(str(have).split(".")[0] == wanted for have, _ in installed):
                    continue
                off = True
            else:
                # (A release named by its major, "CUDA 11": any minor of it, the sonames' rule from CUDA 11 on.)
                off = not any(cuda_satisfies(wanted, have) if "." not in wanted else cuda_serves_build(wanted, have) for have, _ in installed)
        else:
            off = all(cudnn_satisfies(wanted, have) is False for have, _ in installed)
        if off:
            found[library] = (wanted, installed[0][0], installed[0][1])
    for library in ("cuda", "cudnn"):
        if library not in found:
            continue
        wanted, have, where = found[library]
        cause = "CUDA_LIBS_MISMATCH" if library == "cuda" else "CUDNN_MISMATCH"
        name = _LIBRARY_NAMES[library]
        versions = {"wanted_cuda": wanted, "installed_cuda": have} if library == "cuda" else {"wanted_cudnn": wanted, "installed_cudnn": have}
        wanted_seen = next(s for s in facts.stated_wanted if s.value[0] == library)
        yield Hit(
            title=f"The program wants {name} {wanted}, but {name} {have} is installed: {cause_meaning(cause)}",
            evidence=_ev(wanted_seen, where, *facts.gpu_unused()[:1]) if where is not wanted_seen else _ev(wanted_seen, *facts.gpu_unused()[:1]),
            fix=log_cause_fix(cause, subject, **versions),
            confidence=Confidence.MEDIUM if library == "cuda" or "cuda" not in found else Confidence.LOW,
            cause=cause,
            blocks_gpu=True,
            extra={"read_from": "the release the writer says the program wants, against the one installed (knowledge.cuda.cuda_serves_build, cudnn_satisfies)"},
        )


VERSION_RULES.append(stated_requirement_other_installed)


# --- accwords (session 28): the machine's CUDA stated below every build of the stated PyTorch release ---------------------

@rule(
    "LOG390", "log-machine-cuda-below-torch-builds", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Reads a PyTorch release the log states (a version, the writer's words) and the CUDA release the writer says the machine has (\"a server with CUDA 11.2 installed\"), with no driver version shown, and asks the knowledge layer for the CUDA releases that PyTorch release was published for (knowledge/torch.toml): a machine CUDA older than all of them is read as a driver too old for every build of that release.",
        why="PyTorch's wheels and conda packages carry their own CUDA runtime, so the machine's toolkit is not what they load; what they need from the machine is a driver that runs their CUDA. The CUDA release a writer gives for a machine is most often nvidia-smi's 'CUDA Version' (the newest CUDA the driver runs) or the toolkit installed with its driver: below every CUDA the release was built for, the driver is older than the builds need.",
        example="I am working on a server that is installed CUDA 11.2, does this project only support torch 2.0 and CUDA >= 11.8?",
        fix="Update the NVIDIA driver to one that runs the build's CUDA (nvidia-smi's 'CUDA Version' at or above it), or install a PyTorch release built for the CUDA the machine's driver runs.",
        limits="Quiet where the log shows the driver's version (the driver readings compare it exactly), shows the GPU in use, names the build's CUDA that the machine's release serves, or says nothing went wrong; within one CUDA major a driver may still run a newer minor through minor-version compatibility, so the reading is of low confidence and names the check that decides.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/", "https://pytorch.org/get-started/previous-versions/"),
        causes=("DRIVER_TOO_OLD", "CUDA_LIBS_MISMATCH"),
    ),
)
def machine_cuda_below_torch_builds(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or facts.driver_version or not facts.cuda_installed or not facts.versions.get("torch"):
        return
    if not (facts.gpu_unused() or facts.stated_trouble):
        return
    if any(f.alternative_to is None and f.severity is Severity.ERROR and f.cause != "UNKNOWN" for f in subject.matched):
        return
    from whygpu.knowledge.cuda import min_driver_for_cuda
    from whygpu.knowledge.cuda_versions import version_tuple
    from whygpu.knowledge.torch import torch_release

    torch_seen = facts.versions["torch"][0]
    release = torch_release(torch_seen.value.split("+", 1)[0])
    built = [s.value for s in facts.build_cuda.get("torch", []) if s.value and s.value[0].isdigit()]
    variants = built[:1] or (list(release.cuda_variants) if release is not None else [])
    if not variants:
        return
    machine = facts.cuda_installed[0]
    have = version_tuple(machine.value)
    lowest = min(variants, key=version_tuple)
    need = version_tuple(lowest)
    if len(have) < 2 or len(need) < 2 or have[:2] >= need[:2]:
        return
    driver = min_driver_for_cuda(lowest)
    evidence = _ev(machine, torch_seen, *facts.stated_trouble[:1], *facts.gpu_unused()[:1])
    yield Hit(
        title=f"The machine's CUDA is {machine.value}, older than every CUDA PyTorch {torch_seen.value} was built for ({', '.join(variants)}): {cause_meaning('DRIVER_TOO_OLD')}",
        evidence=evidence,
        fix=log_cause_fix("DRIVER_TOO_OLD", subject) + f"\nTo tell the causes apart: nvidia-smi's driver version against CUDA {lowest}'s minimum"
        + (f" ({driver} on Linux)" if driver else "") + ": below it, the driver; at or above it, the machine's CUDA is only an older toolkit beside it.",
        confidence=Confidence.LOW,
        cause="DRIVER_TOO_OLD",
        blocks_gpu=True,
        extra={"read_from": "the PyTorch release's CUDA builds (knowledge/torch.toml) against the CUDA the writer gives for the machine"},
    )
    # The machine's CUDA named only as a toolkit beside a newer driver: the program's other CUDA parts of another release.
    yield alternative_hit("CUDA_LIBS_MISMATCH", tuple(evidence[:1]), "DRIVER_TOO_OLD")


VERSION_RULES.append(machine_cuda_below_torch_builds)
