"""The program's line inside a line as people paste it: the packaging a paste adds to any message, taken off.

accnorm (session 20).  Real pasted logs differ from the line a program printed in ways that are the same for every
message, whatever the program: a log prefix of the application, container, scheduler or journal in front
("2023-01-02 10:11:12,123 - root - ", "stderr F ", "pod/trainer-0: ", "Jan 02 10:11:12 host python3[4021]: ",
"[ComfyUI] "), markdown or HTML around the whole line ("`...`", "**...**", "<code>...</code>", "...<br>", a list
bullet, a paste's line number), colour codes whose escape byte a copy lost ("[31m...[0m"), spaces a translator or a
typist put around punctuation ("Driver / library", "libcudart.so.11.0 : cannot"), and full-width punctuation
("Error：libcudnn.so.8：cannot open", written with a Chinese or Japanese input method).  Full-width punctuation
and spaces are characters with one ASCII form each (``FULLWIDTH``, applied with the typographic ones by
``explain.scan.normalise``); the rest is ``unwrap``, whose result a reader reads IN ADDITION to the line as it
is (a reading of the line as written is never lost, and what is shown as evidence stays the line as written).

What is never taken off: prose before or after a message (a sentence, other-language text: it says whether
the message is the reporter's question or advice, which the readers judge), markup inside a line (a sentence
quoting "`Driver/library version mismatch`" stays a sentence), and a framework's own prefix that the signatures
read (TensorFlow's "W tensorflow/...cc:59]", glog's "E0102 ...]").
"""

from __future__ import annotations

from whygpu import lazyre as re

# Full-width forms (U+FF01..U+FF5E) are ASCII's printable characters shifted by 0xFEE0; the ideographic space
# is a space.  A full-width colon, comma or semicolon carries its own space: one is added where a letter follows
# (``space_fullwidth``), so "Error：libcudnn" reads as "Error: libcudnn" (a digit follows with none: "11：45").
FULLWIDTH = {0xFF01 + i: chr(0x21 + i) for i in range(0x5E)} | {0x3000: " "}
_FULLWIDTH_GAP = re.compile("([\uff1a\uff0c\uff1b])(?=[^\\W\\d_])")
# The same characters as UTF-8 bytes, for the scan's byte pass (U+FF01..U+FF5E, U+3000).
FULLWIDTH_TRIGGER = r"\xef\xbc[\x81-\xbf]|\xef\xbd[\x80-\x9e]|\xe3\x80\x80"


def space_fullwidth(text: str) -> str:
    """``text`` with a space after each full-width colon, comma or semicolon that has none (before translation)."""
    return _FULLWIDTH_GAP.sub(r"\1 ", text)


# --- the packaging before a line: log prefixes, one after another ------------------------------------------------
_TIME = (r"(?:\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?"
         r"|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d\d:\d\d:\d\d(?:[.,]\d{1,9})?)")
_LEVELS = r"(?:DEBUG|INFO|NOTICE|WARNING|WARN|ERROR|CRITICAL|FATAL)"
# accsmall38 (session 38): the kinds of report an issue tracker's templates put in brackets before a title ("[Bug] ...",
# "[BUG] ...", "[Feature Request] ...", "[Question] ...", "[Installation] ..."; vLLM's templates title "[Bug]: ", "[Usage]: ",
# "[Installation]: ", "[Performance]: ", "[Doc]: ", "[Misc]: ", "[RFC]: ", "[New Model]: ",
# https://github.com/vllm-project/vllm/tree/main/.github/ISSUE_TEMPLATE; NVIDIA Warp's "[BUG]", "[REQ]", "[QST]",
# https://github.com/NVIDIA/warp/tree/main/.github/ISSUE_TEMPLATE): the writer's title, not a program's log tag ("[ComfyUI]",
# "[Distributed]"), so the tag stays on the line and the rest is not read as the program's message.
_REPORT_KIND = (r"(?i:bugs?|bug\s+report|feature(?:\s+request)?|feat|enhancement|request|req|question|qst|q&a|help|help\s+wanted|support"
                r"|installation|install|usage|performance|perf|doc|docs|documentation|misc|rfc|discussion|proposal|issue|problem"
                r"|new\s+model|model|hardware|urgent|wip|draft|solved|resolved|closed|fixed|answered)")
_MACHINE = re.compile(
    r"[ \t]*(?:"
    # A time stamp, bare or in brackets, then its separator.
    rf"\[?{_TIME}\]?(?:[ \t]*[-|:][ \t]|[ \t]+)"
    # journald / syslog after its time stamp: host, program[pid]:
    r"|[\w.-]+ [\w.@/-]+\[\d+\]: "
    # A container runtime's stream tag (CRI: "stderr F "), Kubernetes' "pod/x: " or "[pod/x/container] ".
    r"|(?:stdout|stderr) [FP] "
    r"|(?:pod|deployment|job|statefulset|daemonset)/[\w.-]+(?:/[\w.-]+)?:? "
    r"|\[(?:pod|deployment|job)/[\w./-]+\] "
    # docker compose's service prefix ("comfyui-1  | ", "web_1  | ").
    r"|[\w.-]+[-_]\d+[ \t]+\| "
    # Python logging's default "name - " before its level, Slurm's "srun: ".
    rf"|[\w.]+ - (?={_LEVELS}\b)|srun: "
    # An application's tag ("[ComfyUI] ", "[TensorRT-LLM] "): a name in brackets, not a level, no colon or digit first, and
    # not an issue title's tag (accsmall38: "[Bug] CUDA not available" is a title, whose tag names the kind of report).
    rf"|\[(?!(?i:{_LEVELS}|errno)\b)(?!{_REPORT_KIND}\])[A-Za-z][\w .-]{{1,30}}\] "
    r")"
)
# What a paste puts before a line, for the signatures only (the fact reader reads these itself: a quote, a list,
# Jupyter's prompts): a paste's line number ("12 | "), Slurm's task label ("0: "), Jupyter's output prompt, a
# markdown quote, bullet or numbered item.
_PASTE = re.compile(r"[ \t]*(?:\d{1,5}[ \t]*\| |\d{1,4}: |Out\[\d+\]:[ \t]*|(?:>[ \t]?)+|[-*+] (?!\[)|\d{1,3}\. (?=[A-Z]))")
# A level a logger writes before the message ("ERROR - ", "[WARNING] ", "INFO: "): taken off for the signatures
# (the line as written, level and all, is read too), kept for the readers that read a level as a program's line.
_LEVEL = re.compile(r"[ \t]*\[?" + _LEVELS + r"\]?(?:[ \t]*[-:|][ \t]|[ \t]+)")
# The levels that say nothing went wrong: taken off for the fact reader too ("INFO Using device: cpu" is an answer).
_QUIET_LEVEL = re.compile(r"[ \t]*\[?(?:DEBUG|INFO|NOTICE|TRACE)\]?(?:[ \t]*[-:|][ \t]|[ \t]+)")
# --- the markup around a whole line --------------------------------------------------------------------------------
# accmisc39 (session 39): not a markdown fence itself ("```", "````"): backticks alone are no text wrapped in them (read
# as "`", the fence was lost to explain.placement's code blocks).
_WRAPPED = re.compile(r"(`+|\*\*|__|<(code|pre|tt|kbd|b|strong|p)>)(?![`]*$)(.+?)(?:\1|</\2>)$")
# accpaste (session 39): markdown's single-marker emphasis around a whole line ("_False_", "*CUDA not available*", and
# with strong emphasis inside: "_**SystemError: GPU device not found**_"): the marker touches the text on both sides
# (markdown's own rule), so "* item" (a bullet) and "_ _" are left alone.
_WRAPPED_ONE = re.compile(r"([*_])(?=\S)(.+?)(?<=\S)\1$")
_TRAILING = re.compile(r"(?:[ \t]*<br\s*/?>|[ \t]*</?p>)+$", re.I)
# accnoticed (session 37): an issue form's label in markdown emphasis, its colon inside or after the markers ("**PyTorch
# version**: 2.1.0+cpu", "- **TensorFlow version:** 2.12.0", "__PyTorch version__: 2.1", "*Python version*: 3.10"), and its
# value in strong emphasis ("PyTorch version (GPU?): **2.0.1+cpu** (False)"): the form's line is the text without the
# markers. ``__name__`` without a space in it is Python's dunder ("__init__: ..."), not emphasis, and is left alone.
_FORM_EMPHASIS = re.compile(
    r"(?P<lead>[-*+][ \t]+|\d{1,3}[.)][ \t]+)?(?:(?P<m>\*\*|__|\*)(?P<label>[A-Za-z][^*\n:]{0,80}?)(?P<colon>[ \t]*:?)(?P=m)(?P<after>[ \t]*:)?"
    r"|(?P<plain>[A-Za-z][\w .()/?-]{0,80}?:[ \t]*)\*\*(?=\S))")
_FORM_VALUE = re.compile(r"(?<=:)([ \t]*)\*\*(?=\S)([^*\n]{1,80}?)(?<=\S)\*\*")


def form_emphasis_off(text: str) -> str:
    """``text`` (a line that starts with a form's label) without markdown emphasis around its label and its value; ``text`` itself otherwise."""
    m = _FORM_EMPHASIS.match(text)
    if m is None:
        return text
    if m.group("m") is not None:
        if (m.group("m") == "__" and " " not in m.group("label")) or ":" not in m.group("colon") + (m.group("after") or ""):
            return text
        text = (m.group("lead") or "") + m.group("label") + m.group("colon") + (m.group("after") or "") + text[m.end():]
    return _FORM_VALUE.sub(r"\1\2", text, count=1) if "**" in text else text


# --- colour codes that lost their escape byte in a copy, or written out ("^[[31m", "\x1b[0m", "\033[1;33m") --------
_COLOUR = re.compile(r"(?:\^\[|\\x1[bB]|\\033|\\e|\\u001[bB])?(?<!\x1b)\[[0-9;]{0,12}m")
# --- spaces a paste added around punctuation: "Driver / library", "libcudart.so.11.0 : cannot" --------------------
_SPACED_SLASH = re.compile(r"(?<=\w) / (?=\w)")
# (One space before a colon: a column of aligned "Driver Version          : 535.86" is a table, read as it is;
# a comma after a word stays apart, as a package name in a sentence is no list: "install tensorflow-gpu , it".)
_SPACED_STOP = re.compile(r"(?<=[\w.)\]'\"]) (:)(?= )")
# A cheap test: could any packaging be on this line at all?
_MAYBE = re.compile(r"^[ \t]*[\d\[A-Z<`*_>+a-z-]|[`*_]$|>$|\[[0-9;]{0,12}m| [/:;,] ")


def unwrap(text: str, *, reader: bool = False) -> str:
    """The program's line inside ``text`` as pasted (log prefixes, whole-line markup, lost colour codes and added
    spaces taken off); ``text`` itself when it carries none.

    ``reader``: for the fact reader, which reads a logger's warning or error level (a program's line), markdown
    quotes and lists, and Jupyter's prompts itself: those stay.
    """
    if _MAYBE.search(text) is None:
        return text
    out = text
    if "[" in out and "m" in out:
        out = _COLOUR.sub("", out)
    start = len(out)
    for _ in range(6):
        m = _MACHINE.match(out)
        if m is None:
            m = _QUIET_LEVEL.match(out) if reader else _PASTE.match(out) or _LEVEL.match(out)
        if m is None or m.end() == 0:
            break
        out = out[m.end():]
    body = out.strip()
    for _ in range(2):
        if body.endswith(">"):
            body = _TRAILING.sub("", body).rstrip()
        wrapped = _WRAPPED.match(body)
        if wrapped is None:
            one = _WRAPPED_ONE.match(body) if body[:1] in "*_" else None
            if one is None:
                break
            body = one.group(2).strip()
            continue
        body = wrapped.group(3).strip()
    if ("**" in body or "__" in body or body[:1] == "*" or "*" in body[:4]) and _FORM_EMPHASIS.match(body):
        body = form_emphasis_off(body)
    if " " in body:
        if " / " in body:
            body = _SPACED_SLASH.sub("/", body)
        if " : " in body:
            body = _SPACED_STOP.sub(r"\1", body)
    if body == text.strip():
        return text
    # A line nothing was taken from the front of keeps its indent (a traceback's, a wrapped line's).
    return out[: len(out) - len(out.lstrip())] + body if len(out) == start else body


# accmisc (session 27): markdown's strong emphasis inside a sentence ("Kokoro ran on the **CPU** despite ...", "GPU at
# **0%**"): GitHub and most issue trackers render ``**text**`` bold, so the writer's sentence is the text without the
# markers. Taken off only for the readers of the writer's words (explain.statements), never for a program's line. The
# ``__text__`` form is left alone: Python's dunder names (``torch.__version__``) are written the same way.
_STRONG = re.compile(r"(?<![\w*])\*\*(?=\S)([^*\n]{1,80}?)(?<=\S)\*\*(?![\w*])")


def emphasis_off(text: str) -> str:
    """``text`` with markdown's strong emphasis markers around words taken off (``**CPU**`` -> ``CPU``); ``text`` itself when it has none."""
    return _STRONG.sub(r"\1", text) if "**" in text else text


# --- lead (session 29): a message retyped with a misspelt word ------------------------------------------------------
# Reporters who retype a message rather than paste it misspell its words ("CUDA error: no kernal image is available for
# excution on the device"): a maintainer reads through the spelling, the signatures' fixed words do not. Each word below
# is a misspelling of one word of the CUDA, driver and framework messages (and a British spelling of an American one)
# that has no other meaning in an English sentence, so the respelled line reads as the message and nothing else. The
# byte pass flags a line holding one (``RESPELL_TRIGGER``); the line is then also matched in its respelled form, and
# what evidence shows stays the line as written.
MISSPELT = {
    "kernal": "kernel", "kernals": "kernels",
    "excution": "execution", "exection": "execution", "executon": "execution", "exeuction": "execution",
    "avaliable": "available", "availible": "available", "availabe": "available", "avilable": "available",
    "availble": "available", "avalible": "available", "avaible": "available", "avalable": "available",
    "devcie": "device", "deivce": "device", "divice": "device",
    "libary": "library", "librairy": "library", "libraby": "library",
    "compatable": "compatible", "compatibile": "compatible", "compatiable": "compatible",
    "insufficent": "insufficient", "insuficient": "insufficient", "unsufficient": "insufficient",
    "suported": "supported", "supportted": "supported",
    "dectected": "detected", "detcted": "detected", "deteced": "detected",
    "missmatch": "mismatch", "mistmatch": "mismatch",
    "initialise": "initialize", "initialised": "initialized", "initialisation": "initialization",
    "intialize": "initialize", "initalize": "initialize", "initilize": "initialize",
}
_MISSPELT = re.compile(r"\b(" + "|".join(sorted(MISSPELT, key=len, reverse=True)) + r")\b", re.I)
RESPELL_TRIGGER = "(?i:" + "|".join(sorted(MISSPELT, key=len, reverse=True)) + ")"


def _respelt(m: re.Match[str]) -> str:
    word = m.group(1)
    right = MISSPELT[word.lower()]
    return right.upper() if word.isupper() and len(word) > 1 else right.capitalize() if word[0].isupper() else right


def respell(text: str) -> str:
    """``text`` with the misspelt message words of ``MISSPELT`` spelt right; ``text`` itself when it has none."""
    return _MISSPELT.sub(_respelt, text) if _MISSPELT.search(text) else text
