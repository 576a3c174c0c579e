"""The one grammar of a reporter's sentences: where a sentence starts and ends, which lines are a program's, and whether words are asserted of now.

Three readers take the reporter's own words as evidence: what they say of the GPU (``explain.statements``),
the answers they report a framework gave (``explain.answers``) and what they say fixed it (``explain.remedies``).
Each needs the same decision before it may count a sentence: is it the reporter asserting something of the
present, or is it

- a question: a yes/no question ("Is it using the GPU?", "Is it because of my driver", inverted without a
  question mark), one without a question word ("Any idea?", "Anyone?"), an alternative ("cpu or gpu?"), or a
  request for a way ("how to run on the CPU", "is there a way to ..."); a question that presupposes its
  content ("why is torch not using my GPU?") still asserts it;
- a condition or a supposition ("if no GPU is detected ...", "what if ...", "suppose ...");
- advice, an instruction or a plan: a modal or "to" governing the words ("you should install ...",
  "I want to run it on the CPU", "I will try ..."), a hedge ("maybe the driver");
- hearsay: said of or by others ("it fixed it for others", "people said ...", "users may think ...");
- a state that is over: an earlier time in the sentence and a change to now after the words
  ("returned False before the reinstall, now True");
- quoted: inside quotation marks the reporter opened (a message or someone else's words), or code that
  tests the words (``if not torch.cuda.is_available():``);
- a program's line (a time stamp, a log level, a traceback, a source location, a shell prompt):
  no one's sentence.

This module holds those decisions once; each reader adds only what its own content needs (a comparison of
the CPU and the GPU for ``statements``, the stretch between a query and its value for ``answers``, a
negated success for ``remedies``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from whygpu import lazyre as re

__all__ = [
    "SENTENCE_END", "advised", "asked", "circumstance", "clause_before", "code_comment", "code_condition", "first_said", "gerund_subject", "hearsay", "in_code", "instructed",
    "negated", "negated_before", "opens_negated", "over",
    "program_line", "prose_run",
    "quoted", "raised_to", "said", "sentence_at", "sentences", "supposed",
]

# --- one sentence splitter -------------------------------------------------------------------------------
# A sentence ends at . ! ? ; followed by white space or the end, at the CJK stops, and at a line's end.
# ("?" and "!" end one before a letter too, "Are models run on cpu?how should i ...", but not in a URL's query.)
SENTENCE_END = re.compile(r"[.;](?=\s|$)|[!?]+(?![\w.-]*=)|[。！？；]|\n")


def sentences(line: str) -> list[tuple[int, str]]:
    """The sentences of ``line`` with their offsets, each with its closing mark; empty ones left out."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in SENTENCE_END.finditer(line):
        out.append((start, line[start:m.end()]))
        start = m.end()
    if start < len(line):
        out.append((start, line[start:]))
    return [(off, s) for off, s in out if s.strip()]


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence of ``text`` that holds ``start``..``end`` (its closing mark included)."""
    left = 0
    for m in SENTENCE_END.finditer(text):  # (not with an end position: "$" would match there)
        if m.end() > start:
            break
        left = m.end()
    right = SENTENCE_END.search(text, end)
    return left, (right.end() if right else len(text))


# --- one program-line test ---------------------------------------------------------------------------------
# A program's line is no one's sentence: a time stamp (ISO, a clock, syslog's "Feb 28 12:44:32"), a process's
# "name[pid]:" tag, a glog or bracketed level prefix, a log level, a traceback,
# a source location, an exception's name, a "raise", a key of a printed mapping ("cuda_version: 12.1"), a shell
# prompt or a REPL prompt, a code comment (the reporter's prose in a Markdown heading "## ..." is theirs).
_PROGRAM_LINE = re.compile(
    r"^\s*(?:\[?\d{4}[-/]\d\d[-/]\d\d|\d\d:\d\d:\d\d|[A-Z][a-z]{2}\s+\d{1,2}\s+\d\d:\d\d:\d\d|[IWEF]\d{4}\s|\[[EWIF]\s|(?:WARNING|ERROR|INFO|DEBUG|CRITICAL)\b|Traceback|raise\s"
    r"|File\s+\"|[a-z]+_[a-z0-9_]*:\s|#(?!#|\s*[A-Z][a-z])|//|\$\s|>>>)"
    r"|\b[\w.]*(?:Error|Exception|Warning)(?:\(|\s*:)|\b[\w.-]+\[\d+\]:\s|\braise\s+\w|\b[\w/.-]+\.(?:py|cc|cpp|c|cu|h|go|rs):\d+")


def program_line(text: str) -> bool:
    """Whether ``text`` is a program's line (a log record, a traceback, code or a prompt), not a reporter's sentence."""
    return _PROGRAM_LINE.search(text) is not None


# A code comment ("# running on CPU" above `jax.config.update('jax_platform_name', 'cpu')"): it labels the code under it,
# what the code is meant to do, not what the writer saw (accwords3; a Markdown heading "# Running ..." is prose).
_CODE_COMMENT = re.compile(r"^\s*(?:#(?!#|!|\s*[A-Z][a-z])|//)")


def code_comment(text: str) -> bool:
    """Whether ``text`` is a code comment (``# ...`` in lower case, ``// ...``): a label of the code, not a report."""
    return _CODE_COMMENT.match(text) is not None


# --- quoted words and code --------------------------------------------------------------------------------------
# An opening quotation mark (not an apostrophe) with no closing one before the words.
# (A single quote is closed by the next one: "device='cpu' to device='cuda' fixed it" quotes nothing open.)
_OPEN_QUOTE = re.compile(r"(?<![\w])[\"`“‘](?=[\w(\[])[^\"`”’]*$|(?<![\w])'(?=[\w(\[])[^']*$")


def quoted(text: str, start: int) -> bool:
    """Whether ``start`` is inside quotation marks the writer opened: a message or another's words, not their own."""
    return _OPEN_QUOTE.search(text, 0, start) is not None


def quoted_from(text: str, start: int) -> bool:
    """``quoted``, also where the mark stands right before the words ('the docs say "GPU is idle"'): the search reaches one
    character past ``start``, since the mark's test looks at the character after it (accdevice, session 29).

    For readings of words no program prints as its message (the GPU idle, low or waiting): a quotation of them is another's
    words. ``quoted`` itself keeps reading a message quoted from its first word ('I'm getting "CUDA not available" errors')
    as the writer's report of what they got."""
    return _OPEN_QUOTE.search(text, 0, min(len(text), start + 1)) is not None


# Code: a condition or an assertion on an expression, an assignment from it, a definition.
# ("and"/"or" join a condition only after the statement's keyword: "my card is an RX 6500M and torch.cuda.is_available()
# is False" is prose.)
_CODE_BEFORE = re.compile(r"(?:\b(?:if|elif|assert|while|unless|return|not)\s+|\b\w+\s*=\s*|\blambda\b[^:]*:\s*)(?:[^\n]*?\b(?:and|or)\s+)?(?:not\s+)?[\w.$]*$")
_CODE_AFTER = re.compile(r"^[\w.$()]*\s*(?:(?:is|==|!=)\s*(?:not\s+)?(?:False|True|None|0|\[\])\s*)?\)*\s*(?::|,\s*['\"f]|,?\s*$|\s+(?:and|or|else)\b|\s*\)\s*:)")
_EXPRESSION = re.compile(r"[\w.]*(?:\(\s*\))?")
_PY_WORD = r"(?!(?:is|not|in|and|or|if|else|None|True|False|lambda)\b)"
_PROSE_RUN = re.compile(r"(?<![\w.$])" + _PY_WORD + r"[A-Za-z]+\s+" + _PY_WORD + r"[A-Za-z]+\s+" + _PY_WORD + r"[A-Za-z]+(?![\w.$(\[=])")


def prose_run(text: str) -> bool:
    """Whether ``text`` holds three plain words in a row, none of them Python's (a sentence, not code, a command or output)."""
    return _PROSE_RUN.search(text) is not None


def in_code(text: str, start: int, end: int | None = None) -> bool:
    """Whether the expression at ``start``..``end`` (to its end when not given) is code that tests or stores it (a condition, an assert, an assignment), not an answer."""
    if end is None:
        found = _EXPRESSION.match(text, start)
        end = found.end() if found else start
    before = text[max(0, start - 120):start]  # the statement around the expression (bounded: a line may be long)
    if re.search(r"#[^'\"]*$", before):
        return False  # a comment says what the code printed
    code = _CODE_BEFORE.search(before)
    if code is None or _CODE_AFTER.match(text[end:]) is None:
        return False
    # accsmall (session 37): words of a sentence between the keyword and the words are prose ("I found that if two mxnet
    # programs run on the same GPU and one of them ..."): three plain words in a row, none of them Python's.
    return _PROSE_RUN.search(before[code.start():] + " " + text[start:end]) is None


def code_condition(text: str, start: int) -> bool:
    """Whether the expression starting at ``start`` is the condition of code (``if not torch.cuda.is_available():``), not an answer."""
    return in_code(text, start)


# --- questions ----------------------------------------------------------------------------------------------
_OPENING = r"^\W*(?:(?:so|hi|hello|also|and|but|or|ok|okay|then|now|well|edit|update|btw|question)\W+)*"
_AUX = r"(?:is|are|was|were|am|do|does|did|can|could|should|shall|will|would|has|have|had|may|might|must)"
# A yes/no question with a question mark: it starts with its auxiliary ("does it return False for you?").
_YES_NO = re.compile(_OPENING + _AUX + r"\b(?!n)", re.I)
# Without one: the auxiliary before its subject ("Is it because of my driver", "Does torch need CUDA 12"); an
# auxiliary before a participle or a negation has lost its subject ("Was using the GPU until ...", "Could not find").
_SUBJECT = (r"(?:i|you|it|we|they|he|she|this|that|these|those|there|anyone|anybody|someone|somebody|the|my|your|our|a|an|any"
            r"|torch|pytorch|tensorflow|tf|keras|jax|cuda|nvidia|onnxruntime|paddle|docker|wsl2?)\b")
_INVERTED = re.compile(_OPENING + _AUX + r"\s+" + _SUBJECT, re.I)
_QUESTION_END = re.compile(r"(?:[?？]|吗|呢|么)\W*$")
# Lead (session 32): an alternative before a reading's words in their sentence ("No GPU found or the library is compiled
# without CUDA support" leaves either one): the one pattern of buildsaid's and cpuapi's readings (they kept a copy each).
ALTERNATIVE_BEFORE = re.compile(r"\b(?:or|either|maybe|perhaps|possibly|probably|might|may)\b[^.;:!?]{0,60}$", re.I)
_ALTERNATIVE = re.compile(r"\b(?:cpu\s+or\s+(?:the\s+)?gpu|gpu\s+or\s+(?:the\s+)?cpu|cpu\s+vs\.?\s+gpu|gpu\s+vs\.?\s+cpu)\b", re.I)
# A request for a way or an opinion; a question with no question word ("Any idea?", "Anyone?", "for you?").
_ASK_ABOUT = re.compile(r"\b(?:how\s+(?:to|do|can|could|should|would)|what\s+(?:options?|should|would|do|is\s+the\s+way)|is\s+there\s+(?:a|any)\s+way|any\s+(?:way|idea|chance)s?|is\s+it\s+possible|possible\s+to|whether)\b"
                        r"|或|能否|是否|是不是|能不能|可不可以|有没有|有办法|如何|怎么样才能|可以吗", re.I)
_NO_QUESTION_WORD = re.compile(_OPENING + r"(?:any\s+(?:ideas?|help|hints?|suggestions?|thoughts?|clues?|advice|pointers?)|any(?:one|body)|someone|somebody)\b"
                               r"|\b(?:for|on|to)\s+(?:you|anyone|anybody|others)\s*[?？]", re.I)
# A tag question asks for confirmation of its sentence ("your requirements.txt uses the cpu version, right?").
_TAG_QUESTION = re.compile(r"(?:,|\s)\s*(?:right|correct|true|no|yes|eh|huh|isn['’]?t\s+it|doesn['’]?t\s+it|don['’]?t\s+you|aren['’]?t\s+you|is\s+that\s+(?:right|correct))\s*[?？]+$", re.I)
# A question that presupposes its content still asserts it ("why is torch not using my GPU?").
_WH = re.compile(r"\b(?:why|how\s+come|what'?s\s+wrong|reasons?\s+for|(?:normal|expected|ok|okay|strange|weird)\s+that|any(?:one|body)\s+else)\b"
                 r"|为什么|为啥|为何|怎么回事|怎么办|啥情况|почему|Что\s+делать|por\s+qu[eé]|pourquoi|warum", re.I)


# accnoticed (session 37): a wh-question about what would happen presupposes nothing ("Why would I get 'no kernel image is
# available' on a GTX 1080?", "how could it run on the CPU?"); a negated modal still does ("why wouldn't it use the GPU?").
_WH_HYPOTHETICAL = re.compile(r"\b(?:why|how\s+come|how)\s+(?:would|could|should|might|may|will|can)\s+(?!not\b)\w+\s+(?!not\b)", re.I)
# A yes/no question that opens a later clause of its sentence ("The GPU is idle, is it because the driver is missing?").
_CLAUSE_QUESTION = re.compile(r"^\W*(?:(?:so|and|but|or|then|i\s+wonder)\s+)?" + _AUX + r"\s+" + _SUBJECT, re.I)


# acctwins (session 39): a question whose auxiliary stands before its subject after an opening phrase, not at the sentence's
# head ("In which case can I run this with another CPU only version of Torch?", "With that, should I use the CPU build?").
_INNER_INVERSION = re.compile(r"(?:^|[\s,;:(])" + _AUX + r"\s+(?:i|we|you)\b", re.I)


def ends_asking(text: str) -> bool:
    """Whether ``text`` (a sentence or a line) ends in a question mark or particle, closing quotes, brackets and emphasis
    after it ("... not found?", "...吗？", "is it the driver?`"): the one test of a question's ending, which ``asked`` reads
    with the sentence's words and the line readers of explain.errorwords and explain.drvmount by itself (accgramb41)."""
    return _QUESTION_END.search(text.rstrip(" \t\n\"')]*`")) is not None


def asked_inverted(text: str, left: int, right: int, start: int) -> bool:
    """Whether the sentence ``left``..``right`` ends in a question mark and its auxiliary stands before its subject (I, we,
    you) before ``start``: the words after it are asked, not said. An inversion after the words asks something else ("I
    have the CPU only build, can I change it?" says the build)."""
    if not ends_asking(text[left:right]) or _WH.search(text, left, right) is not None:
        return False
    return _INNER_INVERSION.search(text, left, start) is not None


def asked(text: str, left: int, right: int, start: int, end: int) -> bool:
    """Whether the sentence ``left``..``right`` of ``text`` asks about the words at ``start``..``end`` instead of asserting them."""
    sentence = text[left:right]
    through = text[left:end]
    stripped = sentence.rstrip(" \t\n\"')]*`")
    ends = ends_asking(stripped)
    if _WH_HYPOTHETICAL.search(text, left, start) is not None and ends:
        return True
    presupposed = _WH.search(sentence) is not None
    if presupposed:
        return False
    if ends and _CLAUSE_QUESTION.match(clause_before(text[left:start])):
        return True
    if _TAG_QUESTION.search(stripped):
        return True  # "... uses the cpu version of tensorflow, right?": the writer asks the reader to confirm
    if ends:
        if _YES_NO.search(sentence) or _ALTERNATIVE.search(sentence) or _ASK_ABOUT.search(through) or _NO_QUESTION_WORD.search(sentence):
            return True
        # A Chinese question particle asks its own clause: "...一直是使用的cpu，是不是我还有哪个位置没有设置呢？" asks about the
        # settings, after saying that the CPU is used.
        if stripped.endswith(("吗", "吗？", "吗?", "么？", "呢？", "呢?")) and not re.search(r"[，,；;]", text[end:right]):
            return True
    # (Not a label and its value: "Is CUDA available: False" is a program's question printed with its answer.)
    return _ASK_ABOUT.search(through) is not None or (_INVERTED.search(sentence) is not None and re.search(r":\s*\S", sentence) is None)


# --- conditions and suppositions -----------------------------------------------------------------------------
_CONDITION = re.compile(r"(?:^|[,;:(]\s*|\b(?:only|and|but|or)\s+)(?<!even )(?:if|unless|in\s+case|whether|when\s+no|otherwise)\b|如果|假如|若|要是|一旦|Если|\bsi\s+no\b"
                        # A supposition ("what if no GPU is detected", "suppose there is no GPU usage") and "without a GPU"
                        # opening the clause ("Without a GPU the script uses the CPU": what happens then).
                        r"|\bwhat\s+if\b|\b(?:suppose|supposing|assuming|imagine)\b|(?:^|[,;:(]\s*)without\s+(?:a|an|any)\s+(?:[\w-]+\s+)?(?:gpus?|graphics|cuda|nvidia)\b", re.I)
# "不使用GPU时" ("when the GPU is not used"), "使わない場合": the words are a condition's.
_WHEN_AFTER = re.compile(r"\s*(?:时|的时候|时候|の時|場合|경우|일\s*때)")
# "falls back to the CPU when no GPU is detected", "... if CUDA is unavailable": a condition after the words;
# "if you can", "if anyone knows", "if possible" attach to a request for help, not to the words.
_CONDITION_AFTER = re.compile(r"[^.!?。！？]*?(?<!even )(?<!sure )(?<!wonder )(?<!wondering )(?<!know )(?<!unsure )(?<!certain )\b(?:if(?!\s+(?:(?:you|anyone|someone|somebody)\s+(?:can(?![’']t|not)|could(?![’']t|\s+not)|know|knows)\b|possible\b|so\b|needed\b|necessary\b))"
                              r"|unless|in\s+case|when(?:ever)?\s+(?:no|there\s+is\s+no|(?:the\s+)?(?:gpu|cuda)\s+(?:is\s+)?(?:not|n't|un\w+))"
                              r"|when(?:ever)?\s+(?:you|one|users?|people|someone)|(?:if|unless)\s+(?:one|users?|people))\b", re.I)


# A condition on what the reporter did reports what happened when they did it ("And if I run this code, it only uses
# GPU memory", "if PyTorch is installed after the geo packages, ... gives False"): not a supposition. Not a hypothetical
# ("if I had a GPU", "if I won't link a display").
_REPORTED_CONDITION = re.compile(r"\s+(?:(?:i|we)\s+(?!(?:had|were|can|could|would|will|won[’']?t|wont|should|want|wanted|wish|need|needed|only|ever|try|manage)\b)[a-z]"
                                 r"|[\w.-]+(?:\s+[\w.-]+)?\s+(?:is|was|are|were|gets?|got)\s+(?:\w+\s+)?installed\b)", re.I)


# accprec (session 31): a condition opened in mid-sentence governs the words after it up to its clause's end ("the warning
# appears in the next cell if the notebook is run on a machine with no GPU", "it falls back to the CPU in case no CUDA device
# is found"): no comma, semicolon, colon or contrast ("I was checking if there is a GPU but I get this error": the main
# clause again) between the subordinator and the words. Not a request's "if" ("if anyone knows
# why ...": a question about the words, read by ``asked``) and not the reporter's own action (``_REPORTED_CONDITION``).
_CONDITION_MID = re.compile(r"(?<!even )\b(?:if|unless|in\s+case)\b(?!\s+(?:(?:you|anyone|anybody|someone|somebody)\s+(?:can|could|know|knows|has|have)\b|possible\b|so\b|needed\b|necessary\b))(?=(?:(?!\b(?:but|however|although|though|whereas|yet)\b)[^,;:()])*$)", re.I)


def supposed(text: str, left: int, right: int, start: int, end: int) -> bool:
    """Whether the words at ``start``..``end`` are under a condition or a supposition in their sentence ``left``..``right``."""
    if any(_REPORTED_CONDITION.match(text, m.end()) is None for m in _CONDITION.finditer(text, left, start)):
        return True
    mid = _CONDITION_MID.search(text[left:start])
    if mid is not None and _REPORTED_CONDITION.match(text[left:start], mid.end()) is None:
        return True
    opening = _CONDITION.match(text[left:right].lstrip())
    if opening is not None and _REPORTED_CONDITION.match(text[left:right].lstrip(), opening.end()) is None:
        return True
    return _WHEN_AFTER.match(text, end) is not None or _CONDITION_AFTER.match(text[:right], end) is not None


# --- a circumstance: the words are the verb phrase of a time or condition clause (accwords3, session 21) -------------
# "When I run this on CPU, I don't run into memory issues", "but when running on CPU", "if we train it on the CPU it
# works": the words are what the writer did or chose in the clause that sets the scene, not what they found; the
# finding is the main clause. Only where the clause's subordinator (and its subject) come right before the words: "When
# I run it the GPU isn't used" and "When I run it, it runs on the CPU" have the words in the main clause.
_CIRCUMSTANCE = re.compile(
    r"(?:^\W*|[,;:(]\s*|\b(?:but|and|so|or|only|also|even)\s+)(?:when(?:ever)?|while|once|if|every\s+time|each\s+time|as\s+soon\s+as)\s+"
    r"(?:(?:i|we|you|it|they|he|she|one|this|that|the\s+[\w-]+|my\s+[\w-]+)\s+(?:(?:just|only|also|then|now|still|try\s+to|tried\s+to)\s+)?)?$", re.I)


def circumstance(text: str, left: int, start: int) -> bool:
    """Whether the words at ``start`` open the verb phrase of a time or condition clause ("when I run this on CPU, ..."), the scene of the sentence (from ``left``), not its finding."""
    return _CIRCUMSTANCE.search(text[left:start]) is not None


# --- hearsay -------------------------------------------------------------------------------------------------
# Said of or by others ("fixed it for others", "people reported ..."), or what others might conclude ("users may think
# that the GPU isn't being used"): not the reporter's own finding.
_HEARSAY = re.compile(
    r"\bfor\s+(?:him|her|them|others|some(?:one|body)|many\s+(?:people|users)|most\s+(?:people|users)|other\s+(?:people|users|folks))\b|\b(?:he|she|they|someone|somebody|people|others|users?|many)(?:\s+(?:on|in|at|from)\s+(?:the\s+|a\s+)?[\w.-]+)?\s+(?:said|says|say|reported|report|mentioned|suggested|claim\w*)\b"
    r"|\b(?:they|users?|people|someone|one|you|readers?)\s+(?:may|might|could|would|will)\s+(?:think|believe|assume|conclude|worry)\b"
    r"|\b(?:confus|mislead|lead)\w*\s+(?:the\s+|a\s+)?(?:users?|people|readers?|me|us|you)\s+(?:into|to)\s+(?:believ|think)", re.I)


def hearsay(text: str, left: int, right: int) -> bool:
    """Whether the sentence ``left``..``right`` of ``text`` reports what others found or might think."""
    return _HEARSAY.search(text, left, right) is not None


# --- a state that is over ----------------------------------------------------------------------------------------
_EARLIER = re.compile(r"\b(?:before|previously|used\s+to|at\s+first|earlier|initially|originally|formerly|until|till)\b|之前|以前|原来|本来|起初|以前は|이전", re.I)
_NOW = re.compile(r"\b(?:now|fixed|solved|resolved|works\s+again)\b|\bwork(?:s|ing)\s+(?:\w+\s+)?(?:now|again)\b|现在|已经好了|解决|修好|今は|지금|해결", re.I)


def over(text: str, left: int, right: int, end: int) -> bool:
    """Whether words ending at ``end`` in the sentence ``left``..``right`` are of a state that is over: an earlier time in the sentence and a change to now after the words."""
    return _EARLIER.search(text, left, right) is not None and _NOW.search(text, end) is not None


# --- advice, plans, hedges ---------------------------------------------------------------------------------------
# A modal, a wish or "to" governing the words' verb ("can run on the CPU", "I want to train on the CPU", "trying to use
# the GPU"); a verb of seeming before "to" is an observation ("seems to be running on the CPU"), a causative's
# participle what happened ("causing JAX to fall back to CPU"); a preposition's "to" governs a noun ("failure due to two
# jobs on same GPU", accsmall).
_MODAL_BEFORE = re.compile(
    r"(?:\b(?:can|could|should|would|might|may|must|shall|(?<!\bdue\s)(?<!\bowing\s)(?<!\bthanks\s)(?<!\baccording\s)(?<!\bprior\s)(?<!\bnext\s)to|will|want|wants|wanted|wish|hope|let|lets|please|need|needs|expect|expected|trying|try|prefer|avoid)"
    r"|想|希望|要|让|强制|如何|怎么)"
    r"\s+(?:(?:really|just|also|easily|explicitly|actually|only|still|the|it|this|them|everything|all|be|run|do|use|start|keep|put|get|make|training|inference|[\w-]+ly)\s+){0,2}$", re.I)
# accutil40 (session 40): the aspectual verbs of a state that goes on are raising verbs too ("the GPU utility stays to be 0",
# "the usage continues to be low"): their "to" reports the state, not a wish (not "remains to be", idiom of a thing not yet known).
_RAISING_TO = re.compile(r"\b(?:seems?|seemed|seeming|appears?|appeared|happens?|happened|turns?\s+out|turned\s+out|tends?|tended|get|gets|got"
                         r"|stays?|stayed|continues?|continued)\s+to\s+(?:\w+\s+){0,2}$", re.I)
_CAUSED_TO = re.compile(r"\b(?:causing|caused|causes|forcing|forced|forces|leading|led|leads)\s+(?:[\w.-]+\s+){0,3}?to\s+(?:\w+\s+){0,2}$", re.I)
_HEDGE = re.compile(r"\b(?:maybe|perhaps|probably|possibly|might\s+be|may\s+be|could\s+be|suspect(?:s|ed)?|guess|ruled?\s+out|excluded?|doubt(?:s|ed)?)\b|可能|也许|或许", re.I)
# accsilent (session 39): a belief denied ("I don't think it uses the CPU") denies its content: words that the work is on the
# CPU are then the opposite of the GPU unused. Words that the GPU is not used keep their reading ("I don't think torch is
# using my GPU" says the writer believes it is not: the denial is raised from the content).
_DENIED_BELIEF = re.compile(r"\b(?:do|does|did)(?:\s+not|n['’]?t)\s+(?:really\s+)?(?:think|believe|suppose)\b", re.I)
# Advice to a reader ("you should set ...", "make sure that ..."), an expectation ("I expect it to ...").
# The reader addressed with a modal ("you should", "you can", "users need"): ``advised`` reads it in the words' clause,
# ``instructed(bare=True)`` in the whole sentence before them.
_ADDRESSED_MODAL = r"\b(?:you|one|users?)\s+(?:\w+\s+)?(?:should|must|need|have\s+to|can|could|may|might|will|would)\b"
_ADVICE = re.compile(_ADDRESSED_MODAL + r"|\b(?:make\s+sure|ensure|verify|check|confirm)\s+(?:that|whether|if)\b"
                     r"|\b(?:suppose|assum\w*|expect\w*|hope)\b|应该|确保", re.I)
# The modals of expectation or obligation: what ought to happen, not what happened.
_EXPECTED = re.compile(r"(?:should|shall|must|ought\s+to|supposed\s+to)\s+$", re.I)


def _to_a_number(modal: str, words: str) -> bool:
    """Whether the modal found is "to" before a number: a preposition ("peaks to 100%", "drops to 0"), no infinitive (accutil2)."""
    return modal.strip().lower() == "to" and words[:1].isdigit()


def raised_to(clause: str) -> bool:
    """Whether the "to" that governs the end of ``clause`` follows a verb of seeming or a causative ("seems to be running"): an observation, not a wish."""
    return _RAISING_TO.search(clause) is not None or _CAUSED_TO.search(clause) is not None


# accnoticed39 (session 39): a verb of seeming that governs a finite clause ("it looks like (that) the GPU is idle", "it seems
# that ...", "I think the GPU is ..."): the writer's impression, hedged, not a measurement. ("seems to be idle" is raised_to's
# observation; only the clause form, with no number on the line, is the impression.)
_SEEMING = re.compile(r"\b(?:(?:it|this|that)\s+)?(?:looks|looked|seems|seemed|appears|appeared|feels|felt)\s+(?:like|as\s+if|as\s+though|that)\b"
                      r"|\bI\s+(?:think|feel|believe|guess)\b", re.I)


def seeming(text: str, left: int, start: int) -> bool:
    """Whether the words at ``start`` are the clause of a verb of seeming in their sentence (from ``left``): "it looks like
    the GPU is idle", "I think the GPU is ..."; the writer's impression, not what they measured."""
    return _SEEMING.search(text, left, start) is not None


def advised(text: str, left: int, start: int, end: int) -> bool:
    """Whether the words at ``start``..``end`` are advice, a wish, a plan or a hedge in their clause (from ``left``), not a report."""
    clause = clause_before(text[left:start])
    # A modal right before a negation is the negated verb's own ("could not see my GPU"), unless the modal is one of
    # expectation or obligation (accprec40, session 40): "GPU detection should not use GPU for 100%" under an issue's
    # "Expected Behavior" is what the writer expects, not what they saw.
    modal = _MODAL_BEFORE.search(clause)
    negated = opens_negated(text[start:end]) and (modal is None or _EXPECTED.match(modal.group(0)) is None)
    if modal is not None and not negated and not raised_to(clause) and not _to_a_number(modal.group(0), text[start:end]):
        return True
    if not negated and _DENIED_BELIEF.search(clause) is not None and re.search(r"\bcpu", text[start:end], re.I):
        return True
    return _HEDGE.search(clause) is not None or _ADVICE.search(clause) is not None


# --- negation of the words in their clause ------------------------------------------------------------------
# A negation in the words' own clause before them ("the GPU doesn't work", "it never uses the VRAM", "不能识别到GPU").
# ("n't" with its apostrophe, or a contraction written without it: not any word ending in "nt", "enhancement", "want".)
# accgram41 (session 41): the words between a negation and the words stay in their clause: a wh-word or a complementizer
# opens a clause of its own, which the negation does not reach ("I don't know why it runs on the CPU": the writer's
# knowledge is negated, not the words). The preposition "without" negates the words only right before them ("without
# using the GPU"): its phrase ends at its noun ("without warning it fell back to the CPU" negates the warning).
# A negation of the verb ("not", "never", "n't", "no way") reaches the whole clause when a reader asks so (``reach=None``);
# the determiner "no" and the pronouns "none", "nothing", "nobody" negate their own noun phrase, and "without" its own
# phrase: they count within the short reaches only ("I have no GPU on my Windows laptop" does not deny the laptop). "No"
# before a subject ("No it runs on the CPU") is an answer to what came before, no determiner: it negates nothing after it
# (accgramb41, session 41).
_VERB_NEGATORS = (r"(?:\b(?:not|never|no\s+longer|no\s+way|nor|neither|hardly|barely)\b|n['’]t\b"
                  r"|\b(?:do|does|did|is|was|are|were|ca|wo|could|would|should|has|have|had|must)nt\b)")
_NEGATORS = (r"(?:\b(?:no(?!\s+(?:i|it|we|you|they|he|she|this|that|these|those|there|the|my|your|our|his|her|their)\b)|none|nothing|nobody)\b|"
             + _VERB_NEGATORS + ")")
_WH_WORDS = r"why|how|what|where|when|which|who"
_BETWEEN = r"(?:\s+(?!(?:" + _WH_WORDS + r"|whether|if|that)\b)\S+)"
_WITHOUT = r"|\bwithout(?:\s+(?:any|even|ever|really|actually|a|an|the))?\s*$"
# By reach (words between the negation and the words): 3 for most readers, fewer for a reader of a short phrase.
_NEGATED_WITHIN = {n: re.compile(_NEGATORS + _BETWEEN + "{0," + str(n) + "}" + r"\s*$" + _WITHOUT, re.I) for n in (1, 2, 3)}
# The clause-wide reach keeps a complement of "that", "whether", "if" under the negation ("I am not sure whether my
# machine is an M1 Mac", "it is not that the GPU is slower"); a wh-word's clause is the writer's own (presupposed: "I don't
# know why the GPU is slower than the CPU" says it is).
_NEGATED_IN_CLAUSE = re.compile(_VERB_NEGATORS + r"(?:\s+(?!(?:" + _WH_WORDS + r")\b)\S+)*\s*$", re.I)
# The words themselves opening with their verb's negation ("not using the GPU", "never runs", "n't use").
_NEGATED_WORDS = re.compile(r"(?:not|never|n[’']t)\b", re.I)
_NEGATED_INTL_BEFORE = re.compile(r"(?:不|没|沒|无法|未|\bне|\bno|\bnão|\bnicht|\bne|\bpas)\s*\S{0,4}\s*$", re.I)
# The same words negated after them: "works not", "die GPU funktioniert nicht", "fonctionne pas", "GPU работает не".
_NEGATED_AFTER = re.compile(r"\s*(?:not\b|nicht\b|pas\b|не\b|ないです|ません)", re.I)


def opens_negated(words: str) -> bool:
    """Whether ``words`` open with their verb's negation ("not using the GPU", "never runs"): they say the opposite of
    their verb; a reader of the negated form takes them as they are."""
    return _NEGATED_WORDS.match(words) is not None


def negated_before(clause: str, *, reach: int | None = 3) -> bool:
    """Whether ``clause`` (the words' own clause up to them, ``clause_before``) ends in a negation of the words: a
    negation up to ``reach`` words before them, in the words' own clause ("the GPU doesn't work", "is no longer using only
    the CPU", "I want it to not run on the CPU", "不能识别到GPU"). The one decision of a negation before the words
    (accgram41, session 41: explain.statements' own narrower pattern is gone).

    ``reach=None``: a negation of the verb anywhere in the clause, a complement of "that", "whether", "if" included ("I
    am not sure whether my machine is an M1 Mac" is no assertion of the Mac: reported's and platform_said's readers of a
    fact the writer names); "no", "none", "nothing", "nobody" and "without" negate their own noun phrase, not the
    fact named after it ("I have no GPU on my Windows laptop" says the Windows laptop). A wh-word between opens a
    clause the negation does not reach at any reach, and so does a complementizer at the shorter reaches. An answer's "No" before a statement ("No it runs on the CPU") negates nothing of the statement
    (accgramb41, session 41)."""
    if reach is None:
        found = _NEGATED_IN_CLAUSE.search(clause) is not None
    else:
        found = _NEGATED_WITHIN[reach].search(clause) is not None
    return found or (not clause.isascii() and _NEGATED_INTL_BEFORE.search(clause) is not None)


def negated(text: str, left: int, start: int, end: int) -> bool:
    """Whether the words at ``start``..``end`` (their sentence starting at ``left``) are negated in their clause: a negation up
    to three words before them or right after them ("the GPU doesn't work", "it never uses the VRAM", "works not"). The one
    decision for readers of a statement that something happens (explain.works, explain.jaxbuild, explain.slowsaid; moved
    here from explain.works by accjaxgram, session 40)."""
    return negated_before(clause_before(text[left:start])) or _NEGATED_AFTER.match(text, end) is not None


# --- an instruction ---------------------------------------------------------------------------------------
# accadvice40 (session 40): an install guide or a maintainer's advice pasted into a log ("copy the cuDNN files into
# C:\...\CUDA\v10.0\bin", "Install CUDA 11.2 and cuDNN 8.1", "you need CUDA 11.8", "please install onnxruntime-gpu", "make
# sure you have CUDA 11.2 installed") tells a reader what to do: it is no fact about the machine the log came from. Two
# forms, by English grammar:
# - the imperative of obtaining (install, download, copy, unzip, ...: what it names is a thing to get, not one there),
#   where the sentence marks it as an instruction: an adverb of instruction before the verb ("then, unzip it and copy it
#   into C:\...\CUDA\v10.0", Paddle's own dynamic_loader note; "simply install", "just download", "first install"), or the
#   line addressing its reader ("you", "your", "[Recommend]", "for instance"). A bare verb alone is not enough: reports drop
#   their subject ("Install cuda11.8, cuDNN8.5.0.96, and onnxruntime-gpu==1.15. But could not locate zlibwapi.dll",
#   onnxruntime#17510; "install torch=2.6.0", pytorch#144433: what the writer did). A numbered or bulleted step ("1.
#   Install CUDA 11.2") is a procedure whose reader is unknown (a reporter's steps to reproduce say what they did), so only
#   the obligation below decides inside a step; a shell command ("pip install ...") is a command run, not a verb of prose;
# - the reader's obligation: "you" (or "one", "users") with a modal of necessity ("should", "must", "need (to)", "have
#   to", "'ll need"), "please" before a verb, "make sure" / "ensure" / "be sure", "it is recommended/necessary to".
_INSTRUCTION_VERB = (r"(?:install|re-?install|download|copy|put|paste|move|place|add|extract|unzip|unpack|replace|set\s+up|"
                     r"configure|upgrade|downgrade|switch|point|append|make\s+sure|ensure|be\s+sure)")
_IMPERATIVE_OPEN = re.compile(
    r"\W*(?:(?:so|now|and|also|hi|hello|ok(?:ay)?)\W+)*(?P<adverb>(?:(?:then|just|first(?:ly)?|next|finally|simply|please|pls|plz|kindly)\W+)+)?"
    + _INSTRUCTION_VERB + r"\b(?!\s*(?:=|\(|:\s*$))", re.I)
_ADDRESSED = re.compile(r"\b(?:you|your|yours)\b|\[?recommend(?:ed)?\]?|\bfor\s+instance\b|\be\.g\.", re.I)
_STEP_MARKER = re.compile(r"\s*(?:[-*+•]|\(?\d+[.)]|step\s*\d+\s*[:.)-]?)\s+", re.I)
_OBLIGATION = re.compile(
    r"\b(?:you|one|users?)\s+(?:(?:will|'ll|would|may|might)\s+)?(?:should|must|need(?:s)?(?:\s+to)?|have\s+to|has\s+to|ought\s+to|had\s+better)\b"
    r"|\b(?:please|pls|plz|kindly)\s+(?:\w+\s+)?" + _INSTRUCTION_VERB + r"\b"
    r"|\b(?:make|be)\s+sure\b|\bensure\s+(?:that\s+)?(?:you|the|your|cuda|cudnn)\b"
    r"|\bit\s*(?:is|'s)\s+(?:recommended|necessary|required|advised|best)\s+to\b|请(?:先)?(?:安装|下载|复制|拷贝|确保|使用)|需要(?:先)?(?:安装|下载|复制|拷贝)", re.I)
# The bare form (``instructed(bare=True)``): the words' clause opening with a verb of doing in the imperative, no adverb
# needed ("use the CPU build", "[Recommend] install the cpu wheel", "试试CPU版本"), and the reader addressed with any modal in
# the sentence before the words ("you can pip install it and get the CPU build"); moved from explain.statements' build
# reading (accgramb41, session 41), whose words are what an install brought: a thing to get in an instruction.
_BARE_IMPERATIVE = re.compile(r"^\W*(?:\[[^\]]*\]\s*)?(?:install|use|download|get|try|add|make\s+sure|switch|force|pin|prefer|request|set|run|train|disable"
                              r"|enable|allow|prevent|fix|bind|select|choose|check|下载|安装|添加|试试|检查)\b", re.I)
_ADDRESSED_WITH_MODAL = re.compile(_ADDRESSED_MODAL, re.I)
_SHELL_COMMAND = re.compile(r"\W*(?:\$\s*|>\s*|#\s*)?(?:sudo\s+)?(?:pip3?|python3?\s+-m\s+pip|conda|mamba|micromamba|apt(?:-get)?|yum|dnf|uv|poetry|brew|choco|winget|npm|docker|git|wget|curl|cp|mv|ln|export|set\s+\w+=)\b", re.I)


# Words one of the two forms needs, to skip the sentence's reading cheaply.
_INSTRUCTION_CUES = ("you", "one ", "user", "please", "pls", "plz", "kindly", "sure", "ensure", "recommended", "necessary",
                     "required", "advised", "best", "请", "需要", "install", "download", "copy", "put", "paste", "move", "place",
                     "add", "extract", "unzip", "unpack", "replace", "set up", "configure", "upgrade", "downgrade", "switch",
                     "point", "append")


def instructed(text: str, start: int, end: int, *, imperative: bool = True, bare: bool = False) -> bool:
    """Whether the words at ``start``..``end`` of ``text`` are in a sentence that tells its reader what to do (an install
    guide's or a maintainer's instruction: an imperative of setting up, or the reader's obligation), not a fact about the
    machine. The one decision every reader of stated facts (versions, packages, paths said installed) takes.

    ``imperative=False`` (``said``: every other reading of the writer's words) decides by the reader's obligation only:
    outside what it names to obtain, a bare verb may be a writer who drops the subject of their own narrative
    ("Configure Detectron2 environment on a computer without GPU graphics card", detectron2#1416: the writer's machine).

    ``bare=True`` (a reader of what an install brought, ``explain.statements.asserted``'s build) adds the bare form: the
    words' own clause opening with an imperative verb, and the reader addressed with any modal in the sentence before."""
    if bare:
        left = sentence_at(text, start, end)[0]
        if _BARE_IMPERATIVE.search(clause_before(text[left:start]) + text[start:end]) or _ADDRESSED_WITH_MODAL.search(text, left, start):
            return True
    line_start = text.rfind("\n", 0, start) + 1
    low = text[line_start:end].lower()
    if not any(cue in low for cue in _INSTRUCTION_CUES):
        return False  # (cheap: no word either form needs)
    line_end = text.find("\n", end)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    left = line_start + sentence_at(line, start - line_start, end - line_start)[0]
    if _OBLIGATION.search(text, left, start) is not None:
        return True
    if not imperative:
        return False
    if _STEP_MARKER.match(text, line_start) is not None:
        return False  # a procedure's step: whose steps the text does not say (only the reader's obligation decides in one)
    if _SHELL_COMMAND.match(text, left) is not None:
        return False
    opened = _IMPERATIVE_OPEN.match(text, left, end)
    if opened is None:
        return False
    line_end = text.find("\n", start)
    return opened.group("adverb") is not None or _ADDRESSED.search(text, line_start, len(text) if line_end < 0 else line_end) is not None


# --- a gerund as the subject -----------------------------------------------------------------------------------
# "Running on CPU is slow", "Training on the CPU takes forever", "Doing inference on CPU would be fine": an -ing form at
# the start of its clause followed by the clause's verb names an activity; the claim is the predicate (slow, takes
# forever), not that the work went there. A gerund phrase with no verb after it ("Running on CPU instead of GPU", a
# title) is still the writer's report.
_GERUND_PREDICATE = re.compile(
    r"(?:\s+(?:only|alone|instead|too|here|locally|[\w.-]+ly|(?:with|for|at|in|on|using|via)\s+[\w.%-]+(?:\s+[\w.%-]+)?))*\s*"
    r"(?:is|was|are|were|would\s+be|will\s+be|should\s+be|could\s+be|can\s+be|might\s+be|may\s+be|'s|isn['’]?t|wasn['’]?t|seems?|seemed|feels?|felt"
    r"|takes?|took|gets?|got|becomes?|became|makes?|made|costs?|requires?|required|needs?|needed|works?|worked|gives?|gave|means|uses|used\s+to)\b", re.I)


def gerund_subject(text: str, left: int, start: int, end: int) -> bool:
    """Whether the words at ``start``..``end`` open with an -ing form that is their clause's subject ("Running on CPU is slow")."""
    first = re.match(r"[A-Za-z]+ing\b", text[start:end])
    if first is None or first.group(0).lower() in ("nothing", "everything", "something", "anything", "thing"):
        return False
    if re.search(r"[\w%)]\s*$", clause_before(text[left:start])):
        return False  # a verb or a noun before it: "it keeps running on the CPU", "the model running on the CPU"
    return _GERUND_PREDICATE.match(text, end) is not None


# --- the clause -----------------------------------------------------------------------------------------------
_CLAUSE_START = re.compile(r"[,;:，；：]\s*|\s+(?:but|and|so|however|although|though|while|whereas)\s+", re.I)


# accsmall38 (session 38): "then" after an "if" (or "when", "once") ends the condition and opens the consequent, a clause of
# its own ("If I had already installed onnxruntime-gpu then onnxruntime installs ..."); a "then" that an auxiliary or a
# conjunction comes right before is an adverb inside the clause ("if PyTorch is then installed", "and then").
_THEN = re.compile(r"\bthen\s+", re.I)
_CONDITION_OPEN = re.compile(r"\b(?:if|when(?:ever)?|once)\s+\S", re.I)
_ADVERB_THEN = re.compile(r"\b(?:is|was|are|were|be|been|being|gets?|got|will|would|should|shall|can|could|must|may|might|had|has|have|do|does|did"
                          r"|and|or|but|just|only|even|since|now|first)\s*$", re.I)


def _consequent_from(part: str) -> int:
    """Where the consequent of an "if ... then" in ``part`` begins (after its "then"), or 0 where ``part`` has none."""
    start = 0
    for m in _THEN.finditer(part):
        head = part[start:m.start()]
        if _CONDITION_OPEN.search(head) and not _ADVERB_THEN.search(head):
            start = m.end()
    return start


def clause_before(before: str) -> str:
    """The part of ``before`` (a sentence up to some words) in the words' own clause."""
    part = _CLAUSE_START.split(before)[-1]
    if "hen" in part and ("then" in part or "Then" in part or "THEN" in part):
        return part[_consequent_from(part):]
    return part


# accnoticed (session 37, from acccloudnode's reader): a factive imperative reports what the writer saw ("Observe that the
# launch fails", "Note that nvidia-smi shows no GPU"), and so does a reproduction step's "Confirm/Verify that ..." ("3.
# Confirm that CUDA drivers indeed does not exist"); in prose "please confirm that ..." stays a request (advised).
_OBSERVED = re.compile(r"\s*(?:(?:[-*]\s*|\d+[.)]\s*)(?:observe|notice|note|see|confirm|verify)|(?:observe|notice|note))\s+that\s+", re.I)


def observed_from(text: str, left: int, start: int) -> int:
    """Where the sentence (from ``left``) reporting an observation begins its report: after "Observe that" or a step's "Confirm that"."""
    line_start = text.rfind("\n", 0, start) + 1
    for at in (line_start, left) if line_start <= left else (left,):
        step = _OBSERVED.match(text, at)
        if step is not None and step.end() <= start and (at == left or step.end() > left):
            return step.end()
    return left


def said(text: str, start: int, end: int, *, quotes: bool = True) -> bool:
    """Whether the words at ``start``..``end`` of ``text`` are asserted of now: the whole decision (not asked, supposed, advised, instructed, hearsay, over, quoted).

    ``quotes=False`` keeps words inside quotation marks or backticks: a name or a command the reporter quotes as
    their own ("I installed PyTorch with `pip3 install ... whl/rocm5.4.2`") rather than a message they cite.
    """
    left, right = sentence_at(text, start, end)
    left = observed_from(text, left, start)
    if asked(text, left, right, start, end) or hearsay(text, left, right) or (quotes and quoted(text, start)):
        return False
    if supposed(text, left, right, start, end) or advised(text, left, start, end) or instructed(text, start, end, imperative=False):
        return False
    return not over(text, left, right, end)


def all_said(pattern: re.Pattern[str], text: str, *, quotes: bool = True, unless: Callable[[re.Match[str]], bool] | None = None,
             asked_too: bool = False) -> Iterator[re.Match[str]]:
    """Each match of ``pattern`` in the writer's words ``text`` that ``said`` finds asserted of now, in order (none on a
    program's line: a message is no writer's statement). The shape of every reader of a statement in the writer's prose
    (explain.statements, explain.reported; accgram41, session 41); each keeps its own exclusions of a match in ``unless``
    (its content's, not grammar's). ``asked_too``: a question presupposes the words as well ("why is the response as slow
    as CPU serving"). A reader of every fact a line states takes them all (``reported.driver_said``,
    ``statements.platform_said``: accgramb41)."""
    if program_line(text):
        return
    for m in pattern.finditer(text):
        if unless is not None and unless(m):
            continue
        if said(text, m.start(), m.end(), quotes=quotes) or (asked_too and asked(text, *sentence_at(text, m.start(), m.end()), m.start(), m.end())):
            yield m


def first_said(pattern: re.Pattern[str], text: str, *, quotes: bool = True, unless: Callable[[re.Match[str]], bool] | None = None,
               asked_too: bool = False) -> re.Match[str] | None:
    """The first of ``all_said``'s matches, or None."""
    return next(all_said(pattern, text, quotes=quotes, unless=unless, asked_too=asked_too), None)


# --- one meaning: no GPU (or accelerator) found, detected or available ----------------------------------------------------
# accnodev (session 33): the fallback reader (``explain.fallback``: a program's reason for running on the CPU) and the words
# reader (``explain.errorwords``: a program's error line, the no_device predicate) each kept a pattern of this one meaning,
# of different scope (the fallback's read "no NPU", "CUDA not available", is_available() false and the Chinese; the words
# reader's read "no devices supporting CUDA", "failed to find a GPU" and three words before the noun). This is their union,
# used by both; each reader keeps its own context checks (the words reader reads only a device found absent and named as
# CUDA's, NVIDIA's or a GPU, since its knowledge row is CUDA's cudaErrorNoDevice; the fallback reads the accelerator named).
# Two kinds, by what the words say (named groups, so a reader may tell them apart):
# - nd_absent: the devices looked for and none found ("No GPU found", "no GPU or NPU found", "no CUDA-capable device is
#   detected", "No NVIDIA GPU detected", "no devices supporting CUDA", "unable to find a GPU", "没有发现支持的N卡");
# - nd_unavailable: the framework's answer that CUDA or the GPU is not available ("CUDA not available", "GPU unavailable",
#   "Neither CUDA nor MPS are available", "torch.cuda.is_available() returned False", "No GPU acceleration available").
_ND_NOUN = r"(?:gpus?|npus?|devices?|cuda(?:\s+devices?)?|gpu\s+devices?|accelerators?|graphics\s+cards?)"
NO_DEVICE_WORDS = (
    r"(?i:(?P<nd_absent>\bno\s+(?:[\w-]+\s+){0,3}?" + _ND_NOUN + r"(?:\s+or\s+\w+)?\s+(?:(?:was|were|is|are)\s+)?(?:found|detected|available|present)\b"
    r"|\bno\s+(?:[\w-]+\s+)?(?:devices?|gpus?)\s+(?:supporting|that\s+supports?)\s+cuda\b"
    r"|\b(?:unable|failed|could\s+not|couldn't|cannot|can't)\s+(?:to\s+)?(?:find|detect)\s+(?:any\s+|a\s+)?(?:[\w-]+\s+){0,2}?(?:gpus?|devices?)\b"
    r"|(?:没有|未|无法)(?:发现|检测到|找到|识别到)?[^，,。]{0,8}(?:gpu|n卡|显卡)|找不到[^，,。]{0,8}(?:gpu|n卡|显卡))"
    r"|(?P<nd_unavailable>\b(?:cuda|gpus?|nvidia\s+gpus?|cuda\s+devices?)\s+(?:is\s+|are\s+|was\s+)?(?:not\s+|un)(?:available|found|detected)\b"
    r"|\bneither\s+cuda\s+nor\s+\w+\s+(?:is|are)\s+available\b"
    r"|\bis_available\(\)\s*(?:is|==|returned|returns)\s*false\b"
    r"|\bno\s+(?:gpu\s+|hardware\s+)?acceleration\s+(?:could\s+be\s+configured|(?:is\s+)?available|found)\b))"
)
NO_DEVICE = re.compile(NO_DEVICE_WORDS)
# The device the words name is an accelerator (a bare "No devices found" is some device's: an audio or input device).
_ACCELERATOR = re.compile(r"gpu|npu|cuda|nvidia|accelerat|graphics|is_available|n卡|显卡", re.I)


def no_device(text: str) -> re.Match[str] | None:
    """The first words of ``text`` that say no GPU (or other accelerator) was found, detected or is available (``NO_DEVICE``,
    naming an accelerator), or None."""
    for m in NO_DEVICE.finditer(text):
        if _ACCELERATOR.search(m.group(0)):
            return m
    return None


# --- one meaning: a program's message retold in the writer's words (accretold, session 38) ----------------------------
# Writers often tell what a program printed instead of pasting it: "when I import tensorflow, it says that tensorflow works
# only with CUDA 9.0", "When compiling the model, it prompts that the driver version is too low", "it complains that cudnn is
# missing", "the error says the driver is too old". The words after such a frame are the program's, retold: a need, a
# refusal or a state the program reported of this machine, which the readers type as they type the pasted message. The
# frame is a verb of saying, prompting, complaining, telling, reporting, showing, warning or claiming whose subject is the
# program: "it", a message's noun ("the error", "the message", "the warning", "the output", "the log") or a program named
# (a framework, a tool). A person as subject ("he says", "someone said") is hearsay, not a program's message.
# A "when ...," clause before the frame is the circumstance of the message (when it printed), not a supposition; the
# frame's own clause must still be asserted: not asked ("does it say ...?"), not supposed ("if it says ..."), not
# negated ("it doesn't say ..."; the pattern has no room for it), not a state that is over ("it said ... before; fixed
# now"), and not about another machine ("on my colleague's machine it says ...").
_RETOLD_SUBJECT = (r"(?:\bit|\b(?:the|this|that|an?)\s+(?:\w+\s+)?(?:error(?:\s+message)?|message|warning|log|output|console|terminal|"
                   r"program|app|application|script|tool|installer|compiler|build|system)s?|"
                   r"\b(?:tensorflow|tf|pytorch|torch|paddle(?:paddle)?|mxnet|jax|onnxruntime|ollama|llama\.cpp|tensorrt(?:-llm)?|"
                   r"keras|python|pip|conda|matlab|cmake|nvcc|docker|comfyui|whisper)\b)")
_RETOLD_VERB = (r"(?:says?|said|saying|tells?\s+(?:me|us)|told\s+(?:me|us)|telling\s+(?:me|us)|prompts?|prompted|prompting|complains?|complained|"
                r"complaining|reports?|reported|reporting|warns?|warned|warning|claims?|claimed|claiming|shows?|showed|shown|showing|"
                r"displays?|displayed|throws?\s+(?:an?\s+)?(?:error|exception)\s+saying|gives?\s+(?:me\s+)?(?:an?\s+)?(?:error|warning|message)\s+saying|"
                r"is\s+(?:that|saying))")
_RETOLD = re.compile(
    r"(?P<frame>" + _RETOLD_SUBJECT + r"\s+(?:(?:always|still|just|then|now|again|only|also|keeps?|kept)\s+)?" + _RETOLD_VERB
    + r")\b(?:\s+(?:me|us))?(?:\s*[:,]\s*|\s+that\b\s*|\s+)"
    r"|(?P<cjk>(?:报错|提示|显示|报)(?:说|信息说)?[:：，,]?)", re.I)
_RETOLD_WORDS = ("say", "said", "tell", "told", "prompt", "complain", "report", "warn", "claim", "show", "display", "throw", "give", " is that",
                 "报", "提示", "显示")
# Words between the frame and the retold words that make them a document's, not the program's ("it says in the docs that").
_DOCUMENT = re.compile(r"\b(?:docs?|documentation|readme|guide|website|web\s*site|page|manual|instructions?|tutorial|wiki|release\s+notes?|faq)\b", re.I)
_OTHER_MACHINE = re.compile(r"\b(?:on|in|with)\s+(?:an(?:other)?|a\s+different|(?:my|the|our)\s+other|other|(?:my|a)\s+(?:friend|colleague|coworker|co-worker)['’]?s?)\s+"
                            r"(?:\w+\s+)?(?:machines?|computers?|pcs?|servers?|laptops?|nodes?|systems?|boxes|box|workstations?|clusters?)\b", re.I)
_FIXED_AFTER = re.compile(r"\b(?:now\s+(?:it\s+)?works?|works?\s+(?:now|again|fine\s+now)|fixed|solved|resolved|went\s+away|is\s+gone|disappeared)\b", re.I)


def retold(text: str, start: int) -> re.Match[str] | None:
    """The frame of a program's message retold in the writer's words ("it says that", "it prompts that", "the error says")
    whose retelling holds the words at ``start``, asserted of this machine now; or None.

    The frame stands before ``start`` in the same sentence, with no sentence or clause boundary of another speaker between
    (the retold words may run on: "it says that tensorflow works only with CUDA 9.0").
    """
    left, right = sentence_at(text, start, start)
    low = text[left:start].lower()
    if not any(w in low for w in _RETOLD_WORDS):
        return None
    frame: re.Match[str] | None = None
    for m in _RETOLD.finditer(text, left, start):
        if m.end() <= start:
            frame = m
    if frame is None or len(text[frame.end():start]) > 120:
        return None
    if _DOCUMENT.search(text, frame.start(), start):
        return None  # "it says in the docs that ...", "the error page says": a document's words, not the program's message
    head = text[left:frame.start()]
    if asked(text, left, right, frame.start(), frame.end()) or hearsay(text, left, right) or _OTHER_MACHINE.search(text, left, right):
        return None
    own = clause_before(head)
    if re.search(r"(?<!even )\b(?:if|unless|whether|in\s+case)\b|如果|假如", own, re.I) or re.search(r"\b(?:not|never)\s+$|n['’]t\s+$", own, re.I):
        return None  # "if it says ...", "in case it complains ...": supposed; "it didn't say ...": not said
    if _HEDGE.search(own) or re.search(r"\b(?:would|might|may|could|should|will)\s+$", own, re.I):
        return None  # "maybe it says ...", "it would say ...": a guess
    if _FIXED_AFTER.search(text, start, len(text)) and re.search(r"\b(?:said|told|prompted|complained|reported|warned|claimed|showed|displayed)\b", frame.group(0), re.I):
        return None  # "it said the driver was too old; after updating it works now": a problem that is over
    if over(text, left, right, start):
        return None
    return frame
