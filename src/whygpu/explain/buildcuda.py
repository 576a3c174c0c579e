"""The CUDA a build was made with, wherever a log writes it, and the machine's sides it meets (accvers, session 33).

A build's CUDA release is written in many places besides a framework's own answer: a container image's tag
(``pytorch/pytorch:2.7.0-cuda12.8-cudnn9-runtime``, ``nvidia/cuda:12.8.0-runtime-ubuntu22.04``, a project's "cuda13 images",
``tensorflow/tensorflow:2.15.0-gpu`` whose tested build knowledge/tensorflow.toml names), a wheel's local version
(``torch==2.7.0+cu128``), PyTorch's index (``download.pytorch.org/whl/cu128``), JAX's extra (``jax[cuda13]``), conda's pins
(``pytorch-cuda=12.1``, ``cudatoolkit=11.8``), or the writer's words ("a CUDA 12.8 build", "the cu128 image"). Each is read
here as a :class:`BuildCuda` with the form it was written in, which decides how the knowledge layer judges it:

- an image (``form == "image"``): its CUDA runtime needs a host driver that runs that release itself (NVIDIA's images
  require ``cuda>=X.Y`` of the driver: no minor-version compatibility);
- a PyTorch variant (``form == "torch"``): judged by knowledge/torch.toml's architecture lists of every release published
  for that variant;
- any other (``"conda"``, ``"jax"``, ``"said"``): judged by what its CUDA release knows (knowledge/cuda.toml).

And the driver's CUDA said in words ("the assigned host supported CUDA 12.6", "my driver only supports CUDA 12.2"), which
nvidia-smi's header gives where it is printed (logfacts' ``driver_cuda``).

Never read: a question, a condition, advice (explain.grammar.said), a line of code.
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu import lazyre as re


@dataclass(frozen=True)
class BuildCuda:
    """A build's CUDA release ("12.8", or a major alone, "13") and the form it was written in."""

    cuda: str
    form: str  # "image", "torch", "conda", "jax", "said", "floor" (a framework's CUDA said in words: explain.cudafloor)
    words: str

    def __str__(self) -> str:
        return self.words


# Cheap test: a line without these cannot hold a build's CUDA.
HINT = re.compile(r"cu\d|cuda|-gpu", re.I)

_REL = r"(\d{1,2}(?:\.\d)?)"
_BUILD_NOUN = r"(?:images?|containers?|tags?|builds?|wheels?|binar(?:y|ies)|backends?|variants?|versions?\s+of\b|packages?|runtimes?|docker\s*files?)"
_FORMS = re.compile(
    # A framework image's tag: "pytorch/pytorch:2.7.0-cuda12.8-cudnn9-runtime", "...:latest-cuda13", "cuda12.4.1-cudnn-devel".
    r"(?P<tag>[\w.\-/]+:[\w.\-]*?\bcuda[-_]?(?P<tagv>\d{1,2}(?:\.\d)?)(?:\.\d+)?(?=[-_.]|\b)(?![\w.]*\d\.\d))"
    # NVIDIA's own: "nvidia/cuda:12.8.0-runtime-ubuntu22.04", and nvidia/cudagl's tags, built FROM the nvidia/cuda tag of the
    # same name (knowledge/image_libraries.toml [[repository]]).
    r"|(?P<nv>nvidia/cuda(?:gl)?:(?P<nvv>\d{1,2}\.\d))"
    # PyTorch's wheel local version and index: "+cu128", "/whl/cu128", "/whl/nightly/cu130"; and its LibTorch archives'
    # (acccpubuild, session 37): "download.pytorch.org/libtorch/cu101/libtorch-win-shared-with-deps-1.4.0.zip".
    r"|(?P<whl>(?:\+|/(?:whl|libtorch)/(?:nightly/|test/)?)cu(?P<whlv>\d{3}))(?!\d)"
    # JAX's extra: "jax[cuda13]", "jax[cuda12_pip]".
    r"|(?P<jax>jax\[cuda(?P<jaxv>\d{2})(?:[_-]\w+)?\])"
    # conda's pins: "pytorch-cuda=12.1", "cudatoolkit=11.8", "cuda-version=12.4".
    r"|(?P<conda>(?:pytorch-cuda|cudatoolkit|cuda-version)\s*={1,2}\s*(?P<condav>\d{1,2}\.\d))"
    # A build named by its CUDA glued or spaced before a build noun: "cuda13 images", "the CUDA 12.8 build", "cu128 image",
    # "a cuda12 backend".
    r"|(?P<named>(?<![\w./-])(?:cuda[ -]?(?P<namedv>\d{1,2}(?:\.\d)?)|cu(?P<namedcu>\d{3}))(?:\.\d+)?\s*(?:-?based\s+|\(?\w+\)?\s+)?" + _BUILD_NOUN + r")"
    # A build noun before its CUDA: "containers für cuda13", "image built with CUDA 12.8", "build for cuda 13".
    r"|(?P<after>" + _BUILD_NOUN + r"\s+(?:\w+\s+){0,2}?(?:built\s+|compiled\s+|made\s+)?(?:with|for|against|on|f[üu]r|uses?)\s+(?:the\s+)?(?:cuda[ -]?(?P<afterv>\d{1,2}(?:\.\d)?)|cu(?P<aftercu>\d{3}))(?![\w.]*\d))"
    # PyTorch's variant named alone: "cu128 (which no longer supports Pascal)", "the cu126 one".
    r"|(?P<bare>(?<![\w./+-])cu(?P<barev>\d{3})(?![\w.]))"
    r"|(?P<tfimg>tensorflow/tensorflow:(?P<tfv>\d\.\d{1,2})(?:\.\d+)?-gpu)",
    re.I,
)


def _variant(number: str) -> str | None:
    """"12.8" from PyTorch's "128"."""
    from whygpu.knowledge.torch import torch_cuda_from_local_tag

    return torch_cuda_from_local_tag(f"cu{number}")


def build_cudas(text: str) -> list[BuildCuda]:
    """The builds' CUDA releases a line writes, each with its form; empty for a question, a condition, advice or code."""
    if len(text) > 4000 or HINT.search(text) is None:
        return []
    from whygpu.explain import grammar
    from whygpu.knowledge.cuda import was_cuda_release

    if grammar.code_comment(text):
        return []
    out: list[BuildCuda] = []
    for m in _FORMS.finditer(text):
        if not grammar.said(text, m.start(), m.end(), quotes=False):
            continue
        words = m.group(0)
        low = words.lower()
        cuda: str | None
        form = "said"
        if m.group("tag"):
            cuda, form = m.group("tagv"), "image"
        elif m.group("nv"):
            cuda, form = m.group("nvv"), "image"
        elif m.group("whl"):
            cuda, form = _variant(m.group("whlv")), "torch"
        elif m.group("jax"):
            cuda, form = m.group("jaxv"), "jax"
        elif m.group("conda"):
            cuda, form = m.group("condav"), "torch" if low.startswith("pytorch-cuda") else "conda"
        elif m.group("tfimg"):
            from whygpu.knowledge.tensorflow import tensorflow_build

            build = tensorflow_build(m.group("tfv"))
            cuda, form = (build.cuda if build is not None and build.gpu else None), "image"
        elif m.group("bare"):
            cuda, form = _variant(m.group("barev")), "torch"
        else:
            number = m.group("namedv") or m.group("afterv")
            torch_number = m.group("namedcu") or m.group("aftercu")
            cuda = number if number else _variant(torch_number) if torch_number else None
            if torch_number:
                form = "torch"
            if re.search(r"images?|containers?|tags?|docker", low):
                form = "image"
        if not cuda:
            continue
        if "." in cuda and was_cuda_release(cuda) is False:
            continue
        if not any(b.cuda == cuda and b.form == form for b in out):
            out.append(BuildCuda(cuda, form, words.strip()))
    return out


# The driver's CUDA in words: "the assigned host supported CUDA 12.6", "my driver only supports CUDA 12.2", "the host's driver
# is for CUDA 12.4".
_DRIVER_CUDA_SAID = re.compile(
    r"\b(?:host|driver|drivers|machine|server|node|gpu\s+driver)(?:'s)?\b[^.;!?\n]{0,40}?\b(?:support(?:s|ed)?|is\s+for|runs?)\s+"
    r"(?:only\s+|up\s+to\s+|at\s+most\s+)?CUDA\s*(?:version\s*)?(\d{1,2}\.\d)(?![\d.])",
    re.I,
)


def driver_cuda_said(text: str) -> str | None:
    """The newest CUDA the writer says the machine's driver runs ("12.6"), asserted of now; None otherwise."""
    if len(text) > 4000 or "cuda" not in text.lower():
        return None
    from whygpu.explain import grammar

    m = _DRIVER_CUDA_SAID.search(text)
    if m is None or re.search(r"\b(?:must|should|needs?|requires?|required|minimum|at\s+least|>=?)\b", m.group(0), re.I):
        return None
    if not grammar.said(text, m.start(), m.end(), quotes=False):
        return None
    return m.group(1)


# The writer's or a program's words that what the build runs failed: the run, the image, the container, the backend.
FAILED = re.compile(
    r"\b(?:do(?:es)?\s*n['’]?o?t|did\s*n['’]?o?t|can\s*n['’]?o?t|cannot|won['’]?t|will\s+not|fails?|failed|failing|refus(?:es|ed)|"
    r"not\s+(?:work|working|supported|compatible|detected|available)|stopped\s+working|no\s+longer\s+(?:work|working|supported)|"
    r"broken|crash(?:es|ed)?|error)\b",
    re.I,
)

# What failed: the run, the image or container, a backend, the GPU or CUDA, a kernel.
_FAILED_SUBJECT = re.compile(r"\b(?:containers?|images?|pods?|backends?|gpus?|cuda|kernels?|runs?|training|inference|start|launch|model|device)\b", re.I)


def failure_said(line: str) -> str | None:
    """The words of a line that say something the build runs failed ("the container fails to start", "fails to load any
    backend"), asserted (explain.grammar.said); None otherwise."""
    m = FAILED.search(line)
    if m is None or _FAILED_SUBJECT.search(line) is None:
        return None
    from whygpu.explain import grammar

    return m.group(0) if grammar.said(line, m.start(), m.end(), quotes=False) else None
