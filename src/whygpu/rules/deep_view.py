"""Pure views over the typed ``snapshot.deep`` shared by the deep rules, the verdict and the report details.

Nothing here touches the system or imports a reader: it reads the stored probe outcomes, the
static findings and the log reader ``diagnose`` hands over (``DeepSubject``), so ``doctor --from``
gives what the live run gave.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import field
from typing import Any

from whygpu.facts import Unavailable
from whygpu.model import Cause, Finding, Severity, rank_causes
from whygpu.probes import DeepReport, FrameworkAnswer, ProbeOutcome, StreamCapture
from whygpu.records import record
from whygpu.snapshot import FrameworkBuild, PythonEnv, Snapshot

PRETTY = {"tensorflow": "TensorFlow", "torch": "PyTorch", "jax": "JAX", "driver": "the CUDA driver"}

# The call a user runs to ask the framework the same question by hand.
_ASK = {
    "tensorflow": "import tensorflow as tf; print(tf.config.list_physical_devices('GPU'))",
    "torch": "import torch; print(torch.cuda.is_available(), torch.ones(1, device='cuda'))",
    "jax": "import jax; print(jax.devices())",
    "driver": "import ctypes; print(ctypes.CDLL('libcuda.so.1').cuInit(0))",
}

# A shared library's file name (``lib*.so`` with any version); the name itself is read by knowledge.cuda.
_SHARED_LIBRARY = re.compile(r"^lib[A-Za-z0-9_+-]+\.so(?:\.[0-9][0-9.]*)?$")


@record(frozen=True)
class Loaded:
    """A deep report read back from a snapshot, or why it could not be."""

    report: DeepReport | None
    error: str | None = None


def load(snapshot: Snapshot) -> Loaded:
    """The snapshot's deep report (typed, read with the snapshot): None when ``--deep`` did not run, an error when the section is corrupt."""
    deep = snapshot.deep
    if deep is None:
        return Loaded(None)
    if isinstance(deep, Unavailable):
        return Loaded(None, deep.reason)
    return Loaded(deep)


def label(outcome: ProbeOutcome) -> str:
    """``TensorFlow 2.21.0`` (with its version once it answered)."""
    name = PRETTY.get(outcome.probe, outcome.probe)
    framework = outcome.answer.framework if outcome.answer else None
    if framework is not None and framework.version:
        return f"{name} {framework.version}"
    return name


def ask_command(outcome: ProbeOutcome) -> str:
    """The same question, as a command the user can run in the same environment."""
    return f"{outcome.python} -c \"{_ASK.get(outcome.probe, 'pass')}\""


def source_name(outcome: ProbeOutcome, stream: str) -> str:
    """How the evidence names a probe's stream: ``tensorflow probe stderr``."""
    return f"{outcome.probe} probe {stream}"


def numbered_lines(capture: StreamCapture) -> list[str]:
    """The stream as explain reads it: every line at its real number, left-out lines blank."""
    lines: list[str] = []
    for number, text in capture.numbered():
        if number - 1 > len(lines):
            lines.extend([""] * (number - 1 - len(lines)))
        lines.append(text)
    return lines


@record(frozen=True)
class Words:
    """What the log reader (the explain engine) made of a probe's output: the causes its lines point to."""

    findings: tuple[Finding, ...]
    causes: tuple[Cause, ...]
    gpu_used: bool | None
    positive_evidence: tuple[str, ...]

    @property
    def evidence(self) -> list[str]:
        """Every evidence line of every finding, most likely cause first, without repeats.

        A message the framework printed twice (TensorFlow logs its CUDA stub line once per
        loaded module) is cited once: lines are compared without their source, line number
        and log prefix.
        """
        lines: list[str] = []
        seen: set[str] = set()
        for cause in self.causes:
            for line in cause.evidence:
                key = message_of(line)
                if key not in seen:
                    seen.add(key)
                    lines.append(line)
        return lines


_CITED = re.compile(r"^[^:]*:\d+: ")
_LOG_PREFIX = re.compile(r"^[IWEF]\d{4} [\d:.]+ +\d+ [^\]]*\] |^\d{4}-\d\d-\d\d [\d:.]+: [IWEF] [^\]]*\] ")


def message_of(line: str) -> str:
    """A cited log line without ``source:N:`` and without the absl/glog prefix (time, thread, file:line)."""
    return _LOG_PREFIX.sub("", _CITED.sub("", line, count=1), count=1)


# Error-level lines: absl/glog "E0101 12:00:00.000000 123 file.cc:42] ..." (TensorFlow, XLA/JAX;
# https://abseil.io/docs/cpp/guides/logging#prefix), TensorFlow 1.x/2.x "2020-08-08 23:41:49.3: E ..."
# and a Python exception's last line "SomethingError: ...".
_ERROR_LINE = re.compile(r"^(?:[EF]\d{4} |\d{4}-\d\d-\d\d [\d:.]+: [EF] |[A-Za-z_.]*(?:Error|Exception): )")


def is_error_line(line: str) -> bool:
    """True for a cited line that the framework logged at error level, or an exception's message."""
    return bool(_ERROR_LINE.match(_CITED.sub("", line, count=1)))


def log_order(line: str) -> tuple[str, int]:
    """Sort key of a cited line ``source:N: text``: by source, then line number."""
    source, _, rest = line.partition(":")
    number = rest.split(":", 1)[0]
    return (source, int(number)) if number.isdigit() else (source, 0)


# How a framework's own lines are read: (source name, lines) -> the causes they point to. The
# reader is the explain engine, handed in by ``diagnose`` (which sits above both), so that the
# rules import no reader of a source.
LogReader = Callable[[str, tuple[str, ...]], Words]


@record(frozen=True)
class DeepSubject:
    """What the deep rules judge: the snapshot (its deep answers typed when it was read), the static rules' findings, and the log reader.

    ``diagnose`` runs the static rules once and builds this from their findings; the deep rules
    compare the frameworks' answers with them and never run the static rules again.
    """

    snapshot: Snapshot
    static: tuple[Finding, ...]
    read_log: LogReader = field(compare=False)

    def words(self, outcome: ProbeOutcome) -> Words:
        """The log reader's reading of the probe's stderr and stdout (the framework's own words)."""
        return self._read(
            (source_name(outcome, "stderr"), tuple(numbered_lines(outcome.stderr))),
            (source_name(outcome, "stdout"), tuple(numbered_lines(outcome.stdout))),
        )

    def words_of(self, text: str, source: str) -> Words:
        """The log reader's reading of one message (an exception text the child recorded)."""
        return self._read((source, tuple(text.splitlines())))

    def _read(self, *streams: tuple[str, tuple[str, ...]]) -> Words:
        findings: list[Finding] = []
        used: bool | None = None
        positive: list[str] = []
        for source, lines in streams:
            if not any(line.strip() for line in lines):
                continue
            read = self.read_log(source, lines)
            findings.extend(read.findings)
            if read.gpu_used is True:
                used = True
            elif read.gpu_used is False and used is None:
                used = False
            positive.extend(read.positive_evidence)
        return Words(tuple(findings), tuple(rank_causes(findings, by_likelihood=True)), used, tuple(positive))

    def static_blockers(self, scope: str) -> list[Cause]:
        """What the static rules found blocking ``scope`` (a framework, or "" for the machine).

        Machine-wide errors block every framework; a framework's own errors block only it.  Ranked
        along the physical chain, most fundamental first.
        """
        return rank_causes(self.static_error_findings(scope))

    def static_error_findings(self, scope: str) -> list[Finding]:
        """The static rules' error findings for ``scope`` (machine-wide ones included)."""
        return [f for f in self.static if f.severity is Severity.ERROR and (f.scope == "" or (scope and f.scope == scope))]


def environment_of(snapshot: Snapshot, outcome: ProbeOutcome) -> tuple[PythonEnv | None, FrameworkBuild | None]:
    """The environment the probe ran in and, for a framework probe, the build the static collector read."""
    for env, fw in snapshot.frameworks():
        if env.executable == outcome.python and fw.name == outcome.probe:
            return env, fw
    pythons = snapshot.pythons
    if isinstance(pythons, list):
        for env in pythons:
            if env.executable == outcome.python:
                return env, None
    return None, None


def said(framework: FrameworkAnswer) -> list[str]:
    """The framework's own answers, as evidence lines: ``torch.cuda.is_available() returned False``."""
    lines = []
    for call, value in framework.checks.items():
        if isinstance(value, str):
            lines.append(f"{call} raised: {value}")
        else:
            lines.append(f"{call} returned {value!r}")
    if framework.devices_error:
        lines.append(f"listing devices raised: {framework.devices_error}")
    operation = framework.operation
    if operation.attempted and operation.error:
        lines.append(f"an operation on {operation.requested} failed: {operation.error}")
    return lines


def find_line(outcome: ProbeOutcome, text: str) -> str | None:
    """Where the child printed ``text`` (its first line), cited as ``source:N: line``; None when it did not."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    if not first:
        return None
    for stream in ("stderr", "stdout"):
        capture = outcome.stderr if stream == "stderr" else outcome.stdout
        for number, line in capture.numbered():
            if first in line:
                return f"{source_name(outcome, stream)}:{number}: {line}"
    return None


def tail_evidence(outcome: ProbeOutcome, count: int = 8) -> list[str]:
    """The last lines the child printed (stderr, then stdout), numbered, as evidence (import machinery frames last)."""
    lines = [f"{source_name(outcome, 'stderr')}:{n}: {text}" for n, text in outcome.stderr.last(count)]
    lines += [f"{source_name(outcome, 'stdout')}:{n}: {text}" for n, text in outcome.stdout.last(max(2, count // 4))]
    return machinery_last(lines)


def machinery_last(lines: list[str]) -> list[str]:
    """``lines`` with Python's own import-machinery frames (``<frozen importlib._bootstrap>``) moved after the rest.

    Those frames are the same in every failed import; the user's and the framework's frames and the
    exception's message say what went wrong, so they come first (each group keeps its order).
    """
    own = [line for line in lines if "<frozen importlib." not in line]
    return own + [line for line in lines if "<frozen importlib." in line]


def library_stem(path: str) -> str | None:
    """``/x/libcudart.so.12.4.127`` -> "libcudart" (``knowledge.cuda.library_stem``); None for a file that is not a shared library."""
    from whygpu.knowledge.cuda import library_stem as stem_of

    base = os.path.basename(path)
    if not _SHARED_LIBRARY.match(base):
        return None
    return stem_of(base)


def cuda_stems(snapshot: Snapshot, report: DeepReport | None = None) -> dict[str, str]:
    """Library stem -> short name for every CUDA, cuDNN and driver library the snapshot knows of.

    From the libraries the collectors found and resolved, and from the knowledge sonames for the
    CUDA and cuDNN versions the frameworks were built for (by their files or by their own answer).
    """
    from whygpu.knowledge.cuda import cuda_library_sonames, cudnn_sonames

    stems: dict[str, str] = {}

    def add(soname: str, name: str) -> None:
        stem = library_stem(soname)
        if stem is not None:
            stems.setdefault(stem, name)

    for lib in [*snapshot.driver.libcuda, *snapshot.driver.libnvidia_ml, *snapshot.cuda.libraries]:
        add(lib.soname, lib.name)
    versions: set[str] = set()
    cudnn: set[str] = set()
    for _env, fw in snapshot.frameworks():
        for resolution in fw.libraries:
            for soname in resolution.wanted:
                add(soname, resolution.library)
        if fw.cuda_version:
            versions.add(fw.cuda_version)
        if fw.cudnn_version:
            cudnn.add(fw.cudnn_version)
    if report is not None:
        for outcome in report.probes.values():
            framework = outcome.answer.framework if outcome.answer else None
            if framework is None:
                continue
            if framework.cuda_version:
                versions.add(framework.cuda_version)
            if framework.cudnn_version:
                cudnn.add(framework.cudnn_version)
    for version in sorted(versions):
        for name, sonames in cuda_library_sonames(version).items():
            for soname in sonames:
                add(soname, name)
    for version in sorted(cudnn):
        for soname in cudnn_sonames(version):
            add(soname, "cudnn")
    return stems


def mapped_cuda_libraries(snapshot: Snapshot, outcome: ProbeOutcome, report: DeepReport | None = None) -> dict[str, list[str]]:
    """Short name -> the files of that CUDA library the child had mapped (two files: two copies loaded)."""
    stems = cuda_stems(snapshot, report)
    found: dict[str, list[str]] = {}
    for path in outcome.mapped():
        stem = library_stem(path)
        if stem is None or stem not in stems:
            continue
        found.setdefault(stems[stem], []).append(path)
    return found


def _verdicts(snapshot: Snapshot) -> Iterator[tuple[str, ProbeOutcome, bool | None]]:
    """(probe key, outcome, did the framework run its operation on a GPU) for every framework probe."""
    loaded = load(snapshot)
    if loaded.report is None:
        return
    for key, outcome in loaded.report.probes.items():
        if outcome.probe == "driver":
            continue
        framework = outcome.answer.framework if outcome.answer else None
        if outcome.status != "ok" or framework is None:
            yield key, outcome, (False if outcome.status in ("crashed", "failed", "no_answer") else None)
            continue
        if not framework.installed:
            continue
        operation = framework.operation
        yield key, outcome, bool(framework.lists_gpu and operation.ok and operation.on_gpu)


def framework_verdicts(snapshot: Snapshot) -> dict[str, bool | None]:
    """Per deep probe key: True when the framework ran its operation on a GPU, False when it could not, None when unknown."""
    return {key: verdict for key, _outcome, verdict in _verdicts(snapshot)}


def verdicts_by_environment(snapshot: Snapshot) -> dict[tuple[str, str], bool | None]:
    """The same verdicts keyed by (the interpreter that ran the probe, framework name), to match the static builds."""
    return {(outcome.python, outcome.probe): verdict for _key, outcome, verdict in _verdicts(snapshot)}


def details(snapshot: Snapshot) -> dict[str, Any]:
    """What ``-v`` shows about the deep probes: status, what each framework said, and what it loaded."""
    loaded = load(snapshot)
    if loaded.report is None:
        return {"error": loaded.error} if loaded.error else {}
    report = loaded.report
    out: dict[str, Any] = {"timeout_s": report.timeout_s, "parallel": report.parallel, "seconds": report.seconds}
    if report.environment_set:
        out["environment_set"] = report.environment_set
    probes: dict[str, Any] = {}
    for key, outcome in report.probes.items():
        entry: dict[str, Any] = {
            "python": outcome.python,
            "status": outcome.status,
            "seconds": outcome.seconds,
        }
        if outcome.signal:
            entry["signal"] = outcome.signal
        if outcome.status != "ok" and outcome.phase:
            entry["stopped_in"] = outcome.phase
        if outcome.detail:
            entry["detail"] = outcome.detail
        answer = outcome.answer
        if answer is not None and answer.framework is not None:
            framework = answer.framework
            entry["version"] = framework.version
            entry["gpus"] = [g.name if not g.details.get("name") else f"{g.name} ({g.details['name']})" for g in framework.gpus]
            entry["said"] = said(framework)
            entry["devices"] = [d.name for d in framework.devices]
            if framework.operation.attempted:
                entry["operation"] = {
                    "requested": framework.operation.requested,
                    "ok": framework.operation.ok,
                    "placed_on": framework.operation.placed_on,
                }
        if answer is not None and answer.driver is not None:
            driver = answer.driver
            entry["library"] = driver.library
            entry["loaded"] = driver.loaded
            if driver.load_error:
                entry["load_error"] = driver.load_error
            entry["calls"] = [
                f"{c.function}: {c.code}" + (f" {c.name}" if c.name else "") + (f" (value {c.value})" if c.value is not None else "")
                for c in driver.calls
            ]
        cuda = mapped_cuda_libraries(snapshot, outcome, report)
        if cuda:
            entry["loaded_cuda_libraries"] = cuda
        entry["mapped_libraries"] = len(outcome.mapped())
        probes[key] = entry
    out["probes"] = probes
    return out
