"""A program's message read whatever layout a paste gave it: hard-wrapped, split over lines, or in a string with literal "\\n".

acclayout (session 21).  A terminal, an issue tracker, a mail client or a reporter cuts a long program line into
pieces: at a fixed column (mid-word: "Loaded runtime CuDNN l" / "ibrary: 7.4.1 but source was compiled with:
7.6.4"), at word boundaries (the rest indented or not), or at a clause (TensorFlow's "Ignoring visible gpu device
(...) with Cuda compute capability 5.2." / "    The minimum required Cuda capability is 6.0.").  A log captured by
a program and printed as a Python repr or a JSON string keeps its lines in one, separated by a literal "\\n".

Which lines are the pieces of one message is decided by the messages themselves, not by guessing widths: adjacent
lines that may continue one another (``continues``: the next line is no new record of a log, a sentence did not end
there unless the rest is indented) are joined, both tight (a mid-word cut) and with a space (a cut at a word
boundary), and the joined text is matched against the signatures.  A reading counts only where

- the signature's match crosses a line end of the joined text (the message itself runs over the cut), and
- no single piece (as written or with its paste's packaging taken off) matched that signature alone, except a
  match cut short by the piece's own end or start (the head of a message whose rest is on the next line), and
- the signature reads a failure or a context (a line that says the GPU was used is read only as printed).

So two unrelated lines are not glued into a reading: the words of one message must run across the cut.

acclayout (session 35): and a join happens only where the line above was cut.  A line that opens a record of its own
(``starts_record``: a log record, a prompt, a command, an assignment, a listing's row, a path alone) is never a piece
of the line above, unless that line ends inside a token the next goes on with ("CUDA_VISIBLE_" / "DEVICES=0"); the
fact reader's joiner (``logfacts._continues``) asks the same question.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whygpu.explain.catalogue import Signature
    from whygpu.explain.scan import Matcher

__all__ = ["Joined", "continues", "literal_lines", "starts_record", "wrapped_matches"]

# At most this many lines make one message (a 300-character line wrapped at 60 columns is five).
MAX_PIECES = 6
# A window of lines is joined and matched at a time; windows overlap so that a message of up to
# ``MAX_PIECES - STEP + 1`` lines always lies whole in one.
STEP = 3
# A piece shorter than this does not go on in the next line (a label, a heading, a word of prose) unless the rest is indented.
MIN_PIECE = 24
# Joined windows of one text looked at (a pasted log's head holds a few thousand lines; a bound keeps the cost bounded).
MAX_WINDOWS = 20000

# A line that starts a record of its own: a time stamp, a logger's level or glog's prefix, a traceback, a
# prompt, a markdown fence or list item, a heading, a table row.  A message's continuation starts with none.
_RECORD = re.compile(
    r"(?:\d{4}[-/]\d\d[-/]\d\d[T ]\d|\[?\d\d:\d\d:\d\d|[IWEF]\d{4} |[IWEF] [\w.-]+/|\[[IWEF] |"
    r"(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\b|Traceback \(|File \"|>>>|\$ |In \[\d|Out\[\d|"
    r"```|#|[-*+] |\d+[.)] |\||=+$|-+$|\[[A-Za-z][\w .:/-]{0,30}\] )"
)
# session 35: more lines that start a record of their own, whatever line is above them (a wrap never cuts before one):
# - a command typed at a prompt ("user@host:~$ ", "(base) $ ", "PS C:\\> ", "C:\\Users\\me> ", "(venv) C:\\x> ");
# - a shell assignment or export ("export LD_LIBRARY_PATH=...", "set CUDA_PATH=...", "CUDA_VISIBLE_DEVICES=0 python ..."): a
#   variable's name in upper case, then "=";
# - a command line without its prompt, by the shape of its arguments ("sudo python ...", "pip install ...", "python
#   train.py", "ls -l /usr/local/cuda", "echo $PATH", "nvidia-smi", "nvcc -V");
# - a row of cmd's `dir` (a date, a time and a size or <DIR>: "12/01/2020  10:15 AM   123,456 cudnn64_8.dll") or a US date
#   and time opening a record;
# - a path alone on its line (what `find`, `locate`, `which`, `ls` with a glob or `ldconfig` print): a listing's row.
_STARTS = re.compile(
    r"(?:\([\w.-]+\)[ \t]*)?(?:[\w.-]+@[\w.-]+(?::\S*)?[$#%]|\$|PS [A-Za-z]:\\[^<>:\n\"]*>|[A-Za-z]:\\[^<>:\n\"]*>)[ \t]"
    r"|(?:(?:export|set|setx|setenv|declare -x)[ \t]+)?[A-Z][A-Z0-9_]+=(?!=)"
    r"|(?:sudo(?:[ \t]+-\w+)*|pip3?|conda|mamba|apt(?:-get)?)[ \t]+(?:install|uninstall|list|show|freeze|create|activate|remove|python3?|\S+\.py)\b"
    r"|sudo[ \t]+(?:-\w+[ \t]+)*\S"
    r"|python3?(?:\.\d+)?[ \t]+(?:-[mcVu]\b|\S+\.py\b)"
    r"|(?:ls|ll|dir|cd)[ \t]+(?:-{1,2}\w|/|~|\$|[A-Za-z]:\\)|echo[ \t]+[$%]|(?:nvidia-smi|nvcc|ldconfig)(?:[ \t]+-|[ \t]*$)"
    r"|\d\d?/\d\d?/\d{4}[ \t]+\d\d?:\d\d"
    r"|(?:(?:/|~/)[^\s'\"`]*(?:[ \t]+->[ \t]+\S+)?|[A-Za-z]:\\(?:[^\\\n'\"`<>|*?:]+\\)*[^\\\s'\"`<>|*?:]*)[ \t]*$"
)


# A line cut inside a token: a word's last character, then a character that joins a token's parts ("CUDA_VISIBLE_" /
# "DEVICES=0", "/usr/local/" / "cuda-11.2/lib64", "LD_LIBRARY_PATH=" / "/usr/local/cuda/lib64"): the next line goes on with it.
_OPEN_TOKEN = re.compile(r"\w[_/\\=-]$")


def _opens(prev: str, body: str) -> bool:
    """Whether ``body`` (a line without its indent) starts a command, an assignment, a prompt, a listing's row or a path
    alone, where ``prev`` does not leave a token open that it would go on with."""
    return _STARTS.match(body) is not None and _OPEN_TOKEN.search(prev) is None


def starts_record(line: str, prev: str = "") -> bool:
    """Whether ``line`` opens a record of its own (a log record, a prompt, a command, an assignment, a listing's row, a
    path alone): what a terminal's or tracker's wrap never starts a piece with, so it goes on no line above it (``prev``,
    unless that line ends inside a token: "CUDA_VISIBLE_" / "DEVICES=0")."""
    body = line.lstrip()
    return bool(body) and (_RECORD.match(body) is not None or _opens(prev, body))


# A sentence or a message ends here (a stop, a question or exclamation mark, a closing bracket after one).
_PROMPT = re.compile(r"[ \t]*(?:>>>|\.\.\.|\$ |# |In \[\d+\]:|PS [A-Z]:\\|[A-Z]:\\[^>]*>)")
# The widths terminals and trackers commonly wrap at (a two-piece message gives no other sign of a fixed column).
_COLUMNS = frozenset((60, 64, 72, 76, 78, 79, 80, 100, 110, 120, 128, 132, 140, 150, 160, 200))
# How a signature's match on one piece alone meets the piece's ends (``wrapped_matches``).
_WHOLE, _CUT, _TO_END = 0, 1, 2
_ENDED = re.compile(r"[.!?][)\]'\"]?$")


def continues(prev: str, line: str) -> bool:
    """Whether ``line`` may be the rest of ``prev`` cut by a paste's layout (no more: a signature decides the rest)."""
    body = line.lstrip()
    if not body or not prev.strip():
        return False
    indented = len(line) - len(body) > len(prev) - len(prev.lstrip())
    if _RECORD.match(body) and not indented:
        return False
    # A short piece goes on only where the paste had a reason to cut it: the rest is indented, or the next word
    # (a path, a long name) would not have fitted the line.
    if len(prev.strip()) < MIN_PIECE and not indented and len(prev.strip()) + 1 + len(body.split()[0]) < 2 * MIN_PIECE:
        return False
    # A command typed at a prompt ends where the program's answer begins (the answer readers read the two).
    if _PROMPT.match(prev):
        return False
    # A sentence that ended goes on in a line of its own (with a capital), unless the paste indented the rest (a
    # clause split); a cut just after a dot inside a name goes on in lower case ("libcudart." / "so.12: cannot").
    if _ENDED.search(prev.rstrip()) and not line[:1].isspace() and not body[:1].islower():
        return False
    # A command, an assignment, a prompt, a listing's row or a path alone starts its own line, indented or not.
    return not _opens(prev, body)


def _fixed(pieces: list[str]) -> bool:
    """Whether ``pieces`` look cut at a fixed column: those before the last all as long, or (two pieces, which say no
    more) the first as long as a width terminals and trackers commonly wrap at."""
    if len(pieces) > 2:
        return len({len(p) for p in pieces[:-1]}) == 1
    return len(pieces) == 2 and len(pieces[0]) in _COLUMNS


def _joins(pieces: list[str]) -> Iterator[tuple[str, list[int]]]:
    """The pieces joined tight (a mid-word cut) and with a space (a cut at a word), each with where the cuts are."""
    made: set[str] = set()
    # Both are tried, the likelier first (a signature whose words run over the cut reads only one of them): tight
    # where the pieces before the last are all as long (a terminal's or tracker's fixed column), else with a space.
    for spaced in ((False, True) if _fixed(pieces) else (True, False)):
        text = pieces[0]
        cuts: list[int] = []
        for piece in pieces[1:]:
            body = piece.lstrip()
            # A cut at a space leaves it at the end of one piece or at the start of the next: it stays one space.
            gap = spaced or text[-1:].isspace() or (piece[:1] == " " and piece[1:2] != " ")
            text = text.rstrip() + " " if gap else text
            cuts.append(len(text))
            text += body
        if text not in made:
            made.add(text)
            yield text, cuts


@dataclass(frozen=True)
class Joined:
    """A signature read across the pieces of one message: the first piece's line (from 1), the joined text, the match."""

    line: int
    text: str
    signature: Signature
    groups: dict[str, str]
    # The last piece's line (from 1).
    last: int = 0


def wrapped_matches(lines: list[str], matcher: Matcher) -> list[Joined]:
    """Every signature read only across the cut lines of ``lines`` (a log's lines, numbered from 1)."""
    from whygpu.explain.catalogue import match_groups
    from whygpu.explain.scan import unwrapped

    found: list[Joined] = []
    # Runs of lines each of which may continue the one before.
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(lines) + 1):
        if i < len(lines) and continues(lines[i - 1], lines[i]):
            continue
        if i - start > 1:
            runs.append((start, i))
        start = i
    alone: dict[int, dict[str, int]] = {}

    def read_alone(index: int) -> dict[str, int]:
        """The signatures line ``index`` matches alone, each with how its match meets the line's ends: ``_WHOLE``
        (inside the line: the message is all there), ``_CUT`` (it reaches the line's first or last character: a cut
        message's head or tail), ``_TO_END`` (a pattern that reads to the end of the line did: cut only where the
        lines are cut at a fixed column)."""
        if index not in alone:
            text = lines[index]
            got: dict[str, int] = {}
            for sig, m in matcher.match(text, *unwrapped(text)):
                whole, matched = m.string.strip(), m.group(0).strip()
                how = _WHOLE
                if matched and whole.startswith(matched):
                    how = _CUT
                elif matched and whole.endswith(matched):
                    how = _TO_END if sig.pattern.endswith("$") else _CUT
                got[sig.id] = min(got.get(sig.id, _TO_END), how)
            alone[index] = got
        return alone[index]

    def said_alone(sig_id: str, begin: int, end: int, fixed: bool) -> bool:
        """Whether a piece of ``begin``..``end`` already read ``sig_id`` in full (not cut short by the paste's cut)."""
        for k in range(begin, end):
            how = read_alone(k).get(sig_id)
            if how == _WHOLE or (how == _TO_END and not fixed):
                return True
        return False

    windows = 0
    seen: set[tuple[str, int]] = set()
    for lo, hi in runs:
        for first in range(lo, hi - 1, STEP):
            last = min(hi, first + MAX_PIECES)
            windows += 1
            if windows > MAX_WINDOWS:
                return found
            pieces = [lines[k].rstrip("\r") for k in range(first, last)]
            for text, cuts in _joins(pieces):
                for sig, m in matcher.match(text):
                    if sig.kind not in ("failure", "context"):
                        continue
                    # Where the match runs over a cut: the pieces it covers.
                    crossed = [k for k, cut in enumerate(cuts) if m.start() < cut < m.end()]
                    if not crossed:
                        continue
                    begin = first + sum(1 for cut in cuts if cut <= m.start())
                    end = first + sum(1 for cut in cuts if cut < m.end()) + 1
                    fixed = _fixed(pieces[begin - first : end - first])
                    if said_alone(sig.id, begin, end, fixed) or (sig.id, begin) in seen:
                        continue
                    if not fixed and _cut_in_gap(sig, m, [cuts[k] for k in crossed]):
                        # Only a wildcard of the pattern spans the cut: the words of one message do not run across
                        # it (pip's "Installing collected packages: torch" and its indented "Successfully uninstalled
                        # torch-2.1.0+cpu" below are two records), unless the lines are cut at a fixed column.
                        continue
                    seen.add((sig.id, begin))
                    groups = match_groups(m)
                    found.append(Joined(begin + 1, _span(text, cuts, first, begin, end), sig, groups, end))
            if last == hi:
                break
    return found


def _gapped(pattern: str) -> str:
    """``pattern`` with each wildcard run (``.*``, ``.+``, ``.{m,n}``, lazy or not) in a group of its own named ``_gapN``."""
    out: list[str] = []
    i, n, klass, count = 0, len(pattern), False, 0
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if klass:
            klass = c != "]"
        elif c == "[":
            klass = True
            if pattern[i + 1 : i + 2] == "]":  # "[]...]": a literal ] first in the class
                out.append(pattern[i : i + 2])
                i += 2
                continue
        elif c == "." and (q := re.match(r"(?:[*+]|\{\d*,?\d*\})\??", pattern[i + 1 :])) is not None:
            out.append(f"(?P<_gap{count}>.{q.group(0)})")
            count += 1
            i += 1 + len(q.group(0))
            continue
        out.append(c)
        i += 1
    return "".join(out)


_GAPPED: dict[str, re.Pattern[str] | None] = {}


def _cut_in_gap(sig: Signature, m: re.Match[str], cuts: list[int]) -> bool:
    """Whether every cut ``m`` crosses falls inside text only a wildcard of ``sig``'s pattern read."""
    if sig.id not in _GAPPED:
        gapped = _gapped(sig.regex.pattern)
        try:
            _GAPPED[sig.id] = re.compile(gapped, sig.regex.flags) if gapped != sig.regex.pattern else None
        except re.error:
            _GAPPED[sig.id] = None
    rx = _GAPPED[sig.id]
    if rx is None or (again := rx.match(m.string, m.start())) is None:
        return False
    gaps = [again.span(name) for name in rx.groupindex if name.startswith("_gap") and again.group(name) is not None]
    return bool(cuts) and all(any(a < cut < b for a, b in gaps) for cut in cuts)


def _span(text: str, cuts: list[int], first: int, begin: int, end: int) -> str:
    """The part of the joined ``text`` made of the pieces ``begin`` to ``end`` (line indexes) of the window at ``first``."""
    bounds = [0, *cuts, len(text)]
    return text[bounds[begin - first] : bounds[end - first]].strip()


# --- a captured output in one string: a Python repr or a JSON string with its line ends written "\n" --------------
_LITERAL_EOL = re.compile(r"(?:\\r)?\\n")


def literal_lines(text: str) -> tuple[str, ...]:
    """The lines of a string a program captured and printed as a repr or as JSON ("...\\nRuntimeError: ...\\n..."):
    its pieces between literal "\\n", where a quote opens the string; () when ``text`` holds none."""
    if "\\n" not in text or ('"' not in text and "'" not in text):
        return ()
    pieces = tuple(p.strip() for p in _LITERAL_EOL.split(text))
    return tuple(p for p in pieces if p) if len(pieces) > 1 else ()
