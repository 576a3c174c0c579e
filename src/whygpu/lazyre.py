"""Python's ``re`` with ``compile`` deferred to a pattern's first use.

whygpu's readers hold about 1,400 regular expressions at module level; compiling them all took
about 40% of the CPU of explaining a short log (``python -m whygpu explain``: 0.75 s of a
1.8 s run under the profiler), while a log uses a few hundred of them: a reader whose substring
gate stays shut never searches. A module that writes ``from whygpu import lazyre as re`` gets
the same names as ``re``; its ``re.compile`` returns a pattern that compiles itself the first
time a method or compiled attribute is asked for, and then answers with the compiled pattern's
own bound methods (no further cost per call). ``re.search`` and the other functions take such a
pattern as they take a compiled one.

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
           "compile", "eager", "error", "escape", "findall", "finditer", "fullmatch", "match", "search", "split", "sub", "subn"]

# The compiled pattern's attributes a lazy one takes over on first use (``pattern`` it holds from the start).
_TAKEN = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
          "flags", "groups", "groupindex")


class LazyPattern:
    """A regular expression compiled the first time it is used; then its compiled pattern's methods."""

    __slots__ = ("_done", "_flags", "findall", "finditer", "flags", "fullmatch", "groupindex", "groups", "match",
                 "pattern", "scanner", "search", "split", "sub", "subn")
    _done: Pattern[Any]

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
        return done

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
        return cast(Pattern[str], LazyPattern(pattern, int(flags)))
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
