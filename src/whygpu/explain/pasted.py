"""accpaste (session 39): what a paste does to a log that the readers must see through, and what it says about whose log it is.

Logs reach whygpu through issue trackers, forums, chat and notebooks.  Most of the packaging these add is taken off
per line elsewhere (``explain.normalize.unwrap``: log prefixes, whole-line markup, lost colour codes; ``explain.scan
.normalise``: typographic characters, character references).  This module holds the two pieces that are about a
quoted reply as a whole, read once over the text before the fact reader reads its lines:

* ``QUOTE_MARKER``: the markdown quote before a line, one level (``> ``) or nested (``> > ``, ``>> ``, as an e-mail
  reply or GitHub writes a quote of a quote), never Python's prompt (``>>> ``), whose three markers say a line was typed.
* ``others_quoted``: a quote that its own first line (or the line just before it) attributes to someone else, the
  attribution a mail client writes above a quoted reply ("On Tue, Oct 17, 2019 at 11:16 AM Jane <...> wrote:",
  "在 2019年10月17日，上午11:16，jane <notifications@github.com> 写道：", "Am ... schrieb Jane:", "Le ... a écrit :"),
  is someone else's words (an issue tracker's e-mail reply quotes the message it answers, a maintainer's advice
  or another user's log): its lines are blanked for the fact reader (their numbers kept), so they never become
  the reporter's facts.  A quote without such an attribution stays the reporter's own (a reporter quoting their
  own log, or a bare "> " block, is read as the log itself: nothing in the text decides otherwise).

Zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) that chat clients and web pages leave inside words
are dropped with the typographic characters (``explain.scan.normalise``); markdown's single-marker emphasis around a
whole line (``_..._``, ``*...*``, ``_**...**_``) is taken off with the other whole-line markup (``explain.normalize``).
"""

from __future__ import annotations

from whygpu import lazyre as re

# One quote level is ">" then a space or the line's end; ">>" is a nested level written without its space (an
# e-mail client's "> > " is matched one level at a time).  A run of three (">>> ") is Python's prompt: it is never
# a quote marker, so ">> >>> import torch" is a quote of a prompt line and keeps its prompt.
QUOTE_MARKER = re.compile(r"^[ \t]*(?:>>?(?!>)(?=[ \t]|$)[ \t]?)+", re.M)

# The attribution a mail client or a forum writes above a quoted reply: the line ends with "wrote:" in one of the
# languages reporters write in (English, Chinese, Japanese, German, French, Spanish, Portuguese, Russian).
_ATTRIBUTION = re.compile(
    r"(?:\bwrote|写道|寫道|のメッセージ|さんは書きました|\bschrieb|\ba écrit|\bescribió|\bescreveu|\bнаписал[аи]?)\s*[:：]?\s*$",
    re.I)
_QUOTED = re.compile(r"^[ \t]*>(?!>>)")
# Cheap test: could the text hold an attribution at all?
_CUES = ("wrote", "写道", "寫道", "書きました", "メッセージ", "schrieb", "crit", "escribi", "escreveu", "написал")


# A mail client's attribution names when or who: a date or time (a digit), an address ("<...>", "@"); "Here is what I
# wrote:" in the reporter's own sentence names neither, and the quote below it stays the reporter's.
_WHEN_OR_WHO = re.compile(r"\d|@|<")


# accadvice40 (session 40): the other forms that give the words after them to someone else, each a speaker who is not
# the writer nor the writer's program, and a verb of saying, ending in a colon: a person named or addressed ("@jane wrote:",
# "as @jane said:", "the maintainer replied:", "someone suggested:"), a document ("the docs say:", "the install guide
# reads:", "according to the README:", "from the official documentation:"), the attribution opening its line ("I installed
# JAX according to the docs:" is the writer's own sentence). Not "I said:", "my log says:", "it says:",
# "the error says:" (the writer's own words or their program's message: their log).
_SPEAKER = (r"(?:@[\w-]+|\b(?:the\s+|a\s+|one\s+|another\s+|other\s+)?(?:maintainers?|developers?|devs?|authors?|contributors?|someone|somebody"
            r"|users?|he|she|they|op|moderators?|support|staff|nvidia|microsoft)\b"
            r"|\b(?:the\s+|a\s+|this\s+|their\s+|an?\s+)?(?:official\s+|nvidia(?:'s)?\s+|pytorch(?:'s)?\s+|tensorflow(?:'s)?\s+)?(?:docs?|documentation|readme"
            r"|(?:install(?:ation)?\s+|setup\s+|user\s+)?guide|wiki|faq|tutorial|manual|instructions?|release\s+notes?|website|blog(?:\s+post)?)\b)")
_SAYING = (r"(?:said|says|say|wrote|writes|write|replied|replies|reply|commented|comments|mentioned|mentions|suggested|suggests|posted"
           r"|answered|answers|stated|states|state|reads|read|recommends?|recommended|explained|explains|told\s+me|tells\s+(?:me|us))")
_OTHERS_SAY = re.compile(
    r"^[\s>]*(?:(?:but|and|so|also|ok|okay|well|hi|hello|thanks|yes|no)\W+)*(?:as\s+|like\s+)?" + _SPEAKER + r"(?:\s+[\w'’.,-]+){0,5}?\s+" + _SAYING + r"\b(?:\s+(?:that|here|in\s+[\w#-]+|before|above|earlier))?\s*[:：]"
    r"|^[\s>]*(?:according\s+to|quot(?:e|ed|ing)\s+(?:from\s+)?|from)\s+" + _SPEAKER + r"(?:\s+[\w'’.,/#-]+){0,4}?\s*[:：]", re.I)
_SAY_CUES = ("said", "say", "wrote", "write", "repl", "comment", "mention", "suggest", "posted", "answer", "state", "read",
             "recommend", "explain", "told", "tell", "according", "quot", "from")


def _attributed(line: str) -> bool:
    bare = QUOTE_MARKER.sub("", line).rstrip()
    if _ATTRIBUTION.search(bare) is not None and _WHEN_OR_WHO.search(bare) is not None:
        return True
    m = _OTHERS_SAY.search(bare)
    return m is not None and not bare[m.end():].strip()


def others_said(line: str) -> int | None:
    """Where the words that ``line`` gives to someone else after its attribution begin ("as @jane said: install CUDA 11.2",
    "the docs say: you need cuDNN 8"), or None: the rest of the line is the other's, not the writer's log."""
    m = _OTHERS_SAY.search(line)
    return m.end() if m is not None and line[m.end():].strip() else None


def others_quoted(text: str) -> str:
    """``text`` with each quoted block that an attribution line gives to someone else blanked (line numbers kept);
    ``text`` itself when it holds none."""
    low = text.lower()
    if not any(cue in low for cue in _CUES) and not any(cue in low for cue in _SAY_CUES):
        return text
    lines = text.split("\n")
    changed = False
    if any(cue in low for cue in _SAY_CUES):
        for k, line in enumerate(lines):
            at = others_said(line) if len(line) < 2000 and (":" in line or "：" in line) else None
            if at is not None:
                lines[k] = line[:at]
                changed = True
    if ">" not in text:
        return "\n".join(lines) if changed else text
    index = 0
    while index < len(lines):
        if not _QUOTED.match(lines[index]):
            index += 1
            continue
        end = index
        while end < len(lines) and _QUOTED.match(lines[end]):
            end += 1
        # The attribution is the quote's own first line, or the last written line above it (a mail client leaves a
        # blank line between the two).
        above = index - 1
        while above >= 0 and index - above <= 2 and not lines[above].strip():
            above -= 1
        before = lines[above] if above >= 0 else ""
        if _attributed(lines[index]) or (before.strip() and _attributed(before)):
            for k in range(index, end):
                lines[k] = ""
            changed = True
        index = end
    return "\n".join(lines) if changed else text
