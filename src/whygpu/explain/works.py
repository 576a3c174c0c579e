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

import re

from whygpu.explain import grammar

__all__ = ["CUE_WORDS", "either_device", "gpu_works", "of_other_framework", "partial", "same_either_device", "suspected"]

# A line can hold a statement only if it holds one of these (lower case).
CUE_WORDS = ("gpu", "vram", "cuda", "is_ava", "显卡", "显存", "видеокарт", "card")

_GPU = r"(?<![+/\w-])(?:(?:nvidia|cuda|dedicated|discrete)\s+)?(?:gpus?|graphics\s+card|video\s+card|card|cuda(?:\s+device)?)"
_DET = r"(?:(?:the|my|our|this|that|its|an?|his|her)\s+)?"
_FINE = r"(?:fine|well|ok|okay|perfectly(?:\s+fine)?|correctly|properly|normally|great|as\s+(?:it\s+should|expected)|without\s+(?:any\s+)?(?:issues?|problems?))"
_FRAMEWORK = r"(?:torch|pytorch|tensorflow|tf|keras|jax|onnxruntime|paddle\w*|mxnet|the\s+(?:framework|program|script|model|app|code)|it)"
# The memory of the GPU in use by the run: a CUDA context and the model's tensors live there.
_VRAM = r"(?:vram|gpu(?:['’]s)?\s+memory|cuda\s+memory)(?!\s*(?:allocat\w*|fraction|growth|limit|settings?|env\w*|variables?|options?|flags?))"

_WORKS_EN = re.compile(
    # A framework's answer written in prose: "`torch.cuda.is_available()` yields True", "is_available() returns True".
    r"(?P<answer>\bis_(?:gpu_)?ava[a-z]*able\b(?:\(\))?[`'\"*)\s]{0,4}(?:\s+(?:also|still|always|correctly|even))?\s+(?:returns?|returned|yields?|yielded|gives?|gave|is|was|shows?|showed|prints?|printed|outputs?|says?|said|evaluates\s+to)\s+[`'\"*]*True\b)"
    # The GPU said to work or be used: "the gpu works fine inside the container", "the GPU is being used".
    rf"|(?P<gpu>\b{_DET}{_GPU}\s+(?:(?:itself|also|still|clearly|definitely|certainly|does)\s+)?(?:works?|is\s+working|(?:is|are)\s+(?:being\s+)?(?:used|utili[sz]ed|in\s+use|busy))\b(?:\s+{_FINE})?)"
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
    # zh: "显存占满了", "显存被占用了", "GPU可以正常使用", "能识别到GPU", "在GPU上训练正常".
    r"(?P<zh>显存\s*(?:被)?(?:占满|用满|吃满|占用了|已经占用|满了)|(?:GPU|显卡)\s*(?:是)?(?:可以|能)\s*(?:正常)?\s*(?:使用|工作|用|识别)|(?:可以|能)\s*(?:正常)?\s*(?:识别|检测|找)到\s*(?:GPU|显卡)|(?:在\s*)?GPU\s*上\s*(?:训练|运行|跑)\s*(?:得)?(?:正常|没问题|很好))"
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
# A negation in the words' own clause before them ("the GPU doesn't work", "it never uses the VRAM", "不能识别到GPU").
_NEGATED_BEFORE = re.compile(r"(?:\b(?:not|no|never|no\s+longer|nor|neither|hardly|barely|without)\b|n['’]?t\b)(?:\s+\S+){0,3}\s*$", re.I)
_NEGATED_INTL_BEFORE = re.compile(r"(?:不|没|沒|无法|未|\bне|\bno|\bnão|\bnicht|\bne|\bpas)\s*\S{0,4}\s*$", re.I)
# The same words negated after them: "works not", "die GPU funktioniert nicht", "fonctionne pas", "GPU работает не".
_NEGATED_AFTER = re.compile(r"\s*(?:not\b|nicht\b|pas\b|не\b|ないです|ません)", re.I)
# A contrast that takes the statement back in its sentence ("the GPU works in TensorFlow but not in PyTorch").
_BUT_NOT = re.compile(r"\b(?:but|except|however|though|although|whereas|yet)\b[^.;!?\n]{0,40}?(?:\bnot\b|n['’]?t\b|\bnever\b|\bno\b|\b(?:fail\w*|errors?|throws?|threw|crash\w*|raises?|raised|hangs?|freez\w*|segfault\w*)\b)", re.I)
# A change in the sentence: the statement is a remedy's outcome or a state that changed, not the run reported.
_CHANGED = re.compile(r"\b(?:now|again|after(?:wards)?|fixed|solved|resolved|finally|once|since|managed|got\s+it|used\s+to|ago|yesterday|before|previously|earlier|until|last\s+(?:week|month|year|time)|at\s+(?:this|that|the|first)\s+time|at\s+first)\b"
                      r"|现在|终于|解决|之前|以前|ahora|agora|jetzt|maintenant|теперь|раньше", re.I)
# A subordinate clause holding the words: the scene of another statement ("when I run debug the GPU works", "while
# the GPU is used ...", "if the GPU works"); the words of the sentence's own finding come without one.
_SUBORDINATE = re.compile(r"\b(?:when|whenever|while|if|unless|once|until|whether)\b|如果|当", re.I)
# A printed label's value after the words ("PyTorch detects CUDA available:  False").
_FALSE_AFTER = re.compile(r"[^.;!?\n]{0,30}?(?:[:=]\s*[`'\"*]*(?:False|None|0|\[\])\b|\bFalse\b)")
# The driver's or the OS's monitor ("nvidia-smi ... detects my gpu"): it finds the GPU for the machine, not the framework.
_MONITOR = re.compile(r"nvidia-smi|nvtop|gpustat|task\s*manager|device\s+manager|lspci", re.I)
# Another machine, program or place named in the sentence: the statement is of that one, not of this run.
_ELSEWHERE = re.compile(
    r"\b(?:other|another|different|second|separate|old|older|previous|friend['’]?s|colleague['’]?s)\s+(?:\w+\s+)?(?:machines?|computers?|pcs?|laptops?|servers?|nodes?|box(?:es)?|systems?|envs?|environments?|projects?|programs?|apps?|applications?|repos?|versions?|installs?|installations?|tools?|games?|containers?|images?)\b"
    r"|\bsame\s+(?:machine|computer|pc|laptop|system|server|box|node)\b|\b(?:colab|kaggle|blender|games?|gaming)\b|\belsewhere\b", re.I)


def _negated(text: str, left: int, start: int, end: int) -> bool:
    """Whether the words at ``start``..``end`` are negated in their clause (before them or right after)."""
    clause = grammar.clause_before(text[left:start])
    if _NEGATED_BEFORE.search(clause) or (not text.isascii() and _NEGATED_INTL_BEFORE.search(clause)):
        return True
    return _NEGATED_AFTER.match(text, end) is not None


def gpu_works(text: str) -> re.Match[str] | None:
    """The words of ``text`` stating that the GPU works, is used or holds the run's memory, asserted of this run now, or None."""
    text = text[:4000]
    if grammar.program_line(text) or grammar.code_comment(text):
        return None  # a program's line or code: no one's statement
    for rx in (_WORKS_EN, _WORKS_INTL):
        for m in rx.finditer(text):
            left, right = grammar.sentence_at(text, m.start(), m.end())
            sentence = text[left:right]
            # The predicate is what must be asserted: an answer's verb ("yields True"), not the quoted call before it.
            verb = m.start()
            if m.group("answer") if "answer" in m.re.groupindex else None:
                verb = m.start() + re.search(r"\s(?:returns?|returned|yields?|yielded|gives?|gave|is|was|shows?|showed|prints?|printed|outputs?|says?|said|evaluates)\b", m.group(0)).start() + 1  # type: ignore[union-attr]
            elif grammar.quoted(text, m.start()):
                continue
            if not grammar.said(text, verb, m.end(), quotes=False) or _negated(text, left, m.start(), m.end()):
                continue
            if _CHANGED.search(sentence) or _ELSEWHERE.search(sentence) or _BUT_NOT.search(text, m.end(), right):
                continue
            if _SUBORDINATE.search(text, left, m.start()) or _FALSE_AFTER.match(text, m.end(), right):
                continue  # a circumstance ("when I run debug the GPU works"), or a label whose value says no
            if m.lastgroup == "found" and _MONITOR.search(sentence):
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
