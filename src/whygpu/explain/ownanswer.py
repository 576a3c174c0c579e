"""A framework's or program's own answer that it has no GPU, in the forms and layouts the other readers leave (accnogpu, session 23).

Three readings, each of what the words mean rather than of one program's message:

- A program's own notice that its work runs on the CPU (``cpu_notice``): the CPU as the subject of a passive of use
  ("CPU is being used for this transcription, this process may take a while.", "The CPU will be used for inference"),
  the work put on the CPU in the future or now ("No CUDA device found, the model will run on CPU."), and the run said to
  be without a GPU ("It looks like you are running medaka without a GPU and attempted to set a high number of
  threads"). Programs print such a line after their own device test (``'cuda' if torch.cuda.is_available() else
  'cpu'``, TensorFlow's device list): the line says the framework found no GPU, not why. Read in a program's line, in
  a message the writer quotes and in the writer's own sentence, as long as the sentence asserts it (not a yes/no
  question, a condition, advice, hearsay or a state that is over: ``explain.grammar``), it is not code that prints it
  (``print("...")``, ``logger.warning("...")``), it is not a utilisation ("the CPU is being used at 100%") and the
  sentence does not give the GPU its own share of the work ("the CPU is used for decoding and the GPU for the model").
- A local version tag of PyTorch's wheels written with markup between the name and the version (``**PyTorch
  `2.9.1+cpu`**``, ``| torch | 2.1.0+cpu |``, ``PyTorch: *2.3.0+cu121*``, ``torch: `2.1.0+cpu```;
  ``marked_torch_version``). Every wheel of download.pytorch.org carries its build in the local tag (+cpu, +cu121):
  https://pytorch.org/get-started/locally/.
- Packages that are CPU builds by definition (``cpu_packages``): their names and the package manager that installs
  them are knowledge/cpu_packages.toml's, each with its public source (tensorflow-cpu, faiss-cpu, conda's cpuonly and
  pytorch-cpu, apt's tensorflow-model-server, the OpenCvSharp NuGet packages...). Read from an install command (as
  ``explain.installstate.install_commands`` reads it, with its package manager), a package listing's row or the
  writer's words that it is installed or used; not from a question, advice, a removal or a condition.
- A framework's plain install (``plain_installs``, accinstall, session 25): an install command the writer ran (on its own
  line, in a Dockerfile's RUN, or said as done) that names a framework with no GPU extra, build tag or GPU index
  (``pip install torch``, ``pip install jax jaxlib``, ``pip3 install tensorflow==1.15.2``, ``pip install llama-cpp-python``).
  Which names are plain installs is knowledge/cpu_packages.toml's ([[plain_install]]); what one gives on the log's
  platform and release is ``knowledge.cpu_packages.plain_install_build``'s (LOG291 asks it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar, works
from whygpu.explain.installstate import install_commands, parse_requirement
from whygpu.knowledge.cpu_packages import CpuPackage, PlainInstall, cpu_only_package, plain_install

# --- a program's notice that it runs on the CPU --------------------------------------------------------------------

_CPU = r"(?:the\s+)?cpu(?:\s+(?:device|mode|backend))?"
# The work a notice names (the whole run, not one part of it such as decoding or data loading).
_WHOLE_WORK = (r"(?:(?:this|the|your|all|every)\s+)?(?:transcriptions?|inference|training|generation|predictions?|computations?|calculations?"
               r"|evaluation|the\s+model|models?|(?:this|the)\s+(?:task|run|job|session|process|request|step))\b")
_NOTICE = re.compile(
    # The CPU as the subject of a passive of use, of now or of what comes next; with the whole work, "instead", or
    # nothing after it in its clause ("CPU will be used.", "CPU is being used, this may take a while").
    rf"\b{_CPU}\s+(?:is\s+being|is\s+now|is|will\s+be|will\s+now\s+be|'ll\s+be|gets|shall\s+be)\s+(?:used|utili[sz]ed|selected|chosen)"
    rf"(?=\s+(?:for|to\s+(?:run|do|perform|compute|process))\s+{_WHOLE_WORK}|\s+instead\b|\s*(?:[.,;!:)`'\"]|$))"
    # The work put on the CPU from now on ("the model will run on CPU", "inference will be performed on the CPU").
    r"|\b(?:will|'ll|shall|is\s+going\s+to)\s+(?:now\s+|only\s+)?(?:be\s+)?(?:run|running|done|performed|executed|computed|processed|carried\s+out|happen)"
    r"\s+(?:on|using|with)\s+(?:the\s+)?cpu\b(?!\s*(?:threads?|cores?|workers?|side))"
    # A progress line whose work is on the CPU, ending there ("Transcribing on CPU...", "[2/3] Generating on the CPU.");
    # not a gerund subject ("Training on CPU is slow" says what such a run is like).
    r"|^\W*(?:\[[^\]\n]{0,40}\]\s*)?[A-Za-z]+ing\s+(?:[\w.-]+\s+){0,3}?on\s+(?:the\s+)?cpu\b(?=\s*(?:\.{2,}|…|[.!]?\s*$|,\s*(?:this|it|which)\b))"
    # The program's label of the device its work runs on, with the CPU as the value ("Inference device: CPU").
    r"|\b(?:inference|compute|computation|computing|execution|processing|training|transcription|generation|selected|running)\s+device(?:\s+used)?\s*[:=]\s*['\"`]?cpu\b"
    # The run without a GPU, in the progressive ("you are running medaka without a GPU", "Running without a GPU").
    r"|\b(?:(?:are|is|am|'re)\s+running\s+(?:[\w.-]+\s+){0,2}?|^\W*(?:warning\W*)?running\s+)without\s+(?:a\s+|any\s+)?(?:nvidia\s+|cuda\s+)?(?:gpus?|cuda)\b",
    re.I | re.M)
# accwords (session 28): the program's record of the device it chose, in the short forms programs print after their device
# test (``device = 'cuda' if torch.cuda.is_available() else 'cpu'; print(f"Using {device}")``; stable-baselines3's
# ``Using {device} device`` in common/utils.py get_device's caller BaseAlgorithm.__init__,
# https://github.com/DLR-RM/stable-baselines3/blob/master/stable_baselines3/common/base_class.py; cellpose's ">>>> using CPU",
# core.assign_device; DeepFaceLab's "Using device CPU"): "Using CPU", "Using the CPU", "Using device: cpu", "Using cpu device",
# "Running on CPU", "Running on device: cpu", "Selected device: cpu", "falling back to CPU". The words are a program's only where a program wrote
# them: first on a line of their own (after a log record's prefix, which the reader has taken off up to a warning level),
# right after an opening quotation mark (a message the writer quotes: it prints "Using CPU"), or after a comma closing a
# quoted or printed no-GPU clause ("CUDA not available, using CPU"); and only when nothing after them but an end, "instead",
# the whole work or the slowness warning programs add continues the clause ("Using CPU works fine" makes them a subject, the
# writer's, and "Using CPU to create model" one step's). A writer's own "it is using CPU" is statements' (the writer's words).
# accdevice (session 29): transformers' pipeline says "Device set to use cpu" (pipelines/base.py, after resolving its device:
# the GPU when torch finds one and no device was given), the same record of a device chosen by the framework's answer.
_CHOSEN_FORM = (r"(?:fall(?:ing|s)?\s+back|defaulting)\s+(?:to|on)\s+(?:the\s+)?cpu(?:\s+(?:device|mode|backend))?"
                r"|device\s+set\s+to\s+(?:use\s+)?['\"`]?cpu['\"`]?"
                r"|(?:using|running\s+on|selected)\s+(?:the\s+)?(?:device\s*[:=]?\s*)?['\"`]?cpu['\"`]?(?:[:.]?\d)?(?:\s+device\b)?"
                r"|using\s+(?:the\s+)?cpu\s+(?:backend|device|mode)\b")
_CHOSEN_END = (rf"(?=\s*(?:$|[.!\u2026]|[\"'`\u201d\u2019)]|\(|\s+instead\b|\s+(?:for|to\s+(?:run|do|perform|compute|process))\s+{_WHOLE_WORK}"
               r"|\s*[,;:\u2014-]+\s*(?:but\s+)?(?:this|it|which|that|processing|inference|training|generation|everything)\s+(?:will|may|might|can|could|is\s+going\s+to|would)\b))")
_CHOSEN = re.compile(
    # On a line of its own, after what a log record or a paste leaves before the message (a warning level, a program's tag,
    # ">>" markers, a list's dash).
    r"^[\s>*`'\"\u201c-]*(?:\[?(?:WARNING|WARN|W|NOTE|NOTICE)\]?\s*[:|\]-]?\s+)?(?:\[[\w .:/-]{1,30}\]\s*|[\w.-]{1,30}:\s+)?(?:>+\s*)?"
    rf"(?:{_CHOSEN_FORM}){_CHOSEN_END}"
    # Right after an opening quotation mark: the message quoted ("it prints `Using CPU`", 'the log says "Running on CPU."').
    rf"|(?<=[\"'`\u201c\u2018])(?:{_CHOSEN_FORM}){_CHOSEN_END}"
    # After a comma that closes a no-GPU clause of the same message ("CUDA not available, using CPU", "No GPU found; using
    # the CPU instead"): the clause before it must say the GPU is missing (checked by the caller's test of the sentence).
    rf"|(?<=[,;])\s+(?:so\s+|will\s+be\s+|now\s+)?(?:{_CHOSEN_FORM}){_CHOSEN_END}",
    re.I | re.M)
_NO_GPU_BEFORE = re.compile(r"\b(?:no|not|unavailable|without|cannot|can't|could\s+not|couldn't|fail\w*|missing|disabled)\b[^,;]*[,;]\s*\S*\s*$", re.I)


# A utilisation, not a placement: "the CPU is being used at 100%", "heavily", "by another process".
_MEASURE = re.compile(r"\s*(?:at\s+|to\s+|up\s+to\s+)?(?:\d+\s*%|100|heavily|fully|a\s+lot|more|less|intensively|by\s+(?:other|another|some))", re.I)
# Code that prints the words ("print(\"CPU will be used\")", "logger.warning('running without a GPU')"): the program's
# source, not its output.
_IN_CALL_STRING = re.compile(r"\b\w+\s*\(\s*[fFrRbBuU]?[\"'][^\"']*$")
# The GPU given its own share of the work in the same sentence: the CPU's part is one part ("the CPU is used for the
# tokenizer and the GPU for the model"); not when the GPU is said to be missing or unused.
_FIRST_PERSON = re.compile(r"\b(?:i\s+am|i'm|im|we\s+are|we're)\s+running\b", re.I)
_GPU_WORD = re.compile(r"\b(?:gpus?|cuda)\b", re.I)
_GPU_LACKING = re.compile(r"\b(?:no|not|without|instead|unavailable|absent|missing|cannot|can't|could\s+not|couldn't|fail\w*|n't|found|detected|idle|unused)\b", re.I)


def _notices(text: str) -> Iterator[re.Match[str]]:
    """The candidate notices of a line: the sentence forms, then the device choice's short forms (``_CHOSEN``)."""
    yield from _NOTICE.finditer(text)
    for m in _CHOSEN.finditer(text):
        after_comma = m.start() > 0 and text[m.start() - 1] in ",;"
        if after_comma and not _NO_GPU_BEFORE.search(text, 0, m.start()):
            continue  # "After the update, using CPU ..." is no message's clause: only after a no-GPU clause
        if works.partial(text, m.group(0).strip()):
            continue  # one part of the work put on the CPU (llama.cpp's "tensor ... cannot be used with ..., using CPU instead")
        yield m


def cpu_notice(text: str) -> re.Match[str] | None:
    """The words of a line in which a program (or the writer) says the work runs on the CPU, asserted of now, or None."""
    if "cpu" not in text.lower() and "without" not in text.lower():
        return None
    if len(text) > 2000 or grammar.code_comment(text):
        return None
    for m in _notices(text):
        if _MEASURE.match(text, m.end()) or _IN_CALL_STRING.search(text, 0, m.start()):
            continue
        if _FIRST_PERSON.search(text, max(0, m.start() - 12), m.end()):
            continue  # "I am running it without a GPU": the writer's own setup, not the program's finding
        left, right = grammar.sentence_at(text, m.start(), m.end())
        sentence = text[left:right]
        if _GPU_WORD.search(sentence) and not _GPU_LACKING.search(sentence):
            continue
        if grammar.in_code(text, m.start(), m.end()):
            continue
        if grammar.asked(text, left, right, m.start(), m.end()) or grammar.hearsay(text, left, right):
            continue
        if grammar.supposed(text, left, right, m.start(), m.end()) or grammar.advised(text, left, m.start(), m.end()):
            continue
        if grammar.over(text, left, right, m.end()):
            continue
        return m
    return None


def cpu_notices(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Each line (number, the line) holding a program's notice that the work runs on the CPU."""
    for number, line in enumerate(lines, 1):
        low = line.lower()
        cued = "without" in low or ("cpu" in low and any(w in low for w in (" used", " utili", " selected", " chosen", " on ", "using", "device")))
        if cued and cpu_notice(line) is not None:
            yield number, line.strip()


# --- a program's GPU switch shown unavailable in its own window (accapps, session 27) -------------------------------

# Desktop programs built on a framework test it before they offer the GPU, and grey out (disable) their "use GPU"
# switch when the test fails: cellpose's GUI (cellpose/gui/gui.py, check_gpu: `self.useGPU.setEnabled(False)` unless
# core.use_gpu() could move a tensor to cuda:0, https://github.com/MouseLand/cellpose/blob/main/cellpose/gui/gui.py),
# and the same pattern in other Qt/Tk front ends. The writer's words that the switch is greyed out, disabled or cannot
# be ticked are that test's answer: the framework found no GPU, not why (LOG104 ranks the causes). Read when one
# sentence names the GPU, a switch of the window (check box, option, button, toggle) and its state, asserted; not the
# writer's own act ("I disabled the GPU option"), a question, a condition or advice.
_SWITCH = r"(?:check\s?box(?:es)?|tick\s?box(?:es)?|box|option|button|toggle|switch|radio\s+button|setting|menu\s+(?:item|entry)|drop-?down)"
_GREYED = (r"(?:gr[ae]y(?:ed)?(?:[- ]?out)?|disabled|unclickable|inactive|not\s+(?:clickable|selectable|checkable|tickable|enabled|"
           r"available\s+to\s+(?:check|select|tick)))")
_SWITCH_GREYED = re.compile(
    # "the GPU checkbox is greyed out", "the 'use GPU' option remains disabled", "GPU box greyed"
    rf"\b(?:use\s+)?(?:gpu|cuda)\b['\"`]?\s+{_SWITCH}(?:\s+(?:in|on|of|under)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?)?\s+"
    rf"(?:(?:is|are|was|were|remains?|stays?|appears|looks|seems|gets|got|keeps?\s+being)\s+)?"
    rf"(?:(?:still|always|now|just|completely|permanently)\s+)?(?:(?:to\s+be|being)\s+)?{_GREYED}\b"
    # "the checkbox is greyed out" with the GPU named earlier in the sentence ("I cannot activate the GPU and the checkbox is greyed out")
    rf"|\bgpu\b[^.!?\n]{{0,80}}?\b(?:the|its|this|that)\s+{_SWITCH}\s+(?:is|are|was|were|remains?|stays?|appears|looks|seems)\s+(?:(?:still|always|now|just)\s+)?{_GREYED}\b"
    # "a greyed-out GPU option", "the GPU option greyed out"
    rf"|\b{_GREYED}\s+['\"`]?(?:use\s+)?(?:gpu|cuda)['\"`]?\s+{_SWITCH}"
    # "I cannot tick the GPU box", "can't select the 'Use GPU' option"
    rf"|\b(?:can\s?not|can't|cant|unable\s+to|not\s+able\s+to)\s+(?:check|select|tick|enable|click|toggle)\s+(?:on\s+)?(?:the\s+)?['\"`]?(?:use\s+)?(?:gpu|cuda)['\"`]?\s+{_SWITCH}",
    re.I)
# The switch's state in a match, where a sentence names it after the GPU ("... the GPU and the checkbox is greyed out").
_STATE = re.compile(rf"\b(?:the|its|this|that)\s+{_SWITCH}\s+(?:is|are|was|were|remains?|stays?|appears|looks|seems)\b", re.I)
# The writer's own act on the switch ("I disabled the GPU option", "we unchecked it"): a choice, not the program's answer.
_OWN_ACT = re.compile(r"\b(?:i|we)\s+(?:have\s+|had\s+|just\s+)?(?:disabled|greyed|grayed|unchecked|unticked|turned\s+off|switched\s+off)\b", re.I)


def gpu_switch_unavailable(text: str) -> re.Match[str] | None:
    """The writer's words that a program's own GPU switch is greyed out or disabled in its window, asserted of now, or None."""
    if len(text) > 2000 or grammar.code_comment(text):
        return None
    for m in _SWITCH_GREYED.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if _OWN_ACT.search(text, left, right) or grammar.in_code(text, m.start(), m.end()):
            continue
        # The clause of the state itself ("the checkbox is greyed out") decides advice and supposition, not a clause
        # before it in the sentence ("as you can see in the image, ... the checkbox is greyed out").
        state = _STATE.search(text, m.start(), m.end())
        at = state.start() if state is not None and state.start() > m.start() else m.start()
        if grammar.asked(text, left, right, m.start(), m.end()) or grammar.hearsay(text, left, right):
            continue
        if grammar.supposed(text, left, right, at, m.end()) or grammar.advised(text, left, at, m.end()):
            continue
        if grammar.over(text, left, right, m.end()):
            continue
        return m
    return None


def gpu_switches_unavailable(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Each line (number, the line) in which a program's GPU switch is said to be greyed out or disabled."""
    for number, line in enumerate(lines, 1):
        low = line.lower()
        cued = ("gpu" in low or "cuda" in low) and any(w in low for w in ("grey", "gray", "disabled", "clickable", "inactive", "selectable", "checkable", "tick", "can"))
        if cued and gpu_switch_unavailable(line) is not None:
            yield number, line.strip()


# --- PyTorch's local version tag with markup between the name and the version --------------------------------------

# The name, then only markup and separators (bold, italics, backticks, a table's pipes, a colon, "version"), then a
# version with PyTorch's local tag. The plain forms ("torch 2.1.0+cpu", "torch==2.1.0+cpu") are logfacts' own.
_MARKED_TORCH = re.compile(
    r"(?<![\w/.-])(?:PyTorch|torch)(?:\s+version)?(?=[\s*_`|:]*[*_`|])[\s*_`|:]{1,12}v?(\d+\.\d+(?:\.\d+)?)\+(cpu|cu\d{2,3})(?![\w.])", re.I)


def marked_torch_version(text: str) -> re.Match[str] | None:
    """PyTorch's version with its local tag written with markup around it (``**PyTorch `2.9.1+cpu`**``), or None: group 1 the release, 2 the tag."""
    if "+" not in text or "torch" not in text.lower():
        return None
    return _MARKED_TORCH.search(text)


# --- OpenCV's build information ------------------------------------------------------------------------------------

# cv2.getBuildInformation() (and the CMake summary of an OpenCV build, the same text) lists "NVIDIA CUDA: YES (ver ...)" /
# "NVIDIA CUDA: NO" (OpenCV's CMakeLists.txt: status("  NVIDIA CUDA:" HAVE_CUDA THEN "YES (ver ...)" ELSE NO),
# https://github.com/opencv/opencv/blob/4.x/CMakeLists.txt; getBuildInformation() returns that summary,
# https://docs.opencv.org/4.x/db/de0/group__core__utils.html; 2.x-3.x builds: "Use Cuda: NO"): the build's own answer whether
# it has CUDA. Read only in a log about OpenCV's CUDA (its CUDA module, a GpuMat, the device count, the DNN
# CUDA backend): a build summary pasted beside another framework's problem is not the program that went without the GPU.
_OPENCV_BUILD_CUDA = re.compile(r"^[\s>|-]*(?:NVIDIA CUDA|Use Cuda)\s*:\s*(YES|NO)\b", re.I)
_OPENCV_CUDA_USE = re.compile(r"\bcv2?\.cuda\b|\bcv::cuda\b|\bcuda::\w|\bGpuMat\b|\b[Gg]etCudaEnabledDeviceCount\b|DNN_(?:BACKEND|TARGET)_CUDA|\bOpenCvSharp\b|\bCudaInvoke\b")


def opencv_build_cuda(text: str) -> bool | None:
    """OpenCV's build information line on CUDA: True (YES), False (NO), or None for any other line."""
    if "cuda" not in text.lower():
        return None
    m = _OPENCV_BUILD_CUDA.match(text)
    return None if m is None else m.group(1).upper() == "YES"


def about_opencv_cuda(text: str) -> bool:
    """Whether a log is about OpenCV's CUDA support (it uses its CUDA module, a GpuMat, the device count or the DNN CUDA backend)."""
    return _OPENCV_CUDA_USE.search(text) is not None


# --- packages that are CPU builds by definition --------------------------------------------------------------------

# A line can name one of the table's packages only if it holds one of these (lower case; a cheap test first).
PACKAGE_CUES = ("cpu", "model-server", "mxnet", "paddlepaddle", "opencvsharp", "intel-tensorflow", "intel_tensorflow")
# A listing's row: the name first, then a version (pip list, conda list, dpkg -l's "ii  name  version").
_ROW = re.compile(r"^[\s>*|-]*(?:ii\s+)?(?P<name>[A-Za-z][\w.+-]*)(?:\s+|==|\s*\|\s*)v?\d+\.\d+\S*(?:\s+\S+){0,3}\s*\|?\s*$")
# The writer's words that it is there: "I use X", "I installed X", "X is installed", "installed X via NuGet".
_SAID = re.compile(r"\b(?:i|we)\s+(?:(?:have|had|am|was|are|were|also|then|just)\s+)*(?:installed|install|use|used|using|added|add|got|downloaded)\s*:?\s+(?P<name>[A-Za-z][\w.+-]*)", re.I)
# A command's verbs that put packages in (the commands themselves are read by explain.installstate.install_commands).
_INSTALLING = frozenset({"install", "add", "create", "update", "upgrade"})
# Words before a command that make it no install: a removal, a query, a download, a requirements file.
_NOT_INSTALLED = re.compile(r"\b(?:uninstall|remove|purge|erase|show|search|info|download|list)\b|\bpip\s+install\s+-r\b", re.I)


def cpu_packages(text: str) -> Iterator[tuple[CpuPackage, str]]:
    """Each CPU-only package a line shows installed or in use (the knowledge row, and the name as written)."""
    if grammar.code_comment(text) or len(text) > 2000:
        return
    found: list[tuple[str, str | None, bool]] = []
    for command in install_commands(text):
        if command.verb not in _INSTALLING or _NOT_INSTALLED.search(text, 0, command.start):
            continue
        if not grammar.said(text, command.start, command.end, quotes=False):
            continue
        for requirement in command.requirements:
            if requirement.extras:  # with its extras ("jax[cpu]"), then without
                found.append((requirement.name + requirement.extras, command.manager, False))
            found.append((requirement.name, command.manager, False))
    if (row := _ROW.match(text)) is not None:
        found.append((row.group("name"), None, False))
    for m in _SAID.finditer(text):
        if grammar.said(text, m.start(), m.end(), quotes=False):
            found.append((m.group("name"), None, True))
    seen: set[str] = set()
    for written, by, in_words in found:
        package = cpu_only_package(written.rstrip(".,:"), by, said=in_words)
        if package is not None and package.name not in seen:
            seen.add(package.name)
            yield package, written


# --- a framework's plain install (accinstall, session 25) ------------------------------------------------------------

# A line can name one of the table's distributions in an install or a requirements file only if it holds one of these (lower case).
PLAIN_CUES = ("torch", "jax", "tensorflow", "llama")
# A Dockerfile's RUN instruction (https://docs.docker.com/reference/dockerfile/#run; after a label, "Dockerfile: RUN ..."),
# a CI step's "run:" key, with a shell chain before the command ("apt-get update && pip install ..."): what stands before a
# command the build runs.
_BUILD_STEP = re.compile(r"^\s*(?:[-*>]\s+)?(?:[\w.-]+:\s+)?(?:RUN|run:)\s+(?:[^\n#]*?(?:&&|;)\s*)?(?:\\\s*)?$")


@dataclass(frozen=True)
class PlainInstallSeen:
    """One plain install a line shows: the knowledge row, the requirement as written, its version part, and whether a
    build step (a Dockerfile's RUN) ran it: an image build, so a Linux one."""

    package: PlainInstall
    written: str
    spec: str
    build_step: bool

    def __str__(self) -> str:
        return f"{self.written} ({self.package.framework})"


# Words of the sentence, not of the command: the command's words end before the first of them ("pip install rembg and
# then torch", "pip install jax but it fails"): a name after one is the sentence's, not a package the command installs.
_PROSE_WORD = re.compile(r"(?<![\w./=-])(?:and|but|then|or|so|which|that|it|to|with|for|on|in|is|was|were|after|before|because|"
                         r"when|while|installing|installed|using|from|via|the|a|an|i|we|my)(?![\w./=-])", re.I)
# A span the writer struck through (Markdown's ~~...~~): words taken back.
_STRUCK = re.compile(r"~~[^~\n]+~~")


def plain_installs(text: str) -> Iterator[PlainInstallSeen]:
    """Each plain install of a framework a line shows run: pip's command on its own line, in a build step or in the writer's
    sentence said as done; not in a question, advice, a condition, a removal, a struck-through span or a command that
    installs from a requirements file only."""
    if grammar.code_comment(text) or len(text) > 2000:
        return
    struck = [m.span() for m in _STRUCK.finditer(text)] if "~~" in text else []
    for command in install_commands(text):
        if command.verb not in _INSTALLING or _NOT_INSTALLED.search(text, 0, command.start):
            continue
        if any(a <= command.start < b for a, b in struck):
            continue
        build_step = _BUILD_STEP.match(text[:command.start]) is not None
        if not (build_step or grammar.said(text, command.start, command.end, quotes=False)):
            continue
        words = text[command.start:command.end]
        prose = _PROSE_WORD.search(words, len(words.split(None, 2)[0]) if words.split() else 0)
        stop = prose.start() if prose else len(words)
        for requirement in command.requirements:
            at = words.find(requirement.written)
            if at < 0 or at > stop:
                continue
            package = plain_install(requirement.name, command.manager, extras=requirement.extras, spec=requirement.spec, sources=command.sources)
            if package is not None:
                yield PlainInstallSeen(package, requirement.written, requirement.spec, build_step)


# The writer's words that a requirements file names a framework plainly ("torch is listed in requirements.txt", "the
# requirements file pins jax==0.4.30", "requirements.txt just has tensorflow"): pip install -r installs what the file names
# from the default index, as a command naming it would (a file with an index line of its own is not this: its words would
# say so, "--index-url" in the log, and the row's GPU pattern or the index keeps the reading quiet).
_REQ_FILE = r"(?:the\s+|its\s+|their\s+|your\s+)?(?:requirements(?:[\w.-]*\.txt|\s+file)?|setup\.py|pyproject(?:\.toml)?|environment\.ya?ml)"
_REQ_NAME = r"[`'\"*]*(?P<req>[A-Za-z][\w.-]*(?:\[[^\]\s]*\])?(?:\s*(?:===?|>=|~=)\s*[\d.*]+)?)[`'\"*]*"
_IN_REQUIREMENTS = (
    re.compile(r"(?<![\w.-])" + _REQ_NAME + r"\s+(?:is\s+|was\s+|are\s+|were\s+)?(?:(?:only|just|simply)\s+)?(?:listed|pinned|specified|included|named|required)"
               r"\s+(?:as\s+\S+\s+)?in\s+" + _REQ_FILE, re.I),
    re.compile(r"\b" + _REQ_FILE + r"\s+(?:only\s+|just\s+|simply\s+)?(?:has|had|lists|listed|contains|contained|includes|included|pins|pinned|specifies|specified|names|named)"
               r"\s+(?:only\s+|just\s+|a\s+plain\s+|plain\s+|the\s+plain\s+)?" + _REQ_NAME, re.I),
)


def plain_requirements(text: str) -> Iterator[PlainInstallSeen]:
    """Each framework a requirements file is said to name plainly, in the writer's sentence said as a fact."""
    if "require" not in text.lower() and "setup.py" not in text.lower() and "pyproject" not in text.lower():
        return
    for m in (m for rx in _IN_REQUIREMENTS for m in rx.finditer(text)):
        parsed = parse_requirement(m.group("req"))
        if parsed is None or not grammar.said(text, m.start(), m.end(), quotes=False):
            continue
        requirement = parsed[1]
        spec = requirement.spec.replace(" ", "")
        package = plain_install(requirement.name, "pip", extras=requirement.extras, spec=spec)
        if package is not None:
            yield PlainInstallSeen(package, m.group("req"), spec, False)
