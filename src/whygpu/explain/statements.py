"""A small grammar of what reporters write about the GPU: that it is not used, and whether they assert it.

Reporters say that the GPU is unused in many words ("my scripts are not executed on the GPU anymore,
but on the CPU instead", "the gpu is not being picked up", "Tensorflow detects GPU but uses only
CPU"), and use the same words for other things: a question ("is it using the GPU?"), a wish or a
plan ("I want to run it on the CPU"), advice ("you can run it on CPU only"), a condition ("if no GPU
is detected it falls back to the CPU"), a comparison ("training on CPU is 20x slower").  Rather than
list phrases, this reads the parts a statement is made of:

- a subject that is the GPU (GPU, graphics card, CUDA device, a model name) with a negated or failing
  verb of use or sight: "the GPU isn't recognised", "GPU not detected on WSL2", "Quadro cards not
  detected";
- a negated or failing verb whose object is the GPU: "doesn't use my GPU", "fails to find my GPU",
  "can't see my RTX", "stopped detecting my nvidia graphics card"; "it" for a GPU named before;
- the CPU as where the work goes, with a finite verb: "runs on the CPU", "uses only CPU", "CPU being
  used instead of GPU", "switched to CPU execution", "falls back to CPU";
- a CPU-only build obtained: "installs cpu version instead of cuda", "got the cpu version of jax",
  "not compiled with CUDA", "torch安装了CPU版本".

and then whether the sentence asserts it (``asserted``) and of the present (``said_now``).  It is the one
reader of the users' words: ``unused``, ``cpu_build``, ``underused`` and ``incompatible`` are what
``explain.logfacts`` asks, and they also try the phrases listed one by one (end of this module) before the
grammar.  Assertion: not a yes/no question, not under "if", not
governed by a modal or "to" (a wish, advice, a possibility), not a comparison, not said of "you" in
general.  The reader is called only on lines that hold one of ``CUE_WORDS``; each expression starts
at a keyword so that most lines are passed over quickly.
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.explain import grammar

__all__ = [
    "CUE_WORDS", "MAX_LINE", "asserted", "code_condition", "cpu_build", "cpu_build_statement", "incompatible", "installed_line", "machine_resumed", "memory_unused", "no_gpu",
    "platform_said", "said_now", "trouble_said", "underused", "unused", "unused_statement", "version_installed_in_clause", "version_said_installed",
]

# Only the start of a very long line is read: a reporter's paragraph is shorter, and a machine's
# line of thousands of repeated words would cost time for nothing.
MAX_LINE = 4000
# A line can hold a statement only if it holds one of these (lower case).
CUE_WORDS = ("gpu", "cpu", "cuda", "vram", "显存", "graphic", "video card", "videocard", "nvidia", "rtx", "gtx", "quadro", "geforce",
             "显卡", "видеокарт", "tarjeta", "placa de v")

# The GPU as a noun: the word, the card, a CUDA device, a model name ("RTX 4090", "GTX 1060", "3060m").
_GPU = (r"(?:(?:nvidia|cuda|nv|dedicated|discrete|external|laptop|physical)[- ]?)?(?:e|d)?gpus?\b(?![-_ ]?(?:usage|utili[sz]ation|util\b|memory|mem\b|temp|load|clock|fan|power|metric|stat|driver|support|version|monitor|graph|percent|z\b|-z\b"
        # accwords: the GPU as the modifier of another noun, what a monitor lists of it ("doesn't show GPU processes").
        r"|process|info|name|detail|count|index|indices|ids?\b|column|field|panel|tab\b|section|counter|bar\b))"
        r"|(?:nvidia\s+|cuda\s+)?(?:graphics?|video)\s*cards?|videocards?|nvidia\s+(?:cards?|device)"
        r"|cuda(?:\s+(?:devices?|gpus?|cores))?(?![-_ ]?(?:toolkit|version|libraries|library|_visible|_home|_path|[-_ ]?\d))"
        r"|(?:rtx|gtx|quadro|tesla|geforce|titan)\s?[\w-]*"
        r"|\b[1-9]\d{3}(?:\s?ti|m)?\b")
_DET = r"(?:(?:any|all|either|both|one|each)\s+of\s+)?(?:(?:the|my|our|your|its|any|a|an|this|that|all|both|his|her|their)\s+)?(?:(?!(?:with|on|in|for|to|of|and|or|from|by)\b)[\w.-]+\s+){0,2}?"
# Negation and failure: "not", "n't" (with or without the apostrophe), "cannot", "unable to", "fails to".
_NEG = (r"(?:\b(?:is|are|was|were|do|does|did|ca|could|wo|would|should|has|have|had|must)n[’']?t\b|\b(?:not|never|cannot|cant|wont|doesnt|didnt|isnt|wasnt|dont|couldnt|arent)\b"
        r"|\bunable\s+to\b|\bfail(?:s|ed|ing)?\s+to\b|\brefus(?:e|es|ed|ing)\s+to\b|\bstopped\b|\bno\s+longer\b)")
# Verbs of use and sight whose object is the GPU ("use", "detect", "see", "pick up").
_SEE = (r"(?:use[sd]?|using|utili[sz](?:e[sd]?|ing)|detect(?:s|ed|ing)?|recogni[sz](?:e[sd]?|ing)|see(?:s|ing)?|find(?:s|ing)?|found"
        r"|pick(?:s|ed|ing)?\s+up|access(?:es|ed|ing)?|discover(?:s|ed|ing)?|identify(?:ing)?|call(?:s|ed|ing)?|list(?:s|ed|ing)?"
        r"|show(?:s|ed|ing)?|load(?:s|ed|ing)?\s+(?:on|onto|into|to))")
# Participles said of the GPU: "is not detected", "not being used", "cannot be recognised".
_SEEN = (r"(?:used|utili[sz]ed|detected|recogni[sz]ed|found|seen|visible|available|accessible|usable|working|in\s+use|busy"
         r"|picked\s+up|listed|shown|showing(?:\s+up)?|loaded|discovered|identified|recogni[sz]ing|detecting|work|show\s+up|appear)\b")
# Verbs of doing work whose place is the GPU or the CPU ("runs on", "is trained on").
_WORK = (r"(?:run(?:s|ning)?|ran|execut(?:e[sd]?|ing)|train(?:s|ed|ing)?|work(?:s|ed|ing)?|process(?:es|ed|ing)?|comput(?:e[sd]?|ing)"
         r"|inference|infer(?:s|red|ring)?|load(?:s|ed|ing)?|do(?:es|ne|ing)?|happen(?:s|ed|ing)?|generat(?:e[sd]?|ing))")
# The same, finite or progressive only ("runs", "ran", "is running"): the base form is a wish or advice.
_WORK_FINITE = (r"(?:runs|ran|running|executes|executed|executing|trains|trained|training|works|worked|processes|processed|processing|happening"
                r"|computes|computed|computing|happens|happened|done|goes|went|stays|stayed|stuck|loads|loaded|loading|allocates|allocated"
                r"|placed|put|occurs|generating|generates|generated|rendered|rendering|handled|performed|calculated|transcribed|synthesi[sz]ed|inferences|does|did|executions?)")
# The CPU as a noun, not one of its measures or parts ("CPU threads", "CPU usage").
_CPU = (r"(?:cpu(?:execution|executor)provider\b|(?:cpus?|processor)\b(?![-_ ]?(?:threads?|cores?|workers?|instructions?|side|memory|mem\b|usage|utili[sz]ation|load|time"
        r"|features?|ops?|tensors?|ram|percent|%|affinity|count|frequency|speed|bound|intensive|fallback\s+is|inference\s+is|version|build|wheel|package|only\s+(?:version|build|wheel|package|machine)|-only\s+(?:version|build|wheel|package|machine)|device:)))")

_UNUSED_EN = re.compile(
    # The GPU as the subject, then a negated verb ("GPU is not being used", "GPU not detected on WSL2",
    # "the GPU I used cannot be recognized", "GPU seems not to be in use").
    rf"(?:{_GPU})(?:\s+(?:i|we|you|they|he|she)\s+[\w'’-]+(?:\s+(?:it|in|on|here|there|now|before))?|\s+(?:on|in|at|inside|within|of|from)\s+(?:[\w.-]+\s+){{0,2}}?[\w.-]+|\s+\([^)]{{0,40}}\)|\s+(?:card|cards|device|devices|model|itself|still|also|just|really|now|currently|apparently|here|there|[\w-]+ly|\d[\w.]*))?\s+(?:(?:is|are|was|were|seems?|appears?|gets?|got|still|also|just|completely|totally)\s+)*"
    rf"(?:{_NEG})\s+(?:(?:be|being|been|getting|get|to|seem|appear|want|wants)\s+)*(?:{_SEEN})"
    # A negated verb of use or sight whose object is the GPU, or "it" for a GPU named before
    # ("doesn't use my GPU", "fails to find my GPU", "can't see my RTX", "why it's not finding it").
    rf"|(?:{_NEG})\s+(?:(?:my|the|this|it|our|your)\s+(?:[\w.-]+\s+)?(?=(?:{_SEE})\s))?(?:(?:even|actually|really|properly|correctly|always|automatically|seem\s+to|appear\s+to|be\s+able\s+to|able\s+to|have|has|had|been)\s+)*(?:{_SEE})(?:/(?:{_SEE}))?\s+{_DET}(?:{_GPU})"
    # ("it" seen in a process list is the program, not the GPU: "the program is running normally but I can't see it in
    # processes inside container").
    rf"|(?:{_GPU})[^.;!?\n]{{0,80}}?(?:{_NEG})\s+(?:(?:even|actually|really|properly|seem\s+to)\s+)*(?:{_SEE})\s+(?:it|them)\b"
    r"(?!\s+(?:in|on|among|under)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+)?process)"
    # A negated verb of work whose place is the GPU ("doesn't run on the GPU", "Cannot run on GPU",
    # "not actually running the inference on the GPU", "Couldn't inference with gpu").
    rf"|(?:{_NEG})\s+(?:(?:even|actually|really|be|being|get|got|able\s+to|seem\s+to)\s+)*(?:{_WORK})\s+(?:(?!cpu)[\w-]+\s+){{0,3}}?(?:on|with|in|using|via)\s+{_DET}(?:{_GPU})"
    # The CPU as where the work goes, with a finite verb ("runs on the CPU", "Training uses CPU instead of
    # GPU", "it does on the CPU instead of GPU", "is using my CPU to train", "falls back to CPU").
    rf"|(?:{_WORK_FINITE})\s+(?:(?:mainly|only|just|still|always|entirely|completely|solely|all|everything|it|them|fit|the\s+model|the\s+inference)\s+)*(?:on|in|with|using|by|via)\s+(?:the\s+|my\s+|a\s+|an\s+|only\s+|single\s+|one\s+|local\s+)*(?:{_CPU})"
    rf"|(?:\buses|\bused|\busing|\butili[sz]e\s+only|\buse\s+only|\butili[sz](?:es|ed|ing)|\bhammers|\beats|\brelies\s+on|\brelying\s+on|\bis\s+on|\bload(?:s|ed)?\s+in)\s+(?:(?:only|just|mainly|still|the|my|a|an|100%\s+of(?:\s+my)?)\s+)*(?:{_CPU})"
    rf"|\b(?:only|just)\s+(?:the\s+|my\s+|our\s+|a\s+|one\s+)?(?:{_CPU})\s+(?:is\s+|was\s+)?(?:being\s+)?(?:used|utili[sz]ed|working|running|training|chugging|in\s+use)\b"
    rf"|(?:{_CPU})\s+(?:is\s+|was\s+|are\s+)?(?:still\s+)?(?:being\s+)?(?:used|utili[sz]ed|working|chugging|the\s+one\s+chugging|doing\s+(?:all\s+)?the\s+work)\s+instead\b"
    rf"|(?:{_CPU})\s+(?:is\s+|was\s+)?(?:still\s+)?(?:the\s+one\s+)?(?:chugging|doing\s+(?:all\s+)?the\s+work|working\s+alone)"
    rf"|(?:{_CPU})\s+(?:device\s+)?(?:will\s+be|is|gets|got)\s+used\s+(?:by\s+default|instead)"
    rf"|\b(?:fall(?:s|ing)?|fell|fallen|switch(?:es|ed|ing)?|default(?:s|ed|ing)?|revert(?:s|ed|ing)?|go(?:es)?|went|drops?|dropped|falls?\s+back)\s+(?:back\s+)?to\s+(?:using\s+)?(?:the\s+)?(?:{_CPU})(?:\s+(?:execution|mode|only|instead))?"
    rf"|\b(?:instead\s+of\s+(?:using\s+)?(?:the\s+|my\s+)?(?:{_GPU}),?\s+(?:it\s+|they\s+)?(?:uses|used|runs|ran|is\s+using)\s+(?:the\s+)?(?:{_CPU}))"
    # "CUDA is not available" said in prose ("Cuda is not available. Thought might be pytorch version
    # problem"); a program's "No CUDA GPUs are available" is the signatures' (the device is absent).
    r"|\bcuda\s+(?:is\s+|was\s+)?(?:not|n't)\s+(?:available|detected|found|recogni[sz]ed|recogni[sz]ing)\b|\bcuda\s+unavailable\b"
    r"|\bcuda\s+availability:?\s+false\b",
    re.I,
)
# Chinese, Japanese, Korean, Russian, Spanish, French: the same parts in those languages' orders.
_GPU_INTL = r"(?:GPU|gpu|显卡|独显|N卡|cuda|CUDA|그래픽|видеокарт\w*|gpu|tarjeta|carte graphique)"
_UNUSED_INTL = re.compile(
    # zh: GPU + 没(有)/未/无法/不 + 使用/调用/用上/识别/检测/工作, and the reverse order.
    rf"{_GPU_INTL}\s*(?:也|都|一直|还是|却|确)?\s*(?:(?:没有|没|未|并未|无法|不能|不)\s*(?:被)?\s*(?:在)?(?:使用|调用|用上|用|识别|检测到|工作|运行|启用|占用|能用)|启用不了|用不了|一点占用都没有|没有占用)"
    rf"|(?:没有|没|未|并未|无法|不能|不会|不)\s*(?:被)?\s*(?:在[^，。,\s]{{1,12}}上)?\s*(?:使用|用上|用到|调用|利用|识别|识别到|检测到|发现|找到|检测|用)\s*(?:到|出)?\s*(?:可用的)?{_GPU_INTL}"
    rf"|(?:识别|检测|找|调用|用)不(?:到|了|出)\s*(?:可用的)?{_GPU_INTL}|{_GPU_INTL}\s*空闲|{_GPU_INTL}\s*没怎么用|{_GPU_INTL}\s*不识别|cuda\s*,\s*pytorch\s*不识别"
    r"|(?:只|仍然|还是|一直|都|总是|只能|默认|仍在|却仍然在|只是)\s*(?:能)?\s*(?:在|用|使用|占|跑|走)?\s*(?:的是\s*|这个\s*)?(?:CPU|cpu)\s*(?:上)?\s*(?:在)?(?:运行|跑|训练|计算|工作|进行|上面)?"
    # accsilent40: "调用的一直是cpu" (what is called is always the CPU), "一直在用CPU跑" (it keeps running on the CPU).
    r"|(?:一直|还是|仍然|总是|始终)\s*(?:是|在用|在使用|在跑)\s*(?:CPU|cpu)(?![\w-]*\s*(?:版本|版|和|与|跟|还是|或))"
    r"|(?:用的|使用的|跑的)(?:是|还是|仍是)\s*(?:CPU|cpu)|(?:是|都是|还是)\s*(?:用|使用|跑)的\s*(?:CPU|cpu)|跑在\s*(?:CPU|cpu)\s*上|(?:CPU|cpu)\s*在(?:跑|工作)|只(?:跑|占|用)\s*(?:CPU|cpu)|只能集成显卡|提示没有GPU"
    # ja: GPUが使用されていない / 使われない / 認識されない.
    r"|GPU\s*(?:が|を|は)?\s*(?:使用されていない|使用されない|使われ(?:ない|ません|ていない)|使えない|使えません|認識され(?:ない|ません|ていない)|認識しない|認識しません|見つから(?:ない|ず))"
    r"|CPU\s*(?:で|のみで)(?:しか)?\s*(?:動い|実行|計算|学習|行い)"
    # ko: GPU를 사용하지 않 / 인식하지 못.
    r"|(?:GPU|gpu|그래픽)\s*(?:를|을|가|이)?\s*(?:사용하지\s*(?:않|못)|사용\s*안|인식(?:하지\s*(?:않|못)|되지\s*않|을\s*못|\s*안)|못\s*(?:찾|잡|쓰))|CPU\s*(?:로|만)\s*(?:만\s*)?(?:돌아|실행|학습|사용)"
    # ru: не видит / не используется GPU, работает на CPU.
    r"|\bне\s+(?:видит|использует|находит|определяет|распознаёт|распознает)\s+(?:\w+\s+)?(?:GPU|CUDA|видеокарт\w*)|\b(?:GPU|gpu|CUDA|видеокарта)\s+не\s+(?:используется|определяется|видна|виден|видит|обнаружен\w*|задействован\w*)"
    r"|\bНе\s+используется\s+(?:gpu|GPU|видеокарта)|\b(?:работает|считает|обучается|запускается)\s+(?:только\s+)?на\s+(?:CPU|процессоре)|отказывается\s+использовать\s+видеокарту|все\s+работает\s+от\s+встройки"
    # es/pt: no detecta / no usa la GPU; fr: n'utilise pas le GPU, la détection n'a pas fonctionné.
    r"|\bno\s+(?:detecta|reconoce|usa|utiliza|encuentra|está\s+usando|está\s+utilizando|es\s+posible\s+usar)\s+(?:\w+\s+){0,3}?(?:la\s+|mi\s+|ninguna\s+)?(?:GPU|gpu|tarjeta)"
    r"|\bnão\s+(?:detecta|reconhece|usa|utiliza|encontra|está\s+usando|está\s+utilizando)\s+(?:a\s+|minha\s+|nenhuma\s+)?(?:GPU|placa)"
    r"|\b(?:la|a)\s+GPU\s+no\s+(?:se\s+)?(?:detecta|usa|utiliza|reconoce)|\ba\s+GPU\s+não\s+(?:é\s+|está\s+sendo\s+)?(?:detectada|usada|utilizada|reconhecida)|\b(?:solo|sólo|só|apenas)\s+(?:usa|utiliza)?\s*(?:la\s+|a\s+|el\s+)?CPU\b"
    r"|no\s+puedo\s+seleccionar\s+mi\s+tarjeta|\bn[’']utilise\s+pas\s+(?:le|la|mon|ma)\s+(?:GPU|carte)|(?:GPU|gpu)[^.;!?\n]{0,40}détection\s+automatique\s+n[’']a\s+pas\s+fonctionné"
    r"|\bmà\s+ko\s+thấy\s+nhận",
    re.I,
)

# A CPU-only build obtained: a verb of getting (finite) and the CPU build as its object, or the
# build said to be without CUDA ("not compiled with CUDA", "wheel that doesn't support cuda").
_BUILD = r"(?:version|build|wheel|package|variant|release|binary|one)"
_FRAMEWORK = r"(?:torch|pytorch|tensorflow|tf|jax|jaxlib|paddle\w*|onnxruntime|llama\.cpp|mxnet)"
_CPU_BUILD_EN = re.compile(
    rf"\b(?:installs|installed|install(?:ing)?\s+(?:the\s+)?(?:cpu|cpuonly)|pulls|pulled|gets?|got|obtained|downloads|downloaded|picks|picked|resulted\s+in|results\s+in|ended\s+up\s+with|ends\s+up\s+with"
    rf"|forces|forced|replaced\s+by|wants\s+to\s+install|is|was|are|uses?\s+the\s+default|get\s+cpuonly|always\s+get"
    rf"|(?:conda|pip|uv|mamba|poetry|setup\.py)\s+install)\s+(?:(?:the|a|an|only|normal|default|plain|unexpected|{_FRAMEWORK})\s+)*"
    rf"(?:\"?cpu\"?|cpu[- ]?only|cpuonly|non-?(?:gpu|cuda))(?:\s+(?:only|pytorch|torch|tensorflow|jax|jaxlib))?(?:\s+{_BUILD}|\b(?=\s+instead\b)|\b(?=\s*$))"
    rf"|\b(?:installs|installed|gets?|got|obtained|downloaded|uses|use|using|forces|with)\s+(?:the\s+|a\s+)?(?:{_FRAMEWORK})\s+(?:\w+\s+)?(?:with\s+)?cpu[- ]?only\b"
    rf"|\bcpu[- ]?only\s+(?:{_FRAMEWORK})\s+(?:is|was|gets?|got|being)?\s*installed|\bcpuonly\s+(?:library|package)\s+(?:is|was)\s+(?:also\s+)?installed"
    rf"|\bobtained\s+(?:{_FRAMEWORK})\s+with\s+cpuonly|\b(?:got|get)\s+cpuonly\b"
    rf"|\bcpu[- ]?(?:only\s+)?(?:version|build)\s+(?:of\s+(?:{_FRAMEWORK})\s+)?(?:is|was|being|gets?|got)\s+(?:\w+\s+)?installed"
    # ... but not the kernels of one architecture ("not built with CUDA kernel binaries compatible with
    # compute capability 9.0": TensorFlow's PTX JIT notice, a GPU build that compiles its kernels at start-up).
    rf"|\b(?:not|n't|couldn't|never)\s+(?:been\s+|be\s+)?(?:compiled|built|installed|being\s+installed)\s+with\s+(?:gpu|cuda)(?!\s+(?:kernels?|binar(?:y|ies)|code|arch\w*|sm_|for\s+(?:compute|sm|arch|this\s+gpu|your\s+gpu)))(?:\s+support|\s+enabled)?"
    rf"|\bcompiled\s+without\s+(?:gpu|cuda)|\b(?:wheel|binary|build|package)\s+that\s+(?:doesn't|does\s+not)\s+support\s+cuda"
    rf"|\b(?:you\s+have\s+)?installed\s+cpu\s+version\s+(?:{_FRAMEWORK})|\bbreaks\s+gpu[- ]support|\bwithout\s+(?:gpu|cuda)\s+support\b",
    re.I,
)
_CPU_BUILD_INTL = re.compile(
    r"(?:安装|装|选择|下载|实际是|是|为|使用|用|了)\s*(?:的是|了)?\s*(?:CPU|cpu)\s*(?:版本|版)|(?:CPU|cpu)\s*(?:版本|版)\s*(?:的\s*)?(?:paddle|torch|pytorch|tensorflow)?\s*(?:报错)?$"
    r"|(?:CPU|cpu)\s*버전이\s*설치|CPU\s*版がインストール|без\s+поддержки\s+cuda",
)

# Why a sentence with such words may assert nothing, beside explain.grammar's decision (a question, a condition,
# advice, a plan, hearsay): a comparison, "you" in general, the words' own verb negated before them.
# A preposition before an -ing form makes it a noun ("by using only the CPU", "for running on CPU").
_PREP_BEFORE = re.compile(r"\b(?:by|for|about|without|of|how|to|run|do|start|begin|during|avoid)\s+$", re.I)
_BUILD_FINITE = re.compile(r"(?:installs|installed|got|gets|obtained|pulled|downloaded|forces|forced|resulted|results|ended|ends|replaced|is|was|will|conda|pip|uv|mamba|poetry|setup)\b", re.I)
_IMPERATIVE_USE = re.compile(r"(?:use|run|train|utili[sz]e)\b", re.I)
# (accgbdt41, session 41: a manner of use is a degree too, "does not utilise GPU properly", "doesn't use the GPU well": the GPU used
# short of what the writer expected, as the same reports go on to say with a share, "utilisation does not exceed 2-5%".)
_DEGREE = re.compile(r"\s*(?:fully|to\s+(?:its|the)\s+full|efficiently|effectively|at\s+full|enough|100\s*%|properly|optimally|well\b)", re.I)
# accwords: "than" before a number is a quantity ("more than 200mb"), and "rather than" says where the work went
# instead ("runs on the CPU rather than the GPU"): neither compares the GPU with the CPU.
_COMPARISON = re.compile(r"\b(?:(?<!rather\s)than(?!\s*[~<>]?\s*\d)|slower|faster|vs\.?|versus|compared|whereas)\b|比", re.I)
# Lead (session 32): the CPU joined to the GPU ("trained using CPU and GPU versions", "on GPU and CPU"): both were used, the
# CPU run is one side of the writer's comparison, not the GPU left unused.
_JOINED_AFTER = re.compile(r"(?:\s*(?:and|or|&)\s*(?:the\s+|a\s+)?|/)(?:gpus?|cuda)\b", re.I)
_JOINED_BEFORE = re.compile(r"\b(?:gpus?|cuda)(?:\s*(?:and|or|&)\s*(?:the\s+|a\s+)?|/)$", re.I)
# An aim, not a finding: "To make sure the model is on the CPU", "in order to check that it runs on the CPU".
_AIM_BEFORE = re.compile(r"(?:^|[^\w])(?:in\s+order\s+)?to\s+(?:make\s+sure|ensure|check|verify|confirm|test|force|keep)\b", re.I)
_GENERIC_YOU = re.compile(r"\b(?:you|one|users?|people|someone)\s*$|\b(?:you|one|users|people|someone)\s+(?:can|could|should|may|might|must|need|have\s+to|will|would)\b", re.I)
# A subordinate "when"/"while" clause holding the words: a circumstance, not a report ("fine when the
# model is being fit using CPUs").
_WHEN_CLAUSE = re.compile(r"\b(?:is|are|was|were|works?|worked|happens?|happened|fine|ok|okay)\b[^,;]*\b(?:when|whenever|while)\b", re.I)
_GUESS = re.compile(r"\b(?:seems?|seemed|appears?|looks?\s+like|think|thought|guess|believe|assume|wonder)\b|似乎|好像|怀疑", re.I)


# The words' clause opened by a subordinator of time or condition, with a short subject and the words' auxiliary:
# "when dlib do ", "if the GPU is ", "whenever it does ", "wenn ... nicht" is not read (English only).
# The subject is one or two words ("dlib", "the GPU", "my model"), not a clause of its own ("when I train it does not ...",
# "when training it does not ...": the main clause's subject follows the subordinate verb without a comma).
_SCENE_BEFORE = re.compile(r"^\W*(?:and\s+|but\s+|so\s+)?(?:when(?:ever)?|if|while|once)\s+(?:[\w.+-]+\s+)?(?!(?:it|this|that|them|they)\s)[\w.+-]+\s+"
                           r"(?:(?:do|does|did|is|are|was|were|can|could)(?:n['’]?t)?\s+)?$", re.I)
# A main clause after the words, past a comma or a colon: the result of the run the clause sets up.
_MAIN_AFTER = re.compile(r"[^,，:：;；.!?\n]{0,30}?[,，:：]\s*\S", re.I)


def _sentence_of(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence of ``text`` around ``start``..``end`` and its offset (``explain.grammar``'s one splitter)."""
    left, right = grammar.sentence_at(text, start, end)
    return text[left:right], left


# accray40 (session 40): a message the writer calls wrong, whose content follows ("incorrect warning about not using GPUs",
# "a spurious error saying no GPU is found", "misleading message that the GPU is not used"): what follows is the message's
# claim, which the writer denies.
_WRONG_MESSAGE_BEFORE = re.compile(
    r"\b(?:incorrect(?:ly)?|wrong(?:ly)?|false|spurious|misleading|erroneous(?:ly)?|bogus|mistaken|fake|unnecessary|incorrectly\s+triggered)"
    r"\s+(?:\w+\s+){0,2}?(?:warnings?|messages?|errors?|notices?|alerts?|logs?|notifications?)\s+"
    r"(?:about|saying|that(?:\s+says)?|claiming|stating|regarding|of)\s+(?:the\s+)?$", re.I)


def asserted(text: str, start: int, end: int, *, build: bool = False) -> bool:
    """Whether the words at ``start``..``end`` of ``text`` are said as a fact, not asked, wished, advised or supposed.

    The decision is ``explain.grammar``'s (a question, a condition, advice, a plan, a hedge, hearsay); what is
    added here is this content's own: the words' verb negated before them, a comparison of the CPU and the GPU, a
    degree ("not able to use the GPU fully"), a circumstance ("fine when ..."), people in general.
    """
    left, right = grammar.sentence_at(text, start, end)
    sentence = text[left:right]
    before = text[left:start]
    # The clause the words are in: modals, hedges and "you" govern their own clause only.
    clause = grammar.clause_before(before)
    if grammar.asked(text, left, right, start, end) or grammar.hearsay(text, left, right):
        return False
    # A condition makes words about the GPU unused a supposition; said of a build it states what an
    # installer does ("if the env is created on a CPU node, the CPU-only PyTorch is installed").
    if not build and grammar.supposed(text, left, right, start, end):
        return False
    if not build and grammar.circumstance(text, left, start) and re.match(r"[a-z]+(?:ing|s|ed)?\b", text[start:end], re.I) and not grammar.opens_negated(text[start:end]):
        return False  # accwords3: "When I run this on CPU, ..." sets the scene (a run the writer chose), it is not the finding
    if _SCENE_BEFORE.search(clause) and _MAIN_AFTER.match(text, end, right):
        # accounter (session 23): "when dlib does not use CUDA, the result is: ...", "if the GPU is not used, one epoch takes
        # 3 hours": the words are the condition of a run the writer made on purpose (the CPU side of a comparison), and the
        # main clause after them gives its result; the finding is that result, not the GPU unused.
        return False
    if _WRONG_MESSAGE_BEFORE.search(before):
        # accray40 (session 40): the words give the content of a message the writer calls wrong ("Ray Tune gives incorrect
        # warning about not using GPUs"): the writer says the message is false, not that the GPU is unused.
        return False
    negated = grammar.opens_negated(text[start:end])
    if grammar.advised(text, left, start, end) or grammar.gerund_subject(text, left, start, end):
        return False
    if not negated and grammar.negated_before(clause):
        # accwords: the words' own verb negated before them ("it does not run on the CPU", "is no longer using
        # only the CPU", "I want it to not run on the CPU"): they say the opposite.
        return False
    if text[start:end][:1].isalpha() and text[start:end].split(None, 1)[0].lower().endswith("ing") and _PREP_BEFORE.search(clause):
        return False
    if build:
        # A build named as the cause is often a guess ("it seems pytorch is not installed with GPU"): only
        # the reporter's finding counts.
        # (accgramb41, session 41: an instruction is grammar's decision; its bare form unless the words open with a finite verb
        # of their own, "Install torch; pip installed the CPU build".)
        return not (grammar.instructed(text, start, end, bare=_BUILD_FINITE.match(text, start) is None) or _GUESS.search(before))
    # "not able to use the GPU fully" says it is used, below its capacity (stated_underused's matter).
    if _DEGREE.match(text, end):
        return False
    if _JOINED_AFTER.match(text, end) or _JOINED_BEFORE.search(text, left, start) or _AIM_BEFORE.search(clause):
        return False
    return not (_generic_subject(clause, text[start:end]) or _WHEN_CLAUSE.search(clause) or _COMPARISON.search(sentence) or (_IMPERATIVE_USE.match(sentence.lstrip(), 0) and sentence.lstrip().startswith(text[start:end].split(None, 1)[0])))


def cpu_build_said(text: str, start: int, end: int) -> bool:
    """accunify (session 26): the one decision whether the words at ``start``..``end`` of ``text`` saying that an install
    brought the framework's CPU build (not its GPU one) are the writer's finding, asked by every reader of it (this module's
    ``cpu_build`` forms and ``explain.installstate.said_resolved_to_cpu``'s): said as a fact (``asserted`` of a build: not
    asked, advised, guessed or negated), not inside quotation marks, not a state that is over ("at first pip installed the
    CPU build, now it works"), and not under a condition in the words' own clause ("if pip installs the CPU build,
    uninstall it"). A condition in another clause leaves it a statement of what an installer does ("if the env is created
    on a CPU node, pip installs the CPU-only PyTorch"). (The two readers judged these apart before: installstate's skipped
    any condition in the sentence and any sentence up to a "?", statements' neither; a "?" after a statement is left to
    ``asserted``'s reading of a question.)"""
    left, right = grammar.sentence_at(text, start, end)
    own = start - len(grammar.clause_before(text[left:start]))
    if grammar.quoted(text, start) or grammar.over(text, left, right, end) or grammar.supposed(text, own, right, start, end):
        return False
    if grammar.asked_inverted(text, left, right, start):
        return False  # acctwins (session 39): "In which case can I run this with another CPU only version of Torch?"
    if _PREDICTED.search(text[own:end]):
        # accread41 (session 41): the install told in the future ("the solver will just silently install a cpu-only version
        # of jaxlib", "I'm going to install the CPU build"): a prediction or a plan, not what an install brought.
        return False
    if _RUN_WITH_BEFORE.search(text, left, start):
        # Lead (session 34): the build named as the circumstance of a run ("the same script doesn't print any errors when run
        # with a CPU-only build"): the CPU side of the writer's comparison, not the build they installed.
        return False
    return asserted(text, start, end, build=True)


# The verb of getting in the future, in the words' own clause: "will install", "'ll pull", "is going to download", "would get".
_PREDICTED = re.compile(r"(?:\b(?:will|would|gonna|going\s+to)|['’]ll)\s+(?:(?:just|then|simply|only|still|also|always|silently|probably|automatically|end\s+up)\s+){0,3}"
                        r"(?:install|pull|download|get|give|pick|resolve|fetch|bring|replace|use)\w*\b", re.I)


# A run's circumstance just before a build's words: "when run with", "when running it on", "whenever we use".
_RUN_WITH_BEFORE = re.compile(r"\bwhen(?:ever)?\s+(?:(?:i|we|you|it\s+is|it's)\s+)?(?:run|running|ran|using|used|use|tested|testing|trying|tried|launched)"
                              r"(?:\s+(?:it|this|them|the\s+same\s+\w+))?\s+(?:(?:with|on|using|under)\s+)?(?:(?:a|an|the)\s+)?$", re.I)


def _quoted(text: str, start: int) -> bool:
    """Whether ``start`` is inside quotation marks: a message the reporter quotes, not their own words."""
    return grammar.quoted(text, start)


# What a monitor shows of the GPU's work ("Task Manager not showing the GPU being used", "nvtop doesn't show
# the GPU at work"): one of its measures, which a monitor may not show (Windows' Task Manager graphs the 3D
# engine by default, not CUDA's), not the GPU unseen; "nvidia-smi doesn't show the GPU" (no device) still is.
_MEASURE_AFTER = re.compile(r"\s+(?:being\s+used|being\s+utili[sz]ed|in\s+use|used|usage|utili[sz]ation|util\b|load|activity|at\s+work|working|busy|doing\s+\w+)", re.I)
_SHOW_VERB = re.compile(r"\b(?:show(?:s|ed|ing|n)?|display(?:s|ed|ing)?|list(?:s|ed|ing)?)\b", re.I)


def unused_statement(text: str) -> re.Match[str] | None:
    """The first words of ``text`` saying that the GPU is not used (and said as a fact), or None."""
    text = text[:MAX_LINE]
    if grammar.program_line(text):
        return None
    for rx in (_UNUSED_EN, _UNUSED_INTL) if not text.isascii() else (_UNUSED_EN,):
        for m in rx.finditer(text):
            if _SHOW_VERB.search(m.group(0)) and _MEASURE_AFTER.match(text, m.end()):
                continue
            if asserted(text, m.start(), m.end()) and not _quoted(text, m.start()):
                return m
    return None


def cpu_build_statement(text: str) -> re.Match[str] | None:
    """The first words of ``text`` saying that a CPU-only build is installed (and said as a fact), or None."""
    text = text[:MAX_LINE]
    if grammar.program_line(text):
        return None
    for rx in (_CPU_BUILD_EN, _CPU_BUILD_INTL) if not text.isascii() else (_CPU_BUILD_EN,):
        for m in rx.finditer(text):
            if cpu_build_said(text, m.start(), m.end()):
                return m
    return None


# --- The phrases: forms listed one by one (moved here from explain/logfacts.py in session 18, so that one
# module decides what a sentence asserts). What they match counts only when ``asserted`` says the sentence
# asserts it; the grammar above reads the forms they do not list. ---------------------------------------

# The user's own words that the GPU is not used ("training starts in CPU mode", "GPU is NOT AVAILABLE");
# not seeing one of the GPU's measures ("nvidia-smi cannot see GPU usage") or what a monitor lists of it ("Cannot see gpu
# process ... in container": the driver's process list is not PID-namespace aware) is not the GPU unseen.
_STATED_UNUSED = re.compile(
    r"\b(?:is |was )?using only (?:my |the )?CPU\b|"
    r"\bGPU (?:is |was )?(?:not|NOT) (?:available|detected|found|recogni[sz]ed|used|being used|working|visible)\b"
    r"|\b(?:doesn'?t|does not|didn'?t|did not|can'?t|cannot|won'?t|isn'?t|is not|not|unable to|fails? to) (?:get \w+ to )?(?:use|using|detect|see|find|recogni[sz]e) (?:the |my |any |a )?(?:NVIDIA )?GPU(?!'?s? ?-?(?:usage|utili[sz]ation|util|memory|temperature|load|clock|fan|power|metrics|stats|process(?:es)?|info|name|details?|count|index|indices|ids?)\b)"
    r"|\b(?:starts?|runs?|ran|running|trains?|trained|training|executes?|only uses?|uses only|fall(?:s|ing)? back to|stuck on|stays? on) (?:\w+ ){0,3}(?:in|on|at|to|the) (?:the )?CPU(?: mode| only)?\b"
    r"|\bCPU mode only\b|\bonly (?:the )?CPU (?:is )?(?:used|detected|available)\b|\bGPU doesn'?t work\b|\bno GPUs? (?:is |are |was |were )?(?:detected|found|available|being used)\b"
    r"|\bGPU (?:is |was )?(?:not|NOT) (?:being )?utili[sz]ed\b"
    # A program's own report of the device it chose, when that is the CPU ("device: cpu" printed alone).
    r"|^\s*(?:\[?\w+\]?:?\s*)?(?:using|running on|selected|chosen) device:?\s*['\"]?cpu['\"]?\.?\s*$|^\s*device\s*[:=]\s*['\"]?cpu['\"]?\.?\s*$",
    re.I,
)
# Read only on lines holding one of _UNUSED_MORE_WORDS (each alternative needs one): most lines
# that mention the GPU or the CPU are a framework's own and hold none.
_STATED_UNUSED_MORE = re.compile(
    # The same in other English forms: "GPU isn't getting used", "the GPU is connected but it is not
    # being used" (the subject said once, then a pronoun), "the GPU becoming invisible to tensorflow",
    # "jax keeps falling back to CPU", "device: cpu" printed alone, and a framework's answer written
    # in prose: "torch.cuda.is_available() ... always returns False".
    r"\bGPUs? (?:isn'?t|aren'?t|wasn'?t|weren'?t|is not|are not|was not|were not) (?:getting |being )?(?:used|utili[sz]ed|detected|recogni[sz]ed)\b"
    r"|\bGPU\b[^.;!?\n]{0,60}\bbut (?:it|they) (?:is|are|was|were)(?:n'?t| not) (?:getting |being )?(?:used|utili[sz]ed|detected|recogni[sz]ed)\b"
    r"|\bGPUs?\b[^.;!?\n]{0,20}\b(?:becom(?:es|ing)|became|is|was|are|were|goes|went|got) invisible\b"
    r"|\b(?:falls|falling|fell|fallen) back (?:to|on) (?:the )?CPU\b"
    # "I don't think torch is using my GPU", "my 4090 GPU is completely ignored and all is processed
    # by the CPU", "does not provide access to the GPU"; Kubernetes: "GPUs do not show up", "no gpu
    # listed under capacity", "Capacity and Allocatable do not list nvidia.com/gpu".
    r"|\b(?:don'?t|do not) think (?:\w+ ){0,3}(?:is|are) (?:using|utili[sz]ing|detecting|seeing) (?:the |my |any )?GPU"
    r"|\bGPU\s+(?:it\s+)?(?:is|was|gets|got)\s+(?:completely |totally |always |simply )?ignored\b|\bGPUs\s+(?:are|were|get|got)\s+(?:completely |totally |always |simply )?ignored\b"
    r"|\b(?:all|everything|it|the work|the model|inference|training) (?:is |was |gets |got )?(?:processed|computed|handled|executed|done|run) (?:by|on) (?:the )?CPU\b(?!\s*(?:workers?|threads?|cores?|side))"
    # accwords (session 28): the work placed on the CPU against the GPU, with or without a verb ("the workload always on cpu,
    # not gpu", "training runs on the CPU instead of the GPU", "inference is on CPU rather than GPU"); the subject must be
    # the work (a bug "on CPU, not GPU" is where it reproduces).
    r"|\b(?:work(?:load)?s?|model|training|inference|computations?|processing|process|jobs?|everything|tasks?|predictions?|generation|transcription)\s+"
    r"(?:(?:is|are|was|were|runs?|ran|running|goes|went|stays?|stayed|happens?|executes?|executed|still|always|only|all)\s+){0,3}(?:(?:done|executed|placed|put)\s+)?"
    r"on\s+(?:the\s+)?cpu\s*,?\s*(?:and\s+|but\s+)?(?:not|instead\s+of|rather\s+than)\s+(?:on\s+)?(?:the\s+|my\s+)?gpu\b"
    r"|\b(?:no|without) access to (?:the |a |any )?GPU|\b(?:does|do|did)(?:n'?t| not) (?:provide|give|have|get) access to (?:the |a |any )?GPU"
    r"|\bGPUs? (?:do|does|did)(?:n'?t| not) (?:show up|appear)\b|\bno GPUs? (?:is |are )?(?:listed|shown|showing)\b|\b(?:do|does|did)(?:n'?t| not) (?:list|show) (?:any )?(?:nvidia\.com/)?GPU(?![-_ ]?(?:process|info|name|detail|count|index|indices|ids?\b|usage|util|memory|mem\b|stat|metric|temp|load|column|field))"
    r"|is_ava[a-z]*able\b(?:\(\))?[^.;!?\n]{0,50}?\b(?:returns?|returned|returning|gives?|gave|giving|is|was|shows?|showed|prints?|printed|outputs?|says?|said|stays?|remains?)\s+(?:me\s+)?(?:still\s+|always\s+|only\s+)?[`'\"*]*False\b"
    # Spanish and Portuguese: "no detecta la GPU", "não reconhece a GPU".
    r"|\bno (?:detecta|reconoce|usa|utiliza|encuentra|está usando|está utilizando) (?:la |mi |ninguna )?GPU|\bnão (?:detecta|reconhece|usa|utiliza|encontra|está usando|está utilizando) (?:a |minha |nenhuma )?GPU"
    r"|\b(?:la|a) GPU no (?:se )?(?:detecta|usa|utiliza|reconoce)|\ba GPU não (?:é |está sendo )?(?:detectada|usada|utilizada|reconhecida)|\b(?:solo|sólo|só|apenas) (?:usa|utiliza) (?:la |a )?CPU\b",
    re.I,
)
_UNUSED_MORE_WORDS = ("n't", "not", "invisible", "back", "is_ava", "ignored", "by the cpu", "on the cpu",
                      "by cpu", "on cpu", "access to", "show up", "appear", "listed", "shown", "showing", "no gpu",
                      "detecta", "reconoce", "usa ", "utiliza", "encuentra", "não", "apenas", "solo", "sólo", "só ")
# Read only on lines with a character outside ASCII.
_STATED_UNUSED_INTL = re.compile(
    # The same said in the languages reporters write in (Chinese, Korean, Japanese, Russian):
    # "没有使用GPU", "用的是CPU", "GPU를 사용하지 않", "GPUが認識されない", "не видит GPU".
    r"(?:没有|没|未|并未|不能|无法|不会)(?:被)?(?:使用|用上|用到|调用|利用|识别|识别到|检测到|找到|用)\s*(?:到\s*)?GPU"
    r"|(?:检测|识别|找|调用|用)不(?:到|了)\s*GPU|GPU\s*(?:没有|没|未|并未)(?:被)?(?:使用|用上|调用|识别|检测到|利用)"
    r"|(?:只|仍然|还是|一直|都)(?:能)?(?:在|用|使用)\s*CPU\s*(?:上)?(?:运行|跑|训练|计算)?|用的(?:是|还是|仍是)\s*CPU|跑在\s*CPU\s*上"
    r"|GPU\s*(?:를|을|가|이)?\s*(?:사용하지\s*(?:않|못)|사용\s*안|인식(?:하지\s*(?:않|못)|되지\s*않|을\s*못|\s*안)|못\s*(?:찾|잡|쓰))|CPU\s*(?:로|만)\s*(?:만\s*)?(?:돌아|실행|학습|사용)"
    r"|GPU\s*(?:が|を)?\s*(?:使われ(?:ない|ません|ていない)|使えない|使えません|使用されない|使用されていない|認識され(?:ない|ません|ていない)|認識しない|認識しません|見つから(?:ない|ず))|CPU\s*(?:で|のみで)(?:しか)?\s*(?:動い|実行|計算|学習)"
    r"|\bне\s+(?:видит|использует|находит|определяет|распознаёт|распознает)\s+(?:\w+\s+)?GPU|\bGPU\s+не\s+(?:используется|определяется|видна|виден|видит|обнаружен\w*|задействован\w*)|\b(?:работает|считает|обучается|запускается)\s+(?:только\s+)?на\s+CPU"
    # The framework's answer reported in those languages: "is_available() 返回 False",
    # "is_available()이 False로 반환", "is_available() が False を返す".
    r"|is_ava[a-z]*able\(\)\s*(?:이|가|は|が)?\s*(?:(?:返回|输出|结果(?:为|是)|显示|一直是|总是|始终是|为|是)\s*(?:的是\s*)?False|False\s*(?:로|으로|를|가|이|を|が)?\s*(?:반환|나옵|나와|나옴|출력|떠|뜹|뜨|返|出))",
    re.I,
)
_STATED_UNDERUSED = re.compile(
    r"\bGPU[- ]?(?:util(?:i[sz]ation)?|usage|load)\w*\s+(?:is\s+|was\s+)?(?:(?:very|extremely|really|quite|too|so)\s+)?(?:low|unstable|fluctuat\w*)"
    # The same said the other way round: "the utilization of my GPU is extremely low".
    r"|\b(?:util(?:i[sz]ation)?|usage|load) of (?:my|the|our|your) GPUs?\s+(?:is|was|are|were|stays)\s+(?:(?:very|extremely|really|quite|too|so)\s+)?(?:low|unstable)\b"
    r"|\b(?:low|unstable) GPU[- ]?(?:util\w*|usage)\b|\bperiodica?l?ly used gpu\b"
    r"|\bGPUs? (?:is |are |was |were )?(?:(?:mostly|sitting|often|frequently|largely) )*idle\b"
    # accutil40 (session 40): the GPU's share said short of full as the complaint ("GPU utilization is not 100%", "the GPU usage
    # never reaches 100%"): kernels run part of the time and the GPU waits the rest (nvidia-smi's GPU-Util is the share of
    # time a kernel ran, https://docs.nvidia.com/deploy/nvidia-smi/index.html), the class itself.
    r"|\bGPU[- ]?(?:util(?:i[sz]ation)?|usage|load)\w*\s+(?:is|was|are|were|stays?|remains?)\s+(?:still\s+)?(?:not|never|n[o']t)\s+(?:at\s+|reaching\s+|above\s+|up\s+to\s+)?(?:100\s*%|full\b|the\s+max(?:imum)?\b)"
    r"|\bGPU[- ]?(?:util(?:i[sz]ation)?|usage|load)\w*\s+(?:never|doesn['’]?t|does\s+not|didn['’]?t|did\s+not)\s+(?:reach(?:es)?|hits?|get\s+to|go\s+(?:up\s+)?to)\s+(?:100\s*%|full\b|the\s+max(?:imum)?\b)"
    # The GPU's work said to come and go ("the GPU is working intermittently", "the utilization of GPU would intermittently all be
    # 0"): kernels in bursts with waits between. Only the GPU's work or its use as the subject: a GPU that intermittently
    # disappears or fails is a fault, not a share of time.
    r"|\bGPUs?\s+(?:is\s+|was\s+|are\s+|were\s+|seems\s+to\s+be\s+)?(?:only\s+)?(?:working|used|utili[sz]ed|busy|active|running|computing)\s+(?:only\s+)?[\"“']?(?:intermittently|sporadically|on\s+and\s+off|in\s+bursts)\b"
    r"|\b(?:util(?:i[sz]ation)?|usage|load)\s+of\s+(?:the\s+|my\s+)?GPUs?\s+(?:would\s+|will\s+|does\s+|is\s+)?(?:intermittently|sporadically)\s+(?:all\s+)?(?:be|is|become|becomes|drops?|falls?|goes)\b",
    re.I,
)
_STATED_CPU_BUILD = re.compile(
    r"\b(?:installed|installs|pulled|got|is|was|with|resulted in|results in|ended up with|ends up with|gives|gave) (?:the |a )?(?:\w+ )?(?:with )?cpu[- ]?(?:only )?(?:version|build|package|wheel)\b"
    r"|\b(?:doesn'?t|does not|didn'?t|did not) have (?:GPU|CUDA) support\b|\bwithout (?:GPU|CUDA)(?: or (?:GPU|CUDA))? support\b|\bCPU[- ]only (?:version|build|wheel|package)\b",
    re.I,
)
# "cuDNN ... version 6.1, which is not compatible with any version of tensorflow", "CUDA 12 does not work with torch 1.13".
# Read only on lines holding "only" or a character outside ASCII: "the CPU-only PyTorch is installed",
# "observe cpuonly version being installed"; the same in Chinese, Korean and Japanese ("安装的是cpu版本",
# "CPU 버전이 설치", "CPU版がインストール").
_STATED_CPU_BUILD_MORE = re.compile(
    r"\bcpu[- ]?only (?:pytorch|torch|tensorflow|jax|jaxlib)\b|\bcpu[- ]?only (?:version|build|package|wheel) (?:is |was |being |gets |got )?installed\b"
    r"|cpu\s*(?:版本|版|버전)",
    re.I,
)
_STATED_INCOMPATIBLE = re.compile(
    r"\b(cuDNN|CUDA)\b(?:[^.;!?\n]|\.(?=\d)){0,60}?\b(?:is |are )?(?:not compatible|incompatible|(?:doesn'?t|does not|won'?t|will not) work)\b(?:[^.;!?\n]|\.(?=\d)){0,40}?\b(?:tensorflow|keras|torch|pytorch|jax)\b"
    # The same the other way round: "Tensorflow 1.5 doesn't support CUDA 9.1 yet".
    r"|\b(?:tensorflow|keras|torch|pytorch|jax|jaxlib)\b(?:[^.;!?\n]|\.(?=\d)){0,30}?\b(?:doesn'?t|does not|didn'?t|did not|won'?t|will not|can'?t|cannot) (?:yet )?(?:support|work with)\b(?:[^.;!?\n]|\.(?=\d)){0,15}?\b(cuDNN|CUDA)\b(?=\s*v?\d)",
    re.I,
)

def code_condition(text: str, start: int) -> bool:
    """Whether the expression at ``start`` is the condition of an if/assert/while in code, not an answer (``explain.grammar.in_code``)."""
    return grammar.in_code(text, start)


# The statement taken back in the same sentence ("... GPU is not working, when it really is").
_TAKEN_BACK = re.compile(r"\b(?:when|but|while|though|although|whereas)\s+(?:it|the GPU|they)\s+(?:really|actually|in fact)\s+(?:is|does|are|do)\b", re.I)


def said_now(text: str, match: re.Match[str]) -> bool:
    """Whether a statement that the GPU is unused says so of now (not of a state that is over, not code, not taken back)."""
    if grammar.in_code(text, match.start()):
        return False
    left, right = grammar.sentence_at(text, match.start(), match.end())
    if grammar.hearsay(text, left, right) or _TAKEN_BACK.search(text, left, right):
        return False
    return not grammar.over(text, left, right, match.end())



def unused(text: str) -> re.Match[str] | None:
    """The words of ``text`` saying that the GPU is not used now, asserted by the writer, or None.

    The listed phrases are tried first, then the grammar (``unused_statement``); either reading counts
    only when the sentence asserts it of the present (``said_now``).
    """
    if grammar.code_comment(text):
        return None  # accwords3: "# running on CPU" labels the code under it (a CPU run configured on purpose)
    low = text.lower()
    m = (_STATED_UNUSED.search(text)
         or (_STATED_UNUSED_MORE.search(text) if any(map(low.__contains__, _UNUSED_MORE_WORDS)) else None)
         or (_STATED_UNUSED_INTL.search(text) if not text.isascii() else None))
    if m is None or not asserted(text, m.start(), m.end()):
        m = unused_statement(text) or _new_unused(text) or memory_unused(text) or cpu_rises_gpu_flat(text)
    if m is None:
        # accquiet (session 36): placement verbs, quantifiers, "the CPU and not the GPU" (explain/cpuplaced.py)
        from whygpu.explain.cpuplaced import placed_unused

        m = placed_unused(text)
    if m is None:
        # accsilent (session 39): the program's choice of the CPU, the GPU not leveraged, the CPU alone (explain/silentsaid.py)
        from whygpu.explain.silentsaid import unused_said

        m = unused_said(text)
    if m is not None and _FAILS_WITH.match(text, m.end()) and re.search(r"\bwork", m.group(0), re.I):
        # accounter (session 23): "the GPU is not working with the following message: ..." reports a failure and points
        # at its message (which says what failed: an out-of-memory error is the GPU in use), not the GPU left unused.
        return None
    return m if m is not None and said_now(text, m) else None


# A failure's message pointed at after the words: "... with the following error", "..., it gives this message:".
_FAILS_WITH = re.compile(r"[\s,;:-]*(?:(?:and|it)\s+)*(?:with|gives?|gave|throws?|threw|shows?|showed|prints?|printed|raises?|raised|returns?|returned|fails?\s+with)\s+"
                         r"(?:the\s+following|this|these|that|an?|the)\s+(?:\w+\s+)?(?:errors?|messages?|exceptions?|tracebacks?|outputs?|warnings?)\b", re.I)


def cpu_build(text: str) -> re.Match[str] | None:
    """The words of ``text`` saying that a CPU-only build is installed, asserted by the writer, or None."""
    low = text.lower()
    m = _STATED_CPU_BUILD.search(text) or (_STATED_CPU_BUILD_MORE.search(text) if "only" in low or not text.isascii() else None)
    if m is not None and cpu_build_said(text, m.start(), m.end()):
        return m
    return cpu_build_statement(text) or _new_cpu_build(text) or cpu_build_used(text)


# accmisc (session 27): the GPU idle said with a verb of staying ("the GPU sits idle", "GPUs stay mostly idle", "the GPU is left
# idle"), asserted (not "should the GPU sit idle, ...", "if the GPU stays idle"). "Completely idle", or idle while the CPU does
# the work, is the GPU not used at all (statements' _NO_USE reads it: test_own_words).
_STAYS_IDLE = re.compile(r"\bGPUs? (?:sits?|sat|stays?|stayed|remains?|remained|is left|was left|are left|were left|keeps? being) (?:(?:mostly|often|frequently|largely) )*idle\b(?!\s+while\s+the\s+CPU)", re.I)


def _stays_idle(text: str) -> re.Match[str] | None:
    # (A GPU that "stays idle" beside a program's own notice that it chose the CPU was not used at all: LOG109 stays quiet
    # where the log holds such a notice, ``LogFacts.cpu_notice``, read by explain.ownanswer.)
    return next((m for m in _STAYS_IDLE.finditer(text) if asserted(text, m.start(), m.end()) and not grammar.quoted_from(text, m.start())), None)


def underused(text: str) -> re.Match[str] | None:
    """The words of ``text`` saying that the GPU is used but mostly idle (low utilisation), or None."""
    low = text.lower()
    if "gpu" not in low and "显卡" not in text:
        return _cpu_bound(text) if "loader" in low or "cpu" in low or "bottleneck" in low or "time" in low else None
    return _stated_underused(text) or _new_underused(text) or _cpu_bound(text) or (_stays_idle(text) if "idle" in low else None)


def _stated_underused(text: str) -> re.Match[str] | None:
    """The older listed forms of low use ("GPU usage is low", "the GPU is idle", "low GPU util"), held to the same test as the
    newer ones (accwords, session 28): asserted and not quoted ("if the GPU is idle, raise num_workers" supposes it, "is the
    GPU usage low?" asks it, "the docs say 'GPU is idle'" quotes it)."""
    return next((m for m in _STATED_UNDERUSED.finditer(text) if asserted(text, m.start(), m.end()) and not grammar.quoted_from(text, m.start())), None)


# The CPU side named as what the GPU waits for: "the gpu is fast, but the cpu is slow", "the CPU is the bottleneck",
# "bottlenecked by the CPU", "the data loader uses only a single process" (PyTorch's DataLoader loads in the main
# process with num_workers=0, one worker process each otherwise,
# https://pytorch.org/docs/stable/data.html#single-and-multi-process-data-loading; the tuning guide names that the
# first thing to check, https://pytorch.org/tutorials/recipes/recipes/tuning_guide.html).
_CPU_BOUND_EN = re.compile(
    r"\bGPUs?\s+(?:is|are|was|were)\s+(?:(?:very|really|so|quite|pretty)\s+)?fast\s*[,;]?\s*(?:but|while|whereas|yet|and)\s+(?:the\s+|my\s+)?CPUs?\s+(?:is|are|was|were)\s+(?:(?:very|really|so|too|quite|pretty)\s+)?slow"
    r"|\b(?:the\s+|my\s+)?CPU\s+(?:is|was|seems\s+to\s+be)\s+(?:the\s+|a\s+)?bottleneck|\bbottleneck(?:ed)?\s+(?:by|on|at)\s+(?:the\s+|my\s+)?CPU\b"
    r"|\b(?:data\s*loaders?|data\s*loading)\b[^.;!?\n]{0,40}?\b(?:only|just)\s+(?:uses?\s+|using\s+)?(?:a\s+|one\s+)?(?:single|one|1)\s+(?:process|worker|thread|core)\b"
    # accmisc (session 27): the same the other way round, the one core named before the loading it does ("using only one cpu
    # core to load data", "only a single CPU core is used for data loading / preprocessing").
    r"|\b(?:only|just)\s+(?:uses?\s+|using\s+|used\s+)?(?:a\s+|one\s+)?(?:single|one|1)\s+(?:CPU\s+)?(?:core|thread|process)\s+(?:(?:is|was)\s+(?:being\s+)?used\s+)?"
    r"(?:to|for|in|during)\s+(?:the\s+)?(?:load(?:ing)?\s+(?:the\s+)?(?:data|images|batches)|data\s*loading|preprocess\w*|pre-process\w*|(?:data\s+)?augmentation|decod\w+)\b"
    # accdevice (session 29): the input side itself named the bottleneck ("data loading is the bottleneck", "the input pipeline
    # was the bottleneck", "bottlenecked by the dataloader") or the GPU said to starve for it ("the GPU is starved").
    r"|\b(?:data\s*load(?:ing|ers?)|dataloaders?|input\s+pipeline|data\s+pipeline|pre-?processing|(?:data\s+)?augmentation|disk\s+(?:i/?o|reads?)|i/o)\s+"
    r"(?:is|was|seems\s+to\s+be|appears\s+to\s+be|has\s+become|became)\s+(?:the\s+|a\s+|my\s+|our\s+)?(?:main\s+|real\s+|big\s+|huge\s+)?bottleneck"
    r"|\bbottleneck(?:ed)?\s+(?:by|on|at|in)\s+(?:the\s+|my\s+)?(?:data\s*load\w*|dataloaders?|input\s+pipeline|data\s+pipeline|pre-?process\w*|i/o|disk|augmentation)"
    r"|\bGPUs?\s+(?:is|are|was|were|gets?|got|keeps?\s+getting)\s+(?:being\s+)?starved\b"
    # accwords (session 33): the profiler's word for it, "an input bottleneck appears", "the input-bound steps", and the GPU said
    # not to be fed fast enough ("the GPU isn't fed data fast enough").
    r"|\b(?:an\s+|the\s+)?input[- ]bottleneck\s+(?:appears|appeared|shows|showed|is\s+(?:shown|visible|there))\b"
    r"|\bGPUs?\s+(?:is|are|was|were)\s*(?:not|n['’]t)\s+(?:being\s+)?fed\s+(?:(?:the\s+)?data\s+)?(?:fast|quickly)\s+enough\b"
    # The GPU said to wait for its input ("the GPU is waiting for data"), or the run's time said spent loading it ("most of the
    # time is spent in the data loader", "60% of the training time is consumed by the DataLoader").
    r"|\bGPUs?\s+(?:is|are|was|were|seems\s+to\s+be|keeps?)\s+(?:always\s+|mostly\s+|often\s+|just\s+)?waiting\s+(?:for|on)\s+(?:the\s+|new\s+)?(?:data|input|batches|data\s*loaders?|cpu)\b"
    r"|\b(?:most|\d{2}\s*%)\s+of\s+(?:the\s+)?(?:training\s+|run\s*|step\s+|iteration\s+)?time\s+(?:is|was)\s+(?:spent|consumed|taken)\s+(?:in|on|by)\s+(?:the\s+)?(?:data\s*load\w*|dataloaders?|data\s+pipeline|input\s+pipeline|pre-?process\w*|(?:data\s+)?augmentation)",
    re.I)
# zh: "GPU很快但CPU很慢", "CPU是瓶颈", "数据加载只用了一个进程".
_CPU_BOUND_ZH = re.compile(r"CPU\s*(?:是|成了|成为)\s*(?:性能)?瓶颈|瓶颈(?:在|是)\s*CPU|(?:GPU|显卡)\s*(?:很|非常)?快[，,]?\s*(?:但|但是|而)\s*CPU\s*(?:很|非常|太)?慢"
                           r"|(?:数据加载|dataloader|DataLoader)[^，。,；;]{0,10}?只(?:用|有|使用)了?\s*(?:一个|1个|单个)\s*(?:进程|线程|核)")


def _cpu_bound(text: str) -> re.Match[str] | None:
    """The CPU or the data loader named as what keeps the GPU waiting, asserted (accounter)."""
    for rx in (_CPU_BOUND_EN, _CPU_BOUND_ZH) if not text.isascii() else (_CPU_BOUND_EN,):
        for m in rx.finditer(text):
            if (asserted(text, m.start(), m.end()) or grammar.said(text, m.start(), m.end())) and not grammar.quoted_from(text, m.start()):
                return m
    return None


def incompatible(text: str) -> str | None:
    """"cuda" or "cudnn" when ``text`` says that version of it does not work with a framework, else None."""
    low = text.lower()
    if not ("compatible" in low or "work" in low or "support" in low):
        return None
    m = _STATED_INCOMPATIBLE.search(text)
    return (m.group(1) or m.group(2)).lower() if m else None


# A version the writer says is installed (issue templates, prose): not one a build was made for, one that is
# needed, supported, asked about or offered for download, and not one named as what is missing ("the error
# says the CUDA 11.0 DLLs are missing", "缺少的是CUDA 11.0版本的DLL").
_NOT_INSTALLED_LINE = re.compile(
    # accfacts (session 25): and a version's role said in a participle ("the required CUDA version is 11.2", "the supported
    # CUDA is 12.1", "recommended"): the version wanted, not the one installed.
    r"\bbuilt (?:with|for|against)\b|\bcompiled (?:with|for|against)\b|\bneed(?:s|ed)?\b|\brequire[sd]?\b|\bsupport(?:s|ed)?\b|\brecommended\b|\+cu\d|cu\d{3}\b|index-url|whl/"
    # (An instruction to install, "please install CUDA 11.2", is grammar.instructed's, which both readers of a version said
    # installed ask; accgram41, session 41. "download" here is a release offered for download: a page, a link.)
    r"|\bdownload\b|\binstall CUDA \d+\.\d+ from\b", re.I)
_LACKING_BEFORE = re.compile(
    r"(?:\bmissing|\blacks?|\blacking|\bwithout|\bno|缺少|缺失|缺|找不到|没有|需要|要求)(?:\s|的|是|了|:|：)*(?:(?:the|a|any)\s+)?(?:(?:CUDA|cuDNN)(?:[\s_-]*(?:toolkit|version))?[\s_-]*v?)?$", re.I)
_LACKING_AFTER = re.compile(r"[^,;.!?，；。！？]{0,25}?(?:\b(?:is|are|was|were)\s+(?:missing|not\s+(?:found|installed))\b|\bnot\s+found\b|(?:未|没有)(?:安装|找到)"
                            # acclib2 (session 30): "cuDNN 8.0 does not exist", "CUDA 11.2 isn't there".
                            r"|\b(?:does\s+not|doesn['’]t|did\s+not|didn['’]t)\s+exist\b|\b(?:is|was)\s*(?:not|n['’]t)\s+(?:there|present)\b)", re.I)


def installed_line(line: str) -> bool:
    """Whether versions on ``line`` can be said installed at all: not a question, not a build's target, a need or a download."""
    return not (line.rstrip().endswith("?") or _NOT_INSTALLED_LINE.search(re.sub(r"\+cuda\d", "", line)))


# accwords (session 28): a version given as a floor is a requirement, not a release installed: "cuDNN 7.0 or later" (inside
# TensorFlow's own cuDNN message: "... in case of CuDNN 7.0 or later version"), "CUDA 11.8+", "CUDA >= 11.8", "at least cuDNN
# 8.1", "CUDA 12.1 and above": what a program needs, the lower bound of a range. (A "+" only attached to the version: "CUDA
# Toolkit 9.0 + cuDNN v7.0.5" joins two releases installed.)
_FLOOR_AFTER = re.compile(r"\+(?![\w.])|\s*(?:(?:or|and)\s+(?:later|newer|higher|above|greater|up|upwards|onwards)\b|(?:and\s+)?(?:above|onwards|upwards)\b|以上|或更高|及以上)", re.I)
_FLOOR_BEFORE = re.compile(r"(?:(?<![-=])>=?|≥|\bat\s+least|\bminimum(?:\s+of)?|\bmin\.?|\bnewer\s+than|\bhigher\s+than|\babove)\s*(?:(?:CUDA|cuDNN)(?:[\s_-]*(?:toolkit|version))?[\s_-]*)?[:=]?\s*v?$", re.I)


def version_floor(line: str, start: int, end: int) -> bool:
    """Whether the version at ``start``..``end`` of ``line`` is given as a floor ("7.0 or later", "11.8+", ">= 8.1"): a requirement."""
    return _FLOOR_AFTER.match(line, end) is not None or _FLOOR_BEFORE.search(line, max(0, start - 30), start) is not None


# accprec (session 31): a number a program or its docs state as what a GPU or a machine must have is a requirement, not the
# machine's own value, in every quantity (a compute capability, a CUDA or cuDNN release, a driver): "This program needs a
# CUDA-Enabled GPU (with at least compute capability 2.0)", "requires an NVIDIA GPU with a minimum compute capability of 3.0",
# "you need a GPU with CC 3.5", "compute capability 3.5 is required". The need's word governs the number when no word of the
# machine's own value stands between them ("needs 3.5, but mine has 3.0", "minimum 3.5 required, found 3.0": the second
# number is the machine's). The words of need are those of a requirement in any program's wording (TensorFlow's "The minimum
# required Cuda capability is 3.5", DeepFaceLab's "minimum required compute capability 3.5", CuPy's docs "require GPU with CC
# >= 3.0"); the quantity's nouns may stand between ("at least compute capability", "minimum CUDA version").
# acclibtriad (session 36): also the release a build was tested on or built for ("seems like it only developed and tested on cuda
# 11.0": system76/docs#494, whose machine had 11.1 and 11.2): the build's, not the machine's ("I built it with CUDA 11.8" is the
# writer's own toolkit and is not read here).
_NEED_BEFORE = re.compile(
    r"\b(?:requires?|required|requiring|needs?|needed|needing|must\s+(?:have|be)|minimum|at\s+least|recommends?|recommended|supports?\s+only|only\s+supports?"
    r"|tested\s+(?:on|with|against)|(?:built|compiled)\s+for)\b"
    r"(?:(?!\b(?:found|detected|has|have|had|got|is|was|are|but|while|whereas|my|mine|your|our|its|device\s*\d|actual|current|installed)\b)[^.;!?\n]){0,60}$", re.I)
_NEED_AFTER = re.compile(r"\s*\)?\s*(?:is\s+|are\s+)?(?:the\s+)?(?:required|needed|minimum|necessary|or\s+(?:better|more|greater|newer|higher))\b", re.I)


def requirement_value(line: str, start: int, end: int) -> bool:
    """Whether the number at ``start``..``end`` of ``line`` is a requirement (a floor, a need, a minimum), not the machine's own
    value: the one decision the readers of a stated compute capability, CUDA or cuDNN release take before reading it as the
    machine's."""
    if version_floor(line, start, end) or _NEED_AFTER.match(line, end) is not None:
        return True
    return _NEED_BEFORE.search(line, max(0, start - 90), start) is not None


# accwords (session 28): a line that asks or names a need in another clause can still state the machine's release in its own
# ("I am working on a server that is installed CUDA 11.2, does this project only support torch 2.0?"): the version's clause
# decides when the writer's verb of having stands before the version in it.
_CLAUSE_MARK = re.compile(r"[,;:.!?，；。！？]\s|\s(?:but|and|so|which|does|do|is|are)\s", re.I)
# (Only the verbs of having a release: "uses", "with" and "on" also say what a card supports ("a GT 730 that uses CUDA 3.5",
# its compute capability) or a build depends on ("depends on CUDA 12.5").)
_HAVING_BEFORE = re.compile(r"\b(?:(?:i|we|it|server|machine|system|computer|pc|node|host)\s+(?:am\s+|is\s+|are\s+)?(?:running|run|have|has|had|got)|installed)\b(?:\s+(?:the|a|an|only|just))?\s*$", re.I)


def version_installed_in_clause(line: str, start: int, end: int) -> bool:
    """Whether the version at ``start``..``end`` is said installed in its own clause of a line that ``installed_line`` leaves out
    (a question or a need said in another clause): the writer's verb of having right before it, no need, build or question in
    the clause, not a floor, not missing, and the sentence not asking it."""
    left = max((m.end() for m in _CLAUSE_MARK.finditer(line, 0, start)), default=0)
    right_mark = _CLAUSE_MARK.search(line, end)
    right = right_mark.start() if right_mark else len(line)
    clause = line[left:right]
    if _NOT_INSTALLED_LINE.search(clause) or requirement_value(line, start, end):
        return False
    if not _HAVING_BEFORE.search(line[left:start]):
        return False
    sentence_left, sentence_right = grammar.sentence_at(line, start, end)
    if grammar.asked(line, sentence_left, sentence_right, start, end) or grammar.supposed(line, sentence_left, sentence_right, start, end):
        return False
    if grammar.instructed(line, start, end):
        return False  # accadvice40 (session 40): an instruction to the reader ("make sure you have CUDA 11.2 installed")
    return not (_LACKING_BEFORE.search(line, max(0, start - 24), start) or _LACKING_AFTER.match(line, end))


def version_said_installed(line: str, start: int, end: int) -> bool:
    """Whether the version at ``start``..``end`` of ``line`` is said to be installed (not built for, needed, asked about, missing or
    given as a floor)."""
    if not installed_line(line):
        return False
    if requirement_value(line, start, end) or version_planned(line, start):
        return False
    if grammar.retold(line, start) is not None or grammar.instructed(line, start, end):
        return False  # accretold (session 38): "... it says that tensorflow works only with CUDA 9.0": the program's words, not the install
    return not (_LACKING_BEFORE.search(line, max(0, start - 24), start) or _LACKING_AFTER.match(line, end))


# acclib2 (session 30): a release the writer plans or asks to take, or says was removed, in the version's own sentence: "I will
# install CUDA 12.1", "going to try cuDNN 8.9", "should I use CUDA 11.8", "let me upgrade to CUDA 12.4", "I uninstalled CUDA
# 11.2": not the machine's release now.
_PLAN_BEFORE = re.compile(
    r"\b(?:will|'ll|going\s+to|gonna|plan(?:ning)?\s+to|want(?:ed)?\s+to|would\s+like\s+to|intend\s+to|should\s+i|shall\s+i|let\s+me|about\s+to)"
    r"\s+(?:\w+\s+){0,2}?(?:install|use|try|get|upgrade|downgrade|switch|move|update)\b|\b(?:uninstall(?:ed)?|removed?|purged?)\b", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?;。！？；](?:\s|$)")


def version_planned(line: str, start: int) -> bool:
    """Whether the version at ``start`` of ``line`` is one the writer plans or asks to take, or removed (its sentence says so before it)."""
    left = max(0, start - 80)
    breaks = list(_SENTENCE_BREAK.finditer(line, left, start))
    if breaks:
        left = breaks[-1].end()
    plan = _PLAN_BEFORE.search(line, left, start)
    # The release must be what is planned, not a companion of it ("I want to use tensorflow-gpu 2.1 with cuda 10.2": the
    # machine's CUDA the plan is to run with).
    return plan is not None and not re.search(r"\b(?:with|for|on|under|using|against)\b", line[plan.end():start], re.I)


# --- Session 19 (accwords): what the GPU's measures, the machine and the input pipeline say --------------
# Three more parts of a statement, each read by meaning (tests/explain/test_statements.py writes each
# form, and where it stays quiet):
#   - the GPU's usage, load or utilisation quantified by "no": "there is no usage of GPU", "No GPU load
#     whatsoever", "found no GPU utilization in nvidia-smi": nothing ran on the GPU (``unused``). A number
#     ("GPU-Util is 0", "GPU usage at 0%") is a reading, not an absence: of the labelled cases that give
#     only the number, most are runs where the GPU was used (negatives2 gh-pytorch-examples-470,
#     gh-funcwj-ge2e-speaker-verification-3, gh-zjulearning-pixel-link-135; holdout11 gh-syllo-nvtop-109;
#     holdout14 gh-victorca25-trainner-72), so a zero is read only with a cause of idling in the same
#     sentence (below);
#   - the GPU's usage low or zero together with what keeps it waiting, the input side (a data loader,
#     data loading, the input pipeline, disk or IO, preprocessing, a CPU-bound step): the GPU is used
#     but idle (``underused``), as in holdout13 gh-autonomousvision-transfuser-154 and holdout14
#     gh-yjxiong-tsn-pytorch-54 (GPU_UNDERUSED); and "the GPU is in very low usage", "low usage of the
#     GPU", the word order the older reader ("GPU usage is very low") does not read;
#   - the machine without an NVIDIA GPU, said by its owner: "I don't have a graphics card", "my laptop
#     has no NVIDIA GPU", "there is no GPU in this machine", "a computer with only a CPU and no GPU",
#     "my notebook only has integrated graphics" (``no_gpu``): causes.md's NO_GPU; not "I don't have a
#     GPU to test this on" (a helper's reason not to reproduce) nor "a GPU with enough memory" (one
#     that exists).
# And where "to" governs the words: after a verb of seeming ("seems to be running on the CPU", "appears
# to use only the CPU", "I get to see only the CPU") the infinitive is what the writer observed, not a
# wish or a plan (``explain.grammar.raised_to``).

_NONE_QUALIFIER = r"(?:(?:visible|noticeable|significant|real|actual|apparent|measurable|observable)\s+)?"
_USE_NOUN = r"(?:usage|utili[sz]ation|util|load|activity|use|usage\s+rate)"
# The measure itself missing from a monitor ("no GPU usage info", "no GPU usage shown in Task Manager") is
# not the GPU unused (see _MEASURE_AFTER above).
_NOT_THE_READING = r"(?!\s*(?:info\w*|data|stats?|statistics|metrics?|graphs?|columns?|numbers?|readings?|reported|shown|displayed|field|limit))"
_IDLE_PART = (r"(?![^.;!?\n]{0,30}\b(?:between|sometimes|at\s+times|part\s+of|most\s+of|half|\d+\s*%\s+of|while\s+(?:loading|waiting|reading)"
              r"|during\s+(?:the\s+)?(?:loading|evaluation|validation|data|preprocessing|start)|as\s+expected))")
_NO_USE = re.compile(
    rf"\bno\s+{_NONE_QUALIFIER}(?:nvidia\s+)?GPU[- ]?{_USE_NOUN}\b{_NOT_THE_READING}"
    # lead (session 29): the GPU's memory named beside it ("no memory/GPU consumption", "no GPU or memory usage").
    rf"|\bno\s+{_NONE_QUALIFIER}(?:(?:memory|vram)\s*(?:/|,|or|and|&)\s*(?:nvidia\s+)?GPU|GPU\s*(?:/|,|or|and|&)\s*(?:memory|vram))[- ]?(?:{_USE_NOUN}|consumption)\b{_NOT_THE_READING}"
    rf"|\bno\s+{_NONE_QUALIFIER}{_USE_NOUN}\s+(?:of|on|in)\s+(?:the\s+|my\s+|any\s+|our\s+)?(?:nvidia\s+)?GPUs?\b{_NOT_THE_READING}"
    # "GPU usage: none", "GPU utilization is nonexistent".
    rf"|\bGPU[- ]?{_USE_NOUN}\s*(?::|is|was|stays|stayed|remains|remained)?\s*(?:none|nil|non-?existent)\b"
    # A device list that shows the CPU alone, seen by the writer: "I get to see only the CPU", "it
    # lists only the CPU device", "torch detects only CPU".
    rf"|\b(?:see|sees|saw|seeing|get|gets|got|show|shows|showed|showing|list|lists|listed|listing|detects?|detected|finds?|found)\s+(?:only|just)\s+(?:the\s+|one\s+|a\s+|my\s+)?{_CPU}(?:\s+devices?)?(?!\s*(?:and|\+|/|,)\s*(?:the\s+|a\s+)?(?:{_GPU}))"
    # The CPU alone in a device list, said passively or with "only" before the verb: "only the CPU device is
    # listed", "TensorFlow only recognizes CPU devices", "seeing the CPU instead".
    rf"|\bonly\s+(?:the\s+|a\s+|one\s+)?{_CPU}(?:\s+devices?)?\s+(?:is|are|was|were|gets|got)\s+(?:being\s+)?(?:listed|shown|visible|found|returned|recogni[sz]ed|seen)\b"
    rf"|\bonly\s+(?:sees?|saw|finds?|found|detects?|detected|recogni[sz]es?|recogni[sz]ed|lists?|listed|shows?|showed)\s+(?:the\s+|a\s+|one\s+)?{_CPU}(?:\s+devices?)?(?!\s*(?:and|\+|/|,)\s*(?:the\s+|a\s+)?(?:{_GPU}))"
    rf"|\b(?:seeing|sees|saw|getting|gets|got)\s+(?:only\s+)?(?:the\s+|a\s+)?{_CPU}(?:\s+devices?)?\s+instead\b"
    # The GPU missing from the list: "the GPU device is missing". Not "the GPU disappeared" or "is gone": it was
    # there, and a GPU that drops out while running is a fault's sign (holdout12
    # gh-illinois-scicomp-machine-shop-maintenance-80, GPU_FAULT), not a GPU the framework never used.
    rf"|(?:{_GPU})(?:\s+devices?)?\s+(?:(?:is|was|seems\s+to\s+be)\s+)+missing\b"
    # Nothing as the subject, or the GPU doing nothing: "nothing runs on the GPU", "none of the work goes to the
    # GPU", "my GPU is doing nothing", "the GPU isn't doing anything".
    rf"|\b(?:nothing|none\s+of\s+(?:the\s+|my\s+)?(?:work|it|layers?|ops|operations|computation|model))\s+(?:(?:is|was|ever|actually|really)\s+)*(?:{_WORK_FINITE}|run|runs|goes|went|gets\s+(?:sent|put|placed|offloaded))\s+(?:on|to|onto|in)\s+{_DET}(?:{_GPU})"
    rf"|(?:{_GPU})\s+(?:(?:is|was|seems\s+to\s+be|just|basically|literally)\s+)*(?:doing\s+nothing|(?:is|was)?\s*(?:not|n[’']t)\s+doing\s+(?:anything|any\s+work|any\s+computation))"
    # "zero" as the determiner of the GPU's usage ("zero GPU activity"), like "no"; a reading "GPU usage is zero" is not.
    rf"|(?<!the\s)(?<!this\s)(?<!that\s)(?<!a\s)\bzero\s+GPU[- ]?{_USE_NOUN}\b(?![-_ ]?(?:ratio|rate|percent|reading|value|number))"
    # The GPU idle all the time: "sits completely idle", "stays idle the whole time" (idle part of the time is underuse:
    # "completely idle between epochs").
    rf"|(?:{_GPU})\s+(?:(?:is|was|sits|sat|stays|stayed|remains|remained|just|always|completely|totally|entirely|fully)\s+)*(?:completely|totally|entirely|fully)\s+idle\b{_IDLE_PART}"
    rf"|(?:{_GPU})\s+(?:(?:is|was|sits|sat|stays|stayed|remains|remained|just|always)\s+)+idle\s+(?:the\s+(?:whole|entire)\s+time|all\s+the\s+time|throughout)\b"
    # Detected but not used: "the GPU is detected but not used" (the subject said once).
    rf"|(?:{_GPU})\s+(?:is|was|gets|got)\s+(?:\w+\s+)?(?:detected|recogni[sz]ed|found|visible|listed|available)\s*,?\s+but\s+(?:is\s+|was\s+)?(?:still\s+)?(?:not|never|n[’']t)\s+(?:being\s+|getting\s+)?(?:used|utili[sz]ed)\b"
    # Not moved or offloaded to the GPU: "the model is not moved to the GPU", "not offloading any layers to the GPU".
    rf"|(?:{_NEG})\s+(?:(?:being|been|be|even|actually|really)\s+)*(?:offload(?:s|ed|ing)?|mov(?:e|es|ed|ing)|transferr?(?:e|es|ed|ing)?|sent|send(?:s|ing)?|put|placed)\s+(?:(?!cpu)[\w-]+\s+){{0,3}}?(?:to|onto|on)\s+{_DET}(?:{_GPU})"
    # "No GPU" as the subject of a participle of use, after a verb of seeming: "no GPU seems to be used",
    # "no GPU appears to be in use" ("no GPU is detected|found|being used" is a listed phrase).
    r"|\bno\s+GPUs?\s+(?:(?:is|are|was|were|seems?|seemed|appears?|appeared)\s+)?(?:to\s+be\s+)?(?:being\s+)?(?:used|utili[sz]ed|in\s+use)\b"
    # Trouble with a verb of sight or use whose object is the GPU: "having issues with Ubuntu recognizing my
    # GPU", "getting an error with detecting the GPU", "trouble getting torch to see my GPU"; not "no issues".
    # An error while using the GPU ("error when using GPUs") is the GPU used: only sight, or getting it used, fails.
    rf"|(?<!\bno\s)(?<!\bany\s)(?<!without\s)\b(?:issues?|problems?|trouble|difficult(?:y|ies)|errors?)\s+(?:with\s+|in\s+)?(?:(?!when\b|while\b)[\w.-]+\s+){{0,2}}?"
    rf"(?:(?:recogni[sz]ing|detecting|seeing|finding)\s+|getting\s+(?:[\w.-]+\s+){{0,2}}?to\s+(?:recogni[sz]e|detect|see|find|use|utili[sz]e|run\s+on)\s+){_DET}(?:{_GPU})"
    # "No" with the kind of GPU between: "No CUDA capable GPU detected", "no NVIDIA graphics card found".
    rf"|\bno\s+(?:(?:cuda[- ]?(?:capable|enabled|compatible)|cuda|nvidia|compatible|supported|usable|suitable|dedicated|discrete)\s+){{1,2}}(?:gpus?|graphics\s+cards?|video\s*cards?)\s+(?:(?:is|are|was|were|could\s+be|can\s+be)\s+)?(?:detected|found|available|visible|recogni[sz]ed)\b",
    re.I,
)
# accwhere (session 25): the GPU's usage not moving while the CPU's rises ("a CPU spike to 100% but no change in the GPU
# usage", "the CPU goes to 100% and the GPU load does not go up at all", "CPU占用飙升，GPU利用率没有任何变化"): the work went to
# the CPU and no kernel of it reached the GPU, the same as no usage. Without the CPU's rise beside it, a usage that does
# not change says only that a setting made no difference (it may stay low, or high), and is not read.
_NO_CHANGE = re.compile(
    rf"\bno\s+(?:(?:visible|noticeable|significant|real)\s+)?(?:change|increase|rise|movement|spike|bump)s?\s+(?:(?:at\s+all|whatsoever)\s+)?(?:in|for|of|on)\s+(?:the\s+|my\s+)?(?:nvidia\s+)?GPU(?:['’]s)?[- ]?{_USE_NOUN}\b{_NOT_THE_READING}"
    rf"|\bGPU[- ]?{_USE_NOUN}\s+(?:(?:does|did|do)\s*n[’']?o?t|never|won[’']t)\s+(?:even\s+)?(?:change[sd]?|move[sd]?|budge[sd]?|increase[sd]?|rises?|go(?:es)?\s+up|spikes?|reacts?)\b(?!\s+(?:much|a\s+lot|significantly|beyond|above|past|over))"
    r"|(?:GPU|gpu|显卡)\s*(?:的)?\s*(?:占用率?|使用率|利用率|负载)\s*(?:一直|始终|完全|根本|一点)?\s*(?:都|也)?\s*(?:没有|没|不|毫无)\s*(?:任何)?\s*(?:变化|变|动|增加|上升|提高|升高)",
    re.I)
_CPU_RISES = re.compile(r"\bCPUs?\b[^.;!?\n]{0,40}?(?:\bspik\w*|\b(?:[5-9]\d|100)\s*%|\b(?:goes|went|shoots?|shot)\s+up|\brises?\b|\brose\b|\bjumps?\b|\bmaxed|\bpegged|\bfull\b)"
                        r"|\b(?:spikes?|jumps?|rises?)\s+(?:in|of)\s+(?:the\s+)?CPU|CPU\s*(?:的)?\s*(?:使用率|占用率?|利用率)?\s*(?:飙升|升高|上升|很高|100\s*%|跑满|满了|拉满)", re.I)
# The same in the other languages this module reads: "GPU没有占用" is read above; "GPU使用率为0" is a number.
_NO_USE_INTL = re.compile(
    r"(?:没有|无)\s*(?:任何)?\s*(?:GPU|gpu|显卡)\s*(?:占用|使用率|利用率|负载)"
    # ru: "нет нагрузки на GPU", "видеокарта не нагружается"; es/pt: "no hay uso de la GPU", "nenhum uso da GPU".
    r"|\bнет\s+(?:никакой\s+)?нагрузки\s+на\s+(?:GPU|видеокарт\w*)|\b(?:GPU|видеокарта)\s+(?:вообще\s+)?не\s+(?:нагружа\w*|загружа\w*)"
    r"|\bno\s+hay\s+(?:ningún\s+)?uso\s+de\s+(?:la\s+)?GPU|\bnenhum\s+uso\s+da\s+GPU", re.I)
# Windows' Task Manager graphs the 3D, copy and video engines by default, not CUDA compute
# (https://devblogs.microsoft.com/directx/gpus-in-the-task-manager/): what it shows of the GPU is no reading of CUDA work.
_TASK_MANAGER = re.compile(r"task\s*manager|任务管理器|タスクマネージャ", re.I)

# The GPU's usage low, or zero, read as "used but idle".
_LOW_USE = re.compile(
    rf"\bGPUs?\s+(?:(?:is|are|was|were|stays?|stayed|remains?|remained|runs?|ran|keeps?)\s+)?(?:(?:always|mostly|often|still|constantly|consistently)\s+)?(?:in|at|on|with)\s+(?:(?:very|extremely|really|quite|too|so|super)\s+)?low\s+{_USE_NOUN}\b"
    rf"|\b(?:very|extremely|really|quite|too|so|super)\s+low\s+{_USE_NOUN}\s+(?:of|on)\s+(?:the\s+|my\s+|our\s+|each\s+|every\s+)?GPUs?\b"
    r"|(?:GPU|gpu|显卡)\s*(?:的)?\s*(?:利用率|使用率|占用率?)\s*(?:一直|总是|始终|非常|很|特别|极|比较)*\s*(?:低|上不去)",
    re.I,
)
# A zero before the work starts ("0 MiB before the data loader starts") is no reading of the work (memory_unused below).
_ZERO_BEFORE_WORK = re.compile(r"[^.;!?\n]{0,20}?\b(?:before|until|till|at\s+(?:the\s+)?start(?:-?up)?)\b", re.I)
# (accutil2, session 31: the GPU's share given as a number, zero, a burst now and then or a zero part of the time, with the
# input side or a busy CPU named beside it, is read by explain/utilread.py and decided by knowledge.utilisation.decide.)

_MACHINE = (r"(?:computer|pc|laptop|notebook|machine|desktop|workstation|server|box|vm|instance|node|mac|macbook(?:\s+\w+)?|system|rig"
            r"|work\s+computer|home\s+computer|cluster|container|hardware)")
_GPU_KIND = (r"(?:(?:nvidia|cuda(?:[- ]?(?:capable|enabled|compatible))?|dedicated|discrete|physical|separate|proper|real|external|graphics|video)\s+){0,2}"
             r"(?:gpus?|graphics?\s+cards?|video\s*cards?|graphics\s+processors?|nvidia\s+cards?)")
_NO_GPU_MACHINE = re.compile(
    # "I don't have a graphics card", "we do not have any NVIDIA GPU", "I have no dedicated GPU".
    rf"\b(?:i|we)\s+(?:do\s+not|don[’']?t|did\s+not|didn[’']?t)\s+(?:even\s+|actually\s+)?(?:have|own|possess)\s+(?:a|an|any)\s+{_GPU_KIND}"
    rf"|\b(?:i|we)\s+(?:have|had)\s+no\s+{_GPU_KIND}"
    # "my laptop doesn't have an NVIDIA GPU", "our VM lacks a GPU": the owner's machine. Not "this machine does not
    # have a GPU", which is also Keras's own warning (mixed_precision/device_compatibility_check.py), the signatures'.
    # accsaid (session 25): "this laptop has no GPU", a personal computer the writer points at (not "this machine", Keras's
    # own warning's words).
    rf"|\b(?:(?:my|our)\s+(?:[\w-]+\s+)?{_MACHINE}|this\s+(?:laptop|notebook|pc|computer|desktop|workstation|macbook|mac))\s+(?:(?:does\s+not|doesn[’']?t|did\s+not|didn[’']?t)\s+(?:have|contain|come\s+with)\s+(?:a|an|any)\s+|(?:has|had)\s+no\s+|lacks?\s+(?:a\s+|an\s+|any\s+)?){_GPU_KIND}"
    # accwords40 (session 40): a virtual machine or cloud instance the writer ran on, pointed at with "the" or "this" ("the VM
    # has no GPU", "this instance doesn't have a GPU", "the virtual machine lacks a GPU"): a guest the writer set up, which no
    # program's warning names (Keras's "this machine does not have a GPU" names the machine, not a VM).
    rf"|\b(?:the|this|that)\s+(?:[\w-]+\s+)?(?:vm|virtual\s+machine|instance|guest(?:\s+os)?)\s+(?:(?:does\s+not|doesn[’']?t|did\s+not|didn[’']?t)\s+(?:have|contain|come\s+with)\s+(?:a|an|any)\s+|(?:has|had)\s+no\s+|lacks?\s+(?:a\s+|an\s+|any\s+)?){_GPU_KIND}"
    # "there is no GPU in this machine", "no NVIDIA GPU on my laptop", "a computer with only cpu and no GPU".
    rf"|\b(?:there\s+is|there[’']?s|there\s+was|there\s+are)\s+no\s+{_GPU_KIND}\s+(?:in|on|inside)\s+(?:my|this|the|our)\s+(?:[\w-]+\s+)?{_MACHINE}"
    rf"|\bno\s+{_GPU_KIND}\s+(?:in|on|inside)\s+(?:my|this|our)\s+(?:[\w-]+\s+)?{_MACHINE}"
    rf"|\b{_MACHINE}\s+with\s+(?:only\s+(?:a\s+)?cpu\s+and\s+)?no\s+{_GPU_KIND}"
    # "my notebook only has integrated graphics", "I only have Intel integrated graphics".
    rf"|\b(?:{_MACHINE}|i|we)\s+(?:only\s+(?:has|have|had)|(?:has|have|had)\s+only)\s+(?:an?\s+)?(?:(?:intel|amd)(?:\(r\))?\s+)?(?:(?:integrated|onboard|on-board|built-in)\s+(?:graphics|gpu|video)|(?:uhd|hd|iris)\b|igpu\b)"
    # The same in Chinese, Russian and Spanish: "我的电脑没有独立显卡", "у меня нет видеокарты", "no tengo GPU".
    r"|(?:我|电脑|笔记本|机器|主机|服务器)[^，。,；;\s]{0,6}?(?:没有|没|无)(?:独立|英伟达|nvidia|NVIDIA|N)?(?:显卡|独显|N卡|GPU|gpu)(?![^，。,；;]{0,4}(?:驱动|版|加速))"
    r"|\bу\s+меня\s+нет\s+(?:\w+\s+)?(?:видеокарт\w*|GPU)|\bno\s+tengo\s+(?:una\s+|ninguna\s+)?(?:GPU|tarjeta\s+gr[aá]fica)"
    # ja, ko, fr, pt: "このPCにはGPUがありません", "GPU가 없습니다", "je n'ai pas de GPU", "não tenho placa de vídeo".
    r"|(?:PC|パソコン|マシン|ノート)\s*(?:に)?(?:は)?\s*(?:NVIDIA\s*の?)?\s*GPU\s*(?:が|は)\s*(?:ない|無い|ありません|搭載されていない|積んでいない)"
    r"|(?:컴퓨터|노트북|PC)\s*(?:에는|에|는)?\s*GPU\s*(?:가|이)?\s*없"
    r"|\bje\s+n[’']ai\s+pas\s+de\s+(?:GPU|carte\s+graphique)|\bnão\s+tenho\s+(?:uma\s+|nenhuma\s+)?(?:GPU|placa\s+de\s+v[ií]deo)"
    # accbroad40 (session 40): the machine named with what it lacks in apposition, a parenthesis that says what the
    # machine is ("a cloud VM (no gpu)", "on my laptop (only CPU)", "a server (CPU only)"), and an environment "of" or
    # "with" no GPU ("an environment of no gpu"), not its packages' ("... with no GPU support"): the same statement as "a
    # machine with no GPU" above.
    rf"|\b{_MACHINE}\s*\(\s*(?:(?:only|just)\s+(?:a\s+|the\s+)?cpus?|cpus?[- ]only|no\s+{_GPU_KIND}|without\s+(?:a\s+|an\s+|any\s+)?{_GPU_KIND})\s*\)"
    rf"|\b(?:an?|my|our|the)\s+(?:[\w-]+\s+)?environment\s+(?:of|with)\s+no\s+{_GPU_KIND}(?!\s+(?:support|build|version|package|wheel|driver|acceleration)\b)",
    re.I,
)
# What follows "I don't have a GPU" when it is not the machine's state: a helper's reason ("... to test
# this", "... at hand"), or a GPU that exists but lacks something ("... with enough memory", "... that
# supports CUDA 12": GPU_NOT_SUPPORTED or memory, not NO_GPU).
_NOT_THE_MACHINE_AFTER = re.compile(
    r"\s*(?:(?:right\s+)?(?:here|now|handy|at\s+hand|at\s+the\s+moment|available|myself|ourselves|either)\b|(?:to|for|on\s+which\s+to|with\s+which\s+to)\s+(?:test|reproduce|try|check|verify|debug|confirm|run\s+(?:the\s+)?tests?|look|investigate|develop)"
    r"|(?:with|that|which|big|large|powerful|strong|good)\b|(?:enough|newer|better|bigger|faster)\b)", re.I)
# The same sentence giving it as the reason not to test or reproduce: a helper's machine ("I don't have a GPU,
# so I couldn't test it"), not the reporter's.
_HELPER_PURPOSE = re.compile(r"\b(?:test\w*|reproduc\w*|repro|verify|debug\w*|confirm)\b", re.I)
# accwords3 (session 21): the same two exclusions, for explain.reported's "no NVIDIA hardware" (one decision, two readers).
NOT_THE_MACHINE_AFTER = _NOT_THE_MACHINE_AFTER
HELPER_PURPOSE = _HELPER_PURPOSE


def _generic_subject(clause: str, words: str) -> bool:
    """Whether ``clause`` makes ``words`` said of people in general ("you", "one", "users"): not "one" as the number of the GPU the words name ("one GPU is in low usage")."""
    m = _GENERIC_YOU.search(clause)
    if m is None:
        return False
    return not (m.group(0).strip().lower() == "one" and re.match(_GPU, words, re.I) is not None)


# A CPU-only build obtained, in the forms the older expressions do not read: "Jax is not compiled for GPU" (a build
# said to be without the GPU, not without one architecture's kernels), "it defaults to the [cpu] version", "I
# installed `pytorch_cpu` rather than `pytorch_cuda`" (conda's old CPU package names).
_CPU_BUILD_MORE = re.compile(
    rf"\b(?:not|n[’']t|never)\s+(?:been\s+|be\s+)?(?:compiled|built)\s+for\s+(?:the\s+)?(?:gpus?|cuda)\b(?!\s*(?:kernels?|binar|code|arch|sm_|compute|capabilit|\d))"
    rf"|\bdefault(?:s|ed)?\s+to\s+(?:the\s+|a\s+)?(?:{_FRAMEWORK}\s+)?[\[\"'`]?cpu(?:[- ]?only)?[\]\"'`]?\s+{_BUILD}"
    rf"|\b(?:installs|installed|got|gets|pulled|pulls|obtained|ended\s+up\s+with)\s+[`'\"]?(?:pytorch|torch)[-_]cpu\b"
    # accgap (session 34): a build, an image or a package said to be CPU-only in the writer's words, the forms blind experts
    # read: "this docker image is CPU only", "images are built with tensorflow and not tensorflow-gpu", "does not seem to
    # have XGBoost that was compiled with GPU support", "The jaxlib isn't GPU enabled".
    rf"|\b(?:this|that|the|our|my|your|their|these|those|all)\s+(?:[\w.-]+\s+){{0,2}}?(?:images?|containers?|builds?|wheels?|packages?|binar(?:y|ies)|installs?|installations?|{_FRAMEWORK})"
    rf"\s+(?:is|are|was|were)\s+(?:only\s+|just\s+)?cpu[- ]?only\b(?!\s+(?:machines?|nodes?|servers?|hosts?|systems?|laptops?|pcs?|computers?|instances?|vms?)\b)"
    rf"|\b(?:built|installed|shipped|packaged|come|comes|came)\s+with\s+[`'\"]?(?P<plain>tensorflow|onnxruntime|paddlepaddle|mxnet|faiss|jaxlib)[`'\"]?\s+(?:and\s+)?(?:not|instead\s+of|rather\s+than)\s+[`'\"]?(?P=plain)[-_](?:gpu|cuda)\b"
    # (the plain package said to be the one that runs, instead of its GPU twin: "tensorflow is called for training instead of tensorflow-gpu")
    rf"|\b(?P<plain2>tensorflow|onnxruntime|paddlepaddle|mxnet|faiss)\s+(?:is|was|gets|got)\s+(?:being\s+)?(?:called|used|loaded|imported|picked(?:\s+up)?)\b(?:\s+[\w-]+){{0,3}}?\s+instead\s+of\s+[`'\"]?(?P=plain2)[-_](?:gpu|cuda)\b"
    rf"|\b(?:doesn[’']?t|does\s+not|didn[’']?t|did\s+not)\s+(?:seem\s+to\s+|appear\s+to\s+)?(?:have|include|contain|ship\s+with)\s+(?:an?\s+|the\s+)?[\w.-]+\s+(?:that\s+(?:was|is)\s+|which\s+(?:was|is)\s+)?(?:compiled|built)\s+with\s+(?:gpu|cuda)(?:\s+support|\s+enabled)?\b"
    rf"|\b(?:the\s+)?(?:{_FRAMEWORK}|xgboost|lightgbm|faiss|llama[-_]cpp[-_]python|opencv|dlib)\s+(?:installed\s+|here\s+|in\s+(?:the|this)\s+(?:image|container)\s+)?(?:isn[’']?t|is\s+not|wasn[’']?t|was\s+not)\s+(?:gpu|cuda)[- ]enabled\b"
    # accjaxgram (session 40, the forms explain.jaxbuild listed for JAX alone, said of any framework): an install said not to
    # bring the framework with CUDA ("Running `poetry install` doesn't install Jax with cuda for me"), the framework said to
    # have no GPU build ("JAX has no gpu version"), a configuration said to be for the framework's CPU users ("This
    # configuration is for CPU users of JAX"): each the build obtained without the GPU.
    rf"|(?:\bnot|n[’']?t|\bnever)\s+(?:\w+\s+){{0,2}}?install(?:s|ed)?\s+(?:the\s+)?{_FRAMEWORK}\s+(?:with|for)\s+(?:the\s+)?(?:cuda|gpus?)\b(?!\s*(?:kernels?|arch|sm_|\d))"
    rf"|\b{_FRAMEWORK}\s+(?:has|have|had)\s+no\s+(?:gpu|cuda)\s+(?:version|build|wheel|package|support)\b"
    rf"|\b(?:is|are|was|were)\s+(?:only\s+)?for\s+(?:the\s+)?cpu(?:[- ]only)?\s+users?\s+(?:of|with)\s+{_FRAMEWORK}\b",
    re.I)
# "causing JAX to fall back to CPU", "forced it to run on the CPU": a causative's participle, what happened.


# lead (session 29): no process of the run on the GPU, as its monitor shows it: a program that computes on the GPU holds
# a CUDA context there, and nvidia-smi lists it with its memory ("there is no process running on my GPU when I run
# train.py", "nvidia-smi shows no processes", "python doesn't show up in nvidia-smi"). Not said of WSL2 or of a
# container, whose nvidia-smi lists no processes by design (no_process below).
_NO_PROCESS = re.compile(
    rf"\bno\s+(?:running\s+|python\s+|active\s+|gpu\s+)?process(?:es)?\s+(?:is\s+|are\s+|was\s+|were\s+)?(?:running\s+|shown\s+|listed\s+|using\s+|visible\s+|appear\w*\s+)?(?:on|in|using|under|for)\s+(?:the\s+|my\s+|any\s+)?(?:{_GPU}|nvidia-smi)"
    r"|\bnvidia-smi(?:\.exe)?\s+(?:(?:still|also|just|only|always)\s+)?(?:shows?|showed|lists?|listed|reports?|reported|says?|said|displays?|displayed)\s+(?:that\s+)?(?:there\s+(?:is|are|were|was)\s+)?(?:no|zero)\s+(?:running\s+|python\s+|active\s+|gpu\s+)?process(?:es)?\b"
    r"|\b(?:python(?:\.exe)?|the\s+(?:python\s+)?(?:process|script|program|training|job)|my\s+(?:python\s+)?(?:process|script|program|training|job))\s+(?:(?:is|was)\s+(?:not|never)\s+(?:shown|listed|visible)|(?:does|did)(?:n[’']?t|\s+not)\s+(?:show\s+up|appear|show)|never\s+(?:shows\s+up|appears))\s+(?:in|on|under)\s+(?:the\s+)?(?:nvidia-smi|GPU)",
    re.I,
)
# The run placed on the GPU by the writer or the program before the monitor's words ("training on CUDA/GPU", "cuda:0").
_GPU_CLAIMED = re.compile(r"\b(?:on|using|uses|used|to|with|onto)\s+(?:the\s+|my\s+)?(?:cuda|gpu)\b|\bcuda:\d", re.I)
_CONTAINED = re.compile(r"\bwsl|docker|container|kubernetes|\bk8s\b|\bpods?\b|singularity|apptainer|podman", re.I)


def contained(text: str) -> bool:
    """Whether ``text`` names WSL or a container anywhere (where nvidia-smi's process list is empty by design)."""
    return _CONTAINED.search(text) is not None


def no_process(text: str, contained: bool = False) -> re.Match[str] | None:
    """lead (session 29): the writer's words that no process of theirs is on the GPU (see _NO_PROCESS), asserted; None where
    the log names WSL2 or a container (``contained``, or the line itself), whose nvidia-smi lists no processes by design."""
    if contained or grammar.program_line(text) or _CONTAINED.search(text):
        return None
    for m in _NO_PROCESS.finditer(text):
        if _GPU_CLAIMED.search(text, 0, m.start()):
            continue  # "the log shows 'training on CUDA/GPU', but nvidia-smi shows no processes": the monitor doubted, not the run
        if grammar.quoted_from(text, m.start()) or text[max(0, m.start() - 1):m.start()] in ("«", "「"):
            continue  # the words between quotation marks (one right before them too) are someone else's
        if asserted(text, m.start(), m.end()):
            return m
    return None


def _new_unused(text: str) -> re.Match[str] | None:
    """The GPU's usage said to be none, or the CPU alone seen in the device list, asserted (session 19, accwords)."""
    low = text.lower()
    if not (any(map(low.__contains__, ("no", "only", "just", "issue", "problem", "trouble", "difficult", "error", "instead", "missing",
                                       "zero", "idle", "anything", "but", "n't", "never"))) or not text.isascii()) \
            or _TASK_MANAGER.search(text) or grammar.program_line(text):
        return None
    for rx in (_NO_USE, _NO_USE_INTL):
        for m in rx.finditer(text):
            if asserted(text, m.start(), m.end()) and not _quoted(text, m.start()):
                return m
    for m in _NO_CHANGE.finditer(text):
        sentence, _ = _sentence_of(text, m.start(), m.end())
        if _CPU_RISES.search(sentence) and asserted(text, m.start(), m.end()) and not _quoted(text, m.start()):
            return m
    return None


def _new_underused(text: str) -> re.Match[str] | None:
    """The GPU said in low use in words, asserted (session 19, accwords). Its share as a number is utilread's (accutil2)."""
    if _TASK_MANAGER.search(text):
        return None
    for m in _LOW_USE.finditer(text):
        if asserted(text, m.start(), m.end()):
            return m
    return None


def _new_cpu_build(text: str) -> re.Match[str] | None:
    """A CPU-only build obtained, in the forms of ``_CPU_BUILD_MORE``, asserted (session 19, accwords)."""
    text = text[:MAX_LINE]
    if grammar.program_line(text):
        return None
    for m in _CPU_BUILD_MORE.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if "only" in m.group(0).lower() and _GPU_ALTERNATIVE.search(text[left:m.start()] + " " + text[m.end():right]):
            continue  # accgap: a GPU build named beside it ("the default image is CPU only and the -gpu image has CUDA")
        if cpu_build_said(text, m.start(), m.end()):
            return m
    return None


# A GPU build, image or tag named in the same sentence outside the words: two builds described, not the one installed.
_GPU_ALTERNATIVE = re.compile(r"[-_](?:gpu|cuda)\b|\b(?:gpu|cuda|nvidia)[- ](?:images?|versions?|builds?|tags?|variants?|wheels?|containers?|packages?)\b", re.I)


# accsaid (session 25): a plan, a wish or a supposition before Chinese words, which write no space after the modal that
# ``explain.grammar`` reads ("我想在没有显卡的电脑上运行": a plan; "如果没有独显": a condition).
ZH_PLAN_BEFORE = re.compile(r"想|希望|打算|准备|计划|要是|如果|假如|假设|能否|能不能|可不可以|是否|请问")


_COMPARED_MACHINES = re.compile(r"\b(?:similar|same|comparable|than|compared|versus|vs\.?|faster|slower)\b", re.I)
# accdevice (session 29): an indefinite machine inside a condition whose subject is not the writer ("the warning appears if
# the notebook is run on a machine with no GPU", "when a job lands on a node with no GPU"): a machine supposed, not theirs.
_SUPPOSED_MACHINE = re.compile(r"\b(?:if|when|whenever|unless|once|in\s+case)\b(?P<clause>[^,;:.!?]*?)\b(?:a|an|any|some)\s+(?:[\w-]+\s+)?$", re.I)
_WRITER = re.compile(r"\b(?:i|we|my|our|me|us)\b", re.I)


# accwords40 (session 40): "there is no GPU" with no place after it, in a sentence where the writer names the virtual machine
# or cloud instance they ran on ("I tried to run on a virtual machine, but it failed because there was no GPU"): the place is
# the one the sentence names. Elsewhere the bare words are too often a program's message retold or a question.
_THERE_NO_GPU = re.compile(rf"\bthere\s+(?:is|was|are|were)\s+no\s+{_GPU_KIND}(?!\s+(?:in|on|inside|for|to|with|that|which|available\s+(?:for|to))\b)", re.I)
_WRITERS_VM = re.compile(r"\b(?:i|we)\b[^.;!?]{0,60}\b(?:an?|the|my|our)\s+(?:[\w-]+\s+)?(?:vm|virtual\s+machine|cloud\s+instance|instance|guest)\b"
                         r"|\b(?:my|our)\s+(?:[\w-]+\s+)?(?:vm|virtual\s+machine|instance)\b", re.I)


# accutil40 (session 40): a guest with no way to the host's GPU, in a sentence where the writer names the virtual machine they
# run in ("I'm running inside a VM and so it doesn't have any access to host GPU", "the VM has no GPU passthrough"): a guest
# sees only the devices the hypervisor passes through to it (PCI passthrough, vGPU,
# https://docs.nvidia.com/vgpu/latest/grid-vgpu-user-guide/index.html), so without one the machine of the run has no GPU.
_GUEST_NO_HOST_GPU = re.compile(
    rf"\b(?:(?:does\s+not|doesn[’']?t|did\s+not|didn[’']?t)\s+have|has\s+no|had\s+no|lacks?|without|(?:can\s*not|can[’']?t|could\s+not|couldn[’']?t)\s+(?:get\s+|have\s+)?)"
    rf"\s+(?:any\s+|an?\s+)?access\s+to\s+(?:the\s+|its\s+|my\s+|our\s+)?host(?:['’]s)?\s+(?:machine(?:['’]s)?\s+|computer(?:['’]s)?\s+)?{_GPU_KIND}"
    rf"|\b(?:no|without)\s+(?:{_GPU_KIND}\s+|pci(?:e)?\s+)?pass-?\s?through\b",
    re.I)


def no_gpu(text: str) -> re.Match[str] | None:
    """The words of ``text`` saying that the writer's machine has no (NVIDIA) GPU, asserted of now, or None."""
    text = text[:MAX_LINE]
    if grammar.program_line(text):
        return None
    low = text.lower()
    if ("access" in low or "pass" in low) and ("vm" in low or "virtual" in low or "guest" in low):
        for m in _GUEST_NO_HOST_GPU.finditer(text):
            sentence, _offset = _sentence_of(text, m.start(), m.end())
            if (_WRITERS_VM.search(sentence) and not _COMPARED_MACHINES.search(sentence) and not _quoted(text, m.start())
                    and grammar.retold(text, m.start()) is None and said_now(text, m) and not grammar.asked(text, *grammar.sentence_at(text, m.start(), m.end()), m.start(), m.end())):
                return m
    for m in _THERE_NO_GPU.finditer(text):
        sentence, offset = _sentence_of(text, m.start(), m.end())
        if (_WRITERS_VM.search(sentence) and not _COMPARED_MACHINES.search(sentence) and asserted(text, m.start(), m.end())
                and not _quoted(text, m.start()) and grammar.retold(text, m.start()) is None and said_now(text, m)):
            return m
    for m in _NO_GPU_MACHINE.finditer(text):
        sentence, offset = _sentence_of(text, m.start(), m.end())
        if _NOT_THE_MACHINE_AFTER.match(text, m.end()) or _HELPER_PURPOSE.search(sentence):
            continue
        if not m.group(0).isascii() and ZH_PLAN_BEFORE.search(text, offset, m.end()):
            continue
        if _COMPARED_MACHINES.search(sentence):
            continue  # "similar performance on a node with no GPU": one side of a comparison, not the machine of the run
        if (supposed := _SUPPOSED_MACHINE.search(text, offset, m.start())) is not None and not _WRITER.search(supposed.group("clause")):
            continue
        if asserted(text, m.start(), m.end()) and not _quoted(text, m.start()) and said_now(text, m):
            return m
    return None


# accsaid (session 25): the writer's words that their run fails with an error ("I am always running into errors with cuda
# support", "I'm getting an error that says CUDA is not sufficient", "运行时报错"): a report of a failure, whatever its
# message. Read only beside the writer's statement of their machine's GPU (LOG260): with no failure line a signature
# reads, it is what says that the statement is the report's problem and not an aside.
_TROUBLE = re.compile(
    r"\b(?:get|gets|got|getting|run(?:s|ning)?\s+into|ran\s+into|encounter(?:s|ed|ing)?|hit(?:s|ting)?|see|saw|seeing|receiv(?:e|es|ed|ing)|throws?|threw|throwing"
    r"|gives?|gave|giving|shows?|showed|showing|having|had|keeps?|kept)\s+(?:(?:an?|the|this|that|these|those|some|following|same|getting|a\s+lot\s+of|lots\s+of|many|always)\s+)*"
    r"(?:[\w-]+\s+){0,2}?(?:errors?|exceptions?|crash(?:es)?|tracebacks?)\b"
    # lead (session 29): the error as what something caused ("..., causing an import error", "which leads to a CUDA error"), and
    # a framework's import said to fail ("import tensorflow fails", "I can't import torch"): a GPU build of TensorFlow 1.x
    # fails at import when its CUDA libraries do not load.
    r"|\b(?:caus(?:es|ed|ing)|lead(?:s|ing)?\s+to|led\s+to|result(?:s|ed|ing)?\s+in)\s+(?:an?|the|this|that|some)\s+(?:[\w-]+\s+){0,2}?(?:errors?|exceptions?|crash(?:es)?)\b"
    r"|\bimport(?:ing)?\s+(?:of\s+)?(?:tensorflow|torch|jax|jaxlib|keras|paddle|mxnet|cupy|tf)\b\s+(?:still\s+|always\s+)?(?:fails|failed|breaks|broke|crashes|crashed)\b"
    r"|\b(?:fails?|failed|failing|unable)\s+to\s+import\s+(?:tensorflow|torch|jax|jaxlib|keras|paddle|mxnet|cupy)\b"
    r"|\b(?:can(?:no|[’']?)t|couldn[’']?t|could\s+not)\s+(?:even\s+)?import\s+(?:tensorflow|torch|jax|jaxlib|keras|paddle|mxnet|cupy)\b"
    # accgap (session 34): the run said to end in an error ("but with error \"Unable to initialize EGL\"", "it fails with an error").
    r"|\b(?:but|and)\s+(?:it\s+)?(?:with|fails?\s+with|failed\s+with|ends?\s+with|ended\s+with)\s+(?:an?\s+|the\s+|this\s+)?(?:[\w-]+\s+){0,2}?errors?\b"
    r"|\b(?:fails?|failed|crash(?:es|ed)?|exits?|exited|stops?|stopped)\s+with\s+(?:an?\s+|the\s+|this\s+|following\s+)?(?:[\w-]+\s+){0,2}?(?:errors?|exceptions?)\b"
    # accort40 (session 40): the GPU's libraries said not to load ("my cuda version is 10.2, but cant load cuda", "it cannot
    # load cuDNN", "onnxruntime is unable to load the CUDA libraries"): the run's failure to reach them, in the writer's words.
    r"|\b(?:can(?:no|[’']?)t|couldn[’']?t|could\s+not|unable\s+to|fails?\s+to|failed\s+to|failing\s+to)\s+(?:even\s+)?load\s+"
    r"(?:the\s+)?(?:cuda|cudnn|cublas\w*|cudart\w*|gpu|cuda\s+librar(?:y|ies)|cuda\s+provider|cudaexecutionprovider)\b"
    r"|(?:报错|出错|错误|失败|报了?错)", re.I)


def trouble_said(text: str) -> re.Match[str] | None:
    """The writer's words that their run fails with an error, asserted of now, or None."""
    text = text[:MAX_LINE]
    return grammar.first_said(_TROUBLE, text, quotes=False, unless=lambda m: grammar.negated_before(grammar.clause_before(text[:m.start()])))


# --- Session 20 (accwords2): the reporter's account of the environment and of what they saw --------------------
# Each part is read by meaning and counts only when explain.grammar says the sentence asserts it of now:
#   - the build in use, said with a verb of using or having: "I'm using the CPU version", "we run the cpu-only
#     build of torch", "I have the CPU package" (``cpu_build``; "installed the CPU version" was read before);
#   - the platform the reporter's own machine runs, said in the first person: "I installed tensorflow with pip on
#     Windows", "I'm on Windows 10", "my laptop runs Ubuntu", "I run it inside WSL" (``platform_said``): a
#     sentence without the reporter in it ("On Windows, TF 2.11 has no GPU support") describes no machine;
#   - the GPU's memory in use said to be none while the work runs: "GPU memory usage stays at 0", "no GPU memory
#     is allocated", "nvidia-smi shows 0MiB used" (``unused``). A framework that reached the GPU holds a CUDA
#     context, hundreds of MiB (https://docs.nvidia.com/cuda/cuda-c-programming-guide/#context), so a job whose
#     GPU memory stays at zero never used it; unlike a utilisation of 0 %, which a used but idle GPU shows too.
_CPU_BUILD_USED = re.compile(
    rf"\b(?:using|uses|used|use|running|runs|ran|have|has|had|got|on|stuck\s+with)\s+(?:only\s+)?(?:the\s+|a\s+)?(?:{_FRAMEWORK}[-_ ]?)?"
    rf"[\"'`]?cpu(?:[- ]?only)?[\"'`]?\s+(?:{_FRAMEWORK}\s+)?(?:version|build|wheel|package|variant|binary|release)\b(?!\s+(?:of\s+)?(?:the\s+)?(?:model|weights|checkpoint|script|code|demo|notebook|example|app))",
    re.I)

# accsaid (session 25): a Mac named as the writer's computer ("on my Mac laptop", "I'm running it on a MacBook Pro", "using my
# iMac") is macOS too: Apple has sold no Mac with an NVIDIA GPU since 2016, and CUDA for macOS ended with 10.2.
_PLATFORM_NAMES = (r"(?P<name>native\s+Windows|Windows(?:\s+(?:10|11|7|8(?:\.1)?|Server(?:\s+\d+)?))?|WSL\s?2|WSL\s?1|WSL|macOS|Mac\s?OS(?:\s?X)?|Ubuntu|Debian|Fedora|CentOS|Arch(?:\s+Linux)?|Linux(?:\s+Mint)?"
                   r"|(?-i:Mac)(?:Book)?(?:\s+(?:Pro|Air|mini|Studio|laptop|computer|desktop))?(?!\s*(?:address|addr|os\b))|(?-i:macbook|MacBook|MACBOOK|iMac)(?:\s+(?:Pro|Air))?)"
                   r"(?![-_./\\]\w)")
_PLATFORM_SAID = re.compile(
    rf"\b(?:on|under|in|inside|within|using|use|with|runs|running|run|ran|installed|have|has)\s+(?:native\s+|a\s+|an\s+|the\s+|my\s+|our\s+)?{_PLATFORM_NAMES}"
    rf"|\b(?:OS|system|platform)\s+(?:is|:)\s*{_PLATFORM_NAMES.replace('?P<name>', '?P<name2>')}", re.I)
# The same in the other languages reporters write, the platform's name being the same word in each: zh "我在Windows上装了
# tensorflow", ja "WindowsでGPUが…" with 私/僕, ru "у меня Windows 10", "я запускаю на Windows", es/pt "estoy en Windows",
# "uso Windows", fr "je suis sous Windows".
_PLATFORM_NAMES_INTL = r"(?:Windows(?:\s*(?:10|11|7))?|WSL\s?2|WSL|Ubuntu|Linux|macOS|Mac(?:Book)?(?:\s*(?:Pro|Air))?(?!\s*(?:地址|address))|苹果(?:电脑|笔记本))"
_PLATFORM_SAID_INTL = re.compile(
    rf"(?:我|我们|本人)[^，。,；;！？!?]{{0,12}}?(?:在|用|使用|装的是|是)\s*{_PLATFORM_NAMES_INTL}"
    rf"|(?:私|僕|自分)[^、。！？]{{0,12}}?{_PLATFORM_NAMES_INTL}\s*(?:で|を使|上で)"
    rf"|\b(?:у\s+меня|я\s+(?:запускаю|работаю|использую|сижу)\s+(?:на|под)?)\s*{_PLATFORM_NAMES_INTL}"
    rf"|\b(?:estoy\s+en|uso|utilizo|tengo|estou\s+no|uso\s+o|je\s+suis\s+sous|j['’]utilise)\s+{_PLATFORM_NAMES_INTL}", re.I)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|me|my|we|we're|our|us)\b", re.I)


def _platform_value(name: str) -> str:
    """The platform fact's value for a name the reporter wrote."""
    low = re.sub(r"\s+", "", name.lower())
    if low.startswith("wsl"):
        return "wsl2" if low.endswith("2") else "wsl1" if low.endswith("1") else "wsl"
    if low.startswith(("windows", "nativewindows")):
        return "windows"
    if low.startswith(("mac", "imac", "苹果")):
        return "darwin"
    return "linux"


def platform_said(text: str) -> list[tuple[str, re.Match[str]]]:
    """The platforms the writer says their own machine runs (first person, asserted of now), each with its words."""
    text = text[:MAX_LINE]

    def not_own(m: re.Match[str]) -> bool:
        left = grammar.sentence_at(text, m.start(), m.end())[0]
        # (the owner may be in the words themselves: "on my Mac laptop")
        return (_FIRST_PERSON.search(text, left, m.start("name") if m.group("name") else m.start()) is None
                or grammar.negated_before(grammar.clause_before(text[left:m.start()]), reach=None))

    def negated_intl(m: re.Match[str]) -> bool:
        left = grammar.sentence_at(text, m.start(), m.end())[0]
        return grammar.negated_before(text[left:m.start()]) or re.search(r"不|没", m.group(0)) is not None

    out = [(_platform_value(m.group("name") or m.group("name2")), m) for m in grammar.all_said(_PLATFORM_SAID, text, unless=not_own)]
    if not out:
        for m in grammar.all_said(_PLATFORM_SAID_INTL, text, unless=negated_intl):
            named = re.search(_PLATFORM_NAMES_INTL, m.group(0), re.I)
            if named is not None:
                out.append((_platform_value(named.group(0)), m))
    return out


_MEMORY = r"(?:(?:GPU|gpu|CUDA)(?:['’]s)?\s+(?:memory|mem\b|vram|ram)|VRAM|vram)"
_NO_MEMORY_USE = re.compile(
    rf"\b{_MEMORY}\s*(?:usage|use|used|utili[sz]ation|allocation|allocated|consumption|occupancy)?\s*(?:(?:is|was|stays?|stayed|remains?|remained|sits?|sat|keeps?|kept|shows?|showed|reads?|always|still|just|constantly|staying|remaining)\s+)*(?:at\s+|on\s+)?"
    r"(?:0|zero)(?:\s*(?:MiB|MB|GB|GiB|B|%))?(?![\d.,/])(?!\s*(?:MiB|MB|GB|GiB)?\s*/\s*\d)"
    rf"|\bno\s+{_MEMORY}\s*(?:is\s+|was\s+|gets?\s+|got\s+|being\s+|ever\s+)*(?:used|allocated|consumed|taken|occupied)\b"
    rf"|\b(?:0|zero)\s*(?:MiB|MB|GB|GiB)\s+(?:of\s+)?(?:{_MEMORY}\s*)?(?:(?:is|was|are|were)\s+)?(?:used|allocated|in\s+use|usage)\b"
    # zh "显存占用一直是0", "显存没有被占用"; es/pt "la memoria de la GPU se queda en 0", "a memória da GPU fica em 0".
    r"|(?:GPU|gpu)?\s*显存\s*(?:占用|使用|使用量|占用率)?\s*(?:一直|始终|还是|都)?\s*(?:是|为|在)?\s*(?:0|零)(?:\s*(?:MiB|MB|M|%))?(?![\d.])|显存\s*(?:一直)?\s*(?:没有|没|无)\s*(?:被)?\s*(?:占用|使用)"
    r"|\bmem[oó]ria\s+(?:de\s+la\s+|da\s+)GPU\s+(?:se\s+queda|queda|est[aá]|fica|permanece|sigue)\s+(?:en|em)\s+(?:0|cero|zero)\b",
    re.I)


def memory_unused(text: str) -> re.Match[str] | None:
    """The writer's words that the GPU's memory in use is none while the work runs, asserted of now, or None."""
    text = text[:MAX_LINE]
    if _TASK_MANAGER.search(text):
        return None

    def not_of_the_work(m: re.Match[str]) -> bool:
        sentence, offset = _sentence_of(text, m.start(), m.end())
        if _ZERO_BEFORE_WORK.match(sentence, m.end() - offset) or re.search(r"\b(?:before|until|after\s+(?:it\s+)?(?:finish|end|crash|exit)\w*|when\s+idle|idle)\b", sentence, re.I):
            return True  # zero before the work starts, or after it ends, is no reading of the work
        return grammar.negated_before(grammar.clause_before(text[:m.start()]))

    return grammar.first_said(_NO_MEMORY_USE, text, unless=not_of_the_work)


def cpu_build_used(text: str) -> re.Match[str] | None:
    """The writer's words that the build they use or have is the CPU one ("I'm using the CPU version"), asserted, or None."""
    text = text[:MAX_LINE]
    return grammar.first_said(_CPU_BUILD_USED, text, unless=lambda m: not cpu_build_said(text, m.start(), m.end()))


# --- accfacts (session 25): a start that waits for minutes, then goes on --------------------------------------
# A CUDA program whose build holds no machine code (SASS) for the GPU's architecture, only PTX of an older one, has the
# driver compile that PTX at its first GPU call (CUDA C++ Programming Guide, "Just-in-Time Compilation": the result is
# kept in the compute cache, ~/.nv/ComputeCache, so only the first run, or every run when the cache is too small or
# disabled, pays it). For a framework's thousands of kernels that is minutes: the writer sees the first run (or the
# framework's self-check) hang for minutes and then go on or succeed. Read here: a wait given in minutes, at the start
# of a run or before it goes on ("run_check hangs for 10 minutes then succeeds", "the first epoch takes 20 minutes to
# start", "卡住十几分钟后才出现结果"); not a whole job's length ("training takes 30 minutes"), not asked, not supposed.
_MINUTES = (r"(?:(?:\d+|a\s+few|few|several|many|ten|twenty|thirty|fifteen|some)\s*\+?\s*(?:more\s+)?min(?:ute)?s?\b"
            r"|(?:\d+|十几|几十|十多|几|好几|数)\s*分钟)")
_WAIT = (r"(?:\b(?:hang(?:s|ed|ing)?|hung|(?:is|was|get(?:s)?|got)\s+stuck|stuck|freez(?:es|ing)|froze(?:n)?|block(?:s|ed)|wait(?:s|ed|ing)?|pause[sd]?)\b"
         r"|卡(?:住|在|了)?|等待?了?)")
_GOES_ON = (r"(?:\b(?:then|eventually|finally|after\s+(?:that|which)|afterwards)\s+(?:it\s+|the\s+\w+\s+)?(?:\w+\s+)?"
            r"(?:works?|worked|runs?|ran|starts?|started|succeeds?|succeeded|continues?|continued|proceeds?|proceeded|finish(?:es|ed)?|completes?|completed"
            r"|returns?|returned|prints?|printed|shows?|showed|gives?|gave|outputs?|trains?|passe[sd]|goes\s+on|went\s+on)\b"
            r"|\b(?:before|until|till)\s+(?:it\s+|the\s+\w+\s+)?(?:starts?|begins?|runs?|continues?|proceeds?|works?|shows?|prints?|returns?|finish(?:es)?|training|anything)\b"
            r"|\bto\s+(?:start|begin|initiali[sz]e|load|launch|warm\s*up|finish|complete|return)\b"
            r"|(?:后|之后|以后)?才(?:会)?(?:出现|出|开始|有|返回|运行|跑|完成|成功|显示|输出|打印|继续)|后(?:就)?(?:出现|开始|返回|运行|成功|完成|显示|输出|正常|继续))")
_AT_START = (r"(?:\bfirst\s+(?:run|time|call|epoch|iteration|step|batch|launch|start|inference|forward)\b|\b(?:start(?:-?up)?|initiali[sz]ation|warm[- ]?up)\b"
             r"|\brun_check\b|\bimport(?:ing)?\s+(?:torch|tensorflow|paddle|jax|mxnet)\b|首次|第一次|初始化|启动)")
_SLOW_START = re.compile(
    rf"{_WAIT}[^.;!?\n。！？]{{0,60}}?{_MINUTES}[^.;!?\n。！？]{{0,40}}?{_GOES_ON}"
    rf"|{_AT_START}[^.;!?\n。！？]{{0,50}}?(?:\b(?:takes?|took|taking|needs?|needed|lasts?|lasted)\s+(?:about\s+|around\s+|almost\s+|over\s+|more\s+than\s+|~\s*)?|要|需要|用了|花了)\s*{_MINUTES}", re.I)


def slow_start(text: str) -> re.Match[str] | None:
    """accfacts (session 25): the writer's words that a run waits for minutes at its start and then goes on (see above),
    said as what happened (not asked, supposed or advised)."""
    for m in _SLOW_START.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if not (grammar.asked(text, left, right, m.start(), m.end()) or grammar.supposed(text, left, right, m.start(), m.end())
                or grammar.hearsay(text, left, right) or grammar.advised(text, left, m.start(), m.end())):
            return m
    return None


# --- accwords (session 28): the machine suspended and resumed, in the writer's words --------------------------------
# A machine suspended (or hibernated) with a CUDA context open comes back with the driver's unified-memory module in a
# broken state: cuInit answers CUDA_ERROR_UNKNOWN until nvidia_uvm is reloaded or the machine rebooted (the fix users give:
# rmmod nvidia_uvm; modprobe nvidia_uvm). The writer's words that it happened decide that reading of the status
# (knowledge/priors.toml's CUDA_ERROR_UNKNOWN rows). The machine must be what sleeps: "resume training from a checkpoint" is
# no resume of the machine.
_MACHINE = r"(?:(?:the|my|our|a|this)\s+)?(?:computer|laptop|notebook|machine|pc|system|workstation|desktop|host|server|os|ubuntu|linux)"
_RESUMED = re.compile(
    r"\b(?:after|since|following|on|upon|when|whenever|once)\s+(?:(?:a|the|each|every|system|my|an?)\s+)?"
    r"(?:suspend(?:ing)?|resum(?:e|ing)|hibernat(?:e|ing|ion)|wak(?:e|ing)\s+(?:up\s+)?from\s+(?:sleep|suspend)|sleep(?:ing)?)\b(?!\s+(?:training|from\s+(?:a\s+|the\s+)?checkpoint|the\s+(?:training|run|job)))"
    r"|\bsuspend(?:ed)?\s*(?:/|and|&)\s*resum\w*"
    rf"|\b(?:put|puts|putting|sent|send|go|goes|went|going)\s+{_MACHINE}\s+(?:to|into|in)\s+(?:sleep|suspend|hibernation|standby)\b"
    rf"|\b{_MACHINE}\s+(?:(?:goes|went|go|has\s+gone)\s+(?:to|into)\s+(?:sleep|suspend|hibernation|standby)|(?:was|is|got|gets)\s+(?:suspended|hibernated)"
    r"|(?:wakes|woke|resumes|resumed)\s+(?:up\s+)?from\s+(?:sleep|suspend|hibernation|standby))\b",
    re.I)


def machine_resumed(text: str) -> re.Match[str] | None:
    """The writer's words that the machine was suspended (or slept) and resumed, not asked or advised, or None."""
    low = text.lower()
    if not any(w in low for w in ("suspend", "resum", "hibernat", "sleep", "standby", "wak", "woke")):
        return None
    for m in _RESUMED.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if grammar.asked(text, left, right, m.start(), m.end()) or grammar.advised(text, left, m.start(), m.end()) or grammar.in_code(text, m.start(), m.end()):
            continue
        return m
    return None


# --- accwords (session 28): the CPU's use rising while the GPU's does not ----------------------------------------------
# A writer watching the two monitors while the program runs: the CPU's load climbs and the GPU's stays where it was ("CPU
# usage goes up but GPU usage doesn't", "看到CPU上升，但是GPU没有上升"). The work is on the CPU: the GPU unused (not idle part
# of the time, which a GPU's share given as low says). In the languages the reference corpus's writers use (English,
# Chinese, Korean, Japanese, Russian, Spanish and Portuguese; the other readers of this module read the same set).
_MEASURE_NOUN = r"(?:[- ]?(?:usage|utili[sz]ation|util|load|use|activity))?"
_RISES = (r"(?:goes\s+up|went\s+up|is\s+going\s+up|rises|rose|is\s+rising|spikes?|spiked|increases?|increased|is\s+increasing|jumps?(?:\s+up)?|jumped(?:\s+up)?"
          r"|shoots?\s+up|shot\s+up|climbs?|climbed|maxe[sd]\s+out|is\s+maxed(?:\s+out)?|hits?\s+100\s*%|(?:is|was|goes|went)\s+(?:to\s+|at\s+)?(?:100|9\d)\s*%)")
_GPU_FLAT = (r"(?:(?:does|did)(?:n['\u2019]?t|\s+not)|never)(?:\s+(?:go\s+up|rise|increase|change|move|budge|spike|climb))?\b"
             r"|(?:stays?|stayed|remains?|remained|is|was|sits?|sat)\s+(?:(?:still|just|completely|totally)\s+)?(?:at\s+)?(?:flat|unchanged|the\s+same|0\s*%|zero|idle|unused|untouched)(?!\w)")
_CPU_UP_GPU_FLAT_EN = re.compile(
    rf"\bCPU{_MEASURE_NOUN}\s+{_RISES}[^.;!?\n]{{0,40}}?\b(?:but|while|whereas|and|yet)\s+(?:the\s+|my\s+)?GPU{_MEASURE_NOUN}\s+(?:{_GPU_FLAT})"
    r"|\bCPU" + _MEASURE_NOUN + r"\s+" + _RISES + r"[^.;!?\n]{0,40}?\b(?:but|while)\s+not\s+(?:the\s+|my\s+)?GPU\b"
    # Spanish and Portuguese (ASCII or not): "la CPU sube pero la GPU no", "a CPU sobe mas a GPU não"
    r"|\bCPU\s+(?:sube|aumenta|se\s+dispara|sobe|dispara)[^.!?\n]{0,25}?\b(?:pero|mas|porém)\s+(?:la\s+|a\s+)?GPU\s+(?:no|não)(?!\w)",
    re.I)
_CPU_UP_GPU_FLAT_INTL = re.compile(
    # Chinese: "CPU上升，但是GPU没有上升", "CPU占用飙升而GPU一直不动"
    r"CPU[^，,。；！？\n]{0,12}?(?:上升|升高|飙升|增加|提高|拉满|满载|占满|跑满|100%)[^。；！？\n]{0,12}?GPU[^，,。；！？\n]{0,8}?(?:没有|没|不|并没有|并未|未|一直不|一直没)(?:有)?\s*(?:上升|升高|变化|变|动|增加|提高|涨)"
    # Korean: "CPU 사용량은 올라가는데 GPU는 그대로"
    r"|CPU[^.,!?\n]{0,15}?(?:올라|상승|증가|100%)[^.!?\n]{0,20}?GPU[^.!?\n]{0,12}?(?:그대로|안\s*올라|오르지\s*않|변화\s*(?:없|가\s*없)|0%)"
    # Japanese: "CPU使用率は上がるがGPUは上がらない"
    r"|CPU[^。、！？\n]{0,15}?(?:上が|上昇|100%)[^。！？\n]{0,20}?GPU[^。！？\n]{0,12}?(?:上がらない|上がりません|変化(?:しない|しません|なし|がない)|0%|動かない|使われ(?:ない|ていない))"
    # Russian: "загрузка CPU растёт, а GPU нет"
    r"|(?:CPU|ЦП|процессор\w*)[^.!?\n]{0,25}?(?:раст[её]т|выросл\w*|поднимается|100\s*%)[^.!?\n]{0,25}?\b(?:а|но)\s+(?:загрузка\s+)?(?:GPU|видеокарт\w*)\s*(?:нет|не\s+(?:раст[её]т|поднимается|меняется|используется|загружена|загружается)|на\s+нуле|0\s*%)",
    re.I)


def cpu_rises_gpu_flat(text: str) -> re.Match[str] | None:
    """The writer's words that the CPU's use rises while the GPU's does not, asserted (not asked, supposed or advised), or None."""
    text = text[:MAX_LINE]
    if "cpu" not in text.lower() and "ЦП" not in text and "процессор" not in text.lower():
        return None
    for rx in (_CPU_UP_GPU_FLAT_EN, _CPU_UP_GPU_FLAT_INTL) if not text.isascii() else (_CPU_UP_GPU_FLAT_EN,):
        for m in rx.finditer(text):
            if asserted(text, m.start(), m.end()) and not _quoted(text, m.start()):
                return m
    return None
