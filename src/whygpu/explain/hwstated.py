"""The hardware, driver and versions a log states, in any program's or the reporter's form (acchw, session 22).

Readers only: each turns what a log states into a typed fact; the knowledge layer decides what it means
(``knowledge.gpus.stated_hardware_cause``, ``knowledge.target.driver_supports_gpu``, ``knowledge.cuda.cuda_packages_mixed``,
the TensorFlow tested builds through LOG101) and ``explain/hwrules.py`` judges.

- The machine's GPU as an issue template asks for it: a checkbox group under a question about the GPU ("Are you using a
  GPU?" with "- [x] Intel"), a labelled field ("GPU: none", "Graphics: Apple M2"), an environment list item ("- No GPU",
  "* CPU only"), the writer's sentence that the machine they ran on is CPU-only ("running on one of our CPU only nodes"),
  and an ``lspci | grep -i nvidia`` the writer says gave nothing (``hardware_statements``).
- The driver: its version stated in the writer's words ("the GPU driver version `450.142.00`", "driver 470.82") or by
  ``modinfo nvidia``'s ``version:`` row, the GPU named in the same sentence, and the writer's words that the driver is too
  old (``driver_statements``).
- The CUDA packages of one environment's listing (``conda list``, ``pip list``, ``pip freeze``): their names and versions
  (``cuda_package_rows``).
- A framework's version stated together with the CUDA version in the writer's sentence ("tf version is 2.1.0 and cuda
  version is 10.2", ``framework_and_cuda_said``).

Each statement counts only where ``explain.grammar.said`` finds it asserted of now: not a question, a condition, advice,
hearsay or a state that is over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar, labelwords, statements
from whygpu.knowledge.version_labels import alternation

__all__ = ["Stated", "cuda_package_rows", "driver_statements", "framework_and_cuda_said", "hardware_statements", "own_gpu_named"]

_MAX_LINE = 2000


@dataclass(frozen=True)
class Stated:
    """One statement: its 1-based line, what kind it is, its value and the words that said it."""

    line: int
    kind: str  # "no_gpu" | "vendor" | "driver_version" | "driver_too_old" | "gpu_model"
    value: str
    text: str


# --- the machine's GPU --------------------------------------------------------------------------------------------
# A question or heading about the machine's GPU, above a checkbox group ("Are you using a GPU?", "**GPU**", "Which GPU do
# you have?", "Hardware:").
_GPU_QUESTION = re.compile(r"\b(?:gpus?|graphics(?:\s+card)?|video\s+card|accelerators?|hardware)\b[^\n]{0,60}(?:\?|:)\s*(?:\*\*)?\s*$"
                           r"|^\W*(?:gpus?|graphics(?:\s+card)?|hardware)\W*$", re.I)
_CHECKBOX = re.compile(r"^\s*(?:[-*+]\s*)?\[(?P<mark>[^\]]{0,2})\]\s*(?P<option>\S.*)$")
_CHECKED = re.compile(r"^\s*[xX+*✓✔✅vV]\s*$")
# What an option or a field's value names: no GPU at all, or the maker of the GPU.
_NONE_VALUE = re.compile(r"^(?:no\b(?![-\w])[^\n]*|none\b[^\n]*|cpu(?:[- ]?only)?\b[^\n]*|n/a\s*\(\s*cpu[^)]*\)|without\s+(?:a\s+)?gpu\b[^\n]*|not\s+(?:available|applicable)\b[^\n]*"
                         r"|(?:无|没有|無し?|なし|없음)(?:\s*[（(]?\s*(?:cpu|仅cpu|只有cpu)[^\n]*)?|(?:ninguna|aucune?|keine)\b[^\n]*)$", re.I)
_VENDOR_WORDS = (
    ("nvidia", re.compile(r"\b(?:nvidia|cuda|geforce|quadro|tesla|rtx|gtx)\b", re.I)),
    ("amd", re.compile(r"\b(?:amd|radeon|rocm)\b", re.I)),
    ("intel", re.compile(r"\b(?:intel|iris|arc)\b", re.I)),
    ("apple", re.compile(r"\b(?:apple|mac|macos|mps|m[1-5](?:\s+(?:pro|max|ultra))?)\b", re.I)),
)
# A field of an environment template that names the machine's GPU ("- GPU: none", "GPU model and memory: no GPU").
_GPU_FIELD = re.compile(r"^\s*(?:[-*+|]\s*)?(?:\*\*)?\s*(?:gpus?|gpu\s+model(?:\s+and\s+memory)?|graphics(?:\s+card)?|video\s+card|accelerator|显卡|顯示卡|グラフィック(?:ボード|カード)?|그래픽\s*카드|tarjeta\s+gr[aá]fica|carte\s+graphique|grafikkarte)\s*(?:\*\*)?\s*[:=|：]\s*(?:\*\*)?\s*(?P<value>[^|\n]*?)\s*\|?\s*$", re.I)
# A list item that is only the statement that the machine has no GPU ("- No GPU", "* CPU only", "- no NVIDIA GPU").
_NO_GPU_ITEM = re.compile(r"^\s*[-*+]\s+(?:\*\*)?\s*(?P<words>no\s+(?:nvidia\s+|cuda\s+|dedicated\s+|discrete\s+)?gpus?|cpu[- ]only(?:\s+(?:machine|node|server|system|laptop|computer))?"
                          r"|cpu\s+only(?:\s+(?:machine|node|server|system|laptop|computer))?|without\s+(?:a\s+|any\s+)?gpu)\s*(?:\*\*)?\s*[.!]?\s*$", re.I)
# accwords40 (session 40): the same words as one item of an environment list written on one line, a title's or a
# sentence-less line's comma-separated fragments ("Mac 12.4, M1, No GPU", "Ubuntu 22.04, CPU only, Python 3.10"): each
# fragment a short noun phrase (no more than four words), the statement one of them whole. A sentence that runs on past
# a comma ("I tried, but no GPU was found") has longer fragments, or none that is only the words.
_NO_GPU_FRAGMENT = re.compile(r"(?:\*\*)?\s*(?:no\s+(?:nvidia\s+|cuda\s+|dedicated\s+|discrete\s+)?gpus?|cpu[- ]only|cpu\s+only|without\s+(?:a\s+|any\s+)?gpu)\s*(?:\*\*)?[.!]?", re.I)
_LIST_SEPARATOR = re.compile(r"\s*[,;，；|]\s*")
# The writer's sentence that the machine they ran on has no GPU: "running on one of our CPU only nodes", "this is a
# CPU-only server", "my laptop is CPU only".
_MACHINE = r"(?:nodes?|machines?|servers?|instances?|vms?|clusters?|boxes|box|laptops?|computers?|hosts?|workstations?|pcs?|systems?)"
_CPU_ONLY_MACHINE = re.compile(
    rf"\b(?:on|using|with|from)\s+(?:one\s+of\s+)?(?:our|my|a|an|the|this)\s+(?:\w+\s+){{0,2}}?cpu(?:[- ]only)?\s+(?:\w+\s+)?{_MACHINE}\b"
    rf"|\b(?:my|our|this|the)\s+(?:\w+\s+)?{_MACHINE},?\s+(?:(?:which|that)\s+)?(?:is|are)\s+(?:a\s+)?cpu[- ]only\b"
    rf"|\b(?:it|this)\s+is\s+a\s+cpu[- ]only\s+(?:\w+\s+)?{_MACHINE}\b"
    # accutil40 (session 40): an error said to come when the writer runs on CPU machines ("it now gives the following error when
    # running on cpus", "fails when run on CPU-only nodes"): the run's machines are of CPUs alone by the writer's choice (a
    # pipeline's process sent to CPU nodes), so a GPU backend's failure there is the machine without a GPU. Not the CPU said as
    # where the work went ("it runs on the CPU": singular, no error in the clause).
    r"|\b(?:errors?|fails?|failed|failing|failures?|crash(?:es|ed)?|exceptions?)\b[^.;!?\n]{0,50}?\b(?:when|while|whenever)\s+(?:i\s+|we\s+)?(?:am\s+|are\s+)?"
    r"(?:running|run|executing|executed|launching|launched)\s+(?:it\s+|this\s+|them\s+)?on\s+(?:the\s+|our\s+|my\s+)?cpus\b", re.I)
# A GPU machine named in the same sentence ("works on a GPU node but not on a CPU node"): two machines, nothing decided.
_GPU_MACHINE = re.compile(rf"\bgpus?\s+(?:\w+\s+)?{_MACHINE}\b", re.I)
# The writer's own GPU named by its maker without a model ("I'm using an integrated Intel GPU", "my GPU is an AMD one",
# "I only have Intel graphics"): the maker, and whether it is integrated graphics.
_OWN_MAKER_GPU = re.compile(r"\b(?:i(?:\s+am|['’]m)\s+(?:using|on|running)|i\s+(?:only\s+)?(?:have|got|use)|my\s+(?:gpu|graphics(?:\s+card)?)\s+is|(?:we\s+are|we['’]re)\s+(?:currently\s+)?using)"
                            r"\s+(?:an?\s+|only\s+(?:an?\s+)?)?(?P<integrated>integrated\s+|onboard\s+)?(?P<maker>intel|amd)\b(?:\s*(?:\(r\)|®))?\s*(?P<integrated2>integrated\s+|iris\s+|uhd\s+|hd\s+)?(?:gpu|graphics(?:\s+card)?|card|video\s+card)\b", re.I)
# lspci asked for NVIDIA devices, and the writer's words that it found none.
_LSPCI_NVIDIA = re.compile(r"\blspci\b[^\n]*\bgrep\b[^\n]*\bnvidia\b|\blspci\b[^\n]*-d\s*10de", re.I)
_NOTHING = re.compile(r"\b(?:no\s+(?:results?|output|lines?|matches?)|(?:returns?|returned|gives?|gave|shows?|showed|prints?|printed|outputs?)\s+(?:nothing|no\s+\w+|empty)|nothing\s+(?:is\s+|was\s+)?(?:returned|shown|printed|found)|empty\s+output)\b", re.I)
# Another machine the writer names beside their own ("my laptop has no GPU but the server has a 3090").
_NVIDIA_NAMED = re.compile(r"\b(?:nvidia|geforce|quadro|tesla|titan|rtx|gtx)\b|\b[AHLVTP]\d{2,3}\b", re.I)


# --- the writer's words about their own machine's GPU (accsaid, session 25) ----------------------------------------
# What a writer says their machine has, read by its parts rather than by phrases: the subject is the writer or their
# machine ("I", "my laptop", "a laptop" they run on), the predicate has it without a GPU of NVIDIA's ("without an NVIDIA
# graphics card", "without cuda and GPU"), or names the only GPU it has, of another maker ("集显", "核显", "A卡": Chinese
# for integrated graphics and an AMD card). ``statements.no_gpu`` reads the older forms ("I don't have a GPU", "my laptop
# has no NVIDIA GPU"); ``machine_gpu_said`` is the one reader of all of them, and what each value means is
# ``knowledge.gpus.stated_hardware_cause``'s (causes.md: no NVIDIA GPU at all is NO_GPU, another maker's GPU
# GPU_NOT_SUPPORTED). Each counts only where ``explain.grammar.said`` finds it asserted of now, of the writer's machine:
# not a question ("is there a way to run it without an NVIDIA card?"), a condition, a plan, advice, another machine
# ("on my laptop without a GPU it works, on the server ..."), a comparison, or a program's line or help text.
_MACHINE_NOUN = (r"(?:computer|pc|laptop|notebook|machine|desktop|workstation|server|box|vm|instance|node|mac|macbook(?:\s+(?:pro|air))?"
                 r"|system|rig|hardware|device)")
_GPU_NOUN = (r"(?:(?:nvidia|cuda[- ]?(?:capable|enabled|compatible)|dedicated|discrete|physical|separate|proper|real|external|graphics|video)[- ]?\s*){0,2}"
             r"(?:gpus?|graphics?\s+cards?|video\s*cards?|graphics\s+processors?|nvidia\s+cards?|nvidia\s+hardware)\b"
             r"|nvidia\s+(?:gpus?|cards?)\b|(?:an?\s+)?nvidia\b(?=\s*(?:[,.;:)]|$|\s+(?:or|and|nor)\b))")
# "without (having) (a|an|any) NVIDIA graphics card", "without cuda and GPU", "without a GPU or CUDA".
_WITHOUT_GPU = re.compile(
    rf"(?<![A-Za-z])without[_*]*\s+(?:(?:having|owning|even|any|a|an)\s+){{0,3}}(?:(?:cuda|a\s+cuda)\s+(?:and|or|nor|/|&)\s+(?:a\s+|an\s+|any\s+)?)?(?:{_GPU_NOUN})", re.I)
# The writer: a first-person subject in the sentence before the words ("I wanted to run it on a laptop ... without ...",
# "when I run demo.py without cuda and GPU"), or their own machine ("my laptop without a GPU").
_FIRST_PERSON = re.compile(r"\b(?:i|i['’]m|i['’]ve|we|we['’]re|my|our|me)\b", re.I)
_OWN_MACHINE_BEFORE = re.compile(rf"\b(?:my|our)\s+(?:[\w-]+\s+){{0,2}}?{_MACHINE_NOUN}\b[^.;!?]{{0,50}}$", re.I)
_MACHINE_BEFORE = re.compile(rf"\b(?:a|an|the|this|my|our)\s+(?:[\w-]+\s+){{0,2}}?{_MACHINE_NOUN}\b[^.;!?]{{0,50}}$", re.I)
_RUN_BEFORE = re.compile(r"\b(?:i|we)\s+(?:(?:am|'m|’m|was|were|have\s+been|also|just|only|then|now)\s+)*(?:run|ran|running|use|used|using|try|tried|trying|train|trained|training"
                         r"|test|tested|testing|execute|executed|executing|install|installed|work|working|start|started|launch|launched)\b", re.I)
# Said as one side of two machines or runs ("works fine without a GPU", "faster ... than on the RTX machine", "but on the
# server with a 3090"), or an NVIDIA GPU named in the same sentence: not the machine's state.
_NOT_THE_STATE = re.compile(r"\b(?:works|worked|working|fine|ok|okay|faster|slower|than|compared|vs\.?|versus|whereas|while|except)\b"
                            r"|\bwith\s+(?:a|an|the|my|our|two|\d+)?\s*(?:nvidia|gpus?\b|cuda\b|rtx|gtx|tesla|quadro)", re.I)


# Another maker's GPU named beside "no NVIDIA GPU" in the same sentence: AMD's (a Radeon, an RX model, "an AMD one"), Intel's
# Arc, Intel's integrated graphics, Apple's M-series chips. (An AMD or Intel CPU is not one: "AMD Ryzen", "Intel Core".)
_OTHER_MAKER = re.compile(r"(?P<amd>\bradeon\b|\bamd\s+(?:gpus?|graphics|cards?|one)\b|\brx\s?\d{3,4}\b"
                          # accgap (session 34): AMD's hardware said to be both the CPU and the GPU ("AMD hardware, both CPU and GPU").
                          r"|\bamd\s+(?:hardware\s*,?\s*(?:both\s+)?(?:(?:the\s+)?cpu\s+and\s+(?:the\s+)?gpu|(?:the\s+)?gpu\s+and\s+(?:the\s+)?cpu)\b|(?:cpu\s+and\s+gpu|gpu\s+and\s+cpu)\b))"
                          r"|(?P<intel>\bintel(?:\(r\)|®)?\s+arc\b)"
                          # (a model's word marked "(R)" between the maker and the family: "Intel(R) Iris(R) Xe")
                          r"|(?P<igpu>\bintel(?:\(r\)|®)?\s*(?:[a-z]+(?:\(r\)|®)\s*)?(?:uhd|hd|iris|xe)\b|\bintel\s+(?:integrated\s+)?graphics\b|\bintegrated\s+(?:intel\s+)?graphics\b)"
                          r"|(?P<apple>\bapple\s+m[1-5]\b|\bm[1-5]\s+(?:pro|max|ultra|chip|mac\w*)\b)", re.I)


# A wish, a plan or a possibility governing the run or the machine in the same clause (an attempt made, "tried to", is a report).
_PLAN_BEFORE = re.compile(r"\b(?:want|wants|wanted|wish|would\s+like|['’]d\s+like|plan|plans|planning|planned|going\s+to|gonna|intend\w*|hope|hoping"
                          r"|will|shall|should|could|can|might|may|must|would|need\s+to|needs\s+to|have\s+to|has\s+to|able\s+to)\b", re.I)


# The writer's machine with a CPU and nothing else: "I only have a CPU", "my laptop has just a CPU", "我只有CPU".
_ONLY_CPU = re.compile(
    rf"\b(?:i|we|(?:my|our|this)\s+(?:[\w-]+\s+)?{_MACHINE_NOUN})\s+(?:only\s+(?:have|has|had|got)|(?:have|has|had|got)\s+(?:only|just))\s+(?:an?\s+|the\s+|one\s+)?(?:cpus?|processor)\b"
    # (not "only CPU available for now": what a container or a job can reach, not the hardware)
    r"(?!\s*(?:version|build|wheel|package|torch|pytorch|tensorflow|jax|install|support|instance|node|machine|server|available|access|for\s+now|right\s+now|at\s+the\s+moment|mode))"
    r"|(?:我|电脑|笔记本|机器|主机)[^，。,；;！？!?]{0,6}?只有\s*(?:一个)?\s*(?:CPU|cpu)(?!\s*(?:版|版本))", re.I)
# The writer's own GPU, of another maker, named with a verb of having or using: "my laptop has an AMD Radeon RX 5500M", "I have a
# Radeon RX 580 in my PC", "my graphics card is an AMD Radeon", "I'm using an AMD card", "we run an Intel Arc A770".
_OWN_OTHER_GPU = re.compile(
    rf"\b(?:i|we|i['’]m|we['’]re|(?:my|our|this)\s+(?:[\w-]+\s+)?(?:{_MACHINE_NOUN}|gpu|graphics\s+card|video\s+card|card))\s+"
    r"(?P<verb>(?:am\s+|are\s+|is\s+)?(?:only\s+|just\s+|also\s+)?(?:have|has|had|got|own|use|uses|used|using|run|running|on|is|comes\s+with|came\s+with))\s+"
    # accgap (session 34): "I run on AMD hardware", "my laptop used Intel(R) Iris(R) Xe Graphics".
    r"(?P<gpu>(?:on\s+)?(?:only\s+|just\s+)?(?:an?\s+|the\s+|one\s+)?)(?=(?:amd|radeon|rx\s?\d|intel|apple|m[1-5]))", re.I)


# "with only integrated graphics", "with integrated graphics only": the same place in the sentence, the machine's only GPU.
_WITH_ONLY_INTEGRATED = re.compile(r"\bwith\s+(?:only\s+(?:an?\s+)?(?:intel\s+)?(?:integrated|onboard|on-board|built-in)\s+(?:graphics|gpu|video)"
                                   r"|(?:an?\s+)?(?:intel\s+)?(?:integrated|onboard|on-board|built-in)\s+(?:graphics|gpu|video)\s+only)\b|\bwith\s+only\s+(?:an?\s+)?(?:intel\s+)?igpu\b", re.I)


# A second GPU named after the maker's ("an AMD card and an RTX 3060", "Radeon or Intel graphics"), within the same clause.
_SECOND_GPU = re.compile(r"\b(?:and|or|plus|also|both|two)\b[^,.;]{0,30}?\b(?:gpus?|cards?|graphics|radeon|rx\s?\d|intel|amd|nvidia|geforce|rtx|gtx|arc|iris|\d{3,4})\b", re.I)


# Someone else's words or a document's, in the same sentence ("the docs say it runs on a laptop without a GPU").
_SAID_BY_OTHERS = re.compile(r"\b(?:says?|said|according|docs?|documentation|readme|supposed|claims?|should|can|could|would|will|might|may)\b", re.I)
# An infinitive of purpose governing the place ("use --cpu to run on a machine without a GPU"): advice, not the machine.
# (and a bare verb before the place, a help text's or an imperative's: "usage: main.py [--cpu]  run on a machine without a GPU")
_PURPOSE_BEFORE = re.compile(r"\bto\s+[\w-]+(?:\s+(?:it|this|them|the\s+\w+|[\w-]+))?\s*$|(?:^|[\]\s])(?:run|use|train|deploy|execute|install|launch|start|test|try|works?)\s*$", re.I)
_ON_MACHINE_BEFORE = re.compile(rf"\b(?:on|in)\s+(?:a|an|the|this|one)\s+(?:[\w-]+\s+){{0,2}}?{_MACHINE_NOUN}\s*[*_]*\s*$", re.I)
# The machine stated in an aside, "(No GPU, CPU only on my PC)": a parenthesis that is only that statement.
_NO_GPU_ASIDE = re.compile(r"\(\s*no\s+(?:nvidia\s+|dedicated\s+|discrete\s+)?gpus?\s*[,;/]\s*(?:just\s+|only\s+)?(?:an?\s+|the\s+)?cpu(?:[- ]only|\s+only)?\b[^()?]{0,40}\)", re.I)


def _without_gpu(text: str, words: re.Pattern[str] = _WITHOUT_GPU) -> re.Match[str] | None:
    """The words "without an NVIDIA GPU" (or ``words``) said of the writer's machine or of their own run, asserted, or None."""
    if words is _WITHOUT_GPU and "without" not in text.lower():
        return None
    for m in words.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        before = text[left:m.start()]
        if _NOT_THE_STATE.search(text, left, right) or _NVIDIA_NAMED.search(text, m.end(), right):
            continue
        if _PLAN_BEFORE.search(grammar.clause_before(before)):
            continue  # "I want to deploy it on a server without a GPU": a plan, not the machine in use
        own = _OWN_MACHINE_BEFORE.search(before) is not None
        theirs = _FIRST_PERSON.search(before) is not None and (_MACHINE_BEFORE.search(before) is not None or _RUN_BEFORE.search(before) is not None)
        # accgap (session 34): the machine the report is about named as where it ran, without a person ("on a machine
        # *without* a GPU, the following code emits ...", "Configure Detectron2 environment on a computer without GPU").
        there = (words is _WITHOUT_GPU and (on := _ON_MACHINE_BEFORE.search(before)) is not None and _SAID_BY_OTHERS.search(text, left, right) is None
                 and _PURPOSE_BEFORE.search(before, 0, on.start()) is None)
        if not (own or theirs or there):
            continue
        if grammar.said(text, m.start(), m.end(), quotes=False) and not grammar.quoted(text, left):
            return m
    return None


# Chinese: "在没有显卡的电脑上跑", "我的电脑没有独显" (the older forms are statements.no_gpu's), the machine's only GPU its
# integrated graphics ("集显", "核显", "集成显卡", "核芯显卡"), or an AMD card ("A卡", "AMD显卡", "AMD的卡").
_ZH_NO_GPU_MACHINE = re.compile(r"(?:在|用)\s*(?:一台)?\s*(?:没有|没|无)\s*(?:独立|英伟达|NVIDIA|nvidia|N)?\s*(?:显卡|独显|N卡|GPU|gpu)\s*的\s*(?:电脑|笔记本|机器|主机|服务器|设备)")
_ZH_INTEGRATED = r"(?:集显|核显|集成显卡|核芯显卡|核心显卡|集成的显卡)"
_ZH_AMD = r"(?:(?<![A-Za-z])A卡|AMD\s*(?:的)?\s*(?:显卡|卡|独显)|(?:AMD|amd)\s*(?:的)?\s*(?:Radeon|RX)\s*\w*)"
_ZH_OWN_GPU = re.compile(
    # "我的电脑是集显", "笔记本只有核显", "我用的是A卡", "我的显卡是AMD的", "只有集成显卡".
    rf"(?:我|我的|我们|电脑|笔记本|本子|机器|主机)[^，。,；;！？!?]{{0,8}}?(?:是|只有|只是|仅有|就是|用的是|用的|为|只带|自带)\s*(?:一块|一个|个)?\s*(?:intel\s*的?|英特尔\s*的?|AMD\s*的?)?\s*(?P<integrated>{_ZH_INTEGRATED})"
    rf"|(?:^|[，。,；;])\s*(?:只有|仅有)\s*(?P<integrated2>{_ZH_INTEGRATED})"
    rf"|(?:我|我的|我们|电脑|笔记本|机器|主机)[^，。,；;！？!?]{{0,8}}?(?:是|用的是|用的|为|显卡是)\s*(?P<amd>{_ZH_AMD})"
    rf"|(?:我的|我)\s*(?:显卡|GPU|gpu)\s*(?:是|为)\s*(?:AMD|amd|A卡)"
    # The card as the sentence's topic, what the writer reports of it: "A卡提示没有发现显卡", "A卡跑不了".
    rf"|^\s*(?P<amd2>A卡|AMD\s*显卡)(?!\s*(?:用户|玩家|的话|能不能|可不可以|可以吗|行吗|支持|和|与|或))", re.I)


# An NVIDIA (or any discrete) card named in the sentence, less the ones it says are absent ("没有独显", "不是N卡").
_ZH_CARD = r"(?:N卡|独显|独立显卡|英伟达|nvidia|geforce|rtx|gtx|\d{4}\s*(?:ti)?(?![\d.]))"
_ZH_TWO_GPUS = re.compile(rf"{_ZH_CARD}\s*(?:和|与|加|跟|还有|\+|/|、)|(?:和|与|加|跟|还有|\+|/|、|有|换了|换成|装了)\s*(?:一张|一块|个)?\s*{_ZH_CARD}", re.I)
_ZH_NEGATED_NVIDIA = re.compile(r"(?:没有|没|无|不是|不带)\s*(?:N卡|英伟达(?:的)?(?:显卡)?|nvidia(?:的)?(?:显卡)?|独显|独立显卡)", re.I)


# A question after the words that asks about them ("..., 可以吗？"), not
# one with its own content ("A卡提示没有发现显卡，是不是只支持N卡？" says the card and asks about support).
_ZH_ASKS_AFTER = re.compile(r"[^，,。]*[，,]?\s*(?:可以|行|能行|能用|可行|能跑|能运行|可以用|可以跑)?\s*(?:吗|么|嘛|不|没)?\s*[？?]\s*$|[^，,。]*(?:吗|么)\s*[？?]?\s*$")


# acccpu (session 34): the writer's own GPU said not to be NVIDIA's without naming its maker ("My GPU is unfortunately not by
# nvidia", "my graphics card is not an NVIDIA one", "our GPU isn't from NVIDIA"): a GPU of another maker ("other", which
# knowledge.gpus.stated_hardware_cause reads as GPU_NOT_SUPPORTED). Not "my GPU is not detected by nvidia-smi" (a program
# after the maker) nor a question or condition (``grammar.said``).
_OWN_GPU_NOT_NVIDIA = re.compile(
    r"\b(?:my|our)\s+(?:gpus?|graphics(?:\s+card)?|video\s+card|card)\s+(?:is|are|was|isn['’]t|aren['’]t)\s+(?:\w+\s+)?"
    r"(?:not\s+)?(?:an?\s+)?(?:(?:made\s+)?by|from)?\s*nvidia(?:['’]s)?\b(?!\s*-?\s*(?:smi|driver|control|settings|panel|app))", re.I)


def machine_gpu_said(text: str) -> tuple[str, re.Match[str]] | None:
    """(what the writer says their machine's GPU is, the words) in a sentence of theirs asserted of now, or None.

    The value: "none" (no NVIDIA GPU at all: "my laptop has no NVIDIA GPU", "on a laptop without an nvidia graphic card",
    "I only have a CPU", "没有独显"), "integrated" / "intel-integrated" (its only GPU integrated graphics: "a laptop with
    only integrated graphics", "集显", "核显"), or another maker's GPU, "amd" / "intel" / "apple" ("my laptop has an AMD
    Radeon RX 5500M", "I don't have an NVIDIA GPU, I have an AMD one", "A卡"); what each means is
    ``knowledge.gpus.stated_hardware_cause``'s. (The vendor readers of ``explain.logfacts`` still read a maker named in
    any sentence for LOG107/LOG146.)
    """
    text = text[:_MAX_LINE]
    if grammar.program_line(text) or grammar.code_comment(text):
        return None
    if (m := statements.no_gpu(text) or _without_gpu(text)) is not None:
        # "I don't have an NVIDIA GPU, only an AMD one": the GPU the sentence names is the machine's (another maker's).
        left, right = grammar.sentence_at(text, m.start(), m.end())
        other = _OTHER_MAKER.search(text[left:m.start()] + " " + text[m.end():right])
        return (next(k for k, v in other.groupdict().items() if v).replace("igpu", "intel-integrated") if other else "none"), m
    if "only" in text.lower() and (m := _without_gpu(text, _WITH_ONLY_INTEGRATED)) is not None:
        return "integrated", m
    if "nvidia" in text.lower() and (m := _OWN_GPU_NOT_NVIDIA.search(text)) is not None and re.search(r"\bnot\b|n['’]t\b", m.group(0), re.I) \
            and grammar.said(text, m.start(), m.end(), quotes=False) and not grammar.quoted(text, m.start()):
        return "other", m
    for m in _ONLY_CPU.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if not _NVIDIA_NAMED.search(text, left, right) and not _NOT_THE_STATE.search(text, left, right) and grammar.said(text, m.start(), m.end(), quotes=False):
            return "none", m
    for m in _OWN_OTHER_GPU.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        maker = _OTHER_MAKER.search(text[m.end():m.end() + 60])
        if maker is None or _NVIDIA_NAMED.search(text, left, right) or _SECOND_GPU.search(text, m.end() + maker.end(), right):
            continue  # an NVIDIA GPU or a second GPU named beside it ("an AMD card and an RTX 3060"): nothing decided
        if grammar.said(text, m.start(), m.end(), quotes=False):
            return next(k for k, v in maker.groupdict().items() if v).replace("igpu", "intel-integrated"), m
    if text.isascii():
        return None
    for rx in (_ZH_NO_GPU_MACHINE, _ZH_OWN_GPU):
        for m in rx.finditer(text):
            left, right = grammar.sentence_at(text, m.start(), m.end())
            if rx is _ZH_OWN_GPU and _ZH_TWO_GPUS.search(_ZH_NEGATED_NVIDIA.sub("", text[left:right])):
                continue  # an NVIDIA card named beside it ("A卡和N卡都试了", "核显加独显"): two GPUs, nothing decided
            if statements.ZH_PLAN_BEFORE.search(text, left, m.start()) or _ZH_ASKS_AFTER.match(text, m.end(), right):
                continue  # a plan or a wish ("我想在没有显卡的电脑上运行"), or a question about it ("..., 可以吗？")
            if grammar.said(text, m.start(), m.end(), quotes=False):
                if rx is _ZH_NO_GPU_MACHINE:
                    return "none", m
                value = "integrated" if (m.group("integrated") or m.group("integrated2")) else "amd"
                return value, m
    return None


def _vendor_of(value: str) -> str | None:
    """"none" or the maker an option or a field's value names (NVIDIA first: "NVIDIA (CUDA)"; Intel's integrated graphics,
    "Intel UHD Graphics 630", as "intel-integrated"), else None."""
    value = value.strip(" *`_.")
    if not value:
        return None
    for vendor, words in _VENDOR_WORDS:
        if words.search(value):
            if vendor == "intel" and re.search(r"\b(?:integrated|onboard|iris|uhd|hd\s+graphics|xe)\b", value, re.I):
                return "intel-integrated"
            return vendor
    if _NONE_VALUE.match(value):
        return "none"
    return None


def _checkbox_answers(lines: list[str], question: int) -> tuple[list[str], int]:
    """(the checked options of the checkbox group under line ``question``, the last line of the group)."""
    checked: list[str] = []
    last = question
    seen_box = False
    for i in range(question + 1, min(len(lines), question + 12)):
        text = lines[i]
        if not text.strip():
            if seen_box:
                break
            continue
        box = _CHECKBOX.match(text)
        if box is None:
            break
        seen_box = True
        last = i
        if _CHECKED.match(box.group("mark")):
            checked.append(box.group("option"))
    return checked, last


# accgap (session 34): macOS's own listing of the machine's GPUs (``system_profiler SPDisplaysDataType``, "About This Mac"'s
# Graphics/Displays): one "Chipset Model:" row per GPU, with its "Vendor:" row ("Vendor: Apple (0x106b)"). A listing is
# the machine's, whoever pasted it; every GPU it lists counts (a MacBook Pro with Intel graphics and an NVIDIA GPU lists both).
_CHIPSET_ROW = re.compile(r"^\s*(?:chipset\s+model|vendor)\s*:\s*(?P<value>\S[^\n]*?)\s*$", re.I)


def _mac_listing(lines: list[str]) -> Iterator[Stated]:
    """The GPU macOS's Graphics/Displays listing names, when every GPU it lists is of one maker and none is NVIDIA's."""
    rows = [(i, m.group("value"), text.strip()) for i, text in enumerate(lines) if "hipset" in text or "endor" in text
            if (m := _CHIPSET_ROW.match(text[:_MAX_LINE])) is not None]
    if not any(text.lower().startswith("chipset") for _i, _v, text in rows):
        return
    named = {_vendor_of(value) for _i, value, _t in rows} - {None, "none"}
    if len(named) != 1 or "nvidia" in named:
        return  # two makers (Intel's graphics beside an NVIDIA GPU), or NVIDIA's: nothing for LOG260 to say
    vendor = named.pop()
    assert vendor is not None
    first = next((i, text) for i, value, text in rows if _vendor_of(value) == vendor)
    yield Stated(first[0] + 1, "vendor", vendor, first[1])


def _inline_list_no_gpu(text: str) -> str | None:
    """accwords40: the line's fragment that says the machine has no GPU, where the line is an environment list of short
    fragments ("Mac 12.4, M1, No GPU"); None for a sentence, a program's line or a list without the words."""
    if len(text) > 200 or not _LIST_SEPARATOR.search(text) or grammar.program_line(text):
        return None
    fragments = [f for f in _LIST_SEPARATOR.split(text.strip().strip("#*`> ").strip()) if f]
    if len(fragments) < 2 or any(len(f.split()) > 4 or f.rstrip().endswith("?") for f in fragments):
        return None
    return next((f for f in fragments if _NO_GPU_FRAGMENT.fullmatch(f.strip())), None)


def hardware_statements(lines: list[str]) -> Iterator[Stated]:
    """The machine's GPU as the log states it: "no_gpu" (none at all) or "vendor" (its maker, not NVIDIA), each once per line."""
    yield from _mac_listing(lines)
    skip_to = -1
    for i, raw in enumerate(lines):
        if i <= skip_to:
            continue
        text = raw[:_MAX_LINE]
        low = text.lower()
        if not any(w in low for w in ("gpu", "graphic", "video", "accelerat", "hardware", "cpu", "lspci", "显", "顯示卡", "グラフィック", "그래픽", "gráfica", "grafica", "grafik",
                                      "nvidia", "card", "卡", "radeon", "amd", "intel", "arc", "mac")):
            continue
        if _GPU_QUESTION.search(text) and i + 1 < len(lines) and _CHECKBOX.match(lines[i + 1] or lines[min(i + 2, len(lines) - 1)]):
            checked, skip_to = _checkbox_answers(lines, i)
            vendors = {v for v in map(_vendor_of, checked) if v is not None}
            if len(vendors) == 1 and (vendor := vendors.pop()) != "nvidia":
                shown = f"{text.strip()} {' '.join(c.strip() for c in checked)}"
                yield Stated(i + 1, "no_gpu" if vendor == "none" else "vendor", vendor, shown)
            continue
        if (field := _GPU_FIELD.match(text)) is not None:
            named = _vendor_of(field.group("value"))
            if named is not None and named != "nvidia":
                yield Stated(i + 1, "no_gpu" if named == "none" else "vendor", named, text.strip())
            continue
        if (item := _NO_GPU_ITEM.match(text)) is not None:
            yield Stated(i + 1, "no_gpu", "none", item.group("words"))
            continue
        if (fragment := _inline_list_no_gpu(text)) is not None:
            yield Stated(i + 1, "no_gpu", "none", fragment)
            continue
        if "(" in text and (aside := _NO_GPU_ASIDE.search(text)) is not None and not grammar.program_line(text):
            yield Stated(i + 1, "no_gpu", "none", aside.group(0))  # accgap: "(No GPU, CPU only on my PC)"
            continue
        if "cpu" in low and (m := _CPU_ONLY_MACHINE.search(text)) is not None and not grammar.program_line(text):
            left, right = grammar.sentence_at(text, m.start(), m.end())
            # "the environment was created on a CPU-only node": where something was built, not where the work runs.
            built = re.search(r"\b(?:created|built|made|compiled|installed|packaged|prepared)\s+(?:\w+\s+){0,2}$", text[left:m.start()], re.I)
            if (grammar.said(text, m.start(), m.end(), quotes=False) and not _NVIDIA_NAMED.search(text, left, right)
                    and not _GPU_MACHINE.search(text, left, right) and built is None):
                yield Stated(i + 1, "no_gpu", "none", m.group(0))
            continue
        if ("intel" in low or "amd" in low) and (m := _OWN_MAKER_GPU.search(text)) is not None and not grammar.program_line(text):
            left, right = grammar.sentence_at(text, m.start(), m.end())
            if grammar.said(text, m.start(), m.end(), quotes=False) and not _NVIDIA_NAMED.search(text, left, right):
                maker = m.group("maker").lower()
                integrated = maker == "intel" and bool(m.group("integrated") or m.group("integrated2") or re.search(r"\b(?:iris|uhd|hd\s+graphics|xe)\b", text[m.end():right], re.I))
                yield Stated(i + 1, "vendor", "intel-integrated" if integrated else maker, text[left:right].strip())
            continue
        if any(w in low for w in ("without", "no", "n't", "have", "has", "had", "lack", "only", "us", "is", "on", "没", "无", "显", "卡", "只有")) and (said := machine_gpu_said(text)) is not None:
            # accsaid (session 25): the writer's sentence about their own machine's GPU.
            value, m = said
            yield Stated(i + 1, "no_gpu" if value == "none" else "vendor", value, m.group(0))
            continue
        if "lspci" in low and _LSPCI_NVIDIA.search(text):
            # The command's output (nothing) or the writer's words about it, on the next few lines.
            for j in range(i, min(len(lines), i + 8)):
                after = lines[j][:_MAX_LINE] if j > i else text[_LSPCI_NVIDIA.search(text).end():]  # type: ignore[union-attr]
                if _NVIDIA_NAMED.search(after) and not _LSPCI_NVIDIA.search(after) and "nvidia-smi" not in after.lower() and not re.search(r"/proc/driver/nvidia|\bnvcc\b", after):
                    break  # lspci listed an NVIDIA device
                if (nothing := _NOTHING.search(after)) is not None and grammar.said(after, nothing.start(), nothing.end(), quotes=False):
                    yield Stated(i + 1, "no_gpu", "none", f"{text.strip()} ... {after.strip()}")
                    break


# The writer's own GPU named in prose, in any case ("i also have nvidia tesla c2075", "I have a gtx 950M", "the instance
# has an A10", "my card is a titan xp"): the words that make it theirs, then the name within a few words.
_OWN_GPU = re.compile(
    r"\b(?:(?:i|we)\s+(?:also\s+|only\s+|just\s+)?(?:have|own|got|use|bought|purchased)|i(?:\s+am|['’]m)\s+(?:using|running\s+on|on)"
    r"|my\s+(?:gpu|card|graphics\s+card|video\s+card)\s+is|(?:the|this|our|my)\s+(?:instance|machine|server|node|vm|box|laptop|pc|workstation)\s+has"
    # accarch (session 28): a cloud notebook's machine as it is handed out ("have been assigned an A100", "got allocated a T4").
    r"|(?:been|got|get|was|were|am)\s+(?:assigned|allocated|given)"
    r"|(?:gpu|graphics\s+card|video\s+card)\s*[:=])\s+(?:an?\s+|the\s+|two\s+|dual\s+|\d\s*x\s*)?", re.I)


def own_gpu_named(text: str) -> tuple[str, re.Match[str]] | None:
    """(the NVIDIA GPU model the writer names as their own, the words) in a sentence of theirs, asserted, or None (knowledge.gpus.gpu_in_text names it)."""
    from whygpu.knowledge.gpus import gpu_in_text

    text = text[:_MAX_LINE]
    if _OWN_GPU.search(text) is None or grammar.program_line(text):
        return None
    for m in _OWN_GPU.finditer(text):
        if re.match(r"\s*(?:no|not|never|none\s+of)\b", text[m.end():], re.I):
            continue  # accplat (session 29): "I have no A100 here": a GPU the writer does not have
        window = " ".join(re.sub(r"\d+(?:\.\d+)+", " ", text[m.end():m.end() + 60]).split()[:6])
        model = gpu_in_text(window) if re.search(r"\d", window) else None
        if model is None or model.vendor != "nvidia":
            continue
        words = [w for w in re.findall(r"[a-z0-9]+", model.name.lower()) if w not in ("nvidia", "geforce", "tesla", "quadro")]
        if all(w.isdigit() for w in words) and model.name.lower() not in window.lower():
            continue  # a bare number ("I have 410 ...") is no model name
        head = [w for w in re.split(r"\b(?:and|or|with|vs)\b|,", window.lower())[0].split() if w not in ("old", "new", "nvidia", "geforce", "tesla", "quadro", "an", "a")][:3]
        if not any(w in " ".join(head) for w in words):
            continue  # accprose (session 35): the name opens the words ("I have a 3090 and a 1080 Ti" names no 1080 Ti as theirs)
        if grammar.said(text, m.start(), m.end(), quotes=False):
            return model.name, m
    return None


# --- the driver ---------------------------------------------------------------------------------------------------
_DRIVER_VERSION = re.compile(r"\b(?:nvidia\s+|gpu\s+|graphics\s+)?driver(?:\s+version)?\s*(?:is\s+|was\s+|of\s+|=\s*|[:：]\s*)?[`'\"(]?v?(?P<v>\d{3}\.\d{1,3}(?:\.\d{1,3})?)\b"
                             # acclib2 (session 30): the version before the word ("nvidia 396.54 driver", "the 535.104.05 NVIDIA driver").
                             r"|(?<![\w.])(?P<v2>\d{3}\.\d{1,3}(?:\.\d{1,3})?) (?:nvidia |gpu |graphics |display )?drivers?\b(?![\s:]*version)"
                             # acccont (session 34): "the version of the driver installed on the compute nodes ... is 418.87.00"
                             r"|\bversion\s+of\s+the\s+(?:nvidia\s+)?driver\b[^.\n]{0,80}?\bis\s+v?(?P<v3>\d{3}\.\d{1,3}(?:\.\d{1,3})?)\b", re.I)
_PLANNED_DRIVER = re.compile(r"\b(?:install|installing|upgrade\s+to|update\s+to|try|need|needs|requires?|at\s+least|newer\s+than|above|or)\s+(?:the\s+|a\s+|an\s+)?(?:nvidia\s+)?$", re.I)
# accversions (session 24): the driver's version in Chinese or Japanese ("驱动版本：470.199.02", "显卡驱动 430.64",
# "ドライバー バージョン: 536.23"), and in Windows' own form ("Driver Version: 23.21.13.9135", "版本：27.21.14.5671" under a
# "驱动程序：nvldumdx.dll" line), whose NVIDIA version the knowledge layer gives (knowledge.cuda_versions.nvidia_driver_from_windows).
# accgram41 (session 41): the label words (the driver, its link, "version", the copula) are knowledge/version_labels.toml's,
# in Chinese and Japanese.
_CJK = ("zh", "ja")


_DRIVER_CJK = rf"{alternation('driver', _CJK)}\s*{alternation('link', _CJK)}?\s*{alternation('version', _CJK)}?"
_DRIVER_VERSION_CJK = re.compile(_DRIVER_CJK + rf"\s*(?:{alternation('copula', _CJK)}|[:：=])?\s*[`'\"(]?v?(?P<v>\d{{3}}\.\d{{1,3}}(?:\.\d{{1,3}})?)(?![\d.])")
_WINDOWS_VERSION = re.compile(r"(?:\bdriver(?:\s+version)?|\bdriverversion|" + _DRIVER_CJK + "|\\bversion|" + alternation("version", _CJK) + r")\s*(?:is\s+|[:：=]\s*)?[`'\"]?"
                              r"(?P<w>\d{1,2}\.\d{1,2}\.\d{2}\.\d{4})(?![\d.])", re.I)
_WINDOWS_VERSION_BARE = re.eager(r"(?<![\w.])(?P<w>\d{1,2}\.\d{1,2}\.\d{2}\.\d{4})(?![\d.])")
# What makes a Windows-form version NVIDIA's, on its line or the few before: the maker, a GPU brand, NVIDIA's display driver files.
_NVIDIA_WINDOWS = re.compile(r"\b(?:nvidia|geforce|quadro|tesla|rtx|gtx)|\bnv(?:ldumdx?|lddmkm|d3dumx?|wgf2umx?|oglv)\w*\.(?:dll|sys)\b", re.I)
_DRIVER_NAMED = re.compile(r"driver|驱动|驅動|ドライバ", re.I)
_MODINFO = re.compile(r"\bmodinfo\b[^\n]*\bnvidia\b", re.I)
_MODINFO_VERSION = re.compile(r"^\s*version:\s+(?P<v>\d{3}\.\d{1,3}(?:\.\d{1,3})?)\s*$")
# The writer's words that the driver is too old: "the driver is too old", "my NVIDIA driver is outdated", "driver version
# 450.142.00 is too old for A10", "the driver needs to be updated".
_TOO_OLD = re.compile(r"\bdrivers?\b[^.;!?\n]{0,60}?\b(?:is|are|was|seems?\s+to\s+be|being)\s+(?:(?:way|much|far|a\s+bit|probably|likely|simply)\s+)?(?:too\s+old|too\s+low|insufficient(?!\s+for\s+(?:the\s+)?cuda\s+runtime)|not\s+(?:new|recent|high)\s+enough|outdated|out\s+of\s+date|older\s+than\s+(?:(?:the|what\s+is)\s+)?(?:required|needed|supported)|older(?=\s*(?:[.;!,)]|$)))"
                      r"|\b(?:too\s+old|outdated|out[- ]of[- ]date)\s+(?:nvidia\s+|gpu\s+|graphics\s+|cuda\s+)?drivers?\b", re.I)

# accbusy (session 26): the writer's words that what they installed does not fit their driver: "this is incompatible to
# Nvidia driver 390", "the wheel is not compatible with my driver". A driver runs every CUDA build up to its own CUDA
# (NVIDIA's backward compatibility, https://docs.nvidia.com/deploy/cuda-compatibility/), so a build that does not fit the
# driver wants a newer one: the driver is too old for it. Not read where the sentence names a GPU (a card a new driver
# dropped: "my GTX 680 is incompatible with the latest driver") or a newer driver ("incompatible with the new driver"), nor
# for a mismatch ("driver/library version mismatch" is the kernel module against its own libraries, DRIVER_MISMATCH).
_INCOMPATIBLE = re.compile(r"\b(?:(?:is|are|was|were|be|seems?\s+to\s+be)\s+(?:not\s+compatible|incompatible)|doesn['’]?t\s+work|does\s+not\s+work)"
                           r"\s+(?:to|with)\s+(?:the\s+|my\s+|our\s+)?(?:installed\s+|current\s+|existing\s+)?(?:nvidia\s+|gpu\s+|graphics\s+|cuda\s+)?drivers?\b", re.I)
_NEWER_DRIVER = re.compile(r"\b(?:latest|newest|new|newer|recent|updated|upgraded)\s+(?:nvidia\s+|gpu\s+|graphics\s+)?drivers?\b", re.I)

# A change after a past-tense "was too old": the problem is over ("... updated it and now it works").
_FIXED_SINCE = re.compile(r"\b(?:now|fixed|solved|resolved|(?:updat|upgrad|reinstall)(?:ed|ing))\b|\bworks?\s+(?:again|fine|now)\b", re.I)


def _gpu_in_sentence(text: str, start: int, end: int) -> str | None:
    """The NVIDIA GPU model named in the sentence around ``start``..``end`` (knowledge.gpus.gpu_in_text), or None."""
    from whygpu.knowledge.gpus import gpu_in_text

    left, right = grammar.sentence_at(text, start, end)
    # Versions are no model numbers ("driver 410.48" is no Quadro 410): taken out before the names are matched.
    sentence = re.sub(r"\d+(?:\.\d+)+", " ", text[left:right])
    model = gpu_in_text(sentence)
    if model is None or model.vendor != "nvidia":
        return None
    # A name the table writes as a number after its brand ("Quadro 410", "Tesla 10") counts only with the brand written.
    words = [w for w in re.findall(r"[a-z0-9]+", model.name.lower()) if w not in ("nvidia", "geforce", "tesla", "quadro")]
    if all(w.isdigit() for w in words) and model.name.lower() not in sentence.lower():
        return None
    return model.name


def _asked(text: str) -> bool:
    """A question, a wish or a plan rather than the machine's state ("要装哪个驱动版本?", "should I install driver 535?")."""
    return bool(re.search(r"[?？]\s*$|吗|嗎|是否|要不要|应该|應該|想|打算|计划|計劃|准备|準備|需要|建议|建議|请问|請問", text))


def _windows_driver(lines: list[str], i: int, text: str) -> str | None:
    """The NVIDIA driver version of a Windows driver file version the line states as the driver's, or None.

    The line must name the driver (or follow one that does: Windows' driver details list the files, then "Version:"),
    and NVIDIA must be named on it or the three lines before (another maker's versions share the form).
    """
    if not any(ch.isdigit() for ch in text):
        return None
    previous = lines[i - 1] if i else ""
    before = "\n".join(lines[max(0, i - 3):i])
    m = _WINDOWS_VERSION.search(text)
    if m is None and re.search(r"driver\s*version", f"{before}\n{text}", re.I):
        # A table whose header names the column ("DriverVersion  Name" above "31.0.15.3623  NVIDIA GeForce RTX 3060":
        # wmic's and PowerShell's Win32_VideoController listings).
        m = _WINDOWS_VERSION_BARE.search(text)
    if m is None:
        return None
    if not (_DRIVER_NAMED.search(text) or _DRIVER_NAMED.search(previous) or (m.re is _WINDOWS_VERSION_BARE)):
        return None
    if not (_NVIDIA_WINDOWS.search(text) or _NVIDIA_WINDOWS.search(before)) or _asked(text):
        return None
    from whygpu.knowledge.cuda_versions import nvidia_driver_from_windows

    return nvidia_driver_from_windows(m.group("w"))


def driver_statements(lines: list[str]) -> Iterator[Stated]:
    """The driver as the log states it: its version ("driver_version"), the GPU named with it ("gpu_model") and the writer's words that it is too old ("driver_too_old")."""
    modinfo = -10
    header = -10  # the last line that names a driver's version (a listing's header above its rows)
    for i, raw in enumerate(lines):
        text = raw[:_MAX_LINE]
        low = text.lower()
        if "driver" in low and "version" in low:
            header = i
        if "modinfo" in low and _MODINFO.search(text):
            modinfo = i
            continue
        if i - modinfo <= 4 and (row := _MODINFO_VERSION.match(text)) is not None:
            yield Stated(i + 1, "driver_version", row.group("v"), text.strip())
            continue
        if ((i - header <= 3 or "version" in low or "版本" in text or "バージョン" in text or "驱" in text or "驅" in text or "ドライバ" in text)
                and (windows := _windows_driver(lines, i, text)) is not None):
            yield Stated(i + 1, "driver_version", windows, text.strip())
            continue
        shown = text.strip()
        cjk_read = False
        if ("驱" in text or "驅" in text or "ドライバ" in text) and not grammar.program_line(text):
            for m in _DRIVER_VERSION_CJK.finditer(text):
                if not _asked(text):
                    yield Stated(i + 1, "driver_version", m.group("v"), shown)
                    cjk_read = True
                    break
        if not cjk_read and (english := labelwords.in_english(text)) != text:
            # accwords40 (session 40): the driver's version labelled in another language ("версия драйвера 535.104", "versão do
            # driver: 535.54", "드라이버 버전은 535") read in its English form; the evidence stays the line as written.
            text, low = english, english.lower()
        if "driver" not in low or not (_DRIVER_VERSION.search(text) or _TOO_OLD.search(text) or _INCOMPATIBLE.search(text)) \
                or grammar.program_line(text):
            continue
        for m in _DRIVER_VERSION.finditer(text):
            if m.group("v2") and (_PLANNED_DRIVER.search(text, max(0, m.start() - 40), m.start()) or not re.search(r"nvidia", text, re.I)):
                continue  # "install the 550.54 driver": a plan; a driver of no named maker may be another's
            if grammar.said(text, m.start(), m.end(), quotes=False):
                yield Stated(i + 1, "driver_version", m.group("v") or m.group("v2") or m.group("v3"), shown)
                if (model := _gpu_in_sentence(text, m.start(), m.end())) is not None:
                    yield Stated(i + 1, "gpu_model", model, shown)
        for m in _TOO_OLD.finditer(text):
            if re.search(r"\byour\b", m.group(0), re.I) or re.search(r"\byour\s+(?:\w+\s+){0,2}$", text[:m.start()], re.I):
                continue  # "the NVIDIA driver on your system is too old": a program's message (or advice) to the reader
            # (quotes=True: a quoted "driver is too old" is a program's message the writer cites, not their finding)
            if re.search(r"\b(?:was|were)\b", m.group(0), re.I) and _FIXED_SINCE.search(text, m.end()):
                continue  # "the driver was too old; I updated it and now it works": a past problem now fixed
            # accretold (session 38): or the program's message retold ("When compiling the model, it prompts that the driver
            # version is too low"): the program said it of this machine (grammar.retold).
            if (grammar.said(text, m.start(), m.end()) or grammar.retold(text, m.start()) is not None) and not grammar.in_code(text, m.start()):
                yield Stated(i + 1, "driver_too_old", m.group(0), shown)
                if (model := _gpu_in_sentence(text, m.start(), m.end())) is not None:
                    yield Stated(i + 1, "gpu_model", model, shown)
                break
        for m in _INCOMPATIBLE.finditer(text):
            left, right = grammar.sentence_at(text, m.start(), m.end())
            if _NEWER_DRIVER.search(text, left, right) or _gpu_in_sentence(text, m.start(), m.end()) is not None:
                continue
            if re.search(r"\b(?:was|were)\b", m.group(0), re.I) and _FIXED_SINCE.search(text, m.end()):
                continue
            if grammar.said(text, m.start(), m.end()) and not grammar.in_code(text, m.start()):
                yield Stated(i + 1, "driver_too_old", m.group(0), shown)
                break


# --- the CUDA packages of one environment -------------------------------------------------------------------------
# A row of a package listing: conda list's "name  version  build  channel", mamba's "+ name version ...", pip list's
# "name  version", pip freeze's "name==version".
_LIST_ROW = re.compile(r"^\s*(?:[+]\s+)?(?P<name>[A-Za-z][\w.-]*)\s{2,}(?P<version>\d+(?:\.\d+)*)(?:\s|$)|^\s*(?P<fname>[A-Za-z][\w.-]*)==(?P<fversion>\d+(?:\.\d+)*)\s*$")


def cuda_package_rows(lines: list[str]) -> list[list[tuple[int, str, str, str]]]:
    """Each package listing's rows that name a package with a version: (line, name, version, text), one list per listing (rows within 40 lines of each other)."""
    listings: list[list[tuple[int, str, str, str]]] = []
    last = -100
    for i, raw in enumerate(lines):
        text = raw[:_MAX_LINE]
        if not text or "cu" not in text.lower():
            continue
        m = _LIST_ROW.match(text)
        if m is None:
            continue
        name = m.group("name") or m.group("fname")
        version = m.group("version") or m.group("fversion")
        if i - last > 40 or not listings:
            listings.append([])
        listings[-1].append((i + 1, name, version, text.strip()))
        last = i
    return listings


# --- a framework's version and the CUDA's, said together ------------------------------------------------------------
_FRAMEWORK_SAID = re.compile(r"\b(?P<fw>tf|tensorflow|torch|pytorch)(?:[-_ ]gpu)?\s*(?:version|ver\.?|v)?\s*(?:is|=|==|:)?\s*[`'\"]?v?(?P<v>\d+\.\d+(?:\.\d+)?)\b(?![-.]?\d)", re.I)
_CUDA_SAID = re.compile(r"\bcuda\s*(?:toolkit\s*)?(?:version)?\s*(?:is|=|==|:)?\s*[`'\"]?v?(?P<v>\d{1,2}\.\d)(?:\.\d+)?\b(?!\s*(?:driver|runtime\s+version\s+is\s+insufficient))", re.I)


def framework_and_cuda_said(text: str) -> tuple[str, str, str] | None:
    """(framework, its version, the CUDA version) the writer states together in one sentence ("tf version is `2.1.0` and cuda version is `10.2`"), asserted, or None."""
    text = text[:_MAX_LINE]
    low = text.lower()
    if "cuda" not in low or grammar.program_line(text):
        return None
    for fw in _FRAMEWORK_SAID.finditer(text):
        left, right = grammar.sentence_at(text, fw.start(), fw.end())
        cuda = _CUDA_SAID.search(text, left, right)
        if cuda is None:
            continue
        if not (grammar.said(text, fw.start(), fw.end(), quotes=False) and grammar.said(text, cuda.start(), cuda.end(), quotes=False)):
            continue
        if re.search(r"\b(?:built|compiled|requires?|needs?|wants?|supports?|for|tested)\b", text[min(fw.end(), cuda.start()):max(fw.start(), cuda.start())], re.I):
            # "torch 2.1 is built for CUDA 12.1", "tensorflow 2.1 requires CUDA 10.1": what the build wants, not what is installed;
            # acclibtriad (session 36): "tensorflow 2.4.0 ... only developed and tested on cuda 11.0" (system76/docs#494) too.
            continue
        framework = {"tf": "tensorflow", "pytorch": "torch"}.get(fw.group("fw").lower(), fw.group("fw").lower())
        return framework, fw.group("v"), cuda.group("v")
    return None
