"""The log rule that reads cuDNN as one layer with states (acccudnn, session 33): LOG530.

Frameworks say that cuDNN did not start in many words that leave the reason open: TensorFlow's "DNN library is not found",
"Fail to find the dnn implementation", "Failed to get convolution algorithm. This is probably because cuDNN failed to
initialize", "cuDNN launch failure"; XLA's (TensorFlow 2, JAX) "Could not create cudnn handle: CUDNN_STATUS_INTERNAL_ERROR" and
"DNN library initialization failed". The signatures read each line with its possible causes in order (memory taken first for a
handle not created, another cuDNN or none for the rest). This rule decides between them by the facts the rest of the log shows,
each decision asked of the knowledge layer (knowledge/cudnn.toml, knowledge.cudnn):

- XLA's memory line beside the failed handle ("Memory usage: F bytes free, T bytes total."): with most of the memory free
  (knowledge.cudnn.memory_taken), memory did not stop cuDNN, and the cuDNN loaded is not one the build works with (state
  ``not_initialised``, CUDNN_MISMATCH); with almost none free, the memory was taken (``memory_taken``, GPU_BUSY).
- A hosted notebook (Colab, Kaggle: explain.logfacts) whose TensorFlow could not start cuDNN: the image's preinstalled cuDNN is
  not the one the TensorFlow in use was built with (``notebook_image``, CUDNN_MISMATCH), the usual story being a notebook that
  pip-installed another TensorFlow over the image's.

Each finding carries the state's fix with the versions the log gives filled in (the framework version's cuDNN from
knowledge/tensorflow.toml's tested builds or a CUDA jaxlib's local version) and the state's one deciding check. Quiet where a
line already names the versions (TensorFlow's "Loaded runtime CuDNN library: X but source was compiled with: Y", PyTorch's and
JAX's version messages: their signatures decide), where the log shows the GPU's memory setting already changed for a memory
reading, and where no open cuDNN failure is shown.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts, Seen, memory_in_use
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.cudnn import CudnnState
from whygpu.model import Confidence, Finding, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

# The signatures whose line says cuDNN did not start without saying why (explain/signatures.toml).
_OPEN = frozenset({
    "LOG-TF-CUDNN-HANDLE", "LOG-TF-DNN-NOT-FOUND", "LOG-JAX-DNN-INIT-FAILED", "LOG-TF-CONV-ALGORITHM",
    "LOG-TF2-CONV-ALGORITHMS-CHECK", "LOG-DNN-IMPL-NOT-FOUND", "LOG-DNN-LAUNCH-FAILURE",
})
# The signatures whose line names the two versions: they decide, and this rule stays quiet.
_VERSIONS_SHOWN = frozenset({
    "LOG-TF-CUDNN-VERSION", "LOG-TF2-CUDNN-VERSION-CUT", "LOG-PT-CUDNN-VERSION", "LOG-JAX-CUDNN-TOO-OLD",
    "LOG-HARV-PADDLE-CUDNN-OLDER", "LOG-HARV-PADDLE-CUDA-CUDNN-OLDER",
})
# Of those, the lines that say the DNN support is absent (not a handle that could not get memory): on a hosted notebook, the
# image's cuDNN against the framework installed over it.
_NOT_STARTED = frozenset({"LOG-TF-DNN-NOT-FOUND", "LOG-JAX-DNN-INIT-FAILED", "LOG-TF-CONV-ALGORITHM", "LOG-DNN-IMPL-NOT-FOUND"})
_NAMES = {"tensorflow": "TensorFlow", "jax": "jaxlib", "torch": "PyTorch"}


def _build(facts: LogFacts) -> tuple[str, str, str] | None:
    """(framework, version as shown, the cuDNN its build was made with) for the first framework version the log shows whose
    build's cuDNN the knowledge layer knows; None where none."""
    from whygpu.knowledge.cudnn import build_cudnn

    for framework in ("tensorflow", "jax"):
        for seen in facts.versions.get(framework, ()):
            if (cudnn := build_cudnn(framework, seen.value)) is not None:
                return framework, seen.value, cudnn
    return None


def _built_with(facts: LogFacts) -> str:
    """A sentence naming the cuDNN the framework version in the log was built with, or "" where the log shows none known."""
    build = _build(facts)
    if build is None:
        return ""
    framework, version, cudnn = build
    return f" {_NAMES.get(framework, framework)} {version} was built with cuDNN {cudnn}: install that major with an equal or newer minor."


def _memory(facts: LogFacts) -> tuple[Seen[str], int, int] | None:
    """XLA's memory line beside the failed handle: (the sighting, free bytes, total bytes), the first that reads."""
    for seen in facts.cudnn_memory:
        free, _, total = seen.value.partition("/")
        if free.isdigit() and total.isdigit() and int(total) > 0:
            return seen, int(free), int(total)
    return None


def _hit(state: CudnnState, title: str, evidence: tuple[str, ...], fix_tail: str = "") -> Hit:
    """The finding of one cuDNN state: its cause, its fix (with the log's versions after it) and the one check that decides."""
    return Hit(
        title=title,
        evidence=tuple(dict.fromkeys(evidence)),
        fix=f"{state.fix}{fix_tail}\nTo tell the causes apart: {state.decide}",
        confidence=Confidence.MEDIUM,
        cause=state.cause,
        blocks_gpu=True,
        extra={"cudnn_state": state.id, "why": state.meaning, "source": state.source},
    )


def _notebook(facts: LogFacts) -> Seen[str] | None:
    """The line that shows a hosted notebook (Colab, Kaggle), or None."""
    if facts.platform_name() == "colab":
        return next((s for s in facts.platform if s.value == "colab"), None)
    return facts.kaggle[0] if facts.kaggle else None


@rule(
    "LOG530", "log-cudnn-layer-state", "CUDNN_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Reads a cuDNN failure that leaves its reason open (TensorFlow's 'DNN library is not found', 'Fail to find the dnn implementation', 'Failed to get convolution algorithm', 'cuDNN launch failure'; XLA's 'Could not create cudnn handle' and 'DNN library initialization failed', for TensorFlow and JAX) against the facts that decide cuDNN's state (knowledge/cudnn.toml): XLA's memory line beside the failed handle ('Memory usage: F bytes free, T bytes total'; most of it free: the cuDNN loaded is not one the build works with; almost none: memory taken), or a hosted notebook (Colab, Kaggle) whose preinstalled cuDNN is not the one the TensorFlow in use was built with.",
        why="cuDNN fails to create its handle either because it cannot get memory or because the library loaded does not work with the build; XLA prints the GPU's free memory right after the failure so the two can be told apart, and JAX's own reservation leaves a quarter free. Hosted notebooks preinstall one cuDNN under their image's TensorFlow; a notebook that installs another TensorFlow gets a build made for another cuDNN.",
        example="E0515 10:03:24.130426   19611 cuda_dnn.cc:534] Could not create cudnn handle: CUDNN_STATUS_INTERNAL_ERROR\nE0515 10:03:24.130458   19611 cuda_dnn.cc:538] Memory usage: 7973961728 bytes free, 8198619136 bytes total.\n(https://github.com/conda-forge/jaxlib-feedstock/issues/312)",
        fix="Make the cuDNN the framework loads the one its build was made with (the framework's own cuDNN wheels in a fresh environment, or the build's cuDNN for the image's CUDA on a notebook); where the memory was taken, let the framework allocate on demand or free the GPU.",
        limits="Quiet where a line names both versions (TensorFlow's 'Loaded runtime CuDNN library', PyTorch's and JAX's version messages decide), where no open cuDNN failure is shown, and, for the notebook reading, where the log's nvidia-smi table shows a quarter of the memory or more in use or the memory line shows it taken. The memory line is XLA's (TensorFlow 2, JAX); TensorFlow 1's handle failure has none and keeps its signature's order (memory first).",
        references=("https://docs.jax.dev/en/latest/gpu_memory_allocation.html", "https://www.tensorflow.org/install/source#gpu", "https://github.com/googlecolab/backend-info/commits/main/apt-list.txt"),
        causes=("CUDNN_MISMATCH", "GPU_BUSY"),
    ),
)
def cudnn_layer_state(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.cudnn import cudnn_state, memory_taken

    failures: list[Finding] = [f for f in subject.matched if f.id in _OPEN]
    if not failures or any(f.id in _VERSIONS_SHOWN for f in subject.matched):
        return
    facts = subject.facts
    failed = failures[0].evidence[:1]
    memory = _memory(facts)
    if memory is not None:
        seen, free, total = memory
        share = round(100 * free / total)
        if memory_taken(free, total):
            state = cudnn_state("memory_taken")
            yield _hit(state, f"cuDNN could not start with only {share}% of the GPU's memory free: the memory was taken before cuDNN asked for it",
                       (*failed, *_ev(seen)))
            return
        state = cudnn_state("not_initialised")
        yield _hit(state, f"cuDNN could not start with {share}% of the GPU's memory free: memory did not stop it, the cuDNN loaded is not one the build works with",
                   (*failed, *_ev(seen)), _built_with(facts))
        return
    notebook = _notebook(facts)
    if notebook is None or memory_in_use(facts) or not any(f.id in _NOT_STARTED for f in failures):
        return
    from whygpu.explain.mixrules import frameworks_together

    if frameworks_together(facts) is not None:
        return  # two frameworks in one process: the memory one reserves is LOG355's reading
    state = cudnn_state("notebook_image")
    host = "Colab" if notebook.value == "colab" else "Kaggle"
    yield _hit(state, f"cuDNN did not start on a {host} notebook: the image's preinstalled cuDNN is not the one the TensorFlow in use was built with",
               (*failed, *_ev(notebook)), _built_with(facts))





CUDNN_RULES: list[Rule[LogSubject]] = [cudnn_layer_state]
