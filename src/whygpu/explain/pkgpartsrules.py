"""The log rules that judge a framework install that is not whole or not consistent (accinstall, session 37).

The facts are ``explain.pkgparts``'s (a module of a framework's own package Python says does not exist; two packages pip's
resolver names in one conflict); what they mean is ``knowledge.package_parts``'s (``part_missing_cause``, ``skew_cause``).
LOG695 speaks for a missing part, LOG696 for a skew the framework refuses its GPU back end on (JAX's). An add-on's skew
(torchvision, tensorflow-text, tf-keras against their framework) is left quiet: it breaks the add-on, not the GPU. Neither
speaks in a log that shows the GPU in use.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject, alternative_hit, decided_hits
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.package_parts import part_missing_cause, skew_cause
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Outcome, Rule, RuleDoc, rule

_IMPORT = "https://docs.python.org/3/reference/import.html#searching"
_JAX_INSTALL = "https://docs.jax.dev/en/latest/installation.html"
_PIP_RESOLVER = "https://pip.pypa.io/en/stable/topics/dependency-resolution/"


@rule(
    "LOG695", "log-framework-part-missing", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Reads Python's words that a module every release of a GPU framework's package ships is missing from it ('No module named 'cupy.cuda'', 'torch._C', 'tensorflow.python', 'onnxruntime.capi'; knowledge/package_parts.toml [[part]]).",
        why="Python found the package yet not a module every release ships inside it: the folder it imported is not a whole install (a half-finished uninstall or upgrade, two installers' copies over each other, a source checkout or a folder of that name imported in its place). The GPU code lives in those modules.",
        example="Was able to import `cupy`, but unable to import `cupy.cuda` ... ModuleNotFoundError: No module named 'cupy.cuda'\n(https://github.com/cupy/cupy/issues/7907)",
        fix="Remove the package completely (pip and conda both, and a leftover folder in site-packages) and install it once, with one installer, in a fresh environment where possible; do not run Python inside the package's source checkout.",
        limits="A module only some releases have (tensorflow.contrib, cupy._core, tensorflow.python.keras) is not read: its absence says the code wants another release. Which copy was imported is not shown: `<package>.__file__` decides.",
        references=(_IMPORT, "https://github.com/cupy/cupy/issues/7907"),
    ),
)
def framework_part_missing(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or not facts.pkg_part_missing:
        return
    seen = facts.pkg_part_missing[0]
    package, module = seen.value
    decided = part_missing_cause(package, module)
    if decided is None:
        return
    evidence = _ev(seen)
    yield from decided_hits(decided, f"Python found {package} but not {package}.{module}, a module every release of it ships: the {package} "
                            "install is not whole (files left out, or another copy imported in its place)", evidence, Confidence.HIGH,
                            fix=decided.fix, scope=package)


@rule(
    "LOG696", "log-framework-parts-skew", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Reads pip's resolver naming two packages of one framework in one conflict ('jax depends on jaxlib@ https://...', 'jax[cuda111] 0.2.19 depends on jaxlib==0.1.70+cuda111', 'Cannot install jax and jaxlib==0.1.67 because these package versions have conflicting dependencies', '... requires jaxlib==X, but you have jaxlib Y which is incompatible') where the framework does not start its GPU back end on a skew between them (knowledge/package_parts.toml [[family]] skew = \"blocks\": JAX's jax, jaxlib, jax-cudaNN-plugin, jax-cudaNN-pjrt).",
        why="jax, jaxlib and the CUDA plugin are released together at one version; a pin that cannot be met walks pip back to old releases or leaves a set whose plugin JAX will not load, so JAX falls back to the CPU.",
        example="pip install --upgrade \"jax[cuda111]\" jaxlib==0.1.67 -f https://storage.googleapis.com/jax-releases/jax_releases.html ... jax depends on jaxlib@ https://storage.googleapis.com/jax-releases/cuda111/jaxlib-0.1.67+cuda111-cp38-none-manylinux2010_x86_64.whl\n(https://github.com/jax-ml/jax/issues/7760)",
        fix="Uninstall jax, jaxlib and the jax-cuda plugins, then install them together: pip install -U \"jax[cuda12]\" (one version for all; no separate jaxlib pin).",
        limits="An add-on's skew (torchvision or torchaudio against torch, tensorflow-text or tf-keras against tensorflow) breaks the add-on's import, not the framework's GPU use, and is left quiet (a Colab image's add-ons after `pip install tensorflow==2.15` are the common case). A conflict with a CUDA library's package (nvidia-cudnn-cu12) is a CUDA library version, read elsewhere.",
        references=(_JAX_INSTALL, _PIP_RESOLVER, "https://github.com/jax-ml/jax/issues/7760"),
    ),
)
def framework_parts_skew(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use:
        return
    for seen in facts.pkg_resolver_pair:
        skew = skew_cause(*seen.value)
        if skew is None or not skew.blocks:
            continue
        first, second = seen.value
        evidence = _ev(seen)
        fitted = f"could fit no release of {first}" if first == second else f"could not fit {first} and {second} together"
        yield from decided_hits(skew.decided, f"pip's resolver {fitted}: {skew.framework}'s packages must share one release, and a set "
                                "that does not leaves it without its GPU back end", evidence, Confidence.MEDIUM, fix=skew.decided.fix,
                                scope=skew.framework)
        for other in skew.decided.also:
            yield alternative_hit(other, evidence, skew.decided.cause, scope=skew.framework)
        return


PKG_PARTS_RULES: list[Rule[LogSubject]] = [framework_part_missing, framework_parts_skew]
