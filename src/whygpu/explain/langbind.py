"""A deep-learning library used from another language, read from a log (accbind, session 35): the binding named (tch-rs,
TensorFlow Java, DJL, ND4J, TorchSharp, ONNX Runtime's NuGet and Rust packages, torch for R, tfjs-node, Candle), its CPU
or GPU artifact (Maven/Gradle, Cargo, NuGet, npm, R lines), its own answer that CUDA is not available (tch's
``Cuda::is_available()`` false, R's ``cuda_is_available()`` FALSE, TorchSharp's "CUDA non available in the current
machine"), its words that its library has no CUDA or that no native flavour matches the CUDA it found (DJL's "No matching
cuda flavor for win found: cu112mkl"), and the writer's words beside it (only the CPU used; CUDA not available; Python's
framework on the same machine uses the GPU). What each binding's lines look like is knowledge/bindings.toml; the
decision is ``knowledge.bindings.judge``; LOG635 and LOG636 (explain.langbindrules) speak it.
"""

from __future__ import annotations

from whygpu import lazyre as re

__all__ = ["ANSWER_FALSE", "ASKED", "binding_lines", "said_lines"]

# A binding's is_available call whose answer is printed on the next line ("> false", "returns False.", "[1] FALSE").
ASKED = re.compile(r"(?-i:\bCuda::is_available\(\)|cuda_is_available\(\))\W*$")
ANSWER_FALSE = re.compile(r"^\W*(?:(?:returns?|prints?|gives?|is)\s+)?(?:\[1\]\s*)?`?(?:false|FALSE|False)`?\W*$")


def binding_lines(text: str, low: str) -> list[tuple[str, str, str]]:
    """What ``text`` shows of the bindings, as (binding id, kind, detail) (knowledge.bindings.read_line), for a line that
    holds one of the bindings' needles. Lines over 4,000 characters are not read (a pasted blob)."""
    if len(text) > 4000:
        return []
    from whygpu.knowledge.bindings import read_line

    return read_line(text, low)


def said_lines(text: str, low: str) -> list[str]:
    """The kinds of the writer's words ``text`` holds ("cpu_only", "not_available", "elsewhere")."""
    if len(text) > 2000:
        return []
    from whygpu.knowledge.bindings import said_in

    return said_in(low, text)
