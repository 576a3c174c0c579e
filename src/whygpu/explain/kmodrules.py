"""The log rules that judge the NVIDIA kernel module's state (acckmod, session 32).

``LogFacts.kernel_module`` holds the states explain/kmodule.py read: a message of the kernel, DKMS, lspci or ls, an empty
``lsmod | grep nvidia``, the writer's words. What each state means (its cause, fix and the one check that decides it) is
``knowledge.kernel_module.module_state``'s. Three rules:

- LOG480: a state the machine's own lines show (the kernel's "Unknown symbol", DKMS's failed build or missing headers,
  Secure Boot's refusal, lspci's "Kernel driver in use: nouveau", ``/dev/nvidia*`` absent, an empty ``lsmod | grep nvidia``);
- LOG481: the writer's words that the GPU, the driver or CUDA failed after a kernel update (the module is likely not built
  for the new kernel), where no line named a cause;
- LOG482: the writer's words of the module's state ("the nvidia module failed to load", "nvidia_uvm is not loaded",
  "nouveau is loaded"), or of a driver package just installed with the GPU failing (not loaded until a reboot).

All stay quiet where the log shows the GPU at work or a framework listing it; a state a signature already reported with the
same cause adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.kmodule import KernelModuleSeen
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.kernel_module import ModuleState, module_state
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

# The machine's own lines, most specific first: a state that names why the module is absent outranks "not loaded".
_LINE_ORDER = ("secure_boot", "unknown_symbols", "headers_missing", "not_built", "nouveau", "gpu_unsupported", "uvm_not_loaded",
               "not_loaded", "version_mismatch")


def _gpu_works(subject: LogSubject) -> bool:
    """The log shows the GPU at work, or a framework listing one and none saying it has none: the module works there."""
    facts = subject.facts
    return subject.gpu_in_use or (bool(facts.gpu_seen()) and not facts.gpu_unused())


def _reported(subject: LogSubject, cause: str) -> bool:
    """A signature already reported a blocking failure of ``cause`` (its line is the evidence; this reading adds nothing)."""
    return any(f.cause == cause for f in subject.blocking() if f in subject.matched)


def _hit(state: ModuleState, seen: Seen[KernelModuleSeen], title: str, confidence: Confidence, read_from: str) -> Hit:
    return Hit(
        title=title,
        evidence=_ev(seen),
        fix=f"{state.fix}\nTo tell the causes apart: {state.decide}",
        confidence=confidence,
        cause=state.cause,
        blocks_gpu=True,
        extra={"why": state.meaning, "source": state.source, "read_from": read_from},
    )


@rule(
    "LOG480", "log-kernel-module-state", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads the NVIDIA kernel module's state from the machine's own lines that no signature reads: the kernel's 'nvidia_uvm: Unknown symbol X (err N)' (a module built for another kernel), DKMS's 'Bad return status for module build on kernel' and 'Your kernel headers for kernel X cannot be found' beside an NVIDIA module's name, a distribution's 'DKMS module nvidia-X failed to build', make's error under /var/lib/dkms/nvidia, NVIDIA's Kbuild's missing Module.symvers, Secure Boot's 'Loading of unsigned module is rejected' beside an NVIDIA module's name, lspci's 'Kernel driver in use: nouveau', ls's '/dev/nvidia*: No such file or directory', and `lsmod | grep nvidia` or `dmesg | grep nvidia` followed by nothing. Each is a state of knowledge/kernel_module.toml, whose cause it reports.",
        why="CUDA reaches the GPU through the nvidia kernel modules; when the module is not built for the running kernel, refused, displaced by nouveau or not loaded, every framework says only that it found no GPU, and the kernel's, DKMS's and lspci's lines are the only words that say why.",
        example="[  641.188429] nvidia_uvm: Unknown symbol radix_tree_preloads (err -2)\n(https://github.com/linux-surface/linux-surface/issues/374)",
        fix="The fix of the state (knowledge/kernel_module.toml) with the one check that decides it: `dkms status` against `uname -r`, `mokutil --sb-state`, `lsmod | grep nvidia`, `lspci -k`.",
        limits="A message any module prints (DKMS's, Secure Boot's) counts only beside an NVIDIA module's name; quiet where the log shows the GPU at work or a framework listing it, in a container for /dev/nvidia* (the container's GPU is another reading), and where a signature already reported the same cause.",
        references=("https://github.com/dkms-project/dkms/blob/master/dkms.in", "https://github.com/torvalds/linux/blob/master/kernel/module/main.c",
                    "https://download.nvidia.com/XFree86/Linux-x86_64/535.54.03/README/commonproblems.html"),
        causes=("DRIVER_MISSING", "DRIVER_MISMATCH", "GPU_NOT_SUPPORTED", "NO_GPU"),
    ),
)
def kernel_module_state(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    shown = [s for s in facts.kernel_module if s.value.how in ("line", "empty")]
    if not shown or _gpu_works(subject):
        return
    if facts.in_container:
        shown = [s for s in shown if not (s.value.state == "not_loaded" and s.value.how == "line")]  # /dev/nvidia* in a container
    if facts.driver_cuda:
        shown = [s for s in shown if s.value.how != "empty"]  # nvidia-smi's table in the same log: the module answered once
    shown.sort(key=lambda s: _LINE_ORDER.index(s.value.state) if s.value.state in _LINE_ORDER else len(_LINE_ORDER))
    if not shown:
        return
    seen = shown[0]
    state = module_state(seen.value.state)
    if _reported(subject, state.cause):
        return
    high = seen.value.how == "line" and seen.value.state != "not_loaded"
    detail = f" ({seen.value.detail})" if seen.value.detail and seen.value.how == "line" else ""
    how = "the command's output is empty" if seen.value.how == "empty" else "the machine's own line"
    yield _hit(state, seen, f"The log shows {state.meaning}{detail}", Confidence.HIGH if high else Confidence.MEDIUM, how)
    if state.id == "not_loaded":
        yield alternative_hit("NO_GPU", _ev(seen), state.cause)


@rule(
    "LOG481", "log-kernel-update-then-gpu-failing", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words that a kernel update came before the GPU, the driver or CUDA failing ('after upgrading to kernel 5.3.12 nvidia-smi does not work', 'CUDA is broken on kernel 5.9', 'after a dnf kernel update the NVIDIA module failed to load'): a kernel update named and, in the same sentence or in the log, the GPU failing or unused.",
        why="A driver's kernel module is built for one kernel; a kernel update that DKMS (or akmods) did not follow, whose headers were missing, or that the driver release does not support yet, leaves the new kernel without a loadable NVIDIA module, and the frameworks find no GPU.",
        example="after upgrading to kernel 5.3.12, dmesg | grep NVIDIA shows nothing",
        fix="Build the module for the new kernel (its headers, then `sudo dkms autoinstall`, or reinstall the driver package) and reboot; `dkms status` against `uname -r` decides.",
        limits="The writer's account, asserted (not a question, a condition or advice); speaks only where no line named a cause, and never where the log shows the GPU at work.",
        references=("https://github.com/dkms-project/dkms/blob/master/dkms.in", "https://wiki.ubuntu.com/Kernel/Dev/DKMSPackaging"),
        causes=("DRIVER_MISSING", "DRIVER_MISMATCH"),
    ),
)
def kernel_update_then_gpu_failing(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    # accsmall38 (session 38): an automatic upgrade (unattended-upgrades) is the update too, of the driver under the running
    # system (knowledge/kernel_module.toml upgraded_running); a kernel update named beside it is the more specific account.
    events = [s for s in facts.kernel_module if s.value.state == "kernel_updated"] or [s for s in facts.kernel_module if s.value.state == "upgraded_running"]
    if not events or _gpu_works(subject) or any(s.value.how != "words" for s in facts.kernel_module):
        return  # the module's own state is shown (LOG480 reads it)
    failing = [s for s in events if s.value.failing]
    if any(f in subject.matched for f in subject.blocking()) or (subject.blocking() and not failing):
        return  # a program's line named a cause; a doctor's inference yields only to the writer's account of the failure
    if not failing and not facts.gpu_unused() and not facts.stated_trouble:
        return  # a kernel update named beside nothing that fails
    seen = (failing or events)[0]
    state = module_state(seen.value.state)
    if state.id == "upgraded_running":
        yield _hit(state, seen, f"The report names an automatic upgrade before the GPU failed ({seen.value.detail!r}): {state.meaning}",
                   Confidence.MEDIUM, "the writer's words")
        yield alternative_hit("DRIVER_MISSING", _ev(seen), state.cause)
        return
    yield _hit(state, seen, f"The report names a kernel update before the GPU failed ({seen.value.detail!r}): {state.meaning}",
               Confidence.MEDIUM, "the writer's words")
    yield alternative_hit("DRIVER_MISMATCH", _ev(seen), state.cause)


@rule(
    "LOG482", "log-kernel-module-state-said", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads the writer's words of the NVIDIA kernel module's state: the module not loaded, missing or failing to load ('the NVIDIA module failed to load', 'nvidia_uvm is not loaded', 'lsmod | grep nvidia shows nothing'), nouveau loaded or in use, Secure Boot blocking the module; and a driver package just installed in a sentence that says the GPU or driver fails (the module loads only after a reboot).",
        why="Reporters describe the layer below CUDA in words as often as they paste its lines; each of these states keeps every framework from the GPU, and each has its own check and fix (knowledge/kernel_module.toml).",
        example="after a dnf kernel update the NVIDIA module failed to load",
        fix="The fix of the state with its deciding check: `lsmod | grep nvidia` (not loaded), `lspci -k` (nouveau), `mokutil --sb-state` (Secure Boot), a reboot after installing the driver.",
        limits="Asserted words only (not a question, a condition, advice or hearsay); quiet where the log shows the GPU at work; a driver install speaks only with the failure in the same sentence and no line naming a cause.",
        references=("https://download.nvidia.com/XFree86/Linux-x86_64/535.54.03/README/commonproblems.html",
                    "https://docs.nvidia.com/datacenter/tesla/driver-installation-guide/index.html"),
        causes=("DRIVER_MISSING",),
    ),
)
def kernel_module_state_said(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    said = [s for s in facts.kernel_module if s.value.how == "words" and s.value.state not in ("kernel_updated", "reboot_pending", "upgraded_running")]
    installed = [s for s in facts.kernel_module if s.value.state == "reboot_pending" and s.value.failing]
    if not (said or installed) or _gpu_works(subject):
        return
    if said:
        seen = said[0]
        state = module_state(seen.value.state)
        if _reported(subject, state.cause):
            return
        yield _hit(state, seen, f"The report says {seen.value.detail!r}: {state.meaning}", Confidence.MEDIUM, "the writer's words")
        return
    if subject.blocking():
        return  # a line named the cause; the install is the circumstance
    seen = installed[0]
    state = module_state("reboot_pending")
    yield _hit(state, seen, f"The report names a driver install ({seen.value.detail!r}) and the GPU failing: {state.meaning}",
               Confidence.MEDIUM, "the writer's words")


KMOD_RULES: list[Rule[LogSubject]] = [kernel_module_state, kernel_update_then_gpu_failing, kernel_module_state_said]
