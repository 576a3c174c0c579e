"""Versions and hardware a log shows in any program's wording, read as facts for the knowledge layer to judge (accversions, session 20).

Three readings, each of what a line MEANS rather than of one program's message:

- A build's version beside the version found (``built_found``): a line that says what a program was compiled,
  built or linked with and, in the same line, what it found, loaded or has at run time, for cuDNN, CUDA or the
  driver, in either order ("The installed Paddle is compiled with CUDNN 7.6, but CUDNN version in your machine is
  7.3", "Loaded runtime CuDNN library: 8.0.5 but source was compiled with: 8.1.0", "linked-against version 7600 !=
  compiled-against version 7501", "PyTorch was compiled against (8, 9, 2) but found runtime version (8, 5, 0)").
  Whether the two fit is the knowledge layer's decision (``cudnn_satisfies``, ``cuda_satisfies``,
  ``driver_runs_cuda``), made by the rules in ``explain.versionrules``.
- The driver library the program loaded, found to be the CUDA toolkit's link-time stub (``stub_libcuda``): ldd's
  ``libcuda.so.1 => /usr/local/cuda/lib64/stubs/libcuda.so.1``, or an error that names the loaded file
  (``/opt/cuda-12.1/lib64/stubs/libcuda.so: undefined symbol``). A stubs file merely listed on disk (find, ls,
  a path variable) is not read: every CUDA toolkit installs one.
- The compute capability in the forms programs print it besides "compute capability 8.6" and "sm_86" (those are
  logfacts' ``_CC_STATED``): a tuple (``torch.cuda.get_device_capability()``'s ``(3, 5)``), PaddlePaddle's
  "CUDA Capability: 75", "CC 5.2" (``compute_capabilities``).

Never read: a question, a condition, code, or a line that gives advice before its versions ("make sure you have
cuDNN 8.1 built with ..."): a version judged must be the machine's.
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.knowledge.cuda_versions import cuda_from_code, cudnn_version_text


@dataclass(frozen=True)
class BuiltFound:
    """A line's pair: the version a program was built with and the one it found, of one library ("cudnn", "cuda", "driver")."""

    library: str
    built: str
    found: str
    # What the found side names when it is not the built side's library: "driver" for a CUDA build against the driver's CUDA.
    found_library: str

    def __str__(self) -> str:
        return f"{self.library} built {self.built}, found {self.found_library} {self.found}"


# The library nouns a version can belong to; "driver" only on the found side (a build is never compiled with a driver).
# Another library's own version (cuSOLVER's 11400, NCCL's, TensorRT's) is none of these: read as "other" and not compared.
_NOUN = re.compile(
    r"(?<![A-Za-z0-9_])(?:(cu ?dnn)|(cuda)|(driver)|(cu(?:solver|blas(?:lt)?|fft|rand|sparse|pti|tensor)|nccl|tensorrt|nvinfer|nvrtc|nvjitlink))(?![A-Za-z])",
    re.I,
)
# A version: a dotted version, a tuple, cuDNN's or CUDA's integer code (7605, 90100; 10010), or a bare major right after a noun.
_VERSION = re.compile(
    r"\(\s*\d{1,2}\s*,\s*\d{1,2}(?:\s*,\s*\d{1,3})?\s*\)"
    r"|(?<![\w.])v?\d{1,2}\.\d{1,2}(?:\.\d{1,3})?(?![\w.]*\d)"
    r"|(?<![\w.])\d{4,5}(?!\w|\.\d)"
)
_BARE_MAJOR = re.compile(r"(?:cu ?dnn|cuda)(?:\s+(?:version|library|lib))?\s*[:=]?\s*v?(\d{1,2})(?![\w.])", re.I)
# What a version is, by the words before it: the build's, or what was found at run time.
_BUILT_CUE = re.compile(r"\b(?:compiled|built|build|compile[\s-]time)(?:[\s-]+(?:with|against|for|using))?\b|\bsource was compiled\b", re.I)
_FOUND_CUE = re.compile(
    r"\b(?:found|loaded|linked(?:[\s-]+against)?|runtime|run[\s-]time|installed|detected|in your (?:machine|system|environment)"
    r"|on (?:your|this) (?:machine|system)|you have|have|got|(?:only )?supports?)\b",
    re.I,
)
# A line that is not a statement of this machine: a question, a condition or advice before the versions, code.
_NOT_STATED = re.compile(
    r"^\s*(?:[-*>#]\s*)?(?:if|whether|should|shall|can|could|would|does|do|did|is|are|how|why|what|which|when|please|make sure|ensure|try|"
    r"you (?:should|need|must|can|may|have to)|install|download|use)\b",
    re.I,
)
_CODE = re.compile(r"\b(?:print|raise|warn|warnings\.warn|logger\.\w+|logging\.\w+|assert|f)\s*\(|\bif\s+\w+\s*[<>=!]=?|^\s*(?:#|//)|\{\w*\}", re.I)
# A version right after a product's name is that product's ("TF 2.4", "torch==2.1.0", "Python 3.10"), not a library's.
_PRODUCT_BEFORE = re.compile(
    r"\b(?:tensorflow(?:[-_]gpu)?|tf|torch|pytorch|jax|jaxlib|paddle(?:paddle)?(?:[-_]gpu)?|python|mxnet|onnxruntime(?:[-_]gpu)?|keras|numpy)"
    r"\s*(?:==|=|:)?\s*(?:version\s*)?v?$",
    re.I,
)
# accnotice (session 32): a version with a wheel's local label right after it ("2.2.0+cu121", "2.1.0+cpu", "+rocm6.0") is a
# package's release, PEP 440's local version (https://packaging.python.org/en/latest/specifications/version-specifiers/#local-version-identifiers):
# xFormers' "(you have 2.2.0+cu121)" is the torch installed, not a CUDA found.
_LOCAL_LABEL_AFTER = re.compile(r"\+(?:cu\d|cpu|rocm|xpu|git|[0-9a-f]{7})", re.I)
_HELD = 120  # a version's cue and noun are looked for in the words since the previous version, at most this many characters


def _role(segment: str) -> str | None:
    """"built" or "found" for the last cue in the words before a version, None when they hold none."""
    last: tuple[int, str] | None = None
    for rx, role in ((_BUILT_CUE, "built"), (_FOUND_CUE, "found")):
        for m in rx.finditer(segment):
            if last is None or m.start() >= last[0]:
                last = (m.start(), role)
    return None if last is None else last[1]


def _noun(text: str) -> str | None:
    """The last library noun in ``text``: "cudnn", "cuda" or "driver"."""
    found = None
    for m in _NOUN.finditer(text):
        found = "cudnn" if m.group(1) else "cuda" if m.group(2) else "driver" if m.group(3) else "other"
    return found


def _normal(library: str, value: str) -> str | None:
    """A version as the knowledge layer compares it: cuDNN's code or tuple as MAJOR.MINOR.PATCH, CUDA's code as MAJOR.MINOR."""
    value = value.strip().lstrip("v")
    if library == "cudnn":
        return cudnn_version_text(value)
    if value.startswith("("):
        parts = [p.strip() for p in value.strip("()").split(",")]
        return ".".join(parts[:2])
    if value.isdigit():
        return cuda_from_code(value) if len(value) >= 4 else value
    return value


def built_found(text: str) -> BuiltFound | None:
    """The version a line says a program was built with and the one it says was found, of one library; None when the line says less.

    Each version takes its role from the last cue before it since the previous version (compiled/built with ->
    built; found, loaded, linked, runtime, installed, in your machine, you have -> found) and its library from the
    last noun before it (cuDNN, CUDA, the driver); a version with no cue of its own continues the one before
    ("compiled with CUDA 11.2 and cuDNN 8.1"). The pair is the first built version and the first found version of
    the same library, or a CUDA build against the driver's CUDA.
    """
    if not _BUILT_CUE.search(text) or not _FOUND_CUE.search(text) or _CODE.search(text):
        return None
    if text.rstrip().rstrip("`'\"").endswith("?"):
        return None
    from whygpu.knowledge.extension_builds import accepted_note

    if accepted_note(text):
        return None  # a build helper's own verdict that it accepts the pair (DeepSpeed, torch's cpp_extension): no mismatch
    spans = [(m.start(), m.end(), m.group(0)) for m in _VERSION.finditer(text)]
    spans += [(m.start(1), m.end(1), m.group(1)) for m in _BARE_MAJOR.finditer(text)]
    spans = sorted({(s, e, v) for s, e, v in spans})
    if len(spans) < 2:
        return None
    if _NOT_STATED.match(text[: spans[0][0]]):
        return None
    built: dict[str, str] = {}
    found: dict[str, str] = {}
    role: str | None = None
    library: str | None = None
    previous_end = 0
    for start, end, value in spans:
        segment = text[max(previous_end, start - _HELD):start]
        role = _role(segment) or role
        if _PRODUCT_BEFORE.search(text[max(0, start - 30):start]) or _LOCAL_LABEL_AFTER.match(text, end):
            previous_end = end
            continue
        library = _noun(segment) or _noun(text[max(0, start - _HELD):start]) or library
        if role == "found" and re.search(r"\bdriver\b", segment, re.I):
            library = "driver"  # "... but the driver supports CUDA 11.4": the driver's CUDA
        previous_end = end
        if role is None or library is None or library == "other":
            continue
        normal = _normal("cuda" if library == "driver" else library, value)
        if normal is None:
            continue
        target = built if role == "built" else found
        target.setdefault(library, normal)
    for name in ("cudnn", "cuda"):
        if name in built and name in found:
            return BuiltFound(name, built[name], found[name], name)
    if "cuda" in built and "driver" in found:
        return BuiltFound("cuda", built["cuda"], found["driver"], "driver")
    return None


# The driver library loaded from a CUDA toolkit's stubs directory: ldd's resolution, or an error naming the loaded file.
_STUB_LOADED = re.compile(
    r"\blibcuda\.so(?:\.\d+)*\s+=>\s+(?P<ldd>\S*[\\/]stubs[\\/]libcuda\.so(?:\.\d+)*)"
    r"|(?P<error>(?:[A-Za-z]:)?\S*[\\/]stubs[\\/]libcuda\.so(?:\.\d+)*):\s*(?:undefined symbol|symbol lookup error|version `)"
    r"|\b(?:loaded|opened|using|dlopen(?:ed)?)\s+(?:the\s+)?(?:library\s+|driver\s+)?['\"]?(?P<loaded>\S*[\\/]stubs[\\/]libcuda\.so(?:\.\d+)*)",
    re.I,
)


def stub_libcuda(text: str) -> str | None:
    """The path of a libcuda a line shows LOADED from a toolkit's ``stubs`` directory; None for a file merely listed."""
    if "stubs" not in text or "libcuda" not in text:
        return None
    m = _STUB_LOADED.search(text)
    if m is None:
        return None
    return m.group("ldd") or m.group("error") or m.group("loaded")


# Compute capabilities printed as a tuple, as PaddlePaddle's two digits, or as "CC 5.2".
_CC_MORE = re.compile(
    r"(?:\b(?:cuda |compute )|\bget_device_|\b)capability\s*(?:\(\s*(?:\d|device\s*=\s*\d)?\s*\)\s*)?[:=]?\s*\(\s*(?P<tmajor>\d{1,2})\s*,\s*(?P<tminor>\d)\s*\)"
    r"|\b(?:CUDA|Compute) Capability:\s*(?P<dmajor>\d{1,2})(?P<dminor>\d)(?![\d.])"
    r"|(?<![\w.-])CC\s*[:=]?\s*(?P<cc>\d{1,2}\.\d)(?![\d.])"
    # TensorFlow 2's device line ("name: Tesla T4 computeCapability: 7.5"); CUDA's deviceQuery sample.
    r"|\bcomputeCapability:\s*(?P<camel>\d{1,2}\.\d)(?![\d.])"
    r"|\bCUDA Capability Major/Minor version number:\s*(?P<query>\d{1,2}\.\d)(?![\d.])"
    # TensorFlow 1's device properties ("name: GeForce GT 730 major: 3 minor: 5 memoryClockRate(GHz): 0.9").
    r"|\bmajor:\s*(?P<pmajor>\d{1,2})\s+minor:\s*(?P<pminor>\d)\s+memoryClockRate"
)


def compute_capabilities(text: str) -> list[str]:
    """The compute capabilities a line prints in the forms logfacts' ``_CC_STATED`` does not read, as "MAJOR.MINOR".

    Only capabilities NVIDIA has given a GPU architecture (knowledge/gpus.toml): "CC 9.9" or "(1, 2)" is not one.
    """
    from whygpu.knowledge.gpus import architecture_of_capability

    out = []
    for m in _CC_MORE.finditer(text):
        if m.group("tmajor"):
            cc = f"{m.group('tmajor')}.{m.group('tminor')}"
        elif m.group("dmajor"):
            cc = f"{m.group('dmajor')}.{m.group('dminor')}"
        elif m.group("pmajor"):
            cc = f"{m.group('pmajor')}.{m.group('pminor')}"
        else:
            cc = m.group("cc") or m.group("camel") or m.group("query")
        if architecture_of_capability(cc) is not None and cc not in out:
            out.append(cc)
    return out


# The driver's CUDA and the CUDA runtime's version printed together: "Driver API Version: 10.1, Runtime API Version: 10.0"
# (PaddlePaddle), "CUDA Driver Version / Runtime Version   9.0 / 10.0" (CUDA's deviceQuery sample).
_DRIVER_RUNTIME = re.compile(
    r"\bDriver(?: API)? Version:?\s*(?P<driver>\d{1,2}\.\d)(?![\d.])[\s,;]+(?:CUDA )?Runtime(?: API)? Version:?\s*(?P<runtime>\d{1,2}\.\d)(?![\d.])"
    r"|\bCUDA Driver Version\s*/\s*Runtime Version\s+(?P<qdriver>\d{1,2}\.\d)\s*/\s*(?P<qruntime>\d{1,2}\.\d)(?![\d.])",
    re.I,
)


def driver_runtime(text: str) -> tuple[str, str] | None:
    """(the driver's CUDA, the CUDA runtime's version) a line prints together, as "MAJOR.MINOR"; None otherwise."""
    m = _DRIVER_RUNTIME.search(text)
    if m is None:
        return None
    return (m.group("driver") or m.group("qdriver"), m.group("runtime") or m.group("qruntime"))


# An Amazon EC2 instance type as written in a log ("p2.xlarge", SageMaker's "ml.p3.2xlarge", an `--instance-type g4dn.xlarge`).
_EC2_TYPE = re.compile(r"(?<![\w.-])((?:ml\.)?[a-z][a-z0-9]{1,5}\.(?:\d{0,2}x?large|metal))(?![\w-])")


def ec2_instance_types(text: str) -> list[str]:
    """The EC2 instance types a line names as the machine (not in a question), whose GPU knowledge/aws.toml knows."""
    if text.rstrip().rstrip("`'\"").endswith("?"):
        return []
    from whygpu.knowledge.aws import aws_instance_gpu

    return [m.group(1) for m in _EC2_TYPE.finditer(text) if aws_instance_gpu(m.group(1)) is not None]


# --- acccc (session 23): the GPU, the build's floor and the build's CUDA in any program's or the writer's wording -------

# A program's own statement of the lowest compute capability it needs, in the words programs print it: "the 't' kernel
# requires 5.0 capability!", "requires compute capability >= 5.0", "compute capability 6.0 or higher is required",
# "minimum compute capability is 3.7", "The minimum cuda capability supported by this library is 3.7" (PyTorch's old
# too-old warning). TensorFlow's "The minimum required Cuda capability is X" and PyTorch's "Minimum and Maximum ..." range
# are logfacts' own (keyed by framework).
_CC_REQUIRED = re.compile(
    r"\brequir(?:es|ed|ing)?\s+(?:an?\s+(?:GPU|device|card)\s+with\s+)?(?:(?:cuda|compute)\s+)?capability\s*(?:of\s*)?(?:>=?\s*|at least\s+)?(?P<a>\d{1,2}\.\d)(?!\d|\.\d)"
    r"|\brequir(?:es|ed)?\s+(?:(?:cuda|compute)\s+)?(?P<b>\d{1,2}\.\d)\s+(?:(?:cuda|compute)\s+)?capability\b"
    r"|\bminimum\s+(?:required\s+)?(?:cuda\s+|compute\s+)?capability\s+(?:supported\s+by\s+[\w ]{1,40}?\s+)?(?:is|of|:)\s*(?P<c>\d{1,2}\.\d)(?!\d|\.\d)"
    r"|\b(?:cuda\s+|compute\s+)?capability\s*(?:of\s*)?(?P<d>\d{1,2}\.\d)\s+or\s+(?:higher|above|greater|newer|later)\s+(?:is\s+)?(?:required|needed)\b",
    re.I,
)


def required_capability(text: str) -> str | None:
    """The lowest compute capability a line says the program needs ("5.0"), or None (a capability NVIDIA has given no
    architecture is none). Not TensorFlow's own "minimum required Cuda capability" line (logfacts keys that one)."""
    from whygpu.knowledge.gpus import architecture_of_capability

    if "minimum required Cuda capability" in text or _CODE.search(text):
        return None
    m = _CC_REQUIRED.search(text)
    if m is None:
        return None
    cc = next(v for v in m.groups() if v)
    return cc if architecture_of_capability(cc) is not None else None


# A compute capability called a "CUDA version" beside the GPU it belongs to ("a GeForce GT 730 graphics card that uses
# CUDA version 3.5"): read only where the value is no CUDA release at all and is a capability NVIDIA has given an
# architecture, and the line names a GPU (the caller checks that).
_CUDA_CALLED_CC = re.compile(r"\bCUDA\s+(?:version\s+|v)?(\d\.\d)(?!\d|\.\d)", re.I)


def capability_called_cuda(text: str) -> str | None:
    """A compute capability the line calls a CUDA version ("uses CUDA version 3.5"), or None."""
    from whygpu.knowledge.cuda import was_cuda_release
    from whygpu.knowledge.gpus import architecture_of_capability

    for m in _CUDA_CALLED_CC.finditer(text):
        value = m.group(1)
        if was_cuda_release(value) is False and architecture_of_capability(value) is not None:
            return value
    return None


# The CUDA a container image was built with, as its tag names it: PaddlePaddle's "2.4.2-gpu-cuda10.2-cudnn7.6-trt7.0",
# "1.2.0-gpu-cuda8.0-cudnn5", and any "<version>-gpu-cudaX.Y" or "cudaX.Y-cudnnN" tag (NVIDIA's own nvidia/cuda tags are
# logfacts' cuda_image). The image's framework is built for that CUDA, whatever toolkit the host has.
_IMAGE_CUDA = re.compile(r"(?<![\w.])[\w.]*(?:gpu[-_])cuda(\d{1,2}\.\d)(?:\.\d+)?(?=[-_.]|\b)|(?<![\w.])[\w.:/-]*[-_:]cuda(\d{1,2}\.\d)(?:\.\d+)?[-_]cudnn\d", re.I)


def image_cuda(text: str) -> str | None:
    """The CUDA version an image tag on the line names ("10.2" from "2.4.2-gpu-cuda10.2-cudnn7.6"), or None."""
    from whygpu.knowledge.cuda import is_cuda_release

    m = _IMAGE_CUDA.search(text)
    if m is None:
        return None
    value = m.group(1) or m.group(2)
    return value if is_cuda_release(value) is not False else None


# Programs whose GPU builds the knowledge layer judges by their own rows (knowledge/programs.toml): named as a word, a
# service prefix ("ollama[911]:") or a command. CuPy's "cupy-cudaNNN" wheels are explain.programbuilds'.
_PROGRAM_NAMED = re.compile(r"(?<![\w.-])(ollama|cupy)(?![\w-])", re.I)


def programs_named(text: str) -> list[str]:
    """The programs of knowledge/programs.toml's floor and CUDA rows the line names (lower case)."""
    return list(dict.fromkeys(m.group(1).lower() for m in _PROGRAM_NAMED.finditer(text)))


# --- accpairs (session 27): the release a program wants, said in words, beside the one installed ------------------------
# The writer's words naming the CUDA or cuDNN release a program requires, recommends, suggests or was built for (its
# install guide's, its maintainers'), in the forms people write it: "it requires CUDA 10.0", "TensorFlow 1.4 needs cuDNN
# 6", "the suggested CUDA 8.0", "instead of the recommended cuDNN v6", "Toolkit 8.0 as suggested", "CUDA 10.1 is
# required"; and, in the same sentence after a contrast, the release the writer has ("but I have CUDA 10.2 installed",
# "while mine is 11.2"). A question, a condition or advice is no statement of either (explain.grammar.said). Whether the
# installed release serves the wanted one is the knowledge layer's decision (knowledge.cuda.cuda_serves_build,
# cuda_versions.cudnn_satisfies), made by explain.versionrules (LOG371).
_LIB = r"(?P<lib>CUDA(?:[ _-]?Toolkit)?|cu ?DNN|Toolkit)"
_LIB_OPT = r"(?:(?P<lib2>CUDA(?:[ _-]?Toolkit)?|cu ?DNN|Toolkit)\s*)?"
_REL = r"(?:version\s*)?[:=]?\s*v?(?P<v>\d{1,2}(?:\.\d{1,2})?)(?:\.\d+)*(?![\w.]*\d)"
_ROLE = r"(?:suggested|recommended|required|needed|supported|documented|official|specified|expected)"
_WANTED = re.compile(
    r"\b(?:requires?|required|needs?|needed|recommends?|suggests?|expects?|asks?\s+for|depends\s+on|(?:only\s+)?supports?(?:\s+only)?"
    r"|(?:is|was|were|are)\s+(?:built|compiled|made)\s+(?:for|with|against)|compatible\s+(?:only\s+)?with|works?\s+only\s+with)"
    r"\s+(?:the\s+|a\s+)?(?:" + _ROLE + r"\s+)?" + _LIB + r"\s*" + _REL
    + r"|\b(?:instead\s+of|rather\s+than|not)\s+(?:the\s+)?" + _ROLE + r"\s+" + _LIB_OPT + r"(?:version\s*)?v?(?P<v2>\d{1,2}(?:\.\d{1,2})?)(?:\.\d+)*(?![\w.]*\d)"
    + r"|\bthe\s+" + _ROLE + r"\s+" + _LIB.replace("?P<lib>", "?P<lib3>") + r"\s*(?:version\s*)?(?:is\s+|of\s+|:\s*)?v?(?P<v3>\d{1,2}(?:\.\d{1,2})?)(?:\.\d+)*(?![\w.]*\d)"
    + r"|(?<![\w.])(?P<lib4>CUDA(?:[ _-]?Toolkit)?|cu ?DNN|Toolkit)\s*v?(?P<v4>\d{1,2}(?:\.\d{1,2})?)(?:\.\d+)*\s+(?:as\s+|is\s+|was\s+)(?:" + _ROLE + r")\b",
    re.I)
# The writer's own release after a contrast in the same sentence: "but I have CUDA 10.2", "while mine is 11.2", "but I
# installed cuDNN 7.0.5", "whereas my system has CUDA 9.0".
_HAVE_AFTER = re.compile(
    r"\b(?:but|while|whereas|however|yet|and)\b[^.;!?]{0,30}?\b(?:I|we|my\s+\w+|mine|our\s+\w+)\s+(?:have|has|had|got|installed|(?:am|are|is|was)\s+(?:using|on|running)|use|used|run|is|was)"
    r"\s+(?:only\s+|already\s+|got\s+)?(?:installed\s+)?(?:the\s+)?(?P<lib>CUDA(?:[ _-]?Toolkit)?|cu ?DNN|Toolkit)?\s*(?:version\s*)?v?(?P<v>\d{1,2}(?:\.\d{1,2})?)(?:\.\d+)*(?![\w.]*\d)",
    re.I)


# lead (session 29): the writer's release said first, then the contrast, then what the program wants, in one sentence:
# "Google colab has CUDA 10, whereas tensorflow-gpu 1.12 is built against CUDA 9", "my machine has cuDNN 8.1 but the
# package requires cuDNN 8.0", "I have CUDA 11.2 installed, while TF 2.4 needs CUDA 11.0".
_HAVE_BEFORE = re.compile(
    r"\b(?:I|we|my\s+\w+|mine|our\s+\w+|(?:google\s+)?colab|kaggle|the\s+(?:machine|server|system|image|container|cluster|instance|vm|host))\s+"
    r"(?:(?:now|already|currently)\s+)?(?:have|has|had|got|installed|comes?\s+with|came\s+with|ships?\s+with|provides?|uses?|used|(?:am|are|is|was)\s+(?:using|on|running))"
    r"\s+(?:only\s+|already\s+)?(?:the\s+)?(?P<lib>CUDA(?:[ _-]?Toolkit)?|cu ?DNN)\s*(?:version\s*)?v?(?P<v>\d{1,2}(?:\.\d{1,2})?)(?:\.\d+)*(?![\w.]*\d)",
    re.I)
_CONTRAST = re.compile(r"\b(?:but|while|whereas|however|yet|though|although)\b", re.I)


def _have_before(text: str, left: int, start: int) -> re.Match[str] | None:
    """The writer's own release named before a contrast word that comes before the wanted release (see _HAVE_BEFORE)."""
    found = None
    for have in _HAVE_BEFORE.finditer(text, left, start):
        if _CONTRAST.search(text, have.end(), start):
            found = have
    return found


def _library(word: str | None) -> str | None:
    if not word:
        return None
    return "cudnn" if "dnn" in word.lower() else "cuda"


def stated_wanted(text: str) -> list[tuple[str, str, str | None]]:
    """(library, wanted release, the writer's release said after a contrast or None): each CUDA or cuDNN release the line
    says a program wants, asserted of now (not asked, supposed or advised); empty for any other line."""
    from whygpu.explain import grammar

    if len(text) > 2000 or grammar.code_comment(text) or grammar.program_line(text):
        return []
    out: list[tuple[str, str, str | None]] = []
    for m in _WANTED.finditer(text):
        lib = _library(m.group("lib") or m.group("lib2") or m.group("lib3") or m.group("lib4"))
        value = m.group("v") or m.group("v2") or m.group("v3") or m.group("v4")
        if lib is None:
            # "instead of the suggested 8.0": the library of the sentence's other version ("CUDA Toolkit 9.0 instead of ...").
            before = list(re.finditer(r"(CUDA(?:[ _-]?Toolkit)?|cu ?DNN|Toolkit)\s*v?\d", text[:m.start()], re.I))
            lib = _library(before[-1].group(1)) if before else None
        if lib is None or value is None:
            continue
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if re.search(r"\b(?:not|never|no\s+longer|hardly)\s+(?:\w+\s+)?$|n['’]t\s+(?:\w+\s+)?$", text[max(left, m.start() - 30):m.start()], re.I):
            continue  # "does not support CUDA 11", "isn't compatible with": what it does not want
        if re.match(r"\s*(?:\+|or\s+(?:above|later|higher|newer|greater|more|up)|and\s+(?:above|later|up|newer)|(?:and|or)\s+(?:any\s+)?(?:later|newer))\b|\s*\+", text[m.end():m.end() + 20], re.I) \
                or re.search(r"\b(?:at\s+least|minimum(?:\s+of)?|>=)\s*(?:the\s+)?$", text[max(left, m.start() - 20):m.start()], re.I) \
                or re.search(r"\b(?:at\s+least|minimum(?:\s+of)?)\s+(?:the\s+)?(?:CUDA|cu ?DNN|Toolkit)", m.group(0), re.I):
            continue  # a floor ("CUDA 9 or above", "at least cuDNN 7"): a newer release serves it
        # accretold (session 38): a program's message retold ("when I import tensorflow, it says that tensorflow works only
        # with CUDA 9.0") is the program's need, stated of this machine: its frame's own clause decides (grammar.retold).
        if grammar.retold(text, m.start()) is None and (
                re.match(r"\W*(?:if|when|whether|unless|should|could|would|can|does|do|is|are|make\s+sure|please|try|you)\b", text[left:], re.I)
                or text[m.start():right].rstrip().endswith("?") or not grammar.said(text, m.start(), m.end(), quotes=False)):
            continue
        have = _HAVE_AFTER.search(text, m.end(), right)
        mine = None
        said_first = None if have is not None else _have_before(text, left, m.start())
        if have is not None and (_library(have.group("lib")) or lib) == lib:
            mine = have.group("v")
        elif said_first is not None and _library(said_first.group("lib")) == lib:
            mine = said_first.group("v")
        elif m.group("v2"):
            # "CUDA 9.0 instead of the suggested 8.0": the release before "instead of", of the same library, is the one chosen.
            chosen = [b for b in re.finditer(r"(CUDA(?:[ _-]?Toolkit)?|cu ?DNN|Toolkit)\s*v?(\d{1,2}(?:\.\d{1,2})?)(?:\.\d+)*", text[left:m.start()], re.I)
                      if _library(b.group(1)) == lib]
            mine = chosen[-1].group(2) if chosen else None
        out.append((lib, value, mine))
    return out
