"""Python's ``re`` with ``compile`` deferred to a pattern's first use.

whygpu's readers hold about 1,400 regular expressions at module level; compiling them all took
about 40% of the CPU of explaining a short log (``python -m whygpu explain``: 0.75 s of a
1.8 s run under the profiler), while a log uses a few hundred of them: a reader whose substring
gate stays shut never searches. A module that writes ``from whygpu import lazyre as re`` gets
the same names as ``re``; its ``re.compile`` returns a pattern that compiles itself the first
time a method or compiled attribute is asked for, and then answers with the compiled pattern's
own bound methods (no further cost per call). ``re.search`` and the other functions take such a
pattern as they take a compiled one.

A long text (``LONG`` characters or more) is searched only where a word the pattern requires (``required_words``) is in
it; accquiet (session 38): so is a short one (a line), once the pattern has been asked of ``SHORT_AFTER`` short texts. A
pattern that starts with ``\b``, a lookbehind or an alternation is tried at every position of every line a reader asks it of
(the lines of a TensorFlow log that decide nothing: 10-100 µs a line each); a test of the line's lower case for its words
costs well under one. The answers are those of the compiled pattern, always.

A match's ``re`` is the compiled pattern, not the lazy one: a pattern a reader compares with it by identity
(``m.re is _X``) is made with ``re.eager`` (compiled at import, as before). An invalid pattern raises when first used rather than when its module is imported;
tests/explain/test_accspeed_lazy.py compiles every pattern the explain modules hold.
"""

from __future__ import annotations

import re as _re
from collections.abc import Callable, Iterator
from re import (
    ASCII,
    DOTALL,
    IGNORECASE,
    MULTILINE,
    VERBOSE,
    A,
    I,
    M,
    Match,
    Pattern,
    RegexFlag,
    S,
    X,
    error,
    escape,
)
from typing import Any, cast, overload

__all__ = ["ASCII", "DOTALL", "IGNORECASE", "MULTILINE", "VERBOSE", "A", "I", "M", "Match", "Pattern", "RegexFlag", "S", "X",
           "compile", "eager", "error", "escape", "findall", "finditer", "fullmatch", "match", "may_match", "search", "split", "sub", "subn"]

# The compiled pattern's attributes a lazy one takes over on first use (``pattern`` it holds from the start).
_TAKEN = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
          "flags", "groups", "groupindex")


class LazyPattern:
    """A regular expression compiled the first time it is used; then its compiled pattern's methods."""

    __slots__ = ("_done", "_flags", "_memo", "_short_words", "_uses", "_words", "findall", "finditer", "flags", "fullmatch", "groupindex", "groups", "match",
                 "pattern", "scanner", "search", "split", "sub", "subn")
    _done: Pattern[Any]
    _memo: tuple[str | None, bool]
    _words: tuple[str, ...] | None
    _short_words: tuple[str, ...] | None  # None until SHORT_AFTER uses; () where no word is known
    _uses: int

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self.pattern = pattern
        self._flags = flags

    def compiled(self) -> Pattern[Any]:
        """The compiled pattern, compiled on the first call."""
        try:
            return self._done
        except AttributeError:
            pass
        done = _re.compile(self.pattern, self._flags)
        self._done = done
        for name in _TAKEN:
            object.__setattr__(self, name, getattr(done, name))
        if isinstance(self.pattern, str):
            # A long text is searched only where a word the pattern cannot match without is in it (``_words_in``).
            self._memo = (None, True)
            self._uses = 0
            self._short_words = None
            self.search = self._gated(done.search, None)
            self.finditer = self._gated(done.finditer, lambda: iter(()))
            self.findall = self._gated(done.findall, list)
        return done

    def _gated(self, method: Callable[..., Any], empty: Callable[[], Any] | None) -> Callable[..., Any]:
        """``method`` of the compiled pattern, which on a text of ``LONG`` characters or more first asks whether a word
        the pattern requires is in it (once per text): where none is, nothing can match and the answer is ``empty()``
        (None for ``search``) without a search. The same answers as ``method``, always."""

        def gated(string: str, *args: Any, **kwargs: Any) -> Any:
            if len(string) < LONG:
                words = self._short_words
                if not words:
                    if words is None:
                        uses = self._uses + 1
                        self._uses = uses
                        if uses >= SHORT_AFTER:
                            self._short_words = _short_words(self)
                    return method(string, *args, **kwargs)
                seen = _SHORT
                if seen[0] is not string:
                    seen = (string, None if not string.isascii() and any(ch in string for ch in FOLDS_ELSEWHERE) else string.lower())
                    _remember_short(seen)
                low = seen[1]
                if low is not None:
                    for word in words:
                        if word in low:
                            break
                    else:
                        return None if empty is None else empty()
                return method(string, *args, **kwargs)
            memo = self._memo  # (the last long text, whether the pattern may match in it): one read, one write (threads)
            if memo[0] is not string:
                memo = (string, _words_in(self, string))
                self._memo = memo
            if memo[1]:
                return method(string, *args, **kwargs)
            return None if empty is None else empty()

        return gated

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute not yet set: the first use of a method or compiled attribute.
        if name not in _TAKEN:  # _done before the first compile, or a name no pattern has
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazyre.compile({self.pattern!r}, {self._flags!r})"

    def __copy__(self) -> LazyPattern:
        return self

    def __deepcopy__(self, memo: object) -> LazyPattern:
        return self


# A text this long is searched only where one of the words a pattern requires is in it (a search of a 512 KiB head by a
# pattern that starts with \b or an alternation tries every position: 10-60 ms each).
LONG = 4096

# The characters other than ASCII letters that Python's re, ignoring case, takes for an ASCII letter and whose lower
# case is not that letter ("ſ" for s, "ı" and "İ" for i; the Kelvin sign's lower case is k): a text that holds one is
# searched without asking (tests/explain/test_accspeed_lazy.py finds them over every code point).
FOLDS_ELSEWHERE = "\u0130\u0131\u017f\u212a"

# A short text (a line) is searched only where one of the words the pattern requires is in it, once the pattern has been
# asked of SHORT_AFTER short texts (a pattern used a few times keeps no more than its compile cost).
SHORT_AFTER = 32

# The last short text asked of and its lower case (None where it holds a character of FOLDS_ELSEWHERE): the readers ask
# many patterns of the same line one after another.
_SHORT: tuple[str | None, str | None] = (None, None)


def _remember_short(seen: tuple[str, str | None]) -> None:
    global _SHORT
    _SHORT = seen


def _short_words(pattern: LazyPattern) -> tuple[str, ...]:
    """The words a short text must hold for ``pattern`` to match in it; () where none is known (always searched)."""
    try:
        words = pattern._words
    except AttributeError:
        words = pattern._words = required_words(pattern.pattern, pattern._flags)  # type: ignore[arg-type]
    return words or ()


# The last long texts' lower case (the same head is asked of by many patterns).
_LOWERED: tuple[tuple[str, str | None], ...] = ()


def _lowered(text: str) -> str | None:
    """``text`` in lower case, or None where it holds a character of ``FOLDS_ELSEWHERE``."""
    global _LOWERED
    kept = _LOWERED
    for seen, low in kept:
        if seen is text:
            return low
    low = None if any(ch in text for ch in FOLDS_ELSEWHERE) else text.lower()
    _LOWERED = ((text, low), *kept[:1])
    return low


def _words_in(pattern: LazyPattern, text: str) -> bool:
    """False only where ``pattern`` cannot match anywhere in ``text``: none of the words it requires is in it."""
    try:
        words = pattern._words
    except AttributeError:
        words = pattern._words = required_words(pattern.pattern, pattern._flags)  # type: ignore[arg-type]
    if words is None:
        return True
    low = _lowered(text)
    return low is None or any(word in low for word in words)


def may_match(pattern: Pattern[str], text: str) -> bool:
    """False only where ``pattern`` can match nowhere in ``text`` nor in any piece of it (a line of it): none of the
    words the pattern requires (``required_words``) is in ``text``. A reader that searches each line of a text asks
    this once of the whole text, and skips the lines where it is False. Always True for a pattern ``re`` compiled."""
    return not isinstance(pattern, LazyPattern) or _words_in(pattern, text)


def required_words(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Lower-case ASCII words one of which every text a match of ``pattern`` is found in holds (None: none known).

    From the parse of the pattern: a run of literal characters one after another is a word; a sequence requires the
    most telling word any of its parts requires; an alternation one of each branch's (none if a branch requires
    none); a repeat its body's where it repeats at least once; a group and a lookaround its body's (a lookaround's
    text is in the searched text too); a negative lookaround, a class, a conditional, a back reference nothing.
    Words are lower case, to be found in the text's lower case: a literal matched ignoring case, or not, is there in
    lower case (the characters of ``FOLDS_ELSEWHERE`` aside, which ``_lowered`` checks for)."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_constants as c
        import sre_parse as _parser
    repeats = tuple(getattr(c, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(c, name))
    atomic = getattr(c, "ATOMIC_GROUP", None)

    def best(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if a is None:
            return b
        if b is None:
            return a
        return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b

    def sequence(items: Any) -> tuple[str, ...] | None:
        found: tuple[str, ...] | None = None
        run: list[str] = []
        for op, av in items:
            if op is c.LITERAL and chr(av).isascii():
                run.append(chr(av).lower())
                continue
            if run:
                found = best(found, ("".join(run),))
                run = []
            found = best(found, item(op, av))
        if run:
            found = best(found, ("".join(run),))
        return found

    def item(op: Any, av: Any) -> tuple[str, ...] | None:
        if op is c.SUBPATTERN:
            return sequence(av[3])
        if atomic is not None and op is atomic:
            return sequence(av)
        if op in repeats:
            return sequence(av[2]) if av[0] >= 1 else None
        if op is c.ASSERT:
            return sequence(av[1])
        if op is c.BRANCH:
            words: list[str] = []
            for branch in av[1]:
                one = sequence(branch)
                if one is None:
                    return None
                words.extend(one)
            return tuple(dict.fromkeys(words))
        return None

    try:
        words = sequence(_parser.parse(pattern, flags))
    except Exception:  # a parse this reading does not know (another Python's): the pattern is always searched
        return None
    return None if words is None or "" in words else words


def _real(pattern: str | Pattern[str]) -> str | Pattern[str]:
    if isinstance(pattern, LazyPattern):
        return pattern.compiled()
    return pattern


def eager(pattern: str, flags: int = 0) -> Pattern[str]:
    """Compiled now, as ``re.compile``: for a pattern a reader compares by identity with a match's (``m.re is _X``),
    which a lazy pattern never is (the match's ``re`` is the compiled pattern inside it)."""
    return _re.compile(pattern, flags)


@overload
def compile(pattern: str | Pattern[str], flags: int = 0) -> Pattern[str]: ...
@overload
def compile(pattern: bytes | Pattern[bytes], flags: int = 0) -> Pattern[bytes]: ...
def compile(pattern: str | bytes | Pattern[str] | Pattern[bytes], flags: int = 0) -> Pattern[str] | Pattern[bytes]:
    """As ``re.compile``; a pattern given as text or bytes compiles on its first use."""
    if isinstance(pattern, (str, bytes)):
        return cast("Pattern[str]", LazyPattern(pattern, int(flags)))
    if isinstance(pattern, LazyPattern):
        return pattern.compiled()
    return _re.compile(pattern, flags)


def search(pattern: str | Pattern[str], string: str, flags: int = 0) -> Match[str] | None:
    """As ``re.search``."""
    return _re.search(_real(pattern), string, flags)


def match(pattern: str | Pattern[str], string: str, flags: int = 0) -> Match[str] | None:
    """As ``re.match``."""
    return _re.match(_real(pattern), string, flags)


def fullmatch(pattern: str | Pattern[str], string: str, flags: int = 0) -> Match[str] | None:
    """As ``re.fullmatch``."""
    return _re.fullmatch(_real(pattern), string, flags)


def finditer(pattern: str | Pattern[str], string: str, flags: int = 0) -> Iterator[Match[str]]:
    """As ``re.finditer``."""
    return _re.finditer(_real(pattern), string, flags)


def findall(pattern: str | Pattern[str], string: str, flags: int = 0) -> list[Any]:
    """As ``re.findall``."""
    return _re.findall(_real(pattern), string, flags)


def split(pattern: str | Pattern[str], string: str, maxsplit: int = 0, flags: int = 0) -> list[str | Any]:
    """As ``re.split``."""
    return _re.split(_real(pattern), string, maxsplit=maxsplit, flags=flags)


def sub(pattern: str | Pattern[str], repl: str | Callable[[Match[str]], str], string: str, count: int = 0,
        flags: int = 0) -> str:
    """As ``re.sub``."""
    return _re.sub(_real(pattern), repl, string, count=count, flags=flags)


def subn(pattern: str | Pattern[str], repl: str | Callable[[Match[str]], str], string: str, count: int = 0,
         flags: int = 0) -> tuple[str, int]:
    """As ``re.subn``."""
    return _re.subn(_real(pattern), repl, string, count=count, flags=flags)
