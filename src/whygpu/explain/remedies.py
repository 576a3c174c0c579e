"""Reader of a stated remedy or finding: a reporter's sentence that an action worked, or what the problem was, and the cause it confirms.

A reporter who writes "adding --gpus all fixed it", "it works after I set LD_LIBRARY_PATH", "Solution was
downloading a TensorFlow that supports CUDA 8.0" or "turned out the CPU version was installed" has told
which link of the chain was broken, in an issue's text or its follow-up.  This reads the parts such a
sentence is made of, not phrases:

- a verb of success with the action as its subject ("<action> fixed it / did the trick / helped");
- a verb of success with the action after it ("fixed it by <action>", "solved with <action>", "the solution
  was <action>", "Resolved:" and the action on the next line);
- a working state after the action ("it works after <action>", "after <action> it works now",
  "<action> and now it works");
- a finding: "the problem was <state>", "<state> was the culprit", "it turned out <state>",
  "I realised that <state>";

and the action or state is mapped to the cause it confirms by the knowledge layer
(``knowledge.remedies.remedy_cause``, rows in ``knowledge/remedies.toml``).  A pronoun for the action ("this
fixed it", "that worked") stands for the sentence before it.  Nothing is read when the sentence is a question,
a condition ("if", "when", "unless"), a modal or a plan ("should fix", "would help", "I will try"), advice or
an instruction ("try adding --gpus all", "you must set LD_LIBRARY_PATH", "Note: ..."), what was tried and did
not work ("setting LD_LIBRARY_PATH didn't help", "still fails after reinstalling the driver"), hearsay ("it
fixed it for others"), a guess ("I think the problem is the driver"), or a quoted line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from whygpu import lazyre as re
from whygpu.explain import grammar

if TYPE_CHECKING:
    from whygpu.model import Finding

__all__ = ["StatedRemedy", "lead", "stated_remedies"]

# Only the start of a very long line is read (a reporter's paragraph is shorter), and at most this many distinct lines
# holding a cue word per text (a training log repeats its lines; bounded time).
_MAX_LINE = 4000
_MAX_LINES = 2000
# A line can hold a remedy or a finding only if it holds one of these (lower case): most lines are passed over.
CUE_WORDS = ("解决", "好了", "可以了", "正常了", "成功了", "能用了", "能跑了", "跑起来", "识别", "搞定", "ok了", "原因", "问题", "办法",
             "fix", "solv", "forg", "trick", "now", "true", "that was it", "this was it", "resolv", "work", "trick", "helped", "solution", "culprit", "problem", "issue", "cause",
             "reason", "it was ", "turned out", "manually", "every time", "each time", "always have to", "no idea", "aware", "didn't know", "did not know", "didnt know", "never knew", "turns out", "realiz", "realis", "found out", "figured", "understood", "discovered")


@dataclass(frozen=True)
class StatedRemedy:
    """A remedy or finding a reporter stated: the cause it confirms, its words, the row that mapped them, and where."""

    cause: str
    words: str
    row: str
    kind: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.cause} ({self.words})"


# --- the verbs of success ---------------------------------------------------------------------------------
_OBJECT = r"(?:\s+(?:it|this|that|them|everything|things|all|(?:the|my|this|that|our)\s+(?:\w+\s+){0,2}?(?:problem|issue|error|bug|thing|one)s?))?"
# "<action> fixed it", "<action> did the trick", "<action> helped", "<action> worked (for me)".
_SUBJECT_SUCCESS = re.compile(
    # accwords2: the present tense too ("setting LD_LIBRARY_PATH solves the problem"): what the action does each time.
    r"\b(?:(?:has\s+|have\s+|finally\s+)?(?:fixed|solved|resolved|cured|sorted\s+out|fixes|solves|resolves)" + _OBJECT + r"(?=\s*(?:[.!,;:)]|$|\s+(?:for\s+me|now|and|completely|immediately|right\s+away|thanks|thank)))"
    r"|did\s+the\s+trick|does\s+the\s+trick|made\s+it\s+work|got\s+it\s+(?:to\s+)?work(?:ing)?"
    r"|(?:helped|worked)(?=\s*(?:[.!,;:)]|$|\s+(?:for\s+me|like\s+a\s+charm|perfectly|great|now|and|thanks|thank))))", re.I)
# "fixed it by <action>", "solved this with <action>", "got it working by <action>".
_SUCCESS_BY = re.compile(
    r"\b(?:fixed|solved|resolved|cured|sorted|got\s+(?:it|this|things|everything)\s+(?:to\s+)?work(?:ing)?|made\s+it\s+work|it\s+works?|(?:it|this)\s+worked"
    # acccont (session 22): a success stated as an ability that was used ("I was able to fix this issue by ...", "we managed
    # to solve it with ..."): past "was able to" / "managed to" assert that it happened, unlike the modal "could".
    r"|(?:was|were)\s+able\s+to\s+(?:fix|solve|resolve|get\s+(?:it|this)\s+(?:to\s+)?work(?:ing)?)|managed\s+to\s+(?:fix|solve|resolve|get\s+(?:it|this)\s+(?:to\s+)?work(?:ing)?))"
    # accwords2: or under the reporter's own condition ("the issue is resolved if I downgrade to ...", "it works once we set
    # ..."): what happened when they did it (explain.grammar.supposed reads "if I <verb>" as reported, not supposed).
    + _OBJECT + r"\s+(?:by|with|via|through|using|(?:if|once|as\s+soon\s+as)\s+(?:i|we)(?=\s+(?!(?:had|were|could|would|will|should)\b)[a-z]))\b\s*", re.I)
# "Solution was <action>", "the fix for me was <action>", "what fixed it was <action>".
_SOLUTION_WAS = re.compile(
    r"\b(?:(?:the|my|our)\s+)?(?:solution|fix|workaround|remedy|answer|trick)(?:\s+for\s+(?:me|us|this|it))?\s+(?:was|turned\s+out\s+to\s+be)\b\s*(?:to\s+)?:?\s*"
    r"|\bwhat\s+(?:finally\s+)?(?:(?:fixed|solved|resolved)\s+(?:it|this|the\s+\w+)|worked|helped|did\s+the\s+trick)(?:\s+for\s+(?:me|us))?\s+was\b\s*(?:to\s+)?:?\s*"
    # "I had to set LD_LIBRARY_PATH to make it work": the action is what comes before the purpose.
    r"|\b(?:i|we)\s+(?:finally\s+|just\s+)?(?:had|needed)\s+to\s+(?=.{3,200}?\s(?:to|in\s+order\s+to)\s+(?:make\s+it\s+work|get\s+it\s+(?:to\s+)?work(?:ing)?|fix\s+(?:it|this|the\s+\w+)))", re.I)
# "I forgot to add --gpus all", "we had neglected to set LD_LIBRARY_PATH": the reporter's own finding of what was missing; the
# action they had left out is the remedy.
# accwords2: and what they learnt they had to do ("I had no idea that I needed to change the runtime to GPU", "I didn't know I
# had to set LD_LIBRARY_PATH", "we weren't aware that we needed to pass --gpus all"): the same finding, the action left out.
_FORGOT = re.compile(r"\b(?:i|we)\s+(?:had\s+)?(?:simply\s+|just\s+|completely\s+)?(?:forgot|had\s+forgotten|forgotten|neglected|missed)\s+(?:to\s+)?"
                     r"|\b(?:i|we)\s+(?:(?:did\s+not|didn['’]?t)\s+(?:know|realize|realise|notice)|had\s+no\s+idea|(?:was|were)(?:\s+not|n['’]?t)\s+aware|never\s+(?:knew|realized|realised))"
                     r"\s+(?:that\s+)?(?:i|we|you|one)\s+(?:needed|had|have|need|must|should)\s+to\s+", re.I)
# accwords3 (session 21): a workaround the reporter relies on, a necessity marked as theirs each time ("I have to manually
# specify the path by declaring XLA_FLAGS=...", "we need to export LD_LIBRARY_PATH every time", "I always have to set
# CUDA_VISIBLE_DEVICES"): what makes it work now, so the link it repairs is the broken one. Without "manually", "always",
# "explicitly" or "every/each time" a need is a plan ("I need to install the driver").
_WORKAROUND = re.compile(r"\b(?:i|we)\s+(?:always|still|now)\s+(?:have|need|must)\s+to\s+(?:(?:manually|explicitly)\s+)?"
                         r"|\b(?:i|we)\s+(?:have|had|need|needed|must)\s+to\s+"
                         r"(?=(?:manually|always|explicitly)\b|[^.;!?\n]{0,80}?\b(?:every|each)\s+(?:time|session|run|restart|boot)\b)(?:(?:manually|always|explicitly)\s+)?", re.I)
# "Solved:", "Fixed!", "Resolved -": the action follows (or is on the next line).
_HEADING = re.compile(r"^\W*(?:(?:edit|update)\s*:?\s*)?(?:fixed|solved|resolved)\s*(?:[:!.-]+|$)\s*", re.I)
# A working state: "it works", "now it uses the GPU", "torch.cuda.is_available() returns True".
_WORKS = (r"(?:(?:it|this|that|everything|things|all|torch|tensorflow|tf|jax|the\s+gpu|my\s+gpu|gpu|cuda|the\s+model|training|the\s+code|the\s+script|docker)\s+)?"
          r"(?:(?:now|finally)\s+)?(?:works?|worked|is\s+working|(?:is\s+)?running\s+on\s+(?:the\s+)?gpu|runs\s+on\s+(?:the\s+)?gpu|started\s+working|(?:uses|detects|recogni[sz]es|sees|finds|shows|lists)\s+(?:the\s+|my\s+)?gpu|returns\s+true|['’]s\s+working"
          r"|(?:the\s+|my\s+)?gpus?\s+(?:is|are)\s+(?:now\s+)?(?:used|utili[sz]ed|detected|recogni[sz]ed|found|available|busy))")
_AFTER = re.compile(r"\b(?:after|once|since)\s+", re.I)
_WORKS_RX = re.compile(r"\b" + _WORKS + r"\b", re.I)
# "<action> and (now) it works", "<action>, now it works".
# (With "now", "finally" or "again": "installed the driver and everything works" describes a set-up before the
# problem, not a fix of it.)
_AND_NOW = re.compile(r"(?:,?\s+and\s+(?:now|finally)|,\s*(?:and\s+)?now|\s*-\s*now)\s+" + _WORKS + r"\b|(?:,?\s+and)\s+" + _WORKS + r"\s+(?:again|now)\b", re.I)
# What follows a working state and takes it back: the problem came after it ("... and everything worked. However, after
# a restart ...").
_TAKEN_BACK = re.compile(r"^\W*(?:however|but|unfortunately|sadly|then\s+(?:after|when|i|it)|until|except)\b", re.I)
# A sentence that only says it works now ("Now it works.", "Works now!"): the action is the sentence before.
_NOW_WORKS = re.compile(r"^\W*(?:and\s+)?(?:now\s+(?:it\s+|everything\s+|all\s+)?(?:works?|is\s+working|runs)|(?:it\s+|everything\s+)?works?\s+now|it\s+(?:is\s+)?working\s+now)\b", re.I)

# --- a finding: what the problem was ------------------------------------------------------------------------
_PROBLEM = r"(?:(?:main|real|actual|root|whole)\s+)?(?:problem|issue|culprit|cause|reason|bug|mistake)"
_FINDING_AFTER = re.compile(
    r"\b(?:the|my|our)\s+" + _PROBLEM + r"(?:\s+(?:this|it|that)\s+(?:is\s+|was\s+)?(?:happen\w*|occur\w*|fail\w*)|\s+(?:for|of)\s+(?:this|that|it|the\s+\w+))?\s+(?:was|is|turned\s+out\s+to\s+be|has\s+been|lies|lay)\b\s*(?:with|in|that|because(?:\s+of)?|due\s+to)?\s*"
    r"|\b(?:it\s+)?turn(?:ed|s)\s+out\s+(?:that\s+|to\s+be\s+)?"
    r"|^\W*(?:(?:so|ok|okay|well|edit|update)\W+)?it\s+was\s+(?=(?:the|my)\s+\S+(?:\s+\S+){0,3}\s*[.!]*\s*$)"
    r"|\b(?:i|we)\s+(?:finally\s+|then\s+|eventually\s+|just\s+|later\s+)?(?:realized|realised|found\s+out|figured\s+out|understood|discovered|learned|learnt)\s+(?:that\s+)?", re.I)
_FINDING_BEFORE = re.compile(r"\b(?:was|is|were)\s+(?:the|my)\s+" + _PROBLEM + r"\b|^\W*(?:(?:thanks|thank\s+you|yes|yep|indeed|ok|okay)\W+)*(?:that|this)(?=\s+was\s+it\b)", re.I)

# --- what makes a sentence say nothing ------------------------------------------------------------------------
_NEGATED = re.compile(
    r"\b(?:not|never|no\s+longer|nothing|neither|nor|none|no\s+luck|without\s+(?:success|luck)|doesn'?t|didn'?t|don'?t|isn'?t|wasn'?t|won'?t|can'?t|cannot"
    r"|couldn'?t|haven'?t|hasn'?t|still|yet|unfortunately|stopped|failed|fails)\b|n't\b", re.I)
_QUESTION_START = re.compile(r"^\W*(?:would|could|should|does|do|did|will|can|is|are|has|have|might|may|shall|any\s+idea|anyone)\b", re.I)
# A time clause before a success ("when I add --gpus all it works"): what happens each time, not a fix made (a remedy's own;
# conditions and suppositions are explain.grammar's).
_WHEN = re.compile(r"\b(?:when|whenever)\b|^\W*only\b", re.I)
_MODAL = re.compile(r"\b(?:would|could|should|might|may|will|can|shall|must|ought|hope(?:fully)?|supposed\s+to|likely|probably|maybe|perhaps|possibly"
                    r"|going\s+to|plan(?:ning)?\s+to|want\s+to|trying\s+to|try\s+to|need\s+to|have\s+to|has\s+to|let\s+me|i'?ll|we'?ll|i'?d|we'?d)\b", re.I)
_ADVICE = re.compile(r"^\W*(?:\d+[.)]\s*)?(?:please|don'?t\s+forget|do\s+not\s+forget|never\s+forget|note|nb|tip|hint|important|make\s+sure|ensure|remember|try|install|uninstall|add|set|export|use|run|update|upgrade|downgrade|reboot|restart|remove|copy|change|switch|follow|see|check|to\s+(?:fix|solve|resolve|get|make)|in\s+order\s+to|you|one|users?|step\s+\d)\b"
                     r"|\byou\s+(?:\w+\s+)?(?:can|could|should|may|might|must|need|have\s+to|will|would)\b|\b(?:the\s+)?(?:fix|solution|workaround)\s+(?:is|are)\b|\b(?:recommend\w*|suggest\w*|according\s+to|as\s+(?:described|documented|explained|mentioned|suggested|stated)|the\s+(?:readme|docs|documentation|guide|instructions?|manual|faq))\b", re.I)
_GUESS = re.compile(r"\b(?:think|thought|guess|suspect\w*|believe|assume|wonder\w*|seems?|seemed|appears?|looks?\s+like|not\s+sure|unsure|maybe|perhaps|probably|possibly|might|may|could)\b", re.I)
_EARLIER = re.compile(r"\b(?:before|previously|used\s+to|earlier|in\s+the\s+past|last\s+(?:week|month|year|time))\b", re.I)
_NOT_ON_GPU = re.compile(r"^\W*(?:on|with|using|in)\s+(?:the\s+|my\s+)?cpu\b|^\W*without\s+(?:the\s+|a\s+|any\s+)?(?:gpu|cuda)\b|^\W*(?:only\s+)?on\s+cpu\b", re.I)
_PRONOUN = re.compile(r"^\W*(?:(?:and|so|but|then|finally|ok|okay|edit|update)\W+)*(?:this|that|it|which|these(?:\s+steps)?|those(?:\s+steps)?|the\s+(?:following|above|steps?\s+above|last\s+(?:one|step))|doing\s+(?:this|that|so)|the\s+(?:solution|fix|suggestion|workaround)(?:\s+above)?)\W*$", re.I)
# A command that runs a check ("docker run --gpus all ... nvidia-smi", "python -c 'import torch ...'", deviceQuery).
_CHECK_RUN = re.compile(r"^\W*(?:(?:running|ran|run)\s+)?(?:sudo\s+)?(?:docker\s+run|podman\s+run|nvidia-docker\s+run|singularity\s+(?:exec|run)|apptainer\s+(?:exec|run)|nvidia-smi|python\d*(?:\.\d+)?\s|deviceQuery|\./deviceQuery|torch\.|tf\.|jax\.|import\s)", re.I)
# acccontainer (session 25): a working state said of what follows, closing its line before a code block ("This works:",
# "Just rearranged the lines and all work", "this worked for me:"): the block is the action (the launch or spec that worked).
_WORKS_BEFORE_CODE = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|finally)\W+)?(?:(?:this|that|the\s+following|it|everything|all|mine)\s+(?:now\s+|finally\s+|then\s+)?(?:works?|worked|is\s+working)"
    r"|(?:i\s+|we\s+)?(?:just\s+|then\s+|finally\s+)?\w+ed\b[^.;!?]{0,60}?\s+and\s+(?:now\s+)?(?:it|all|everything|things)\s+(?:works?|worked|is\s+working))"
    r"(?:\s+(?:for\s+me|now|fine|perfectly|well|again))*\s*[:.!]*\s*$", re.I)
# The toolkit's own check in a block (`docker run --gpus all nvidia/cuda nvidia-smi`, compose's `command: nvidia-smi`):
# that it works shows the toolkit passes a GPU, not what fixed the program's container.
_BLOCK_CHECK = re.compile(r"\bnvidia-smi\s*['\"\]]?\s*$", re.M)
# acccontainer (session 25): the writer's own word that they found the answer, with nothing after it in the sentence ("OK I've
# found the problem to my issue.", "I figured it out.", "Found the solution:"): what they write in the next sentences is that
# answer, even where it is put as an instruction to the reader ("you will also need to set the gpu limits").
_FOUND_IT = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|well|update|edit|thanks[^.!:]{0,30}?)\W+)*(?:(?:i|we)\s*(?:['’]ve|\s+have)?\s+)?(?:finally\s+|just\s+|eventually\s+)?"
    r"(?:found|figured\s+(?:it\s+|this\s+)?out|solved|fixed|resolved)(?:\s+(?:it|this|the\s+(?:problem|issue|cause|solution|fix|reason|answer)|(?:my|our)\s+(?:problem|issue)))?"
    r"(?:\s+(?:to|of|for|with|in)\s+(?:my|the|this|our)\s+(?:problem|issue))?\s*(?:out\s*)?[.!:]*\s*$", re.I)
# A code fence as pasted ("```yaml", "~~~") or as the fact reader's normaliser leaves it (a lone backtick).
_FENCE = re.compile(r"^\s*(?:`{1,3}|~~~)[\w+-]*\s*$")
_LABEL = re.compile(r"^\W*(?:edit|update|upd|ps|p\.s\.|solved|fixed|resolved)\s*\d*\s*[:\-]\s*", re.I)
# --- Chinese: the same parts in the forms reporters write ("加上 --gpus all 就好了", "设置 LD_LIBRARY_PATH 后解决了",
# "通过卸载 onnxruntime 解决", "原因是 LD_LIBRARY_PATH 没设置"); the action's technical words (a flag, a variable, a
# package) are what the rows read, beside the Chinese verbs in [words].
_ZH_SUCCESS = re.compile(r"(?:之后|以后|后)?\s*(?:就|便|终于|总算|才|也)?\s*(?:解决了|解决|好了|可以了|正常了|成功了|能用了|能跑了|跑起来了|识别到了|识别出来了|搞定了|OK了|ok了)")
_ZH_SOLUTION = re.compile(r"(?:解决(?:方法|办法|方案)|办法)(?:是|为|：|:)\s*")
_ZH_FINDING = re.compile(r"(?:原因|问题)(?:是|在于|出在|就是)\s*")
_ZH_NEGATION = re.compile(r"没|不|还是|仍然|依然|依旧|无法|未|并未")
_ZH_QUIET = re.compile(r"吗|呢|？|\?|是否|能不能|会不会|可不可以|如果|要是|假如|若|一旦|试试|可以试|建议|应该|需要|请|记得|别人|有人说|网上说|可能|也许|或许|好像|似乎|怀疑")
_ZH_CHARS = re.compile(r"[\u4e00-\u9fff]")
_ZH_CLAUSE = re.compile(r"[，,；;：:]")



def _sentences(line: str) -> list[tuple[int, str]]:
    """The sentences of a line with their offsets (``explain.grammar``'s one splitter)."""
    return grammar.sentences(line)


def _says_nothing(sentence: str, at: int, end: int) -> bool:
    """Whether the sentence is no assertion that the words at ``at``..``end`` worked.

    ``explain.grammar`` decides whether it is asserted at all (a question, a condition, advice, a plan, hearsay, a
    quote); what is added here is a remedy's own: an instruction opening the sentence, a time clause ("when"), a
    modal anywhere before the success ("I will try X, it should fix it"), the action negated or undone ("didn't help",
    "worked before"), or the work done without the GPU ("works on the CPU").
    """
    before, after = sentence[:at], sentence[end:]
    # An update's label ("Edit:", "Update 2:") starts no imperative.
    opening = _LABEL.sub("", sentence)
    right = len(sentence)
    if grammar.asked(sentence, 0, right, at, end) or grammar.asked(opening, 0, len(opening), 0, 0) or _QUESTION_START.match(opening):
        return True
    if _ADVICE.search(opening) or grammar.hearsay(sentence, 0, right) or grammar.quoted(sentence, at):
        return True
    if grammar.supposed(sentence, 0, right, at, end) or grammar.advised(sentence, 0, at, end) or _WHEN.search(before) or _MODAL.search(before):
        return True
    # "but it still fails", "did not help", "worked before": the action did not work, or worked once.
    near = before[-40:] + sentence[at:end] + after[:40]
    if _NEGATED.search(near) or _EARLIER.search(sentence[at:] if at else sentence):
        return True
    return _NOT_ON_GPU.match(after) is not None


def _finding_is_guess(sentence: str, at: int) -> bool:
    """Whether a finding is a guess, a question or advice, or negated ("the problem was not the driver")."""
    before = sentence[:at]
    stripped = sentence.rstrip(" \t\"')]*`")
    if stripped.endswith("?") or _QUESTION_START.match(sentence) or grammar.asked(sentence, 0, len(sentence), at, at) or _WHEN.search(before) \
            or grammar.supposed(sentence, 0, len(sentence), at, at) or grammar.hearsay(sentence, 0, len(sentence)):
        return True
    if _GUESS.search(before) or _ADVICE.search(before) or _MODAL.search(before):
        return True
    return _NEGATED.match(sentence, at) is not None or re.match(r"\s*(?:not|n't|never|no)\b", sentence[at:], re.I) is not None


class _Text:
    """The lines of one text, with the sentences around a place (for a pronoun's action, a heading's next line)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def before(self, number: int, offset: int) -> str:
        """The sentence before ``offset`` on line ``number`` (1-based), else the last sentence of the previous non-empty line."""
        line = self.lines[number - 1]
        earlier = [s for off, s in _sentences(line[:offset])]
        if earlier:
            return earlier[-1]
        for back in range(number - 2, max(-1, number - 4), -1):
            if self.lines[back].strip():
                sentences = _sentences(self.lines[back])
                return sentences[-1][1] if sentences else ""
        return ""

    def next_sentence(self, number: int, offset: int) -> str:
        """The sentence after ``offset`` on line ``number`` (1-based), else the next non-empty line."""
        rest = self.lines[number - 1][offset:]
        return rest if rest.strip() else self.after(number)

    def code_after(self, number: int) -> str:
        """accwords3: the first line of code after line ``number`` (1-based), past empty lines and a Markdown fence, up to four lines on."""
        for ahead in range(number, min(len(self.lines), number + 4)):
            line = self.lines[ahead].strip()
            if line and not line.startswith(("```", "~~~")):
                return line
        return ""

    def code_block_after(self, number: int) -> str:
        """acccontainer: the lines of the fenced code block that opens on the next non-empty line after line ``number`` (1-based), up to ten."""
        for ahead in range(number, min(len(self.lines), number + 3)):
            if not self.lines[ahead].strip():
                continue
            if not _FENCE.match(self.lines[ahead]):
                return ""
            block = []
            for line in self.lines[ahead + 1:ahead + 11]:
                if _FENCE.match(line):
                    break
                block.append(line.strip())
            return "\n".join(block)
        return ""

    def after(self, number: int) -> str:
        """The next non-empty line after line ``number`` (1-based), up to two lines on."""
        for ahead in range(number, min(len(self.lines), number + 2)):
            if self.lines[ahead].strip():
                return self.lines[ahead]
        return ""


def _action(words: str, text: _Text, number: int, offset: int, *, following: bool) -> tuple[str, str] | None:
    """(cause, row id) the action words confirm; a pronoun stands for the sentence before, a trailing colon for the next line."""
    from whygpu.knowledge.remedies import remedy_cause

    words = words.strip()
    if following and (not words or words.endswith(":") or re.fullmatch(r"\W*(?:installing|running|doing|adding|setting|using|the\s+following|this)\W*", words, re.I)):
        words = f"{words} {text.after(number)}"
    elif not following and (not words or _PRONOUN.match(words)):
        words = text.before(number, offset)
    found = remedy_cause(words[:400], "action")
    return (found[0].cause, found[0].id) if found is not None else None


def _finding(words: str) -> tuple[str, str] | None:
    """(cause, row id) the finding's words confirm."""
    from whygpu.knowledge.remedies import remedy_cause

    found = remedy_cause(words[:300], "finding")
    return (found[0].cause, found[0].id) if found is not None else None


def _clause_end(text: str) -> str:
    """``text`` up to the end of its clause (a comma before a new subject, "but", "which")."""
    m = re.search(r",\s*(?:but|however|though|although|and\s+then|which|so)\b|\s+but\s+", text, re.I)
    return text[:m.start()] if m else text


def _clause_start(text: str) -> str:
    """The end of ``text`` from the start of its clause."""
    parts = re.split(r"[,;:]\s+(?!(?:and\s+)?then\b)|\s+(?:but|however|although|though|so)\s+", text, flags=re.I)
    return parts[-1] if parts else text


def _read_sentence(sentence: str, text: _Text, number: int, offset: int) -> tuple[str, str, str, str] | None:
    """(cause, row id, kind, words) of the one remedy or finding ``sentence`` states, or None."""
    # "fixed it by <action>", "the solution was <action>", "Solved: <action>"
    for rx in (_SUCCESS_BY, _SOLUTION_WAS, _HEADING, _WORKAROUND):
        m = rx.search(sentence) if rx is not _HEADING else rx.match(sentence)
        if m is not None and rx is _WORKAROUND:
            # Judged in its own clause ("the libdevice is not detected, and I have to manually ..."), never under "if".
            cut = max([0, *(c.end() for c in re.finditer(r"[,;:]\s*(?:and|but|so)?\s*|\s+(?:and|but|so)\s+", sentence[:m.start()], re.I))])
            clause = sentence[cut:]
            if re.search(r"\b(?:if|unless|whether|when)\b", sentence[:m.start()], re.I) or _says_nothing(clause, m.start() - cut, m.end() - cut):
                continue
        elif m is not None and _says_nothing(sentence, m.start(), m.end()):
            continue
        if m is not None:
            words = _clause_end(sentence[m.end():])
            if rx is _WORKAROUND and re.search(r"(?:\bby|\bwith|\busing|\bdeclaring|\bsetting|\bexporting|\badding|:)\s*$", words, re.I):
                words = f"{words} {text.code_after(number)}"  # "... by declaring" and the setting in the code block below
            found = _action(words, text, number, offset + m.end(), following=True)
            if found is not None:
                return (*found, "action", (words or text.after(number)).strip()[:200])
            if rx is _HEADING:
                # "Resolved:" and what the problem was on the next line ("TensorFlow was pointing to another cuDNN").
                said = words.strip() or text.after(number)
                found = _finding(said) if said and not _PRONOUN.match(said) else None
                if found is not None:
                    return (*found, "finding", said.strip()[:200])
    # "after <action>, it works" / "it works after <action>"
    works = _WORKS_RX.search(sentence)
    if works is not None and not _says_nothing(sentence, works.start(), works.end()) and not _TAKEN_BACK.match(text.next_sentence(number, offset + len(sentence))):
        after = _AFTER.search(sentence)
        if after is not None:
            if after.start() >= works.end():
                words = _clause_end(sentence[after.end():])
            else:
                words = sentence[after.end():works.start()]
            found = _action(words, text, number, offset, following=False) if words.strip() and not _PRONOUN.match(words) else None
            if found is not None:
                return (*found, "action", words.strip()[:200])
        elif (m_and := _AND_NOW.search(sentence)) is not None:
            words = _clause_start(sentence[:m_and.start()])
            # "X returned False until I reinstalled the driver, now ...": the action is what came after "until".
            words = re.split(r"\b(?:until|till)\b", words, flags=re.I)[-1]
            found = _action(words, text, number, offset, following=False) if words.strip() else None
            if found is not None:
                return (*found, "action", words.strip()[:200])
        elif _NOW_WORKS.match(sentence):
            words = text.before(number, offset)
            found = _action(words, text, number, offset, following=False) if words else None
            if found is not None and not _says_nothing(words, 0, 0):
                return (*found, "action", words.strip()[:200])
    # "<action> fixed it", "this did the trick" (the sentence before)
    m = _SUBJECT_SUCCESS.search(sentence)
    if m is not None and not _says_nothing(sentence, m.start(), m.end()) and not _TAKEN_BACK.match(text.next_sentence(number, offset + len(sentence))):
        words = _clause_start(sentence[:m.start()])
        # "docker run --gpus all nvidia/cuda nvidia-smi worked": a check that ran, not a change that fixed anything.
        tested = re.match(r"(?:works?|worked|helped)\b", m.group(0), re.I) is not None and _CHECK_RUN.match(words) is not None
        found = None if tested else _action(words, text, number, offset, following=False)
        if found is not None:
            shown = words if words.strip() and not _PRONOUN.match(words) else text.before(number, offset)
            return (*found, "action", shown.strip()[:200])
    # "This works:" and the launch or spec that works in the code block after it
    m = _WORKS_BEFORE_CODE.match(sentence)
    if m is not None and not _says_nothing(sentence, m.start(), m.end()) and not text.lines[number - 1][offset + len(sentence):].strip():
        block = text.code_block_after(number)
        found = _action(block, text, number, offset, following=False) if block and not _BLOCK_CHECK.search(block) else None
        if found is not None:
            return (*found, "action", block.replace("\n", " ").strip()[:200])
    # "the problem was <state>", "<state> was the culprit", "turned out <state>"
    for m in _FINDING_AFTER.finditer(sentence):
        if _finding_is_guess(sentence, m.end()) or _says_finding_nothing(sentence, m.start()):
            continue
        rest = sentence[m.end():]
        words = _clause_end(rest)
        # (the clause first; then the whole rest: "because TensorFlow wants CUDA 9.0, but I have CUDA 9.1")
        found = _finding(words)
        if found is None and words != rest:
            found, words = _finding(rest), rest
        if found is not None:
            return (*found, "finding", words.strip()[:200])
    m = _FINDING_BEFORE.search(sentence)
    if m is not None and not _finding_is_guess(sentence, 0) and not re.search(r"\b(?:not|n't)\s*$", sentence[:m.start()], re.I):
        words = _clause_start(sentence[:m.start()])
        if not words.strip() or _PRONOUN.match(words):
            # "That was the problem!": what the sentence before found or did.
            words = text.before(number, offset)
            found = _finding(words) or _action(words, text, number, offset, following=False)
        else:
            found = _finding(words)
        if found is not None:
            return (*found, "finding", words.strip()[:200])
    # "I forgot to add --gpus all"
    m = _FORGOT.search(sentence)
    if m is not None and not _finding_is_guess(sentence, m.start()) and not _says_finding_nothing(sentence, m.start()):
        words = _clause_end(sentence[m.end():])
        found = _action(words, text, number, offset, following=False) if words.strip() else None
        if found is not None:
            return (*found, "finding", words.strip()[:200])
    return None


def _read_zh(sentence: str, text: _Text, number: int, offset: int) -> tuple[str, str, str, str] | None:
    """(cause, row id, kind, words) of the remedy or finding a Chinese sentence states, or None (quiet on negation, questions, conditions, advice, hearsay, guesses)."""
    if _ZH_QUIET.search(sentence):
        return None
    m = _ZH_FINDING.search(sentence)
    if m is not None and not _ZH_NEGATION.search(sentence, 0, m.start()):
        words = sentence[m.end():].strip(" 。！")
        found = _finding(words)
        if found is not None:
            return (*found, "finding", words[:200])
    if _ZH_NEGATION.search(sentence):
        return None
    m = _ZH_SOLUTION.search(sentence)
    if m is not None:
        words = sentence[m.end():].strip(" 。！")
        found = _action(words, text, number, offset + m.end(), following=True)
        if found is not None:
            return (*found, "action", words[:200])
    m = _ZH_SUCCESS.search(sentence)
    if m is not None:
        words = _ZH_CLAUSE.split(sentence[:m.start()])[-1].strip()
        words = re.sub(r"^(?:通过|用|靠|使用|把|将)", "", words)
        found = _action(words, text, number, offset, following=False)
        if found is not None:
            return (*found, "action", words[:200])
    return None


def _says_finding_nothing(sentence: str, at: int) -> bool:
    """A finding's frame negated or asked ("I haven't figured out", "did you find out")."""
    return re.search(r"\b(?:not|n't|never|yet|to)\s*(?:\w+\s+)?$", sentence[:at], re.I) is not None


def stated_remedies(text: str) -> list[StatedRemedy]:
    """Every remedy or finding ``text`` states (the reporter's words that an action worked, or what the problem was), with the cause each confirms and its line (1-based)."""
    lines = text.split("\n")
    reader = _Text(lines)
    out: list[StatedRemedy] = []
    seen: set[str] = set()
    for index, raw in enumerate(lines):
        line = raw[:_MAX_LINE]
        low = line.lower()
        if not any(word in low for word in CUE_WORDS) or line.lstrip().startswith(">") or line in seen or grammar.program_line(line):
            continue
        if len(seen) >= _MAX_LINES:
            break
        seen.add(line)
        for offset, sentence in _sentences(line):
            found = _read_sentence(sentence, reader, index + 1, offset) if sentence.isascii() else (
                _read_zh(sentence, reader, index + 1, offset) if _ZH_CHARS.search(sentence) else _read_sentence(sentence, reader, index + 1, offset))
            if found is None and _FOUND_IT.match(sentence) and not _NEGATED.search(sentence):
                found_at = _answer_after(reader, index + 1, offset + len(sentence))
                if found_at is not None:
                    (cause, row, kind, words), number, shown = found_at
                    out.append(StatedRemedy(cause=cause, words=words, row=row, kind=kind, line=number, text=shown.strip()))
                    break
            if found is not None:
                cause, row, kind, words = found
                out.append(StatedRemedy(cause=cause, words=words, row=row, kind=kind, line=index + 1, text=line.strip()))
                break
    return out


def _answer_after(text: _Text, number: int, offset: int) -> tuple[tuple[str, str, str, str], int, str] | None:
    """acccontainer: the finding or action the three sentences after "I found the problem." name (their cause, row, kind and words,
    with their line), said as the writer's answer: not a question, a condition, a guess or negated (an instruction to the
    reader is how such an answer is often put, so advice and "for them" are not hearsay here)."""
    taken = 0
    for ahead in range(number - 1, min(len(text.lines), number + 3)):
        line = text.lines[ahead][:_MAX_LINE]
        start = offset if ahead == number - 1 else 0
        if ahead != number - 1 and (not line.strip() or grammar.program_line(line) or line.lstrip().startswith(">")):
            continue
        for at, sentence in _sentences(line[start:]):
            if taken >= 3:
                return None
            taken += 1
            if sentence.rstrip().endswith("?") or grammar.asked(sentence, 0, len(sentence), 0, len(sentence)) \
                    or grammar.supposed(sentence, 0, len(sentence), 0, len(sentence)) or _NEGATED.search(sentence) or _GUESS.search(sentence):
                continue
            # what the problem was ("the GTX 1080 is compute capability 6.1"), else what was done ("apt-get install libcudnn9")
            state = _finding(sentence)
            if state is not None:
                return (*state, "finding", sentence.strip()[:200]), ahead + 1, line
            found = _action(sentence, text, ahead + 1, start + at, following=False)
            if found is not None:
                return (*found, "action", sentence.strip()[:200]), ahead + 1, line
    return None


def lead(matched: list[Finding], judged: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """The findings with a stated remedy's cause ranked first, unless a framework's own specific message names another cause.

    The one place that orders a stated remedy (LOG180) against the rest.  What fixed it is the reporter's
    evidence of what was broken, so it leads a base rate (LOG104), a generic line, a reading that leaves a
    family open (a library that failed to load: missing, another version or off the path), and the facts'
    rules: their other causes drop from high to medium confidence (the ranking is by confidence first).  A
    framework's own message that names one cause and no alternative (a signature finding, not generic, that
    blocks the GPU) is the program's account of that run and still ranks first: then the remedy drops to
    medium instead, and both are listed.
    """
    from dataclasses import replace

    from whygpu.model import Confidence, Severity

    stated = {f.cause for f in judged if f.id == "LOG180"}
    if not stated:
        return matched, judged
    offered = {f.alternative_to for f in matched if f.alternative_to is not None}
    specific = [
        f for f in matched
        if f.id.startswith("LOG-") and not f.generic and f.alternative_to is None and f.severity is not Severity.INFO
        and (f.blocks_gpu if f.blocks_gpu is not None else f.severity is Severity.ERROR)
        and f.confidence is Confidence.HIGH and f.cause not in stated and f.cause not in offered
    ]
    if specific:
        judged = [replace(f, confidence=Confidence.MEDIUM) if f.id == "LOG180" else f for f in judged]
        return matched, judged

    def lower(findings: list[Finding]) -> list[Finding]:
        return [replace(f, confidence=Confidence.MEDIUM) if f.cause not in stated and f.confidence is Confidence.HIGH else f
                for f in findings]

    return lower(matched), lower(judged)
