"""What a log shows of the GPU builds of programs beside the frameworks, and of the CUDA and cuDNN they find (accbuilds, session 21).

Three readings, each of what a line MEANS rather than of one message's wording:

- A program's GPU build, its release and, where the line names one, its variant (``program_builds``): a package
  manager's row or pin (``onnxruntime-gpu==1.19.2``, ``onnxruntime-gpu   1.17.1``, ``ctranslate2 4.4.0``), an
  installed wheel or distribution (``onnxruntime_gpu-1.17.1-cp310-...whl``, ``Successfully installed ctranslate2-4.5.0``),
  an install command, ONNX Runtime's release archives (``onnxruntime-win-x64-cuda12-1.17.1``,
  ``onnxruntime-linux-x64-gpu-1.16.3``, https://github.com/microsoft/onnxruntime/releases) and its CUDA 12/11 package
  feeds (``.../onnxruntime-cuda-12/pypi/simple``, https://onnxruntime.ai/docs/install/), and CuPy's per-CUDA
  distributions (``cupy-cuda12x``). Which CUDA and cuDNN that build needs is ``knowledge.programs``' table.
- A cuDNN or CUDA the writer says is there in a form the other readers leave (``found_stated``): a bare major run into
  the name ("cuda12.4 cudnn9"), a pin-like statement ("CUDA==12.1 and cuDNN==8.9"). Whether a version is said
  installed (not needed, built for, asked about or missing) is ``explain.statements.version_said_installed``.
- A line that says a program's GPU part or a CUDA/cuDNN library failed to load (``failed_to_load``): a library's
  soname or DLL, ONNX Runtime's CUDA provider library or ``CUDAExecutionProvider``, with a word of failure.

Never read: a question, a condition ("if you use onnxruntime-gpu 1.17 ..."), advice ("try ctranslate2==4.4.0", "you
should install ..."), a requirement of another package ("requires onnxruntime-gpu>=1.16"), a removal or the old side
of an update (``logfacts.installed_view``).
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.knowledge.version_labels import alternation


@dataclass(frozen=True)
class ProgramRelease:
    """A program's GPU build a line shows: its distribution, release (None where only the name says the build) and variant (None: PyPI's)."""

    program: str
    version: str | None
    variant: str | None

    def __str__(self) -> str:
        return " ".join(p for p in (self.program, self.version, f"({self.variant})" if self.variant else None) if p)


# The programs whose GPU builds knowledge/programs.toml knows, as their distributions are written.
# accversions (session 24): PaddlePaddle named without "-gpu" ("paddlepaddle 2.1.0", "paddle==2.1.0", "Paddle version: 2.1.0")
# is read as "paddlepaddle"; whether it is the GPU build is the log's (Paddle's own GPU-build messages: logfacts settles it).
# accbundle (session 27): TensorRT, its plain distribution (8.x wants cuDNN 8) and 10.x's per-CUDA ones (tensorrt-cu12); not
# tensorrt-cu12-libs or -bindings (their parts), which the version must follow directly.
_PROGRAM = r"(onnxruntime[-_]gpu|ctranslate2|paddlepaddle[-_]gpu|paddle(?:paddle)?(?![-_]gpu)|cupy[-_]cuda(?:\d{2,3}|\d{2}x)|tensorrt(?:[-_]cu1[1-3])?)"
# The release, and PaddlePaddle's post tag that names its build's CUDA (2.5.2.post117).
_VER = r"v?(\d+\.\d+(?:\.\d+)?)(?:\.(post\d+)|rc\d+)?"
# name==1.2.3, name 1.2.3 (a list row), name-1.2.3 (a wheel, an installed distribution), name: 1.2.3, "name version 1.2.3",
# poetry's and uv's "Installing name (1.2.3)" / "Updating name (1.0.0 -> 1.2.3)" (installed_view drops the old side).
# (A name run into words of another script, "安装paddlepaddle 2.1.0", is a name too.)
_PROGRAM_VERSION = re.compile(
    rf"(?<![A-Za-z0-9_./-]){_PROGRAM}(?:\s+(?:version|v)\b)?(?:\s*(?:===|==|=|:|：)\s*|\s+\(\s*|\s+|-(?=v?\d)){_VER}(?![\w.]*\d)", re.I)
# CuPy's distributions name their CUDA: the name alone is the build ("pip install cupy-cuda12x").
_CUPY = re.compile(r"(?<![\w./-])(cupy[-_]cuda(?:\d{2,3}|\d{2}x))(?![\w-])", re.I)
# ONNX Runtime's GPU release archives: onnxruntime-{win,linux}-{x64,aarch64}-gpu[-cuda12]-1.17.1 / -cuda12-1.17.1, and
# (accort40) the later archives named gpu_cuda12 / gpu_cuda13 (onnxruntime-linux-x64-gpu_cuda12-1.24.1.tgz).
_ORT_ARCHIVE = re.compile(
    r"(?<![\w-])onnxruntime-(?:win|linux)-(?:x64|x86|aarch64|arm64)-(?:gpu[-_])?(?:(cuda1[1-3])-)?(?:gpu-)?v?(\d+\.\d+\.\d+)(?![\w.]*\d)", re.I)
_ORT_GPU_ARCHIVE = re.compile(r"onnxruntime-(?:win|linux)-[\w]+-(?:gpu|cuda1[1-3])[-_]", re.I)
# ONNX Runtime's own CUDA package feeds (https://onnxruntime.ai/docs/install/#install-onnx-runtime-gpu-cuda-12x), and
# (accort40) their nightly and CUDA 13 ones (ort-cuda-12-nightly, ort-cuda-13-nightly, onnxruntime-cuda-13:
# microsoft/onnxruntime#27130, #27944).
_ORT_FEED = re.compile(r"(?:onnxruntime|ort)-cuda-(1[1-3])\b", re.I)
# accserve41: ONNX Runtime's GPU NuGet packages, Microsoft.ML.OnnxRuntime.Gpu (and from 1.17 its native halves
# .Gpu.Windows / .Gpu.Linux), are the same release's GPU build as onnxruntime-gpu on PyPI and follow the same requirements
# table ("Default GPU packages use CUDA 12.x and Cudnn 9.x" from 1.19: the release notes, microsoft/onnxruntime#21965; the
# CUDA 12 C# artifacts of 1.17 came from the onnxruntime-cuda-12 feed, microsoft/onnxruntime#20409): read as onnxruntime-gpu
# of that release. Written with its version as a list row ("Microsoft.ML.OnnxRuntime.Gpu 1.18.0", "... (1.16.0)",
# "... (nuget package VERSION 1.16.0)"), a csproj PackageReference (Include="..." Version="1.26.0") or dotnet's
# "--version 1.17.0".
_ORT_NUGET = re.compile(
    r"(?<![\w.])Microsoft\.ML\.OnnxRuntime\.Gpu(?:\.Windows|\.Linux)?(?![\w.])[\"']?"
    r"(?:\s+Version\s*=\s*[\"']|\s+--version\s+|\s*\(\s*(?:nuget\s+package\s+)?(?:version\s*)?|\s*[:,]?\s*(?:version\s*[:=]?\s*)?)"
    r"v?(\d+\.\d+\.\d+)(?![\w.]*\d)", re.I)
# llama-cpp-python installed from a CUDA wheel index (abetlen's whl/cuNNN, jllllll's cuBLAS-wheels/<cpu flags>/cuNNN).
_LLAMA_INDEX = re.compile(r"(?:abetlen\.github\.io/llama-cpp-python/whl|jllllll\.github\.io/llama-cpp-python-cuBLAS-wheels/\w+)/cu(\d{3})\b", re.I)
_LLAMA_NAME = re.compile(r"(?<![\w./-])llama[-_]cpp[-_]python(?:\s*==\s*v?(\d+\.\d+\.\d+))?(?![\w-])", re.I)
# A line that is not the writer's own state: a question, a condition, advice.
_NOT_OWN = re.compile(
    r"^\s*(?:[-*>#]\s*)?(?:please|try|you (?:should|need|must|can|may|have to|could)|make sure|ensure|consider|recommend|downgrade|upgrade to)\b"
    r"|\b(?:if|unless|whether|when you|in case)\b[^.;:]*$", re.I)
# (accort40: and an attempt, "I tried pip install onnxruntime-gpu==1.27.0 but it failed": a pin asked for, not shown installed.)
_CONDITION_BEFORE = re.compile(r"\b(?:if|unless|whether|when you|in case|should|could you|tr(?:y|ying|ied)(?: to)?|attempt(?:s|ed|ing)?(?: to)?|recommend(?:ed)?|suggest(?:ed)?|instead|downgrad\w*|upgrad\w* to|pin(?:ning)?)\b", re.I)


def _own(line: str, start: int) -> bool:
    """Whether the words before ``start`` leave the version the writer's own state (not a question, condition or advice)."""
    if line.rstrip().rstrip("`'\"").endswith(("?", "？", "吗", "嗎")):
        return False
    head = line[:start]
    sentence = re.split(r"[.;!?。；]\s", head)[-1]
    return not _NOT_OWN.search(sentence) and not _CONDITION_BEFORE.search(sentence)


def program_builds(line: str) -> list[ProgramRelease]:
    """(distribution, release, variant) of each program build the line shows as the writer's.

    The variant is "cuda12"/"cuda11" where the line names the build's CUDA (a package feed, an archive's name), "archive" for
    one of ONNX Runtime's release archives that names none (knowledge/programs.toml has their own rows), else None (PyPI's).
    """
    from whygpu.explain.logfacts import installed_view

    view = installed_view(line)
    if view is None:
        return []
    feed = _ORT_FEED.search(view)
    variant_of_line = f"cuda{feed.group(1)}" if feed else None
    out: list[tuple[str, str | None, str | None]] = []
    for m in _PROGRAM_VERSION.finditer(view):
        if not _own(view, m.start()):
            continue
        name = m.group(1).lower().replace("_", "-")
        name = "paddlepaddle" if name == "paddle" else name
        variant = variant_of_line if name == "onnxruntime-gpu" else (m.group(3) or "").lower() or None if name.startswith("paddlepaddle") else None
        out.append((name, m.group(2), variant))
    if "cupy" in view.lower():
        for m in _CUPY.finditer(view):
            name = m.group(1).lower().replace("_", "-")
            if _own(view, m.start()) and all(p != name for p, _, _ in out):
                out.append((name, None, None))
    if "llama" in view.lower() and (index := _LLAMA_INDEX.search(view)) is not None and _LLAMA_NAME.search(view):
        named = _LLAMA_NAME.search(view)
        if named is not None and _own(view, named.start()):
            # The index's tag names the CUDA its wheels were built for: cu117 -> a CUDA 11 build, cu124 -> CUDA 12.
            out.append(("llama-cpp-python", named.group(1), f"cu{index.group(1)[:2]}"))
    if "onnxruntime.gpu" in view.lower():
        for m in _ORT_NUGET.finditer(view):
            if _own(view, m.start()):
                out.append(("onnxruntime-gpu", m.group(1), None))
    if "onnxruntime-" in view.lower() and _ORT_GPU_ARCHIVE.search(view):
        for m in _ORT_ARCHIVE.finditer(view):
            if _own(view, m.start()):
                out.append(("onnxruntime-gpu", m.group(2), m.group(1).lower() if m.group(1) else "archive"))
    return [ProgramRelease(*found) for found in dict.fromkeys(out)]


# A cuDNN or CUDA version said with its name: "cudnn9", "cuDNN 9.1", "cuDNN==8.9", "CUDA==12.1", "cuda12.4".
# The name must stand as a word: not a soname ("libcudnn.so.9"), a DLL ("cudnn64_9.dll"), a package ("nvidia-cudnn-cu12",
# "onnxruntime-win-x64-cuda12-1.17.1", "libcudnn8") or a build tag ("+cu121").
# accversions (session 24): also in Chinese or Japanese key-value and prose forms ("CUDA版本：10.0", "cuda版本是11.4", "CUDA バージョン: 12.1"),
# the name run into the words before it.
# accgram41 (session 41): the label and copula words of Chinese and Japanese are knowledge/version_labels.toml's.
_CJK = ("zh", "ja")


_STATED = re.compile(
    # accserve41: and CUDA's own name for what is installed, "CUDA Toolkit 12.2", "CUDA Tool Kit (VERSION 12.2)", "CUDNN
    # (VERSION 8.9)" (a version in brackets after the name).
    r"(?<![A-Za-z0-9_.+/\\-])(?:(cu ?dnn)|(cuda))(?:\s+tool\s?kit\b)?(?:\s*\((?=\s*(?:version\b|v?\d)))?"
    r"(?:\s+(?:version|v)\b|\s*" + alternation("version", _CJK) + r"(?:\s*" + alternation("copula", _CJK) + r")?"
    r"|(?<=\()\s*version\b)?"
    # acclib2 (session 30): and the copula ("the cudnn is 9.3", "CUDA version is 11.8", "my cuda was 10.1").
    r"(?:\s+(?:is|was)\b)?[\s:：]*(?:==?)?\s*v?(\d{1,2}(?:\.\d{1,3}){0,3})(?![\w.]*\d|[\w-])", re.I)
_DRIVERS_CUDA = re.compile(r"driver(?:'s|’s|s')?\s*$", re.I)
_OWN_COPULA = re.compile(r"\b(?:the|my|our|mine|its)\s+(?=cu)", re.I)
# The sentences of a line: a version's own sentence says whether it is installed ("The cuda is 12.6 and the cudnn is 9.3. I
# find on the website it says ... supports cudnn 9.x": the need is the next sentence's).
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+(?=[A-Z\u4e00-\u9fff])|[。！？]")


def found_stated(line: str) -> list[tuple[str, str]]:
    """("cudnn" | "cuda", version) for each cuDNN or CUDA the line says is there; a CUDA needs its minor (a bare "cuda12" names builds as often)."""
    from whygpu.explain.labelwords import in_english
    from whygpu.explain.statements import version_said_installed

    # accwords40 (session 40): a label of another language read as its English form (explain.labelwords).
    line = in_english(line)
    out: list[tuple[str, str]] = []
    for m in _STATED.finditer(line):
        library = "cudnn" if m.group(1) else "cuda"
        version = m.group(3)
        if library == "cuda" and "." not in version:
            continue
        if library == "cudnn" and int(version.split(".")[0]) > 19:
            continue  # not a cuDNN major (cuDNN 9 is the newest)
        if not _own(line, m.start()) or _DRIVERS_CUDA.search(line, max(0, m.start() - 16), m.start()):
            continue  # (the driver's CUDA, "the NVIDIA driver's CUDA version is 12.4", is what it runs, not what is installed)
        if version_said_installed(line, m.start(), m.end()):
            out.append((library, version))
            continue
        # acclib2 (session 30): the writer's own release said with a determiner and the copula ("The cuda is 12.6 and the cudnn
        # is 9.3.", "my CUDA version is 12.1") is judged in its own sentence, where a need, support or question said in another
        # sentence of the line does not make it one.
        if not _OWN_COPULA.search(line, max(0, m.start() - 12), m.start() + 2) or not re.search(r"\b(?:is|was)\b", m.group(0), re.I):
            continue
        begin = max((e.end() for e in _SENTENCE_END.finditer(line, 0, m.start())), default=0)
        stop = _SENTENCE_END.search(line, m.end())
        sentence = line[begin:stop.start() if stop else len(line)]
        if not version_said_installed(sentence, m.start() - begin, m.end() - begin):
            continue
        out.append((library, version))
    return out


# A CUDA or cuDNN library, or a program's GPU part, named in a line that says it failed to load.
# (acclibs: the name's start is an ASCII boundary, so that a name written against CJK text, "找不到cudnn64_8.dll", is read.)
_GPU_PART = re.compile(
    r"(?<![A-Za-z0-9_])lib(?:cudnn\w*|cublas(?:Lt)?|cudart|cufft|curand|cusolver|cusparse|nvrtc)\.so(?:\.\d+)*"
    r"|(?<![A-Za-z0-9_])(?:cudnn[A-Za-z0-9_]*?|cublas(?:Lt)?|cudart|cufft|curand|cusolver|cusparse)64_\d+(?:\.dll)?"
    r"|\b(?:lib)?onnxruntime_providers_cuda(?:\.dll|\.so)?|\bCUDAExecutionProvider\b", re.I)
_FAILURE = re.compile(
    r"\bfail(?:ed|s|ure)?\b|\berror\b|\bcannot\b|\bcan't\b|\bcould not\b|\bunable\b|\bnot (?:be )?(?:found|loaded|available)\b|\bmissing\b|\blost\b|\bno such file\b"
    # acclibs (session 23): the same said in Chinese or Japanese ("找不到cudnn64_8.dll": cannot find; 缺少: lacks; 无法加载: cannot
    # load; 加载失败: failed to load; 見つかりません: not found; 読み込めません: cannot be read).
    r"|找不到|未找到|缺少|无法加载|无法找到|加载失败|載入失敗|見つかりません|読み込めません|ロードできません",
    re.I)


def failed_to_load(line: str) -> str | None:
    """The CUDA/cuDNN library or program GPU part a line says failed to load (its name as written), or None."""
    if len(line) > 2000:
        line = line[:2000]
    part = _GPU_PART.search(line)
    if part is None or _FAILURE.search(line) is None:
        return None
    if re.match(r"\s*(?:if|unless|whether)\b", line, re.I):
        return None
    # A question about the library ("why can't it find cudnn64_8.dll?") says nothing failed; a failure stated before a
    # question in another clause ("it cannot find cudnn64_8.dll, does it need cuDNN 8?") still does (acclibs).
    if line.rstrip().rstrip("`'\"").endswith(("?", "？")) and not _CLAUSE_END.search(line[part.end():].rstrip().rstrip("`'\"?？")):
        return None
    return part.group(0)


# The end of a clause or sentence, in ASCII or CJK punctuation.
_CLAUSE_END = re.compile(r"[.!;,](?:\s|$)|[。！；，]")


# acclib2 (session 30): the CUDA or cuDNN major a program's own failure message says it needs, in any program's words: ONNX
# Runtime's "Failed to create CUDAExecutionProvider. Require cuDNN 9.* and CUDA 12.*" (onnxruntime_pybind_state.cc, from 1.19),
# "requires cuDNN 8.x", "was built against CUDA 12.x", "compiled with CUDA 11", "needs CUDA 12 libraries", "CUDA 12.* is
# required". The name and its major follow the verb of need (up to one more "and <name> <major>"); a floor ("8.0 or later",
# ">= 8") or a pin of a package is not read here (a newer release serves a floor).
_NEED_VERB = r"(?:require[sd]?|requiring|needs?|needed|expects?|(?:was\s+|is\s+)?(?:built|compiled|linked)\s+(?:against|with|for))"
_NAMED_MAJOR = r"(?P<lib{n}>cu ?DNN|CUDA)(?:\s*(?:version|v))?\s*(?P<major{n}>\d{{1,2}})(?:\.(?:\*|x|\d{{1,3}}))*(?![\w.]*\d)"
_MESSAGE_NEED = re.compile(
    rf"\b{_NEED_VERB}\s+(?:the\s+)?{_NAMED_MAJOR.format(n=1)}(?:\s*(?:,|and|&|\+)\s*{_NAMED_MAJOR.format(n=2)})?"
    rf"|(?<![\w.-]){_NAMED_MAJOR.format(n=3)}\s+(?:is|are)\s+(?:required|needed)\b", re.I)
_FOUND_AFTER = re.compile(r"\b(?:but|while|whereas|however|loaded|found|detected|in\s+your\s+(?:machine|system|environment))\b", re.I)
_NEED_FLOOR = re.compile(r"\s*(?:\+|or\s+(?:later|newer|higher|above|greater)|and\s+(?:above|later|newer))", re.I)


def message_requires(line: str) -> list[tuple[str, str]]:
    """("cuda" | "cudnn", major) for each release a failure message says the program needs; empty for a floor or any other line."""
    if len(line) > 4000 or ("cuda" not in line.lower() and "cudnn" not in line.lower()):
        return []
    out: list[tuple[str, str]] = []
    for m in _MESSAGE_NEED.finditer(line):
        if _FOUND_AFTER.search(line, m.end(), m.end() + 120):
            continue  # the message compares the need with what it found itself ("compiled with CUDNN 7.6, but ... is 7.3"): its own reading
        for n in ("1", "2", "3"):
            lib, major = m.group(f"lib{n}"), m.group(f"major{n}")
            if lib is None or major is None:
                continue
            if _NEED_FLOOR.match(line, m.end(f"major{n}") if n == "3" else m.end()):
                continue
            name = "cudnn" if "dnn" in lib.lower() else "cuda"
            if name == "cudnn" and int(major) > 19:
                continue
            out.append((name, major))
    return list(dict.fromkeys(out))
