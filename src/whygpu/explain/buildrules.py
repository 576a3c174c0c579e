"""The log rule that judges a program's GPU build against the CUDA and cuDNN the log shows (accbuilds, session 21).

A program beside the frameworks (ONNX Runtime, CTranslate2 under faster-whisper/whisperX, CuPy) is published in GPU
builds made for one CUDA major and one cuDNN major (knowledge/programs.toml, each row with its source). Where a log
shows the program's release (``explain.programbuilds``), a cuDNN or CUDA present (said installed, a pip wheel listed,
files on disk, or brought by a PyTorch CUDA build) and a failure to load a GPU library or the program's GPU part, the
knowledge layer's one decision (``knowledge.programs.program_build_fits``, through ``cuda_versions.build_fits_found``)
says whether what is there serves the build. Another major only is CUDNN_MISMATCH / CUDA_LIBS_MISMATCH: the more
specific reading than a failed load's own (missing, or off the loader's path), which only knows the file it asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

if TYPE_CHECKING:
    from whygpu.knowledge.programs import BuildFit, ProgramBuild

_NAMES = {"cudnn": "cuDNN", "cuda": "CUDA"}


def cudnn_found(facts: LogFacts) -> list[tuple[str, Seen[Any], str]]:
    """The cuDNNs the log shows present: (version or major, the line that shows it, how it is there)."""
    from whygpu.knowledge.cuda_versions import cudnn_major, parse_library_name
    from whygpu.knowledge.torch import torch_bundled_cudnn_major

    out: list[tuple[str, Seen[Any], str]] = []
    out += [(s.value, s, "installed") for s in facts.cudnn_installed]
    out += [(s.value, s, "said installed") for s in facts.found_stated.get("cudnn", [])]
    out += [(s.value, s, "pip's nvidia-cudnn wheel") for s in facts.pip_cuda_wheels.get("cudnn", [])]
    for version, cuda in zip(facts.versions.get("torch", [])[:1], facts.build_cuda.get("torch", [])[:1], strict=False):
        if (major := torch_bundled_cudnn_major(version.value, cuda.value)) is not None:
            out.append((major, version, f"PyTorch {version.value} brings it"))
    for name, seen in facts.library_files.items():
        parsed = parse_library_name(name)
        if parsed.stem.lower().removeprefix("lib").startswith("cudnn") and parsed.version and seen:
            out.append((cudnn_major(parsed.version), seen[0], f"{name} is on disk"))
    return out


def cuda_found(facts: LogFacts) -> list[tuple[str, Seen[Any], str]]:
    """The CUDA releases the log shows present (never the driver's CUDA, which says what it runs, not what is installed)."""
    out: list[tuple[str, Seen[Any], str]] = []
    out += [(s.value, s, "installed") for s in facts.cuda_installed]
    out += [(s.value, s, "said installed") for s in facts.found_stated.get("cuda", [])]
    out += [(".".join(s.value.split(".")[:2]), s, "pip's nvidia-cuda-runtime wheel") for s in facts.pip_cuda_wheels.get("cuda-runtime", [])]
    for cuda in facts.build_cuda.get("torch", [])[:1]:
        out.append((cuda.value, cuda, "a PyTorch CUDA build brings its libraries"))
    return out


def _family(part: str) -> str | None:
    """"cudnn" or "cuda" for a failed library's name; None for a program's GPU part (its provider library, its execution provider)."""
    low = part.lower()
    if "cudnn" in low:
        return "cudnn"
    if "onnxruntime" in low or "executionprovider" in low:
        return None
    return "cuda"


def _asked_major(part: str) -> str | None:
    """The major a failed library's soname or DLL asks for (libcudnn.so.8 -> 8, cudnn_ops64_9.dll -> 9, libcublasLt.so.11 -> 11)."""
    from whygpu.knowledge.cuda_versions import parse_library_name

    name = parse_library_name(part if "." in part or "64_" in part else f"{part}.dll")
    return name.major


def _fit(build: ProgramBuild, library: str, found: list[str]) -> BuildFit:
    """The knowledge layer's decision for one library of a build: the cuDNN or the CUDA found against it."""
    from whygpu.knowledge.programs import program_build_fits

    return program_build_fits(build, cudnn_found=found) if library == "cudnn" else program_build_fits(build, cuda_found=found)


@rule(
    "LOG240", "log-program-build-vs-found", "CUDNN_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Reads the release (and, where named, the CUDA 11/12 variant) of a program's GPU build the log shows installed: onnxruntime-gpu, CTranslate2 (faster-whisper, whisperX), CuPy's cupy-cudaNNx; judges the CUDA and cuDNN majors that build was made for (knowledge/programs.toml) against the cuDNN and CUDA the log shows present (said installed, pip's nvidia wheels, files on disk, the cuDNN a PyTorch CUDA build brings), when a GPU library or the program's GPU part failed to load.",
        why="These programs' GPU builds ask the loader for one cuDNN major's and one CUDA major's sonames (ONNX Runtime: 'built with cuDNN 8.x is not compatible with cuDNN 9.x, and vice versa'); the other major installed (cuDNN 9 from PyTorch >= 2.4 beside onnxruntime-gpu 1.17, cuDNN 8 beside onnxruntime-gpu 1.19 or CTranslate2 4.5) leaves the program without the libraries it was built for, which the failed load alone reads as missing.",
        example="apply yolov8n.onnx with cuda12.4 cudnn9 onnxruntime-win-x64-cuda12-1.17.1\nLoadlibrary failed with error 126 when trying to load onnxruntime_providers_cuda.dll\n(https://github.com/microsoft/onnxruntime/issues/20223)",
        fix="Install the cuDNN/CUDA major the program's build was made for beside the one there (where its loader finds it), or install the program's release built for the cuDNN/CUDA installed (onnxruntime-gpu >= 1.19 for CUDA 12 + cuDNN 9, 1.18.0 from the CUDA 12 feed for cuDNN 8; CTranslate2 >= 4.5 for cuDNN 9, 4.4.0 for CUDA 12 + cuDNN 8, 3.24.0 for CUDA 11).",
        limits="Only with a load failure in the log, never when the GPU was used; a release the table has no row for, or a log that shows two majors (one may be found), stays quiet; versions in questions, conditions, advice or other packages' requirements are not read.",
        references=("https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements", "https://github.com/SYSTRAN/faster-whisper#gpu",
                    "https://docs.cupy.dev/en/stable/install.html"),
        causes=("CUDNN_MISMATCH", "CUDA_LIBS_MISMATCH"),
    ),
)
def program_build_against_found(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.program_builds or subject.gpu_in_use:
        return
    failures = [*facts.load_failed, *facts.library_failed]
    if not failures:
        return
    from whygpu.knowledge.programs import program_build_needs, program_builds_for

    cudnn, cuda = cudnn_found(facts), cuda_found(facts)
    families = {_family(f.value) for f in failures}
    # What failed is what is judged: a cuDNN library failing is read against the cuDNN there, a CUDA one against the CUDA, a
    # program's GPU part (which loads both) against both; a CUDA that differs beside a cuDNN that failed says nothing of that failure.
    order = [library for library in ("cudnn", "cuda") if library in families or None in families]
    for seen in facts.program_builds:
        program, version, variant = seen.value.program, seen.value.version, seen.value.variant
        build = program_build_needs(program, version, variant)
        if build is None:
            continue
        for library in order:
            found = cudnn if library == "cudnn" else cuda
            fit = _fit(build, library, [v for v, _, _ in found])
            if fit.fits is not False or fit.cause is None:
                continue
            shown = [(v, s, how) for v, s, how in found if v in fit.found]
            failed = [f for f in failures if _family(f.value) in (library, None)] or failures
            # The loader asked for the very major this build was made for, and only another is there: two facts agree.
            asked = [f for f in failed if _family(f.value) == library and _asked_major(f.value) == fit.wanted.split(".")[0]]
            # Or the other library was compared and serves the build: the mismatch is this library's alone.
            other = "cuda" if library == "cudnn" else "cudnn"
            other_found = cuda if other == "cuda" else cudnn
            isolated = _fit(build, other, [v for v, _, _ in other_found]).fits is True
            name, release = _NAMES[library], f"{program} {version}" if version else program
            others = program_builds_for(program, cudnn=shown[0][0]) if library == "cudnn" else program_builds_for(program, cuda=shown[0][0])
            instead = ""
            if others:
                newest = others[0]
                spec = newest.versions or "any release"
                instead = f", or install {program} {spec}" + (f" ({newest.variant} build)" if newest.variant != "default" else "") + f", built for {name} {shown[0][0].split('.')[0]}"
            yield Hit(
                title=f"{release}'s GPU build needs {name} {fit.wanted}, but the log shows {name} {shown[0][0]} ({shown[0][2]}): {cause_meaning(fit.cause)}",
                evidence=_ev(seen, *(s for _, s, _ in shown[:2]), *(asked or failed)[:1]),
                fix=f"Install {name} {fit.wanted}.x where {program}'s loader finds it (its build was made for {name} {fit.wanted}; "
                f"source: {build.source}){instead}.",
                confidence=Confidence.HIGH if asked or isolated else Confidence.MEDIUM,
                cause=fit.cause,
                blocks_gpu=True,
                extra={"read_from": "the program's release against the versions shown present, judged by knowledge.programs.program_build_fits"},
            )
            return


BUILD_RULES: list[Rule[LogSubject]] = [program_build_against_found]
