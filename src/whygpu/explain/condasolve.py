"""What conda actually installed, and what its solver said about the driver (accconda, session 36).

conda and its front ends (mamba, micromamba, pixi) print a package as name, version, build string and channel: `conda list`
("pytorch  2.1.0  py3.10_cpu_0  pytorch"), conda's plan ("pytorch/linux-64::pytorch-2.1.0-py3.10_cpu_0", an update or a
supersede written "old --> new"), its download table ("pytorch-2.1.0 | py3.10_cpu_0  84.2 MB  pytorch") and mamba's
transaction table ("+ pytorch  2.1.0  cpu_generic_py311h...  conda-forge  Cached"). The build string is the variant the
solver chose, whatever the command pinned beside it (a `pytorch-cuda=12.1` pin is what was asked): its verdict is
knowledge.cuda_build.conda_build's, by each channel's convention (cuda_build.toml [[conda_build]]), and weighs in the one
"is this a CUDA build" decision as the kinds conda_build_string / conda_build_string_cpu (explain.buildshown).

Read here, over the head of a log gated by ``has_needle``, once per line:
- ``conda_row``: each framework package row (``CondaRow``: package, version, build string, channel, the section of the
  transaction it is in, the build it replaces) — rows of a `conda search` listing and of a REMOVED section are not what is
  installed and are not read;
- ``conda_no_cuda``: the solver's own words that the __cuda virtual package is missing ("nothing provides __cuda needed by
  ...", libmamba's "__cuda ..., which is missing on the system", conda's "pytorch-cuda=11.8 -> __cuda" beside "Your
  installed version is: not available"): the solver detected no NVIDIA driver where it ran;
- ``conda_virtual``: `conda info`'s (or pixi info's) virtual packages: the driver's CUDA of __cuda=N, or "" where the listing
  holds no __cuda on Linux or Windows (conda saw no driver: conda-forge's pytorch, tensorflow and jaxlib then resolve to
  their CPU builds);
- ``conda_cpu_said``: the writer's words that conda, mamba or an environment file installed (picked, fell back to) the CPU
  build.
Judged by LOG670-LOG674 (explain/condasolverules.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from whygpu import lazyre as re

__all__ = ["NEEDLES", "CondaRow", "condasolve_lines", "has_needle"]

# The gate: the text holds one of these (lower-case) before any line is read.
NEEDLES = ("conda", "mamba", "__cuda", "pytorch", "_tflow_select", "jaxlib", "pixi", "mkl_py", "eigen_py", "gpu_py", "cpu_py", "_cpu_0")

# The framework packages whose rows are read (and the CUDA packages a pin installs beside them).
_NAME = (r"(?P<name>pytorch|pytorch-cuda|pytorch-mutex|pytorch-gpu|pytorch-cpu|_pytorch_select|libtorch|tensorflow|tensorflow-base|"
         r"tensorflow-gpu|_tflow_select|libtensorflow(?:_cc)?|jaxlib|cudatoolkit|cuda-version|cudnn)")
_PIN_NAMES = frozenset({"pytorch-cuda", "cudatoolkit", "cuda-version", "tensorflow-gpu"})
# `conda list` (also collect_env's "[conda] " rows) and mamba's transaction table ("+ name version build channel size").
_LIST_ROW = re.compile(r"^\s*(?:\[conda\]\s+|(?P<plus>\+)\s+)?" + _NAME + r"\s+(?P<version>\d[\w.!+]*)\s+(?P<build>[A-Za-z0-9_][\w.!+]*)"
                       r"(?:\s+(?P<channel>[A-Za-z][\w.:/-]*))?(?:\s+(?:\d+(?:\.\d+)?\s*[KMGk]?i?B|Cached))?\s*$", re.I)
# conda's plan: "channel/subdir::name-version-build", an update or supersede "old --> new".
_PLAN_SPEC = re.compile(r"(?<![\w.-])(?P<channel>[\w.-]+(?:/[\w.-]+)*?)(?:/(?:linux|win|osx|noarch)[\w-]*)?::" + _NAME
                        + r"-(?P<version>\d[\w.!+]*)-(?P<build>[\w.!+]+)(?![\w.!+-])", re.I)
# conda's download table, also behind a CI's timestamp or a BuildKit step's prefix ("#16 37.21 ").
_DOWNLOAD_ROW = re.compile(r"^(?:\s*(?:#\d+\s+[\d.]+|\d{4}-\d\d-\d\dT[\d:.]+Z))?\s*" + _NAME
                           + r"-(?P<version>\d[\w.!+]*)\s*\|\s*(?P<build>[\w.!+]+)\s+\d[\d.]*\s*[KMG]i?B(?:\s+(?P<channel>\S+))?\s*$", re.I)
# Where a line starts a section of a transaction, and what the section is ("search": a listing of what a channel holds).
_SECTION = re.compile(
    r"following (?:NEW )?packages will be (?P<conda>INSTALLED|UPDATED|DOWNGRADED|REMOVED|SUPERSEDED)"
    r"|^\s*(?P<mamba>Install|Upgrade|Downgrade|Change|Remove|Reinstall):\s*$"
    r"|(?P<search>\b(?:conda|mamba|micromamba)\s+(?:search|repoquery)\b|^\s*Loading channels:)"
    r"|(?P<listing>#\s*packages in environment|\b(?:conda|mamba|micromamba)\s+list\b|Package Plan|^\s*Transaction\s*$|Versions of relevant libraries)",
    re.I)
_SECTION_CUES = ("will be", "install:", "upgrade:", "downgrade:", "change:", "remove:", "search", "repoquery", "loading channels",
                 "packages in environment", " list", "package plan", "transaction", "versions of relevant")
_SECTIONS = {"installed": "install", "updated": "update", "downgraded": "downgrade", "removed": "remove", "superseded": "supersede",
             "install": "install", "upgrade": "update", "downgrade": "downgrade", "change": "supersede", "remove": "remove",
             "reinstall": "install"}
# The solver's words that __cuda is missing (conda, mamba/libsolv, libmamba).
_NO_CUDA = re.compile(r"nothing provides __cuda\b[^\n]{0,120}|__cuda\b[^\n]{0,40}?,?\s*which is missing on the system"
                      r"|^\s*-\s*[\w.=*-]+\s*->\s*__cuda\b[^\n]{0,40}|feature:/[\w-]+::__cuda==[^\s]+", re.I)
_NOT_AVAILABLE = re.compile(r"installed version is:?\s*not available", re.I)
# `conda info`'s / `pixi info`'s virtual packages block.
_VIRTUAL_START = re.compile(r"^\s*virtual packages\s*:\s*(?P<first>__\S+)", re.I)
_VIRTUAL_MORE = re.compile(r"^\s*:?\s*(?P<pkg>__[a-z]\w*=\S*)\s*$", re.I)
_VIRTUAL_CUDA = re.compile(r"^__cuda=(\d+(?:\.\d+)?)")
# The writer's words: conda (mamba, the solver, the environment file) installed or chose the CPU build.
_CPU_SAID = re.compile(
    r"\b(?:conda|mamba|micromamba|the solver|environment\.ya?ml|it|this command|this)\b[`'\"]?[^.;!?\n]{0,60}?\b"
    r"(?:install(?:s|ed|ing)?|pull(?:s|ed)?|picks?|picked|cho(?:o)?se[sn]?|select(?:s|ed)?|suggest(?:s|ed)?|fall(?:s)?\s*back\s+(?:on|to)|fallback\s+on|defaults?\s+to\s+installing|gives?|gave|resolv(?:es|ed)\s+to|lead\s+\w+\s+choose)\s+"
    r"(?:the\s+|a\s+)?(?:[`'\"]?[\w-]+[`'\"]?\s+){0,2}?(?:in\s+)?(?:cpu(?:[- ]?only)?)\s*(?:version|build|builds|mode|variant|package)s?\b"
    r"|\bcauses?\s+(?:the\s+)?cpu(?:[- ]only)?\s+(?:version\s+|build\s+)?to\s+be\s+installed\b",
    re.I)
# Where the solve ran: an image build (a Dockerfile's RUN of conda, the writer's "build a docker image", a BuildKit step's
# output), or a machine the writer says has no GPU (a login node, a CPU platform). Read only in a log with a __cuda message.
_IMAGE_BUILD = re.compile(r"^\s*RUN\s+(?:.*\s)?(?:conda|mamba|micromamba)\s+(?:install|create|env)\b|\b(?:Dockerfile|Containerfile)\b|\bdocker build\b"
                          r"|\bbuild(?:ing)? (?:a |the |my |our )?(?:docker |container )?image\b|\bimage build\b|^\s*#\d{1,3} \d+\.\d{1,3} ", re.I)
_NO_GPU_SAID = re.compile(r"\b(?:login|head) nodes?\b|\bCPU[- ](?:only )?(?:platform|machine|node|server|instance|runner|box)s?\b"
                          r"|\bwithout (?:any )?(?:NVIDIA )?GPUs?\b|\bmachines? (?:with no|without a) GPU\b|\b(?:don'?t|doesn'?t|do not|does not) have (?:a|any) (?:NVIDIA )?GPU\b", re.I)
_MAX_LINE = 2000


@dataclass(frozen=True)
class CondaRow:
    """A conda package the log shows installed or about to be: name, version, build string, channel ("" where the layout
    shows none), the transaction's section ("list", "install", "update", "downgrade", "supersede") and, for an update or a
    supersede written "old --> new", the build string it replaces ("" otherwise)."""

    package: str
    version: str
    build: str
    channel: str
    section: str
    replaces: str = ""

    @property
    def pin(self) -> bool:
        """Whether the package is a CUDA pin installed beside the framework (pytorch-cuda, cudatoolkit, cuda-version, the
        tensorflow-gpu metapackage)."""
        return self.package in _PIN_NAMES


def has_needle(low_text: str) -> bool:
    """Whether the (lower-cased) text may hold a conda row or a solver message worth the line pass."""
    return any(n in low_text for n in NEEDLES)


def _row(line: str, section: str) -> CondaRow | None:
    if "::" in line:
        new = line.rsplit("-->", 1)[1] if "-->" in line else line
        m = _PLAN_SPEC.search(new)
        if m is None:
            return None
        old = _PLAN_SPEC.search(line.rsplit("-->", 1)[0]) if "-->" in line else None
        return CondaRow(m.group("name").lower(), m.group("version"), m.group("build"), m.group("channel").lower(),  # the platform subdir is left out by the pattern
                        section, old.group("build") if old is not None else "")
    if "|" in line:
        m = _DOWNLOAD_ROW.match(line)
        if m is None:
            return None
        return CondaRow(m.group("name").lower(), m.group("version"), m.group("build"), (m.group("channel") or "").lower(), section)
    m = _LIST_ROW.match(line)
    if m is None:
        return None
    channel = (m.group("channel") or "").split("/")[0].lower()
    if channel.startswith(("http", "pypi")):
        channel = "" if channel.startswith("http") else channel
    return CondaRow(m.group("name").lower(), m.group("version"), m.group("build"), channel, section)


_ROW_CUES = ("torch", "tensorflow", "_select", "jaxlib", "cuda")
_IMAGE_CUES = ("run", "docker", "container", "image", "#")
_NO_GPU_CUES = ("node", "cpu", "gpu")


@lru_cache(maxsize=16)
def _line_cue(rows: bool, no_cuda: bool, said: bool, virtual: bool) -> re.Pattern[str]:
    """One pattern of the words a line needs for any reading the text's own needles left open (lower-cased lines)."""
    words = [*_SECTION_CUES, *(_ROW_CUES if rows else ()), *(("__cuda", *_IMAGE_CUES, *_NO_GPU_CUES) if no_cuda else ()),
             *(("cpu",) if said else ()), *(("virtual packages",) if virtual else ())]
    return re.compile("|".join(re.escape(w) for w in words))


def condasolve_lines(lines: list[str], low_text: str) -> Iterator[tuple[str, int, object, str]]:
    """(fact name, line number, value, line shown) for each sighting: "conda_row" (a ``CondaRow``), "conda_no_cuda" (the
    solver's words), "conda_virtual" (the driver's CUDA of __cuda=N, or "" for a listing without __cuda), "conda_cpu_said"
    (the writer's words), "conda_where" ("image_build" or "no_gpu": where a solve that missed __cuda ran)."""
    section = "list"
    rows = any(n in low_text for n in ("pytorch", "tensorflow", "_select", "jaxlib", "libtorch", "cudatoolkit", "cuda-version"))
    no_cuda = "__cuda" in low_text
    virtual = "virtual packages" in low_text
    said = "cpu" in low_text and ("conda" in low_text or "mamba" in low_text or "environment.y" in low_text)
    not_available = no_cuda and _NOT_AVAILABLE.search("\n".join(lines)) is not None
    image = no_gpu = False
    virtual_rows: list[str] = []
    virtual_start = 0
    # One search per line for every word a reading below needs (the readings' own tests follow): most lines of a log that
    # merely names conda (an /opt/conda path) hold none.
    cue = _line_cue(rows, no_cuda, said, virtual)
    for number, raw in enumerate(lines, 1):
        line = raw[:_MAX_LINE]
        low = line.lower()
        if not virtual_start and cue.search(low) is None:
            continue
        shown = line.strip()[:300]
        if virtual_start:
            more = _VIRTUAL_MORE.match(line)
            if more is not None:
                virtual_rows.append(more.group("pkg"))
                continue
            yield from _virtual(virtual_rows, virtual_start, lines)
            virtual_start, virtual_rows = 0, []
        if virtual and "virtual packages" in low and (start := _VIRTUAL_START.match(line)) is not None:
            virtual_start, virtual_rows = number, [start.group("first")]
            continue
        if any(cue in low for cue in _SECTION_CUES) and (m_section := _SECTION.search(line)) is not None:
            if m_section.group("search"):
                section = "search"
            elif m_section.group("listing"):
                section = "list"
            else:
                section = _SECTIONS[(m_section.group("conda") or m_section.group("mamba")).lower()]
            continue
        if rows and section not in ("search", "remove") and any(n in low for n in _ROW_CUES):
            row = _row(line, section)
            if row is not None:
                yield "conda_row", number, row, shown
        if no_cuda and "__cuda" in low and (m_none := _NO_CUDA.search(line)) is not None and ("->" not in m_none.group(0) or not_available):
            yield "conda_no_cuda", number, m_none.group(0).strip(), shown
        if said and "cpu" in low and (m_said := _CPU_SAID.search(line)) is not None:
            yield "conda_cpu_said", number, m_said.group(0), shown
        if no_cuda and not image and any(c in low for c in _IMAGE_CUES) and _IMAGE_BUILD.search(line):
            image = True
            yield "conda_where", number, "image_build", shown
        if no_cuda and not no_gpu and any(c in low for c in _NO_GPU_CUES) and _NO_GPU_SAID.search(line):
            no_gpu = True
            yield "conda_where", number, "no_gpu", shown
    if virtual_start:
        yield from _virtual(virtual_rows, virtual_start, lines)


def _virtual(rows: list[str], start: int, lines: list[str]) -> Iterator[tuple[str, int, object, str]]:
    """The virtual packages block read: the driver's CUDA of __cuda=N ("0" is conda's "no driver" on some releases), or ""
    where a Linux or Windows listing holds none. A macOS listing says nothing about an NVIDIA driver."""
    if any(r.startswith("__osx") for r in rows) or not any(r.startswith(("__linux", "__win")) for r in rows):
        return
    cuda = next((m.group(1) for r in rows if (m := _VIRTUAL_CUDA.match(r)) is not None), None)
    if cuda is not None and cuda in ("0", "0.0"):
        cuda = ""
    yield "conda_virtual", start, cuda or "", lines[start - 1].strip()[:300]
