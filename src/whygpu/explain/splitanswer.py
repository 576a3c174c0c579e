"""A program's own line that one framework reached the GPU while another package did not (accnoticed38, session 38).

Programs that run two frameworks check each and print one line for both: "GPU detected by torch but CUDAExecutionProvider
not available in onnxruntime -- install onnxruntime-gpu" (https://github.com/snapotter-hq/SnapOtter/issues/490). The line
holds two facts, one per framework: the first found the GPU (its "GPU" answer True: the machine, its driver and the
container's GPU work), the second did not (its answer False). Each is added to the frameworks' answers
(``LogFacts.gpu_answer``), which the existing decisions judge: a package without its CUDA provider beside a framework
that reached the GPU is that package's build or its CUDA libraries, not the machine.

Read: "<GPU|CUDA> <detected|found|available> <by|in|via> A but <GPU|CUDA|a provider> <is not|not> <available|found|detected>
<in|by|for> B", and "A <detects|found|sees> the GPU but B <does not|cannot|doesn't>". A and B are named packages
(knowledge: ``_PACKAGES`` are import names a framework answers by). The line must be a program's (or pasted from one): a
question or a condition ("if ... but") is not read.
"""

from __future__ import annotations

from whygpu import lazyre as re

__all__ = ["NEEDLES", "split_answers"]

NEEDLES = (" but ",)

# The import names whose GPU answer the log's facts keep (``LogFacts.gpu_answer`` keys).
_PACKAGES = {"torch": "torch", "pytorch": "torch", "tensorflow": "tensorflow", "tf": "tensorflow", "jax": "jax",
             "onnxruntime": "onnxruntime", "onnx runtime": "onnxruntime", "ort": "onnxruntime"}
_NAME = r"(?:torch|pytorch|tensorflow|tf|jax|onnxruntime|onnx\s+runtime|ort)"
_GPU = r"(?:GPUs?|CUDA|cuda|\w*ExecutionProvider)"
_SPLIT = re.compile(
    rf"\b{_GPU}\s+(?:is\s+|was\s+)?(?:detected|found|available|visible|usable)\s+(?:by|in|via|with|for|through)\s+(?P<yes>{_NAME})\b"
    rf"[^.;!?]{{0,40}}?\bbut\s+(?:the\s+)?{_GPU}\s+(?:is\s+|was\s+)?(?:not|n't|NOT)\s+(?:available|detected|found|usable|visible|loaded)\s+"
    rf"(?:in|by|for|via|with|from)\s+(?P<no>{_NAME})\b", re.I)
_QUESTION = re.compile(r"^\s*(?:if|when|whether|why|how)\b|\?", re.I)


def split_answers(line: str) -> tuple[tuple[str, bool], tuple[str, bool]] | None:
    """(the framework that found the GPU, True), (the one that did not, False) from a program's line, or None."""
    if len(line) > 600 or " but " not in line.lower():
        return None
    found = _SPLIT.search(line)
    if found is None or _QUESTION.search(line[:found.start()]) or "?" in line[found.end():found.end() + 3]:
        return None
    yes = _PACKAGES[" ".join(found.group("yes").lower().split())]
    no = _PACKAGES[" ".join(found.group("no").lower().split())]
    if yes == no:
        return None
    return (yes, True), (no, False)
