"""The streaming scanner: finds the few lines of a log that can matter and matches signatures on them.

A log is read in chunks of bytes, never whole.  Each chunk is searched once, in C, for all the
signatures together: with RE2 (google-re2) one linear-time pass of their alternation finds the
lines some signature matches, and on each such line one pass of an RE2 set says which
signatures match; Python's ``re`` then runs only those, for their groups.  On a big log,
Hyperscan (the ``fast`` extra), where installed, makes that first pass instead: it finds the
same lines, and already says which patterns each holds.  Without RE2 the
chunk is lower-cased and searched for the catalogue's needles (one pass per first letter) and
each line holding one is tried against the signatures its needles name.  Either way a line
that no signature can match is never decoded.  A benign signature passes its first
``REPEAT_EXAMPLES`` lines one by one; later ones are counted and handed over once, at the end
of the scan, as one ``LineMatch`` with ``repeats`` set (so a log repeating a harmless line a
million times costs a counter, not a million evidence lines; with Hyperscan, a plain line is
counted without even being decoded).
Memory stays bounded whatever the log size: one chunk, plus at most ``MAX_LINE`` of a line that
has not ended yet.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from whygpu import lazyre as re
from whygpu.explain.catalogue import Catalogue, Signature, match_groups
from whygpu.explain.normalize import (
    FULLWIDTH,
    FULLWIDTH_TRIGGER,
    RESPELL_TRIGGER,
    respell,
    space_fullwidth,
    unwrap,
)
from whygpu.safetext import strip_controls

try:
    import re2  # google-re2: every signature in one linear-time pass
except ImportError:  # pragma: no cover - a platform without its wheel falls back to the needles
    re2 = None

CHUNK = 1 << 20
# A line longer than this is cut and read in pieces (a log of megabyte-long progress lines
# must not make memory grow).
MAX_LINE = 1 << 20
# Signatures are tried on at most this much text around each needle of a long line.
MAX_MATCH_TEXT = 4096

# Lines of one benign signature passed one by one before the rest are only counted.
REPEAT_EXAMPLES = 3
# Bytes of whole lines given to one RE2 search (see ``Scanner._hits``).
SEARCH_WINDOW = 1 << 15
# A log this big is read with Hyperscan (the ``fast`` extra) rather than RE2 in the automatic
# mode: from its start when its size is known (``Scanner.expect``), else once this much is read.
# Compiling Hyperscan's database costs about 0.1 s of CPU; it saves about 1 ms a MB over RE2 on
# plain training output and 3 ms on a log full of benign lines (bench/explain_results.md).
HYPERSCAN_AFTER = 64 << 20
# Hyperscan reports every place a match can end ("CUDA_ERROR_[A-Z_]+" ends after each letter):
# past this many in one chunk, RE2 reads that chunk instead, so memory stays bounded.
MAX_ENDS = 1 << 16
# Escapes that Python's re, RE2 and Hyperscan (PCRE syntax) read alike; ``v`` is rewritten.
_SAME_ESCAPES = frozenset("dDsSwWbBtnrfxAv")

# Pasted and scraped logs carry the same messages in other characters: typographic quotes, dashes
# and spaces (a word processor, a forum, a chat client), HTML character references (a page copied
# as its source, an issue tracker's e-mail), and quotes escaped by a Python repr or a JSON string.
# Each line is matched in its ASCII form (``normalise``); the byte pass that finds candidate lines
# flags a line holding any of them (``NORMALISE_TRIGGER``), since its patterns see the raw bytes.
_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ",
    # accpaste (session 39): zero-width characters a chat client or a web page leaves inside words (explain.pasted).
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
})
# A character reference ends with ';' (HTML's rule for the ones a page writes); numeric ones are bounded.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ESCAPED_QUOTE = re.compile(r"""\\(['"])""")
# The same characters as UTF-8 bytes (for the byte pass: Latin-1 RE2 and Hyperscan read a byte as one
# character), a character reference (unbounded here: Hyperscan compiles bounded repeats slower; the
# line is then decoded with ``_ENTITY``'s bounds), or an escaped quote (a plain alternative: one that
# also asked for a needle on the line cost a third more CPU on a log of TensorFlow lines).
NORMALISE_TRIGGER = (r"\xe2\x80[\x8b-\x8d\x90-\x95\x98-\x9f\xaf\xb2\xb3]|\xe2\x88\x92|\xe2\x80\x87|\xe2\x80\x89|\xc2\xa0|\xe2\x81\xa0|\xef\xbb\xbf"
                     r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]+);" "|\\\\['\"]")
# accnorm (session 20): full-width punctuation and spaces (explain.normalize.FULLWIDTH) are read in their ASCII
# form too.  (A line whose message a paste put behind a log prefix or inside markup, or re-spaced: ``loosened``.)
_TYPOGRAPHIC.update(FULLWIDTH)


def normalise(text: str) -> str:
    """``text`` with typographic punctuation, character references and escaped quotes in their ASCII form."""
    if not text.isascii():
        text = space_fullwidth(text).translate(_TYPOGRAPHIC)
    if "&" in text and ";" in text:
        decoded = _ENTITY.sub(lambda m: html.unescape(m[0]), text)
        if decoded != text:
            text = decoded.translate(_TYPOGRAPHIC)
    if "\\" in text:
        text = _ESCAPED_QUOTE.sub(r"\1", text)
    return text


def _trie_regex(words: list[str]) -> str:
    """A regex matching any of ``words`` (a word that is a prefix of another makes it redundant)."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in sorted(set(words)):
        node = trie
        for char in word:
            if "" in node:
                break
            node = node.setdefault(char, {})
        else:
            node.clear()
            node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        if "" in node:
            return ""
        parts = [re.escape(char) + emit(child) for char, child in sorted(node.items())]
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return emit(trie)


@lru_cache(maxsize=8)
def build_prefilter(needles: tuple[str, ...]) -> tuple[re.Pattern[bytes], ...]:
    """One compiled pattern per first letter of the needles; each begins with a literal (built once per set of needles)."""
    groups: dict[str, list[str]] = {}
    for needle in needles:
        groups.setdefault(needle[0], []).append(needle)
    return tuple(re.compile(_trie_regex(words).encode("ascii")) for _, words in sorted(groups.items()))


def signature_needles(sig: Signature, needles: tuple[str, ...]) -> tuple[str, ...]:
    """The needles written literally in a signature's pattern (a test checks this is sound)."""
    literal = sig.pattern.replace("\\", "").lower()
    return tuple(n for n in needles if n in literal)


@dataclass(frozen=True)
class LineMatch:
    """A signature that matched one line (or, with ``repeats`` > 1, that many lines like it)."""

    signature: Signature
    line: int
    text: str
    groups: dict[str, str]
    # The following line, for signatures that read two lines ("... is_available()" / "False").
    next_text: str = ""
    # How many lines this match stands for: more than 1 only for the one hand-over, at the end of
    # a scan, of a benign signature's lines beyond its first ``REPEAT_EXAMPLES`` (``line`` and
    # ``text`` are then the last of them).  Added for the speed work of issue 9; a consumer
    # that counts lines adds ``repeats`` instead of 1.
    repeats: int = 1
    # The line as written, when ``text`` is what it reads once its paste's packaging is taken off
    # (``explain.normalize.unwrap``): what evidence shows (accnorm, session 20).
    shown: str = ""


def one_line(pattern: str) -> str:
    """``pattern`` unable to match across a line end: negated classes and ``\\s`` leave out ``\\n``.

    Python matches a signature on one line of text, which holds no line end, so this changes
    nothing there; on a whole chunk it keeps each match (and RE2's search for where it starts)
    within one line.  ``^`` and ``$`` let the bytes that reading the line drops (carriage returns
    before its text, the blanks and carriage returns after it, as at a Windows line end) stand
    between them and the text.
    """
    out: list[str] = []
    i, size, in_class = 0, len(pattern), False
    while i < size:
        char = pattern[i]
        if char == "\\" and i + 1 < size:
            escape = pattern[i : i + 2]
            if escape == "\\s":
                out.append("\\t\\f\\r\\x0b " if in_class else "[\\t\\f\\r\\x0b ]")
            else:
                out.append(escape)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            negated = pattern.startswith("[^", i)
            out.append("[^\\n" if negated else "[")
            i += 2 if negated else 1
            if i < size and pattern[i] == "]":  # a "]" first in a class is a literal
                out.append("\\]")
                i += 1
            continue
        if char == "]" and in_class:
            in_class = False
        elif char == "^" and not in_class:
            char = "^\\r*"
        elif char == "$" and not in_class:
            char = "[\\t\\r ]*$"
        out.append(char)
        i += 1
    return "".join(out)


def loosened(pattern: str) -> str:
    """``pattern`` for the byte pass only, so that a line as a paste left it is a candidate (accnorm, session 20).

    Its ``^`` and ``$`` anchors are dropped (a log prefix or markup before or after the message), and a space is
    allowed before a colon and around a slash ("Driver / library", "libcudart.so.11.0 : cannot").  A superset of
    the lines ``pattern`` matches: the line found is read in Python as written and with its packaging taken off
    (``explain.normalize.unwrap``), and only what matches there counts.
    """
    out: list[str] = []
    i, size, in_class = 0, len(pattern), False
    while i < size:
        char = pattern[i]
        if char == "\\" and i + 1 < size:
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            i += 1
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if i < size and pattern[i] == "]":
                out.append("]")
                i += 1
            continue
        if char == "]" and in_class:
            in_class = False
        elif char in "^$" and not in_class:
            i += 1
            continue
        elif char == ":" and not in_class and not re.search(r"\(\?[a-zA-Z-]*$", pattern[:i]):
            char = " ?:"
        elif char == "/" and not in_class:
            char = " ?/ ?"
        out.append(char)
        i += 1
    return "".join(out)


def _re2_options(latin1: bool) -> Any:
    options = re2.Options()
    options.never_capture = True
    # The alternation of every signature outgrew RE2's default 8 MiB DFA budget (session 17, when several
    # branches' signatures met): RE2 then logs "DFA out of memory" on stderr at every search and falls back
    # to a slower engine. 64 MiB keeps the DFA (a few MiB more resident only while a scan runs).
    options.max_mem = 64 << 20
    if latin1:
        # Raw log bytes may be any bytes: one byte is one character (the patterns are ASCII).
        options.encoding = re2.Options.Encoding.LATIN1
    return options


class Matcher:
    """Tries the catalogue's signatures on one decoded line: those an RE2 set names, else those its needles name."""

    def __init__(self, catalogue: Catalogue, *, use_re2: bool | None = None) -> None:
        self.needles = catalogue.needles
        self.signatures = catalogue.signatures
        self._always: list[Signature] = []
        self._by_needle: dict[str, list[Signature]] = {n: [] for n in self.needles}
        self._order = {sig.id: i for i, sig in enumerate(catalogue.signatures)}
        for sig in catalogue.signatures:
            own = signature_needles(sig, self.needles)
            if not own:
                self._always.append(sig)
            for needle in own:
                self._by_needle[needle].append(sig)
        self._two_line = [s for s in catalogue.signatures if s.next_line_of is not None]
        self.uses_re2 = re2 is not None if use_re2 is None else use_re2 and re2 is not None
        # Set ids 0..n-1 are the signatures, n.. the first lines of the two-line signatures.
        self._set: Any = None
        self.filter: Any = None  # the alternation of every pattern, for whole chunks of bytes
        # The filter's alternatives one by one (line-bounded), in the RE2 set's order and then the
        # colour-code one: what Hyperscan compiles, so that its ids are the set's.
        self.filter_patterns: tuple[str, ...] = ()
        self._last: tuple[str, list[int]] = ("\0", [])
        if self.uses_re2:
            patterns = [s.pattern for s in self.signatures]
            patterns += [s.next_line_of.pattern for s in self._two_line if s.next_line_of is not None]
            self._set = re2.Set.SearchSet(_re2_options(latin1=False))
            for pattern in patterns:
                self._set.Add(pattern)
            self._set.Compile()
            # Multi-line: a pattern's ^ and $ are a line's start and end, as on the one line
            # Python matches.  The last alternative is a line with a colour code before a needle:
            # codes could split a phrase, so that line is matched too, on its text without them.
            needles = "|".join(re.escape(n) for n in self.needles)
            # Then a line whose text only matches once normalised (``normalise``): its typographic or
            # escaped characters are found here, and the line is matched in Python in its ASCII form.
            self.filter_patterns = (*(one_line(loosened(p)) for p in patterns), f"{NORMALISE_TRIGGER}|{FULLWIDTH_TRIGGER}", RESPELL_TRIGGER,
                                    f"\x1b[^\n]*(?i:{needles})")
            alternation = "(?m)" + "|".join(f"(?:{p})" for p in self.filter_patterns)
            self.filter = re2.compile(alternation.encode("ascii"), _re2_options(latin1=True))

    def _ids(self, text: str) -> list[int]:
        """The RE2 set's ids of the patterns found in ``text`` (the last line's answer is kept for ``arms``)."""
        # One read of the memo and one write: a matcher is shared by every scan of the process (``shared_matcher``),
        # so two threads may ask at once; each gets the ids of its own text.
        last = self._last
        if last[0] != text:
            last = (text, sorted(self._set.Match(text) or ()))
            self._last = last
        return last[1]

    def _candidates(self, text: str) -> list[Signature]:
        if self._set is not None:
            count = len(self.signatures)
            return [self.signatures[i] for i in self._ids(text) if i < count]
        low = text.lower()
        seen: dict[str, Signature] = {s.id: s for s in self._always}
        for needle in self.needles:
            if needle in low:
                for sig in self._by_needle[needle]:
                    seen.setdefault(sig.id, sig)
        return sorted(seen.values(), key=lambda s: self._order[s.id])

    def set_candidates(self, text: str) -> list[Signature]:
        """The signatures the RE2 set finds in ``text`` (empty without RE2)."""
        return self._candidates(text) if self._set is not None else []

    def match(self, text: str, *also: str) -> list[tuple[Signature, re.Match[str]]]:
        """Every signature that matches ``text``; generic ones only when nothing specific did.

        ``also``: the same line with its paste's packaging taken off (``explain.normalize.unwrap``): a signature
        that does not match ``text`` is tried on each in turn (the match's ``string`` says which text it read).
        """
        found: list[tuple[Signature, re.Match[str]]] = []
        for sig in self._candidates(text):
            # Python's re decides (and gives the groups); RE2 only narrowed the candidates.
            m = sig.regex.search(text)
            if m is not None:
                found.append((sig, m))
        for other in also:
            own = {sig.id for sig, _ in found}
            for sig in self._candidates(other):
                if sig.id not in own and (m := sig.regex.search(other)) is not None:
                    found.append((sig, m))
        if any(s.kind == "failure" and not s.generic for s, _ in found):
            found = [(s, m) for s, m in found if not (s.kind == "failure" and s.generic)]
        replaced = {r for s, _ in found for r in s.replaces}
        if replaced:
            found = [(s, m) for s, m in found if s.id not in replaced]
        return found

    def arms(self, text: str) -> list[Signature]:
        """Two-line signatures whose first line this is."""
        if self._set is not None:
            count = len(self.signatures)
            armed = [self._two_line[i - count] for i in self._ids(text) if i >= count]
            return [s for s in armed if s.next_line_of is not None and s.next_line_of.search(text)]
        return [s for s in self._two_line if s.next_line_of is not None and s.next_line_of.search(text)]


def hyperscan_available() -> bool:
    """True when the ``hyperscan`` package (the ``fast`` extra) can be imported."""
    try:
        import hyperscan  # noqa: F401
    except (ImportError, OSError):  # not installed, or its library does not load here
        return False
    return True


@lru_cache(maxsize=4)
def hyperscan_database(patterns: tuple[str, ...]) -> Any:
    """``patterns`` compiled by Hyperscan (block mode, ``^``/``$`` at line ends), id = index; None without it.

    The package's shipped database of exactly these patterns when it loads here (explain.hsdb: a compile costs
    0.3-0.4 s of CPU); else compiled now. None too when Hyperscan cannot compile one of them (a construct it
    lacks): RE2 then does the whole scan, with the same results.
    """
    try:
        import hyperscan  # noqa: F401
    except (ImportError, OSError):
        return None
    from whygpu.explain import hsdb

    shipped = hsdb.shipped(patterns)
    return shipped if shipped is not None else compile_database(patterns)


def compile_database(patterns: tuple[str, ...]) -> Any:
    """``patterns`` compiled by Hyperscan now (what ``hyperscan_database`` and the shipped file use); None if it cannot."""
    import hyperscan

    expressions = []
    for pattern in patterns:
        # Hyperscan reads PCRE's syntax: an escape that means something else there (``\v`` is
        # any vertical space, newline included) is written out, or Hyperscan is not used.
        escapes = set(re.findall(r"\\(.)", pattern))
        if any(e.isalnum() and e not in _SAME_ESCAPES for e in escapes):
            return None
        expressions.append(re.sub(r"\\(\\|v)", lambda m: "\\x0b" if m[1] == "v" else m[0], pattern))
    try:
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(
            expressions=[p.encode("ascii") for p in expressions],
            ids=list(range(len(patterns))),
            elements=len(patterns),
            flags=hyperscan.HS_FLAG_MULTILINE,
        )
    except (hyperscan.error, UnicodeEncodeError):
        return None
    return database


def _collect(pattern: int, start: int, end: int, flags: int, ends: list[tuple[int, int]]) -> bool:
    """Hyperscan's match callback: keep where the match ended and which pattern it was; stop at ``MAX_ENDS``."""
    ends.append((end, pattern))
    return len(ends) >= MAX_ENDS


def unwrapped(text: str) -> tuple[str, ...]:
    """accnorm: ``text``'s other forms to match, its paste's packaging taken off (``explain.normalize.unwrap``):
    with a logger's level kept (a signature may read it: "ERROR: NVIDIA driver is not loaded"), then without."""
    kept = unwrap(text, reader=True)
    bare = unwrap(text)
    # lead (session 29): a retyped message's misspelt words spelt right (explain.normalize.respell), as one more form.
    right = respell(bare)
    fixed = (right,) if right is not bare else ()
    if bare is text:
        return fixed
    return ((bare,) if kept is text or kept == bare else (kept, bare)) + fixed


def _with_literal_lines(text: str, plain: tuple[str, ...]) -> tuple[str, ...]:
    """acclayout (session 21): ``plain`` and the lines of ``text`` written in it with literal "\\n" (``explain.layout``),
    each also with its paste's packaging taken off."""
    from whygpu.explain.layout import literal_lines

    out = list(plain)
    for piece in literal_lines(text):
        for form in (piece, *unwrapped(piece)):
            if form not in out:
                out.append(form)
    return tuple(out)


# Matchers already built, by (the catalogue's identity, engine): the catalogue is kept beside its matcher, so its
# identity cannot be reused while the entry lives.
_MATCHERS: dict[tuple[int, bool | None], tuple[Catalogue, Matcher]] = {}
_MATCHERS_LOCK = threading.Lock()
_MATCHERS_KEPT = 4


def shared_matcher(catalogue: Catalogue, use_re2: bool | None = None) -> Matcher:
    """The matcher of ``catalogue`` for this engine, built once per process.

    Building one compiles the RE2 set of every signature and the filter's alternation (about 40 ms of CPU): a
    process that explains many logs (the monitor, the test suite, a caller of the library) pays it once. A
    matcher holds no state of a scan but the memo of the last line's ids, which is safe to share.
    """
    key = (id(catalogue), use_re2)
    with _MATCHERS_LOCK:
        entry = _MATCHERS.get(key)
        if entry is None or entry[0] is not catalogue:
            if len(_MATCHERS) >= _MATCHERS_KEPT:
                _MATCHERS.pop(next(iter(_MATCHERS)))
            entry = (catalogue, Matcher(catalogue, use_re2=use_re2))
            _MATCHERS[key] = entry
        return entry[1]


def clean(raw: bytes) -> tuple[str, bool]:
    """Decode one line (bad UTF-8 replaced, normalised, control sequences dropped); True when bytes were replaced."""
    text = raw.decode("utf-8", "replace")
    replaced = "\ufffd" in text and b"\xef\xbf\xbd" not in raw
    text = strip_controls(normalise(text))
    return text.rstrip("\r\n\t "), replaced


class Scanner:
    """Feeds a byte stream through the prefilter and the matcher, calling back for each match."""

    def __init__(self, catalogue: Catalogue, on_match: Callable[[LineMatch], None], *,
                 use_re2: bool | None = None, use_hyperscan: bool | None = None) -> None:
        self.catalogue = catalogue
        self.matcher = shared_matcher(catalogue, use_re2)
        self._filter = self.matcher.filter
        # Hyperscan finds the lines instead of RE2 (and says which patterns each holds): from the
        # start when asked, after ``HYPERSCAN_AFTER`` bytes by default, never without RE2 (which
        # still gives the long lines' windows and narrows the signatures a line is tried on).
        # (Imported only then: a small log never loads it.)
        self._hyperscan_wanted = self._filter is not None and use_hyperscan is not False
        self._hyperscan_from = 0 if use_hyperscan else HYPERSCAN_AFTER
        self._hyperscan = False
        # Hyperscan's database and scratch space, by whether the chunk holds an escape (ESC) byte:
        # without one, the colour-code alternative cannot match, and leaving it out of the
        # database makes the scan of a log full of needles ("gpu", "cuda") a third faster.
        self._databases: dict[bool, tuple[Any, Any]] = {}
        self._signature_ids = [s.id for s in catalogue.signatures]
        self._signature_index = {sid: i for i, sid in enumerate(self._signature_ids)}
        self._passes = build_prefilter(catalogue.needles)
        self.on_match = on_match
        self.lines = 0
        self.bytes = 0
        self.replaced_lines = 0
        self.long_lines: list[int] = []
        self.candidates = 0
        self._pending: list[tuple[Signature, int, str]] = []
        # Benign signature id -> lines passed one by one, and the last line held back with the count:
        # [signature, groups, line, text, next_text, count], updated in place.
        self._benign_seen: dict[str, int] = {}
        self._held: dict[str, list[Any]] = {}
        # The same signatures by their index (= their Hyperscan and RE2 set ids), kept in step.
        self._held_ids: set[int] = set()

    def expect(self, size: int) -> None:
        """A hint that ``size`` more bytes are coming (a plain file's size): a big log gets Hyperscan from its start."""
        if self.bytes + size >= HYPERSCAN_AFTER:
            self._hyperscan_from = min(self._hyperscan_from, self.bytes)

    @property
    def uses_hyperscan(self) -> bool:
        """True once Hyperscan has taken over finding the lines."""
        return self._hyperscan

    def _engage_hyperscan(self) -> None:
        """Take up Hyperscan if it loads here; RE2 stays if it does not."""
        self._hyperscan_wanted = False
        try:
            import hyperscan  # noqa: F401
        except (ImportError, OSError):  # not installed, or its library does not load here
            return
        self._hyperscan = True

    def _database(self, escapes: bool) -> tuple[Any, Any] | None:
        """Hyperscan's database (compiled once per process) and this scanner's scratch space for it; None if it cannot be had."""
        if escapes not in self._databases:
            import hyperscan

            patterns = self.matcher.filter_patterns
            database = hyperscan_database(patterns if escapes else patterns[:-1])
            if database is None:
                return None
            try:
                self._databases[escapes] = (database, hyperscan.Scratch(database))
            except hyperscan.error:  # pragma: no cover - out of memory for the scratch space
                return None
        return self._databases[escapes]

    def scan(self, read: Callable[[int], bytes], *, final: bool = True) -> None:
        """Read ``read(n)`` until it returns empty bytes.

        With ``final=False`` the data is the first part of a longer log that ends at a line end:
        a two-line signature waiting for its second line stays pending (``resolve_pending``).
        Benign lines held back are handed over, counted, when the scan ends.
        """
        # Each chunk is searched where it lies (no copies of whole chunks): only the line that
        # straddles two chunks is joined, and only the unfinished tail is kept.
        carry = b""
        last = b"\n"
        while True:
            data = read(CHUNK)
            if not data:
                break
            self.bytes += len(data)
            last = data[-1:]
            lo = 0
            if carry:
                first = data.find(b"\n")
                if first < 0:
                    carry += data
                    if len(carry) >= MAX_LINE:
                        # A line with no end in sight: read what we have as a piece of it.
                        self.long_lines.append(self.lines + 1)
                        self._body(carry, 0, len(carry))
                        carry = b""
                    continue
                head = carry + data[: first + 1]
                carry = b""
                self._body(head, 0, len(head))
                lo = first + 1
            cut = data.rfind(b"\n", lo)
            if cut >= 0:
                self._body(data, lo, cut + 1)
                lo = cut + 1
            if lo < len(data):
                carry = data[lo:]
                if len(carry) >= MAX_LINE:
                    self.long_lines.append(self.lines + 1)
                    self._body(carry, 0, len(carry))
                    carry = b""
        if carry:
            self._body(carry, 0, len(carry))
        self._hand_over_held()
        if not final:
            return
        # The log ended before the second line of a two-line signature.
        self._pending = []
        if last != b"\n":
            self.lines += 1

    @property
    def pending(self) -> bool:
        """True when a two-line signature waits for the line after the data scanned so far."""
        return bool(self._pending)

    def resolve_pending(self, next_line: bytes) -> None:
        """Give the two-line signatures still waiting the line that follows the data scanned."""
        end = next_line.find(b"\n")
        text, _ = clean(next_line[: end if end >= 0 else len(next_line)][:MAX_MATCH_TEXT])
        for sig, line, prev in self._pending:
            self._second_line(sig, line, prev, text)
        self._pending = []

    def _hand_over_held(self) -> None:
        """Each benign signature's lines beyond its first few, as one counted match; then start counting afresh."""
        held, self._held, self._benign_seen = self._held, {}, {}
        self._held_ids.clear()
        for sig, groups, line, text, next_text, count in held.values():
            self.on_match(LineMatch(sig, line, text, groups, next_text, count))

    def _only_held(self, text: str, line_no: int) -> bool:
        """With RE2: count a line only benign signatures already held back match, without matching it in Python."""
        sigs = self.matcher.set_candidates(text)
        if not sigs or any(sig.id not in self._held for sig in sigs) or self.matcher.arms(text):
            return False
        for sig in sigs:
            held = self._held[sig.id]
            held[2:] = [line_no, text, "", held[5] + 1]
        return True

    def _emit(self, match: LineMatch) -> None:
        sig = match.signature
        if sig.kind == "benign":
            seen = self._benign_seen.get(sig.id, 0) + 1
            self._benign_seen[sig.id] = seen
            if seen > REPEAT_EXAMPLES:
                count = self._held[sig.id][5] if sig.id in self._held else 0
                self._held[sig.id] = [sig, match.groups, match.line, match.text, match.next_text, count + 1]
                self._held_ids.add(self._signature_index[sig.id])
                return
        self.on_match(match)

    def _body(self, body: bytes, lo: int, hi: int) -> None:
        """Scan ``body[lo:hi]``: whole lines, except that the last may continue in the next chunk."""
        if self._pending:
            first_end = body.find(b"\n", lo, hi)
            first = body[lo : first_end if first_end >= 0 else hi]
            text, _ = clean(first[:MAX_MATCH_TEXT])
            for sig, line, prev in self._pending:
                self._second_line(sig, line, prev, text)
            self._pending = []
        if self._hyperscan_wanted and self.bytes >= self._hyperscan_from:
            self._engage_hyperscan()
        if self._hyperscan:
            escapes = body.find(b"\x1b", lo, hi) >= 0
            if not escapes and hi - lo < CHUNK // 4 and False not in self._databases and True in self._databases:
                # A short piece (the line two chunks share) is not worth a second database.
                escapes = True
            database = self._database(escapes)
            if database is None:
                self._hyperscan = False  # Hyperscan cannot compile these patterns: RE2 reads on
            elif self._hyperscan_body(body, lo, hi, *database):
                return
        hits = self._hits(body, lo, hi)
        counted_to = lo
        line_no = self.lines
        for start in sorted(hits):
            line_no += body.count(b"\n", counted_to, start)
            counted_to = start
            end = body.find(b"\n", start, hi)
            if end < 0:
                end = hi
            self._line(body, start, end, hits[start], line_no + 1, hi)
        # The line ends before the last hit are counted already.
        self.lines = line_no + body.count(b"\n", counted_to, hi)

    def _hyperscan_body(self, body: bytes, lo: int, hi: int, database: Any, scratch: Any) -> bool:
        """``_body`` with Hyperscan: one pass finds the lines and which patterns each holds.

        A plain line (printable ASCII, no trailing blank: its text is its bytes, and the
        patterns Hyperscan found on it are those the RE2 set would) that only benign signatures
        already held back match is counted here, as ``_only_held`` would, without decoding it.
        False, with nothing done, when the chunk holds too many match ends (``MAX_ENDS``).
        """
        import hyperscan

        ends: list[tuple[int, int]] = []
        try:
            database.scan(memoryview(body)[lo:hi], match_event_handler=_collect, context=ends, scratch=scratch)
        except hyperscan.ScanTerminated:
            return False
        rfind, find, count = body.rfind, body.find, body.count
        if not ends:
            self.lines += count(b"\n", lo, hi)
            return True
        ends.sort()
        held, held_ids, names = self._held, self._held_ids, self._signature_ids
        line_no = self.lines
        counted_to = lo
        line_end = -1
        ids: list[int] = []
        start = lo
        # Each match lies within one line (the patterns are line-bounded); its last byte says
        # which.  A line is dealt with once its ids are all known: at the next line's first match.
        for end, pattern in (*ends, (hi - lo + 2, -1)):
            last = lo + end - 1
            if last < line_end:
                ids.append(pattern)
                continue
            if ids:
                line_no += count(b"\n", counted_to, start)
                counted_to = start
                if held_ids and held_ids.issuperset(ids) and line_end - start <= MAX_MATCH_TEXT:
                    raw = body[start:line_end]
                    # Printable ASCII (no control byte, not even a tab), no trailing blank.
                    text = raw.decode("ascii") if raw.isascii() else ""
                    if text.isprintable() and text and text[-1] != " ":
                        self.candidates += 1
                        for i in ids if len(ids) == 1 else set(ids):
                            entry = held[names[i]]
                            entry[2], entry[3], entry[4], entry[5] = line_no + 1, text, "", entry[5] + 1
                        ids = []
                if ids:
                    # Hyperscan gives where matches end: a long line's windows are placed as RE2 does.
                    found = [start]
                    if line_end - start > MAX_MATCH_TEXT:
                        found = [x.start() for x in self._filter.finditer(body, start, line_end)] or found
                    self._line(body, start, line_end, found, line_no + 1, hi)
            if pattern < 0:
                break
            start = rfind(b"\n", lo, last) + 1 or lo
            line_end = find(b"\n", last, hi)
            if line_end < 0:
                line_end = hi
            ids = [pattern]
        self.lines = line_no + count(b"\n", counted_to, hi)
        return True

    def _hits(self, body: bytes, lo: int, hi: int) -> dict[int, list[int]]:
        """Line start -> where in the line a signature (RE2) or a needle (without RE2) was found."""
        hits: dict[int, list[int]] = {}
        if self._filter is not None:
            # One search per matching line: the next search starts at the following line.
            search = self._filter.search
            pos = lo
            while pos < hi:
                # Searched a window of whole lines at a time: the binding copies the text it is
                # given, so one search per hit over the rest of a 1 MiB chunk would copy it again.
                stop = min(hi, pos + SEARCH_WINDOW)
                if stop < hi:
                    nl = body.rfind(b"\n", pos, stop)
                    stop = nl + 1 if nl >= pos else (body.find(b"\n", stop, hi) + 1 or hi)
                m = search(body, pos, stop)
                if m is None:
                    pos = stop
                    continue
                at = m.start()
                start = body.rfind(b"\n", lo, at) + 1 or lo
                end = body.find(b"\n", at, hi)
                end = hi if end < 0 else end
                if end - start > MAX_MATCH_TEXT:
                    # A long line is matched in windows: around every place a pattern starts.
                    found = [x.start() for x in self._filter.finditer(body, start, end)]
                    hits[start] = found or [at]
                else:
                    hits[start] = [at]
                pos = end + 1
            return hits
        lower = body.lower()
        for rx in self._passes:
            pos = lo
            search = rx.search
            while True:
                m = search(lower, pos, hi)
                if m is None:
                    break
                hits.setdefault(lower.rfind(b"\n", lo, m.start()) + 1 or lo, []).append(m.start())
                end = lower.find(b"\n", m.end(), hi)
                if end < 0:
                    break
                pos = end + 1
        return hits

    def _pieces(self, body: bytes, start: int, end: int, found: list[int]) -> Iterator[tuple[int, int]]:
        """Spans of the line worth matching: the whole line, or windows around what was found in a long one."""
        if end - start <= MAX_MATCH_TEXT:
            yield start, end
            return
        if self._filter is None:
            # The needle passes stopped at the first needle of each line: find them all.
            lower = body[start:end].lower()
            found = sorted(start + m.start() for rx in self._passes for m in rx.finditer(lower))
        taken = start
        for at in sorted(found):
            if at < taken:
                continue
            left = max(start, at - MAX_MATCH_TEXT // 2, taken)
            right = min(end, at + MAX_MATCH_TEXT // 2)
            # Progress bars rewrite the line with \r; the message is the last rewrite before it.
            cr = body.rfind(b"\r", left, at)
            if cr >= 0:
                left = cr + 1
            if right > left:
                yield left, right
                taken = right

    def _line(self, body: bytes, start: int, end: int, found: list[int], line_no: int, hi: int) -> None:
        self.candidates += 1
        for left, right in self._pieces(body, start, end, found):
            text, replaced = clean(body[left:right])
            if replaced:
                self.replaced_lines += 1
            # A progress bar rewritten in place with \r: each rewrite is its own text.
            parts = [p for p in text.split("\r") if p.strip()] if "\r" in text else [text]
            for part in parts:
                plain = unwrapped(part)
                if "\\n" in part:
                    # acclayout: a captured output printed as a repr or a JSON string: its lines, each as pasted.
                    plain = _with_literal_lines(part, plain)
                if self._held and not plain and self._only_held(part, line_no):
                    continue
                for sig, m in self.matcher.match(part, *plain):
                    groups = match_groups(m)
                    self._emit(LineMatch(sig, line_no, m.string, groups, shown=part if m.string is not part else ""))
                armed = self.matcher.arms(part)
                for other in plain:
                    armed += [s for s in self.matcher.arms(other) if s not in armed]
                for sig in armed:
                    if end >= hi - 1:
                        self._pending.append((sig, line_no, part))
                        continue
                    nxt = body.find(b"\n", end + 1, hi)
                    following = body[end + 1 : nxt if nxt >= 0 else hi]
                    second, _ = clean(following[:MAX_MATCH_TEXT])
                    self._second_line(sig, line_no, part, second)

    def _second_line(self, sig: Signature, line: int, first: str, second: str) -> None:
        if sig.next_line is not None and any(sig.next_line.search(t) for t in (second, *unwrapped(second))):
            self._emit(LineMatch(sig, line, first, {}, next_text=second))
