"""Where the program's own pasted code puts its model: on the GPU, or nowhere (accinst, session 30).

PyTorch builds a module's parameters on the CPU and moves them only when the code says so (``model.to(device)``,
``model.cuda()``, a ``device=``/``device_map=`` argument of the loader, ``torch.set_default_device``):
https://pytorch.org/docs/stable/notes/cuda.html, https://pytorch.org/tutorials/beginner/basics/buildmodel_tutorial.html.
Hugging Face's ``from_pretrained`` builds models and pipelines on the CPU as well, until ``.to("cuda")`` or a
``device_map`` (https://huggingface.co/docs/diffusers/using-diffusers/loading,
https://huggingface.co/docs/transformers/main_classes/model). So a model the code creates and uses, and never moves, runs
on the CPU on a machine whose GPU works; and the same where the move is written but commented out.

The reading, of each block of Python the writer pasted (a fenced block, or a run of lines that read as Python statements),
parsed with Python's own ``ast`` where the text parses and line by line where it is a fragment:

- which names hold a model built on the CPU: a loader or class the knowledge table names
  (knowledge/placement.toml [[builds_on_cpu]]), a class the block defines from ``nn.Module``;
- which names are moved to a device, which are placed by the library that made or runs them (a trainer, Accelerate, a
  ``device=``/``device_map=`` argument: [[places_itself]]), and which placement lines are commented out;
- whether anything else (the inputs) is moved to a GPU device.

``unplaced_model`` is the one decision: a model created and used and never moved, or moved only in a commented-out
line, anywhere in the pasted code; None where any placement of it (or a library's) is shown, where the writer says the
line was added back, or where the block is someone's advice rather than the program that ran.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Placement", "code_blocks", "gpu_found_said", "unplaced_model"]


@dataclass(frozen=True)
class Placement:
    """A model the pasted code leaves on the CPU: its name, how ("commented": its move is commented out; "never_moved"),
    the line to show (the commented line, or the model's creation) and its 1-based number in the text, and whether the
    same code moves other objects (the inputs) to a GPU device."""

    name: str
    kind: str
    line: str
    number: int
    inputs_moved: bool


@dataclass(frozen=True)
class _Knowledge:
    builds_on_cpu: re.Pattern[str]
    builds_on_cpu_torch: re.Pattern[str]  # with the rows that hold only in code showing PyTorch
    places_itself: re.Pattern[str]
    placing_keywords: frozenset[str]


@lru_cache(maxsize=1)
def _knowledge() -> _Knowledge:
    from whygpu.knowledge.placement import (
        builds_on_cpu_patterns,
        places_itself_patterns,
        placing_keywords,
    )

    return _Knowledge(
        re.compile("|".join(f"(?:{p})" for p in builds_on_cpu_patterns(torch_shown=False))),
        re.compile("|".join(f"(?:{p})" for p in builds_on_cpu_patterns())),
        re.compile("|".join(f"(?:{p})" for p in places_itself_patterns())),
        frozenset(placing_keywords()),
    )


# --- the blocks of Python in a text -----------------------------------------------------------------------------------
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
_NOT_PYTHON = frozenset({"bash", "sh", "shell", "console", "text", "txt", "log", "yaml", "yml", "json", "toml", "ini", "diff",
                         "cmd", "powershell", "ps1", "bat", "dockerfile", "docker", "c", "cpp", "cuda", "rust", "go", "js", "ts"})
# A line that reads as a Python statement (an import, an assignment, a call, a block header), live or commented out.
_STATEMENT = re.compile(r"^\s*(?:#\s*)?(?:import\s+\w|from\s+[\w.]+\s+import\s|(?:def|class|for|with|if|while|return|try|except)\b|[A-Za-z_][\w.]*(?:\[[^\]]*\])?(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=[^=]|[A-Za-z_][\w.]*\s*\()")
_PROMPT = re.compile(r"^(?:>>>|\.\.\.)(?: |$)")


def code_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(0-based index of the first line, lines) of each block of Python in ``text``: fenced blocks not tagged as another
    language, and runs of three or more lines outside fences that each read as a Python statement (blank lines inside)."""
    lines = text.split("\n")
    out: list[tuple[int, list[str]]] = []
    index, start = 0, 0
    run: list[str] = []
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence is not None:
            if len(run) >= 3:
                out.append((start, run))
            run = []
            close = next((j for j in range(index + 1, len(lines)) if lines[j].strip().startswith(fence.group(1)[:3])), len(lines))
            if fence.group(2).lower() not in _NOT_PYTHON:
                out.append((index + 1, lines[index + 1:close]))
            index = close + 1
            continue
        stripped = _PROMPT.sub("", line)
        if _STATEMENT.match(stripped) or (run and (not stripped.strip() or stripped[:1] in " \t")):
            if not run:
                start = index
            run.append(stripped)
        else:
            if len(run) >= 3:
                out.append((start, run))
            run = []
        index += 1
    if len(run) >= 3:
        out.append((start, run))
    return out


def _parse(lines: list[str]) -> ast.Module | None:
    """The block parsed by Python's own parser; a fragment is parsed with the lines it cannot read blanked (a line
    indented under a header that was cut is dedented). None where nothing is left that parses."""
    body = textwrap.dedent("\n".join(_PROMPT.sub("", line) for line in lines)).split("\n")
    for _ in range(40):
        try:
            return ast.parse("\n".join(body))
        except SyntaxError as error:
            n = (error.lineno or 0) - 1
            if not 0 <= n < len(body):
                return None
            if isinstance(error, IndentationError) and "unexpected indent" in str(error.msg) and body[n].strip():
                body[n] = body[n].lstrip()
            elif isinstance(error, IndentationError) and "expected an indented block" in str(error.msg):
                body[n - 1 if n > 0 and body[n - 1].rstrip().endswith(":") else n] = ""
            else:
                body[n] = ""
        except (ValueError, RecursionError):
            return None
    return None


# --- what the code does with each name --------------------------------------------------------------------------------
def _dotted(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - ast.unparse reads every node ast.parse makes
        return ""


def _root(node: ast.AST) -> str | None:
    """The name an expression starts from: ``model`` of ``model.half().to(d)``, ``self.model`` of ``self.model.cuda()``."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "self":
                return f"self.{node.attr}"
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return None


def _to_cpu(call: ast.Call) -> bool:
    """A move whose device is the CPU (``.to('cpu')``, ``.to(torch.device('cpu'))``, ``.cpu()``)."""
    return "'cpu'" in _dotted(call).replace('"', "'").split(".to(", 1)[-1] if isinstance(call.func, ast.Attribute) and call.func.attr == "to" else False


_SELF_PLACING_FRAMEWORKS = frozenset({"tensorflow", "keras", "tf_keras", "jax", "flax", "lightning", "pytorch_lightning", "accelerate", "deepspeed"})


class _Reading:
    def __init__(self) -> None:
        self.models: dict[str, int] = {}  # name -> line (1-based in the block) of its creation
        self.used: set[str] = set()
        self.placed: set[str] = set()
        self.moved_others = False
        self.library = False


def _read(tree: ast.Module, torch_shown: bool) -> _Reading:
    know = _knowledge()
    builds = know.builds_on_cpu_torch if torch_shown else know.builds_on_cpu
    reading = _Reading()
    classes = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
               and any(_dotted(b).split(".")[-1] == "Module" for b in node.bases)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(m.split(".")[0] in _SELF_PLACING_FRAMEWORKS for m in modules):
                reading.library = True  # TensorFlow, Keras, JAX: no model move exists
        if isinstance(node, ast.Call):
            func = _dotted(node.func)
            keywords = {k.arg for k in node.keywords if k.arg}
            if know.places_itself.search(func) or keywords & know.placing_keywords:
                if keywords & know.placing_keywords and (root := _root(node)) is not None:
                    reading.placed.add(root)
                reading.library = reading.library or bool(know.places_itself.search(func))
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("to", "cuda") and not _to_cpu(node):
                root = _root(node.func.value)
                if root is not None:
                    reading.placed.add(root)
            # a model passed to another call is used by it (SamPredictor(sam), DataLoader aside)
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(arg, ast.Name):
                    reading.used.add(arg.id)
            if (root := _root(node.func)) is not None and (isinstance(node.func, ast.Name) or (isinstance(node.func, ast.Attribute) and node.func.attr in
                                                          ("forward", "generate", "predict", "eval", "encode", "decode", "infer", "__call__", "sample", "transcribe"))):
                reading.used.add(root)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if value is None or len(targets) != 1:
                continue
            target = targets[0]
            name = target.id if isinstance(target, ast.Name) else (f"self.{target.attr}" if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self" else None)
            if name is None or not isinstance(value, ast.Call):
                continue
            # the creation itself: `Net()`, `AutoModel.from_pretrained(...)`, `registry["vit_h"](...)`; a chained move
            # (`Net().to(device)`) is a placement read above
            creator = value
            while isinstance(creator.func, ast.Attribute) and isinstance(creator.func.value, ast.Call) and creator.func.attr in ("eval", "train", "half", "float", "to", "cuda", "requires_grad_"):
                creator = creator.func.value
            func = _dotted(creator.func)
            if func.split(".")[-1] in classes or builds.search(func):
                reading.models.setdefault(name, node.lineno)
            moves = [n for n in ast.walk(value) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("to", "cuda") and not _to_cpu(n)]
            if moves and _root(value) == _root(moves[0]):
                reading.placed.add(name)  # `model = Net().to(device)`: created and moved in one statement
            if any(k.arg in know.placing_keywords for n in ast.walk(value) if isinstance(n, ast.Call) for k in n.keywords):
                reading.placed.add(name)  # `from_pretrained(..., device_map="auto")`: placed by its loader
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("to", "cuda") and not _to_cpu(node):
            root = _root(node.func.value)
            if root is not None and root not in reading.models:
                reading.moved_others = True
    return reading


# A placement line commented out: "# model.to(device)", "#model = model.cuda()", "# net.to('cuda:0')".
_COMMENTED_MOVE = re.compile(r"^\s*#+\s*(?P<name>(?:self\.)?[A-Za-z_]\w*)(?:\s*=\s*(?:self\.)?[A-Za-z_][\w.]*)?\s*\.(?:to\(\s*(?!['\"]cpu['\"])[^)]|cuda\()")
# The writer's words that the line is back or was the fix: "I uncommented it", "after adding model.to(device) it works".
_ADDED_BACK = re.compile(r"\buncomment(?:ed|ing)?\b|\b(?:add(?:ed|ing)?|put(?:ting)?)\s+(?:it|that|this|the\s+line|them)\s+back\b"
                         r"|\b(?:after|once|when)\s+(?:i\s+|we\s+)?(?:add(?:ed|ing)?|call(?:ed|ing)?|mov(?:ed|ing)|put(?:ting)?)\s+[^.!?\n]{0,40}?(?:\.to\(|\.cuda\(|to\s+(?:the\s+)?(?:gpu|cuda|device))", re.I)
# A block introduced as advice: the code of an answer, not the program that ran.
_ADVICE_BEFORE = re.compile(r"\b(?:try(?:\s+this)?|you\s+(?:should|need|can|could|must|have\s+to)|instead|solution|workaround|suggest(?:ed|ion)?|answer|fix(?:ed)?\s+(?:it\s+)?(?:by|with)|change\s+(?:it|this|your\s+code)\s+to|should\s+be|replace\s+it)\b", re.I)


_TORCH_SHOWN = re.compile(r"^\s*(?:import\s+torch\b|from\s+torch\b)|\btorch\.\w|\bnn\.Module\b|\.cuda\(\)|\.to\(\s*(?:self\.)?(?:device|['\"]cuda)", re.M)
_CPU_NAMED = re.compile(r"(?:^|_)cpu(?:_|$|\d)", re.I)


def unplaced_model(text: str) -> Placement | None:
    """The model the pasted code leaves on the CPU (created and used and never moved, or moved only in a commented-out
    line), or None; the one decision of this reading."""
    if _ADDED_BACK.search(text):
        return None
    blocks = code_blocks(text)
    if not blocks:
        return None
    lines = text.split("\n")
    # PyTorch shown in the pasted code (its import, a torch. call, nn.): where the class-name rows hold
    torch_shown = any(_TORCH_SHOWN.search("\n".join(block)) for _start, block in blocks)
    readings: list[tuple[int, list[str], _Reading]] = []
    for start, block in blocks:
        before = " ".join(lines[max(0, start - 3):start])
        if _ADVICE_BEFORE.search(before):
            continue
        tree = _parse(block)
        if tree is None:
            continue
        readings.append((start, block, _read(tree, torch_shown)))
    if not readings or any(r.library for _s, _b, r in readings):
        return None
    placed = set().union(*(r.placed for _s, _b, r in readings))
    moved_others = any(r.moved_others for _s, _b, r in readings)
    models = {name for _s, _b, r in readings for name in r.models}
    # a placement commented out, of a name the code never moves live
    for start, block, _r in readings:
        for offset, line in enumerate(block):
            m = _COMMENTED_MOVE.match(line)
            if m is not None and m.group("name") not in placed and (m.group("name") in models or moved_others or re.search(r"model|net|sam|pipe|unet|vae|encoder|decoder", m.group("name"), re.I)):
                return Placement(m.group("name"), "commented", line.strip(), start + offset + 1, moved_others)
    for start, block, r in readings:
        for name, number in sorted(r.models.items(), key=lambda item: item[1]):
            if name in placed or name not in set().union(*(x.used for _s, _b, x in readings)) or _CPU_NAMED.search(name):
                continue  # moved, not used, or named for the CPU on purpose (`model_cpu`, `cpu_net`: a comparison's CPU copy)
            line = _line_of(block, number)
            return Placement(name, "never_moved", line, start + _block_line(block, line) + 1, moved_others)
    return None


def _line_of(block: list[str], number: int) -> str:
    dedented = textwrap.dedent("\n".join(_PROMPT.sub("", line) for line in block)).split("\n")
    return dedented[number - 1].strip() if 0 < number <= len(dedented) else ""


def _block_line(block: list[str], line: str) -> int:
    return next((i for i, raw in enumerate(block) if line and line in raw), 0)


# --- the writer's word that the framework sees the GPU --------------------------------------------------------------------
# The framework's own GPU query answered True, in the order a writer says it: the query first ("torch.cuda.is_available()
# returns True": explain.answers reads it) or the answer first ("it's replying true for torch.cuda.is_available()", "I get
# True from tf.test.is_gpu_available()"). Not where negated ("it doesn't return True for ...") or asked.
_ANSWER_FIRST = re.compile(
    r"\b(?:return(?:s|ed|ing)?|repl(?:y|ies|ied|ying)|respond(?:s|ed|ing)?|giv(?:e|es|ing)|gave|print(?:s|ed|ing)?|says?|said|answer(?:s|ed|ing)?"
    r"|show(?:s|ed|ing)?|get|gets|got|getting|output(?:s|ted|ting)?|yield(?:s|ed)?|evaluat(?:es|ed)\s+to)\s+(?:me\s+)?[`'\"*]*true[`'\"*]*\s+"
    r"(?:for|from|on|with|in|when\s+(?:i\s+)?(?:run|call|check|print)(?:ing)?)\s+[`'\"*]*(?:\w+\.)*(?:is_available|is_gpu_available|list_physical_devices|device_count|is_built_with_cuda)\(",
    re.I)
_NOT_BEFORE = re.compile(r"(?:\bnot|\bnever|n['’]t)\s+(?:\w+\s+){0,2}$", re.I)


def gpu_found_said(text: str) -> tuple[int, str] | None:
    """(1-based line number, line) of the first line saying the framework's GPU query answered True, or None."""
    from whygpu.explain import answers

    for number, line in enumerate(text.split("\n"), 1):
        low = line.lower()
        if "true" not in low or line.rstrip().endswith("?"):
            continue
        if any(said.gpu is True and said.about != "build" for said in answers.read_line(line)):
            return number, line.strip()
        m = _ANSWER_FIRST.search(line)
        if m is not None and not _NOT_BEFORE.search(line[max(0, m.start() - 30):m.start()]):
            return number, line.strip()
    return None
