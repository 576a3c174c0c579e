"""The log signatures and their tables, loaded from ``signatures.toml`` and compiled once."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from whygpu.knowledge import read_data
from whygpu.knowledge.causes import is_cause_code
from whygpu.model import Confidence, Severity

KINDS = ("failure", "positive", "benign", "context")
RESOLVERS = ("", "library", "cuda_error", "status")
# In a pattern, this stands for the table-driven pattern of every GPU status code (explain/status.py).
STATUS_PATTERN = "@GPU_STATUS@"



# The layers whose states give a signature its fix and deciding check unless the row writes its own (each module's
# ``signature_texts``): the row's key, the knowledge module, the layer's name in an error, the prefix of the kept state.
# acckfix (session 32): the kernel module's (knowledge/kernel_module.toml); acccudnn (session 33): cuDNN's (knowledge/cudnn.toml).
_STATE_TABLES = (
    ("state", "whygpu.knowledge.kernel_module", "kernel module", ""),
    ("cudnn_state", "whygpu.knowledge.cudnn", "cuDNN", "cudnn:"),
)

@dataclass(frozen=True)
class When:
    """An override of a signature's conclusion that applies when a context tag was seen."""

    context: str
    cause: str | None = None
    confidence: Confidence | None = None
    title: str | None = None
    fix: str | None = None
    also: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Seen:
    """Another real line a signature matches, with where it was published."""

    line: str
    source: str


@dataclass(frozen=True)
class Signature:
    """One kind of log line and what it means for the GPU."""

    id: str
    kind: str
    # The regular expression as written in the data file; compiled on first use (``regex``).
    pattern: str
    title: str
    framework: str
    versions: str
    example: str
    source: str
    cause: str | None = None
    resolve: str = ""
    also: tuple[str, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    severity: Severity = Severity.ERROR
    fix: str = ""
    decide: str = ""
    # acckfix (session 32): the kernel module's state the line means (knowledge/kernel_module.toml); its fix and deciding
    # check are the state's unless the row writes its own (``knowledge.kernel_module.signature_texts``). acccudnn (session 33):
    # a cuDNN layer's state (``cudnn_state``, knowledge/cudnn.toml) is kept as "cudnn:<id>".
    state: str = ""
    why: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    when: tuple[When, ...] = ()
    generic: bool = False
    local: bool = False
    gpu_used: bool | None = None
    api: str | None = None
    next_line: re.Pattern[str] | None = None
    next_line_of: re.Pattern[str] | None = None
    # Signatures this one makes redundant on the same line (a more exact reading of it).
    replaces: tuple[str, ...] = ()
    # accnoticed38 (session 38): shared signatures (several frameworks print the message) whose line this one is the own form
    # of, for its one framework: in a log of that framework alone, a line the shared one read is read as this one.
    form_of: tuple[str, ...] = ()
    # What the line shows, in a few words, for the titles of findings its tags change.
    shows: str = ""
    seen: tuple[Seen, ...] = ()
    # False when no public occurrence of the example line was found; ``verify_note`` says why.
    verified: bool = True
    verify_note: str = ""
    # True for an answer read after an expression ("torch.cuda.is_available() is False"): the same
    # words as the condition of an if/assert/while in code are not an answer, and do not match.
    not_in_code: bool = False
    # Context tags whose presence anywhere in the logs makes this failure say nothing (a line that
    # shows the same program reached the GPU, which the failure's words would deny).
    quiet_when: tuple[str, ...] = ()
    # accprog (session 18): for a context line a program prints when the work it runs went to the CPU
    # (whisper's "FP16 is not supported on CPU"), the framework whose "no GPU" answer the line is: read
    # as that framework's answer, so LOG104 says the GPU went unused and ranks the causes the line does not name.
    answers: str | None = None
    # accnoticed41 (session 41): for an ``answers`` line, the program runs on the CPU as a mode of its own and prints the line
    # on every CPU run: it answers for the framework only where the log shows a GPU or a wish for one (explain.cpumode).
    cpu_mode: bool = False
    # acclayout (session 21): the pattern's prefix / suffix a paste may cut off (``_optional_ends``), as written.
    head: str = ""
    tail: str = ""

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern (compiled when first needed: most runs try a few signatures only)."""
        return _compile(self.pattern, self.id)

    @property
    def blocks_gpu(self) -> bool:
        """True when a match shows the GPU could not be used."""
        if self.kind != "failure":
            return False
        if self.gpu_used is not None:
            return not self.gpu_used
        return self.severity is Severity.ERROR


@dataclass(frozen=True)
class LibraryRule:
    """What it means that a library of this name could not be loaded."""

    regex: re.Pattern[str]
    kind: str
    source: str
    cause: str | None = None
    also: tuple[str, ...] = ()
    severity: Severity = Severity.ERROR
    benign: str = ""
    # accnoticed39 (session 39): the loaders whose line makes ``benign`` hold (TensorFlow's optional TF-TRT load for
    # libnvinfer); None where any loader's line does.
    benign_loader: re.Pattern[str] | None = None

    def benign_at(self, line: str) -> str:
        """The row's harmlessness for a failure shown on ``line``: ``benign`` where the row names no loader or the line is
        one of its loaders; "" otherwise (the one decision of whether a library's failure to load is harmless)."""
        if not self.benign or (self.benign_loader is not None and self.benign_loader.search(line) is None):
            return ""
        return self.benign


@dataclass(frozen=True)
class Catalogue:
    """Everything ``signatures.toml`` holds, compiled."""

    signatures: tuple[Signature, ...]
    needles: tuple[str, ...]
    libraries: tuple[LibraryRule, ...]
    by_id: dict[str, Signature] = field(default_factory=dict)

    def library_rule(self, name: str) -> LibraryRule | None:
        """The first library rule matching a library file name (its directory is ignored)."""
        base = re.split(r"[\\/]", name.strip())[-1]
        return next((rule for rule in self.libraries if rule.regex.search(base)), None)

    def cuda_error_for_message(self, text: str) -> str | None:
        """The CUDA error name whose printed text ``text`` contains, if any (knowledge/gpu_status.toml's distinctive texts)."""
        from whygpu.knowledge.gpu_status import status_by_text

        status = status_by_text(text)
        return status.name if status is not None else None


def _causes(values: Any, where: str) -> tuple[str, ...]:
    out = tuple(str(v) for v in values or ())
    for code in out:
        if not is_cause_code(code):
            raise ValueError(f"{where}: unknown cause code {code!r}")
    return out


def _cause(value: Any, where: str) -> str | None:
    if value is None:
        return None
    return _causes([value], where)[0]


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.ASCII)
    except re.error as exc:
        raise ValueError(f"{where}: bad pattern: {exc}") from None


def _signature(row: dict[str, Any]) -> Signature:
    sid = str(row["id"])
    kind = str(row["kind"])
    if kind not in KINDS:
        raise ValueError(f"{sid}: unknown kind {kind!r}")
    resolve = str(row.get("resolve", ""))
    if resolve not in RESOLVERS:
        raise ValueError(f"{sid}: unknown resolver {resolve!r}")
    if kind == "failure" and not resolve and not row.get("cause"):
        raise ValueError(f"{sid}: a failure needs a cause or a resolver")
    whens = tuple(
        When(
            context=str(w["context"]),
            cause=_cause(w.get("cause"), sid),
            confidence=Confidence(w["confidence"]) if "confidence" in w else None,
            title=w.get("title"),
            fix=w.get("fix"),
            also=_causes(w["also"], sid) if "also" in w else None,
        )
        for w in row.get("when", ())
    )
    fix, decide, state = str(row.get("fix", "")), str(row.get("decide", "")), ""
    for key, module, layer, prefix in _STATE_TABLES:
        if named := str(row.get(key, "")):
            try:
                fix, decide = importlib.import_module(module).signature_texts(named, fix, decide)
            except KeyError:
                raise ValueError(f"{sid}: unknown {layer} state {named!r}") from None
            state = prefix + named
    pattern = _optional_ends(sid, str(row["pattern"]), row.get("head"), row.get("tail"))
    if STATUS_PATTERN in pattern:
        from whygpu.explain.status import trigger_pattern

        pattern = pattern.replace(STATUS_PATTERN, trigger_pattern())
    return Signature(
        id=sid,
        kind=kind,
        pattern=pattern,
        title=str(row["title"]),
        framework=str(row["framework"]),
        versions=str(row["versions"]),
        example=str(row["example"]),
        source=str(row["source"]),
        cause=_cause(row.get("cause"), sid),
        resolve=resolve,
        also=_causes(row.get("also"), sid),
        confidence=Confidence(row.get("confidence", "medium")),
        severity=Severity(row.get("severity", "error")),
        fix=fix,
        decide=decide,
        state=state,
        why=str(row.get("why", "")),
        note=str(row.get("note", "")),
        tags=tuple(row.get("tags", ())),
        when=whens,
        generic=bool(row.get("generic", False)),
        local=bool(row.get("local", False)),
        gpu_used=row.get("gpu_used"),
        api=row.get("api"),
        next_line=_compile(row["next_line"], sid) if "next_line" in row else None,
        next_line_of=_compile(row["next_line_of"], sid) if "next_line_of" in row else None,
        replaces=tuple(str(r) for r in row.get("replaces", ())),
        form_of=tuple(str(r) for r in row.get("form_of", ())),
        shows=str(row.get("shows", "")),
        seen=tuple(Seen(line=str(s["line"]), source=str(s["source"])) for s in row.get("seen", ())),
        verified=bool(row.get("verified", True)),
        verify_note=str(row.get("verify_note", "")),
        not_in_code=bool(row.get("not_in_code", False)),
        quiet_when=tuple(str(t) for t in row.get("quiet_when", ())),
        answers=_answers(row, sid, kind),
        cpu_mode=_cpu_mode(row, sid),
        head=str(row.get("head", "")),
        tail=str(row.get("tail", "")),
    )


# acclayout (session 21): what stands where a paste cut a message's head or tail off: the line's start or end, with at
# most the quote, bracket, stop or blank a paste leaves there.
_CUT_START = r"^[ \t'\"`(\[>*-]*"
# ... or a quote that a reporter opened (closed) right at the core: the message quoted in prose, its head (tail) left
# out.  Such a reading names an empty group of these names; it counts only where the sentence asserts it
# (``explain.infer.Collector``: not in a question, a condition or advice, explain/grammar.py decides).
QUOTED_START, QUOTED_END = "quoted_from_core", "quoted_to_core"


def match_groups(m: re.Match[str]) -> dict[str, str]:
    """A signature match's named groups that matched, by name; ``name__form`` is read as ``name``.

    accfiles (session 26): Python names a group once per pattern, so a pattern that takes one value (a library file's
    name) in several print forms names each form's group ``library__form`` and the reading sees ``library``.
    """
    return {k.partition("__")[0]: v for k, v in m.groupdict().items() if v is not None}
_CUT_END = r"[ \t.,;:!'\"`)\]*]*$"


def _optional_ends(sid: str, pattern: str, head: Any, tail: Any) -> str:
    """``pattern`` with its ``head`` (a prefix of it) and ``tail`` (a suffix) made optional where the line starts or ends
    without them, or a quote opens (closes) right at the core: a message whose distinctive core says what it means
    with or without them, pasted cut or quoted in prose."""
    if tail:
        tail = str(tail)
        if not pattern.endswith(tail) or "|" in _top_level(pattern[: -len(tail)]):
            raise ValueError(f"{sid}: tail must end the pattern, after a core with no top-level alternative")
        pattern = f"{pattern[: -len(tail)]}(?:{tail}|{_CUT_END}|[`'\"](?P<{QUOTED_END}>))"
    if head:
        head = str(head)
        if not pattern.startswith(head) or "|" in _top_level(pattern[len(head):]):
            raise ValueError(f"{sid}: head must start the pattern, before a core with no top-level alternative")
        pattern = f"(?:{head}|{_CUT_START}|[`'\"](?P<{QUOTED_START}>)){pattern[len(head):]}"
    return pattern


def _top_level(pattern: str) -> str:
    """The characters of ``pattern`` outside any group or class (escapes dropped)."""
    out: list[str] = []
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
        i += 1
    return "".join(out)


def _answers(row: dict[str, Any], sid: str, kind: str) -> str | None:
    """A context signature's ``answers``: the framework (torch, tensorflow, jax, any) whose "no GPU" answer its line is."""
    value = row.get("answers")
    if value is None:
        return None
    if kind != "context" or value not in ("torch", "tensorflow", "jax", "any"):
        raise ValueError(f"{sid}: answers needs kind = context and one of torch, tensorflow, jax, any")
    return str(value)


def _cpu_mode(row: dict[str, Any], sid: str) -> bool:
    """A context signature's ``cpu_mode`` (explain.cpumode): only beside ``answers``."""
    value = bool(row.get("cpu_mode", False))
    if value and row.get("answers") is None:
        raise ValueError(f"{sid}: cpu_mode needs answers")
    return value


def parse_catalogue(data: dict[str, Any]) -> Catalogue:
    """Build a catalogue from the parsed TOML (checks ids, kinds and cause codes)."""
    signatures = tuple(_signature(row) for row in data["signature"])
    by_id: dict[str, Signature] = {}
    for sig in signatures:
        if sig.id in by_id:
            raise ValueError(f"duplicate signature id {sig.id}")
        by_id[sig.id] = sig
    for sig in signatures:
        for other in sig.replaces:
            if other not in by_id:
                raise ValueError(f"{sig.id}: replaces unknown signature {other}")
        for other in sig.form_of:
            if other not in by_id:
                raise ValueError(f"{sig.id}: form_of unknown signature {other}")
        if not sig.verified and not sig.verify_note:
            raise ValueError(f"{sig.id}: verified = false needs a verify_note")
    libraries = tuple(
        LibraryRule(
            regex=re.compile(str(row["pattern"]), re.ASCII | re.IGNORECASE),
            kind=str(row["kind"]),
            source=str(row["source"]),
            cause=_cause(row.get("cause"), f"library {row['pattern']}"),
            also=_causes(row.get("also"), f"library {row['pattern']}"),
            severity=Severity(row.get("severity", "error")),
            benign=str(row.get("benign", "")),
            benign_loader=re.compile(str(row["benign_loader"]), re.IGNORECASE) if row.get("benign_loader") else None,
        )
        for row in data.get("library", ())
    )
    return Catalogue(
        signatures=signatures,
        needles=tuple(str(n).lower() for n in data["prefilter"]["needles"]),
        libraries=libraries,
        by_id=by_id,
    )


def load_data() -> dict[str, Any]:
    """A fresh parse of ``signatures.toml`` shipped in this package (the catalogue is cached instead)."""
    return read_data("whygpu.explain", "signatures")


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The compiled catalogue (built once per process)."""
    return parse_catalogue(load_data())
