"""The application's own choice of the CPU, read from what its programs print and what its command lines and calls mean (accapps, session 22).

Three readings, each from a documented source for what the program does:

- the llama.cpp family's start-up lines: koboldcpp prints the backend library it loads ("Initializing dynamic library:
  koboldcpp_<backend>.so|dll", koboldcpp.py ``init_library``); a CPU library (default, OpenBLAS, noavx2, failsafe) loaded
  although the command line asked for CUDA (``--usecublas``) is the CPU build the program fell back to;
- the llama.cpp family's offload setting on a command line: ``-ngl 0`` / ``--n-gpu-layers 0`` / ``--gpulayers 0`` (or
  koboldcpp's ``--usecublas`` with no ``--gpulayers`` in the releases whose default is 0) asks for no layer on the GPU;
- calls that put the work on the CPU: ``jax.config.update('jax_platform_name', 'cpu')``, ``numpyro.set_platform('cpu')``,
  a CTranslate2 ``Generator``/``Translator``/``Encoder``/``Whisper`` built without ``device=`` (its documented default is
  "cpu") in a log that says the GPU is available or that the work ran on the CPU, and the writer's own diagnosis that
  the platform or device is set to (or defaults to) the CPU.

Never read: a question, a condition (``if not torch.cuda.is_available(): ...``), the fallback idiom
``'cuda' if torch.cuda.is_available() else 'cpu'``, advice ("try -ngl 0"), a commented-out line, or a run the writer
says is on the CPU on purpose (knowledge.cpu_choice's [[wanted]] rows, asked through LogFacts.cpu_is_goal).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from whygpu import lazyre as re
from whygpu.explain import answers, grammar
from whygpu.knowledge.cpu_choice import placement_scoped, wanted_on
from whygpu.knowledge.device_settings import cpu_pin, pin_completed

# koboldcpp.py (LostRuins/koboldcpp, init_library): the library names it loads; the CPU ones carry no GPU backend.
KOBOLD_SOURCE = "https://github.com/LostRuins/koboldcpp/blob/concedo/koboldcpp.py"
_KOBOLD_LIB = re.compile(r"Initializing dynamic library:\s*koboldcpp_(\w+?)\.(?:dll|so|dylib)\b")
_KOBOLD_CPU_LIBS = frozenset({"default", "openblas", "openblas_noavx2", "noavx2", "failsafe"})
_KOBOLD_CUDA_LIBS = frozenset({"cublas"})
# CUDA asked for: the command-line flag, or koboldcpp's echoed argparse Namespace with usecublas set (not None).
_CUDA_ASKED = re.compile(r"(?:^|\s)--use(?:cublas|cuda)\b(?!\s*=\s*None)|\busecublas=\[")

# llama.cpp (common/arg.cpp: -ngl, --gpu-layers, --n-gpu-layers), koboldcpp (--gpulayers), llama-cpp-python
# (n_gpu_layers=): the number of layers put on the GPU; 0 keeps every layer on the CPU.
LLAMA_SOURCE = "https://github.com/ggml-org/llama.cpp/blob/master/common/arg.cpp"
_LAYERS = re.compile(r"(?:(?<=\s)|^)(?:-ngl|--n-gpu-layers|--gpu-layers|--gpulayers)(?:\s+|=)(-?\d+)\b|\bn_gpu_layers\s*=\s*(-?\d+)\b")
# A command line of the family: the program's name first (a path, an .exe, python koboldcpp.py), after a prompt or not.
_LLAMA_COMMAND = re.compile(
    r"^\s*(?:[$#>%]\s*|\S*>\s*)?(?:python3?\s+)?\S*(?:koboldcpp|llama-cli|llama-server|llama-bench|\bmain|\bserver)(?:[\w.-]*)?(?:\.exe|\.py)?\s+-",
    re.I)
_KOBOLD_COMMAND = re.compile(r"^\s*(?:[$#>%]\s*|\S*>\s*)?(?:python3?\s+)?\S*koboldcpp[\w.-]*(?:\.exe|\.py)?\s+-", re.I)
# koboldcpp's later releases choose the layers themselves when --gpulayers is absent (default -1, "autodetect").
_AUTO_LAYERS = re.compile(r"Auto (?:Recommended|Set) GPU Layers|gpulayers=-1\b", re.I)

# Calls that set the platform: JAX's config flag (jax/_src/config.py, jax_platform_name), NumPyro's set_platform
# (numpyro/util.py, which sets that flag).
JAX_SOURCE = "https://jax.readthedocs.io/en/latest/config_options.html"
NUMPYRO_SOURCE = "https://num.pyro.ai/en/stable/utilities.html#set-platform"
_PLATFORM_CALL = re.compile(
    r"\bjax\.config\.update\(\s*['\"]jax_platforms?(?:_name)?['\"]\s*,\s*['\"]cpu['\"]\s*\)"
    r"|\bconfig\.update\(\s*['\"]jax_platforms?(?:_name)?['\"]\s*,\s*['\"]cpu['\"]\s*\)"
    r"|\b(?:numpyro\.)?set_platform\(\s*(?:platform\s*=\s*)?['\"]cpu['\"]\s*\)")

# CTranslate2's Python classes (python/cpp/generator.cc, translator.cc, encoder.cc, whisper.cc): py::arg("device")="cpu".
CT2_SOURCE = "https://github.com/OpenNMT/CTranslate2/blob/master/python/cpp/generator.cc"
_CT2_CALL = re.compile(r"\bctranslate2\.(?:Generator|Translator|Encoder)\(([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)")
_CT2_DEVICE = re.compile(r"\bdevice\s*=|^\s*[^,]+,\s*['\"](?:cuda|auto)['\"]")

# The writer's diagnosis: the platform / device / library is set to (or defaults to) the CPU.
_SET_TO_CPU = re.compile(
    r"\b(?:platform|(?:default\s+)?device|backend)\s+(?:is|was|gets|got|has\s+been|had\s+been)\s+(?:(?:silently|always|automatically|forcibly)\s+)?"
    r"(?:set|switched|forced|changed|reset|fixed|pinned)\s+to\s+[`'\"]?cpu\b[`'\"]?"
    r"|\b(?:platform|(?:default\s+)?device|backend)\s+defaults\s+to\s+[`'\"]?cpu\b",
    re.I)

# The fallback idiom and conditions on the framework's answer: a choice made by what the framework finds, not against it.
_FALLBACK = re.compile(r"is_available\(\)|\bif\b[^\n]*\bcpu\b|\belse\s+['\"]cpu['\"]", re.I)
# The log says the work ran on the CPU.
_RAN_ON_CPU = re.compile(
    r"\b(?:runs?|running|ran|executes?|executed|uses?|using|used|goes|went|is|was|stays?|stayed)\s+(?:only\s+)?(?:on|to)\s+(?:the\s+)?cpu(?:\s+only)?\b"
    r"|\bcpu\s+only\b|\buses\s+the\s+cpu\b",
    re.I)


def _quiet_line(line: str, start: int) -> bool:
    """Whether the call at ``start`` of ``line`` is commented out, under a condition, or part of the fallback idiom."""
    if grammar.code_comment(line) or ("#" in line[:start] and not line.lstrip().startswith(("$", "#!"))):
        return True
    return _FALLBACK.search(line) is not None


# acconpurpose (session 35): the writer's words that the CPU run is meant (on purpose, by design, "I want it to run on the
# CPU"), that they took the GPU away themselves ("I have disabled the GPU using export CUDA_VISIBLE_DEVICES=-1", "we hid the
# GPUs"), or that a setting is made for a CPU run ("to force the CPU I set ...", "for a CPU-only baseline") are rows of
# knowledge/cpu_choice.toml's [[wanted]] table; this module asks them line by line (knowledge.cpu_choice.wanted_on), and the
# log's readers ask the log's decision (LogFacts.cpu_is_goal, knowledge.cpu_choice.cpu_goal).


def kobold_library(lines: Sequence[str]) -> Iterator[tuple[int, str, bool]]:
    """Each koboldcpp library the log shows loaded: (line number, library, whether it is a CUDA one); other backends (CLBlast, Vulkan, hipBLAS) are not reported."""
    for number, line in enumerate(lines, 1):
        if "koboldcpp_" not in line:
            continue
        m = _KOBOLD_LIB.search(line)
        if m is None:
            continue
        name = m.group(1).lower()
        if name in _KOBOLD_CPU_LIBS:
            yield number, name, False
        elif name in _KOBOLD_CUDA_LIBS:
            yield number, name, True


def cuda_asked(text: str) -> bool:
    """Whether the log shows koboldcpp/llama.cpp asked for CUDA (``--usecublas``/``--usecuda`` on a command line, or usecublas set in koboldcpp's echoed arguments)."""
    return any(_CUDA_ASKED.search(line) is not None and ("--use" not in line or _KOBOLD_COMMAND.search(line) is not None)
               for line in text.split("\n") if "cublas" in line or "--usecuda" in line)


def zero_layers(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Each command line of the llama.cpp family (or a Llama(...) call) that asks for no layer on the GPU: ``-ngl 0``, ``--gpulayers 0``, ``n_gpu_layers=0``; koboldcpp's ``--usecublas`` with no ``--gpulayers`` where its default is 0."""
    auto = any(_AUTO_LAYERS.search(line) for line in lines)
    for number, line in enumerate(lines, 1):
        if len(line) > 1000 or not ("gpu" in line.lower() or "ngl" in line or "kobold" in line.lower()):
            continue
        m = _LAYERS.search(line)
        if m is not None:
            value = m.group(1) if m.group(1) is not None else m.group(2)
            if value != "0" or _quiet_line(line, m.start()):
                continue
            if m.group(2) is not None:
                if "Llama(" in line or "llama_cpp" in line or "LlamaCpp(" in line or "Llama.from_pretrained(" in line:
                    yield number, line.strip()
            elif _LLAMA_COMMAND.search(line) is not None:
                yield number, line.strip()
            continue
        if not auto and _KOBOLD_COMMAND.search(line) is not None and re.search(r"\s--use(?:cublas|cuda)\b", line):
            yield number, line.strip()


def labelled_cpu(lines: Sequence[str], number: int) -> bool:
    """Whether the code at line ``number`` sits under the writer's label of a CPU run: a comment or a sentence among the few lines above it that names the CPU ("# running on CPU", "but when running on CPU"), a section of the program or the report meant for the CPU."""
    for above in reversed(lines[max(0, number - 5):number - 1]):
        stripped = above.strip()
        if not stripped or stripped.startswith("```"):
            continue
        if "cpu" in stripped.lower() and (grammar.code_comment(stripped) or not grammar.program_line(stripped)):
            return True
    return False


# The pin named in a sentence as the change that got the work done ("Pinning jax to the CPU with `...` made the lecture
# build", "... fixed the timeout"): the writer's workaround for a GPU that ran, not the cause of one left unused. A removal
# of the pin before it in the sentence ("removing `...` fixed it") makes the pin the cause again.
_WORKED_AFTER = re.compile(
    r"\b(?:made|makes|make)\s+(?:it|this|that|everything|(?:the|my|our)\s+[\w-]+)(?:\s+[\w-]+)?\s+(?:build|run|finish|complete|work|pass|succeed)\w*"
    r"|\b(?:fixe[sd]|solve[sd]|resolve[sd]|work(?:s|ed)?\s+around|cut(?:s|ting)?\s+(?:it|the)|sped\s+(?:it\s+)?up|speeds?\s+(?:it\s+)?up)\b", re.I)
_REMOVED_BEFORE = re.compile(r"\b(?:remov\w*|delet\w*|comment\w*\s+out|dropp\w*|without|taking\s+out|took\s+out)\b", re.I)


def _named_as_workaround(line: str, start: int, end: int) -> bool:
    """Whether the pin at ``start``..``end`` of a prose ``line`` is named as what got the work done (not removed)."""
    left, right = grammar.sentence_at(line, start, end)
    return _WORKED_AFTER.search(line, end, right) is not None and _REMOVED_BEFORE.search(line, left, start) is None


def _scoped_below(lines: Sequence[str], number: int, call: str) -> bool:
    """Whether the call named on line ``number`` is set again in the code of the lines below, there scoped to a part of the
    work (knowledge.cpu_choice.placement_scoped): the writer's sentence names the call their code shows (accsmall)."""
    key = re.sub(r"\s+", "", call)
    return any(key in re.sub(r"\s+", "", below) and placement_scoped(lines, at)
               for at, below in enumerate(lines[number:number + 30], number + 1))


def platform_calls(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Each call that sets JAX's (or NumPyro's) platform to the CPU, not commented out, under a condition or under the
    writer's label of a CPU run, nor named in a sentence as the workaround that got the work done."""
    for number, line in enumerate(lines, 1):
        if "cpu" not in line or len(line) > 1000:
            continue
        m = _PLATFORM_CALL.search(line)
        if m is None or _quiet_line(line, m.start()) or labelled_cpu(lines, number) or _named_as_workaround(line, m.start(), m.end()):
            continue
        if placement_scoped(lines, number) or _scoped_below(lines, number, m.group(0)):
            continue  # accsmall: a switch made after work already ran (or the writer's line naming the call the code below shows so)
        yield number, line.strip()


def ct2_without_device(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Each CTranslate2 Generator/Translator/Encoder built with no device (its default is "cpu")."""
    for number, line in enumerate(lines, 1):
        if "ctranslate2." not in line:
            continue
        m = _CT2_CALL.search(line)
        if m is None or _CT2_DEVICE.search(m.group(1)) or _quiet_line(line, m.start()):
            continue
        yield number, line.strip()


def ran_on_cpu(text: str) -> bool:
    """Whether the log says, asserted, that the work ran on the CPU ("inference runs on CPU only", "it uses the cpu")."""
    return any(answers.said_of_now(text, m.start(), m.end()) for m in _RAN_ON_CPU.finditer(text))


def set_to_cpu_stated(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Each sentence in which the writer asserts that the platform/device/backend is set to (or defaults to) the CPU."""
    for number, line in enumerate(lines, 1):
        if "cpu" not in line.lower() or len(line) > 2000:
            continue
        for m in _SET_TO_CPU.finditer(line):
            if grammar.code_comment(line) or not answers.said_of_now(line, m.start(), m.end()):
                continue
            left, right = grammar.sentence_at(line, m.start(), m.end())
            if _FALLBACK.search(line[left:right]) or wanted_on(line[left:right]):
                continue
            yield number, line.strip()
            break


# --- a GPU setting given and not taken (accapps, session 27) --------------------------------------------------------

# The writer says the work stays off the GPU although they gave the program its GPU setting ("the detector is not
# running on the GPU ... even when providing a specific device via the `device=` parameter", "runs on the CPU even
# though I set tree_method to gpu_hist"). A framework without a usable GPU does not stay silent when asked for it by
# name: PyTorch raises on .to("cuda") ("Torch not compiled with CUDA enabled", "No CUDA GPUs are available"), XGBoost 2
# warns "No visible GPU is found, setting device to CPU", and those lines have their own readings. A setting given and
# the work silently on the CPU is the setting not reaching the component that runs: the program's code ignores or
# overrides it (a sub-model built on its own device), or its key is misspelt so nothing reads it (XGBoost's "might not
# be used" list). Labelled logs with such words (session 27, bench/explain_rule_precision.py --grep over
# "even (when|though) (providing|passing|setting|specifying) ... device|gpu"): CODE_FORCES_CPU 1 of 1 (holdout38), and
# batch A's one case the same.
_GIVEN_SETTING = re.compile(
    r"\b(?:even|although|though|despite|in\s+spite\s+of)\s+(?:(?:when|if|after|with|though)\s+)?(?:(?:i|we)\s+(?:have\s+|had\s+|am\s+|are\s+|explicitly\s+)?)?"
    r"(?:explicitly\s+)?(?:provid|pass|sett?|specif|giv|select|choos|request|ask|forc)\w*\s+"
    r"(?:[^.;!?\n]{0,60}?)(?:\bdevice\s*=|\bdevice\b|\bgpus?\b|\bcuda\b|gpu_hist|\bgpu_id\b|\buse_gpu\b)",
    re.I)
# The work said to stay off the GPU (or on the CPU), in the same sentence or the one before ("This is true even when ...").
_OFF_GPU = re.compile(
    r"\b(?:not|n't|never)\s+(?:\w+\s+){0,2}?(?:running|run|runs|executed|placed|using|use|used|loaded|moved|put)\s+(?:\w+\s+)?(?:on|to)\s+(?:the\s+)?gpu\b"
    r"|\b(?:runs?|running|ran|stays?|stayed|remains?|remained|is|was|are|were|executes?|executed|goes|went|falls?\s+back|fell\s+back)\s+(?:still\s+|only\s+|always\s+)?(?:on|to)\s+(?:the\s+)?cpu\b"
    r"|\b(?:gpu|the\s+gpu)\s+(?:is|was)\s+(?:not|never)\s+used\b",
    re.I)
_SETTING_FIX_WINDOW = 300  # characters before the concession in which the words of the work off the GPU may stand


def gpu_setting_ignored(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Each line in which the writer says the work stays off the GPU although they gave its GPU setting (above)."""
    for number, line in enumerate(lines, 1):
        if len(line) > 3000:
            continue
        for m in _GIVEN_SETTING.finditer(line):
            if "cpu" in line[m.start():m.end() + 16].lower():
                continue  # the setting given is the CPU's
            if "provider" in line[m.start():m.end() + 40].lower():
                # ONNX Runtime's execution providers: a session asked for CUDAExecutionProvider that cannot create it
                # goes on with the next provider in its list, the CPU's (https://onnxruntime.ai/docs/execution-providers/):
                # the runtime's own fallback (its CPU package, its CUDA libraries), not the program ignoring the setting.
                continue
            left, right = grammar.sentence_at(line, m.start(), m.end())
            before = "\n".join(lines[max(0, number - 3):number - 1])
            window = before + "\n" + line[max(0, left - _SETTING_FIX_WINDOW):right]
            off = next((o for o in _OFF_GPU.finditer(window)), None)
            if off is None:
                continue
            if grammar.asked(line, left, right, m.start(), m.end()) or _quiet_line(line, m.start()):
                continue
            yield number, line.strip()
            break


# --- a documented setting that pins the CPU, set where the log shows it (accdevice, session 29) -------------------------

# The setting's own documentation says what it does (knowledge/device_settings.toml): a command line run with `--device
# cpu`, `--no-cuda`, `--gpu_ids -1`, `--ngpu 0`, a call with accelerator='cpu', use_cpu=True, pipeline(device=-1),
# easyocr.Reader(gpu=False), device='cpu', a Modelfile's `PARAMETER num_gpu 0`. Not read where the line only names the
# option: an option's definition (`parser.add_argument('--cpu', ...)`), a help or usage listing (`[--cpu]`, "  --cpu   use
# the CPU"), a commented-out line, a condition or the fallback idiom, code under the writer's label of a CPU run, and in
# the writer's own sentence a question, advice, a condition, or a CPU run they say works (a workaround or a comparison:
# "with --device cpu it works fine"), or made on purpose ("to compare with the CPU I ran ...").
_DEFINITION = re.compile(r"\badd_argument\(|\bgroup\.add\(|\bparser\.add\(|\bargparse\b|\bclick\.option\(|\bflags\.DEFINE_|\btyper\.Option\(")
_USAGE = re.compile(r"^\s*(?:usage:|options:|optional arguments:)", re.I)
_HELP_ROW = re.compile(r"^\s+-{1,2}[\w-]+(?:[ =][\w{},|-]+)?\s{2,}\S")
# The setting named as what the writer changed, replaced or removed ("I changed the line `with tf.device('/cpu:0')` to ..."),
# or chosen to keep the GPU out ("with the option --cpu to avoid the usage of the GPU"): not in force, or on purpose.
_CHANGED_FROM = re.compile(r"\b(?:chang\w*|replac\w*|switch\w*|swapp\w*|remov\w*|delet\w*|comment\w*\s+out|drop\w*|instead\s+of)\b", re.I)
_AVOID_GPU = re.compile(r"\bto\s+(?:avoid|skip|bypass|disable|prevent|not\s+use)\s+(?:\w+\s+){0,3}?(?:gpus?|cuda)\b", re.I)
_ADVISED_BEFORE = re.compile(
    r"(?<!\bi\s)(?<!\bwe\s)(?<!\bthey\s)\b(?:run|rerun|re-run|use|try|pass|add|set|specify|start|launch|restart|call|consider|recommend\w*|suggest\w*)\s+(?:it\s+|again\s+|the\s+program\s+)?"
    r"(?:with\s+|using\s+)?(?:the\s+)?(?:option\s+|flag\s+|argument\s+|parameter\s+)?[`'\"]?$", re.I)
_CPU_RUN_WORKS = re.compile(
    r"\b(?:works?|worked|working|runs?\s+(?:fine|ok|okay|well)|ran\s+(?:fine|ok|okay|well)|succeed\w*|success\w*|no\s+(?:errors?|problems?|issues?))\b", re.I)


def _cpu_run_above(lines: Sequence[str], number: int) -> bool:
    """Whether a line among the few above line ``number`` labels what follows as a CPU run: a comment or heading naming the
    CPU ("# CPU only", "## Running on CPU"), or the writer's sentence naming a CPU run made on purpose or one that works. (A
    sentence complaining that the work went to the CPU is no label: it is the report the setting answers.)"""
    for above in reversed(lines[max(0, number - 5):number - 1]):
        stripped = above.strip()
        if not stripped or stripped.startswith("```") or "cpu" not in stripped.lower():
            continue
        if grammar.code_comment(stripped) or stripped.startswith("#") or wanted_on(stripped) or _CPU_RUN_WORKS.search(stripped):
            return True
    return False


def _pin_quiet(lines: Sequence[str], number: int, line: str, start: int, end: int) -> bool:
    """Whether the setting at ``start``..``end`` of line ``number`` is only named, not set for the run the log is about (above)."""
    if _DEFINITION.search(line) or _USAGE.match(line) or _HELP_ROW.match(line) or line[max(0, start - 1):start] in ("[", "|"):
        return True
    if _quiet_line(line, start) or _cpu_run_above(lines, number) or wanted_on(line) or placement_scoped(lines, number):
        return True
    if _ADVISED_BEFORE.search(line, max(0, start - 40), start):
        return True  # a message's or the writer's advice: "no GPU was found, run with --cpu", "try --device cpu"
    if grammar.program_line(line) and not grammar.code_comment(line):
        return False
    # The writer's sentence (a command quoted in prose counts as the writer's words about it).
    left, right = grammar.sentence_at(line, start, end)
    if not answers.said_of_now(line, start, end) or _named_as_workaround(line, start, end):
        return True
    if _CHANGED_FROM.search(line, left, start) or _AVOID_GPU.search(line, left, right):
        return True
    return _CPU_RUN_WORKS.search(line, left, right) is not None


def setting_pins(lines: Sequence[str]) -> Iterator[tuple[int, str, str]]:
    """Each line that sets a documented CPU-pinning setting for the run (``knowledge.device_settings``): (line number, the
    row's id, the line), not a definition, a listing, a question, advice, a condition, a workaround or a run on purpose."""
    for number, line in enumerate(lines, 1):
        if len(line) > 1000:
            continue
        found = cpu_pin(line)
        if found is None:
            continue
        row, m = found
        if _pin_quiet(lines, number, line, m.start(), m.end()):
            continue
        if pin_completed(row.id, "\n".join(lines)):
            continue  # accwords (session 33): the setting that makes it a GPU one is shown elsewhere in the log
        yield number, row.id, line.strip()
