"""Utilisation numbers read as one fact (accutil, session 30): the GPU's share, its range, the CPU's share, the GPU memory in use
and the processes on the GPU, from the writer's sentences and from the monitors' own output.

The fact about the machine: how much of the time the GPU ran the run's kernels (nvidia-smi's GPU-Util: "percent of time over
the past sample period during which one or more kernels was executing on the GPU",
https://docs.nvidia.com/deploy/nvidia-smi/index.html), beside what the run holds on it and how busy the CPU is. It reaches a
log in these shapes (gathered from issue threads of more than thirty programs, session 30):

- the writer's sentence, a number (or a range: "between 0 and 15%", "0-15%", "5~10%", "from 0 to 20%") tied to its subject
  by nearness in either order ("GPU usage is 3%", "GPU at 3%", "3% GPU usage", "only 20% of the GPU", "GPU利用率只有13%",
  "CPU 480%"), in any language that writes the subject as GPU/CPU or their common names; or in words without a number ("the
  GPU is barely doing anything");
- nvidia-smi's table (one row per GPU: "| 9584MiB / 11170MiB | 0% Default |", and its process rows, type C for compute) and
  its query CSV (``--query-gpu=utilization.gpu,memory.used,memory.total --format=csv``: a header naming the columns, rows of
  values);
- gpustat's line ("[0] GeForce GTX 1080 | 45'C, 3 % | 5000 / 8119 MB | ..."), nvtop's meters ("GPU[||| 12%]", "MEM[|| 5.1Gi/
  24.0Gi]"), nvitop's "UTL: 12%";
- top's "%Cpu(s): 95.0 us, 3.0 sy" and htop's per-core meters ("1 [||||||| 100.0%]").

Windows Task Manager's share, named in the sentence, is kept as its own monitor: its default graphs do not show CUDA work
(knowledge/utilisation.toml). The decision over the readings is knowledge.utilisation.decide.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.utilisation import (
    CPU,
    GPU,
    GPU_MEMORY,
    GPU_PROCESS,
    SAID,
    TASK_MANAGER,
    Reading,
    thresholds,
)

_NUM = r"\d{1,3}(?:[.,]\d+)?"
_PCT = r"\s*(?:%|％|\s(?:percent|per\s*cent)\b)"
# A share or a range of shares: "between 0 and 15%", "from 0% to 20%", "0-15%", "5~10 %", "0% - 15%", "3%".
_FIGURE = re.compile(
    rf"\b(?:between|from)\s+(?P<a>{_NUM})(?:{_PCT})?\s+(?:and|to)\s+(?P<b>{_NUM}){_PCT}"
    rf"|(?<![A-Za-z0-9_.,/])(?P<c>{_NUM})(?:{_PCT})?\s*(?:-|–|~|〜|to|and|到|至)\s*(?P<d>{_NUM}){_PCT}"
    rf"|(?<![A-Za-z0-9_.,/%-])(?P<e>{_NUM}){_PCT}"
    # Zero in words: "the GPU load is mostly at zero", "GPU usage stays zero".
    r"|\b(?:at|is|was|stays?|stayed|remains?|remained|mostly|always|on)\s+(?P<z>zero)\b(?!\s+(?:copy|shot|day|gpus?))"
    # accutil2 (session 31): a bare zero after the use noun, as nvidia-smi's column is read aloud ("GPU-Util is 0", "the
    # utilization stays at 0 most of the time", "利用率为0"): a zero needs no unit. Not "GPU 0" (a device's index).
    r"|(?:(?:(?<![A-Za-z])(?:util\w*|usage|load)|利用率|使用率|占用率|占用)\s*[:=]?\s*(?:(?:is|was|are|were|stays?|stayed|remains?|remained|sits?|sat|at|of|always|still|"
    r"mostly|often|just|only|to\s+be|为|是|都是|一直|一直是|一直为|都为|始终|只有|基本)\s*)*"
    # or fallen to it: "would intermittently drop to 0", "goes to 0 between batches".
    # or the GPU itself said to be at it ("the gpu is 0 most of time", "the GPU stays at 0"): a verb between, never "GPU 0".
    r"|(?<![A-Za-z])GPUs?\s+(?:is|was|are|were|stays?|stayed|sits?|sat|remains?|remained)\s+(?:(?:at|on|mostly|often|almost|basically)\s+)*"
    r"|(?<![A-Za-z])(?:drops?|dropped|dropping|goes|going|went|falls?|fell|falling|gets?|got|comes?\s+down|came\s+down)\s+(?:back\s+|down\s+)?to\s+|(?<![A-Za-z])(?:becomes?|became|becoming|hits?|reach(?:es|ed)?)\s+)"
    r"(?P<y>0)(?![\d%％/]|[.,:]\d|\s*(?:[-–~〜到至]|to\s+\d|and\s+\d|MiB|MB|GB|GiB|W\b|C\b))",
    re.I)
# The subjects a share is said of. A package or flag name ("tensorflow-gpu", "use_gpu", "--gpu") is no subject.
_GPU_WORD = (r"(?<![A-Za-z0-9_\-])(?:GPU-?Util\w*|GPUs?|graphics\s+cards?|video\s*cards?|vga|(?:the\s+)?cuda(?!\s*(?:version|toolkit|\d|_))"
             # A card named by its model ("my RTX 4090 is at 20%"), and a CUDA monitor whose share is GPU-Util ("nvidia-smi shows 3%").
             r"|(?:RTX|GTX|GeForce|Quadro|Tesla|TITAN)(?:\s?[A-Z]{0,3}\d{2,4}(?:\s?(?:Ti|SUPER|S))?)?|[AHLTV]\d{1,3}(?=\s+(?:GPU|is|was|at|runs|sits|stays|only|shows|usage|util))"
             r"|nvidia-smi|nvtop|nvitop|gpustat"
             r"|显卡|видеокарт\w*|グラボ|그래픽\s*카드)(?![A-Za-z0-9_])")
_CPU_WORD = (r"(?<![A-Za-z0-9_\-])(?<!GPU\s)(?<!cuda\s)(?<!tensor\s)(?:CPUs?|(?:cpu\s+)?cores?|processors?|threads?)(?![A-Za-z0-9_])"
             r"|处理器|процессор\w*|\bЦП\b")
_USE_NOUN_AFTER = re.compile(r"[\s-]*(?:usage|utili[sz]ation|util\b|load|activity|memory|mem\b|vram|ram\b|使用率|利用率|占用)", re.I)
_SUBJECT = re.compile(rf"(?P<gpu>{_GPU_WORD})|(?P<cpu>{_CPU_WORD})", re.I)
_MEMORY = re.compile(r"\b(?:memory|mem|vram|ram|dedicated|shared)\b|显存|内存|памят\w*|メモリ|메모리", re.I)
# What a number beside the subject measures when it is no share of work.
_OTHER_MEASURE = re.compile(r"\b(?:fan|temp\w*|power|clock|battery|disk|network|bandwidth|pcie|download\w*|upload\w*|progress|"
                            r"done|complete\w*|loaded|accuracy|acc|loss|map|efficien\w*|speed\w*|faster|slower|free)\b", re.I)
_AFTER_OTHER = re.compile(
    r"\s*(?:\)\s*)?(?:\||█|▌|of\s+(?:the\s+)?(?:time|epochs?|data\w*|steps?|iterations?|batches|images|samples|runs?|memory|vram|ram|its\s+memory)\b"
    r"|(?:faster|slower|speed\w*|accuracy|acc\b|mAP|done|complete\w*|loss|more|less|better|worse|improvement|increase|decrease|drop|boost|"
    r"memory|mem\b|vram|ram\b|fan|temp)\b)", re.I)
# The words that tie a number to a subject named after it: "3% GPU usage", "20% usage of the GPU", "100% CPU".
_TO_SUBJECT_AFTER = re.compile(
    rf"\s*(?:(?:of|on)\s+)?(?:(?:the|my|our|its|each|every|one)\s+)?(?:(?:usage|utili[sz]ation|util|load|use|activity)\s+(?:of|on)\s+(?:the\s+|my\s+|our\s+|each\s+)?)?(?P<subject>{_GPU_WORD}|{_CPU_WORD})",
    re.I)
# A clause break between a subject and a number said of something else.
_BREAK = re.compile(r"[;!?()\[\]]|,\s|\s(?:but|(?<!\ba\s)while|whereas|whilst|although|though|and\s+(?:the|my|its)|而|但)\s|[，；。、]", re.I)
# A target, a wish or another machine's number: not this run's reading.
_NOT_THIS_RUN = re.compile(
    r"\b(?:want\w*|wish\w*|expect\w*|hope\w*|hoping|should|would\s+like|target\w*|goal|aim\w*|ideal\w*|supposed|desired?|instead\s+of|rather\s+than"
    r"|(?:could|can|would|will)\s+(?:reach|get|hit|be)|make\s+(?:it|the\s+GPU)|get\s+(?:it|the\s+GPU)\s+to|like\s+to\s+see|used\s+to|before\s+(?:the\s+)?(?:update|upgrade)"
    r"|(?:other|another|different|second|friend'?s|colleague'?s|old(?:er)?|previous)\s+(?:\w+\s+)?(?:machine|computer|pc|laptop|server|system|box|gpu|card|setup|environment|version|node|run))\b",
    re.I)
# The GPU said idle most of the time in words, without a number: "the GPU is barely doing anything", "barely any GPU usage".
_LOW_WORDS = re.compile(
    rf"{_GPU_WORD}\s+(?:(?:is|was|are|were|seems?\s+to\s+be|appears?\s+to\s+be|just|only)\s+)*(?:barely|hardly|scarcely)\s+(?:doing\s+(?:anything|any\s+\w+)|does\s+anything|used|utili[sz]ed|working|busy|touched|loaded|in\s+use)"
    r"|\b(?:barely|hardly|scarcely)\s+(?:any\s+)?GPU\s+(?:usage|utili[sz]ation|util|load|activity)\b",
    re.I)
_TASK_MANAGER = re.compile(r"task\s*manager|(?:activity|resource|performance)\s+monitor|任务管理器|タスクマネージャ|диспетчер\w*\s+задач", re.I)
_ENGINE = re.compile(r"\b(?:3D|copy|video\s+(?:encode|decode)|compute_?\d|cuda)\b", re.I)


def _share(text: str) -> float:
    return float(text.replace(",", "."))


_ASIDE = re.compile(r"\s*[(（][^()（）]{0,40}[)）]")


def _subject_of(text: str, left: int, start: int, end: int, right: int) -> tuple[str, str, int, int] | None:
    """The subject a number at ``start``..``end`` is said of, in its sentence ``left``..``right``: one tied to it by the words
    after it ("5-7% GPU usage", "20% of the GPU"), else the nearest subject before it in the same clause, else one named right
    after it; as (kind, its word, where it stands)."""
    after = _TO_SUBJECT_AFTER.match(text, end, min(right, end + 40))
    before = None
    gap = ""
    for m in reversed(list(_SUBJECT.finditer(text, max(left, start - 70), start))):
        # A subject's aside in brackets ("GPU (RTX 2080) is only used 30%") is read past: the subject is the one before it.
        gap = _ASIDE.sub("", text[m.end():start])
        if ")" not in gap and "）" not in gap:
            before = m
            break
    if before is not None and _BREAK.search(gap) is not None:
        before = None
    of_after = after is not None and "of" in text[end:after.start("subject")].lower().split()
    if before is not None and len(gap) <= 20 and not of_after:
        # "CUDA使用率100% GPU使用率2%", "GPU usage is 2% CPU 100%": a subject right before the number is its own.
        return ("gpu" if before.group("gpu") else "cpu"), before.group(0), before.start(), before.end()
    if after is not None and (of_after or _USE_NOUN_AFTER.match(text, after.end("subject")) is not None):
        # "20% of the GPU", "5-7% GPU usage", "1% of gpu memory": the words after tie the number to its subject.
        word = after.group("subject")
        return _kind(word), word, after.start("subject"), after.end("subject")
    if before is not None:
        return ("gpu" if before.group("gpu") else "cpu"), before.group(0), before.start(), before.end()
    if after is not None:
        word = after.group("subject")
        return _kind(word), word, after.start("subject"), after.end("subject")
    return None


# (Bounded by letters, not \b: a Chinese clause writes the English noun against its own characters, "但是utilization一直在2%".)
_USE_CLAUSE = re.compile(r"(?<![A-Za-z])(?:usage|utili[sz]ation|util|load|activity|using\s+rate|use\s+rate)(?![A-Za-z])|使用率|利用率|占用率", re.I)


def _gpu_named_for_use(text: str, left: int, start: int) -> str | None:
    """The GPU word of a sentence (before ``start``) whose number's own clause names a use ("the utilization stays at 2%")."""
    breaks = [b.end() for b in _BREAK.finditer(text, left, start)]
    clause_start = breaks[-1] if breaks else left
    if _USE_CLAUSE.search(text, clause_start, start) is None or _SUBJECT.search(text, clause_start, start) is not None:
        return None
    gpu = [g for g in _SUBJECT.finditer(text, left, clause_start) if g.group("gpu")]
    return gpu[-1].group(0) if gpu else None


def _kind(word: str) -> str:
    return "gpu" if re.fullmatch(_GPU_WORD, word, re.I) else "cpu"


# The work of the run named in the sentence: "during training", "while running inference", "when I train", "训练时".
_AT_WORK = re.compile(
    r"\b(?:during|while|when|whilst|throughout|as|in)\s+(?:the\s+|my\s+|a\s+|i\s+|we\s+|it\s+(?:is\s+)?|(?:the\s+|my\s+)?(?:job|script|program|model|task|code|app)\s+(?:is\s+)?)?"
    r"(?:train\w*|run(?:s|ning)?|infer\w*|process\w*|generat\w*|fit(?:s|ting)?|epochs?|predict\w*|test(?:s|ing)?|evaluat\w*|render\w*|encod\w*|decod\w*|"
    r"transcrib\w*|extract\w*|fine-?tun\w*|finetun\w*|optimi[sz]\w*|sampl\w*|mining|simulat\w*|work(?:s|ing)?|comput\w*)\b"
    # Or the work itself named in the sentence: "training is slower than on the CPU", "the inference uses 3%".
    r"|\b(?:training|inference|inferencing|fine-?tuning|finetuning|epochs?)\b|训练|推理|跑模型|обучени\w*|学習|학습"
    # accutil40 (session 40): or the run as the subject of the share ("the model was running with less than 10% GPU usage",
    # "my script runs at 5% GPU"): the share is the run's manner of running.
    r"|\b(?:model|job|script|program|code|process|task|pipeline)\s+(?:is\s+|was\s+|were\s+|are\s+|keeps\s+|kept\s+)?(?:still\s+|always\s+)?(?:running|runs|ran|training|trains)\s+(?:with|at|on)\b",
    re.I)
# A share said as the top of a burst ("spikes to 70%", "peaks at 100%", "occasionally hits 90%"): the GPU runs kernels in
# bursts and waits between them, a range from zero.
# accutil2 (session 31): the writer's words that the share comes and goes, before the number ("only occasionally hits 100%",
# "sometimes 100%, sometimes 0%", "偶尔100%"), or around a zero ("0 most of the time", "intermittently 0", "大部分时间为0"); and a
# spike said to drop back after it ("spikes to 90% then drops"). GPU-Util is the share of the sample period with a kernel
# running (nvidia-smi's documentation): a share that comes and goes is kernels in bursts with waits between.
_NOW_AND_THEN = (r"(?:(?<![A-Za-z])(?:occasionally|sometimes|sporadically|intermittently|periodically|briefly|rarely|seldom|now\s+and\s+then|from\s+time\s+to\s+time"
                 r"|once\s+in\s+a\s+while|every\s+(?:now\s+and\s+then|so\s+often|few\s+(?:seconds|batches|steps|iterations)|\d+\s*(?:-\s*\d+\s*)?(?:seconds|secs?|s|batches|steps|iterations))"
                 r"|in\s+(?:short\s+)?(?:bursts|spikes))(?![A-Za-z])|偶尔|偶而|有时候?|时不时|间歇(?:性)?|时而|一下)")
_BURST_WORDS = re.compile(_NOW_AND_THEN + r"[^.;!?\n]{0,30}$", re.I)
_PART_TIME = re.compile(
    _NOW_AND_THEN + r"|(?<![A-Za-z])(?:most\s+of\s+(?:the\s+)?time|much\s+of\s+(?:the\s+)?time|at\s+times|often|frequently|between\s+(?:the\s+)?(?:batches|steps|iterations)"
    r"|(?:for|during)\s+(?:a\s+few|several|some)\s+(?:batches|steps|iterations|seconds)|(?:for|during)\s+\d+\s*(?:-\s*\d+\s*)?(?:s|secs?|seconds)|not\s+stable|unstable|fluctuat\w*|jump\w*|bounc\w*|oscillat\w*|alternat\w*)(?![A-Za-z])"
    r"|大部分时间|大多数时间|多数时间|经常|不稳定|忽高忽低|波动|来回|跳",
    re.I)
# A share said to fluctuate in the words right after it, across a comma: "14%, and it fluctuates", "14%，而且还是周期波动的",
# "14%, 一会0，一会14%" (now this, now that).
_FLUCTUATES_AFTER = re.compile(r"[^.;!?\n。！？]{0,24}?(?:\bfluctuat\w*|\boscillat\w*|\bunstable\b|\bjump\w*\s+(?:around|between|up\s+and\s+down)|波动|忽高忽低|不稳定|一会儿?[^，,]{0,6}[，,]\s*一会)", re.I)
_BURST_AFTER = re.compile(r"[^.;!?\n]{0,40}?\b(?:then|and|before)\s+(?:drops?|dropped|falls?|fell|goes\s+back|went\s+back|back|returns?|returned)\b", re.I)
# What keeps a GPU waiting, named in the same sentence: the input side (moved from explain/statements.py, session 31).
INPUT_SIDE = re.compile(
    r"\b(?:data\s*loaders?|data\s*loading|load(?:s|ed|ing)?\s+(?:the\s+)?data|data\s+(?:input\s+)?pipeline|input\s+pipeline|data\s+feed\w*"
    r"|(?:the\s+)?disk|I/O|IO|preprocess\w*|pre-process\w*|data\s+augmentation|augmentation|num_workers|workers?|cpu[- ](?:bound|intensive|bottleneck)"
    r"|bottleneck(?:ed)?|reading\s+(?:the\s+)?(?:data|images|files)|waiting\s+for\s+(?:the\s+)?(?:data|input|batches))\b|数据加载|数据读取|读取数据|加载数据|预处理|dataloader",
    re.I,
)
# A zero before the work starts ("0% before the data loader starts", "0 until the first batch") is no reading of the work.
_ZERO_BEFORE_WORK = re.compile(r"[^.;!?\n]{0,20}?\b(?:before|until|till|at\s+(?:the\s+)?start(?:-?up)?)\b", re.I)
_BURST_BEFORE = re.compile(r"\b(?:spik\w*|peak\w*|jump\w*|burst\w*|shoots?|shot|briefly|occasionally|sometimes|once\s+in\s+a\s+while|now\s+and\s+then|"
                           r"every\s+(?:few|couple\s+of|\d+)\s+\w+|momentarily|for\s+a\s+(?:moment|second|split\s+second))\b[^.;!?\n]{0,25}$", re.I)
# GPU memory said to be in use in words: "GPU memory is full", "Memory-Usage is full", "using all of my GPU's VRAM", "显存几乎全部占用",
# or as a figure beside its subject ("VRAM: 23 of 24 GB in use", "GPU memory 7865MiB / 7951MiB").
_GPU_MEM_WORD = r"(?:(?:GPU|video|dedicated|graphics)(?:['’]s)?\s*(?:memory|mem\b|ram\b)|vram|memory[- ]usage|显存|видеопамят\w*)"
_MEMORY_HELD = re.compile(
    rf"{_GPU_MEM_WORD}[^.;!?\n]{{0,25}}?\b(?:(?:is|was|seems|looks|gets?|got|are)\s+)?(?:(?:almost|nearly|completely|totally|already|basically|fully|pretty\s+much)\s+)?"
    r"(?:full\b|filled|used\s+up|maxed|exhausted|occupied|allocated|all\s+used|(?:9\d|100)\s*%)"
    rf"|\b(?:using|uses|used|fills?|filling|occup\w+|takes?|taking|allocat\w+|holds?|holding)\s+(?:up\s+)?(?:all|most|nearly\s+all|almost\s+all)\s+(?:of\s+)?(?:my\s+|the\s+|its\s+)?(?:gpu(?:['’]s)?\s+)?(?:memory|vram)\b"
    r"|显存\s*(?:几乎|基本|全部|都|已经)*\s*(?:占满|跑满|满了|全部占用|被占满|占用)"
    # The English noun in a Chinese clause ("GPU memory用掉了", "VRAM占满了"): no \b between the noun and the Chinese verb.
    rf"|{_GPU_MEM_WORD}\s*(?:几乎|基本|全部|都|已经|被)*\s*(?:用掉|用完|用光|占满|跑满|吃满|满了|全部占用)",
    re.I)
# accutil40 (session 40): GPU memory said held by the run in words, of no amount ("the code takes up some memory of the GPU", "GPU
# memory is allocated", "it occupies GPU memory"): the run's context is on the GPU. Not negated ("no GPU memory is used").
_MEMORY_TAKEN = re.compile(
    r"\b(?:takes?|took|taking|occup(?:y|ies|ied|ying)|consumes?|consumed|consuming|allocates?|allocated|allocating|uses?|used|using|holds?|holding)\s+(?:up\s+)?"
    r"(?:some|a\s+(?:bit|little|lot)\s+of|lots\s+of|much|plenty\s+of|\d+(?:[.,]\d+)?\s*(?:GB|GiB|MB|MiB|G|M)\s+(?:of\s+)?)?\s*(?:(?:the\s+)?GPU(?:['’]s)?\s+memory|VRAM|memory\s+(?:of|on)\s+(?:the\s+|my\s+)?GPU)\b"
    rf"|{_GPU_MEM_WORD}\s+(?:is\s+|was\s+|are\s+|gets?\s+|got\s+)?(?:indeed\s+|still\s+|already\s+)?(?:used|allocated|occupied|taken|consumed|reserved)\b(?!\s+up\b)",
    re.I)
_MEMORY_FIGURE = re.compile(rf"{_GPU_MEM_WORD}\s*:?\s*(?:is\s+|at\s+|of\s+)?(?P<used>\d+(?:[.,]\d+)?)\s*(?P<u1>GB|GiB|MB|MiB|G|M)?\s*(?:/|of|out\s+of)\s*(?P<total>\d+(?:[.,]\d+)?)\s*(?P<u2>GB|GiB|MB|MiB|G|M)\b", re.I)


def _mem_mib(value: str, unit: str | None) -> float:
    number = _share(value)
    return number * 1024.0 if (unit or "G").upper().startswith("G") else number


def worth_reading(line: str) -> bool:
    """Whether a line of prose may hold a utilisation number or words for one (a cheap gate before :func:`said`)."""
    if "%" in line or "％" in line or "ercent" in line or "arely" in line or "ardly" in line:
        return True
    low = line.lower()
    if ("spike" in low or "burst" in low) and "gpu" in low:
        return True  # accwords (session 33): the use said to come in spikes, without a number
    return ("til" in low or "usage" in low or "load" in low or "率" in line) and ("0" in line or "zero" in low or "low" in low or "fully" in low
                                                                              or "partly" in low or "partially" in low or "lightly" in low or "低" in line)


def said(text: str) -> list[tuple[Reading, str]]:
    """The utilisation numbers the writer's sentence ``text`` gives of this run, each with its words (empty when none)."""
    return list(_said(text))


@lru_cache(maxsize=64)
def _said(text: str) -> tuple[tuple[Reading, str], ...]:
    low = text.lower()
    if not ("gpu" in low or "cpu" in low or "cuda" in low or "card" in low or "显卡" in text or "видеокарт" in low or "процессор" in low
            or "core" in low or "thread" in low or "处理器" in text or "vram" in low or "显存" in text or "rtx" in low or "gtx" in low
            or "nvidia-smi" in low or "nvtop" in low or "gpustat" in low):
        return ()
    if grammar.program_line(text) or grammar.code_comment(text):
        return ()
    out: list[tuple[Reading, str, int]] = []  # each with the start of its sentence
    words: list[str] = []
    if "%" in text or "％" in text or "percent" in low or "per cent" in low or "zero" in low or "0" in text:
        carried: dict[int, str] = {}  # the subject a sentence gave its last number ("80% when training but only 2-3% at inference")
        for m in _FIGURE.finditer(text):
            reading = _figure_reading(text, m, carried)
            if reading is not None:
                out.append((reading[0], reading[1], reading[3]))
                words.append(reading[2])
        if any(w.lower().startswith(("cuda", "the cuda")) for w in words) and any(not w.lower().startswith(("cuda", "the cuda")) for w, (r, _, _) in zip(words, out, strict=True) if r.subject == GPU):
            # Windows' Task Manager graphs the CUDA engine apart from the 3D engine its headline "GPU" share follows
            # (knowledge/utilisation.toml): beside the CUDA engine's share, a "GPU" share is the 3D engine's, not the CUDA work.
            out = [(r, w, at) for (r, w, at), word in zip(out, words, strict=True) if r.subject != GPU or word.lower().startswith(("cuda", "the cuda"))]
        if not any(r.subject == GPU for r, _, _ in out) and (old := _low_share(text)) is not None:
            # accounter's forms of a small share (session 23), read as the same fact.
            share = old.groupdict().get("share") or old.groupdict().get("share2") or "0"
            left, right = grammar.sentence_at(text, old.start(), old.end())
            out.append((Reading(GPU, _share(share), _share(share), at_work=_AT_WORK.search(text, left, right) is not None,
                                input_named=INPUT_SIDE.search(text, left, right) is not None), old.group(0), left))
    if ("spike" in low or "burst" in low) and (spikes := _spikes_said(text)) is not None:
        # accwords (session 33): the GPU's use said to come in spikes with no number ("I see only intermittent GPU-Util spikes"):
        # kernels in bursts with waits between, read as a burst from zero.
        left, right = grammar.sentence_at(text, spikes.start(), spikes.end())
        out.append((Reading(GPU, 0.0, 100.0, burst=True, at_work=_AT_WORK.search(text, left, right) is not None,
                            input_named=INPUT_SIDE.search(text, left, right) is not None), spikes.group(0), left))
    if (found := _low_words(text, low)) is not None:
        left, right = grammar.sentence_at(text, found.start(), found.end())
        monitor = TASK_MANAGER if _TASK_MANAGER.search(text, left, right) else SAID
        out.append((Reading(GPU, 0.0, 0.0, monitor=monitor, word="low", at_work=_AT_WORK.search(text, left, right) is not None), found.group(0), left))
    saturated = _cpu_saturated(text, low)
    for m in saturated:
        out.append((Reading(CPU, 100.0, 100.0, word="full"), m.group(0), grammar.sentence_at(text, m.start(), m.end())[0]))
    out = _one_sentence_each(out)
    if ("mem" in low or "vram" in low or "显存" in text or "видеопам" in low) and not _TASK_MANAGER.search(text):
        memory = _memory_said(text)
        held = max((100.0 * r.low / r.total for r, _ in memory if r.total > 0), default=0.0)
        # Each GPU share carries the share of the card's memory said in use on the same line ("the Memory-Usage is full but ...").
        out = [(replace(r, memory_beside=held) if r.subject == GPU and held else r, w, at) for r, w, at in out]
        if not memory and (taken := _MEMORY_TAKEN.search(text)) is not None and grammar.said(text, taken.start(), taken.end(), quotes=False) \
                and not _denied(text, taken):
            out = [(replace(r, memory_taken=True) if r.subject == GPU else r, w, at) for r, w, at in out]
        out.extend((r, w, -1) for r, w in memory)
    return tuple((r, w) for r, w, _ in out)


def _one_sentence_each(out: list[tuple[Reading, str, int]]) -> list[tuple[Reading, str, int]]:
    """The readings of each sentence read together: a zero said to hold part of the time beside a higher share of the GPU in
    the same sentence is the floor of that share ("stays at 0% most of the time, occasionally goes to 40%": one range from 0,
    in bursts); and each GPU reading carries the highest CPU share said beside it."""
    kept: list[tuple[Reading, str, int]] = []
    for at in dict.fromkeys(a for _, _, a in out):
        here = [(r, w) for r, w, a in out if a == at]
        floor = [r for r, _ in here if r.subject == GPU and r.high == 0 and r.burst and not r.word]
        above = [r for r, _ in here if r.subject == GPU and r.high > 0 and not r.word]
        cpu = max((r.high for r, _ in here if r.subject == CPU), default=0.0)
        for r, w in here:
            if floor and r in floor and above:
                continue
            if r.subject == GPU:
                r = replace(r, cpu_beside=cpu)
                if floor and r.high > 0 and not r.word:
                    r = replace(r, low=0.0, burst=True)
            kept.append((r, w, at))
    return kept


# The CPU side saturated in words or at 100% ("one CPU core is maxed out", "CPU pegged", "the CPU is at 100%", "CPU跑满"), read
# as a CPU reading of 100 (moved from explain/statements.py's gpu_waits_on_cpu, session 31).
_CPU_SATURATED = re.compile(
    r"\b(?:(?:one|1|a\s+single|single)\s+(?:of\s+(?:my|the|our)\s+)?(?:cpu\s+)?(?:cores?|threads?)|cpu(?:\s+(?:core|usage|load|utili[sz]ation))?)\b"
    r"(?:\s*\([^)]{0,40}\))?[^.;!?\n%]{0,30}?\b(?:maxed(?:\s+out)?|max(?:es|ing)?\s+out|pegged|saturated|fully\s+(?:loaded|used|utili[sz]ed|busy)|at\s+full\s+(?:load|capacity|usage)|full\s+load)"
    r"|CPU\s*(?:的)?\s*(?:使用率|占用率?|利用率)?\s*(?:跑满|满了|拉满|满载)",
    re.I)


def _cpu_saturated(text: str, low: str) -> list[re.Match[str]]:
    if "cpu" not in low and "core" not in low and "thread" not in low:
        return []
    return [m for m in _CPU_SATURATED.finditer(text) if grammar.said(text, m.start(), m.end()) and not grammar.quoted_from(text, m.start())
            and not _NOT_THIS_RUN.search(text, grammar.sentence_at(text, m.start(), m.end())[0], m.end())]


# The GPU said idle most of the time in words, without a number (above), or partly busy ("GPU usage is low", "the GPU is only
# partly used", moved from explain/statements.py's gpu_waits_on_cpu, session 31).
_PART_WORDS = re.compile(
    r"\bGPU[- ]?(?:util\w*|usage|load|use|activity)\b[^.;!?\n]{0,20}?\b(?:low|minimal|barely|hardly|not\s+(?:fully|much))\b"
    r"|\bGPUs?\s+(?:is\s+|are\s+|was\s+|were\s+)?(?:being\s+)?(?:(?:only|just)\s+)?(?:barely|hardly|partly|partially|lightly|not\s+fully|under-?)\s*(?:used|utili[sz]ed|loaded|busy)\b",
    re.I)


# accwords (session 33): the same in Chinese, the GPU's use called low without a number ("GPU利用率很低", "显卡利用率太低",
# "GPU占用低", "使用GPU训练的时候 利用率太低"): the GPU (or the card) named, its utilisation noun, a degree word and 低.
_LOW_WORDS_ZH = re.compile(r"(?:GPU|gpu|显卡|Gpu)[^，。,；;！？!?]{0,12}?(?:利用率|使用率|占用率|占用)\s*(?:一直|始终|都|也|还是|非常|很|太|特别|极|极其|比较|较|偏|超级|好)*\s*低")


_SPIKES = re.compile(
    r"\b(?:only\s+)?(?:intermittent|occasional|sporadic|periodic|short|brief)\s+(?:GPU[- ]?(?:util\w*|usage|load|activity)\s+)?(?:spikes|bursts)\b"
    r"(?:\s+(?:of|in)\s+(?:the\s+)?GPU[- ]?(?:util\w*|usage|load|activity)?)?", re.I)


def _spikes_said(text: str) -> re.Match[str] | None:
    """The GPU's use said to come in spikes without a number, asserted and of this run (the GPU named in the sentence)."""
    for m in _SPIKES.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if "gpu" not in text[left:right].lower() or grammar.in_code(text, m.start()) or grammar.quoted_from(text, m.start()):
            continue
        if grammar.said(text, m.start(), m.end()) and not _NOT_THIS_RUN.search(text, left, m.start()):
            return m
    return None


def _low_words(text: str, low: str) -> re.Match[str] | None:
    if "低" in text and (found_zh := _LOW_WORDS_ZH.search(text)) is not None and not grammar.quoted_from(text, found_zh.start()) \
            and grammar.said(text, found_zh.start(), found_zh.end()) and not text.rstrip().endswith(("?", "？", "吗")):
        return found_zh
    for rx, gate in ((_LOW_WORDS, ("barely", "hardly", "scarcely")), (_PART_WORDS, ("low", "minimal", "barely", "hardly", "not ", "partly", "partially", "lightly", "under"))):
        if not any(g in low for g in gate):
            continue
        for found in rx.finditer(text):
            left, _right = grammar.sentence_at(text, found.start(), found.end())
            if grammar.in_code(text, found.start()) or grammar.quoted_from(text, found.start()):
                continue
            if grammar.said(text, found.start(), found.end()) and not _NOT_THIS_RUN.search(text, left, found.start()):
                return found
    return None


def _memory_said(text: str) -> list[tuple[Reading, str]]:
    """The GPU memory the writer says the run holds: full in words (as a share of 100), or a figure of used over total."""
    out: list[tuple[Reading, str]] = []
    if (fig := _MEMORY_FIGURE.search(text)) is not None and grammar.said(text, fig.start(), fig.end(), quotes=False):
        used = _mem_mib(fig.group("used"), fig.group("u1") or fig.group("u2"))
        total = _mem_mib(fig.group("total"), fig.group("u2"))
        if total > 0 and used <= total:
            out.append((Reading(GPU_MEMORY, used, used, total=total), fig.group(0)))
    elif (full := _MEMORY_HELD.search(text)) is not None and grammar.said(text, full.start(), full.end(), quotes=False) \
            and not _denied(text, full):
        out.append((Reading(GPU_MEMORY, 100.0, 100.0, total=100.0), full.group(0)))
    return out


def _denied(text: str, m: re.Match[str]) -> bool:
    """Whether the memory words ``m`` are negated right before them ("not using all the memory", "no memory taken"):
    grammar's decision, two words between (the phrase the words open)."""
    left = grammar.sentence_at(text, m.start(), m.end())[0]
    return grammar.negated_before(grammar.clause_before(text[left:m.start()]), reach=2)


def _figure_reading(text: str, m: re.Match[str], carried: dict[int, str]) -> tuple[Reading, str, str, int] | None:
    """One share of ``text`` (the figure ``m``) as a reading of this run with its words, its subject's word and the start of
    its sentence, or None (no subject, another measure, not said of now). ``carried``: the subject word each sentence (by its
    start) gave its last number."""
    at, stop_n = (m.start("y"), m.end("y")) if m.group("y") is not None else (m.start(), m.end())
    if grammar.in_code(text, at, stop_n) or _AFTER_OTHER.match(text, stop_n):
        return None
    if m.group("z") is not None or m.group("y") is not None:
        low_v = high_v = 0.0
    else:
        low_s, high_s = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d")) if m.group("c") else (m.group("e"), m.group("e"))
        low_v, high_v = _share(low_s), _share(high_s)
    if high_v == 0 and _ZERO_BEFORE_WORK.match(text, stop_n):
        return None  # a zero before the work starts ("0% before the data loader starts") is no idling
    if low_v > high_v:
        low_v, high_v = high_v, low_v
    left, right = grammar.sentence_at(text, at, stop_n)
    found = _subject_of(text, left, at, stop_n, right)
    if found is None:
        word = carried.get(left) or _gpu_named_for_use(text, left, at)
        nearest = next(reversed(list(_SUBJECT.finditer(text, left, at))), None)
        if word is None or _kind(word) != "gpu" or (nearest is not None and not nearest.group("gpu")):
            return None  # (nor across the CPU named in between: "70% of GPU and a little of CPU (about 15%)")
        # A number with no subject of its own in a sentence whose earlier number was the GPU's: the same subject carried over
        # a contrast ("the GPU is at 80% when training but only 2-3% at inference", "utilization ... on linux, and 2% on windows");
        # or a use's share in a sentence about the GPU ("the GPU memory is used up, but the utilization stays around 2%").
        kind, s_start, s_end = "gpu", at, at
    else:
        kind, word, s_start, s_end = found
    carried[left] = word
    between = text[s_end:at] if s_end <= at else text[stop_n:s_start]
    if _OTHER_MEASURE.search(between) or re.search(r"\d\s*(?:MiB|MB|GB|GiB|G|M)\b", between):
        return None
    if _MEMORY.search(between) or re.match(r"\s*(?:memory|mem\b|vram|ram\b|显存|内存)", text[s_end:s_end + 12], re.I):
        return None  # a share of memory: not a share of work (memory in MiB is read from the monitors)
    if kind == GPU and high_v > 100:
        return None
    if not grammar.said(text, at, stop_n) or _NOT_THIS_RUN.search(text, left, stop_n):
        return None
    monitor = SAID
    if kind == GPU and _TASK_MANAGER.search(text, left, right):
        if _ENGINE.search(text, left, right) and re.search(r"\bcuda\b|compute", text[left:right], re.I):
            return None  # the CUDA engine's graph named beside Task Manager's share: two engines, not one reading
        monitor = TASK_MANAGER
    burst = False
    if kind == GPU:
        spike = _BURST_BEFORE.search(text, max(left, at - 60), at) is not None
        # The writer's words that the share comes and goes (_NOW_AND_THEN): the top of a burst, or a zero held only part of
        # the time, or a range from zero said to jump or fluctuate; a spike said to drop back after it.
        burst = (_BURST_WORDS.search(text, max(left, at - 60), at) is not None
                 or ((high_v == 0 or (low_v == 0 and high_v > low_v)) and _PART_TIME.search(text, left, right) is not None)
                 or (spike and _BURST_AFTER.match(text, stop_n, right) is not None))
        if not burst and low_v == high_v > 0 and _FLUCTUATES_AFTER.match(text, stop_n) is not None:
            burst = True  # accwords (session 33): a share said to fluctuate after it ("14%, and it fluctuates", "14%，而且还是周期波动的")
        if low_v == high_v and (spike or (burst and high_v > 0)):
            low_v = 0.0  # the top of a burst: a range from zero
    start = min(s_start, at)
    stop = max(s_end, stop_n)
    at_work = _AT_WORK.search(text, left, right) is not None
    return (Reading(GPU if kind == "gpu" else CPU, low_v, high_v, monitor=monitor, at_work=at_work, burst=burst,
                    input_named=INPUT_SIDE.search(text, left, right) is not None),
            text[start:stop], word, left)


# --- accounter (session 23): the GPU's share of use given as a small number (moved from explain/statements.py, session 31) ---
# A GPU that shows a few per cent of utilisation while the job runs is in use and idle most of the time (nvidia-smi's
# GPU-Util is "percent of time over the past sample period during which one or more kernels was executing on the GPU",
# https://docs.nvidia.com/deploy/nvidia-smi/index.html): causes.md's GPU_UNDERUSED. A framework with no GPU shows no
# kernels at all (0%), so only a share above zero and at most low_share per cent is read here;
# a number above it ("around 60%") is not called low by itself.
_SHARE = r"(?:(?:about|around|approximately|approx\.?|roughly|only|just|barely|below|under|less\s+than|max(?:imum)?|at\s+most|~)\s*)*(?P<share>\d{1,2}(?:\.\d+)?)\s*%"
_LOW_SHARE_EN = (
    # "the GPU usage is always around 2%", "GPU utilization stays at about 5%", "GPU load only 3%".
    rf"\bGPU[- ]?(?:util(?:i[sz]ation)?|usage|load|use|activity)\w*\s+(?:(?:is|was|are|were|stays?|stayed|remains?|remained|sits?|sat|hovers?|hovered|goes|went|keeps?|being)\s+)?"
    rf"(?:(?:always|still|only|just|mostly|constantly|consistently|usually|generally|barely|never\s+above|at|of|on|to|up\s+to|around|about|below|under|at\s+most)\s+)*{_SHARE}",
    # "it uses about 5% of the GPU", "only utilizing 3% of my GPUs" (not of its memory).
    rf"\b(?:uses?|using|used|utili[sz](?:es|ing|ed|e))\s+(?:only\s+|just\s+|barely\s+)?{_SHARE}\s+(?:of\s+)(?:the\s+|my\s+|its\s+|each\s+|our\s+)?GPUs?\b(?![-_ ]?(?:memory|mem\b|vram|ram))",
    # "the GPU is (only) at 3%", "GPU sits at around 4 %".
    rf"\bGPUs?\s+(?:(?:is|was|are|were|stays?|stayed|sits?|sat|remains?|remained|hovers?|hovered|runs?|ran)\s+)(?:(?:only|just|mostly|always|still|constantly|barely)\s+)*(?:at|around|about)\s+{_SHARE}(?!\s*(?:memory|mem\b|vram|of\s+(?:its\s+)?memory))",
)
_LOW_SHARE_RX = tuple(re.compile(rx, re.I) for rx in _LOW_SHARE_EN)
# zh: "GPU使用率一直在2%左右", "显卡利用率只有5%"; es: "el uso de la GPU está en 3%", "la GPU solo se usa al 5%".
_LOW_SHARE_ZH = re.compile(r"(?:GPU|gpu|显卡)\s*(?:的)?\s*(?:利用率|使用率|占用率?)[^，。,；;]{0,10}?(?P<share>\d{1,2}(?:\.\d+)?)\s*%")
_LOW_SHARE_ES = re.compile(r"\b(?:uso|utilizaci[óo]n|carga)\s+de\s+(?:la\s+)?GPU\s+(?:(?:es|está|esta|se\s+queda|sigue|queda|siempre)\s+)*(?:(?:en|al|del|de|un|solo|sólo|apenas|alrededor\s+del?|cerca\s+del?)\s+)*(?P<share>\d{1,2}(?:[.,]\d+)?)\s*%"
                           r"|\bGPU\s+(?:solo\s+|sólo\s+|apenas\s+)?(?:se\s+)?(?:usa|utiliza)\s+(?:(?:solo|sólo|apenas|al|el|un)\s+)*(?P<share2>\d{1,2}(?:[.,]\d+)?)\s*%", re.I)


# Windows' Task Manager graphs the CUDA engine apart from the 3D engine that its headline "GPU" share follows
# (https://devblogs.microsoft.com/directx/gpus-in-the-task-manager/): a line that gives the CUDA engine's share beside a
# low "GPU" share ("CUDA使用率100% GPU使用率2%") reads the 3D engine, not the CUDA work.
_CUDA_ENGINE_SHARE = re.compile(r"\bcuda\s*(?:engine\s*)?(?:使用率|利用率|usage|utili[sz]ation|load)?\s*[:=]?\s*\d{2,3}\s*%", re.I)


# Session 24: the share given as a range from zero ("GPU utilization is between 0 and 20%", "GPU-Util 0-15%", "goes from 0
# to 10%"): the whole range low, its top at most LOW_SHARE.
_LOW_RANGE = re.compile(
    r"\bGPU[- ]?(?:util(?:i[sz]ation)?|usage|load|use|activity)\w*\b[^.;!?\n]{0,30}?"
    r"(?:between\s+0\s*%?\s+and\s+|from\s+0\s*%?\s+to\s+|(?<![\d.])0\s*%?\s*(?:-|~|–|to)\s*)(?P<share>\d{1,2}(?:\.\d+)?)\s*%",
    re.I)


def _low_share(text: str) -> re.Match[str] | None:
    """The GPU's utilisation given as a share above zero and at most low_share per cent, asserted (accounter). Where the
    number was read is the caller's question: on Windows a share with no CUDA monitor named is the Task Manager's 3D engine."""
    if "%" not in text or _TASK_MANAGER.search(text) or _CUDA_ENGINE_SHARE.search(text):
        return None
    for rx in (*_LOW_SHARE_RX, _LOW_RANGE, _LOW_SHARE_ZH, _LOW_SHARE_ES):
        for m in rx.finditer(text):
            share = float((m.groupdict().get("share") or m.groupdict().get("share2") or "0").replace(",", "."))
            # Said of now (not asked, supposed, advised, over or quoted); a comparison in the sentence ("so it is only
            # marginally faster than CPU") is the share's consequence, not another device's number.
            if 0 < share <= thresholds()["low_share"] and grammar.said(text, m.start(), m.end()) and not grammar.quoted(text, m.start()) \
                    and not _NOT_THIS_RUN.search(text, grammar.sentence_at(text, m.start(), m.end())[0], m.end()):
                return m
    return None


# --- the monitors' own output ------------------------------------------------------------------------------------------
# nvidia-smi's table row of one GPU: "| 31%   58C    P2    70W / 250W |   9584MiB / 11170MiB |      0%      Default |".
_SMI_ROW = re.compile(r"\|\s*(\d+)\s*MiB\s*/\s*(\d+)\s*MiB\s*\|\s*(\d{1,3})\s*%")
# Its process rows: "|    0      8351      C   /usr/bin/python3.6     35MiB |" (type C compute, G graphics, C+G both).
_SMI_PROCESS = re.compile(r"^\s*\|\s+\d+\s+(?:N/A\s+N/A\s+)?\d+\s+(C|G|C\+G|M|M\+C)\s+\S.*?\s(?:\d+\s*MiB|N/A)\s*\|\s*$")
_SMI_NO_PROCESS = re.compile(r"^\s*\|\s+No running processes found\s+\|\s*$")
# gpustat: "[0] Tesla V100-SXM2-16GB | 44'C,   0 % | 15836 / 16130 MB | user(15830M)".
_GPUSTAT = re.compile(r"^\s*\[\d+\]\s[^|]*\|\s*\d+\s*['°]?\s*C,\s*(\d{1,3})\s*%\s*(?:,[^|]*)?\|\s*(\d+)\s*/\s*(\d+)\s*MB\s*\|")
# nvtop's meters: "GPU[|||||        12%]", "MEM[||||   5.1Gi/24.0Gi]"; nvitop's "UTL: ||| 12 %".
_NVTOP_GPU = re.compile(r"\bGPU\s*\[[|\s]*(\d{1,3})%\]")
_NVTOP_MEM = re.compile(r"\bMEM\s*\[[|\s]*([\d.]+)(Gi|Mi)/([\d.]+)(Gi|Mi)\]")
_NVITOP_UTL = re.compile(r"\bUTL:\s*[|▏▎▍▌▋▊▉█\s]*(\d{1,3})\s*%")
# top's summary: "%Cpu(s): 95.0 us,  3.0 sy, ..."; htop's per-core meter: "  1  [||||||||||||||100.0%]".
_TOP_CPU = re.compile(r"^\s*%?Cpu\(s\)\s*:\s*([\d.]+)\s*(?:%\s*)?us\s*,\s*([\d.]+)\s*(?:%\s*)?sy")
_HTOP_CORE = re.compile(r"^\s*\d{1,3}\s*\[[|\s]*([\d.]+)%\]")
# nvidia-smi --query-gpu ... --format=csv: a header naming the columns, then rows of values.
_CSV_HEADER = re.compile(r"(?:^|,\s*)utilization\.gpu\b", re.I)


def _mib(value: str, unit: str) -> float:
    return float(value) * (1024.0 if unit.lower().startswith("g") else 1.0)


def tool(line: str, csv_columns: list[str] | None) -> list[tuple[Reading, str]]:
    """The readings a monitor's output line ``line`` gives (``csv_columns``: the last query CSV header's columns, or None)."""
    out: list[tuple[Reading, str]] = []
    if "MiB" in line:
        if (row := _SMI_ROW.search(line)) is not None:
            used, total, util = float(row.group(1)), float(row.group(2)), float(row.group(3))
            out.append((Reading(GPU_MEMORY, used, used, monitor="nvidia-smi", total=total), row.group(0)))
            out.append((Reading(GPU, util, util, monitor="nvidia-smi"), row.group(0)))
        elif (proc := _SMI_PROCESS.match(line)) is not None and "C" in proc.group(1):
            out.append((Reading(GPU_PROCESS, 1.0, 1.0, monitor="nvidia-smi"), line.strip()))
    if "No running processes" in line and _SMI_NO_PROCESS.match(line):
        out.append((Reading(GPU_PROCESS, 0.0, 0.0, monitor="nvidia-smi"), line.strip()))
    if " MB |" in line and (stat := _GPUSTAT.match(line)) is not None:
        used, total = float(stat.group(2)), float(stat.group(3))
        out.append((Reading(GPU, float(stat.group(1)), float(stat.group(1)), monitor="nvml-monitor"), stat.group(0)))
        out.append((Reading(GPU_MEMORY, used, used, monitor="nvml-monitor", total=total), stat.group(0)))
    if "%]" in line or "i]" in line:
        if "GPU" in line and (g := _NVTOP_GPU.search(line)) is not None:
            out.append((Reading(GPU, float(g.group(1)), float(g.group(1)), monitor="nvml-monitor"), g.group(0)))
        if "MEM" in line and (mem := _NVTOP_MEM.search(line)) is not None:
            used, total = _mib(mem.group(1), mem.group(2)), _mib(mem.group(3), mem.group(4))
            out.append((Reading(GPU_MEMORY, used, used, monitor="nvml-monitor", total=total), mem.group(0)))
        if (core := _HTOP_CORE.match(line)) is not None:
            out.append((Reading(CPU, float(core.group(1)), float(core.group(1)), monitor="top"), core.group(0)))
    if "UTL" in line and (u := _NVITOP_UTL.search(line)) is not None:
        out.append((Reading(GPU, float(u.group(1)), float(u.group(1)), monitor="nvml-monitor"), u.group(0)))
    if "Cpu(s)" in line and (top := _TOP_CPU.match(line)) is not None:
        busy = float(top.group(1)) + float(top.group(2))
        out.append((Reading(CPU, busy, busy, monitor="top"), top.group(0)))
    if csv_columns and "," in line:
        values = [v.strip() for v in line.split(",")]
        if len(values) == len(csv_columns):
            out.extend(_csv_readings(csv_columns, values, line))
    return out


def csv_header(line: str) -> list[str] | None:
    """The columns of nvidia-smi's query CSV header ("utilization.gpu [%], memory.used [MiB], ..."), or None."""
    if "utilization.gpu" not in line.lower() or not _CSV_HEADER.search(line):
        return None
    return [c.strip().lower().split(" ")[0] for c in line.split(",")]


def _csv_readings(columns: list[str], values: list[str], line: str) -> list[tuple[Reading, str]]:
    out: list[tuple[Reading, str]] = []
    row = dict(zip(columns, values, strict=True))
    util = re.match(r"(\d{1,3})\s*%?$", row.get("utilization.gpu", ""))
    if util is None:
        return out
    out.append((Reading(GPU, float(util.group(1)), float(util.group(1)), monitor="nvidia-smi"), line.strip()))
    used = re.match(r"(\d+)\s*MiB$", row.get("memory.used", ""), re.I)
    total = re.match(r"(\d+)\s*MiB$", row.get("memory.total", ""), re.I)
    if used is not None:
        out.append((Reading(GPU_MEMORY, float(used.group(1)), float(used.group(1)), monitor="nvidia-smi",
                            total=float(total.group(1)) if total else 0.0), line.strip()))
    return out
