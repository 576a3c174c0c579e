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

from whygpu import lazyre as re
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

if TYPE_CHECKING:
    from whygpu.knowledge.programs import BuildFit, ProgramBuild, ReleaseNeeds

_NAMES = {"cudnn": "cuDNN", "cuda": "CUDA"}


def cudnn_found(facts: LogFacts) -> list[tuple[str, Seen[Any], str]]:
    """The cuDNNs the log shows present: (version or major, the line that shows it, how it is there)."""
    from whygpu.knowledge.cuda_versions import cudnn_major, parse_library_name

    out: list[tuple[str, Seen[Any], str]] = []
    out += [(s.value, s, "installed") for s in facts.cudnn_installed]
    out += [(s.value, s, "said installed") for s in facts.found_stated.get("cudnn", [])]
    out += [(s.value, s, "pip's nvidia-cudnn wheel") for s in facts.pip_cuda_wheels.get("cudnn", [])]
    out += [(needs.cudnn, seen, how) for needs, seen, how in brought(facts) if needs.brings_cudnn and needs.cudnn]
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
    if not facts.build_cuda.get("torch"):
        # accbundle: a PyTorch release named without its variant, whose every CUDA variant has one CUDA major (2.0: 11.7 and 11.8).
        out += [(needs.cuda, seen, f"PyTorch {seen.value}'s CUDA builds bring CUDA {needs.cuda} libraries")
                for needs, seen, _ in brought(facts) if needs.program == "torch" and needs.cuda]
    return out


def brought(facts: LogFacts) -> list[tuple[ReleaseNeeds, Seen[Any], str]]:
    """accbundle (session 27): the frameworks the log names whose install brings its own cuDNN (and CUDA libraries), with
    what each release was built against (``knowledge.programs.release_needs``): PyTorch's CUDA builds (its version, and the
    variant where the log shows it; a release named without one when every variant agrees, and only where the platform's
    plain wheel is a CUDA build or the log shows this one is), ``tensorflow[and-cuda]`` (the cuDNN wheel its extra pins).

    A torch the log shows as a CPU build brings nothing.
    """
    from whygpu.knowledge.programs import release_needs

    out: list[tuple[ReleaseNeeds, Seen[Any], str]] = []
    for version in facts.versions.get("torch", [])[:1]:
        builds = facts.cuda_build.get("torch", [])
        if builds and not any(b.value for b in builds):
            continue
        cuda = facts.build_cuda.get("torch", [])
        # The platform decides a plain wheel's build only where nothing says it is a CUDA one; a failure naming a Windows DLL
        # places the run on Windows where the log names no platform.
        platform = None if cuda or any(b.value for b in builds) else (facts.platform_name() or _dll_platform(facts))
        needs = release_needs("torch", version.value, cuda=cuda[0].value if cuda else None, platform=platform)
        if needs is not None:
            out.append((needs, version, f"PyTorch {version.value} brings it"))
    for seen in facts.versions.get("tensorflow", [])[:1] if facts.tf_and_cuda else []:
        needs = release_needs("tensorflow", seen.value, variant="and-cuda", platform=facts.platform_name())
        if needs is not None and needs.brings_cudnn:
            out.append((needs, seen, f"tensorflow[and-cuda] {seen.value} brings it"))
    return out


def _dll_platform(facts: LogFacts) -> str | None:
    """"windows" where a library the log failed to load is a Windows DLL (cudnn64_8.dll), else None."""
    return "windows" if any(".dll" in f.value.lower() or "64_" in f.value for f in [*facts.load_failed, *facts.library_failed]) else None


def _family(part: str) -> str | None:
    """"cudnn" or "cuda" for a failed library's name; None for a program's GPU part (its provider library, its execution provider)."""
    low = part.lower()
    if "cudnn" in low:
        return "cudnn"
    if "onnxruntime" in low or "executionprovider" in low:
        return None
    return "cuda"


# acctwins (session 39): ONNX Runtime's provider bridge names the library its CUDA provider could not load with it ("Failed
# to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.11: cannot open shared object file"): that
# library, not the provider's own, is what the build asked the loader for (onnxruntime/core/session/provider_bridge_ort.cc).
_PROVIDER_NEEDED = re.compile(r"onnxruntime_providers_cuda\S*\s+with\s+error:\s+(lib(?:cu|nv)\w*\.so(?:\.\d+)+|(?:cu|nv)\w*64_\d+\.dll)", re.I)


def _asked(seen: Seen[Any]) -> str:
    """The library a failure asked the loader for: the one ONNX Runtime's CUDA provider named in its error (its own library
    loaded, a CUDA or cuDNN library it links did not), else the failed library itself."""
    if _family(seen.value) is None and (needed := _PROVIDER_NEEDED.search(seen.text)) is not None:
        return needed.group(1)
    return str(seen.value)


def _asked_major(part: str) -> str | None:
    """The major a failed library's soname or DLL asks for (libcudnn.so.8 -> 8, cudnn_ops64_9.dll -> 9, libcublasLt.so.11 -> 11;
    accbundle: a cuDNN library only one major has, named without a version, libcudnn_ops_infer.so -> 8)."""
    from whygpu.knowledge.cuda import cudnn_major_of_library
    from whygpu.knowledge.cuda_versions import parse_library_name

    name = parse_library_name(part if "." in part or "64_" in part else f"{part}.dll")
    return name.major or cudnn_major_of_library(part)


def _fit(build: ProgramBuild, library: str, found: list[str]) -> BuildFit:
    """The knowledge layer's decision for one library of a build: the cuDNN or the CUDA found against it."""
    from whygpu.knowledge.programs import program_build_fits

    return program_build_fits(build, cudnn_found=found) if library == "cudnn" else program_build_fits(build, cuda_found=found)


def _wanting(facts: LogFacts) -> Iterator[tuple[Seen[Any], ProgramBuild, bool]]:
    """(where the log shows it, the build as the knowledge layer states it, whether it is a framework's) for each program whose
    release the log shows: the programs beside the frameworks (explain.programbuilds), then (accbundle, session 27)
    TensorFlow's tested build and a CUDA jaxlib's local version, each through ``knowledge.programs.release_needs``."""
    from whygpu.explain.programbuilds import ProgramRelease
    from whygpu.knowledge.programs import ProgramBuild, program_build_needs, release_needs

    for seen in facts.program_builds:
        build = program_build_needs(seen.value.program, seen.value.version, seen.value.variant)
        if build is not None:
            yield seen, build, False
    frameworks = [("tensorflow", s) for s in facts.versions.get("tensorflow", [])[:1] if not facts.nvidia_tensorflow() and not facts.tf_and_cuda]
    frameworks += [("jaxlib", s) for s in facts.versions.get("jax", []) if "+cuda" in s.value.lower()][:1]
    for program, seen in frameworks:
        needs = release_needs(program, seen.value, platform=facts.platform_name())
        if needs is None or not (needs.cudnn or needs.cuda):
            continue
        build = ProgramBuild(program=program, versions="", variant="default", cuda=needs.cuda or "", cudnn=needs.cudnn, source=needs.source)
        yield Seen(ProgramRelease(program, seen.value, None), seen.where, seen.text), build, True


def _covers(spec: str, version: str | None) -> bool:
    """Whether a row's release specifier covers the version the log shows."""
    from whygpu.knowledge._util import in_spec, parse_version

    parsed = parse_version(version) if version and spec else None
    return parsed is not None and in_spec(spec, parsed)


def _through_pip(how: str) -> bool:
    """Whether a version found is there through pip's nvidia wheels: listed as one, or brought by a framework's install."""
    return how.startswith("pip's") or " brings" in how or " bring " in how


def _loaded_major(facts: LogFacts, library: str, wanted: str) -> bool:
    """Whether the log shows a library of this family and of the major a build wants loaded ("Successfully opened dynamic
    library libcudnn.so.8"): then that major is there, whatever else failed."""
    major = wanted.split(".")[0]
    return any(_family(s.value) == library and _asked_major(s.value) == major for s in facts.library_loaded)


def _bringer_instead(shown: list[tuple[str, Seen[Any], str]], library: str, wanted: str) -> str:
    """accbundle: where the other major is what PyTorch brings, the PyTorch releases that bring the wanted cuDNN instead
    (knowledge/torch.toml [[cudnn_bundled]]), so that both programs agree."""
    from whygpu.knowledge.programs import releases_for_cudnn

    if library != "cudnn" or not any(how.startswith("PyTorch") for _, _, how in shown):
        return ""
    specs = releases_for_cudnn("torch", wanted.split(".")[0])
    return f", or a PyTorch release that brings cuDNN {wanted.split('.')[0]} (torch {specs[0]}) so that both agree" if specs else ""


@rule(
    "LOG240", "log-program-build-vs-found", "CUDNN_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Reads the release (and, where named, the CUDA 11/12 variant) of a program's GPU build the log shows installed: onnxruntime-gpu, CTranslate2 (faster-whisper, whisperX), CuPy's cupy-cudaNNx, PaddlePaddle, TensorRT, and (by the very library they failed to load) TensorFlow's tested build and a CUDA jaxlib; judges the CUDA and cuDNN majors that build was made for (knowledge.programs.release_needs) against the cuDNN and CUDA the log shows present (said installed, pip's nvidia wheels, files on disk, and what another framework in the environment brings: a PyTorch release's cuDNN major, which every CUDA variant of a release shares, tensorflow[and-cuda]'s cuDNN wheel), when a GPU library or the program's GPU part failed to load.",
        why="These programs' GPU builds ask the loader for one cuDNN major's and one CUDA major's sonames (ONNX Runtime: 'built with cuDNN 8.x is not compatible with cuDNN 9.x, and vice versa'); the other major installed (cuDNN 9 from PyTorch >= 2.4 beside onnxruntime-gpu 1.17, cuDNN 8 beside onnxruntime-gpu 1.19 or CTranslate2 4.5) leaves the program without the libraries it was built for, which the failed load alone reads as missing.",
        example="apply yolov8n.onnx with cuda12.4 cudnn9 onnxruntime-win-x64-cuda12-1.17.1\nLoadlibrary failed with error 126 when trying to load onnxruntime_providers_cuda.dll\n(https://github.com/microsoft/onnxruntime/issues/20223)",
        fix="Install the cuDNN/CUDA major the program's build was made for beside the one there (where its loader finds it), or install the program's release built for the cuDNN/CUDA installed (onnxruntime-gpu >= 1.19 for CUDA 12 + cuDNN 9, 1.18.0 from the CUDA 12 feed for cuDNN 8; CTranslate2 >= 4.5 for cuDNN 9, 4.4.0 for CUDA 12 + cuDNN 8, 3.24.0 for CUDA 11).",
        limits="Only with a load failure in the log, never when the GPU was used; a release the table has no row for, or a log that shows two majors (one may be found), stays quiet; so does a log that shows a library of the wanted major loaded; a PyTorch named without its variant brings nothing on Windows or macOS (PyPI's wheel there has no CUDA) or where the log shows it a CPU build; conda-forge's PyTorch builds follow conda-forge's own cuDNN pin, which the rows do not follow; versions in questions, conditions, advice or other packages' requirements are not read.",
        references=("https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements", "https://github.com/SYSTRAN/faster-whisper#gpu",
                    "https://docs.cupy.dev/en/stable/install.html"),
        causes=("CUDNN_MISMATCH", "CUDA_LIBS_MISMATCH"),
    ),
)
def program_build_against_found(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or not (facts.program_builds or facts.versions.get("tensorflow") or facts.versions.get("jax")):
        return
    failures = [*facts.load_failed, *facts.library_failed]
    if not failures:
        return
    from whygpu.knowledge.programs import program_builds_for, releases_for_cudnn

    cudnn, cuda = cudnn_found(facts), cuda_found(facts)
    families = {_family(_asked(f)) for f in failures}
    # What failed is what is judged: a cuDNN library failing is read against the cuDNN there, a CUDA one against the CUDA, a
    # program's GPU part (which loads both) against both; a CUDA that differs beside a cuDNN that failed says nothing of that failure.
    order = [library for library in ("cudnn", "cuda") if library in families or None in families]
    from whygpu.knowledge.ruleouts import loads_pip_cuda_wheels

    for seen, build, framework in _wanting(facts):
        program, version = seen.value.program, seen.value.version
        # A framework release that does not load pip's nvidia wheels itself (TensorFlow before 2.14, a jaxlib loading the
        # system's) is not served by them, nor by what another framework brought through them: only what is on the system counts.
        pip_serves = not framework or loads_pip_cuda_wheels("tensorflow" if program == "tensorflow" else "jax", version) is True
        for library in order:
            found = [f for f in (cudnn if library == "cudnn" else cuda) if pip_serves or not _through_pip(f[2])]
            fit = _fit(build, library, [v for v, _, _ in found])
            if fit.fits is not False or fit.cause is None:
                continue
            shown = [(v, s, how) for v, s, how in found if v in fit.found]
            failed = [f for f in failures if _family(_asked(f)) in (library, None)] or failures
            # The loader asked for the very major this build was made for, and only another is there: two facts agree.
            asked = [f for f in failed if _family(_asked(f)) == library and _asked_major(_asked(f)) == fit.wanted.split(".")[0]]
            if framework and not asked:
                continue  # a framework's own build is judged here only by the very library it asked for (its other rules read the rest)
            if _loaded_major(facts, library, fit.wanted):
                continue  # the log shows a library of the major this build wants loaded: it is there
            # Or the other library was compared and serves the build: the mismatch is this library's alone.
            other = "cuda" if library == "cudnn" else "cudnn"
            other_found = cuda if other == "cuda" else cudnn
            isolated = _fit(build, other, [v for v, _, _ in other_found]).fits is True
            name, release = _NAMES[library], f"{program} {version}" if version else program
            others = program_builds_for(program, cudnn=shown[0][0]) if library == "cudnn" else program_builds_for(program, cuda=shown[0][0])
            instead = ""
            if others:
                # The same release in another variant first (paddlepaddle-gpu 2.4.0's post117 build), else the newest row.
                newest = next((b for b in others if _covers(b.versions, version)), others[0])
                spec = newest.versions or "any release"
                instead = f", or install {program} {spec}" + (f" ({newest.variant} build)" if newest.variant != "default" else "") + f", built for {name} {shown[0][0].split('.')[0]}"
            if not others and library == "cudnn" and (specs := releases_for_cudnn(program, shown[0][0].split(".")[0])):
                instead = f", or install {program} {specs[0]}, built for {name} {shown[0][0].split('.')[0]}"
            instead += _bringer_instead(shown, library, fit.wanted)
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


# acctwins (session 28): a managed image's own cuDNN is the other side. Colab's runtime image carries one cuDNN major in the
# loader's default directories at any date (knowledge/cuda.toml [[image_cudnn]], from googlecolab/backend-info's package
# listings), so a program there that finds no cuDNN library of the major it asks for asks for another major than the
# image's. The counts: of the labelled Colab logs with a cuDNN library that would not load (7 at session 28), the
# confirmed cause was CUDNN_MISMATCH in 4, CUDNN_MISSING in 2 (each a library of a major the image lacked that day, the
# fix installing it), CUDA_LIBS_MISMATCH in 1 (a CUDA library failed beside it): the mismatch leads, missing follows.
_WORKS_THERE = re.compile(r"\b(?:works?|worked|working|runs?|ran|fine|okay|ok)\b[^.\n]{0,40}\b(?:colab|kaggle)|\b(?:colab|kaggle)\b[^.\n]{0,40}\b(?:works?|worked|fine|okay)\b", re.I)


@rule(
    "LOG386", "log-managed-image-cudnn-major", "CUDNN_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds a cuDNN library that would not load on a managed notebook image whose own cuDNN is known by date (Colab, and Kaggle's image built on Colab's: knowledge/cuda.toml [[image_cudnn]]), asking for a major the image did not carry: the day the log's time stamps show, or, with no date, a major that some period of the image lacked (cuDNN 8 since 2025-01-27, cuDNN 9 before it).",
        why="The image carries one cuDNN major where the loader looks by default (Colab: cuDNN 8 from October 2022, cuDNN 9 from 27 January 2025), so a program whose build asks for another major (CTranslate2 4.4 for cuDNN 8, 4.5 and onnxruntime-gpu 1.19 for cuDNN 9) finds no library of its own major there: the file 'missing' is the other major's.",
        example="Could not load library libcudnn_ops_infer.so.8. Error: libcudnn_ops_infer.so.8: cannot open shared object file: No such file or directory (on Colab, whose image has carried cuDNN 9 since 2025-01-27)\n(https://github.com/googlecolab/backend-info)",
        fix="Install the program's release built for the image's cuDNN major, or the cuDNN major the program asks for where its loader finds it (pip install nvidia-cudnn-cu12 of that major, then its nvidia/cudnn/lib directory on LD_LIBRARY_PATH).",
        limits="Only Colab's and Kaggle's images (Kaggle's from 2024-11-27, when it was built on Colab's), and only a Linux library (a Windows DLL is another machine); a log that names Colab as where things work, shows a library of the asked major loaded, asks for two majors, or is dated on a day whose image carried the major, stays quiet. A runtime whose cuDNN the writer changed (an apt install, a removed package) misleads it.",
        references=("https://github.com/googlecolab/backend-info", "https://github.com/Kaggle/docker-python/commits/main/config.txt",
                    "https://docs.nvidia.com/deeplearning/cudnn/latest/api/overview.html"),
    ),
)
def managed_image_cudnn(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    platform = facts.platform_name()
    image = "colab" if platform == "colab" else "kaggle" if facts.kaggle and platform in (None, "linux") else None
    if subject.gpu_in_use or image is None:
        return
    failures = [f for f in (*facts.load_failed, *facts.library_failed) if _family(f.value) == "cudnn" and ".dll" not in f.value.lower()]
    majors = {m for f in failures if (m := _asked_major(f.value))}
    if len(majors) != 1:
        return
    major = majors.pop()
    if _loaded_major(facts, "cudnn", major):
        return  # a library of the asked major loaded: the image has it
    named = [s for s in facts.platform if s.value == "colab"] if image == "colab" else facts.kaggle
    if all(_WORKS_THERE.search(s.text) for s in named):
        return  # the image named as where it works: the failing run was elsewhere
    from whygpu.knowledge.cuda import image_cudnn_lacks
    from whygpu.knowledge.programs import releases_for_cudnn

    dated = facts.log_date[:1]
    verdict = image_cudnn_lacks(image, major, on=dated[0].value if dated else None)
    if verdict is None:
        return
    carried = sorted({m for _, _, ms in verdict.periods for m in ms})
    periods = "; ".join(f"cuDNN {' and '.join(ms)} {'from ' + start if start else ''}{' to ' + end if end else ' on'}"
                        for start, end, ms in verdict.periods)
    failed = next(f for f in failures if _asked_major(f.value) == major)
    instead = ""
    for seen in facts.program_builds[:1]:
        specs = releases_for_cudnn(seen.value.program, carried[-1])
        if specs:
            instead = f" ({seen.value.program} {specs[0]} is built for cuDNN {carried[-1]})"
    label = image.capitalize()
    when = f"on {verdict.dated}, when it carried {periods}" if verdict.dated else f"which carried {periods}"
    yield Hit(
        title=f"A program asked for cuDNN {major} ({failed.value}) on {label}, whose image carries another cuDNN major: {cause_meaning('CUDNN_MISMATCH')}",
        evidence=_ev(failed, named[0], *dated),
        fix=(f"{label}'s image ({when}; source: {verdict.source}) has no cuDNN {major} where the loader looks. Install the "
             f"program's release built for the image's cuDNN{instead}; or install cuDNN {major} "
             f"(pip install \"nvidia-cudnn-cu12=={major}.*\") and put its nvidia/cudnn/lib directory on LD_LIBRARY_PATH before the program starts."
             "\nWhat would show it: `ls /usr/lib/x86_64-linux-gnu/libcudnn*` lists the image's cuDNN, of another major than the one asked for."),
        # Two facts agree, the major the loader asked for and the image's other one (as LOG240's "asked"): high, which
        # ranks it over the failed load's own reading (missing), per the counts above.
        confidence=Confidence.HIGH,
        cause="CUDNN_MISMATCH",
        blocks_gpu=True,
        extra={"read_from": "the asked cuDNN major against the managed image's, judged by knowledge.cuda.image_cudnn_lacks"},
    )


BUILD_RULES.append(managed_image_cudnn)
