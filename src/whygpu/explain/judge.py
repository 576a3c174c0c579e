"""Judges a log's facts with the doctor's rules and the log rules, using the same knowledge tables.

The facts a log shows (``whygpu.explain.logfacts``) become a snapshot in which everything the
log does not show is ``Unavailable``; the doctor's rules run on it unchanged (a rule whose input
is unknown says "unknown", so nothing missing from the log reads as missing on the machine).
All of it goes through the one runner (``whygpu.rules.runner.run_rule_list``): first the
signature rules turn the matched-message facts (``explain.infer.MatchedMessage``) into findings;
then the log fact rules (``whygpu.explain.rules``) compare the facts with each other and with what
the signatures found, and say why the GPU went unused when a framework's answer shows it and
no line names a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from whygpu import lazyre as re
from whygpu.explain.infer import MatchedMessage
from whygpu.explain.logfacts import LogFacts, Seen, unknown
from whygpu.facts import Unavailable
from whygpu.model import Confidence, Finding, Severity
from whygpu.redact import redact_text

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from whygpu.rules.interface import Hit
    from whygpu.snapshot import Snapshot

# Doctor rules that can judge what a log shows (each reads only facts a log can carry and
# says unknown otherwise; a test runs every doctor rule on a log snapshot with no facts).
_DIST_NAMES = {"tensorflow": "tensorflow", "torch": "torch", "jax": "jaxlib"}


@dataclass
class LogSubject:
    """What the log rules read: the facts, the matched messages and the signature rules' findings, and whether the GPU was seen in use."""

    facts: LogFacts
    matched: list[Finding] = field(default_factory=list)
    messages: list[MatchedMessage] = field(default_factory=list)
    gpu_in_use: bool = False
    doctor: list[Finding] = field(default_factory=list)

    @cached_property
    def snapshot(self) -> Snapshot:
        """The log's snapshot (``log_snapshot``), built once for every rule and fix that reads it: the facts are complete before the rules run."""
        return log_snapshot(self.facts)

    def blocking(self, framework: str | None = None) -> list[Finding]:
        """Findings so far that show the GPU blocked (of ``framework``'s scope, or of any)."""
        return [
            f
            for f in (*self.matched, *self.doctor)
            if (f.blocks_gpu if f.blocks_gpu is not None else f.severity is Severity.ERROR)
            and f.severity is not Severity.INFO
            and f.alternative_to is None
            and not f.generic
            and (framework is None or not f.scope or _scope(f.scope) in (framework, "any"))
        ]


def _scope(scope: str) -> str:
    """The framework a finding's scope names (``knowledge.frameworks.framework_of``), "any" when none (as LOG104's scope says it)."""
    from whygpu.knowledge.frameworks import framework_of

    return framework_of(scope) or "any"


def _platform_fields(facts: LogFacts) -> tuple[str, str | None, bool | None]:
    """(snapshot system, interpreter platform tag, wsl) from the platform the log shows."""
    name = facts.platform_name()
    if name == "windows":
        return "windows", "win32", False
    if name == "darwin":
        return "darwin", "darwin", False
    if name in ("linux", "wsl1", "wsl2"):
        # WSL stays unknown in the snapshot: the doctor's WSL rules read files a log cannot show.
        return "linux", "linux", None
    return "other", None, None


def _shown_as_package(name: str, line: str) -> bool:
    """Whether ``line`` shows distribution ``name`` as a package manager does: a list row (``tensorflow  1.14.0``,
    conda's ``tensorflow 1.10.0 py36_0 conda-forge``), a requirement (``tensorflow-gpu==2.1.0``), an installed
    wheel or sdist name (``tensorflow_gpu-2.1.0``), an install command's argument, or the writer saying it was
    installed ("I installed ... tensorflow-gpu 2.2.0rc2")."""
    word = re.escape(name).replace("\\-", "[-_]")
    if re.search(rf"^\s*[-*]?\s*{word}\s+v?\d|(?<![\w-]){word}\s*(?:==|~=|>=|<=|=\d|\[)|(?<![\w-]){word}-\d"
                 rf"|\binstall(?:ed|ing)?\b(?:[^.;\n]|\.(?=\S))*(?<![\w-]){word}\s+v?\d",
                 line, re.I) is not None:
        return True
    # accunify (session 26): an install command's argument, as the one parser of commands reads it (explain.installstate).
    from whygpu.explain.installstate import install_commands

    key = name.lower().replace("_", "-")
    return any(c.verb == "install" and key in c.names for c in install_commands(line))


def _jetson_release(facts: LogFacts) -> str | Unavailable:
    """The board's L4T release when the log is from a Jetson whose line runs only the Tegra CUDA (the machine's snapshot field
    ``platform.jetson``, so that the one fix builder gives the board's install): "35.4.1", "unknown" where no host release is
    named; unknown off a Jetson and on a Thor (JetPack 7 runs the server ARM CUDA)."""
    from whygpu.knowledge.jetson import release_of

    if not facts.on_jetson() or any("thor" in s.value.lower() for s in facts.jetson):
        return unknown()
    for seen in facts.l4t_host:
        kind, _, number = seen.value.partition(" ")
        row = release_of(l4t=number) if kind == "L4T" else release_of(jetpack=number)
        if row is not None:
            return number if kind == "L4T" else row.l4t
    return "unknown"


def _tag_is_cuda(version: object) -> bool | None:
    """Whether a PyTorch-style version's local tag names a CUDA build (+cu128: True), a CPU-only one (+cpu: False), or none (None)."""
    m = re.search(r"\+(cpu|cu\d{2,3})\b", str(version))
    return None if m is None else m.group(1) != "cpu"


def log_snapshot(facts: LogFacts) -> Snapshot:
    """A snapshot holding only what the log shows; every other fact is unknown."""
    from whygpu.snapshot import (
        CloudFacts,
        ContainerFacts,
        CudaFacts,
        DriverFacts,
        DriverReport,
        FrameworkBuild,
        HardwareFacts,
        Package,
        PlatformFacts,
        PythonEnv,
        Snapshot,
        SnapshotSource,
    )

    system, tag, wsl = _platform_fields(facts)
    report: DriverReport | Unavailable = unknown()
    if facts.driver_version:
        report = DriverReport(
            source="nvidia-smi",
            driver_version=facts.driver_version[0].value,
            cuda_driver_version=facts.driver_cuda[0].value if facts.driver_cuda else None,
        )
    frameworks = []
    packages = []
    for name in facts.frameworks_shown():
        versions = facts.versions.get(name)
        if not versions or facts.listed_only.get(name):
            continue  # accort40 (session 40): one only listed beside ONNX Runtime at work is not the runtime (explain.listedonly)
        builds = facts.cuda_build.get(name, [])
        gpu_build: bool | object = builds[0].value if builds else unknown()
        # acccpubuild (session 37): a version whose local tag says the other build (+cu128 where the build is CPU-only,
        # +cpu where it is CUDA) is not the one that build is: the version said is the one whose tag agrees, where the log
        # shows one ("torch 2.8.0+cu128 gets installed ... replaced by torch 2.8.0+cpu" is a CPU-only 2.8.0+cpu).
        if isinstance(gpu_build, bool) and _tag_is_cuda(versions[0].value) is (not gpu_build):
            versions = [v for v in versions if _tag_is_cuda(v.value) is gpu_build] or versions
        build_cuda = facts.build_cuda.get(name, [])
        dists = facts.distributions.get(name, [])
        dist = dists[0].value if dists else _DIST_NAMES[name]
        if dist == "tensorflow-cpu":
            gpu_build = False
        frameworks.append(
            FrameworkBuild(
                name=name,  # type: ignore[arg-type]
                distribution=dist,
                version=versions[0].value,
                location="(log)",
                gpu_build=gpu_build,  # type: ignore[arg-type]
                cuda_version=build_cuda[0].value if build_cuda else None,
                evidence=[s.evidence() for s in versions[:1] + builds[:1]],
            )
        )
        # Installed together is what a package manager shows (a list row, a requirement spec, an install line):
        # prose naming the framework ("TensorFlow version: 2.1", "because of tensorflow 1.5") does not say which
        # distribution is installed, so it joins the packages only when nothing shows one.
        listed = [seen for seen in dists if _shown_as_package(seen.value, seen.text)] or dists[:1]
        installer = "conda" if conda_installed(facts, name) else None
        for seen in listed:
            packages.append(Package(name=seen.value, version=versions[0].value, location="(log)", installer=installer))
    pythons: list[PythonEnv] = []
    if frameworks:
        pythons.append(
            PythonEnv(
                executable="python",
                version=facts.python[0].value if facts.python else unknown(),
                prefix="",
                kind="other",
                packages=packages,
                frameworks=frameworks,
                platform_tag=tag,
            )
        )
    environment = {k: v[0].value for k, v in facts.environment.items() if k in ("CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES")}
    return Snapshot(
        source=SnapshotSource(mode="root", root="(log)"),
        platform=PlatformFacts(system=system, machine="", kernel_release=unknown(), wsl=unknown() if wsl is None else wsl, distro=unknown(),  # type: ignore[arg-type]
                               jetson=_jetson_release(facts)),
        hardware=HardwareFacts(gpus=unknown()),
        driver=DriverFacts(kernel_module=unknown(), device_nodes=unknown(), report=report),
        container=ContainerFacts(in_container=True if facts.in_container else unknown()),
        cloud=CloudFacts(azure=unknown(), vm_size=unknown()),
        cuda=CudaFacts(ld_cache=unknown()),
        pythons=pythons if pythons else unknown(),
        environment=environment,
    )


_PRETTY = {"tensorflow": "TensorFlow", "torch": "PyTorch", "jax": "JAX"}


def conda_installed(facts: LogFacts, framework: str) -> bool:
    """accnoticed (session 37): whether the log shows conda installed ``framework``: a conda row of its package
    (knowledge.conda_solver's [[gpu_install]] names it: pytorch, tensorflow, jaxlib) from a conda channel, not pip's (pypi)."""
    from whygpu.knowledge.conda_solver import conda_gpu_install

    row = conda_gpu_install(framework)
    return row is not None and any(
        seen.value.package == row.package and seen.value.channel.lower() != "pypi" and seen.value.section in ("list", "install", "update", "downgrade", "supersede")
        for seen in facts.conda_row)


class Decided(Protocol):
    """A knowledge decision a blocking finding is built from (accreview, session 38): the cause it decides, the causes it
    leaves possible beside it, why, what would decide, and the source. knowledge.situations.SituationCause (device refusals,
    package managers, remote sessions, conda's solver, a package's parts) and knowledge.visible_devices.HiddenRun are such."""

    @property
    def cause(self) -> str: ...
    @property
    def also(self) -> tuple[str, ...]: ...
    @property
    def because(self) -> str: ...
    @property
    def decides(self) -> str: ...
    @property
    def source(self) -> str: ...


def decided_hits(decided: Decided, title: str, evidence: tuple[str, ...], confidence: Confidence, *, fix: str,
                 scope: str = "", extra: dict[str, Any] | None = None, beside: int = 0) -> Iterator[Hit]:
    """The findings of a knowledge decision (``Decided``): its cause, blocking the GPU, ``fix`` (the rule's, or the row's own)
    with what would decide, why with the decision's source (``extra`` where the rule shows more); then up to ``beside`` of
    the causes it leaves possible, as alternatives on the first line of evidence. The one builder of the situation tables'
    findings (device refusals LOG605-LOG607, package managers LOG645-LOG648, a remote session LOG585, conda's solver
    LOG670-LOG674, a package's parts LOG695-LOG696) and of a hidden run's (LOG680, LOG705)."""
    from whygpu.rules.interface import Hit as _Hit

    yield _Hit(
        title=title,
        evidence=evidence,
        fix=f"{fix} To decide: {decided.decides}.",
        confidence=confidence,
        cause=decided.cause,
        scope=scope,
        blocks_gpu=True,
        extra=extra if extra is not None else {"why": decided.because, "source": decided.source},
    )
    for alternative in [c for c in decided.also if c != decided.cause][:beside]:
        yield alternative_hit(alternative, evidence[:1], decided.cause)


class Reading(Protocol):
    """A knowledge reading a finding is built from with the one fix builder's fix (accreview, session 38): why, the check
    that tells the causes apart, and the source. knowledge.gpu_presence.NodeReading and knowledge.driver_reach's
    DriverReading are such."""

    @property
    def reasoning(self) -> str: ...
    @property
    def decide(self) -> str: ...
    @property
    def source(self) -> str: ...


def reading_hits(subject: LogSubject, cause: str, reading: Reading, title: str, evidence: tuple[str, ...],
                 confidence: Confidence, beside: Sequence[str]) -> Iterator[Hit]:
    """The findings of a reading that decides ``cause``: the cause, blocking the GPU, the one fix builder's fix for it with
    the check that tells the causes apart, why with the reading's source; then each of ``beside`` as an alternative on the
    same evidence. The one builder of a GPU node's (LOG685, LOG686: explain.cloudnoderules.node_decision) and of nvidia-smi
    missing on a host (LOG580)."""
    from whygpu.rules.interface import Hit as _Hit

    yield _Hit(
        title=title,
        evidence=evidence,
        fix=log_cause_fix(cause, subject) + f"\nTo tell the causes apart: {reading.decide}",
        confidence=confidence,
        cause=cause,
        blocks_gpu=True,
        extra={"why": reading.reasoning, "source": reading.source},
    )
    for alternative in beside:
        yield alternative_hit(alternative, evidence, cause)


def alternative_hit(cause: str, evidence: tuple[str, ...], to: str | None, *, scope: str = "",
                    extra: dict[str, Any] | None = None, program: str | None = None, title: str = "", fix: str = "",
                    build_of: str | None = None) -> Hit:
    """A cause the evidence leaves possible beside ``to``, the one given first: its meaning, general advice and what would
    show it instead (knowledge/causes.toml), of low confidence and blocking nothing. ``program`` (accnodev, session 33):
    the framework or program the evidence is about, whose own GPU build a CPU build's advice names (knowledge.cpu_packages)
    instead of TensorFlow's, PyTorch's and JAX's. ``title`` and ``fix`` (accreview, session 38): where the rule says the
    possibility, or what to do about it, in its own words rather than by the cause's meaning and advice; ``build_of``
    (accnoticed40): the program whose own build it is about (``Finding.build_of``); the one builder of every alternative of
    the log rules."""
    from whygpu.knowledge.causes import cause_advice, cause_check, cause_meaning
    from whygpu.knowledge.cpu_packages import gpu_build_check, gpu_build_instead
    from whygpu.rules.interface import Hit as _Hit

    if not fix:
        check = cause_check(cause)
        advice = cause_advice(cause)
        if cause == "FRAMEWORK_CPU_BUILD" and program and (instead := gpu_build_instead(program)):
            advice = f"Install the GPU build: {instead}."
            check = gpu_build_check(program) or check
        fix = advice + (f"\nWhat would show it instead: {check}" if check else "")
    return _Hit(
        title=title or "Possible instead: " + cause_meaning(cause),
        evidence=evidence,
        fix=fix,
        confidence=Confidence.LOW,
        scope=scope,
        cause=cause,
        severity=Severity.WARNING,
        alternative_to=to,
        blocks_gpu=False,
        build_of=build_of,
        extra=extra or {},
    )


def log_cause_fix(cause: str, subject: LogSubject, *, framework: str | None = None, wanted_cuda: str | None = None,
                  holding_cuda: str | None = None, wanted_cudnn: str | None = None, installed_cudnn: str | None = None,
                  installed_cuda: str | None = None, gpu_limit: str | None = None) -> str:
    """The one fix builder's fix for ``cause`` (``rules.fixes.cause_fix``) over the log's snapshot and the versions the log shows;
    ``gpu_limit`` ("branch|CUDA": the GPU's last driver branch, the runtime's CUDA) where the GPU the log names is past current
    drivers (``explain.infer.MatchedMessage.gpu_limit``)."""
    from whygpu.rules.fixes import cause_fix
    from whygpu.snapshot import PythonEnv

    facts, snapshot = subject.facts, subject.snapshot
    env = snapshot.pythons[0] if isinstance(snapshot.pythons, list) and snapshot.pythons else None
    fw = next((f for f in env.frameworks if f.name == framework), None) if isinstance(env, PythonEnv) else None
    bare = facts.docker_run_without_gpus[0].value if facts.docker_run_without_gpus and not facts.docker_run_with_gpus else ""
    branch, _, runtime = (gpu_limit or "").partition("|")
    limit = (facts.gpu_model[0].value, branch) if branch and facts.gpu_model else None
    if limit is not None:
        wanted_cuda = wanted_cuda or runtime or None  # the runtime's CUDA the GPU's last branch cannot run
    return cause_fix(
        cause, snapshot, env, fw, _PRETTY.get(framework or "", "the framework"),
        framework=framework,
        wanted_cuda=wanted_cuda,
        driver_cuda=facts.driver_cuda[0].value if facts.driver_cuda else None,
        installed_cuda=installed_cuda or (facts.cuda_installed[0].value if facts.cuda_installed else None),
        docker_command=bare,
        holding_cuda=holding_cuda,
        wanted_cudnn=wanted_cudnn,
        installed_cudnn=installed_cudnn,
        gpu_limit=limit,
    )


def _places(facts: LogFacts) -> dict[str, list[Seen[object]]]:
    """The sightings behind each framework's facts, to replace a doctor finding's machine evidence."""
    out: dict[str, list[Seen[object]]] = {}
    for name in facts.frameworks_shown():
        seen: list[Seen[object]] = []
        for table in (facts.versions, facts.cuda_build, facts.build_cuda, facts.gpu_answer):
            seen.extend(table.get(name, [])[:1])  # type: ignore[arg-type]
        seen.extend(facts.platform[:1])  # type: ignore[arg-type]
        out[name] = seen
    return out


def doctor_findings(subject: LogSubject) -> list[Finding]:
    """The doctor's rules run over the log's facts (its snapshot); evidence points at the log lines that showed them."""
    from whygpu.rules.registry import RULES
    from whygpu.rules.runner import run_rule_list

    facts = subject.facts
    if not facts.frameworks_shown() and not facts.driver_version and not facts.environment:
        return []
    findings, _ = run_rule_list(RULES, subject.snapshot)
    places = _places(facts)
    # Whether the log shows the GPU unused at all (a framework's answer, the user's words, a blocking failure).
    unused = bool(facts.gpu_unused()) or any(f.blocks_gpu for f in subject.matched)
    if facts.stated_gpu_works and not unused:
        # accfirst (session 22): the log states the GPU works for this run (explain/works.py) and nothing in it shows the
        # GPU unused: a configuration the doctor would flag (two TensorFlow packages listed) did not keep the GPU from it.
        return []
    out = []
    for finding in findings:
        scope = _scope(finding.scope) if finding.scope else "any"
        seen = list(places.get(scope) or [s for values in places.values() for s in values])
        if finding.id.startswith("DRV"):
            # A driver rule's evidence is the driver's own line.
            seen += facts.driver_cuda[:1] or facts.driver_version[:1]  # type: ignore[arg-type]
        evidence = tuple(dict.fromkeys(redact_text(s.evidence()) for s in seen)) or finding.evidence
        if finding.severity is not Severity.ERROR and not unused:
            # accbuild (session 18): a doctor's warning (e.g. FW003's "tensorflow-gpu 2.2.0 is a deprecated
            # name", a working GPU build) is advice, not a cause; in a log that shows neither the GPU unused
            # nor a failure that blocks it, it is no reason to list a cause (negatives3 tensorflow-42738).
            continue
        # A warning of the doctor's does not explain a GPU left unused: in a log it ranks low.
        confidence = finding.confidence if finding.severity is Severity.ERROR else Confidence.LOW
        out.append(
            replace(
                finding,
                evidence=evidence,
                confidence=confidence,
                blocks_gpu=finding.severity is Severity.ERROR,
                extra={**finding.extra, "judged_from": "log facts"},
            )
        )
    return out


def judge(facts: LogFacts, messages: list[MatchedMessage], gpu_in_use: bool) -> tuple[list[Finding], list[Finding]]:
    """The signature rules' findings over the matched messages, and every finding the facts support (the doctor's rules, then the log rules)."""
    from whygpu.explain.infer import one_fix_per_cause
    from whygpu.explain.rules import (
        SPECIFIC_RULES,
        error_line_words,
        gpu_unused_without_reason,
        signature_rules_for,
    )
    from whygpu.rules.runner import run_rule_list

    subject = LogSubject(facts=facts, messages=messages, gpu_in_use=gpu_in_use)
    matched, _ = run_rule_list(signature_rules_for(messages), subject)
    subject.matched = one_fix_per_cause(matched)
    subject.doctor = doctor_findings(subject)
    specific, _ = run_rule_list(SPECIFIC_RULES, subject)
    subject.doctor += specific
    # accnum (session 31): two numbers a line compares (LOG435), only where nothing above named a cause; before the words.
    from whygpu.explain.comparerules import COMPARE_RULES

    numbered, _ = run_rule_list(COMPARE_RULES, subject)
    subject.doctor += numbered
    # acclex (session 19): a program's error line read by its words (LOG185), only where nothing above named a cause.
    words, _ = run_rule_list([error_line_words], subject)
    subject.doctor += words
    # Only where neither a signature nor a fact rule named a cause does the ranking table speak.
    general, _ = run_rule_list([gpu_unused_without_reason], subject)
    # accfix (session 19): a stated remedy against the rest, decided in one place (explain.remedies.lead).
    from whygpu.explain.cirules import lead as machine_lead
    from whygpu.explain.remedies import lead

    # accci (session 33): the machine's kind (a hosted runner, a build step, a sandbox) before the stated remedy's lead.
    led = lead(*machine_lead(subject.matched, [*subject.doctor, *general]))
    # acccode (session 35): where the CPU is the writer's own goal, no reading of CODE_FORCES_CPU speaks.
    from whygpu.explain.cpuchoicerules import settle
    from whygpu.explain.platformfix import platform_findings

    settled, judged = settle(*led, facts, gpu_in_use)
    # accnoticed (session 37): a library cause's advice names the loader of the platform the log shows (Windows, macOS).
    return platform_findings(settled, facts), platform_findings(judged, facts)


def confidence_at_most(confidence: Confidence, cap: Confidence) -> Confidence:
    """The lower of two confidences."""
    return confidence if confidence.weight >= cap.weight else cap
