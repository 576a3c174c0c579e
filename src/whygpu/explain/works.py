"""The log's own word that the GPU works (accfirst, session 22): counter-evidence to every "the GPU went unused" reading.

A reporter who suspects that the GPU is not used often says in the same text what shows that it is: "its using
all my VRAM", "`torch.cuda.is_available()` yields True", "training works on gpu fine", "I can see the GPU being
used", "PyTorch recognizes the card". A statement like that is a fact about the run that a "no GPU" reading must
answer to: the machine, its driver, the framework's build and the CUDA libraries were all there for the GPU to be
used (a framework that reached the GPU holds a CUDA context in its memory,
https://docs.nvidia.com/cuda/cuda-c-programming-guide/#context; ``torch.cuda.is_available()`` is True only when a
CUDA build found a usable device, https://pytorch.org/docs/stable/generated/torch.cuda.is_available.html), so at
most the program's placement of the work, or the GPU's idling, is left.

Read by grammar, not by phrase: a subject that is the GPU, its memory, the framework or the work; a positive
predicate of use, sight or success; not negated in its clause; asserted of now (``explain.grammar.said``: not a
question, a condition, advice, hearsay or quoted); and not of a state that changed ("it works now after the
reinstall" is a remedy, ``explain.remedies``'s matter; "it worked on GPU a week ago" is over). A statement placed on
another machine or program ("works on my other PC", "works in Blender", "on Colab") says nothing of this run and is
not counted.

Also here: ``suspected``, whether a reporter's "the GPU is unused" is only their suspicion ("I don't think the models
are using my gpu", "it doesn't seem to find the GPU"), and ``partial``, whether a "using CPU instead" is said of one
part of the work (a tensor, a layer, an operator) placed on the CPU rather than of the work.
"""

from __future__ import annotations

from itertools import pairwise

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.launchers import EnvContextRow, env_context_named

__all__ = ["CUE_WORDS", "answer_differs", "code_keeps_cpu", "cpu_sections", "device_said_cpu", "either_device", "gpu_works", "in_literal", "launch_env_differs", "names_available_call", "of_other_framework", "one_core", "partial", "program_of", "same_either_device", "same_program", "suspected"]

# A line can hold a statement only if it holds one of these (lower case).
CUE_WORDS = ("gpu", "vram", "cuda", "is_ava", "显卡", "显存", "видеокарт", "card")

_GPU = r"(?<![+/\w-])(?:(?:nvidia|cuda|dedicated|discrete)\s+)?(?:gpus?|graphics\s+card|video\s+card|card|cuda(?:\s+device)?)"
_DET = r"(?:(?:the|my|our|this|that|its|an?|his|her)\s+)?"
_FINE = r"(?:fine|well|ok|okay|perfectly(?:\s+fine)?|correctly|properly|normally|great|as\s+(?:it\s+should|expected)|without\s+(?:any\s+)?(?:issues?|problems?))"
_FRAMEWORK = r"(?:torch|pytorch|tensorflow|tf|keras|jax|onnxruntime|paddle\w*|mxnet|the\s+(?:framework|program|script|model|app|code)|it)"
# The memory of the GPU in use by the run: a CUDA context and the model's tensors live there.
_VRAM = r"(?:vram|gpu(?:['’]s)?\s+memory|cuda\s+memory)(?!\s*(?:allocat\w*|fraction|growth|limit|settings?|env\w*|variables?|options?|flags?))"

# The framework's query of the GPU, as reporters write it: ``torch.cuda.is_available()``, ``tf.test.is_gpu_available()``,
# and their common misspellings ("cuda.avilable", "is_avaliable", "is_availabel").
_AVAILABLE_CALL = r"(?:\bis_(?:gpu_)?|\bcuda\.)av[a-z]{0,3}l[a-z]{0,3}b(?:le|el|l)(?![a-z])"
_AVAILABLE_RX = re.compile(_AVAILABLE_CALL, re.I)


def names_available_call(words: str) -> bool:
    """Whether ``words`` name the framework's query of the GPU (``is_available()``, ``is_gpu_available()``, misspelt or not)."""
    return _AVAILABLE_RX.search(words) is not None


_WORKS_EN = re.compile(
    # A framework's answer written in prose: "`torch.cuda.is_available()` yields True", "is_available() returns True".
    # accounter: the answer in its own clause after the call ("When I run `is_available()` it shows `true`", "I did the
    # basic torch.cuda.is_available(), and it said True").
    rf"(?P<answer>{_AVAILABLE_CALL}(?:\(\))?[`'\"*)\s]{{0,4}}(?:,?\s*(?:and\s+)?(?:it|this|that|which|i\s+get|i\s+got|we\s+get))?(?:\s+(?:also|still|always|correctly|even))?\s+(?:returns?|returned|yields?|yielded|gives?|gave|is|was|shows?|showed|prints?|printed|outputs?|says?|said|evaluates\s+to)\s+(?:(?:already|also|still|always|definitely|indeed)\s+)?[`'\"*]*True\b)"
    # The GPU said to work or be used: "the gpu works fine inside the container", "the GPU is being used".
    rf"|(?P<gpu>\b{_DET}{_GPU}\s+(?:(?:itself|also|still|clearly|definitely|certainly|does)\s+)?(?:works?|is\s+working|(?:is|are)\s+(?:being\s+)?(?:used|utili[sz]ed|in\s+use|busy))\b(?:\s+{_FINE})?)"
    # accounter: the GPU found by the run ("the GPU is detected and available", "CUDA is available", "my GPU is recognised").
    rf"|(?P<detected>\b{_DET}{_GPU}\s+(?:(?:itself|also|still|clearly|definitely|certainly)\s+)?(?:is|are|gets|got)\s+(?:(?:correctly|properly|successfully|also)\s+)?(?:detected|recogni[sz]ed|available|visible|found|listed)\b(?:\s+and\s+(?:detected|recogni[sz]ed|available|visible|usable))?)"
    # accounter: the model or its tensors placed on the GPU ("the model gets correctly loaded on GPU", "weights are loaded into VRAM").
    rf"|(?P<loaded>\b(?:the\s+|my\s+|our\s+)?(?:model|weights|tensors?|network|net|embeddings?)\s+(?:(?:is|are|was|were|gets|got|has\s+been|have\s+been)\s+)(?:(?:correctly|properly|successfully|fully|also)\s+)?(?:loaded|moved|placed|put|allocated)\s+(?:on|onto|to|into|in)\s+{_DET}(?:gpus?|cuda(?::\d)?|vram|gpu\s+memory)\b)"
    # The work said to run well on the GPU: "Training works on gpu fine", "it trains fine on the GPU".
    rf"|(?P<work>\b(?:training|inference|it|everything|this|the\s+(?:model|training|script|code|program|rest|app))\s+(?:(?:also|still)\s+)?(?:works?|runs?|trains?|is\s+(?:working|running|training))\s+(?:{_FINE}\s+)?(?:on|with|using)\s+{_DET}(?:gpus?|cuda)\b(?:\s+{_FINE})?"
    rf"|\b(?:works?|runs?|trains?)\s+{_FINE}\s+(?:on|with|using)\s+{_DET}(?:gpus?|cuda)\b)"
    # The GPU's memory in use: "its using all my VRAM", "they only use the VRAM", "VRAM is full".
    rf"|(?P<vram>\b(?:using|uses|use|filling|fills|occupying|occupies|taking|takes|allocating|allocates|consuming|consumes|eating|eats)\s+(?:up\s+)?(?:all\s+(?:of\s+)?|most\s+(?:of\s+)?|nearly\s+all\s+(?:of\s+)?|\d+(?:\.\d+)?\s*(?:gb|gib|mb|mib|%)\s+(?:of\s+)?)?{_DET}{_VRAM}\b"
    rf"|\b{_DET}{_VRAM}\s+(?:usage\s+)?(?:is|gets|goes|stays)\s+(?:(?:completely|fully|almost|nearly)\s+)?(?:used|full|filled|occupied|allocated|maxed(?:\s+out)?)\b)"
    # The GPU seen at work: "I can see that the GPU being used", "nvidia-smi shows the GPU at 80%".
    rf"|(?P<seen>\b(?:see|saw|can\s+see|shows?|showed)\s+(?:that\s+)?{_DET}{_GPU}\s+(?:is\s+|being\s+)+(?:used|utili[sz]ed|busy))"
    # The framework or program finding the GPU: "PyTorch recognize card", "tensorflow detects my GPU".
    rf"|(?P<found>\b{_FRAMEWORK}\s+(?:(?:also|still|correctly|does)\s+)?(?:detect(?:s|ed)?|recogni[sz]e[sd]?|sees|finds|lists)\s+{_DET}(?:[\w-]+\s+)?{_GPU}\b)",
    re.I,
)
# The same in the other languages reporters write (each with its own negation, checked before the words).
_WORKS_INTL = re.compile(
    # accwhere (session 25): the framework's answer True written in another language or without a verb of English
    # ("cuda.is_available()已经为true", "is_available()返回True", "is_available() devuelve True", "gibt True zurück",
    # "возвращает True"); the call spelt as reporters mistype it ("cuda.avilable", "is_avaliable"). Only the listed
    # copulas and verbs may stand between the call and True: a negation (不是, no, nicht, не) is none of them.
    rf"(?P<answer_intl>{_AVAILABLE_CALL}(?:\(\))?[`'\"*)\s]{{0,4}}"
    r"(?:(?:已经|也|都|一直|始终|总是|的结果|结果|返回值|输出|的输出|显示|打印|返回|得到|是|为|了|\s)+"
    r"|(?:devuelve|retorna|regresa|da|dá|muestra|imprime|mostra|gibt|liefert|zeigt|ist|renvoie|retourne|donne|affiche|est|возвращает|выдает|выдаёт|показывает|даёт|дает)\s+)"
    r"[`'\"*]*True(?![a-z])(?:\s+zurück)?)"
    # zh: "显存占满了", "显存被占用了", "GPU可以正常使用", "能识别到GPU", "在GPU上训练正常".
    r"|(?P<zh>显存\s*(?:被)?(?:占满|用满|吃满|占用了|已经占用|满了)|(?:GPU|显卡)\s*(?:是)?(?:可以|能)\s*(?:正常)?\s*(?:使用|工作|用|识别)|(?:可以|能)\s*(?:正常)?\s*(?:识别|检测|找)到\s*(?:GPU|显卡)|(?:在\s*)?GPU\s*上\s*(?:训练|运行|跑)\s*(?:得)?(?:正常|没问题|很好))"
    # es/pt: "la GPU funciona", "detecta la GPU", "a GPU é detectada", "usa toda la VRAM".
    r"|(?P<es>\b(?:la|a|mi|minha)\s+GPU\s+(?:funciona|se\s+detecta|es\s+detectada|é\s+detectada|está\s+siendo\s+(?:usada|utilizada)|está\s+sendo\s+(?:usada|utilizada))\b|\b(?:detecta|reconoce|reconhece|usa|utiliza)\s+(?:la|a|mi|minha)\s+GPU\b|\b(?:usa|utiliza)\s+toda\s+(?:la|a)\s+VRAM\b)"
    # ru: "GPU работает", "видит GPU", "использует всю видеопамять".
    r"|(?P<ru>\bGPU\s+(?:работает|используется|определяется|видна|виден)\b|\b(?:видит|использует|находит)\s+(?:мою\s+)?(?:GPU|видеокарту)\b|\bиспользует\s+всю\s+видеопамять)"
    # de/fr: "die GPU funktioniert", "die GPU wird erkannt", "le GPU fonctionne", "le GPU est détecté".
    r"|(?P<de>\b(?:die\s+)?GPU\s+(?:funktioniert|wird\s+(?:erkannt|verwendet|genutzt|benutzt))\b|\b(?:le|la)\s+GPU\s+(?:fonctionne|est\s+(?:bien\s+)?(?:détectée?|utilisée?|reconnue?))\b)"
    # ja: "GPUは認識されています", "GPUが使われている".
    r"|(?P<ja>GPU\s*(?:は|が)\s*(?:正しく\s*)?(?:認識されて(?:いる|います)|使われて(?:いる|います)|使用されて(?:いる|います)|動いて(?:いる|います)))",
    re.I,
)
# A contrast that takes the statement back in its sentence ("the GPU works in TensorFlow but not in PyTorch").
_BUT_NOT = re.compile(r"\b(?:but|except|however|though|although|whereas|yet)\b[^.;!?\n]{0,40}?(?:\bnot\b|n['’]?t\b|\bnever\b|\bno\b|\b(?:fail\w*|errors?|throws?|threw|crash\w*|raises?|raised|hangs?|freez\w*|segfault\w*)\b)", re.I)
# A change in the sentence: the statement is a remedy's outcome or a state that changed, not the run reported.
_CHANGED = re.compile(r"\b(?:now|again|after(?:wards)?|fixed|solved|resolved|finally|once|since|managed|got\s+it|used\s+to|ago|yesterday|before|previously|earlier|until|last\s+(?:week|month|year|time)|at\s+(?:this|that|the|first)\s+time|at\s+first)\b"
                      r"|现在|终于|解决|之前|以前|ahora|agora|jetzt|maintenant|теперь|раньше", re.I)
# A subordinate clause holding the words: the scene of another statement ("when I run debug the GPU works", "while
# the GPU is used ...", "if the GPU works"); the words of the sentence's own finding come without one.
_SUBORDINATE = re.compile(r"\b(?:when|whenever|while|if|unless|once|until|whether)\b|如果|当", re.I)
# A string literal that code prints or logs, open before the words: the program's text, not the writer's statement.
_IN_LITERAL = re.compile(r"\b(?:print|printf|echo|puts|log(?:ger)?(?:\.\w+)?|logging\.\w+|warn(?:ings\.warn)?|info|debug|error|write|raise\s+\w+)\s*\(\s*[fr]?['\"][^'\"]*$", re.I)
# A time clause that only runs the check whose answer follows ("When I run `torch.cuda.is_available()` it shows true").
_RAN_CHECK = re.compile(r"\s*(?:i|we|you)?\s*(?:run|ran|call|called|type|typed|execute|executed|check|checked|test|tested|print|printed|do|did|try|tried)\s+[`'\"*]*[\w.]*$", re.I)
# A printed label's value after the words ("PyTorch detects CUDA available:  False").
_FALSE_AFTER = re.compile(r"[^.;!?\n]{0,30}?(?:[:=]\s*[`'\"*]*(?:False|None|0|\[\])\b|\bFalse\b)")
# The driver's or the OS's monitor ("nvidia-smi ... detects my gpu"): it finds the GPU for the machine, not the framework.
_MONITOR = re.compile(r"nvidia-smi|nvtop|gpustat|task\s*manager|device\s+manager|lspci", re.I)
# Another machine, program or place named in the sentence: the statement is of that one, not of this run.
_ELSEWHERE = re.compile(
    r"\b(?:other|another|different|second|separate|old|older|previous|friend['’]?s|colleague['’]?s)\s+(?:\w+\s+)?(?:machines?|computers?|pcs?|laptops?|servers?|nodes?|box(?:es)?|systems?|envs?|environments?|projects?|programs?|apps?|applications?|repos?|versions?|installs?|installations?|tools?|games?|containers?|images?)\b"
    r"|\bsame\s+(?:machine|computer|pc|laptop|system|server|box|node)\b|\belsewhere\b", re.I)
# A place or program that is the statement's own ("works fine in Blender", "on Colab the GPU works"): said in the words'
# clause. Named in another clause ("I'm running it on Colab and the GPU is detected") it is where this run is.
_ELSEWHERE_PLACE = re.compile(r"\b(?:colab|kaggle|blender|games?|gaming)\b", re.I)
# A contrast whose negation is of use only ("but not used", "however the package doesn't seem to use it"), no failure.
_ONLY_UNUSED = re.compile(r"(?:(?!\b(?:fail\w*|errors?|throws?|threw|crash\w*|raises?|raised|hangs?|freez\w*|segfault\w*)\b)[^.;!?\n]){0,60}?"
                          r"\b(?:use|uses|used|using|utili[sz]\w*|run\s+on|runs\s+on)\b(?![^.;!?\n]*\b(?:fail\w*|errors?|crash\w*)\b)", re.I)


def in_literal(line: str, words: str) -> bool:
    """Whether ``words`` sit in a string literal that code in ``line`` prints or logs ('print("No GPU available.")'): the
    program's text, which says what it would print, not what happened."""
    at = line.find(words)
    return at >= 0 and _IN_LITERAL.search(line, max(0, at - 120), at) is not None


def _elsewhere_place(text: str, left: int, right: int, start: int, end: int) -> bool:
    """Whether a place or program other than this run (Colab, Kaggle, Blender, games) is named in the clause of the words at ``start``..``end``."""
    clause_start = start - len(grammar.clause_before(text[left:start]))
    after = re.search(r"[,;:，；：]|\s(?:but|and|so|however|although|though|while|whereas)\s", text[end:right])
    clause_end = end + after.start() if after else right
    return _ELSEWHERE_PLACE.search(text, clause_start, clause_end) is not None


def gpu_works(text: str) -> re.Match[str] | None:
    """The words of ``text`` stating that the GPU works, is used or holds the run's memory, asserted of this run now, or None."""
    text = text[:4000]
    if grammar.code_comment(text):
        return None  # code: no one's statement
    # A program's line is no one's statement; a reporter's line that quotes an error after its first sentence ("When I run
    # ... it shows true. ... it returns `RuntimeError: ...`") is read sentence by sentence (accounter).
    mixed = grammar.program_line(text)
    if mixed and grammar.program_line(text[:grammar.sentence_at(text, 0, 0)[1]]):
        return None
    for rx in (_WORKS_EN, _WORKS_INTL):
        for m in rx.finditer(text):
            left, right = grammar.sentence_at(text, m.start(), m.end())
            sentence = text[left:right]
            if mixed and grammar.program_line(sentence):
                continue
            # The predicate is what must be asserted: an answer's verb ("yields True"), not the quoted call before it.
            verb = m.start()
            if m.lastgroup == "answer_intl":
                verb = m.start() + m.group(0).lower().rfind("true")  # the answer itself is what is asserted ("已经为true")
            elif m.group("answer") if "answer" in m.re.groupindex else None:
                verb = m.start() + re.search(r"\s(?:returns?|returned|yields?|yielded|gives?|gave|is|was|shows?|showed|prints?|printed|outputs?|says?|said|evaluates)\b", m.group(0)).start() + 1  # type: ignore[union-attr]
            elif grammar.quoted(text, m.start()) or _IN_LITERAL.search(text, max(0, m.start() - 120), m.start()):
                continue  # quoted, or a string literal of code ('print("GPU is available.")': what code would print)
            if not grammar.said(text, verb, m.end(), quotes=False) or grammar.negated(text, left, m.start(), m.end()):
                continue
            if _CHANGED.search(sentence) or _ELSEWHERE.search(sentence) or _elsewhere_place(text, left, right, m.start(), m.end()):
                continue
            taken_back = _BUT_NOT.search(text, m.end(), right)
            if taken_back and not (m.lastgroup in ("detected", "loaded", "found") and _ONLY_UNUSED.match(text, taken_back.start(), right)):
                # accounter: "the GPU is detected, but not used" / "... however the package doesn't use it": the contrast is
                # about use, the GPU found stands (the use is the unused statement's matter); a failure takes it back.
                continue
            sub = _SUBORDINATE.search(text, left, m.start())
            if sub and m.lastgroup == "answer" and _RAN_CHECK.match(text, sub.end(), m.start()):
                sub = None  # "When I run `is_available()` it shows True": the clause runs the check, the main clause answers
            if sub or _FALSE_AFTER.match(text, m.end(), right):
                continue  # a circumstance ("when I run debug the GPU works"), or a label whose value says no
            if m.lastgroup in ("found", "detected") and _MONITOR.search(sentence):
                continue  # the driver's tool that found the GPU, not the framework: the machine, not the run
            return m
    return None


# The reporter's hedge on their own finding: "I don't think ...", "it doesn't seem to ...", "not sure if".
_SUSPECT = re.compile(
    r"\b(?:(?:do|did)\s*n['’]?o?t\s+think|dont\s+think|seems?|seemed|seemingly|appears?|appeared|looks?\s+like|i\s+think|i\s+guess|i\s+suspect|suspect|not\s+sure|unsure|i\s+feel\s+like|i\s+believe|apparently|probably|maybe|perhaps)\b"
    r"|似乎|好像|感觉|怀疑|не\s+уверен|кажется|parece", re.I)


def suspected(line: str, words: str) -> bool:
    """Whether ``words`` (a reporter's "the GPU is unused") are only their suspicion in ``line``: hedged, or asked."""
    at = line.find(words)
    if at < 0:
        return _SUSPECT.search(words) is not None
    left, right = grammar.sentence_at(line, at, at + len(words))
    if _SUSPECT.search(words) or _SUSPECT.search(grammar.clause_before(line[left:at])):
        return True
    return grammar.asked(line, left, right, at, at + len(words))


def program_said(line: str) -> bool:
    """accwords40 (session 40): whether ``line`` is a program's message, not the writer's sentence: a program's line
    (explain.grammar.program_line: a log record, a warning's class "UserWarning: ...", a traceback) or words a signature of
    the catalogue reads as a program's own message, wherever they stand: an issue title that restates the warning ("No
    GPU/TPU found, falling back to CPU", "UserWarning: CUDA initialization: ..."). Its "GPU unused" is the program's answer
    from its own device test, not the writer's finding about the machine: where the writer says the GPU works for the run,
    the writer's word stands (``LogFacts.counted_unused``; accjax39 made the same decision for JAX's fallback alone)."""
    if grammar.program_line(line):
        return True
    from whygpu.explain.errorwords import read_by_signature

    return read_by_signature(line)


# A part of the work placed on the CPU: llama.cpp's per-tensor "tensor 'token_embd.weight' cannot be used with preferred
# buffer type CUDA_Host, using CPU instead" (src/llama-model.cpp, load_tensors), ONNX Runtime's "Some nodes were not
# assigned to the preferred execution providers", an operator or layer "falling back to CPU": the rest of the work is
# where it was put.
_PART = re.compile(r"^\W*(?:(?:the|a|an|one|some|this|that|these|those|\d+)\s+)?(?:[\w.-]+\s+)?(?:tensors?|layers?|ops?|operators?|operations?|nodes?|kernels?|buffers?|weights?|embeddings?)\b", re.I)


def partial(line: str, words: str) -> bool:
    """Whether ``words`` (a "using CPU instead") are said in ``line`` of one part of the work (a tensor, a layer, an operator), not of the work."""
    at = line.find(words)
    if at < 0:
        return False
    left, _ = grammar.sentence_at(line, at, at + len(words))
    # The sentence's subject, after a program's prefix ("Version 1.78 warning: tensor ...", "W ... ] Some nodes ...").
    subject = re.split(r"[:\]]\s", line[left:at])[-1]
    return _PART.match(subject) is not None


# accutil40 (session 40): the CPU work said to run on one core or thread ("it runs on the CPU, on a single core", "only one CPU
# core is busy"). A framework that computes on the CPU spreads its kernels over a pool of threads, one per core by default
# (TensorFlow's intra-op and inter-op pools, https://www.tensorflow.org/api_docs/python/tf/config/threading; PyTorch's
# intra-op threads, https://pytorch.org/docs/stable/notes/cpu_threading_torchscript_inference.html): one core busy is the
# program's own single-threaded Python step (reading, tokenising, converting examples), not the model placed on the CPU.
_ONE_CORE = re.compile(r"\b(?:on|uses?|using|used|with)\s+(?:only\s+|just\s+)?(?:a\s+|one\s+)?(?:single|one|1)\s+(?:cpu\s+)?(?:core|thread)\b"
                       r"|\b(?:only|just)\s+(?:one|a\s+single|1)\s+(?:cpu\s+)?(?:core|thread)\b", re.I)


def one_core(line: str, words: str) -> bool:
    """Whether ``words`` (the work said to run on the CPU) are said in ``line`` of work on one CPU core or thread (above)."""
    at = line.find(words)
    if at < 0:
        return False
    left, right = grammar.sentence_at(line, at, at + len(words))
    return _ONE_CORE.search(line, left, right) is not None


_NAMED = {"torch": re.compile(r"\b(?:py)?torch\b", re.I), "tensorflow": re.compile(r"\b(?:tensorflow|tf|keras)\b", re.I),
          "jax": re.compile(r"\bjax(?:lib)?\b", re.I)}


def of_other_framework(words: str, framework: str) -> bool:
    """Whether ``words`` (a statement that the GPU works) name a framework other than ``framework`` ("PyTorch sees the GPU" said in a JAX report)."""
    named = [fw for fw, rx in _NAMED.items() if rx.search(words)]
    return bool(named) and framework in _NAMED and framework not in named


# --- A device named in a disjunction ("either I am using CPU or GPU", "whether on GPU or CPU") -----------------------------
# "CPU or GPU" coordinates the two devices: the sentence holds for whichever was used, so it asserts neither; "using CPU"
# inside it is not the GPU unused. With a duration or a speed in the sentence it says the run takes the same whichever
# device it is given: the GPU is no faster than the CPU (LOG210's symptom).
_OR_GPU_AFTER = re.compile(r"\s+(?:or|and/or|/)\s+(?:on\s+|with\s+|using\s+|the\s+|a\s+|my\s+)*(?:gpus?|cuda|graphics\s+card)\b", re.I)
_GPU_OR_BEFORE = re.compile(r"\b(?:gpus?|cuda|graphics\s+card)\s+(?:or|and/or|/)\s+(?:on\s+|with\s+|using\s+|the\s+|a\s+|my\s+)*$", re.I)
_DEVICE_OR = re.compile(r"\b(?:either|whether|no\s+matter\s+(?:if|whether|which)|regardless\s+of\s+(?:whether\s+)?)\b[^.;!?\n]{0,40}?\b(?P<a>cpu|gpu)s?\s+or\s+(?:on\s+|the\s+|a\s+)?(?P<b>cpu|gpu)s?\b", re.I)
_TIMED = re.compile(r"\b\d+(?:\.\d+)?\s*(?:ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|it/s|fps)\b|\b(?:takes?|taking|took|slow|speed|time)\b", re.I)
_COMPARED = re.compile(r"\b(?:faster|slower|than|quicker|speed-?ups?)\b", re.I)


def either_device(line: str, words: str) -> bool:
    """Whether ``words`` (a "using CPU") name the CPU as one side of "CPU or GPU" in ``line``: a disjunction, not where the work went."""
    at = line.find(words)
    if at < 0:
        return False
    end = at + len(words)
    return _OR_GPU_AFTER.match(line, end) is not None or _GPU_OR_BEFORE.search(line[max(0, at - 40):at]) is not None


def same_either_device(text: str) -> re.Match[str] | None:
    """The words of ``text`` saying a run takes the same time whichever device it is on ("it takes 12 s either on CPU or GPU"), asserted, or None."""
    text = text[:4000]
    if grammar.program_line(text):
        return None
    for m in _DEVICE_OR.finditer(text):
        if m.group("a").lower() == m.group("b").lower():
            continue
        left, right = grammar.sentence_at(text, m.start(), m.end())
        sentence = text[left:right]
        if not _TIMED.search(sentence) or _COMPARED.search(sentence):
            continue
        # ("whether" opens the disjunction here, not a question: only a question mark makes the sentence one.)
        if re.search(r"[?？]\W*$", sentence) or grammar.hearsay(text, left, right) or grammar.quoted(text, m.start()):
            continue
        return m
    return None


# --- The program a statement is about (accounter, session 23) -----------------------------------------------------------
# "TensorFlow works fine on GPU" is a fact about TensorFlow; "tensorflow_model_server ... it does not use my GPU" is one
# about the model server, another program that needs a GPU build of its own
# (https://www.tensorflow.org/tfx/serving/setup: the apt package tensorflow-model-server is built for the CPU; the GPU
# build comes from the GPU Docker image or a CUDA build from source). A "works" statement answers an "unused" one only
# when both are about one program: the grammatical subject of each, a pronoun ("it", "this") resolved to the program
# named last before it. A subject that names nothing ("the GPU", "training", "the model", "my code") is this run.

# A frameworks' names and its packages' names, as one program.
_ALIASES = {"pytorch": "torch", "torch": "torch", "torch-gpu": "torch", "tensorflow": "tensorflow", "tf": "tensorflow",
            "keras": "tensorflow", "tf.keras": "tensorflow", "tensorflow-gpu": "tensorflow", "tensorflow-cpu": "tensorflow",
            "tf-nightly": "tensorflow", "jax": "jax", "jaxlib": "jax", "onnxruntime-gpu": "onnxruntime",
            "paddlepaddle-gpu": "paddlepaddle", "paddle": "paddlepaddle"}
# Words in a subject that name no program: this run, its parts, the hardware, people, or the words around a name.
_NOT_A_NAME = frozenset(re.findall(r"\S+", """
i me my we our us you your it its this that these those they them there he she which what who here now then also still
just only even really actually always never not no so but and or however though although when whenever while if once
after before because since as the a an any some all every each both other another same whole entire one
gpu gpus cpu cpus cuda vram ram memory card graphics video device devices nvidia amd intel rtx gtx geforce tesla quadro titan
model models training train inference code script scripts program programs app application process processes job task
computation computations work everything nothing something anything system machine computer pc laptop server node
package packages library libraries module modules tool tools framework frameworks version build thing stuff
evaluation prediction predictions encoding generation rendering transcription processing compute operation operations
layer layers tensor tensors kernel kernels weights data dataset dataloader loader batch batches network net
windows linux ubuntu wsl os colab kaggle notebook jupyter container image
la el los las mi mis su die der das den dem ein eine mein meine le les ma mon un une de del da do o os en
python python3 py pip conda sudo apt apt-get bash sh docker run exe file result results output time speed
do does did doing done is are was were be been being has have had can could will would should may might must seems
seem seemed appears appear appeared looks look looked
"""))
_TOKEN = re.compile(r"[A-Za-z][\w.+-]*[\w+]|[A-Za-z]")
# Where a sentence's subject ends: its first auxiliary, negation or verb of use, sight or running.
_PREDICATE = re.compile(
    r"\b(?:(?:do|does|did|is|are|was|were|can|could|will|would|has|have|had)(?:n['’]?t|\s+not)?|never|not|cannot|won['’]?t"
    r"|doesnt|dont|didnt|isnt|wont|works?|worked|runs?|ran|running|uses?|used|using|utili[sz]es|detects?|detected|sees|saw|finds"
    r"|found|recogni[sz]es|defaults|falls|fell|falling|trains|seems?|seemed|appears?|loads|gets|got|only|always|still"
    # es/pt, de, fr: the negation or the verb of use, sight or running.
    r"|no|não|usa|utiliza|funciona|detecta|reconoce|nicht|nutzt|verwendet|funktioniert|erkennt|ne|utilise|fonctionne|détecte)\b"
    # zh: the negation or the verb, written without spaces after the subject ("tensorflow_model_server没有使用GPU").
    r"|不|没有?|无法|未|可以|能|正常|一直|只", re.I)
# A command named in the text: a backticked or prompted command's first word ("`tensorflow_model_server --port=9000`").
# A line that opens with a word and its options is a command as well (a paste loses its backticks), and a package
# installed by name names a program ("sudo apt-get install tensorflow-model-server").
_COMMAND = re.compile(r"(?:`|^\s*(?:\$|#|>|PS\s[^>]*>)\s*)(?:sudo\s+)?(?P<name>[A-Za-z][\w.-]*[\w])(?=[\s`])"
                      r"|^\s*(?:sudo\s+)?(?P<opened>[A-Za-z][\w.-]*[\w])(?=\s+--?[A-Za-z])"
                      r"|\b(?:apt(?:-get)?|pip3?|conda|mamba|brew|snap|yum|dnf)\s+install\s+(?:-\S+\s+)*(?P<package>[A-Za-z][\w.-]*[\w])", re.M)
_SCRIPT = re.compile(r"\.(?:py|ipynb|sh|bat|ps1)$", re.I)


def _name(word: str) -> str | None:
    """The program ``word`` names (a framework's packages as one name), or None for a word that names no program."""
    low = word.lower().strip(".-")
    if not low or low in _NOT_A_NAME or _SCRIPT.search(low) or re.fullmatch(r"[\d.x]+|v?\d[\w.]*|[a-z]\d+\w*|sm_\d+", low):
        return None  # a version, a GPU model (a100, h100), a script of this run
    if low in ("python", "pip", "conda", "sudo", "apt", "apt-get", "brew", "uv"):
        return None
    return _ALIASES.get(low, low)


def _subject_names(subject: str) -> list[str]:
    """The programs a subject's words name, in order."""
    out = []
    for m in _TOKEN.finditer(subject):
        name = _name(m.group(0))
        if name is not None:
            out.append(name)
    return out


def _named_before(before: str) -> str | None:
    """The program named last in ``before`` (a framework, or a command's first word): a pronoun's antecedent."""
    best: tuple[int, str] | None = None
    for m in _COMMAND.finditer(before):
        name = _name(m.group("name") or m.group("opened") or m.group("package"))
        if name is not None and ("_" in name or "-" in name or name in _ALIASES.values()):
            best = (m.start(), name)
    for m in re.finditer(r"(?<![\w.-])(?:py)?torch(?![\w.-])|(?<![\w.-])(?:tensorflow|tf|keras|jax|jaxlib)(?![\w-])", before, re.I):
        if best is None or m.start() > best[0]:
            best = (m.start(), _ALIASES[m.group(0).lower()])
    return best[1] if best else None


def program_of(line: str, words: str, before: str = "") -> str | None:
    """The program that the statement ``words`` in ``line`` is about: its subject's name, a pronoun resolved to the program
    named last before it (in ``line``, then in ``before``, the text above), or None where the subject names none (this run)."""
    at = line.find(words)
    if at < 0:
        return None
    left, _ = grammar.sentence_at(line, at, at + len(words))
    clause = grammar.clause_before(line[left:at + len(words)])
    clause_at = at + len(words) - len(clause)
    # A passive names its agent after "by": "the gpu gets detected by dlib", "the GPU is used by Blender".
    agent = re.match(r"\s*by\s+(?:the\s+)?([A-Za-z][\w.+-]*)", line[at + len(words):]) or re.search(r"\bby\s+(?:the\s+)?([A-Za-z][\w.+-]*)\s*$", words)
    if agent and (name := _name(agent.group(1))) is not None:
        return name
    # The words' own predicate: the first at or after their start in their clause; the subject runs back from it to the
    # clause's start or to an earlier predicate ("dlib recognizes gpu / face_recognition is not using it").
    verb = _PREDICATE.search(line, max(at, clause_at), at + len(words))
    subject = ""
    if verb:
        # Auxiliaries and adverbs right before it are its verb group ("do not use", "is still not using").
        group = verb.start()
        earlier = list(_PREDICATE.finditer(line, clause_at, verb.start()))
        while earlier and not line[earlier[-1].end():group].strip():
            group = earlier.pop().start()
        begin = earlier[-1].end() if earlier else clause_at
        subject = line[begin:group]
    names = _subject_names(subject)
    if names:
        return names[-1]
    if not re.search(r"\b(?:it|this|that|they|which)\s*$", subject, re.I):
        return None
    return _named_before(before[-600:] + "\n" + line[:clause_at])


def same_program(a: str | None, b: str | None) -> bool:
    """Whether two statements' programs (``program_of``) can be one: either names none (this run), or both name the same."""
    return a is None or b is None or a == b


# --- The writer's word that the program's own code keeps the work off the GPU (accounter, session 23) --------------------
# causes.md's CODE_FORCES_CPU: "a torch model never moved to cuda", a device chosen in the script. PyTorch creates a
# module's parameters on the CPU and moves them only on .to(device) / .cuda()
# (https://pytorch.org/docs/stable/notes/cuda.html); a program whose own code skips that runs on the CPU with a working
# GPU. The writer says so by naming the placement the code does not do ("the model is never moved to CUDA", "I forgot to
# call .to(device)"), by finding the fault in their own code ("there was a typo in my code"), or by the GPU working for
# every other program on the machine while this one does not ("CUDA works fine in all my other projects").
# accruntime (session 26): the same of a diffusers or transformers pipeline (from_pretrained builds it on the CPU; it
# runs on the GPU only after pipe.to("cuda"): https://huggingface.co/docs/diffusers/using-diffusers/loading), the
# placement said with "loaded into" or an adverb ("the model is not automatically loaded into `CUDA`"), the object said to
# sit off the GPU ("the pipe is not on cuda"), and the call forgotten without "to" ("I forgot .to('cuda')").
_CODE_CPU_OBJECT = r"(?:model|module|network|net|tensors?|inputs?|data|batch(?:es)?|weights|parameters|embeddings?|pipe|pipeline|unet|vae)"
_CODE_CPU_EN = re.compile(
    r"\b" + _CODE_CPU_OBJECT + r"\s+(?:(?:is|are|was|were|gets|got|has|have)\s+)?(?:never|not|n['’]t)\s+(?:(?:been|being|actually|even|ever|automatically|explicitly|properly|correctly)\s+)*"
    r"(?:moved|sent|transferred|copied|put|placed|pushed|loaded)\s+(?:on|onto|to|into)\s+(?:the\s+|a\s+)?[`'\"]?(?:cuda|gpu|device)\b"
    r"|\b" + _CODE_CPU_OBJECT + r"\s+(?:is|are|was|were)\s+(?:still\s+)?(?:not|n['’]t)\s+on\s+(?:the\s+)?[`'\"]?(?:cuda|gpu)\b"
    r"|\bforg[eo]t(?:ten)?\s+to\s+(?:call\s+|add\s+|use\s+)?(?:move\s+|put\s+|send\s+|transfer\s+|place\s+|load\s+)?[`'\"]?(?:[\w.]+\s+){0,3}?(?:to\s+(?:the\s+)?[`'\"]?(?:cuda|gpu|device)\b|[\w.]*\.(?:cuda|to)\((?:device|['\"]cuda)?)"
    r"|\b(?:i|we)\s+(?:had\s+|have\s+|just\s+|simply\s+)?forg[eo]t(?:ten)?\s+(?:the\s+)?[`'\"]?[\w.]*\.(?:cuda\(|to\((?:self\.)?(?:device|['\"]cuda))"
    r"|\b(?:never|not|n['’]t)\s+(?:call(?:s|ed|ing)?|us(?:e|es|ed|ing))\s+[`'\"]?[\w.]*\.(?:cuda\(|to\((?:self\.)?device)"
    r"|\b(?:a|the)\s+(?:small\s+|stupid\s+|silly\s+)?(?:typo|bug|mistake)\s+in\s+(?:my|our|the)\s+(?:own\s+)?(?:code|script|program|config(?:uration)?)\b"
    r"|\bmy\s+(?:own\s+)?(?:code|script)\s+(?:was|is|had)\s+(?:wrong|buggy|a\s+(?:typo|bug|mistake))"
    r"|\bwork(?:s|ed|ing)?\s+(?:(?:fine|well|ok|okay|normally|perfectly)\s+)?(?:in|with|for)\s+(?:all|every|any)\s+(?:of\s+)?(?:my\s+|the\s+)?(?:other\s+)?(?:projects?|scripts?|programs?|repos?|repositories|apps?|models?)\b",
    re.I)
# zh: "模型没有放到GPU上", "代码里有个错别字", "其他项目都能用GPU".
_CODE_CPU_ZH = re.compile(r"(?:模型|数据|张量)\s*(?:没有|没|未)\s*(?:被)?\s*(?:放到|移到|转到|迁移到|加载到)\s*(?:GPU|显卡|cuda)|(?:我的)?代码(?:里|中)?(?:有|写)(?:个|一个)?(?:错别字|笔误|bug|错误)"
                          r"|其他(?:的)?(?:项目|程序|代码)\s*(?:都|也)\s*(?:可以|能)\s*(?:正常)?\s*(?:用|使用)\s*(?:GPU|显卡)", re.I)


def placement_said(words: str) -> bool:
    """Whether ``words`` (a ``code_keeps_cpu`` match) name the placement the code skipped (the model, pipeline or data not
    moved to the GPU), which says the work ran on the CPU, rather than only a fault in the code or the GPU working elsewhere."""
    return re.search(r"cuda|gpu|device|显卡", words, re.I) is not None and _OTHER_PROGRAMS.search(words) is None


_OTHER_PROGRAMS = re.compile(r"\bwork(?:s|ed|ing)?\b|其他", re.I)


def code_keeps_cpu(text: str) -> re.Match[str] | None:
    """The words of ``text`` saying the program's own code keeps the work off the GPU (CODE_FORCES_CPU), asserted, or None."""
    text = text[:4000]
    if grammar.code_comment(text) or grammar.program_line(text[:grammar.sentence_at(text, 0, 0)[1]]):
        return None  # code, or a program's line (a reporter's line quoting an error after its first sentence is read)
    for rx in (_CODE_CPU_EN, _CODE_CPU_ZH):
        for m in rx.finditer(text):
            if grammar.said(text, m.start(), m.end(), quotes=False) and not grammar.quoted(text, m.start()):
                return m
    return None


# --- A log laid out as a comparison: a section headed CPU beside one headed GPU (accounter, session 23) -----------------
# "**CPU:** <output> **GPU:** <output>", "On CPU: ... On GPU: ...", "### CPU run": the writer ran the program twice and
# pasted both runs under their device. A framework's "no GPU found, falling back to CPU" printed in the CPU run is what
# that run was made to do (JAX prints it whenever no GPU backend is chosen,
# https://docs.jax.dev/en/latest/faq.html#faq-data-placement), not the GPU run failing.
# An issue template's hardware fields ("### GPU" / "Nvidia", "### CPU" / "Intel") name the machine's parts, not two runs:
# a header counts only with a colon, a preposition ("On CPU") or a word of a run ("CPU run", "GPU timings").
_SECTION = re.compile(r"^[\s#*_>|-]*(?:(?P<prep>on|with|using|in|for)\s+(?:the\s+)?)?(?P<device>CPU|GPU|cuda)(?P<run>\s+(?:run|runs|version|results?|timings?|times?|only|mode|backend|test|output|log))?\s*(?P<colon>[:：])?[\s*_|-]*$", re.I)
# Any header: the end of the section above it ("### Ollama version", "**Environment:**", "On GPU:").
_ANY_HEADER = re.compile(r"^\s*(?:#{1,6}\s+\S|\*\*[^*\n]{1,40}\*\*\s*:?\s*$|[A-Z][\w ]{0,30}:\s*$)")


def cpu_sections(lines: list[str]) -> list[tuple[int, int]]:
    """The line ranges (first, last; 1-based) under a header naming the CPU, in a log that also holds a header naming the GPU."""
    heads = [(number, m.group("device").lower()) for number, line in enumerate(lines, 1)
             if len(line) < 40 and ("cpu" in line.lower() or "gpu" in line.lower() or "cuda" in line.lower()) and (m := _SECTION.match(line))
             and (m.group("prep") or m.group("run") or m.group("colon"))]
    if not any(device == "cpu" for _, device in heads) or not any(device != "cpu" for _, device in heads):
        return []
    out = []
    for number, device in heads:
        if device == "cpu":
            end = next((n - 1 for n in range(number + 1, len(lines) + 1) if len(lines[n - 1]) < 60 and _ANY_HEADER.match(lines[n - 1])), len(lines))
            out.append((number, end))
    return out



# --- The framework's answer in two places of one program, and the work's device printed (accwhere, session 25) -----------
# ``torch.cuda.is_available()`` asks the CUDA driver for the devices the process may see; the answer changes inside one
# installation only where the process's environment changes between the two calls: CUDA_VISIBLE_DEVICES rewritten by
# code that ran in between (an imported module, a launcher's start-up), read once when CUDA initialises
# (https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#env-vars; PyTorch's caching of the device count:
# https://pytorch.org/docs/stable/notes/cuda.html#environment-variables). The writer says it as "it printed True when I
# ran train.py but False inside the sampler", "True before `import foo`, False after": the program's own code (causes.md's
# CODE_FORCES_CPU). Two places that are two interpreters (a notebook and a terminal, two conda environments, sudo,
# another machine or container) are two installations instead, and are not read here.
_ANSWER_TRUE = re.compile(r"(?:\b(?:print(?:s|ed)?|returns?|returned|gives?|gave|shows?|showed|says?|said|outputs?|is|was|yields?|got|get|evaluates\s+to)|->|=>|[:=]|为|是|返回|输出|显示|打印)\s*[`'\"*(]*True(?![a-z])", re.I)
_ANSWER_FALSE = re.compile(r"(?:\b(?:print(?:s|ed)?|returns?|returned|gives?|gave|shows?|showed|says?|said|outputs?|is|was|yields?|got|get|evaluates\s+to|but|while|whereas|yet)|->|=>|[:=]|为|是|返回|输出|显示|打印|但是?)\s*[`'\"*(]*False(?![a-z])", re.I)
_CONTRAST = re.compile(r"\b(?:but|while|whereas|however|yet|although|though)\b|但是|但|而|却|可是", re.I)
# Where each answer was taken: a place in the program's code (a module, a file, a class, a function, an import) ...
_CODE_PLACE = re.compile(r"\b(?:modules?|files?|class(?:es)?|functions?|methods?|[\w/-]+\.py|import(?:s|ed|ing)?|__init__|__main__|sub-?process(?:es)?|workers?|threads?|samplers?|data\s*loaders?)\b"
                         r"|模块|文件|类|函数|导入|import", re.I)
# ... or two interpreters, installations or machines (then the answers are of two installations, not of one program).
_TWO_INTERPRETERS = re.compile(r"\b(?:jupyter|notebooks?|ipython|terminal|shell|console|cmd|powershell|ide|pycharm|vs\s*code|vscode|spyder|envs?|environments?|venvs?|virtualenvs?"
                               r"|conda|anaconda|sudo|root|docker|containers?|machines?|servers?|colab|kaggle|wsl\d?|host|users?|interpreters?|kernels?|pythons?\s*\d|python\d(?:\.\d+)?|versions?)\b"
                               r"|环境|终端|命令行|服务器|容器|虚拟", re.I)


def answer_differs(text: str, before: str = "") -> re.Match[str] | None:
    """The words of ``text`` saying the framework's GPU query answered True in one place of the program's code and False in
    another (a module, a file, an import between), asserted; the query named in the sentence or in ``before`` (the text
    above). None where the two places are two interpreters or installations, or nothing names a place in code."""
    text = text[:4000]
    if grammar.code_comment(text) or grammar.program_line(text):
        return None
    for true in _ANSWER_TRUE.finditer(text):
        left, right = grammar.sentence_at(text, true.start(), true.end())
        false = _ANSWER_FALSE.search(text, left, right)
        if false is None:
            continue
        first, second = sorted((true, false), key=lambda m: m.start())
        if _CONTRAST.search(text, first.end(), second.end()) is None:
            continue
        sentence = text[left:right]
        context = before[-400:] + "\n" + text[:right]
        if not names_available_call(context) or _CODE_PLACE.search(sentence) is None or _TWO_INTERPRETERS.search(sentence):
            continue
        if not grammar.said(text, first.start(), second.end(), quotes=False) or re.search(r"[?？]\W*$", sentence):
            continue
        return re.match(r".*", sentence.strip()) if sentence.strip() else None
    return None


# The device of the model or its tensors read by the writer, and said to be the CPU: "`print(self.device)` -> cpu",
# "next(model.parameters()).device returns cpu", "model.device is 'cpu'", "tensor.device: cpu". PyTorch creates a module's
# parameters on the CPU and moves them only where the code calls .to(device)/.cuda()
# (https://pytorch.org/docs/stable/notes/cuda.html): a device of cpu in a process that sees the GPU is the code's placement.
_DEVICE_CPU = re.compile(
    r"(?:\.device\b|\bdevice\s+(?:of\s+(?:the\s+|my\s+)?(?:model|tensors?|inputs?|weights|parameters)|attribute))\)?[`'\"*]?\s*"
    r"(?:->|=>|→|[:=]|\b(?:is|was|are|were|returns?|returned|gives?|gave|shows?|showed|prints?|printed|says?|said|outputs?|yields?|evaluates\s+to)\b|显示|是|为|返回|输出)\s*"
    r"(?:(?:still|always|just|only|actually|also)\s+)?[`'\"*]*(?:device\(\s*(?:type\s*=\s*)?['\"]?)?cpu(?![\w-])", re.I)


def device_said_cpu(text: str) -> re.Match[str] | None:
    """The writer's words that the model's or a tensor's ``.device`` reads cpu ("print(self.device) -> cpu"), asserted, or None."""
    text = text[:4000]
    if grammar.code_comment(text):
        return None
    for m in _DEVICE_CPU.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if grammar.in_code(text, m.start()) and not re.search(r"->|=>|→", m.group(0)):
            continue  # code that sets or compares a device ("device = 'cpu'", "if x.device == 'cpu'"), not a reading
        if grammar.quoted(text, m.start()) and not re.search(r"->|=>|→|\b(?:returns?|returned|prints?|printed|shows?|showed|gives?|gave)\b", m.group(0), re.I):
            continue
        if not grammar.said(text, m.start(), m.end(), quotes=False) or re.search(r"[?？]\W*$", text[left:right]):
            continue
        return m
    return None


# --- The same program said to work from a shell and to fail where it is started otherwise (accenv, session 26) --------
# An IDE started from the desktop (PyCharm, Spyder, VS Code), an R or Jupyter session started by a server (RStudio Server,
# JupyterHub), a systemd service, a cron job, a command under sudo or a batch job get their environment from their own
# configuration, not from the user's login shell (knowledge/launchers.toml [[env_context]], each with its source): a
# library directory exported in ~/.bashrc reaches the program in a terminal and not there. The writer says it as "it works
# in terminal but not with PyCharm", "I could import tensorflow perfectly in terminal but in spyder there are errors",
# "rstudio-server: cannot open libcublas.so.9.0, although I can run keras on GPU from bare R just fine". Read: the working
# side (a shell, a terminal, the command line, bare R, a plain python, "manually", "as my user") with a word of success in
# its clause, unnegated, and the failing side (a place of the table) in another clause of the same sentence, or of the
# sentence next to it, across a contrast or with a word of failure in its clause.
_SHELL_SIDE = re.compile(
    r"\b(?:in|from|on|via|using|through|with|inside|within|at|under)\s+"
    r"(?:(?:the|a|an|my|our|plain|bare|normal|regular|ordinary|simple|linux|ubuntu|system|gnome|local|interactive|ssh|bash|zsh|anaconda|conda)\s+){0,3}"
    r"(?:terminal|shell|command[- ]?line|cli|cmd|bash|zsh|powershell|prompt|tty|ssh(?:\s+session)?|login\s+node|head\s+node)s?\b"
    r"|\bbare\s+R\b|\bR\s+(?:shell|console|terminal|session)\b|\bplain\s+python\d?\b|\bpython\d?\s+(?:interpreter|shell|console|repl|prompt)\b"
    r"|\b(?:run|ran|running|execute[ds]?|executing|start(?:ed|ing)?)\s+(?:(?:it|them|this|the\s+[\w.-]+)\s+)?(?:manually|by\s+hand|interactively|myself)\b"
    r"|\bas\s+(?:myself|my\s+(?:own\s+)?user|a\s+(?:normal|regular)\s+user|an?\s+ordinary\s+user)\b|\bwithout\s+sudo\b"
    # accshellenv (session 36): other launchers that carry the shell's environment: the plain interpreter (`python`,
    # `ipython` named as where it ran), a command/Anaconda prompt, a shell opened with docker exec, an activated
    # environment.
    r"|\b(?:in|from|on|via|using|with|under|inside|called\s+from)\s+(?:(?:both|plain|bare|the|a|normal|regular|standard)\s+)?[`'\"]?(?:i?python\d?(?:\.\d+)?)[`'\"]?(?=[\s,.;:)]|$)(?!\s+(?:\d|kernel|notebook|console\s+of))"
    r"|\b(?:command|anaconda|conda|miniconda)\s+prompt\b|\bdocker\s+exec\b|\brun(?:ning)?\s+(?:>\s*)?python\d?\s+[\w./-]+\.py\b"
    r"|\b(?:after\s+)?activat(?:ing|ed|e)\s+(?:the\s+|my\s+|this\s+)?(?:conda\s+|virtual\s+|[\w.-]+\s+)?(?:env(?:ironment)?|virtualenv|venv)\b|\bconda\s+activate\b", re.I)
_SIDE_OK = re.compile(
    r"\b(?:works?|worked|working|fine|ok(?:ay)?|perfectly|successfully|succeed(?:s|ed)?|smoothly|no\s+(?:problems?|issues?|errors?)"
    r"|without\s+(?:any\s+)?(?:problems?|issues?|errors?)|managed\s+to|(?:am|was|is|are|were)\s+able\s+to"
    r"|correctly\s+(?:load|import|run|find|see|open)\w*|can\s+(?:run|import|use|load|train|see|access)|could\s+(?:run|import|use|load|train|see|access)|(?:runs?|ran|imports?|imported|loads?|loaded)\s+(?:\w+\s+){0,3}?(?:fine|well|ok|correctly|properly))\b", re.I)
_SIDE_NOT = re.compile(r"\b(?:not|never|neither|nor|either|no\s+longer|cannot|fails?|failed|same\s+(?:error|problem|issue))\b|n['’]t\b", re.I)
_SIDE_FAILS = re.compile(
    r"\b(?:errors?|fails?|failed|failing|failure|cannot|unable|mistakes?|problems?|issues?|crash\w*|complain\w*|not\s+found|no\s+such\s+file|missing)\b"
    r"|n['’]t\b|\bnot\b|\w+Error\b"
    # accshellenv (session 36): the failing side sees another CUDA than the shell, or misses the libraries.
    r"|\b(?:different|older|other|wrong)\s+(?:\w+\s+){0,2}?(?:version|cuda)\b|\bmiss(?:es|ed|ing)\b|\bbut\s+not\b", re.I)
# A program's line rather than prose (a time stamp, a traceback's frame, a prompt): no one's account.
_LOG_START = re.compile(r"\s*(?:\[?\d{4}[-/]\d\d[-/]\d\d|\d\d:\d\d:\d\d|[IWEF]\d{4}\s|File\s+\"|Traceback|>>>|\$\s|#)")
_SIDE_CONTRAST = re.compile(r"\b(?:but|however|although|though|whereas|while|yet|except)\b", re.I)


def _parts(sentence: str) -> list[tuple[int, int]]:
    """The spans of ``sentence`` between its contrast words."""
    cuts = [0, *(m.start() for m in _SIDE_CONTRAST.finditer(sentence)), len(sentence)]
    return [(a, b) for a, b in pairwise(cuts) if b > a]


def _part_of(parts: list[tuple[int, int]], at: int) -> int:
    return next((i for i, (a, b) in enumerate(parts) if a <= at < b), len(parts) - 1)


def launch_env_differs(text: str) -> tuple[EnvContextRow, str] | None:
    """The writer's words that the program works started from a shell (a terminal, bare R, by hand, as their own user) and
    fails where it is started otherwise (knowledge.launchers.env_context_named: an IDE, a server's session, a service, sudo,
    a batch job): (the place's row, the sentence or sentences), or None. ``text`` is a few lines of prose around a line that
    names such a place."""
    text = text[:4000]
    sentences = grammar.sentences(text.replace("\n", " "))
    for index, (_, sentence) in enumerate(sentences):
        if _LOG_START.match(sentence) or re.match(r"\W*(?:if|unless|when\s+you)\b", sentence, re.I):
            continue
        parts = _parts(sentence)
        for side in _SHELL_SIDE.finditer(sentence):
            part = _part_of(parts, side.start())
            a, b = parts[part]
            words = sentence[a:b]
            ok = _SIDE_OK.search(words)
            if ok is None or _SIDE_NOT.search(words[:max(ok.start(), side.start() - a)]):
                continue
            # ("when I try to import it in python, it works" is the writer's account, not advice: accshellenv.)
            if re.search(r"\b(?:if|should|could\s+you|please)\b|(?<!I )(?<!we )\btry(?:ing)?\b", sentence[a:side.start()], re.I):
                continue  # a condition or advice ("try running it from the terminal"), not what the writer found
            # The failing side: a place of the table in another part of this sentence, or in the next or the one before.
            for other in (index, index + 1, index - 1, index + 2, index - 2):
                if not 0 <= other < len(sentences):
                    continue
                there = sentences[other][1]
                there_parts = parts if other == index else _parts(there)
                for row, m in env_context_named(there):
                    place = _part_of(there_parts, m.start())
                    if other == index and place == part:
                        continue
                    pa, pb = there_parts[place]
                    opens = _SIDE_CONTRAST.match(there, pa) is not None or re.match(r"\W*(?:but|however)\b", there, re.I) is not None
                    if _SIDE_FAILS.search(there, pa, pb) is None and not (other != index and opens):
                        continue
                    span = sorted({index, other})
                    return row, " ".join(sentences[i][1].strip() for i in span)
    return None
