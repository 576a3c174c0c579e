"""The log rule that judges a program run in a session that keeps the GPU from it (accrdp, session 34): a Windows Remote
Desktop session, whose own display driver stands in for the GPU's, or a virtual machine whose only display adapter is the
hypervisor's. The facts are ``explain.remotesession``'s; the cause each kind of session means is
``knowledge.remote_session.session_cause``'s one decision.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, decided_hits
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Finding, Severity
from whygpu.rules.interface import Outcome, Rule, RuleDoc, rule

_SOURCE = "https://learn.microsoft.com/en-us/windows/win32/termserv/remote-desktop-protocol"
# The causes of other readings that say the same thing from the program's side: no GPU found, no driver answered.
_UNSEEN_CAUSES = frozenset({"NO_GPU", "DRIVER_MISSING", "GPU_HIDDEN"})


def _unseen(subject: LogSubject) -> list[Any]:
    """What shows the GPU unseen by the program: the words of it (no CUDA device, the driver not answered, a device index
    refused), a framework's answer or the writer's words that the GPU went unused, or a reading of no GPU or no driver."""
    facts = subject.facts
    shown: list[Any] = [*facts.gpu_unseen_said, *facts.gpu_unused()]
    findings: list[Finding] = [f for f in (*subject.matched, *subject.doctor)
                               if f.severity is Severity.ERROR and f.alternative_to is None and f.cause in _UNSEEN_CAUSES]
    return [*shown, *findings]


# Counted over the labelled logs at session 34: see docs/explain-accuracy.md, Session 34 (accrdp).
@rule(
    "LOG585", "log-remote-or-virtual-session-hides-gpu", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Reads that the program ran in a Windows Remote Desktop session (the writer's words: over remote desktop, via RDP, using MS remote desktop) or in a virtual machine whose display adapter is the hypervisor's (Microsoft Hyper-V Video, VMware SVGA 3D, VirtualBox Graphics Adapter, Parallels Display Adapter in a device list) or a desktop hypervisor named (VirtualBox, VMware Workstation/Player/Fusion, Parallels Desktop), with the GPU unseen in the same log (no CUDA device, the CUDA driver not answered, a device id refused: YOLOv5's Invalid CUDA '--device 0' requested, the framework's answer). Not 'remote' alone (SSH, a remote server, Jupyter), not a question, advice or a sentence that says the GPU works, and not where the log shows the GPU in use or, for a virtual machine, an NVIDIA GPU listed.",
        why="A Remote Desktop session draws through its own display driver, which stands in for the GPU's: programs started in that session find no CUDA device although the driver is installed (GPU_HIDDEN). A virtual machine given no GPU by passthrough or vGPU has only the hypervisor's virtual adapter: there is no NVIDIA GPU in it (NO_GPU).",
        example="When starting up miner over remote desktop I get this error message:\nUnable to query CUDA driver version! Is an nVidia driver installed?\n(https://github.com/cbuchner1/CudaMiner/issues/102)",
        fix="Start the program outside the Remote Desktop session (a service, a scheduled task, tscon to the console) or connect with VNC, TeamViewer or Parsec; or enable the group policy 'Use hardware graphics adapters for all Remote Desktop Services sessions'. For a virtual machine, give it the GPU (DDA, passthrough, vGPU) or run on the host.",
        limits="The words say where the program ran, not that the session was the cause: a GPU in TCC mode, or RDP with the hardware-adapter policy enabled, keeps CUDA. 'Microsoft Basic Display Adapter' is not read (Windows' fallback without a vendor driver, on a physical machine too).",
        references=(_SOURCE, "https://learn.microsoft.com/en-us/azure/virtual-desktop/enable-gpu-acceleration",
                    "https://learn.microsoft.com/en-us/windows-server/virtualization/hyper-v/plan/plan-for-deploying-devices-using-discrete-device-assignment"),
    ),
)
def remote_session_hides_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.remote_session or subject.gpu_in_use:
        return
    from whygpu.knowledge.remote_session import session_cause

    seen: Seen[Any] = facts.remote_session[0]
    session = seen.value
    if session.kind == "vm" and (facts.gpu_seen() or facts.gpu_model):
        return  # an NVIDIA GPU shown beside the hypervisor's adapter: the guest has one (passthrough, GPU partitioning)
    unseen = _unseen(subject)
    if not unseen:
        return
    decided = session_cause(session.kind)
    if decided is None:
        return
    # The device not found (the words, a reading of no GPU or no driver) and nothing else blocking the GPU: for a Remote
    # Desktop session the session is what the thread resolves (it outranks the reading of the same line as no GPU at all);
    # a framework's bare "False" (it may be a CPU build) or another cause beside leaves it medium.
    others = [f for f in subject.blocking() if f.cause not in _UNSEEN_CAUSES]
    device_unfound = bool(facts.gpu_unseen_said) or any(isinstance(u, Finding) for u in unseen)
    confidence = Confidence.HIGH if session.kind == "rdp" and device_unfound and not others else Confidence.MEDIUM
    shown = [u for u in unseen if isinstance(u, Seen)][:1]
    evidence = _ev(seen, *shown) if shown else _ev(seen)
    where = ("a Remote Desktop session" if session.kind == "rdp"
             else f"a virtual machine whose display adapter is the hypervisor's ({session.words})" if session.form == "adapter"
             else f"a {session.words} virtual machine")
    yield from decided_hits(decided, f"The program ran in {where}, and the GPU went unseen. Likeliest: {decided.because}", evidence,
                            confidence, fix=decided.fix, beside=1)


REMOTE_RULES: list[Rule[LogSubject]] = [remote_session_hides_gpu]
