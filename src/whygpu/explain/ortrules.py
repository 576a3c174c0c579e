"""ONNX Runtime's GPU release against the CUDA the log shows, where ONNX Runtime left the GPU unused (accort39, session 39).

The fact joined: the onnxruntime-gpu release the log shows installed (explain.programbuilds), the CUDA its build was made
for (knowledge/programs.toml [[gpu_build]], from ONNX Runtime's CUDA execution provider requirements tables; the decision is
``knowledge.programs.program_build_fits``), and the CUDA the log shows present (``buildrules.cuda_found``: said installed,
nvcc's release, files on disk, what another framework brings). LOG240 judges the same join where a library failed to load;
this rule speaks where no load failure is shown but ONNX Runtime's own answers or the writer's words say the GPU went unused
(a session on the CPU alone, the package's "no GPU" answer, "Failed to create CUDAExecutionProvider" without the library
line, "CUDA_PATH is set but CUDA wasn't able to be loaded", the writer's "cannot load cuda").
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_ORT = "onnxruntime-gpu"


def _ort_unused(subject: LogSubject) -> tuple[bool, bool]:
    """(whether the log says ONNX Runtime left the GPU unused, whether ONNX Runtime's own line says so)."""
    facts = subject.facts
    own = any(f.id.startswith("LOG-ORT-") for f in subject.matched) or bool(facts.ort_session_cpu) or any(
        s.value is False for s in facts.gpu_answer.get("onnxruntime", []))
    return own or bool(facts.stated_unused or facts.stated_trouble), own


@rule(
    "LOG840", "log-ort-release-vs-cuda-shown", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Joins the onnxruntime-gpu release the log shows installed with the CUDA its build was made for (ONNX Runtime's requirements tables, knowledge/programs.toml) and the CUDA the log shows present (said installed, nvcc, files, another framework's), where ONNX Runtime's answers (a session on the CPU alone, its 'no GPU' answer, 'Failed to create CUDAExecutionProvider', 'CUDA_PATH is set but CUDA wasn't able to be loaded') or the writer's words say the GPU went unused and no library load failure is shown.",
        why="onnxruntime-gpu's CUDA provider loads the CUDA major its build was made for (1.7-1.18: CUDA 11; 1.19-1.26 on PyPI: CUDA 12; 1.27 on: CUDA 13, the CUDA 12 build from its own feed; 1.24 on, CUDA 13 builds from ONNX Runtime's CUDA 13 feed; 1.5-1.6: CUDA 10.2); with only another major present the provider cannot be created and the session goes on with the CPU, which ONNX Runtime reports as the provider failing or not at all.",
        example="which version of cuda will be fine with onnxruntime-gpu 1.12\nmy cuda version is 10.2, but onnxruntime cant load cuda",
        fix="Install the onnxruntime-gpu release built for the CUDA installed (the requirements table), or the CUDA (and cuDNN) major the release was built for where its loader finds them.",
        limits="Quiet where a library load failure is shown (LOG240 judges that), where the GPU was seen in use, where the log shows a CUDA that fits beside another, where the table has no row for the release, and where nothing says ONNX Runtime left the GPU unused. A CUDA read from nvidia-smi's header is the driver's, not an installed toolkit, and is not compared.",
        references=("https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements",
                    "https://github.com/microsoft/onnxruntime/issues/27130", "https://github.com/microsoft/onnxruntime/issues/29032"),
        causes=("CUDA_LIBS_MISMATCH",),
    ),
)
def ort_release_against_cuda(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    builds = [s for s in facts.program_builds if s.value.program == _ORT]
    if subject.gpu_in_use or not builds or facts.load_failed or facts.library_failed:
        return
    unused, own = _ort_unused(subject)
    if not unused:
        return
    from whygpu.explain.buildrules import cuda_found
    from whygpu.knowledge.programs import program_build_fits, program_build_needs

    found = cuda_found(facts)
    if not found:
        return
    for seen in builds[:1]:
        build = program_build_needs(seen.value.program, seen.value.version, seen.value.variant)
        if build is None or not build.cuda:
            continue
        fit = program_build_fits(build, cuda_found=[v for v, _, _ in found])
        if fit.fits is not False or fit.library != "cuda":
            continue
        shown = next((f for f in found if f[0] in fit.found), found[0])
        release = f"{_ORT} {seen.value.version}" if seen.value.version else _ORT
        yield Hit(
            title=f"{release}'s CUDA provider was built for CUDA {fit.wanted}, but the log shows CUDA {shown[0]} ({shown[2]}): "
                  "the provider cannot load it, so ONNX Runtime runs on the CPU",
            evidence=_ev(seen, shown[1]),
            fix=f"Install the {_ORT} release built for CUDA {shown[0].split('.')[0]} (ONNX Runtime's requirements table), or install "
                f"CUDA {fit.wanted} (and the cuDNN the release names) where the loader finds it; source: {build.source}.",
            confidence=Confidence.HIGH if own else Confidence.MEDIUM,
            cause="CUDA_LIBS_MISMATCH",
            blocks_gpu=True,
            extra={"read_from": "the onnxruntime-gpu release against the CUDA shown present, judged by knowledge.programs.program_build_fits"},
        )
        return


ORT_RULES: list[Rule[LogSubject]] = [ort_release_against_cuda]
