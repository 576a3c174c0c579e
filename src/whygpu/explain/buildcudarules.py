"""The log rules that judge a build's CUDA, wherever the log writes it, against the machine (accvers, session 33).

The facts are explain.buildcuda's (``build_cuda_said``: an image's tag, a wheel's +cuNNN, PyTorch's index, jax[cudaNN], conda's
pins, the writer's "CUDA 12.8 build"; ``driver_cuda_said``; ``gpus_beside_builds``) beside the driver and GPU facts the other
readers take (nvidia-smi's header, a driver version, a compute capability, a GPU model). Each rule asks one decision of the
knowledge layer:

- LOG540: the driver runs the build's CUDA (knowledge.cuda_versions.driver_runs_cuda; an image's CUDA without minor-version
  compatibility, as NVIDIA's images require ``cuda>=X.Y`` of the driver) -> DRIVER_TOO_OLD;
- LOG541: the build's CUDA major still supports the GPU's architecture (knowledge.target.cuda_supports_gpu, knowledge/cuda.toml
  [[architecture]]); for a PyTorch variant, every release published for it (knowledge/torch.toml arch lists) -> GPU_NOT_SUPPORTED;
- LOG542: the GPU is newer than anything the build's CUDA compiles for (knowledge.cuda.first_cuda_for_compute_capability,
  knowledge.target.build_runs_on_gpu) -> GPU_NOT_SUPPORTED, with the first CUDA that knows it.

Each speaks only where both sides are shown, the log shows the GPU unused or something failing, nothing shows the GPU at
work, and no signature already named a cause.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu import lazyre as re
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


def _trouble(subject: LogSubject) -> list[Seen[Any]]:
    """The lines that show the GPU unused or something failing: a framework's answer or the writer's words that the GPU went
    unused, a stated trouble, a program's error line, or a line of the build or the GPU that says it fails."""
    from whygpu.explain.buildcuda import FAILED

    facts = subject.facts
    shown: list[Seen[Any]] = [*facts.gpu_unused(), *facts.stated_trouble, *facts.error_words, *facts.no_kernel_said, *facts.build_failure_said]
    for seen in (*facts.build_cuda_said, *facts.gpus_beside_builds, *facts.driver_cuda_said):
        if FAILED.search(seen.text):
            shown.append(seen)
    return shown


def _quiet(subject: LogSubject) -> bool:
    """True where the rules of this module stay quiet: the GPU shown at work, or a signature that named a cause."""
    if subject.gpu_in_use:
        return True
    # accnoticed (session 37): a generic answer ("is_available() False": LOG104's ranking of every cause) names no cause.
    return any(f.alternative_to is None and f.severity is Severity.ERROR and f.cause != "UNKNOWN" and not f.generic for f in subject.matched)


def _driver_cuda(subject: LogSubject) -> tuple[str, Seen[Any], bool] | None:
    """The newest CUDA the machine's driver runs, where the line that shows it, and whether it is exact (nvidia-smi's header,
    the writer's words) rather than derived from a driver version. None where the log shows none, or two that disagree."""
    facts = subject.facts
    shown = [(s.value, s, True) for s in (*facts.driver_cuda, *facts.driver_cuda_said)]
    if not shown:
        from whygpu.knowledge.cuda import max_cuda_for_driver

        for seen in facts.driver_version[:1]:
            top = max_cuda_for_driver(seen.value, minor_compat=False)
            if top is not None:
                shown.append((top, seen, False))
    if not shown or len({value for value, _, _ in shown}) > 1:
        return None  # none, or two machines (a container and its host, two nodes): not sure which runs the build
    return shown[0]


@rule(
    "LOG540", "log-build-cuda-above-driver", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Reads a build's CUDA wherever the log writes it (an image's tag such as pytorch/pytorch:2.7.0-cuda12.8-cudnn9-runtime or nvidia/cuda:12.8.0-..., a project's 'cuda13 images', a wheel's +cu128, PyTorch's index /whl/cu128, jax[cuda13], conda's pytorch-cuda=12.1, the writer's 'a CUDA 12.8 build') and the newest CUDA the machine's driver runs (nvidia-smi's header, a driver version through knowledge/cuda.toml, the writer's 'the host supported CUDA 12.6'), and asks the knowledge layer whether that driver runs the build (knowledge.cuda_versions.driver_runs_cuda; an image's CUDA without minor-version compatibility).",
        why="A driver runs CUDA builds up to its own CUDA release; NVIDIA's CUDA images and the images built on them require that release of the host's driver (nvidia-container-cli's 'unsatisfied condition: cuda>=12.8'), so a cu128 image on a host whose driver runs CUDA 12.6 does not start or finds no usable GPU.",
        example="The stock comfyui-mcp RunPod image is a CUDA 12.8 build ... In the observed incident the assigned host supported CUDA 12.6 and the stock container refused to start\n(https://github.com/artokun/comfyui-mcp/issues/2016)",
        fix="Update the host's NVIDIA driver to the minimum of the build's CUDA (knowledge/cuda.toml), or run a build made for the CUDA the driver runs.",
        limits="Both sides must be shown, and the log must show the GPU unused or something failing; quiet where the log shows two driver CUDA releases (two machines), the GPU at work, or a signature's cause. A wheel's CUDA is judged with minor-version compatibility (a 12.6 driver runs a cu128 wheel's runtime); an image's without.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/", "https://github.com/NVIDIA/nvidia-container-toolkit"),
        causes=("DRIVER_TOO_OLD",),
    ),
)
def build_cuda_above_driver(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.build_cuda_said or _quiet(subject):
        return
    driver = _driver_cuda(subject)
    trouble = _trouble(subject)
    if driver is None or not trouble:
        return
    have, where, exact = driver
    from whygpu.knowledge.cuda import min_driver_for_cuda
    from whygpu.knowledge.cuda_versions import driver_runs_cuda

    for seen in facts.build_cuda_said:
        build = seen.value
        image = build.form == "image"
        if driver_runs_cuda(have, build.cuda, minor_compat=not image) is not False:
            continue
        floor = min_driver_for_cuda(build.cuda if "." in build.cuda else f"{build.cuda}.0")
        what = "the image" if image else "the framework" if build.form == "floor" else "the build"
        fix = (f"Update the {'host' if image else 'machine'}'s NVIDIA driver to {floor or 'one that runs CUDA ' + build.cuda} or newer "
               f"(the lowest that runs CUDA {build.cuda}), or use {what if build.form != 'floor' else 'a release of the framework'} made for CUDA {have} or older"
               + (" (an image tag of that CUDA)." if image else " (for PyTorch, the index of that CUDA).")
               + (" What would decide otherwise: a data-center GPU with the CUDA forward-compatibility package runs a newer CUDA on an "
                  "older driver (`nvidia-smi` inside the container then shows the image's CUDA)." if image else ""))
        yield Hit(
            title=(f"The driver runs CUDA {have} at most, but {what} ({build.words}) was made with CUDA {build.cuda}" if build.form != "floor"
                   else f"The driver runs CUDA {have} at most, but the framework's builds need CUDA {build.cuda} ({build.words})") + f": {cause_meaning('DRIVER_TOO_OLD')}",
            evidence=_ev(where, seen, *trouble[:1]),
            fix=fix,
            confidence=Confidence.MEDIUM if exact else Confidence.LOW,
            cause="DRIVER_TOO_OLD",
            blocks_gpu=True,
            extra={"read_from": "the build's CUDA as the log writes it, against the driver's CUDA (knowledge.cuda_versions.driver_runs_cuda)"},
        )
        return


def _gpus(subject: LogSubject) -> list[tuple[str, Seen[Any]]]:
    """(compute capability, where) of each GPU the log shows: a capability stated, a model named (knowledge/gpus.toml)."""
    from whygpu.explain.rules import _gpu_capability

    out: list[tuple[str, Seen[Any]]] = []
    found = _gpu_capability(subject.facts)
    if found is not None:
        out.append(found)
    for seen in subject.facts.gpus_beside_builds:
        if len(seen.value) == 1 and all(cc != seen.value[0] for cc, _ in out):
            out.append((seen.value[0], seen))
    return out


def _torch_variant_fit(cuda: str, cc: str) -> tuple[bool | None, str]:
    """Whether the official PyTorch builds of CUDA variant ``cuda`` run on compute capability ``cc``: False where no release
    published for it has code for the GPU (knowledge/torch.toml), True where every one does, else None."""
    from whygpu.knowledge.target import BuildSpec, build_runs_on_gpu
    from whygpu.knowledge.torch import torch_arch_list, torch_releases

    fits = []
    for release in torch_releases():
        if cuda in release.cuda_variants and torch_arch_list(release.version, cuda):
            fits.append((release.version, build_runs_on_gpu(BuildSpec("torch", "PyTorch", release.version, cuda), cc)))
    if not fits:
        return None, ""
    if all(fit.runs is False for _, fit in fits):
        versions = sorted(v for v, _ in fits)
        return False, f"no official PyTorch build for CUDA {cuda} ({versions[0]} to {versions[-1]}) has code for compute capability {cc}"
    if all(fit.runs for _, fit in fits):
        return True, ""
    return None, ""


def _older_builds(cc: str) -> str:
    """The builds that still run a GPU a newer CUDA major dropped: the last CUDA major for it, PyTorch's variants of it."""
    from whygpu.knowledge.cuda import last_cuda_major_for_compute_capability
    from whygpu.knowledge.torch import torch_releases

    last = last_cuda_major_for_compute_capability(cc)
    if last is None:
        return "a build made with an older CUDA"
    from whygpu.knowledge.target import BuildSpec, build_runs_on_gpu

    variants = sorted({v for r in torch_releases()[:6] for v in r.cuda_variants if v.split(".")[0] == str(last)
                       and build_runs_on_gpu(BuildSpec("torch", "PyTorch", r.version, v), cc).runs})
    torch_words = f"; for PyTorch, a cu{variants[-1].replace('.', '')} wheel (https://download.pytorch.org/whl/cu{variants[-1].replace('.', '')})" if variants else ""
    return f"a build made with CUDA {last}.x (an image tag or a package of CUDA {last}){torch_words}"


def _gpu_sides(subject: LogSubject) -> tuple[list[tuple[str, Seen[Any]]], list[Seen[Any]]] | None:
    """LOG541's and LOG542's two sides: the GPUs the log shows and the lines that say something failed; None where a
    build's CUDA is not said, a reading already decided (``_quiet``), or either side is missing."""
    if not subject.facts.build_cuda_said or _quiet(subject):
        return None
    gpus = _gpus(subject)
    trouble = _trouble(subject)
    if not gpus or not trouble:
        return None
    return gpus, trouble


@rule(
    "LOG541", "log-build-cuda-dropped-gpu", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads a build's CUDA wherever the log writes it (an image's tag, a project's 'cuda13 images', a wheel's +cuNNN, PyTorch's index, jax[cuda13], conda's pins, the writer's words) and the GPU the log shows (a compute capability, or a model named in an nvidia-smi table, a device list or the writer's words, knowledge/gpus.toml), and asks the knowledge layer whether the build's CUDA major still supports the GPU's architecture (knowledge.target.cuda_supports_gpu over knowledge/cuda.toml [[architecture]]: CUDA 13 dropped Maxwell, Pascal and Volta; CUDA 12 Kepler), or, for a PyTorch variant, whether any release published for it has code for the GPU (knowledge/torch.toml: the cu128 wheels dropped Pascal).",
        why="A CUDA major that removed an architecture cannot compile code for it and its libraries hold none: a cuda13 image or a cu130 wheel on a V100 fails to load its backend or finds no kernel image, whatever the driver, which still drives the GPU.",
        example="the \"latest\" containers für cuda13 dont work with my V100 ... The cuda12 images however work.\n(https://github.com/mudler/LocalAI/issues/9948)",
        fix="Use a build made with an older CUDA major that still supports the GPU (named from knowledge/cuda.toml and torch.toml), or a GPU the build's CUDA supports.",
        limits="Both sides must be shown, and the log must show the GPU unused or something failing; quiet where the GPU is shown at work or a signature named a cause. Where the log names several GPUs and only some are outside the build, low confidence.",
        references=("https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html", "https://developer.nvidia.com/cuda-gpus"),
        causes=("GPU_NOT_SUPPORTED",),
    ),
)
def build_cuda_dropped_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    sides = _gpu_sides(subject)
    if sides is None:
        return
    gpus, trouble = sides
    from whygpu.knowledge.target import cuda_supports_gpu

    for seen in facts.build_cuda_said:
        build = seen.value
        for cc, gpu in gpus:
            if build.form == "torch" and "." in build.cuda:
                fits, why = _torch_variant_fit(build.cuda, cc)
            else:
                fits, why = cuda_supports_gpu(build.cuda, cc)
            if fits is not False:
                continue
            newer = _newer_than(build.cuda, cc)
            if newer:
                continue  # the GPU newer than the build: LOG542's
            others = [c for c, _ in gpus if c != cc]
            yield Hit(
                title=f"The build ({build.words}) is made with CUDA {build.cuda}, which has no code for this GPU (compute capability {cc}): {why}",
                evidence=_ev(gpu, seen, *trouble[:1]),
                fix=f"Use {_older_builds(cc)}, or a GPU of compute capability the build's CUDA supports. What decides it: "
                "`nvidia-smi --query-gpu=name,compute_cap --format=csv` against the build's CUDA (`torch.version.cuda`, the image's tag).",
                confidence=Confidence.LOW if others else Confidence.HIGH if build.form != "said" else Confidence.MEDIUM,
                cause="GPU_NOT_SUPPORTED",
                blocks_gpu=True,
                extra={"read_from": "the build's CUDA as the log writes it, against the GPU's architecture (knowledge.target.cuda_supports_gpu, knowledge/torch.toml)"},
            )
            return


def _newer_than(cuda: str, cc: str) -> str | None:
    """The first CUDA that knows compute capability ``cc``, where the GPU is of a newer major than anything ``cuda`` compiles
    for (knowledge.target.build_runs_on_gpu's "beyond-toolkit": machine code of a major runs on a later minor of it, so an
    8.6 GPU under CUDA 11.0's sm_80 is not newer); else None."""
    from whygpu.knowledge.cuda import cuda_max_compute_capability, first_cuda_for_compute_capability
    from whygpu.knowledge.cuda_versions import version_tuple

    newest = cuda_max_compute_capability(cuda if "." in cuda else f"{cuda}.0")
    first = first_cuda_for_compute_capability(cc)
    if newest is None or first is None:
        return None
    return first if version_tuple(cc)[:1] > version_tuple(newest)[:1] else None


# A line that says the build has no code for the GPU: decides an inference that a GPU newer than the build's CUDA gets none.
NOT_FOR_GPU = re.compile(r"no kernel image|no device code|not compatible|incompatible|not supported|unsupported|no longer supports?|"
                         r"sm_\d+\s+is\s+not|cannot work with", re.I)


@rule(
    "LOG542", "log-gpu-newer-than-build-cuda", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Reads a build's CUDA wherever the log writes it (a wheel's +cu124, PyTorch's index /whl/cu121, conda's pytorch-cuda=12.1 or cudatoolkit=11.8, an image's tag, the writer's 'CUDA 11.8 and the corresponding Torch') and the GPU the log shows, and asks the knowledge layer whether the GPU is newer than anything that CUDA compiles for (knowledge.cuda.first_cuda_for_compute_capability); for a PyTorch variant, whether any release published for it has code for the GPU (knowledge/torch.toml).",
        why="A build made with a CUDA release older than the GPU's architecture has no machine code for it: an RTX 50 card (compute capability 12.0, known from CUDA 12.8) under a cu118, cu121 or cu124 PyTorch gets 'no kernel image is available for execution on the device'.",
        example="PyTorch: 2.6.0.dev20241112+cu121 ... RTX 5070 Ti, CUDA capability sm_120 ... RuntimeError: CUDA error: no kernel image is available for execution on the device\n(https://github.com/deepbeepmeep/Wan2GP/issues/376)",
        fix="Install a build made with the first CUDA that knows the GPU or a later one (for compute capability 12.0: CUDA 12.8, PyTorch 2.7 or newer from the cu128 index).",
        limits="Both sides must be shown, and the log must show the GPU unused or something failing. A build other than PyTorch's may carry PTX an older CUDA compiled, which the driver JIT-compiles: medium confidence, and what decides it is named.",
        references=("https://developer.nvidia.com/cuda-gpus", "https://pytorch.org/get-started/locally/"),
        causes=("GPU_NOT_SUPPORTED",),
    ),
)
def gpu_newer_than_build_cuda(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    sides = _gpu_sides(subject)
    if sides is None:
        return
    gpus, trouble = sides
    for seen in facts.build_cuda_said:
        build = seen.value
        for cc, gpu in gpus:
            first = _newer_than(build.cuda, cc)
            if first is None:
                continue
            decided = False
            if build.form == "torch" and "." in build.cuda:
                fits, _ = _torch_variant_fit(build.cuda, cc)
                if fits is not False and fits is not None:
                    continue
                decided = fits is False
            if not decided and not any(NOT_FOR_GPU.search(t.text) for t in (*trouble, seen, gpu)) and not facts.no_kernel_said:
                continue  # only inferred (the build may ship PTX): a line must say the build has no code for the GPU
            torch_fix = ""
            from whygpu.knowledge.torch import torch_releases

            releases = sorted((r for r in torch_releases() if any(v == first for v in r.cuda_variants)), key=lambda r: [int(x) for x in r.version.split(".")])
            if releases:
                tag = first.replace(".", "")
                torch_fix = f" For PyTorch: {releases[0].version} or newer from the cu{tag} index (`pip install torch --index-url https://download.pytorch.org/whl/cu{tag}`)."
            others = [c for c, _ in gpus if c != cc]
            yield Hit(
                title=f"The GPU (compute capability {cc}) is newer than CUDA {build.cuda}, which the build ({build.words}) was made with: CUDA {first} is the first that knows it",
                evidence=_ev(gpu, seen, *trouble[:1]),
                fix=f"Install a build made with CUDA {first} or newer.{torch_fix}"
                + ("" if decided else " What decides it: whether the build ships PTX the driver can compile for the GPU (a first run that "
                   "fails with 'no kernel image is available' says it does not)."),
                confidence=Confidence.LOW if others else Confidence.HIGH if decided else Confidence.MEDIUM,
                cause="GPU_NOT_SUPPORTED",
                blocks_gpu=True,
                extra={"read_from": "the build's CUDA as the log writes it, against the first CUDA that knows the GPU (knowledge/cuda.toml [[newest_cc]], torch.toml)"},
            )
            return


BUILD_CUDA_RULES: list[Rule[LogSubject]] = [build_cuda_above_driver, build_cuda_dropped_gpu, gpu_newer_than_build_cuda]
