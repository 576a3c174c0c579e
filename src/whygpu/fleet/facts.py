"""What the fleet rules read: each node's configuration in comparable terms, and its own diagnosis."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from whygpu.facts import Unavailable
from whygpu.model import Report
from whygpu.rules.gpu_state import StateFinding, state_findings
from whygpu.snapshot import Snapshot

# The configuration attributes compared across nodes, in the order of the physical chain.
ATTRIBUTES = ("vm size", "gpus", "driver", "driver cuda", "container", "os", "kernel", "frameworks", "cuda libraries")


@dataclass(frozen=True)
class NodeFacts:
    """One node: its name, the file it came from, its configuration and its own doctor report.

    ``outline`` is a report that is the node's own in everything but the words of the state rules'
    findings (the memory used, the processes) and of what is made from them (a cause's title, the
    verdict's sentence): whether the GPU is usable, the causes' codes and every other finding are
    exact. ``report`` is the node's own report word for word, made from ``exact`` when the
    outline is shared with nodes in another state. The fleet reads ``outline`` and ``gpu_state``.
    """

    name: str
    path: str
    profile: dict[str, str | None]  # ATTRIBUTES -> a comparable value, None when unknown
    gpu_count: int | None  # GPUs the driver reports (NVML or nvidia-smi); None without a driver report
    pci_gpu_count: int | None  # NVIDIA GPUs on the PCI bus
    expected_gpu_count: int | None  # GPUs granted to it (scheduler variables), else its VM size's (knowledge/azure.toml)
    faults: tuple[str, ...]  # per-GPU errors and uncorrected ECC errors the driver reports
    outline: Report
    gpu_state: tuple[StateFinding, ...] = ()  # what the state rules (rules.gpu_state) found, in numbers
    exact: Callable[[], Report] | None = None  # makes the node's own report when ``outline`` is shared

    @property
    def report(self) -> Report:
        """The node's own doctor report, word for word (made on demand for a node whose outline is shared)."""
        return self.outline if self.exact is None else self.exact()


@dataclass(frozen=True)
class FleetFacts:
    """Every node of the fleet that could be read."""

    nodes: tuple[NodeFacts, ...]
    unread: tuple[str, ...] = field(default=())

    @cached_property
    def profiles(self) -> list[tuple[dict[str, str | None], list[NodeFacts]]]:
        """The nodes grouped by the profile object they share (the nodes of a configuration share one), in
        the order each first appears; members in node order. Fleet-wide counts run over these, not the nodes."""
        groups: dict[int, tuple[dict[str, str | None], list[NodeFacts]]] = {}
        for node in self.nodes:
            entry = groups.get(id(node.profile))
            if entry is None:
                groups[id(node.profile)] = (node.profile, [node])
            else:
                entry[1].append(node)
        return list(groups.values())

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {id(node): number for number, node in enumerate(self.nodes)}

    def in_order(self, nodes: Iterable[NodeFacts]) -> list[NodeFacts]:
        """``nodes`` (of this fleet) in the fleet's order."""
        positions = self._positions
        return sorted(nodes, key=lambda node: positions[id(node)])

    def majority(self, attribute: str) -> tuple[str | None, int, int]:
        """The value most nodes share for ``attribute``, its count, and how many nodes know it.

        The value is None when no value is held by more than half of the nodes that know it.
        """
        counts: Counter[str] = Counter()
        for profile, members in self.profiles:
            value = profile.get(attribute)
            if value is not None:
                counts[value] += len(members)
        known = sum(counts.values())
        if not counts:
            return None, 0, 0
        value, count = counts.most_common(1)[0]
        return (value if count * 2 > known else None), count, known


def node_name_from_path(path: str) -> str:
    """A node's name from its snapshot file's name, without the extension."""
    base = path.rsplit("/", 1)[-1]
    return base[:-5] if base.endswith(".json") else base


def node_name(snapshot: Snapshot, path: str) -> str:
    """The node's host name when the snapshot has one, else its file name."""
    return snapshot.source.hostname or node_name_from_path(path)


def _gpus(snapshot: Snapshot) -> tuple[str | None, int | None, int | None]:
    """The GPUs in words (from the driver, else the PCI bus), the driver's count and the PCI count."""
    gpus = snapshot.hardware.gpus
    nvidia = [] if isinstance(gpus, Unavailable) else [g for g in gpus if g.vendor == "nvidia"]
    pci_count = None if isinstance(gpus, Unavailable) else len(nvidia)
    report = snapshot.driver.report
    if not isinstance(report, Unavailable):
        names = Counter(d.name for d in report.devices)
        text = ", ".join(f"{count}x {name}" for name, count in sorted(names.items())) or "none"
        return text, len(report.devices), pci_count
    if pci_count is None:
        return None, None, None
    names = Counter(g.model or g.device_id for g in nvidia)
    text = ", ".join(f"{count}x {name}" for name, count in sorted(names.items())) or "none"
    return text + " on the PCI bus", None, pci_count


def _driver(snapshot: Snapshot) -> tuple[str | None, str | None]:
    report = snapshot.driver.report
    if not isinstance(report, Unavailable):
        return report.driver_version, report.cuda_driver_version
    module = snapshot.driver.kernel_module
    if isinstance(module, Unavailable):
        return None, None
    if not module.loaded:
        return "not loaded", None
    return module.version, None


def _container(snapshot: Snapshot) -> str | None:
    inside = snapshot.container.in_container
    if isinstance(inside, Unavailable):
        return None
    if not inside:
        return "no"
    nodes = snapshot.driver.device_nodes
    given = "unknown" if isinstance(nodes, Unavailable) else ("GPU given" if any("nvidia" in n or "dxg" in n for n in nodes) else "no GPU devices")
    return f"{snapshot.container.runtime or 'container'}, {given}"


def _frameworks(snapshot: Snapshot) -> tuple[str | None, str | None]:
    if isinstance(snapshot.pythons, Unavailable):
        return None, None
    builds: list[str] = []
    libraries: list[str] = []
    for env in snapshot.pythons:
        for fw in env.frameworks:
            parts = [f"{fw.distribution} {fw.version}"]
            if fw.cuda_version:
                parts.append(f"CUDA {fw.cuda_version}")
            if fw.cudnn_version:
                parts.append(f"cuDNN {fw.cudnn_version}")
            builds.append(" ".join(parts))
            for resolution in fw.libraries:
                if resolution.required:
                    found = resolution.resolved.rsplit("/", 1)[-1] if resolution.resolved else "not found"
                    libraries.append(f"{fw.name}:{resolution.library}={found}")
    return ", ".join(sorted(builds)) or "none", ", ".join(sorted(set(libraries))) or "none"


def _faults(snapshot: Snapshot) -> tuple[str, ...]:
    report = snapshot.driver.report
    if isinstance(report, Unavailable):
        return ()
    found: list[str] = []
    for device in report.devices:
        if device.error:
            found.append(f"GPU {device.index}: {device.error}")
        if device.uncorrected_ecc_errors:
            found.append(f"GPU {device.index}: {device.uncorrected_ecc_errors} uncorrected ECC errors")
    return tuple(found)


def expected_gpus(vm_size: str | None) -> int | None:
    """How many whole GPUs a VM size has, from the knowledge data; None when unknown or fractional."""
    if not vm_size:
        return None
    from whygpu.knowledge.azure import azure_vm_size

    size = azure_vm_size(vm_size)
    if size is None or size.gpu_count is None or "/" in (size.gpu_share or ""):
        return None
    return int(size.gpu_count) if size.gpu_count >= 1 else None


def granted_gpus(environment: dict[str, str]) -> int | None:
    """How many GPUs a scheduler or container runtime granted this process, when a variable says so.

    Slurm (``--gres gpu:N``) and Kubernetes (``nvidia.com/gpu: N``) give a job only some of a node's
    GPUs and list them: the NVIDIA runtime in ``NVIDIA_VISIBLE_DEVICES``, Slurm in
    ``SLURM_STEP_GPUS``/``SLURM_JOB_GPUS``. ``all`` (or nothing) grants the node's every GPU.
    """
    for name in ("SLURM_STEP_GPUS", "SLURM_JOB_GPUS", "NVIDIA_VISIBLE_DEVICES"):
        value = environment.get(name, "").strip()
        if not value or value.lower() == "all":
            continue
        if value.lower() in ("none", "void"):
            return 0
        return len([item for item in value.split(",") if item.strip()])
    return None


def profile(snapshot: Snapshot) -> tuple[dict[str, str | None], int | None, int | None]:
    """The comparable configuration of one node, and its GPU counts (driver, PCI)."""
    gpus, count, pci_count = _gpus(snapshot)
    driver, driver_cuda = _driver(snapshot)
    builds, libraries = _frameworks(snapshot)
    vm_size = snapshot.cloud.vm_size
    kernel = snapshot.platform.kernel_release
    distro = snapshot.platform.distro
    values: dict[str, str | None] = {
        "vm size": None if isinstance(vm_size, Unavailable) else vm_size,
        "gpus": gpus,
        "driver": driver,
        "driver cuda": driver_cuda,
        "container": _container(snapshot),
        "os": None if isinstance(distro, Unavailable) else distro,
        "kernel": None if isinstance(kernel, Unavailable) else kernel,
        "frameworks": builds,
        "cuda libraries": libraries,
    }
    return values, count, pci_count


def _expected(snapshot: Snapshot, vm_size: str | None) -> int | None:
    granted = granted_gpus(snapshot.environment)
    return granted if granted is not None else expected_gpus(vm_size)


def node_facts(snapshot: Snapshot, path: str, report: Report) -> NodeFacts:
    """The fleet's view of one node."""
    values, count, pci_count = profile(snapshot)
    return NodeFacts(
        name=node_name(snapshot, path),
        path=path,
        profile=values,
        gpu_count=count,
        pci_gpu_count=pci_count,
        expected_gpu_count=_expected(snapshot, values["vm size"]),
        faults=_faults(snapshot),
        outline=report,
        gpu_state=state_findings(snapshot),
    )
