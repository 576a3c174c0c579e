"""The facts a CUDA "no code for this device" status is read against (acckernel, session 36).

A line of the family ("no kernel image is available", "device kernel image is invalid", "invalid device function", "the
provided PTX was compiled with an unsupported toolchain", "a PTX JIT compilation failed"; knowledge/kernel_images.toml's
kinds) is found where the log's readers already found it: the first line a signature's finding cites, or the line the facts
reader kept as a build's statement that it has no code for the device (``no_kernel_said``). No line of the log is read again.
Beside it: the GPU's compute capability (stated by a program, not by a build flag; or the GPU model's), each build the log shows
judged against it (knowledge.target.build_runs_on_gpu, the architectures a build states), the driver against the CUDA the code
was made with (knowledge.cuda.driver_version_runs_cuda). explain/kernelimagerules.py (LOG650) asks knowledge.kernel_images.decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from whygpu.explain.logfacts import Seen

_PLACE = re.compile(r"^(\S+:\d+): (.*)$", re.S)
# A line in CUDA's own form, not HIP's (which prints the same status words): a CUDA call, source file or word on it.
_CUDA_FORM = re.compile(r"cuda|\.cu\b|\.cuh\b|nvcc", re.I)
_HIP = re.compile(r"\bhip|rocm", re.I)


@dataclass
class KernelImageLine:
    """One line of the family, with what the log shows beside it."""

    kind: str
    where: str
    text: str
    read_as: list[str] = field(default_factory=list)  # the causes the signatures' findings citing it first give
    facts: set[str] = field(default_factory=set)
    values: dict[str, str] = field(default_factory=dict)
    shown: list[Seen[Any]] = field(default_factory=list)


def family_lines(subject: Any) -> list[KernelImageLine]:
    """Each line of the family the log's readers found, once, in the order found: signatures' first lines, then the facts'."""
    from whygpu.knowledge.kernel_images import image_kind_of

    lines: dict[str, KernelImageLine] = {}
    for finding in subject.matched:
        if finding.alternative_to is not None or not finding.evidence:
            continue
        m = _PLACE.match(finding.evidence[0])
        if m is None:
            continue
        where, text = m.group(1), m.group(2)
        kind = image_kind_of(text)
        if kind is None:
            continue
        # One line by its place (a finding's evidence is the line shortened and redacted; its place is the line's).
        line = lines.setdefault(where, KernelImageLine(kind.id, where, text))
        if finding.cause:
            line.read_as.append(finding.cause)
    for seen in subject.facts.no_kernel_said:
        kind = image_kind_of(seen.text)
        if kind is not None and seen.where not in lines:
            lines[seen.where] = KernelImageLine(kind.id, seen.where, seen.text)
    return list(lines.values())


def gpu_capability(facts: Any) -> tuple[str, Seen[Any]] | None:
    """The GPU's compute capability: one a program states of the device (not a build's -gencode or arch list, which the
    facts reader can take for it), else the one of the GPU model the log names (knowledge/gpus.toml)."""
    from whygpu.explain.ccsupport import names_build_targets
    from whygpu.knowledge.gpus import gpu_in_text

    for seen in facts.compute_capability:
        if not names_build_targets(seen.text):
            return seen.value, seen
    for seen in facts.gpu_model:
        model = gpu_in_text(seen.value)
        if model is not None and model.compute_capability:
            return model.compute_capability, seen
    return None


def judge_line(line: KernelImageLine, subject: Any) -> None:
    """Fill in the facts that hold beside ``line`` (knowledge.kernel_images.FACTS) and the values its words take."""
    from whygpu.explain import grammar
    from whygpu.knowledge.kernel_images import at_runtime_init, image_kinds

    facts = subject.facts
    # A line no signature read counts only where it states the status of now (not a question, advice, hearsay or the past).
    if not line.read_as:
        m = next((k.pattern.search(line.text) for k in image_kinds() if k.id == line.kind), None)
        asked = "?" in line.text[m.end():] if m is not None else False  # "Why would I get '...' on a GTX 1080?"
        if m is not None and not asked and grammar.said(line.text, m.start(), m.end(), quotes=False):
            line.facts.add("unread")
    found = gpu_capability(facts)
    # CUDA's own form: a CUDA word on the line, or an NVIDIA GPU the log names (its compute capability known), and no HIP word.
    if (_CUDA_FORM.search(line.text) or found is not None) and not _HIP.search(line.text):
        line.facts.add("cuda_form")
    if at_runtime_init(line.text):
        line.facts.add("runtime_init")
    if found is not None:
        cc, seen_gpu = found
        line.values.update(cc=cc, cc_packed=cc.replace(".", ""), gpu_named=f" ({seen_gpu.value})" if seen_gpu.value != cc else f" (compute capability {cc})",
                           cc_named=f" ({cc})", arch=cc.replace(".", ""), arch_dot=cc)
        line.shown.append(seen_gpu)
        _gpu_fit(line, subject, cc)
    _driver_fit(line, facts)


def _gpu_fit(line: KernelImageLine, subject: Any, cc: str) -> None:
    """gpu_outside: a build the log shows (a framework release, a program with its own row, the architectures a build states)
    that has no code for compute capability ``cc``."""
    from whygpu.explain.ccrules import _builds_shown
    from whygpu.knowledge.target import (
        BuildSpec,
        build_runs_on_compute_capability,
        build_runs_on_gpu,
    )

    facts = subject.facts
    builds: list[tuple[Any, tuple[Seen[Any], ...]]] = []
    torch = facts.versions.get("torch", [])
    if torch:
        cuda_seen = facts.build_cuda.get("torch", [])
        builds.append((BuildSpec("torch", "PyTorch", torch[0].value, cuda_seen[0].value if cuda_seen else None), (torch[0],)))
    builds += [b for b in _builds_shown(facts) if b[0].framework != "toolkit"]
    for build, shown in builds:
        fit = build_runs_on_gpu(build, cc)
        if fit.runs is False:
            name = f"{build.distribution} {build.version}".strip()
            line.facts.add("gpu_outside")
            line.values.update(build=name, build_name=build.distribution, fit_why="; ".join(fit.reasons))
            line.shown += list(shown)
            return
    for seen in facts.build_archs:
        archs = [str(a) for a in seen.value]
        arch_fit = build_runs_on_compute_capability(archs, cc)
        if arch_fit.runs is False:
            line.facts.add("gpu_outside")
            line.values.update(build="the build", build_name="the program", fit_why=arch_fit.reason)
            line.shown.append(seen)
            return


def _driver_fit(line: KernelImageLine, facts: Any) -> None:
    """driver_older: the driver shown runs the CUDA the code was made with (a framework's build CUDA, the toolkit nvcc shows)
    not at all, or only through minor-version compatibility, which JIT-compiles no newer PTX."""
    from whygpu.knowledge._util import parse_version
    from whygpu.knowledge.cuda import driver_version_runs_cuda

    made: Seen[Any] | None = None
    for seen_list in facts.build_cuda.values():
        if seen_list:
            made = seen_list[0]
            break
    if made is None and facts.cuda_installed:
        made = facts.cuda_installed[0]
    if made is None:
        return
    cuda = str(made.value)
    if facts.driver_version:
        drv = facts.driver_version[0]
        fit = driver_version_runs_cuda(str(drv.value), cuda)
        if fit.runs is False or (fit.runs is True and not fit.exact):
            line.facts.add("driver_older")
            line.values.update(cuda=cuda, driver_why=fit.reason, driver_needed=str(fit.needed or fit.toolkit_min or "the toolkit's driver"))
            line.shown += [drv, made]
        return
    if facts.driver_cuda:
        top, want = parse_version(str(facts.driver_cuda[0].value)), parse_version(cuda)
        if top is not None and want is not None and top.release[:2] < want.release[:2]:
            line.facts.add("driver_older")
            line.values.update(cuda=cuda, driver_why=f"the driver runs CUDA up to {facts.driver_cuda[0].value}",
                               driver_needed=f"a driver for CUDA {cuda}")
            line.shown += [facts.driver_cuda[0], made]
