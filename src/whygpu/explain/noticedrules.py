"""Mends the session-39 branches noticed (accnoticed39): LOG835, a cuDNN archive built for another CUDA than the framework's
build needs (knowledge/cudnn_archive.py judges the pair, knowledge.tensorflow's tested builds give the build's CUDA)."""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    "LOG835", "log-cudnn-archive-for-another-cuda", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds a cuDNN archive named by the CUDA it was built for ('cudnn-9.0-windows10-x64-v7.5.0.56') beside a "
             "TensorFlow release whose tested build needs another CUDA (TensorFlow 1.13 needs CUDA 10.0), with nothing "
             "showing the GPU in use.",
        why="Each cuDNN archive is built for one CUDA release and links that release's libraries; up to CUDA 10.2 their "
            "sonames carry the minor, so a cuDNN for CUDA 9.0 and the CUDA 9.0 chosen with it are not what a TensorFlow "
            "built for CUDA 10.0 loads (knowledge/cudnn_archive.py).",
        example="- TensorFlow version: tensorflow-gpu-1.13.1\n- CUDA/cuDNN version: CUDA 9 - cudnn-9.0-windows10-x64-v7.5.0.56\n"
                "(https://github.com/tensorflow/tensorflow/issues/26234)",
        fix="Install the CUDA release TensorFlow's build needs and the cuDNN archive built for it, or a TensorFlow release "
            "built for the CUDA installed.",
        limits="TensorFlow's tested builds only (other frameworks' wheels carry their own CUDA libraries); a CUDA installed "
               "beside the archive that matches the build reads as cuDNN's alone (CUDNN_MISMATCH).",
        references=("https://developer.nvidia.com/rdp/cudnn-archive", "https://www.tensorflow.org/install/source#gpu"),
    ),
)
def cudnn_archive_for_another_cuda(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.cuda_versions import version_tuple
    from whygpu.knowledge.cudnn_archive import archive_serves_cuda
    from whygpu.knowledge.tensorflow import tensorflow_build

    facts = subject.facts
    if not facts.cudnn_built_for_cuda or subject.gpu_in_use or facts.nvidia_tensorflow():
        return
    seen = next(iter(facts.versions.get("tensorflow", [])), None)
    if seen is None:
        return
    build = tensorflow_build(seen.value, "windows" if facts.platform_name() == "windows" else "linux")
    if build is None or not build.gpu or not build.cuda:
        return
    archive = facts.cudnn_built_for_cuda[0]
    if archive_serves_cuda(archive.value, build.cuda) is not False:
        return
    cuda_shown = facts.cuda_installed[0].value if facts.cuda_installed else None
    cuda_fits = cuda_shown is not None and version_tuple(cuda_shown)[:2] == version_tuple(build.cuda)[:2]
    cause = "CUDNN_MISMATCH" if cuda_fits else "CUDA_LIBS_MISMATCH"
    yield Hit(
        title=f"TensorFlow {seen.value} is built for CUDA {build.cuda}, but the cuDNN installed is the archive built for "
              f"CUDA {archive.value}" + ("" if cuda_fits else ", and the CUDA chosen with it is that release"),
        evidence=_ev(seen, archive),
        fix=f"Install CUDA {build.cuda} and the cuDNN archive built for CUDA {build.cuda}"
            + (f" (cuDNN {build.cudnn})" if build.cudnn else "")
            + f", or a TensorFlow release built for CUDA {archive.value}.",
        confidence=Confidence.MEDIUM,
        scope="tensorflow",
        cause=cause,
        blocks_gpu=True,
        extra={"read_from": "the CUDA a cuDNN archive's name says it was built for, against TensorFlow's tested build "
                            "(knowledge/cudnn_archive.py, knowledge/tensorflow.toml)"},
    )


NOTICED_RULES: list[Rule[LogSubject]] = [cudnn_archive_for_another_cuda]
