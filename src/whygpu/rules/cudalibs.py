"""Rules about the CUDA and cuDNN libraries each framework build loads: missing, wrong version, off the path, shadowed."""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.model import Confidence, Severity
from whygpu.rules import view
from whygpu.rules.fixes import framework_gpu_install
from whygpu.rules.interface import Hit, Outcome, RuleDoc, rule
from whygpu.snapshot import FrameworkBuild, LibraryResolution, PythonEnv, Snapshot


def _is_cudnn(res: LibraryResolution) -> bool:
    return res.library.startswith("cudnn")


def _problems(snapshot: Snapshot, *, cudnn: bool) -> Iterator[tuple[PythonEnv, FrameworkBuild, list[LibraryResolution]]]:
    """Per GPU framework, its required libraries (CUDA or cuDNN) that the loader would not find."""
    for env, fw in view.gpu_frameworks(snapshot):
        if fw.gpu_build is not True:
            continue
        failing = [r for r in fw.libraries if r.required and r.resolved is None and _is_cudnn(r) == cudnn]
        if failing:
            yield env, fw, failing


def _where(fw: FrameworkBuild) -> str:
    return f"{fw.distribution} {fw.version}" + (f" (built for CUDA {fw.cuda_version}" + (f", cuDNN {fw.cudnn_version})" if fw.cudnn_version else ")") if fw.cuda_version else "")


def _missing_line(res: LibraryResolution) -> str:
    return f"{' or '.join(res.wanted)}: not found by the loader"


@rule(
    "CUDA001", "cuda-libraries-missing", "CUDA_LIBS_MISSING", Severity.ERROR,
    RuleDoc(
        what="For each GPU framework build, resolves the CUDA runtime and math libraries it loads (libcudart, libcublas, libcufft, ...) the way the dynamic loader would, and reports those installed nowhere.",
        why="TensorFlow logs 'Could not load dynamic library libcudart.so.12' (or, since 2.14, 'Could not find cuda drivers') and continues on the CPU.",
        example="tensorflow 2.21 installed with plain `pip install tensorflow`, on a machine with no CUDA 12.",
        fix='pip install "tensorflow[and-cuda]==2.21.*" (the CUDA libraries as pip wheels); torch and jax CUDA wheels bring theirs.',
        references=("https://www.tensorflow.org/install/pip#linux", "https://www.tensorflow.org/install/source#gpu"),
    ),
)
def cuda_libraries_missing(snapshot: Snapshot) -> Iterator[Outcome]:
    for env, fw, failing in _problems(snapshot, cudnn=False):
        if any(r.other_versions for r in failing):
            continue  # another CUDA major is installed: CUDA002 tells the whole story
        absent = [r for r in failing if not r.unreachable]
        if absent:
            yield Hit(
                title=f"The CUDA {fw.cuda_version or ''} libraries that {fw.distribution} {fw.version} loads are not installed".replace("  ", " "),
                evidence=(_where(fw), *(_missing_line(r) for r in absent)),
                fix=framework_gpu_install(env, fw, snapshot),
                scope=fw.name,
            )


@rule(
    "CUDA002", "cuda-libraries-wrong-version", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds CUDA libraries installed only in another major version than the framework build loads (e.g. libcudart.so.13 for a CUDA 12 build).",
        why="The loader looks for the exact soname (libcudart.so.12); a CUDA 13 toolkit does not serve a CUDA 12 build, and installing it is a common wrong fix.",
        example="TensorFlow 2.21 (CUDA 12.5) with only /usr/local/cuda-13.0 installed.",
        fix='Install the CUDA major the build needs, most simply as pip wheels: pip install "tensorflow[and-cuda]==2.21.*".',
        references=("https://www.tensorflow.org/install/source#gpu",),
    ),
)
def cuda_libraries_wrong_version(snapshot: Snapshot) -> Iterator[Outcome]:
    for env, fw, failing in _problems(snapshot, cudnn=False):
        if not any(r.other_versions for r in failing):
            continue
        # Every library the other CUDA cannot serve, also those it does not ship at all.
        wrong = [r for r in failing if not r.unreachable]
        if wrong:
            others = sorted({p for r in wrong for p in r.other_versions})
            yield Hit(
                title=f"{fw.distribution} {fw.version} needs CUDA {fw.cuda_version} libraries, but only other CUDA versions are installed",
                evidence=(_where(fw), *(f"found instead: {p}" for p in others[:6]), *(_missing_line(r) for r in wrong)),
                fix=framework_gpu_install(env, fw, snapshot)
                + f"\n(The other CUDA installation does not serve a CUDA {fw.cuda_version} build; it can stay.)",
                scope=fw.name,
            )


@rule(
    "CUDA003", "cuda-libraries-not-on-loader-path", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Finds required CUDA or cuDNN libraries that are installed with the right version but that the loader would not find (not on LD_LIBRARY_PATH, not in ld.so.cache, not beside the framework).",
        why="The files exist, yet the framework reports them missing: typically a CUDA under /usr/local/cuda-X/lib64 that was never added to the loader path, or an export placed in ~/.bashrc that a job or container process never reads.",
        example="libcudnn.so.9 in /opt/cudnn/lib with LD_LIBRARY_PATH unset.",
        fix="Add the directory to the loader path where the process sees it: `ENV LD_LIBRARY_PATH=<dir>:$LD_LIBRARY_PATH` in a Dockerfile, the job's environment_variables on Azure ML, or an /etc/ld.so.conf.d entry plus ldconfig.",
        references=("https://man7.org/linux/man-pages/man8/ld.so.8.html",),
    ),
)
def cuda_libraries_not_on_path(snapshot: Snapshot) -> Iterator[Outcome]:
    for cudnn in (False, True):
        for _env, fw, failing in _problems(snapshot, cudnn=cudnn):
            hidden = [r for r in failing if r.unreachable]
            if not hidden:
                continue
            dirs = sorted({p.rsplit("/", 1)[0] for r in hidden for p in r.unreachable})
            yield Hit(
                title=f"Libraries that {fw.distribution} {fw.version} needs are installed but not on the loader's path",
                evidence=(_where(fw), *(f"{r.wanted[0]}: not on the loader path, but present at {', '.join(r.unreachable[:3])}" for r in hidden)),
                fix=f"export LD_LIBRARY_PATH={':'.join(dirs)}:$LD_LIBRARY_PATH  (in a Dockerfile: ENV LD_LIBRARY_PATH={':'.join(dirs)}:$LD_LIBRARY_PATH; "
                "not in ~/.bashrc, which jobs never read)",
                scope=fw.name,
            )


@rule(
    "CUDA004", "cuda-library-shadowed", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds a CUDA or cuDNN library that LD_LIBRARY_PATH (or a preload) puts before the copy the framework's own pip wheels provide.",
        why="The earlier copy wins: an older or different CUDA is mixed with the wheels the framework was tested with, giving 'undefined symbol' errors, cuDNN version errors or a silent CPU fallback.",
        example='tensorflow[and-cuda] installed, but LD_LIBRARY_PATH=/usr/local/cuda-12.0/lib64 comes first.',
        fix="Remove the CUDA directories from LD_LIBRARY_PATH (the wheels are found without it), or point it at the wheels.",
        references=("https://www.tensorflow.org/install/pip#linux",),
    ),
)
def cuda_library_shadowed(snapshot: Snapshot) -> Iterator[Outcome]:
    for _env, fw in view.gpu_frameworks(snapshot):
        shadowed = [r for r in fw.libraries if r.resolved and r.shadows]
        if not shadowed:
            continue
        yield Hit(
            title=f"Another CUDA copy shadows the libraries {fw.distribution} {fw.version} was installed with",
            evidence=(_where(fw), *(f"{r.wanted[0]}: loads {r.resolved} (via {r.via}) before {', '.join(r.shadows[:2])}" for r in shadowed)),
            fix="Remove the other CUDA's directories from LD_LIBRARY_PATH (unset LD_LIBRARY_PATH if it only held CUDA), "
            "so the framework loads the wheels it was installed with.",
            confidence=Confidence.MEDIUM,
            scope=fw.name,
        )


@rule(
    "DNN001", "cudnn-missing", "CUDNN_MISSING", Severity.ERROR,
    RuleDoc(
        what="Resolves the cuDNN library each GPU framework build loads (libcudnn.so.8, libcudnn.so.9 ...) and reports it when no version is installed.",
        why="Without cuDNN, TensorFlow drops the GPU ('Cannot dlopen some GPU libraries') and convolutions fail in PyTorch and JAX ('DNN library is not found').",
        example="A nvidia/cuda:12.2.0-runtime image (no cuDNN) with TensorFlow installed without [and-cuda].",
        fix='pip install "tensorflow[and-cuda]==2.21.*" (brings nvidia-cudnn-cu12), or use a -cudnn CUDA base image.',
        references=("https://www.tensorflow.org/install/source#gpu",),
    ),
)
def cudnn_missing(snapshot: Snapshot) -> Iterator[Outcome]:
    for env, fw, failing in _problems(snapshot, cudnn=True):
        absent = [r for r in failing if not r.other_versions and not r.unreachable]
        if absent:
            yield Hit(
                title=(f"cuDNN {fw.cudnn_version}" if fw.cudnn_version else "cuDNN") + f", which {fw.distribution} {fw.version} loads, is not installed",
                evidence=(_where(fw), *(_missing_line(r) for r in absent)),
                fix=framework_gpu_install(env, fw, snapshot),
                scope=fw.name,
            )


@rule(
    "DNN002", "cudnn-wrong-version", "CUDNN_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds cuDNN installed only in another major version than the build loads (cuDNN 8 where 9 is needed).",
        why="The soname differs (libcudnn.so.8 vs .9), so the loader does not take it and the framework drops the GPU or fails at the first convolution.",
        example="nvidia-cudnn-cu11 8.6 installed for TensorFlow 2.21, which was built with cuDNN 9.3.",
        fix='Install the cuDNN major the build needs: pip install "tensorflow[and-cuda]==2.21.*" (nvidia-cudnn-cu12 9.x).',
        references=("https://www.tensorflow.org/install/source#gpu",),
    ),
)
def cudnn_wrong_version(snapshot: Snapshot) -> Iterator[Outcome]:
    for env, fw, failing in _problems(snapshot, cudnn=True):
        wrong = [r for r in failing if r.other_versions and not r.unreachable]
        if wrong:
            others = sorted({p for r in wrong for p in r.other_versions})
            yield Hit(
                title=f"{fw.distribution} {fw.version} needs cuDNN {fw.cudnn_version}, but only another cuDNN version is installed",
                evidence=(_where(fw), *(f"found instead: {p}" for p in others[:4]), *(_missing_line(r) for r in wrong)),
                fix=framework_gpu_install(env, fw, snapshot),
                scope=fw.name,
            )


def _brought_cudnn(env: PythonEnv) -> list[tuple[str, str]]:
    """(cuDNN major, what brings it) for each GPU framework build in an environment whose install brings its own cuDNN
    (PyTorch's CUDA builds: knowledge.programs.release_needs, the accessor explain's LOG240 asks too)."""
    from whygpu.knowledge.programs import release_needs

    out: list[tuple[str, str]] = []
    for fw in env.frameworks:
        if fw.gpu_build is not True:
            continue
        needs = release_needs(fw.distribution if fw.name == "torch" else fw.name, fw.version, cuda=fw.cuda_version)
        if needs is not None and needs.brings_cudnn and needs.cudnn:
            out.append((fw.cudnn_version.split(".")[0] if fw.cudnn_version else needs.cudnn, f"{fw.distribution} {fw.version}"))
    return out


def _cudnn_majors_present(env: PythonEnv, snapshot: Snapshot) -> set[str]:
    """The cuDNN majors installed for an environment: its pip nvidia-cudnn wheels and conda cudnn, and the system's cuDNN files."""
    from whygpu.knowledge.cuda import cudnn_major_of_library

    majors = {p.version.split(".")[0] for p in env.packages if p.name.startswith("nvidia-cudnn") or p.name == "cudnn"}
    majors |= {m for lib in snapshot.cuda.libraries if (m := cudnn_major_of_library(lib.soname))}
    return majors


@rule(
    "DNN003", "programs-want-other-cudnn", "CUDNN_MISMATCH", Severity.WARNING,
    RuleDoc(
        what="accbundle (session 27): in one Python environment, finds a program whose GPU build wants one cuDNN major (CTranslate2 under faster-whisper/whisperX, onnxruntime-gpu, PaddlePaddle, TensorRT 8: knowledge.programs.release_needs) beside a framework build that brings another (PyTorch's CUDA builds: cuDNN 9 from 2.4, 8 before), with no cuDNN of the wanted major installed.",
        why="The program's libraries ask the loader for their own major's sonames (libcudnn_ops_infer.so.8, libcudnn.so.9); the cuDNN PyTorch brought is of the other major and does not serve them, so the program fails to load cuDNN or falls back to the CPU while PyTorch itself works.",
        example="torch 2.5.1 (cuDNN 9 through nvidia-cudnn-cu12 9.1) with ctranslate2 4.4.0 (built for cuDNN 8): faster-whisper stops with 'Could not load library libcudnn_ops_infer.so.8'.",
        fix="Install the program's release built for the cuDNN the framework brings (ctranslate2 >= 4.5, onnxruntime-gpu >= 1.19 for cuDNN 9), or a framework release that brings the program's cuDNN (torch < 2.4 for cuDNN 8), or the wanted cuDNN major beside it where the program's loader finds it.",
        limits="Only programs the collector lists (their distributions in site-packages) and releases the tables have rows for; a cuDNN of the wanted major anywhere on the machine (a pip or conda package, a system file) keeps it quiet, whether or not the loader reaches it (CUDA001-style reachability is not judged here).",
        references=("https://github.com/SYSTRAN/faster-whisper#gpu", "https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements"),
    ),
)
def programs_want_other_cudnn(snapshot: Snapshot) -> Iterator[Outcome]:
    from whygpu.facts import Unavailable

    if isinstance(snapshot.pythons, Unavailable):
        return
    for env in snapshot.pythons:
        # (The knowledge tables are loaded only for an environment with a GPU framework build and another package beside it.)
        if not any(fw.gpu_build is True for fw in env.frameworks) or len(env.packages) <= len(env.frameworks):
            continue
        brought = _brought_cudnn(env)
        if not brought:
            continue
        from whygpu.knowledge.programs import release_needs, releases_for_cudnn

        framework_names = {fw.distribution for fw in env.frameworks}
        present: set[str] | None = None
        for package in env.packages:
            if package.name in framework_names:
                continue
            needs = release_needs(package.name, package.version)
            if needs is None or not needs.cudnn:
                continue
            other = next(((major, label) for major, label in brought if major != needs.cudnn), None)
            if other is None:
                continue
            present = _cudnn_majors_present(env, snapshot) if present is None else present
            if needs.cudnn in present:
                continue
            agree = releases_for_cudnn(package.name, other[0])
            torch_agree = releases_for_cudnn("torch", needs.cudnn)
            yield Hit(
                title=f"{package.name} {package.version} is built for cuDNN {needs.cudnn}, but {other[1]} in the same environment brings cuDNN {other[0]} and no cuDNN {needs.cudnn} is installed",
                evidence=(f"{package.name} {package.version} in {package.location} (built for cuDNN {needs.cudnn}: {needs.source})",
                          f"{other[1]} brings cuDNN {other[0]}"),
                fix=(f"Install {package.name} {agree[0]} (built for cuDNN {other[0]})" if agree else f"Install a {package.name} release built for cuDNN {other[0]}")
                + (f", or torch {torch_agree[0]} (which brings cuDNN {needs.cudnn})" if torch_agree else "")
                + f", or cuDNN {needs.cudnn}.x where {package.name}'s loader finds it.",
                confidence=Confidence.HIGH,
                # The program's own GPU use is what fails, not the framework's: a warning scoped to the program, which leaves
                # the framework's verdict (PyTorch itself runs on its cuDNN) as it is.
                scope=package.name,
            )


RULES = [
    cuda_libraries_missing,
    cuda_libraries_wrong_version,
    cuda_libraries_not_on_path,
    cuda_library_shadowed,
    cudnn_missing,
    cudnn_wrong_version,
    programs_want_other_cudnn,
]
