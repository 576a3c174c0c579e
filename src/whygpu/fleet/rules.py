"""Fleet rules: pure checks over every node's configuration that name the odd node out and why."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from whygpu.fleet.facts import FleetFacts, NodeFacts, expected_gpus
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_SHOWN_NODES = 6


def names(nodes: list[str]) -> str:
    """A short list of node names: the first few, then how many more."""
    shown = ", ".join(nodes[:_SHOWN_NODES])
    return shown + (f" and {len(nodes) - _SHOWN_NODES} more" if len(nodes) > _SHOWN_NODES else "")


def odd_nodes(fleet: FleetFacts, attribute: str) -> Iterator[tuple[list[NodeFacts], str, str | None, int]]:
    """Groups of nodes whose ``attribute`` differs from the fleet's: (nodes, their value, the usual value, its count).

    With a majority value, every other value is odd; without one (two nodes, or an even split)
    every value is reported against no usual value, because nothing says which side is right.
    """
    usual, count, _known = fleet.majority(attribute)
    by_value: dict[str, list[list[NodeFacts]]] = defaultdict(list)
    for profile, members in fleet.profiles:
        value = profile.get(attribute)
        if value is not None:
            by_value[value].append(members)
    if len(by_value) < 2:
        return
    for value, groups in sorted(by_value.items(), key=lambda item: (sum(map(len, item[1])), item[0])):
        if value == usual:
            continue
        yield (list(groups[0]) if len(groups) == 1 else fleet.in_order(n for members in groups for n in members)), value, usual, count


def _difference(fleet: FleetFacts, attribute: str, what: str, fix: str) -> Iterator[Outcome]:
    for members, value, usual, count in odd_nodes(fleet, attribute):
        node_list = names([n.name for n in members])
        if usual is not None:
            title = f"{node_list} {'has' if len(members) == 1 else 'have'} {what} {value}; the other {count} nodes have {usual}"
            confidence = Confidence.HIGH
        else:
            title = f"the nodes differ in {what}: {node_list} {'has' if len(members) == 1 else 'have'} {value}"
            confidence = Confidence.MEDIUM
        yield Hit(
            title=title,
            evidence=tuple(f"{n.name} ({n.path}): {what} {value}" for n in members[:_SHOWN_NODES]),
            fix=fix,
            confidence=confidence,
            scope=", ".join(n.name for n in members),
        )


def node_sees_fewer_gpus_fix(node: str) -> str:
    """Take the node out of service: a missing GPU needs a reset, a redeploy or a repair."""
    return (f"Take {node} out of service and have it checked: reboot it; on Azure redeploy or reimage the VM "
            "(`az vm redeploy`); in Azure ML delete the node so the cluster replaces it.")


@rule(
    "FLEET001", "node-sees-fewer-gpus", "GPU_FAULT", Severity.ERROR,
    RuleDoc(
        what="Compares the GPUs each node's driver shows with the number its VM size has (knowledge/azure.toml) and with its peers of the same size.",
        why="A GPU that fell off the bus or failed is no longer listed; a multi-node job then hangs or runs slowly on that node while the others wait.",
        example="node-7 lists 7 GPUs; Standard_ND96asr_v4 has 8 (the other 15 nodes list 8).",
        fix="Take the node out of service and have it repaired: on Azure, redeploy or reimage the VM (`az vm redeploy`); in Azure ML, delete the node so the cluster replaces it.",
        limits="The expected count is known only for sizes in the knowledge data, or from peers of the same size.",
        references=("https://docs.nvidia.com/deploy/xid-errors/index.html",),
    ),
)
def node_sees_fewer_gpus(fleet: FleetFacts) -> Iterator[Outcome]:
    peers: dict[str | None, list[int]] = defaultdict(list)
    for node in fleet.nodes:
        if node.gpu_count is not None:
            peers[node.profile.get("vm size")].append(node.gpu_count)
    for node in fleet.nodes:
        size = node.profile.get("vm size")
        if node.gpu_count is not None:
            # The driver's count, against the size's count, else against peers of the same size.
            same_size = peers[size]
            expected = node.expected_gpu_count if node.expected_gpu_count is not None else max(same_size, key=same_size.count)
            seen, source = node.gpu_count, "the driver lists"
        elif node.pci_gpu_count is not None and node.expected_gpu_count is not None:
            # Without a driver report only the PCI bus can tell, and only the size says what to expect.
            expected, seen, source = node.expected_gpu_count, node.pci_gpu_count, "the PCI bus shows"
        else:
            continue
        if seen >= expected:
            continue
        if node.expected_gpu_count is None:
            basis = f"its peers list {expected}"
        elif node.expected_gpu_count != expected_gpus(size):
            basis = f"{expected} were granted to the job"
        else:
            basis = f"{size} has {expected}"
        yield Hit(
            title=f"{node.name} shows {seen} of its {expected} GPUs",
            evidence=(f"{node.name} ({node.path}): {source} {seen} GPU{'s' if seen != 1 else ''}; {basis}", *node.faults),
            fix=node_sees_fewer_gpus_fix(node.name),
            scope=node.name,
        )


def node_driver_differs_fix() -> str:
    """Reimage the odd node from the image the others run."""
    return "Reimage the odd node from the same image as the others (Azure ML: delete the node so that the cluster recreates it)."


@rule(
    "FLEET002", "node-driver-differs", "DRIVER_MISMATCH", Severity.WARNING,
    RuleDoc(
        what="Compares the NVIDIA driver version of every node.",
        why="Nodes of one job are meant to be identical; a node with another driver (a different image, an update without reboot) is where collective operations fail or hang and where a CUDA build may not run.",
        example="node-3 runs driver 535.104.05; the other 15 nodes run 560.35.03.",
        fix="Reimage the odd node from the same image as the others (Azure ML: delete the node so the cluster recreates it).",
        limits="A fleet of two nodes with different drivers cannot say which one is odd; both are named.",
    ),
)
def node_driver_differs(fleet: FleetFacts) -> Iterator[Outcome]:
    yield from _difference(fleet, "driver", "NVIDIA driver", node_driver_differs_fix())


@rule(
    "FLEET003", "node-framework-build-differs", "FRAMEWORK_INSTALL_BROKEN", Severity.WARNING,
    RuleDoc(
        what="Compares the framework builds (distribution, version, the CUDA and cuDNN they target) installed on every node.",
        why="A node that got another environment (a cache, a different image tag, a pip install at start-up that resolved differently) computes differently or fails where the others work.",
        example="node-12 has torch 2.13.0+cpu; the other 7 nodes have torch 2.13.0+cu128 CUDA 12.8.",
        fix="Pin the environment (an image digest or a locked requirements file) so every node gets the same build.",
    ),
)
def node_framework_build_differs(fleet: FleetFacts) -> Iterator[Outcome]:
    yield from _difference(fleet, "frameworks", "framework builds", "Pin the environment (an image digest or a locked requirements file) so that every node gets the same build.")


@rule(
    "FLEET004", "node-cuda-libraries-differ", "CUDA_LIBS_MISMATCH", Severity.WARNING,
    RuleDoc(
        what="Compares which CUDA and cuDNN library files the frameworks would load on every node.",
        why="The same framework build loading another libcudart or libcudnn on one node (a host library mounted in, LD_LIBRARY_PATH set differently) is a classic source of one node failing.",
        example="node-2 loads libcudnn.so.8; the other 3 nodes load libcudnn.so.9.",
        fix="Make the library path identical on every node: the same image, and no host CUDA directories on LD_LIBRARY_PATH.",
    ),
)
def node_cuda_libraries_differ(fleet: FleetFacts) -> Iterator[Outcome]:
    # Another framework build loads other libraries by definition: FLEET003 already names that node.
    other_builds = {n.name for members, _, _, _ in odd_nodes(fleet, "frameworks") for n in members}
    fleet = FleetFacts(tuple(n for n in fleet.nodes if n.name not in other_builds), fleet.unread)
    yield from _difference(fleet, "cuda libraries", "CUDA libraries", "Make the library path identical on every node: the same image, and no host CUDA directories on LD_LIBRARY_PATH.")


RULES: list[Rule[FleetFacts]] = [node_sees_fewer_gpus, node_driver_differs, node_framework_build_differs, node_cuda_libraries_differ]
