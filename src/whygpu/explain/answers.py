"""Reads the answers a framework or program gives about the GPU: an availability query and what it returned, in any wording.

One reader for every form an answer takes in a log or an issue: the REPL pair (``>>> torch.cuda.is_available()``
then ``False``) is read by ``explain.logfacts``, which asks :func:`meaning` what a printed value says; this module
also reads the answer written on the same line as its query, in a print, after an arrow or in the reporter's own
words in any language ("`torch.cuda.available()` returns False", "torch.cuda.is_available() 就是False",
"from `ort.get_available_providers()` only `['CPUExecutionProvider']`", "jax.devices() gives me
[CpuDevice(id=0)]", "list_physical_devices('GPU') returns an empty list"), and a program's own failed GPU check
raised as an exception ("AssertionError: Trying to use CUDA, but CUDA is not available.").

The grammar is language-independent: a query (the expression), then within a short stretch of the same clause
the first value of the kind that query prints (a boolean, a count, a device list, a provider list, a device
string). The stretch between them decides whether the value is the query's answer: a negation ("does not return
False"), an expectation ("should return True") or another query in it makes it not; a contrast ("should return
True but returns False") starts it again. The sentence decides whether it is asserted (a yes/no question, a
condition, advice or a guess is not: ``explain.statements.asserted``), and a state that is over ("returned False
before the reinstall, now True") is not an answer about now. Code is no answer (``if not
torch.cuda.is_available():``, an ``assert`` quoted without its traceback).

What an answer means is decided per query (:func:`meaning`): ``get_available_providers()`` lists the execution
providers compiled into the installed onnxruntime package, so a CPU-only list is the package, not the machine
(onnxruntime-gpu lists CUDAExecutionProvider on a machine without CUDA: microsoft/onnxruntime#17801);
``is_built_with_cuda()``/``is_compiled_with_cuda()`` answer about the build; the others about the devices found.
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar

# The frameworks' names as a report says them.
FRAMEWORK_NAMES = {
    "torch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX", "onnxruntime": "ONNX Runtime",
    "paddle": "PaddlePaddle", "cupy": "CuPy", "numba": "Numba", "mxnet": "MXNet", "opencv": "OpenCV", "dlib": "dlib",
}

# Frameworks whose "no GPU" answer is about the installed package, not the devices: onnxruntime's provider list (and
# get_device()) names what the package was built with, so no visibility setting (CUDA_VISIBLE_DEVICES) changes it.
ANSWERS_ABOUT_PACKAGE = frozenset({"onnxruntime"})

# Words one of which a line must hold for a query to be on it (lower case; a cheap test before the expressions).
QUERY_WORDS = ("available", "avaliable", "device", "provider", "backend", "num_gpus", "gpu_count", "getdevicecount",
               "compiled_with_cuda", "built_with_cuda", "gpu_device_name", "dlib_use_cuda", "get_num_devices")


@dataclass(frozen=True)
class Answer:
    """A framework's answer about the GPU: which framework, the query as written, the value as printed, and what it says.

    ``gpu`` is True when the answer finds or lists a GPU (or, for ``about == "build"``, a build with CUDA), False
    when it finds none; ``start``/``end`` are the query's and the value's span in the line.
    """

    framework: str
    query: str
    value: str
    gpu: bool
    about: str  # "devices" (what the framework found) or "build" (whether the build has CUDA)
    start: int
    end: int


# ---------------------------------------------------------------------------------------------
# Queries. Each named group is a kind of query; the kind says what its value looks like.
# ---------------------------------------------------------------------------------------------

_CALL = r"(?:\s*\(\s*\))"
_QUERY = re.compile(
    r"(?P<paddle_count>\bpaddle\.device\.cuda\.device_count" + _CALL + r"?)"
    r"|(?P<paddle_device>\bpaddle\.(?:device\.)?get_device" + _CALL + r")"
    # accmsg (session 22): "is_ available()", a space typed or wrapped after the underscore, is the same query.
    r"|(?P<bool>(?:\b(?P<prefix>[A-Za-z_][\w]*)\.)?cuda\.?(?:is_ ?)?ava(?:il|li)able\b" + _CALL + r"?"
    r"|\bis_gpu_available\b(?:\s*\([^()]{0,60}\))?)"
    r"|(?P<count>(?:\b(?P<count_prefix>[A-Za-z_]\w*)\.)?cuda\.device_count\b" + _CALL + r"?"
    r"|\b(?P<mx>mx|mxnet)\.(?:context\.|device\.|util\.)?(?:num_gpus|get_gpu_count)" + _CALL + r"?"
    r"|\b(?:cupy|cp)\.cuda\.runtime\.getDeviceCount" + _CALL + r"?"
    # accsmall (session 37): dlib's count of the CUDA devices it can use, dlib.cuda.get_num_devices() (its Python
    # module's cuda submodule: https://github.com/davisking/dlib/blob/master/tools/python/src/cuda.cpp).
    r"|(?P<dlib_count>\bdlib\.cuda\.get_num_devices" + _CALL + r"?)"
    # accnogpu (session 23): OpenCV's cv::cuda::getCudaEnabledDeviceCount() (Python cv2.cuda.*, C# OpenCvSharp's
    # Cv2.GetCudaEnabledDeviceCount / Cv2Gpu.*, Java/JavaCV): "If OpenCV is compiled without CUDA support, this function
    # returns 0. If the CUDA driver is not installed, or is incompatible, this function returns -1"
    # (https://docs.opencv.org/4.x/d8/d40/group__cudacore__init.html).
    r"|(?P<opencv>\b[Gg]etCudaEnabledDeviceCount" + _CALL + r"?))"
    r"|(?P<gpu_list>\blist_(?:physical|logical)_devices\s*\(\s*(?:device_type\s*=\s*)?['\"](?:GPU|gpu)['\"]\s*\)"
    r"|\b_get_available_gpus" + _CALL + r"|\bjax\.(?:local_)?devices\s*\(\s*(?:backend\s*=\s*)?['\"](?:gpu|cuda)['\"]\s*\))"
    r"|(?P<all_list>\blist_(?:physical|logical)_devices" + _CALL + r"|\blist_local_devices" + _CALL
    + r"|\bjax\.(?:local_)?devices\b" + _CALL + r"?)"
    # accmisc (session 27): and an InferenceSession's own list, sess.get_providers(): the providers the session was built
    # with (onnxruntime_inference_collection.py); CUDAExecutionProvider asked for and absent from it is the package's
    # missing provider where no line shows the CUDA provider failing to load (those lines are read by their own readings).
    r"|(?P<providers>\bget_available_providers" + _CALL + r"?|\.get_providers" + _CALL + r")"
    r"|(?P<device_str>\bjax\.default_backend" + _CALL + r"|\bget_backend\(\)\.platform\b"
    r"|\b(?:ort|onnxruntime|rt)\.get_device" + _CALL + r"|\bgpu_device_name" + _CALL
    # accort40 (session 40): onnxruntime's get_device() written without its module ("get_device() -> GPU"): a bare call, not
    # a method (a tensor's .get_device()) nor another name (paddle.get_device is read above, get_device_name is not it).
    + r"|(?<![\w.])get_device\(\)(?=\s*(?::|->|=>|=|→|returns?\b|gives?\b|prints?\b|outputs?\b))" + r")"
    r"|(?P<build>\bis_(?:built|compiled)_with_cuda" + _CALL + r"?"
    # accsmall (session 37): dlib's flag of its build, dlib.DLIB_USE_CUDA, True only in a build compiled with CUDA
    # (https://github.com/davisking/dlib/blob/master/tools/python/src/dlib.cpp; knowledge/cpu_packages.toml's dlib row).
    r"|\b(?:dlib\.)?DLIB_USE_CUDA\b)"
)

# The values each kind of query prints. One scan finds the first value of the right kind after the query.
_VALUE = re.compile(
    r"(?P<list>\[[^\[\]\n]{0,300}(?:\[[^\[\]\n]{0,100}\][^\[\]\n]{0,200})*\])"
    r"|(?P<empty_list>\b(?:an?\s+)?empty\s+(?:list|array|tuple)\b|空列表|空的列表|空数组|пустой\s+список|lista\s+vac[ií]a|liste\s+vide|leere\s+Liste)"
    r"|(?P<only_cpu>\bonly\s+(?:(?:shows?|showed|lists?|listed|gives?|gave|returns?|returned|finds?|found|sees?|saw|has|had|contains?)\s+)?(?:(?:the|a|one)\s+)?(?:`|')?CPU(?:`|')?(?:\s*(?:device|devices))?(?!\s*(?:and|&|\+|,|/)\s*\w)(?![\w:])"
    r"|只有\s*CPU|仅有\s*CPU|只有\s*cpu)"
    r"|(?P<provider>\b(?:CPU|CUDA|Tensorrt|TensorRT|Dml|ROCM|MIGraphX|OpenVINO|Azure|CoreML|DNNL)ExecutionProvider\b)"
    r"|(?P<bool>(?<![A-Za-z_])(?:true|false|ture|flase|fasle)(?![A-Za-z_]))"
    r"|(?P<zero>(?<![\w.:/%+-])0(?![\w:%/]|\.\d|\s*%)|\bzero\b|零)"
    r"|(?P<number>(?<![\w.:/%+-])[1-9]\d?(?![\w:%/]|\.\d|\s*%))"
    r"|(?P<device>(?<![\w/])['\"`]?(?:cpu|gpu(?::\d)?|cuda(?::\d)?|/device:GPU:\d)['\"`]?(?![\w/]))"
    r"|(?P<empty_str>''|\"\"|\ban?\s+empty\s+string\b|空字符串)",
    re.I,
)

# What may not stand between a query and its value: a negation of the answer, an expectation or a wish.
_NEGATED = re.compile(
    r"\b(?:not|never|no\s+longer|isn'?t|doesn'?t|didn'?t|won'?t|wasn'?t|aren'?t|don'?t|nicht|pas|jamais)\b|n[’']t\b"
    r"|不是|不会|并不|並不|没有|沒有|不再|\bне\b|\bno\s+(?:devuelve|retorna|regresa|da|muestra|es)\b|\bnão\b",
    re.I)
_EXPECTED = re.compile(
    r"\b(?:should|shall|must|ought|supposed|expect(?:s|ed|ing)?|want(?:s|ed)?|wish|hope|would|will|could|might|may"
    r"|instead\s+of|rather\s+than|needs?\s+to|in\s+order\s+to|make\s+sure|ensure|check(?:s|ed|ing)?\s+(?:that|whether|if)"
    r"|if|unless|whether)\b|应该|应当|希望|期望|应为|如果|要是|deber[ií]a|devrait|sollte|должн",
    re.I)
# A contrast starts the stretch again: "should return True but returns False".
_CONTRAST = re.compile(r"\b(?:but|however|yet|though|although|instead)\b|但是|但|却|可是|然而|\bpero\b|\bmais\b|\bно\b|\baber\b|\bmas\b", re.I)
# The end of a sentence (the query's answer is in its own sentence): explain.grammar's one splitter.
_SENTENCE_END = grammar.SENTENCE_END
# At most this many characters between a query and its answer ("`torch.cuda.is_available()` in the entry script returned False").
MAX_GAP = 48


# Providers that are not a GPU build (the default CPU one, Azure's remote one, and CPU libraries).
_CPU_PROVIDERS = {"CPUExecutionProvider", "AzureExecutionProvider", "DNNLExecutionProvider", "OpenVINOExecutionProvider"}
_CUDA_PROVIDERS = {"CUDAExecutionProvider", "TensorrtExecutionProvider", "TensorRTExecutionProvider"}


def _query_kind(query: re.Match[str]) -> str:
    """The kind of answer a query asks for: its group's name, a prefixed or library form read as the bool or count it asks."""
    kind = query.lastgroup or ""
    if kind in ("prefix", "count_prefix", "mx", "opencv", "dlib_count"):
        kind = next(k for k in ("bool", "count") if query.group(k))
    return kind


def _framework(kind: str, query: re.Match[str], text: str) -> str | None:
    """The framework a query belongs to, from its own name or the words just before it."""
    before = text[max(0, query.start() - 30):query.start()].lower()
    if kind in ("paddle_count", "paddle_device"):
        return "paddle"
    if kind == "bool":
        prefix = (query.group("prefix") or "").lower()
        if "is_gpu_available" in query.group(0):
            return "tensorflow"
        return {"numba": "numba", "nb": "numba", "cupy": "cupy", "cp": "cupy", "mx": None, "paddle": "paddle"}.get(prefix, "torch")
    if kind == "count":
        prefix = (query.group("count_prefix") or "").lower()
        if query.group("mx"):
            return "mxnet"
        if query.group("opencv"):
            return "opencv"
        if query.group("dlib_count"):
            return "dlib"
        if "getdevicecount" in query.group(0).lower():
            return "cupy"
        return {"numba": "numba", "cupy": "cupy", "cp": "cupy", "paddle": None}.get(prefix, "torch")
    if kind in ("gpu_list", "all_list"):
        return "jax" if "jax" in query.group(0) else "tensorflow"
    if kind == "providers":
        return "onnxruntime"
    if kind == "device_str":
        q = query.group(0)
        return "jax" if ("jax" in q or "get_backend" in q) else "onnxruntime" if "get_device" in q else "tensorflow"
    if kind == "build":
        if "DLIB_USE_CUDA" in query.group(0):
            return "dlib"
        if "paddle" in before or "fluid" in before or "compiled" in query.group(0):
            return "paddle" if "torch" not in before else None
        return "tensorflow"
    return None


def meaning(kind: str, framework: str, value: str) -> bool | None:
    """Whether a value printed by a query of ``kind`` finds a GPU (True), none (False), or says nothing (None)."""
    v = value.strip().strip("`'\"").strip()
    low = v.lower()
    if kind in ("bool", "build"):
        if low in ("true", "ture"):
            return True
        if low in ("false", "flase", "fasle"):
            return False
        return None
    if kind in ("count", "paddle_count"):
        if low in ("0", "zero", "零"):
            return False
        return True if v.isdigit() else None
    if kind == "providers":
        names = set(re.findall(r"\b\w+ExecutionProvider\b", v))
        if names & _CUDA_PROVIDERS:
            return True
        if names and names <= _CPU_PROVIDERS:
            return False
        return None  # DirectML, ROCm, CoreML...: another accelerator, not an NVIDIA GPU left unused
    if kind in ("gpu_list", "all_list"):
        if re.search(r"\b(?:gpu|cuda)\b|Gpu|Cuda|GPU:\d|device_type=.GPU", v, re.I):
            return True
        if v.replace(" ", "") == "[]" or re.fullmatch(r"(?:an?\s+)?empty\s+\w+|空\w*|пуст.*|lista\s+vac.*|liste\s+vide|leere\s+Liste", v, re.I):
            return False if kind == "gpu_list" else None
        if re.search(r"CpuDevice|TFRT_CPU|\bcpu\(id=|CPU:\d|device_type=.CPU|^only\b|只有|仅有", v, re.I):
            return False
        if low.isdigit():
            return low != "0" if kind == "gpu_list" else None  # len(list_physical_devices('GPU'))
        return None
    if kind in ("device_str", "paddle_device"):
        if re.fullmatch(r"/?(?:device:)?gpu(?::\d)?|cuda(?::\d)?", low):
            return True
        if low == "cpu" or (framework == "tensorflow" and (v == "" or "empty" in low or low == "空字符串")):
            return False
        return None
    return None


def _value_fits(kind: str, value: re.Match[str]) -> bool:
    """Whether a value found after a query is of the kind that query prints."""
    found = value.lastgroup or ""
    return {
        "bool": found == "bool",
        "build": found == "bool",
        "count": found in ("zero", "number"),
        "paddle_count": found in ("zero", "number"),
        "gpu_list": found in ("list", "empty_list", "zero", "number"),
        "all_list": found in ("list", "only_cpu"),
        "providers": found in ("list", "provider", "only_cpu"),
        "device_str": found in ("device", "empty_str"),
        "paddle_device": found == "device",
    }.get(kind, False)


def _clean_stretch(gap: str) -> bool:
    """Whether the words between a query and a value let the value be the query's answer."""
    if len(gap) > MAX_GAP or "\n" in gap or _SENTENCE_END.search(gap) or _QUERY.search(gap):
        return False
    tail = _CONTRAST.split(gap)[-1]
    return not (_NEGATED.search(tail) or _EXPECTED.search(tail))


def in_code(text: str, start: int, end: int) -> bool:
    """Whether the query at ``start``..``end`` is code that tests or stores it (a condition, an assert, an assignment), not an answer (``explain.grammar.in_code``)."""
    return grammar.in_code(text, start, end)


def over(text: str, start: int, end: int) -> bool:
    """Whether the answer at ``start``..``end`` is of a state that is over: an earlier time beside a change to now after it (``explain.grammar.over``)."""
    left, right = grammar.sentence_at(text, start, end)
    return grammar.over(text, left, right, end)


def read_line(text: str) -> list[Answer]:
    """Every answer a line states, each with its query: the reporter's words, a print, an arrow, a comment, in any language."""
    low = text.lower()
    if not any(w in low for w in QUERY_WORDS) or len(text) > 4000:
        return []
    out: list[Answer] = []
    pos = 0
    while (query := _QUERY.search(text, pos)) is not None:
        pos = query.end()
        kind = _query_kind(query)
        framework = _framework(kind, query, text)
        if framework is None or in_code(text, query.start(), query.end()):
            continue
        for value in _VALUE.finditer(text, query.end(), min(len(text), query.end() + MAX_GAP + 320)):
            gap = text[query.end():value.start()]
            if not _clean_stretch(gap.strip("`'\")*")):
                if len(gap) > MAX_GAP or _SENTENCE_END.search(gap) or _QUERY.search(gap):
                    break
                continue
            if not _value_fits(kind, value):
                continue
            says = meaning(kind, framework, value.group(0))
            if says is None:
                break
            if not said_of_now(text, query.start(), value.end()):
                break
            out.append(Answer(framework, query.group(0), value.group(0), says, "build" if kind == "build" else "devices",
                              query.start(), value.end()))
            break
    return out


# accort40 (session 40): a query and its value written as one printed pair, the line holding nothing else: "ort.get_device():
# GPU", "get_device() -> GPU", "onnxruntime.get_device() = GPU", "print(ort.get_device())  # GPU" (an environment report's
# row, a script's output pasted beside its query). That is the printed value itself, as the REPL pair's next line is.
_PAIR_SEPARATOR = r"\s*(?::|->|=>|→|=|#)\s*"
_PAIR_LINE = re.compile(r"^\s*(?:[-*>]\s+|\d+[.)]\s+)?[`'\"]*(?:print\s*\()?(?P<query>[\w.]+\(\s*\))\)?[`'\"]*"
                        + _PAIR_SEPARATOR + r"[`'\"]*(?P<value>[\w:/]+)[`'\"]*\s*\.?\s*$")


def printed_pair(text: str, said: Answer) -> bool:
    """Whether ``said`` was read from a line that is only its query and the value printed (above), not prose around an answer."""
    m = _PAIR_LINE.match(text)
    return m is not None and said.query.replace(" ", "") in m.group("query").replace(" ", "") and m.group("value") == said.value.strip("`'\"")


def printed_answer(expression: str, value: str) -> Answer | None:
    """What a value printed under an expression says (a REPL pair, a script's print on the next line), for the queries only this module knows."""
    query = _QUERY.search(expression)
    if query is None:
        return None
    kind = _query_kind(query)
    framework = _framework(kind, query, expression)
    if framework is None:
        return None
    says = meaning(kind, framework, value)
    if says is None:
        return None
    return Answer(framework, query.group(0), value, says, "build" if kind == "build" else "devices", 0, len(value))


# ---------------------------------------------------------------------------------------------
# A program's own GPU check that failed, raised as an exception.
# ---------------------------------------------------------------------------------------------

# The exception's name (AssertionError, RuntimeError, ValueError, SystemError, Exception, a program's own
# ...Error), then its message saying that CUDA or the GPU is not available, not found or required. Messages that
# name a cause of their own (torch's "No CUDA GPUs are available", "Torch not compiled with CUDA enabled", a CUDA
# status such as "all CUDA-capable devices are busy or unavailable") are the signatures' matter and not read here.
_EXCEPTION = r"(?:^|\s|:)(?:[A-Z]\w*(?:Error|Exception)|Exception)\s*:\s*['\"]?"
FAILED_CHECK = re.compile(
    _EXCEPTION + r"(?P<message>[^\n]{0,80}?(?:"
    r"\b(?:CUDA|GPUs?|cuda|gpus?)(?:\s+(?:device|devices|backend|support))?\s+(?:is\s+|are\s+)?(?:not\s+available|not\s+found|not\s+detected|unavailable(?!\s+or))"
    r"|\bno\s+(?:CUDA[- ]capable\s+|NVIDIA\s+|CUDA\s+|available\s+)?(?:GPUs?|gpus?|GPU\s+devices?)\s+(?:was\s+|were\s+)?(?:found|detected)"
    r"|\b(?:requires|needs)\s+(?:a\s+|an\s+)?(?:CUDA(?:-capable)?\s+|NVIDIA\s+)?(?:GPU|gpu)s?(?:\s+device)?\b(?!\s*(?:with|>|<|=|\d|of|memory|for\s+\w+ing))"
    r"|\b(?:GPU|CUDA)\s+(?:is\s+)?required\b"
    r"))",
    re.I,
)
# Torch's own messages (each a signature with its cause): not a program's check.
_OWN_MESSAGES = re.compile(r"No CUDA GPUs are available|not compiled with CUDA|CUDA-capable devices are busy|mixed precision requires a GPU|A GPU is needed for quantization", re.I)


def failed_check(text: str) -> re.Match[str] | None:
    """A program's own GPU check that failed, raised as an exception on this line, or None."""
    if "rror" not in text and "xception" not in text:
        return None
    m = FAILED_CHECK.search(text)
    if m is None or _OWN_MESSAGES.search(text):
        return None
    return m



def said_of_now(text: str, start: int, end: int) -> bool:
    """Whether an answer written at ``start``..``end`` of ``text`` is asserted of now: not asked, supposed or advised, not hearsay, not a state that is over.

    The decision is ``explain.grammar``'s, the one for every reader of the reporter's words: a yes/no question asks
    the answer ("does torch.cuda.is_available() return False for you?"), a question that presupposes it does not
    ("why does ... return False?"); a condition or advice in its sentence supposes it.
    """
    left, right = grammar.sentence_at(text, start, end)
    if grammar.asked(text, left, right, start, end) or grammar.hearsay(text, left, right):
        return False
    if grammar.supposed(text, left, right, start, end) or grammar.advised(text, left, start, end):
        return False
    return not grammar.over(text, left, right, end)


# A line that prints a query's value and shows none: print(...), python -c "...", or the expression alone.
_PRINTS = re.compile(r"\bprint\s*\(|\bpython[\d.]*\s+-c\b|^\s*[`$>]*\s*[\w.$]+\s*(?:\(\s*\))?\s*[`]*\s*$")
_BARE = re.compile(r"^\s*(?:Out\[\d+\]:\s*)?[`'\"]?\s*(?P<value>.+?)\s*[`'\"]?\s*$")


def asked(text: str) -> tuple[str, str, str] | None:
    """The query a line prints without its value ((kind, framework, query as written)), whose answer a later line may show."""
    if not any(w in text.lower() for w in QUERY_WORDS) or len(text) > 1000 or not _PRINTS.search(text):
        return None
    queries = list(_QUERY.finditer(text))
    if len(queries) != 1:
        return None  # several values printed: the print's own reading (explain.logfacts) pairs them
    query = queries[0]
    kind = _query_kind(query)
    framework = _framework(kind, query, text)
    if framework is None or in_code(text, query.start(), query.end()) or read_line(text):
        return None
    if re.search(r"\b(?:if|else|for|while|assert|def|return)\b|=(?!=)", text[:query.start()]):
        return None  # code around the query, not a print of its value
    return kind, framework, query.group(0)


def printed_value(question: tuple[str, str, str], text: str) -> Answer | None:
    """A line that is only a value of the kind ``question``'s query prints (its answer on the next lines), or None."""
    kind, framework, query = question
    bare = _BARE.match(text)
    if bare is None:
        return None
    value = _VALUE.fullmatch(bare.group("value"))
    if value is None or not _value_fits(kind, value):
        return None
    says = meaning(kind, framework, value.group(0))
    if says is None:
        return None
    return Answer(framework, query, value.group(0), says, "build" if kind == "build" else "devices", 0, len(text))


# ---------------------------------------------------------------------------------------------
# accnogpu (session 23): a query's value stored in a variable, its answer told on a later line.
# ---------------------------------------------------------------------------------------------

# An assignment of one query's value (C#, C++, Java, Python: "int count = Cv2.GetCudaEnabledDeviceCount();",
# "n = torch.cuda.device_count()"), the line that shows only the call, not its value.
_STORED = re.compile(r"(?:^|[\s`;{(])(?P<var>[A-Za-z_]\w*)\s*=(?!=)\s*(?:\([\w\s]*\)\s*)?(?:new\s+)?[\w.:]*?(?=[\w.:]*\s*\()")
# The later line that tells it: its subject is the value (it, this, that, the result/count/value, the variable) or is
# left out ("is still 0."), then a verb that states a value; the rest of the sentence stays (its grammar decides).
_TOLD = re.compile(r"^[\s`>*-]*(?:(?:and\s+)?(?:it|this|that|which|the\s+(?:result|value|count|output|answer|number|call)|(?P<var>[A-Za-z_]\w*))\s+)?"
                   r"(?=(?:(?:always|still|just|only|also|now|then|simply)\s+)*(?:returns?|returned|is|was|gives?|gave|prints?|printed|shows?|showed|stays?|remains?|equals?)\b)",
                   re.I)
# A later line may tell it within this many lines (blank lines between a code block and the sentence under it).
STORED_SPAN = 3


def stored(text: str) -> tuple[tuple[str, str, str], str] | None:
    """A line that stores one query's value in a variable without showing it: ((kind, framework, query), variable), or None."""
    if "=" not in text or len(text) > 400 or not any(w in text.lower() for w in QUERY_WORDS):
        return None
    queries = list(_QUERY.finditer(text))
    if len(queries) != 1:
        return None
    query = queries[0]
    assigned = _STORED.search(text[:query.start()] + query.group(0))
    if assigned is None or read_line(text) or re.search(r"\b(?:if|elif|while|assert|return)\b", text[:query.start()]):
        return None
    kind = _query_kind(query)
    framework = _framework(kind, query, text)
    if framework is None:
        return None
    return (kind, framework, query.group(0)), assigned.group("var")


def told(question: tuple[tuple[str, str, str], str], text: str) -> Answer | None:
    """The answer a line tells of a stored query's value ("it always returns 0.", "is still 0.", "count is 0"), or None.

    The line is read as if the query stood where its subject is, by the same grammar as an answer on the query's own
    line (``read_line``): a negation, an expectation, a question or a condition in it leaves no answer.
    """
    (_kind, framework, query), variable = question
    subject = _TOLD.match(text)
    if subject is None or (subject.group("var") and subject.group("var") != variable):
        return None
    said = read_line(f"{query} {text[subject.end():]}")
    return next((a for a in said if a.framework == framework), None)
