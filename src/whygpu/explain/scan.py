"""The streaming scanner: finds the few lines of a log that can matter and matches signatures on them.

A log is read in chunks of bytes, never whole.  Each chunk is lower-cased once and searched for
the catalogue's needles (one regular-expression pass per needle's first letter, so the search
runs in C); only the lines holding a needle are decoded and tried against the signatures.
Memory stays bounded whatever the log size: one chunk, plus at most ``MAX_LINE`` of a line that
has not ended yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from whygpu.explain.catalogue import Catalogue, Signature
from whygpu.safetext import strip_controls

CHUNK = 1 << 20
# A line longer than this is cut and read in pieces (a log of megabyte-long progress lines
# must not make memory grow).
MAX_LINE = 1 << 20
# Signatures are tried on at most this much text around each needle of a long line.
MAX_MATCH_TEXT = 4096



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


def build_prefilter(needles: tuple[str, ...]) -> list[re.Pattern[bytes]]:
    """One compiled pattern per first letter of the needles; each begins with a literal."""
    groups: dict[str, list[str]] = {}
    for needle in needles:
        groups.setdefault(needle[0], []).append(needle)
    return [re.compile(_trie_regex(words).encode("ascii")) for _, words in sorted(groups.items())]


def signature_needles(sig: Signature, needles: tuple[str, ...]) -> tuple[str, ...]:
    """The needles written literally in a signature's pattern (a test checks this is sound)."""
    literal = sig.pattern.replace("\\", "").lower()
    return tuple(n for n in needles if n in literal)


@dataclass(frozen=True)
class LineMatch:
    """A signature that matched one line."""

    signature: Signature
    line: int
    text: str
    groups: dict[str, str]
    # The following line, for signatures that read two lines ("... is_available()" / "False").
    next_text: str = ""


class Matcher:
    """Tries the catalogue's signatures on one decoded line, cheapest first."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.needles = catalogue.needles
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

    def match(self, text: str) -> list[tuple[Signature, re.Match[str]]]:
        """Every signature that matches ``text``; generic ones only when nothing specific did."""
        low = text.lower()
        seen: dict[str, Signature] = {s.id: s for s in self._always}
        for needle in self.needles:
            if needle in low:
                for sig in self._by_needle[needle]:
                    seen.setdefault(sig.id, sig)
        found: list[tuple[Signature, re.Match[str]]] = []
        for sig in sorted(seen.values(), key=lambda s: self._order[s.id]):
            m = sig.regex.search(text)
            if m is not None:
                found.append((sig, m))
        if any(s.kind == "failure" and not s.generic for s, _ in found):
            found = [(s, m) for s, m in found if not (s.kind == "failure" and s.generic)]
        replaced = {r for s, _ in found for r in s.replaces}
        if replaced:
            found = [(s, m) for s, m in found if s.id not in replaced]
        return found

    def arms(self, text: str) -> list[Signature]:
        """Two-line signatures whose first line this is."""
        return [s for s in self._two_line if s.next_line_of is not None and s.next_line_of.search(text)]


def clean(raw: bytes) -> tuple[str, bool]:
    """Decode one line (bad UTF-8 replaced, control sequences dropped); True when bytes were replaced."""
    text = raw.decode("utf-8", "replace")
    replaced = "\ufffd" in text and b"\xef\xbf\xbd" not in raw
    text = strip_controls(text)
    return text.rstrip("\r\n\t "), replaced


class Scanner:
    """Feeds a byte stream through the prefilter and the matcher, calling back for each match."""

    def __init__(self, catalogue: Catalogue, on_match: Callable[[LineMatch], None]) -> None:
        self.catalogue = catalogue
        self.matcher = Matcher(catalogue)
        self._passes = build_prefilter(catalogue.needles)
        self.on_match = on_match
        self.lines = 0
        self.bytes = 0
        self.replaced_lines = 0
        self.long_lines: list[int] = []
        self.candidates = 0
        self._pending: list[tuple[Signature, int, str]] = []

    def scan(self, read: Callable[[int], bytes], *, final: bool = True) -> None:
        """Read ``read(n)`` until it returns empty bytes.

        With ``final=False`` the data is the first part of a longer log that ends at a line end:
        a two-line signature waiting for its second line stays pending (``resolve_pending``).
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

    def _body(self, body: bytes, lo: int, hi: int) -> None:
        """Scan ``body[lo:hi]``: whole lines, except that the last may continue in the next chunk."""
        if self._pending:
            first_end = body.find(b"\n", lo, hi)
            first = body[lo : first_end if first_end >= 0 else hi]
            text, _ = clean(first[:MAX_MATCH_TEXT])
            for sig, line, prev in self._pending:
                self._second_line(sig, line, prev, text)
            self._pending = []
        lower = body.lower()
        starts: set[int] = set()
        for rx in self._passes:
            pos = lo
            search = rx.search
            while True:
                m = search(lower, pos, hi)
                if m is None:
                    break
                starts.add(lower.rfind(b"\n", lo, m.start()) + 1 or lo)
                end = lower.find(b"\n", m.end(), hi)
                if end < 0:
                    break
                pos = end + 1
        counted_to = lo
        line_no = self.lines
        for start in sorted(starts):
            line_no += body.count(b"\n", counted_to, start)
            counted_to = start
            end = body.find(b"\n", start, hi)
            if end < 0:
                end = hi
            self._line(body, lower, start, end, line_no + 1, hi)
        self.lines += body.count(b"\n", lo, hi)

    def _pieces(self, lower: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
        """Spans of the line worth matching: the whole line, or windows around needles in a long one."""
        if end - start <= MAX_MATCH_TEXT:
            yield start, end
            return
        taken = start
        for rx in self._passes:
            pos = start
            while pos < end:
                m = rx.search(lower, pos, end)
                if m is None:
                    break
                left = max(start, m.start() - MAX_MATCH_TEXT // 2, taken)
                right = min(end, m.start() + MAX_MATCH_TEXT // 2)
                # Progress bars rewrite the line with \r; the message is the last rewrite before it.
                cr = lower.rfind(b"\r", left, m.start())
                if cr >= 0:
                    left = cr + 1
                if right > left:
                    yield left, right
                    taken = right
                pos = max(m.end(), right)

    def _line(self, body: bytes, lower: bytes, start: int, end: int, line_no: int, hi: int) -> None:
        self.candidates += 1
        for left, right in self._pieces(lower, start, end):
            text, replaced = clean(body[left:right])
            if replaced:
                self.replaced_lines += 1
            # A progress bar rewritten in place with \r: each rewrite is its own text.
            parts = [p for p in text.split("\r") if p.strip()] if "\r" in text else [text]
            for part in parts:
                for sig, m in self.matcher.match(part):
                    groups = {k: v for k, v in m.groupdict().items() if v is not None}
                    self.on_match(LineMatch(sig, line_no, part, groups))
                for sig in self.matcher.arms(part):
                    if end >= hi - 1:
                        self._pending.append((sig, line_no, part))
                        continue
                    nxt = body.find(b"\n", end + 1, hi)
                    following = body[end + 1 : nxt if nxt >= 0 else hi]
                    second, _ = clean(following[:MAX_MATCH_TEXT])
                    self._second_line(sig, line_no, part, second)

    def _second_line(self, sig: Signature, line: int, first: str, second: str) -> None:
        if sig.next_line is not None and sig.next_line.search(second):
            self.on_match(LineMatch(sig, line, first, {}, next_text=second))
