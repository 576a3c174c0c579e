"""A retyped message read through its typing errors: each word one keystroke away from a word of the known messages.

Reporters who retype a message rather than paste it misspell its words ("no kernal image is avaliable for excution on the
devise"). A maintainer reads through the spelling; the signatures' fixed words do not. ``explain.normalize.MISSPELT``
lists the misspellings seen most (and the byte pass flags them in a log of any size); this module is the general form,
for a report's head (``logfacts.HEAD_BYTES``, where a reporter's own lines are): a word that is not a word of any
known message, but is one typing error away from exactly one such word (one letter left out, added, changed, or two
neighbours swapped: the Damerau-Levenshtein distance 1) and starts with the same letter, is read as that word. The
line so respelled is matched against the signatures again, and only a signature that the line as written did not
match counts; the evidence still shows the line as written.

The words of the known messages are the catalogue's own: the words of five letters or more of each signature's example
line, a real message printed by the program (a pattern's literal pieces are not words: "availab(?:le|ility)"). A
correction is kept only when it is unique, so a word between two message words ("loades", near both "loader" and
"loaded") stays as written; and a line gains a reading only when its respelled form is a whole known message, which
ordinary prose one letter away from a message word is not. Pieces of paths and names are never corrected, nor more
than four words of a line, nor every long word of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from whygpu import lazyre as re

# A word of a message: letters only, five or more (shorter words have too many neighbours).
_WORD = re.compile(r"[A-Za-z]{5,}")
# A word of a line that may be a misspelt message word: not a piece of a path or a name ("/usr/share/", "cuda_home",
# "x86-linux"), whose words are no one's typing; a dot may follow it ("lincublas.so.9.0", a sentence's end).
_TOKEN = re.compile(r"(?<![\w/\\.-])[A-Za-z]{5,}(?![\w/\\-])")
MIN_LENGTH = 5
# A line longer than this is machine output, not a retyped message.
MAX_LINE = 400
# At most this many words corrected in a line, and never all of its long words: a line of many "errors" is another
# language or code, not a message retyped with a few slips.
MAX_FIXES = 4


def message_words(texts: Iterable[str]) -> frozenset[str]:
    """The lower-cased words of five letters or more in ``texts`` (real messages)."""
    return frozenset(w.lower() for text in texts for w in _WORD.findall(text))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one typing error: a letter left out, added or changed, or two neighbours swapped."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if abs(la - lb) != 1:
        return False
    short, long_ = (a, b) if la < lb else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class Speller:
    """Reads a word as the one message word it is one typing error away from (see the module's docstring)."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        # Every message word, and each of its one-letter deletions, -> the message words it comes from.
        self._index: dict[str, set[str]] = {}
        for word in words:
            if len(word) < MIN_LENGTH:
                continue
            for key in (word, *_deletes(word)):
                self._index.setdefault(key, set()).add(word)
        self._seen: dict[str, str | None] = {}

    def right(self, word: str) -> str | None:
        """The message word ``word`` misspells (lower case), or None: a known word, none near, or more than one near."""
        low = word.lower()
        if low in self._seen:
            return self._seen[low]
        found: str | None = None
        if len(low) >= MIN_LENGTH and low not in self.words:
            near: set[str] = set()
            for key in (low, *_deletes(low)):
                near.update(self._index.get(key, ()))
            near = {w for w in near if w[0] == low[0] and _one_edit(low, w)}
            if len(near) == 1:
                found = next(iter(near))
        self._seen[low] = found
        return found

    def respelt(self, line: str) -> str | None:
        """``line`` with each misspelt message word spelt right (keeping its case style), or None when nothing changed."""
        if len(line) > MAX_LINE:
            return None
        words = _TOKEN.findall(line)
        if not words:
            return None
        fixes = {w: r for w in set(words) if (r := self.right(w)) is not None}
        if not fixes or len(fixes) > MAX_FIXES or len(fixes) == len(set(words)):
            return None
        return _TOKEN.sub(lambda m: _styled(fixes[m.group(0)], m.group(0)) if m.group(0) in fixes else m.group(0), line)


def _styled(right: str, written: str) -> str:
    if written.isupper():
        return right.upper()
    return right.capitalize() if written[0].isupper() else right


@lru_cache(maxsize=1)
def speller() -> Speller:
    """The speller over the catalogue's message words (built once per process, on the first report that needs it)."""
    from whygpu.explain.catalogue import catalogue
    from whygpu.knowledge.library_names import proper_names

    sigs = catalogue().signatures
    # accbroad40 (session 40): other programs' library names, written right, are words of their own ("libcudf" is cuDF's
    # library, not a slip for "libcuda").
    return Speller(message_words(s.example for s in sigs) | proper_names())
