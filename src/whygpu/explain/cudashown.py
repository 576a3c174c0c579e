"""What a log shows of some CUDA installed on the machine, with or without its release (accsoname, session 34).

A program that cannot load ``libcublas.so.10.0`` or ``cudart64_100.dll`` asks the loader for one CUDA release. Whether
that means the library is missing (CUDA_LIBS_MISSING), there in another release (CUDA_LIBS_MISMATCH) or there off the
loader's path (CUDA_LIBS_NOT_ON_PATH) is decided by what the log shows present (``knowledge.libraries``). A release shown
(nvcc's banner, a toolkit's path with its version, the writer's "CUDA 10.1") decides by the release tables; some CUDA shown
without a release (an image that ships one, a CUDA library another line loaded, the writer's "I installed CUDA", a toolkit's
directory on LD_LIBRARY_PATH, conda's cudatoolkit, pip's nvidia-* wheels, a Jetson's JetPack) leaves the family ranked as
a machine that has some CUDA; nothing of the kind shown is the situation knowledge/priors.toml's ``cuda_none_shown`` row
ranks. Never evidence: nvidia-smi's "CUDA Version" (the newest CUDA the driver runs, installed with the driver, not a
toolkit), the driver's libcuda loaded, a GPU found, and a program's own advice ("Download and install CUDA 10.0 from this
URL", TensorFlow's Windows self-check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.cuda_versions import parse_library_name

if TYPE_CHECKING:
    from whygpu.explain.logfacts import LogFacts

# The CUDA toolkit's runtime and math libraries by their stems (not cuDNN, its own family, nor the driver's libcuda/nvcuda).
_CUDA_LIBRARY = re.compile(r"^(?:lib)?(?:cudart|cublas|cublasLt|cufft|cufftw|curand|cusolver|cusparse|nvrtc|nvJitLink|npp\w*|nvjpeg|cupti)$",
                           re.I)
# A log record of a program (TensorFlow's "2019-... W tensorflow/stream_executor/...cc:55]", glog's "I0101 ..."): its
# words are the program's, except the loader path it reports.
_RECORD = re.compile(r"^\s*(?:\d{4}-\d\d-\d\d[ T][\d:.]+:?\s+)?[IWEF](?:\d{4}\s+[\d:.]+\s+\d+\s+|\s+)[\w/.-]+\.(?:cc|h|cpp):\d+\]")
# The loader's path a program reports ("LD_LIBRARY_PATH: /usr/local/cuda-10.0/lib64", an `export LD_LIBRARY_PATH=...`):
# a CUDA toolkit's directory, or /usr/local/nvidia/lib64, the path NVIDIA's CUDA images set (their CUDA is in the image).
_LOADER_PATH = re.compile(r"\bLD_LIBRARY_PATH\s*[:=]\s*\S*?(?P<dir>/cuda(?:-\d+(?:\.\d+)?)?/|/usr/local/nvidia/lib)", re.I)
# The writer's or a listing's words: nvcc, a toolkit's path, a CUDA release named, CUDA said installed, conda's cudatoolkit.
_SHOWN = re.compile(
    r"(?P<nvcc>\bnvcc\b|\bcuda compilation tools\b)"
    r"|(?P<path>/usr/local/cuda\b|/opt/cuda\b|\bcuda-\d{1,2}\.\d\b|NVIDIA GPU Computing Toolkit)"
    r"|(?P<conda>\bcudatoolkit\b)"
    r"|(?P<release>\bcuda[ _-]?(?:toolkit\s*)?(?:v(?:ersion)?\s*[:=]?\s*)?(?:(?:7|8|9|1[0-3])(?:\.\d)?)\b(?![.\d]*\s*(?:or|and)\s+(?:later|newer|above|higher))(?!\s*%))"
    r"|(?P<installed>\bi(?:'ve|\s+have)?\s+(?:already\s+|also\s+|successfully\s+)?install(?:ed)?\s+(?:the\s+|nvidia\s+)?cuda\b"
    r"|\bcuda(?:\s+toolkit)?\s+(?:is|was)\s+(?:already\s+|successfully\s+)?installed\b)",
    re.I,
)
# Lines whose CUDA is not the machine's: nvidia-smi's header (the driver's CUDA), a program's or the writer's advice.
_NOT_MACHINE = re.compile(r"Driver Version|NVIDIA-SMI|\bdownload\b|\bfrom this URL\b|\brequires?\b|\bneeds?\b|\bsupports?\b|\bshould\b"
                          r"|\bif\b|\bnot\s+installed\b|\bnever\s+installed\b|\bwithout\b", re.I)


# accread41 (session 41): a question that opens a later clause of the words' sentence ("I installed CUDA 11.8 so why is it not
# working?", "..., is cupy supposed to be 11.8, too?"): the clause before it, holding the words, is the writer's statement.
_LATER_QUESTION = re.compile(r"(?:[,;:]|\s[-–—]|\b(?:so|but|and|then))\s+(?:so\s+|then\s+)?"
                             r"(?:why|how|what|which|where|is|are|was|were|does|do|did|can|could|should|will|would|has|have|any)\b", re.I)


# A CUDA runtime or math library's file shown on disk: a path that ends in it ("/usr/local/cuda-10.0/lib64/libcublas.so.10.0",
# "...\\CUDA\\v10.0\\bin\\cudart64_100.dll", ".../nvidia/cuda_runtime/lib/libcudart.so.12") or a row of `ldconfig -p` / `ls -l`
# ("libcublas.so.10 (libc6,x86-64) => /usr/lib/...", "libcudart.so.10.1 -> libcudart.so.10.1.243").
_FILE = (r"(?:lib)?(?:cudart|cublas|cublasLt|cufft|curand|cusolver|cusparse|nvrtc)"
         r"(?:\.so\.\d+(?:\.\d+)*|64_\d+(?:_\d+)?\.dll)")
_PRESENT = re.compile(r"[/\\](?P<a>" + _FILE + r")\b(?![\w.-]*\s*:)|^\s*(?P<b>" + _FILE + r")\s+(?:\(libc|->)", re.I)
# Words of a line that reports a failure (the file then is what failed, not what is there).
_FAILED = re.compile(r"not\s+(?:be\s+)?found|cannot|can't|could\s*n[o']t|unable|fail|error|missing|no such|dlerror|not load|undefined", re.I)


def cuda_library_present(text: str) -> str | None:
    """The CUDA runtime or math library file a line shows on disk (a path ending in it, an `ldconfig -p` or `ls -l` row), or
    None. Callers test ``".so." in`` or ``".dll" in`` the lowered line first."""
    if len(text) > 2000 or _FAILED.search(text):
        return None
    m = _PRESENT.search(text)
    return (m.group("a") or m.group("b")) if m is not None else None


def cuda_shown_said(text: str) -> str | None:
    """The words of one line that show some CUDA installed ("nvcc", "/usr/local/cuda", "CUDA 10.1", "I installed CUDA",
    "cudatoolkit", a toolkit's directory on LD_LIBRARY_PATH), or None. Callers test ``"cuda" in`` or ``"nvcc" in`` the
    lowered line first."""
    if len(text) > 2000:
        return None
    m_path = _LOADER_PATH.search(text)
    if m_path is not None:
        return f"LD_LIBRARY_PATH names {m_path.group('dir').strip('/')}"
    if _RECORD.match(text) or _NOT_MACHINE.search(text):
        return None
    m = next((m for m in _SHOWN.finditer(text) if not build_or_request(text, m.start())), None)
    if m is None or grammar.instructed(text, m.start(), m.end()):
        return None  # (accadvice40: an instruction, "make sure you have CUDA 11.2 installed", shows nothing installed)
    # accread41 (session 41): a question shows nothing installed ("Is CUDA 11.8 installed?"), but only the sentence that asks
    # it, as explain.grammar decides: a reason told before a question of the same sentence ("I installed CUDA 11.8 so why is
    # it not working?") is the writer's statement, and the line's other sentences are theirs too (a "?" at its end was read
    # as a question of the whole line).
    left, right = grammar.sentence_at(text, m.start(), m.end())
    if grammar.asked(text, left, right, m.start(), m.end()) or grammar.seeming(text, left, m.start()):
        return None
    if text[left:right].rstrip(" \t\"')]*`").endswith(("?", "？")) and _LATER_QUESTION.search(text, m.end(), right) is None:
        return None  # the words inside the question itself ("gpu error for cuda 10.0 and cudnn 7.5?")
    return m.group(0).strip()


# accnoticed41 (session 41): a CUDA release that a build is for or was built with ("the latest vllm (0.2.2) for cuda11.8 is built
# with torch 2.1.0", vllm#1807; "the wheel for CUDA 12.1", "compiled against CUDA 11.8"), or that the sentence asks a maintainer
# to build or release ("could you please release a build for CUDA 12.1"): a package's CUDA, not the machine's. The "for" must
# follow a build's noun or a release's number: "the Deep Learning stack for Cuda 11.2 loaded" (a module that loads that CUDA)
# is the machine's.
_BUILT_FOR = re.compile(r"(?:\b(?:builds?|wheels?|whl|binar(?:y|ies)|packages?|flavou?rs?|versions?|releases?|images?)|\d\)?)\s+for\s+(?:the\s+)?$"
                        r"|\b(?:built|compiled|packaged)\s+(?:with|for|against|on)\s+(?:the\s+)?$", re.I)
_REQUEST = re.compile(r"\b(?:could|can|would|will)\s+you\s+(?:please\s+)?(?:\w+\s+)?(?:release|provide|build|publish|add|support|upload|make)\b"
                      r"|\bplease\s+(?:\w+\s+)?(?:release|provide|build|publish|add|support|upload)\b", re.I)


def build_or_request(text: str, start: int) -> bool:
    """Whether the CUDA release at ``start`` of ``text`` is a package's (a build for it, built with it) or one the sentence asks
    a maintainer to build or release, not the machine's."""
    if _BUILT_FOR.search(text, max(0, start - 40), start) is not None:
        return True
    left, right = grammar.sentence_at(text, start, start + 1)
    return _REQUEST.search(text, left, right) is not None


def some_cuda_shown(facts: LogFacts) -> list[str]:
    """What the log shows of some CUDA installed, each in a few words ([] where it shows nothing of the kind).

    Read from the facts: a CUDA release shown installed, said or brought by a PyTorch build (``buildrules.cuda_found``),
    a CUDA runtime or math library another line loaded, pip's nvidia-* wheels, an image that ships CUDA, a Jetson (its
    JetPack installs CUDA), and the lines ``cuda_shown_said`` read. Not nvidia-smi's "CUDA Version" (the driver's).
    """
    from whygpu.explain.buildrules import cuda_found

    smi_lines = {s.where for s in facts.driver_cuda}  # nvidia-smi's header line: the driver's CUDA, whatever reads it
    out = [f"CUDA {v} ({how})" for v, seen, how in cuda_found(facts) if seen.where not in smi_lines]
    out += [f"{s.value} loaded" for s in facts.library_loaded if _CUDA_LIBRARY.match(parse_library_name(s.value).stem or "")]
    out += [f"pip's nvidia-{name} wheel" for name in facts.pip_cuda_wheels]
    out += [f"the image {s.value}" for s in (*facts.cuda_image, *facts.gpu_image)]
    if facts.on_jetson():
        out.append("a Jetson (JetPack installs CUDA)")
    out += [s.value for s in facts.cuda_shown_said]
    out += [f"{s.value} on disk" for s in facts.cuda_library_present]
    return list(dict.fromkeys(out))


def nothing_shown(facts: LogFacts) -> bool:
    """Whether the log shows no CUDA installed at all (``some_cuda_shown`` empty) and the writer does not say none is
    (that statement decides by itself: ``knowledge.libraries``'s ``absent_said``)."""
    return not facts.stated_cuda_absent and not some_cuda_shown(facts)
