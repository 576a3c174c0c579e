"""The log rule that reads a CUDA extension's build as one layer with states (accext, session 33).

An extension compiled at install time or just in time (knowledge/extension_builds.toml: NerfAcc, tiny-cuda-nn, mmcv, detectron2,
flash-attn, apex, DeepSpeed's ops, PyG's extensions, causal-conv1d, mamba-ssm, ...) fails in its build helper's words, which the
signatures read one by one: no toolkit found, the toolkit of another release than torch's, nvcc refusing the host compiler, the
toolkit's headers missing, an extension built without its CUDA code. The state each signature's lines mean is the knowledge
layer's (``knowledge.extension_builds.state_of_signature``); this rule names the extension the log is about
(``explain.extbuild``: pip's lines, a path, torch's extension flag, the message's own words), and says the state in its name,
with the state's fix (the versions the log shows filled in: torch.version.cuda, the toolkit's release, the newest gcc the
toolkit accepts) and the one check that decides. A known extension's own reading ranks above a generic line of torch's.

Quiet: where no extension is named (the signature speaks alone), where pip shows the extension built or installed, and where
torch itself is a CPU (or ROCm) build (then torch's build is the cause, and an extension without CUDA is so by design).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu import lazyre as re
from whygpu.explain.infer import MatchedMessage
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule

# The versions a build helper's message states: the toolkit's, torch's, the newest gcc nvcc accepts.
_TOOLKIT = re.compile(r"detected CUDA version \((\d+\.\d+)|Installed CUDA version (\d+\.\d+)|Cuda compilation tools, release (\d+\.\d+)", re.I)
_TORCH = re.compile(r"used to compile PyTorch \((\d+\.\d+)|torch was compiled with (\d+\.\d+)|Pytorch binaries were compiled with Cuda (\d+\.\d+)", re.I)
_GCC = re.compile(r"gcc versions later than (\d+) are not supported", re.I)
_PREFIX = re.compile(r"^[^:\s]*:\d+:\s?")


def _first_group(pattern: re.Pattern[str], lines: list[str]) -> str | None:
    for line in lines:
        if (m := pattern.search(line)) is not None:
            return next(g for g in m.groups() if g)
    return None


def _line_number(where: str) -> int:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _extension(facts: LogFacts, message: MatchedMessage) -> tuple[Any, Seen[str] | None]:
    """The extension a message is about, and the line that names it (None where the message is the extension's own)."""
    from whygpu.explain.extbuild import extension_in_line
    from whygpu.knowledge.extension_builds import extension_named, extension_of_signature

    if (own := extension_of_signature(message.signature)) is not None:
        return own, None
    for line in message.evidence:
        if (named := extension_in_line(_PREFIX.sub("", line))) is not None:
            return named, None
    if not facts.extension_named:
        return None, None
    at = min((_line_number(e.split(": ", 1)[0]) for e in message.evidence), default=0)
    before = [s for s in facts.extension_named if _line_number(s.where) <= at]
    seen = before[-1] if before else facts.extension_named[0]
    return extension_named(seen.value), seen


def _torch_cpu_build(facts: LogFacts) -> bool:
    builds = facts.cuda_build.get("torch", [])
    return bool(builds) and not any(b.value for b in builds)


@rule(
    "LOG520", "log-cuda-extension-build-state", "CUDA_LIBS_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads a CUDA extension's build (NerfAcc, tiny-cuda-nn, gsplat, mmcv, detectron2, apex, flash-attn, xFormers, PyTorch3D, spconv, MinkowskiEngine, DeepSpeed's ops, PyG's torch-scatter/-sparse/-cluster, causal-conv1d, mamba-ssm, nvdiffrast) as one layer with states: no CUDA toolkit found, nvcc not on the PATH of the process, the toolkit of another release than torch's, nvcc refusing the host compiler, the toolkit's headers missing, the extension built without its CUDA code (knowledge/extension_builds.toml). The state comes from the build helper's own message (a signature); the extension from pip's lines, a path of its sources or package, torch's extension flag or the message's own words.",
        why="The build helpers' words name the toolkit, not the program that failed; the one fix depends on both: the extension's prebuilt build where it has one, or the toolkit of torch.version.cuda's release (CUDA_HOME, PATH), a supported host compiler, the CUDA build of the extension.",
        example="Collecting flash-attn\n  Using cached flash_attn-2.6.1.tar.gz (2.6 MB)\n      ...setup.py:78: UserWarning: flash_attn was requested, but nvcc was not found.  Are you sure your environment has nvcc available?\n(https://github.com/2noise/ChatTTS/issues/595)",
        fix="The state's fix, in the extension's name, with torch.version.cuda and the toolkit's release filled in from the log; and the state's one deciding check.",
        limits="Quiet where no known extension is named (the signature's own reading stands), where pip shows the extension built or installed, and where torch is a CPU or ROCm build. nvcc's 'Unsupported gpu architecture' is LOG230's (the toolkit against the GPU); a 'no kernel image' inside an extension is not read here. The extension is the one a tool's line names nearest before the message; a log of several builds may name another.",
        references=("https://github.com/pytorch/pytorch/blob/main/torch/utils/cpp_extension.py",
                    "https://docs.nvidia.com/cuda/cuda-installation-guide-linux/index.html#host-compiler-support-policy"),
        causes=("CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH", "FRAMEWORK_CPU_BUILD"),
    ),
    decides=Decides(over="signature", cause="same", by="first_line", alternatives=False),
)
def extension_build_state(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.extension_builds import state_for_toolkit, state_of_signature, state_texts

    facts = subject.facts
    if _torch_cpu_build(facts):
        return
    built = {s.value for s in facts.extension_built}
    said: set[tuple[str, str]] = set()
    for message in subject.messages:
        state = state_of_signature(message.signature)
        if state is None:
            continue
        extension, seen = _extension(facts, message)
        if extension is None or extension.name in built or (state.id, extension.name) in said:
            continue
        said.add((state.id, extension.name))
        lines = [_PREFIX.sub("", line) for line in message.evidence]
        installed = [s.text for s in facts.cuda_installed]
        # torch's release from the message, a build helper's line that states both (DeepSpeed's "Installed CUDA version 11.2 does not
        # match the version torch was compiled with 11.7 ..."), or torch's own build.
        torch_cuda = (_first_group(_TORCH, lines) or _first_group(_TORCH, installed)
                      or next((s.value for s in facts.build_cuda.get("torch", [])), None))
        # The toolkit's release only from the message or nvcc's own banner: a CUDA the writer names is as often the driver's or torch's.
        toolkit = _first_group(_TOOLKIT, lines) or _first_group(_TOOLKIT, installed)
        # Headers missing from a toolkit of another release than torch's: the wrong toolkit (knowledge's one decision).
        read = state_for_toolkit(state, toolkit=toolkit, torch_cuda=torch_cuda)
        if message.signature == "LOG-EXT-NVCC-TOO-OLD" and (floor := re.search(r"CUDA (\d+\.\d+) and above", " ".join(lines))):
            toolkit = f"older than {floor.group(1)}"  # the message's own reading: the nvcc found is below the extension's floor
        meaning, fix, decide = state_texts(read, extension, torch_cuda=torch_cuda, toolkit=toolkit, gcc_max=_first_group(_GCC, lines))
        # An environment dump's "CUDA_HOME: None" beside a build without CUDA: the build found no toolkit (the state's own check).
        home = facts.cuda_home_none[:1] if read.id == "cpu_only_build" else []
        if home:
            meaning += "; the environment shows CUDA_HOME None, so its build found no CUDA toolkit"
        # The line that showed the toolkit's other release, where it changed the state.
        shown = [] if read is state else [s for s in facts.cuda_installed if _TOOLKIT.search(s.text)][:1]
        yield Hit(
            title=f"{extension.name}: {meaning}",
            evidence=(*message.evidence[:2], *(_ev(seen) if seen is not None else ()), *_ev(*home), *_ev(*shown)),
            fix=f"{fix}\nWhat decides it: {decide}",
            # A known extension's own reading, two facts agreeing (its name, its build helper's words): above torch's generic lines.
            confidence=Confidence.HIGH,
            cause=message.cause if read is state else read.cause,
            blocks_gpu=True,
            extra={"read_from": f"the build helper's message (state {read.id}) and the extension the log names, judged by knowledge.extension_builds"},
        )


EXT_RULES: list[Rule[LogSubject]] = [extension_build_state]
