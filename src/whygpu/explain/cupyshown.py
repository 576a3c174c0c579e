"""acccpu (session 34): a CuPy built for CUDA shown installed, where a library that reaches the GPU through CuPy says it cannot.

spaCy's GPU path goes through thinc, and thinc reaches the GPU through CuPy: ``spacy.require_gpu()`` raises "GPU is not
accessible. Was the library installed correctly?" when thinc's ``has_cupy_gpu`` is false, i.e. CuPy did not import or
``cupy.cuda.runtime.getDeviceCount()`` failed (thinc/util.py, thinc/compat.py). Its CPU-only reading (spaCy installed
without the CuPy of its ``[cuda...]`` extra: FRAMEWORK_CPU_BUILD, the signature's own cause) is contradicted by a log that
shows the CuPy for a CUDA release installed: a ``cupy-cudaNNN`` distribution (one per CUDA release line, named for it:
https://docs.cupy.dev/en/stable/install.html) or spaCy installed with its ``[cudaNNN]`` extra, which installs that
distribution (https://spacy.io/usage#gpu). Such a CuPy is there and failed to reach the GPU: its wheels load the CUDA
toolkit's own runtime libraries of that release, which pip does not install with them (CuPy's install page: "CUDA Toolkit"
is a requirement of the wheels; only CuPy 13's ``[ctk]`` extra brings them), so the first reading is those libraries
missing, then a CUDA of another release, a GPU taken by another process, a driver too old.
"""

from __future__ import annotations

from whygpu import lazyre as re

# The CuPy distribution for a CUDA release line (cupy-cuda12x, cupy-cuda11x) or a single release (cupy-cuda101; the hyphen
# written between "cuda" and the number by some writers), and spaCy's extra that installs it (spacy[cuda101],
# spacy-nightly[cuda110,transformers], spacy[cuda12x]): what is written, not "cupy" alone (which names the CPU-less source
# build, or the package in general).
_CUPY_FOR_CUDA = re.compile(r"(?<![\w-])cupy[-_]cuda-?(?P<cuda>\d{2,3}|\d{2}x)(?![\w])"
                            r"|(?<![\w-])spacy(?:-nightly)?\[(?:[\w-]+,\s*)*cuda-?(?P<extra>\d{2,3}|\d{2}x)(?:,\s*[\w-]+)*\]", re.I)
# Words that say the install did not happen: pip's resolver failing, or the distribution asked about.
_NOT_INSTALLED = re.compile(r"could not find a version|no matching distribution|\berror\b|\bfailed\b|\bnot\s+installed\b"
                            r"|\bshould\s+i\b|\bdo\s+i\s+need\b|\bwhich\b[^.?!]*\?", re.I)
NEEDLES = ("cupy", "[cuda")


def cupy_for_cuda(text: str) -> str | None:
    """The CuPy-for-CUDA distribution (or spaCy extra) ``text`` shows installed, lower case ("cupy-cuda101",
    "spacy[cuda110]"), or None: a line that names it without pip's failure or a question about it."""
    low = text.lower()
    if not any(n in low for n in NEEDLES):
        return None
    m = _CUPY_FOR_CUDA.search(text)
    if m is None or _NOT_INSTALLED.search(text):
        return None
    if m.group("cuda"):
        return f"cupy-cuda{m.group('cuda').lower()}"
    return f"spacy[cuda{m.group('extra').lower()}]"
