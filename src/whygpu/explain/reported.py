"""The reporter's statements read by type (session 21, accwords3): the GPU said no faster than the CPU, the machine's accelerator, the OS they run.

Reporters say the same things in new words every time, so these are read by the parts a statement is made
of, not by phrases; each counts only when ``explain.grammar.said`` finds it asserted of now (not a question, a
condition, advice, hearsay, a state that is over, quoted).

- A symptom: the GPU no faster than the CPU. A comparison whose two sides are the GPU and the CPU, read by
  which side is the subject: "the GPU is slower than the CPU", "the CPU is faster than my RTX 3060", "it runs
  slower on the GPU than on the CPU", "GPU比CPU还慢", "la GPU es más lenta que la CPU" say the GPU is no faster;
  "training on CPU is 20x slower than on GPU" says the opposite and is quiet. The same speed on both ("the
  same speed on CPU and GPU", "similar both on the CPU and the GPU", "no speed-up from the GPU"), the GPU's
  utilisation near zero while the CPU is busy in the same sentence, and the run said bound by the CPU or its
  input ("training is CPU-bound", "bottlenecked by data loading") are the same symptom (``no_faster``).
- The machine's accelerator: a non-NVIDIA accelerator named as the reporter's own (Hygon DCU, Huawei Ascend,
  Cambricon MLU, Intel Gaudi, Moore Threads) and an Apple M-series Mac (``accelerator``, ``apple_silicon``);
  "I don't have any NVIDIA hardware" (``no_nvidia``).
- The OS: Windows 7, 8 or 8.1 named as the reporter's (``old_windows``): its last NVIDIA driver is judged by
  the knowledge layer (``knowledge.reported.os_last_driver``), never here.
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.explain import grammar, statements

__all__ = ["CUE_WORDS", "accelerator", "apple_silicon", "driver_said", "no_faster", "no_nvidia", "old_windows", "served_latency"]

_MAX_LINE = 4000
# A line can hold one of these statements only if it holds one of these (lower case).
CUE_WORDS = ("slow", "fast", "quick", "speed", "same", "similar", "bound", "bottleneck", "lent", "langsam", "schnell", "rápid", "rapide",
             "медлен", "быстр", "慢", "快", "速", "遅", "一样", "差不多", "util", "usage", "nvidia", "dcu", "ascend", "npu", "mlu", "gaudi",
             "moore", "mac", "apple", "windows", "win7", "win8", "rendimiento", "vitesse", "velocidad", "geschwindigkeit", "скорост",
             "inefficien", "driver", "per second", "/s", "sec", "minute", "took", "takes", "single-core", "single core", "same time", "speedup", "speed-up", "speed up", "capable",
             "maximum", "max ", "highest", "up to", "at most",  # accbusy: the machine's CUDA ceiling (_CEILING_SAID)
             "m1 ", "m2 ", "m3 ", "m4 ", "m5 ")  # accgap: an Apple M-series chip named alone ("my M3 pro")

# --- the two sides of a comparison -------------------------------------------------------------------------
_GPU_SIDE = (r"(?:(?<![A-Za-z0-9_-])(?:e?gpus?|cuda|(?:nvidia\s+)?graphics\s+cards?|video\s*cards?|(?:rtx|gtx|quadro|tesla|titan)\s?[\w-]*\d[\w-]*"
             r"|geforce\s+\w+|[ahvtpl]100|t4|k80|显卡|видеокарт\w*|tarjeta\s+gr[aá]fica|carte\s+graphique|grafikkarte)(?![A-Za-z0-9_-]))")
_CPU_SIDE = r"(?:(?<![A-Za-z0-9_-])(?:cpus?|processors?|процессор\w*|処理器)(?![A-Za-z0-9_-])(?![-_ ]?(?:usage|util|load|time|cores?|threads?)))"
_SIDE = re.compile(rf"(?P<gpu>{_GPU_SIDE})|(?P<cpu>{_CPU_SIDE})", re.I)
# Comparatives of speed. "slower" also in the other languages; "faster" the same; each may be negated or weakened.
_SLOWER = r"(?:slower|less\s+fast|more\s+slowly|m[aá]s\s+lent[ao]|plus\s+lent|langsamer|медленнее|慢|遅い|遅く)"
_FASTER = r"(?:faster|quicker|speedier|m[aá]s\s+r[aá]pid[ao]|plus\s+rapide|schneller|быстрее|快|速い|速く)"
_WEAK = r"(?:no|not|isn['’]?t|wasn['’]?t|aren['’]?t|barely|hardly|scarcely|only\s+(?:slightly|marginally|a\s+(?:bit|little))|not\s+(?:much|any|significantly|really|noticeably)|no\s+(?:significantly|noticeably))"
_COMPARATIVE = re.compile(rf"(?P<weak>\b{_WEAK}\s+)?(?P<slower>{_SLOWER})|(?P<weak2>\b{_WEAK}\s+)?(?P<faster>{_FASTER})"
                          r"|(?P<equal>\bas\s+(?:slow|fast|quick)\s+as\b|\b(?:the\s+)?same\s+(?:speed|time|performance|throughput)\s+as\b)", re.I)
# What introduces the comparison's standard: "than", "as", "compared to", "vs".
_STANDARD = re.compile(r"\b(?:than|as|compared\s+(?:to|with)|vs\.?|versus|relative\s+to)\b|\bque\b|\bals\b|\bчем\b|比|より", re.I)
# The same speed on both sides, in either order: "the same speed on CPU and GPU", "keeps similar both on the CPU and the GPU",
# "no difference between CPU and GPU", "takes the same time on the GPU as on the CPU", "GPU和CPU速度一样".
_MEASURE = r"(?:speed|time|timing|runtime|run\s*time|performance|throughput|fps|it/s|samples?\s*/\s*s|latency|速度|时间|скорость|velocidad|vitesse|geschwindigkeit|rendimiento)"
_SAME = r"(?:the\s+same|same|similar|identical|equal|comparable|(?:about|roughly|basically|pretty\s+much|almost|nearly)\s+(?:the\s+)?same|no\s+(?:real\s+)?difference|not\s+(?:any\s+)?different|no\s+different|一样|差不多|相同|没区别|没有区别|так(?:ая|ой)?\s+же|одинаков\w*|misma|même|gleiche)"
_SAME_SPEED = re.compile(
    rf"{_SAME}\s+(?:\w+\s+){{0,2}}?{_MEASURE}|{_MEASURE}\s+(?:\w+\s+){{0,4}}?(?:is\s+|are\s+|was\s+|were\s+|stays?\s+|keeps?\s+|remains?\s+)?{_SAME}"
    rf"|{_SAME}\s+(?:both\s+)?(?:on|with|using|for|in)\s+(?:both\s+)?(?:the\s+)?(?:{_GPU_SIDE}|{_CPU_SIDE})"
    rf"|\bno\s+(?:\w+\s+)?(?:speed[- ]?ups?|acceleration|improvement|gain|benefit)\b"
    rf"|(?:GPU|gpu|显卡)\s*(?:和|跟|与)\s*(?:CPU|cpu)\s*(?:的)?\s*(?:速度|时间)?\s*(?:差不多|一样|相同|没区别)", re.I)
# The GPU's use near zero and the CPU busy in the same sentence ("GPU utilisation stays near 0% while the CPU is at 100%").
_GPU_IDLE = re.compile(r"\bGPU[- ]?(?:util\w*|usage|load|activity)\b[^.;!?\n]{0,30}?(?:(?<![\d.])[0-5](?:\.\d+)?\s*%|\bzero\b|\bnear(?:ly)?\s+(?:0|zero)\b|\balmost\s+(?:0|zero|nothing|none)\b|\bbarely\b|\bminimal\b)", re.I)
_CPU_BUSY = re.compile(r"\bCPU(?:\s+(?:usage|util\w*|load))?\s+(?:is\s+|was\s+|stays\s+|goes\s+|sits\s+|runs\s+)?(?:at\s+|to\s+)?(?:(?:9\d|100)\s*%|maxed(?:\s+out)?|pegged|fully\s+(?:used|loaded)|busy)"
                       r"|\b(?:(?:9\d|100)\s*%|all\s+(?:\d+\s+)?cores)\s+(?:of\s+(?:the\s+|my\s+)?)?CPU\b|\bCPU\s+(?:cores\s+)?(?:are\s+|is\s+)?(?:all\s+)?at\s+(?:9\d|100)\s*%", re.I)
# The run said bound by the CPU or its input: "training is CPU-bound", "bottlenecked by data loading", "the CPU is the
# bottleneck", "the poor single-core performance of my CPU made training very slow".
_INPUT = r"(?:the\s+|my\s+)?(?:cpu|data\s*loader|data\s+loading|data\s+pipeline|input\s+pipeline|pre-?processing|i/o|io|disk|single[- ]core\s+performance)"
_BOUND = re.compile(
    rf"\b(?:cpu|input|data[- ]loading|i/?o)[- ]bound\b|\bbottleneck(?:ed)?\s+(?:by|on|at)\s+{_INPUT}\b|\b{_INPUT}\s+(?:is|was|being|seems\s+to\s+be)\s+(?:the|a)\s+(?:main\s+|real\s+)?bottleneck\b"
    rf"|\bbottleneck\s+(?:is|was)\s+{_INPUT}\b|\blimited\s+by\s+{_INPUT}\b"
    rf"|\b{_INPUT}(?:\s+of\s+(?:my|the)\s+cpu)?\s+(?:makes|made|is\s+making|keeps|kept)\s+(?:the\s+)?(?:training|it|computing|computation|inference|everything)\s+(?:very\s+|so\s+|really\s+)?(?:slow|inefficient)\b", re.I)


def _sides(sentence: str) -> list[tuple[int, str]]:
    """The GPU and CPU sides a sentence names, by offset."""
    return [(m.start(), "gpu" if m.group("gpu") else "cpu") for m in _SIDE.finditer(sentence)]


def _comparison_says_gpu_no_faster(sentence: str) -> re.Match[str] | None:
    """The comparative of ``sentence`` whose sides say the GPU is no faster than the CPU, or None."""
    sides = _sides(sentence)
    kinds = {k for _, k in sides}
    if kinds != {"gpu", "cpu"}:
        return None
    for m in _COMPARATIVE.finditer(sentence):
        if m.group("equal"):
            return m
        if re.match(r"[\u3040-\u30ff\u4e00-\u9fff]", m.group(0)[-1:]):
            found = _cjk_sides(sentence, m)
        else:
            standard = _STANDARD.search(sentence, m.end(), m.end() + 80)
            if standard is None:
                continue
            after = [k for at, k in sides if at >= standard.end()]
            before = [k for at, k in sides if at < standard.start()]
            found = (before[-1], after[0]) if after and before and before[-1] != after[0] else None
        if found is None:
            continue
        subject, _standard = found
        weak = bool(m.group("weak") or m.group("weak2"))
        if m.group("slower"):
            slower_gpu = subject == "gpu"
            if slower_gpu != weak:  # "the GPU is slower", "the CPU is not slower"
                return m
        elif (subject == "cpu") != weak:  # "the CPU is faster", "the GPU is not faster"
            return m
    return None


def _cjk_sides(sentence: str, m: re.Match[str]) -> tuple[str, str] | None:
    """(subject, standard) of a Chinese "A比B慢" or Japanese "AのほうがBより遅い" comparison before ``m``."""
    head = sentence[:m.start()]
    mark = max(head.rfind("比"), head.rfind("より"))
    if mark < 0:
        return None
    if head.startswith("より", mark):
        # ja: "GPUのほうがCPUより遅い": the standard is the side right before より, the subject the one before it.
        both = _sides(head[:mark])
        if len(both) < 2 or both[-2][1] == both[-1][1]:
            return None
        return both[-2][1], both[-1][1]
    before = [k for at, k in _sides(head[:mark])]
    after = [k for at, k in _sides(head[mark:])]
    if not before or not after or before[-1] == after[0]:
        return None
    return before[-1], after[0]


def no_faster(text: str) -> re.Match[str] | None:
    """The reporter's words that the GPU is no faster than the CPU (slower, the same speed, idle while the CPU is busy, bound by the CPU or its input), asserted of now, or None."""
    text = text[:_MAX_LINE]
    if grammar.program_line(text):
        return None
    for offset, sentence in grammar.sentences(text):
        for m in _found_in(sentence):
            start, end = offset + m.start(), offset + m.end()
            left = grammar.sentence_at(text, start, end)[0]
            if grammar.negated_before(grammar.clause_before(text[left:start]), reach=None):
                continue  # "it isn't the same speed", "there is no way the CPU runs faster than the GPU": the opposite
            if grammar.said(text, start, end) and not grammar.in_code(text, start):
                return m
    return None


# accutil40 (session 40): the slowness said of a served model's answer to a request ("the response is as slow as CPU serving", "the
# latency of each request is the same on GPU"): one request's latency gains little from a GPU, whose speed comes with many
# requests batched together (TensorFlow Serving's batching guide: batching "to unlock the high throughput promised by hardware
# accelerators such as GPUs", https://github.com/tensorflow/serving/blob/master/tensorflow_serving/batching/README.md). Such a
# comparison is of the serving design, not a GPU idle for want of input.
_SERVED_SLOW = re.compile(
    r"\b(?:responses?|response\s+times?|requests?|(?:inference\s+|request\s+|prediction\s+)?latency|round[- ]?trips?)\b[^.;!?\n]{0,30}?\b(?:is|are|was|were|seems?|stays?|remains?)\s+"
    r"(?:still\s+|just\s+|also\s+)?(?:as\s+slow\s+as|slow(?:er)?\b|the\s+same\s+as|no\s+(?:faster|better|lower))", re.I)


def served_latency(text: str) -> re.Match[str] | None:
    """The reporter's words that a served model's responses (a request's latency) are slow or no faster, asserted, or None."""
    return grammar.first_said(_SERVED_SLOW, text[:_MAX_LINE], asked_too=True)


# Numbers compared by their sides: "on my CPU it reaches >40k samples per second, but on my GPU it only reaches ~35k samples
# per second", "an epoch takes 12 s on the GPU and 10 s on the CPU": a rate (something per second) or a duration in each
# of two clauses, each clause naming one side; the GPU's rate no higher, or its time no shorter, is the same symptom.
_NUMBER = r"(?P<n>\d+(?:[.,]\d+)?)\s*(?P<k>k\b|K\b|thousand\b)?"
_RATE = re.compile(_NUMBER + r"\s*(?:[a-z]+\s*){0,1}(?:/\s*s(?:ec(?:ond)?)?\b|per\s+sec(?:ond)?\b|fps\b|it/s\b)", re.I)
_DURATION = re.compile(_NUMBER + r"\s*(?P<u>ms|milliseconds?|s|secs?|seconds?|min|mins|minutes?|h|hrs?|hours?)\b(?!\s*(?:/|per\b))", re.I)
_CLAUSE_SPLIT = re.compile(r"[,;]\s*|\s+(?:but|and|while|whereas|however|vs\.?|versus)\s+", re.I)
_SECONDS = {"ms": 0.001, "mi": 0.001, "s": 1.0, "se": 1.0, "m": 60.0, "h": 3600.0}


def _value(m: re.Match[str]) -> float:
    number = float(m.group("n").replace(",", "."))
    return number * (1000.0 if m.group("k") else 1.0)


def _seconds(m: re.Match[str]) -> float:
    unit = m.group("u").lower()
    key = "ms" if unit.startswith("ms") else "mi" if unit.startswith("milli") else "m" if unit.startswith("min") else unit[:1] if unit[:1] in "sh" else unit
    return _value(m) * _SECONDS.get(key, 1.0)


def _numbers_say_gpu_no_faster(sentence: str) -> re.Match[str] | None:
    """The GPU's number of ``sentence`` when two clauses give a rate or a duration for each side and the GPU's is no better, or None."""
    rates: dict[str, tuple[float, re.Match[str]]] = {}
    times: dict[str, tuple[float, re.Match[str]]] = {}
    offset = 0
    for part in _CLAUSE_SPLIT.split(sentence):
        at = sentence.find(part, offset)
        offset = at + len(part)
        kinds = {k for _, k in _sides(part)}
        if len(kinds) != 1:
            continue
        side = kinds.pop()
        if (rate := _RATE.search(sentence, at, offset)) is not None:
            rates.setdefault(side, (_value(rate), rate))
        elif (took := _DURATION.search(sentence, at, offset)) is not None:
            times.setdefault(side, (_seconds(took), took))
    if len(rates) == 2 and rates["gpu"][0] <= rates["cpu"][0]:
        return rates["gpu"][1]
    if len(times) == 2 and times["gpu"][0] >= times["cpu"][0]:
        return times["gpu"][1]
    return None


# A one-off cost compared: compiling, JIT, warm-up, start-up, the first call, loading or importing ("It takes more than 10s to
# jit compile on GPU while 0.1s on CPU"). A GPU pays for its context, JIT and autotuning once, before any work; slower
# there says nothing of the work itself.
_ONE_OFF = re.compile(r"\b(?:compil\w*|jit\w*|warm[- ]?up\w*|start[- ]?up|initiali[sz]\w*|first\s+(?:call|run|iteration|epoch|batch|step|time|inference)"
                      r"|import\w*|load(?:s|ed|ing)?\s+(?:the\s+)?(?:model|weights|checkpoint)|autotun\w*|install\w*|download\w*)\b|编译|预热", re.I)


def _found_in(sentence: str) -> list[re.Match[str]]:
    """The matches in one sentence that say the symptom (each still to be found asserted)."""
    out: list[re.Match[str]] = []
    if _ONE_OFF.search(sentence):
        return out
    sides = {k for _, k in _sides(sentence)}
    if sides == {"gpu", "cpu"}:  # (a comparison needs both sides: most lines name one and are passed over here)
        if (m := _comparison_says_gpu_no_faster(sentence)) is not None:
            out.append(m)
        if (m := _numbers_say_gpu_no_faster(sentence)) is not None:
            out.append(m)
    if (m := _SAME_SPEED.search(sentence)) is not None and ("gpu" in sides and ("cpu" in sides or re.match(r"no\b", m.group(0), re.I))):
        out.append(m)
    if (m := _GPU_IDLE.search(sentence)) is not None and _CPU_BUSY.search(sentence):
        out.append(m)
    if (m := _BOUND.search(sentence)) is not None:
        out.append(m)
    return out


# --- the machine's accelerator --------------------------------------------------------------------------------
# "I don't have any NVIDIA hardware", "there is no NVIDIA hardware in this machine", "no NVIDIA card in my laptop".
_NO_NVIDIA = re.compile(
    r"\b(?:i|we)\s+(?:do\s+not|don['’]?t|did\s+not|didn['’]?t)\s+(?:even\s+|actually\s+)?(?:have|own)\s+(?:a|an|any)\s+(?:nvidia|cuda[- ]capable)\s+(?:hardware|devices?|cards?|chips?)\b"
    r"|\b(?:i|we)\s+(?:have|had)\s+no\s+(?:nvidia|cuda[- ]capable)\s+(?:hardware|devices?|cards?|chips?)\b"
    r"|\bno\s+(?:nvidia|cuda[- ]capable)\s+(?:hardware|device|card|chip)\s+(?:in|on|inside)\s+(?:my|this|our)\b", re.I)


def no_nvidia(text: str) -> re.Match[str] | None:
    """The writer's words that their machine has no NVIDIA hardware, device or card (the GPU itself is ``statements.no_gpu``'s), asserted of now, or None."""
    text = text[:_MAX_LINE]

    def not_the_machine(m: re.Match[str]) -> bool:
        # (statements.no_gpu's exclusions, one decision: "... at hand right now", "... to test this", "... with enough memory")
        return statements.NOT_THE_MACHINE_AFTER.match(text, m.end()) is not None or statements.HELPER_PURPOSE.search(
            text, *grammar.sentence_at(text, m.start(), m.end())) is not None

    return grammar.first_said(_NO_NVIDIA, text, unless=not_the_machine)


# Non-NVIDIA accelerators (the reporter's own): a discrete compute device no CUDA build can use.
_ACCELERATOR = re.compile(
    r"\b(?:(?i:hygon)\s+)?DCU\b|(?i:\b(?:huawei\s+)?ascend\s*(?:910\w*|310\w*|npus?)?\b|\bcambricon\b|\b(?:intel\s+)?gaudi\s?\d?\b|\bmoore\s+threads\b|\biluvatar\b|\bbiren\b)|\bMLU\s?\d{3}\b|\bMTT\s+S\d{2,4}\b")
_OWN = re.compile(r"\b(?:i|we|my|our|i['’]m|i\s+am|me)\b|我|本人", re.I)


def accelerator(text: str) -> re.Match[str] | None:
    """A non-NVIDIA accelerator (Hygon DCU, Ascend, Cambricon MLU, Gaudi, Moore Threads) named as the writer's own, asserted, or None."""
    text = text[:_MAX_LINE]
    first = _ACCELERATOR.search(text)
    if first is None:
        return None
    if grammar.program_line(text):
        return first if re.search(r"\b(?:device|name|gpu|accelerator|hardware)\b\s*[:=]", text, re.I) else None
    return grammar.first_said(_ACCELERATOR, text, quotes=False, unless=lambda m: _OWN.search(
        text, grammar.sentence_at(text, m.start(), m.end())[0], m.end() + 60) is None)


# An Apple M-series Mac as the reporter's: "I'm on an M1 MacBook Pro", "my Mac with Apple Silicon", "on my M2 Max".
_APPLE_SILICON = re.compile(r"\b(?:apple\s+)?M[1-5](?:\s+(?:pro|max|ultra))?\s+(?:chip|mac\w*|macbook(?:\s+(?:pro|air))?|imac|mac\s+mini|mac\s+studio)\b|\bapple\s+M[1-5]\b|\bapple\s+silicon\b"
                            r"|\bmac\w*(?:\s+(?:pro|air))?\s+(?:\(?(?:19|20)\d\d\)?\s+)?(?:with\s+(?:an?\s+)?|\()(?:apple\s+)?(?:M[1-5]|apple\s+silicon)\b"
                            # accgap (session 34): the chip named with its tier alone ("my M3 pro", "I have a M3 Pro"), and the Mac named
                            # with its chip after it ("Mac mini M4", "MacBook Pro 2021 M1").
                            r"|\bM[1-5]\s+(?:pro|max|ultra)\b|\bmac\s*(?:mini|studio|book(?:\s+(?:pro|air))?)\s+(?:\(?(?:19|20)\d\d\)?\s+)?M[1-5]\b"
                            # accnoticed41 (session 41): an ARM Mac is an Apple-silicon Mac (every Mac on ARM has Apple's M-series chip
                            # since 2020: "I am working on an ARM Mac with a built-in GPU", BERTopic#1526).
                            r"|\b(?:arm|arm64|aarch64)(?:[\s-]+based)?\s+mac\w*\b|\bmac\w*\s+(?:with\s+(?:an?\s+)?|on\s+|\()(?:arm|arm64|aarch64)\b", re.I)
# accgap: the machine the run was on ("fails ... on Apple Silicon M1 Max"), or a line that names only the Mac (an environment
# list's row, "Mac mini M4").
_ON_BEFORE = re.compile(r"\bon\s+(?:an?\s+|the\s+)?$", re.I)
_WORKS_THERE = re.compile(r"\b(?:works?|worked|working|fine|ok|okay|faster|slower|than|compared|vs\.?|versus|whereas|except|if|when)\b", re.I)
# The cheap cue that a line may name an Apple M-series chip without the words "mac" or "apple".
APPLE_CUES = ("mac", "apple", "m1 ", "m2 ", "m3 ", "m4 ", "m5 ")


_NVIDIA_NAMED = re.compile(r"\b(?:nvidia|geforce|quadro|tesla|titan|rtx|gtx)\b", re.I)
# accgap: an NVIDIA GPU said to be absent ("don't think I have Nvidia GPU in my mac") is no second machine.
_NVIDIA_ABSENT = re.compile(r"\b(?:don['’]?t|do\s+not|doesn['’]?t|does\s+not|no|not|without|never)\s+(?:\w+\s+){0,3}?(?:an?\s+|any\s+)?nvidia\b", re.I)


def apple_silicon(text: str) -> re.Match[str] | None:
    """An Apple M-series Mac named as the writer's own machine, asserted, or None."""
    text = text[:_MAX_LINE]
    if grammar.program_line(text):
        return None
    for m in _APPLE_SILICON.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if _NVIDIA_NAMED.search(_NVIDIA_ABSENT.sub(" ", text[left:right])):
            continue  # "on my M1 Mac but also on my PC with a GTX 1060": two machines, one with an NVIDIA GPU
        if _own_affirmed(text, m, m.start()) and grammar.said(text, m.start(), m.end(), quotes=False):
            return m
        if (re.fullmatch(r"[\W_]*", text[:m.start()]) and re.fullmatch(r"[\W_]*", text[m.end():])) or (
                _ON_BEFORE.search(text, left, m.start()) and not _WORKS_THERE.search(text, left, right) and "?" not in text[m.end():right]):
            return m  # accgap: the machine named alone on its line, or where the run failed ("... on Apple Silicon M1 Max")
    return None


# --- the OS ------------------------------------------------------------------------------------------------------
_OLD_WINDOWS = re.compile(r"\b(?:windows|win)\s?(?P<v>7|8\.1|8)(?![\d.]\d)(?!\s*(?:days?|hours?|minutes?|years?|GB|cores?)\b)", re.I)
_OS_LABEL = re.compile(r"^\s*[-*|]?\s*(?:OS|os\s+platform(?:\s+and\s+distribution)?|operating\s+system|platform|system)\b[^:|]{0,30}[:|]", re.I)


def old_windows(text: str) -> tuple[str, re.Match[str]] | None:
    """("windows 7" | "windows 8" | "windows 8.1", the words) when the writer's machine is said to run it: an OS label's value or a sentence of theirs."""
    text = text[:_MAX_LINE]
    if "win" not in text.lower():
        return None
    if _OS_LABEL.match(text):
        m = _OLD_WINDOWS.search(text)
    else:
        m = grammar.first_said(_OLD_WINDOWS, text, quotes=False, unless=lambda m: not _own_affirmed(text, m, m.end() + 40))
    return None if m is None else (f"windows {m.group('v')}", m)


def _own_affirmed(text: str, m: re.Match[str], reach: int) -> bool:
    """Whether the words ``m`` are said of the writer's own machine (a first person in their sentence up to ``reach``) and
    not negated in their clause ("I am not on Windows 7")."""
    left = grammar.sentence_at(text, m.start(), m.end())[0]
    return _OWN.search(text, left, reach) is not None and not grammar.negated_before(grammar.clause_before(text[left:m.start()]), reach=None)


# --- the driver the reporter names ------------------------------------------------------------------------------
# "my CUDA driver version is 10.1", "CUDA driver 9.0.197", "the driver supports up to CUDA 11.4", "driver 470 which supports
# CUDA 11.4", a label "CUDA driver: 12.2": the CUDA version the installed driver runs (a three-digit number is the
# driver's own version: "my CUDA driver is 570"). What the number is, is the knowledge layer's (is_cuda_release,
# is_driver_version); a driver said too old for a build is LOG102's judgement of the facts, not this reader's.
_DRIVER_SAID = re.compile(
    r"\bcuda\s+driver(?:\s+version)?(?:\s+(?:is|was|of))?\s*[:=]?\s*v?(?P<a>\d{1,3}(?:\.\d+){0,2})\b(?![.\d]*\s*(?:/|runtime))"
    r"|\bdrivers?\b(?:\s+(?:version\s+)?v?(?P<dv>\d{3}(?:\.\d+){0,2}))?[^.;!?\n]{0,25}?\bsupports?\s+(?:up\s+to\s+|only\s+)?(?:cuda\s+)?(?:version\s+)?(?P<c>\d{1,2}\.\d)\b", re.I)
# The driver said not to run a release: "does not support", "doesn't support", "no longer supports", "can't support".
_SHORT_OF = re.compile(r"\b(?:not|never|no\s+longer)\s+supports?\b|n['’]t\s+supports?\b", re.I)
_DRIVER_LABEL = re.compile(r"^\s*[-*|]?\s*cuda\s+driver(?:\s+version)?\s*[:|]", re.I)
# accbusy (session 26): the ceiling of the writer's machine said in other words. A machine has no "maximum CUDA" but its
# driver's: nvidia-smi's header prints the newest CUDA the driver runs ("CUDA Version: 11.4"), and a toolkit installed
# beside it is one version, not a ceiling. So "the maximum CUDA version on our server is 11.4", "the highest CUDA my machine
# supports is 11.4", "our cluster supports up to CUDA 11.4", "the max ... on my lab server is `CUDA 11.4`", and nvidia-smi
# said to show a CUDA version ("nvidia-smi shows CUDA 11.4") state the driver's CUDA. Read only with the writer's machine
# named (_MACHINE) and no framework or package whose own ceiling it could be (_NOT_MACHINE: "the maximum CUDA PyTorch
# supports is 12.1").
_CEILING_SAID = re.compile(
    r"\b(?:max(?:imum)?|highest)\b[^.;!?\n]{0,50}?\bcuda\b(?:\s+version)?[^.;!?\n\d]{0,40}?(?P<c>\d{1,2}\.\d)\b"
    r"|\b(?:server|machine|cluster|system|host|node|computer|workstation|pc|laptop)s?\b[^.;!?\n]{0,20}?\bsupports?\s+(?:only\s+)?"
    r"(?:up\s+to|at\s+most)\s+(?:cuda\s+)?(?:version\s+)?(?P<u>\d{1,2}\.\d)\b"
    r"|\bnvidia-smi\b[^.;!?\n]{0,20}?\b(?:shows?|showed|says|said|reports?|reported|prints?|printed|displays?)\b[^.;!?\n\d]{0,20}?"
    r"\bcuda(?:\s+version)?\s*[:=]?\s*(?P<s>\d{1,2}\.\d)\b", re.I)
_MACHINE = re.compile(r"\b(?:my|our|lab|server|machine|cluster|system|host|node|computer|workstation|pc|laptop|nvidia-smi)\b", re.I)
_NOT_MACHINE = re.compile(r"\b(?:py)?torch\b|tensorflow|\bjax|paddle|\bwheels?\b|\bbuilds?\b|\bpackages?\b|\brelease\b|\bdocker\s+image|\bimage\b|\bcontainer\b", re.I)


def driver_said(text: str) -> list[tuple[str, str, re.Match[str]]]:
    """The driver facts the writer states of their machine: ("driver_cuda" | "driver_version", value, words), asserted of now (not asked, supposed or advised)."""
    from whygpu.knowledge.cuda import is_cuda_release

    text = text[:_MAX_LINE]
    out: list[tuple[str, str, re.Match[str]]] = []
    label = _DRIVER_LABEL.match(text) is not None
    for m in _DRIVER_SAID.finditer(text) if label else grammar.all_said(_DRIVER_SAID, text, quotes=False):
        if m.group("c") and _SHORT_OF.search(m.group(0)):
            # acccloudnode (session 36): "this version of nvidia drivers does not support CUDA 11.8" says the release the
            # driver does NOT run, not its ceiling: the release it falls short of.
            if is_cuda_release(m.group("c")):
                out.append(("driver_short_of", m.group("c"), m))
            continue
        if m.group("dv"):
            out.append(("driver_version", m.group("dv"), m))
        number = m.group("a") or m.group("c")
        if re.fullmatch(r"\d{3}(?:\.\d+)*", number):
            out.append(("driver_version", number, m))
        elif is_cuda_release(".".join(number.split(".")[:2])) and "." in number:
            out.append(("driver_cuda", ".".join(number.split(".")[:2]), m))
    if not out and "cuda" in text.lower():
        for m in _CEILING_SAID.finditer(text):
            number = m.group("c") or m.group("u") or m.group("s")
            left, right = grammar.sentence_at(text, m.start(), m.end())
            if (_MACHINE.search(text, left, right) and not _NOT_MACHINE.search(text, left, right) and is_cuda_release(number)
                    and (label or grammar.said(text, m.start(), m.end(), quotes=False))):
                out.append(("driver_cuda", number, m))
    return out
