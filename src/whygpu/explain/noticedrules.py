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
             "TensorFlow release whose tested build needs another CUDA (TensorFlow 1.13 needs CUDA 10.0), or a CUDA jaxlib "
             "whose tag names another CUDA major (0.3.25+cuda11.cudnn82), with nothing showing the GPU in use.",
        why="Each cuDNN archive is built for one CUDA release and links that release's libraries; up to CUDA 10.2 their "
            "sonames carry the minor, so a cuDNN for CUDA 9.0 and the CUDA 9.0 chosen with it are not what a TensorFlow "
            "built for CUDA 10.0 loads (knowledge/cudnn_archive.py).",
        example="- TensorFlow version: tensorflow-gpu-1.13.1\n- CUDA/cuDNN version: CUDA 9 - cudnn-9.0-windows10-x64-v7.5.0.56\n"
                "(https://github.com/tensorflow/tensorflow/issues/26234)",
        fix="Install the CUDA release TensorFlow's build needs and the cuDNN archive built for it, or a TensorFlow release "
            "built for the CUDA installed.",
        limits="TensorFlow's tested builds and a CUDA jaxlib up to 0.4.29 (its tag names the CUDA it loads from the system); "
               "PyTorch's binaries carry their own cuDNN, so an archive beside them is never judged; a CUDA installed "
               "beside the archive that matches the build reads as cuDNN's alone (CUDNN_MISMATCH).",
        references=("https://developer.nvidia.com/rdp/cudnn-archive", "https://www.tensorflow.org/install/source#gpu"),
    ),
)
def cudnn_archive_for_another_cuda(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.cuda_versions import version_tuple
    from whygpu.knowledge.cudnn_archive import archive_serves_cuda, build_loads_system_cudnn
    from whygpu.knowledge.tensorflow import tensorflow_build

    facts = subject.facts
    if not facts.cudnn_built_for_cuda or subject.gpu_in_use or facts.nvidia_tensorflow():
        return
    platform = "windows" if facts.platform_name() == "windows" else "linux"
    # accadvice40 (session 40): each framework whose build loads the system's cuDNN, by the one knowledge function
    # (TensorFlow's tested builds, a CUDA jaxlib's local version; never PyTorch's binaries, which carry their own).
    for framework, name in (("tensorflow", "TensorFlow"), ("jax", "jaxlib")):
        seen = next(iter(facts.versions.get(framework, [])), None)
        if seen is None:
            continue
        wanted = build_loads_system_cudnn(framework, seen.value, platform)
        if wanted is None:
            continue
        archive = facts.cudnn_built_for_cuda[0]
        if archive_serves_cuda(archive.value, wanted) is not False:
            return
        cudnn = None
        if framework == "tensorflow":
            build = tensorflow_build(seen.value, platform)
            cudnn = build.cudnn if build is not None and build.cudnn else None
        cuda_shown = facts.cuda_installed[0].value if facts.cuda_installed else None
        cuda_fits = cuda_shown is not None and archive_serves_cuda(cuda_shown, wanted) is True and (
            "." not in wanted or version_tuple(cuda_shown)[:2] == version_tuple(wanted)[:2])
        cause = "CUDNN_MISMATCH" if cuda_fits else "CUDA_LIBS_MISMATCH"
        yield Hit(
            title=f"{name} {seen.value} is built for CUDA {wanted}, but the cuDNN installed is the archive built for "
                  f"CUDA {archive.value}" + ("" if cuda_fits else ", and the CUDA chosen with it is that release"),
            evidence=_ev(seen, archive),
            fix=f"Install CUDA {wanted} and the cuDNN archive built for CUDA {wanted}"
                + (f" (cuDNN {cudnn})" if cudnn else "")
                + f", or a {name} release built for CUDA {archive.value}.",
            confidence=Confidence.MEDIUM,
            scope=framework,
            cause=cause,
            blocks_gpu=True,
            extra={"read_from": "the CUDA a cuDNN archive's name says it was built for, against the CUDA of a build that loads "
                                "the system's cuDNN (knowledge/cudnn_archive.py: TensorFlow's tested builds, a CUDA jaxlib's tag)"},
        )
        return


NOTICED_RULES: list[Rule[LogSubject]] = [cudnn_archive_for_another_cuda]
