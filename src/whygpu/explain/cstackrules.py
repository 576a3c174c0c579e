"""The log rules of the container stack below the program (acck8s, session 32).

What the log shows of the stack is read once (``LogFacts.container_stack``: knowledge/container_stack.toml's states, from
the components' own messages, displays of their state and the writer's words); what each state means, its likelier cause,
its fix and the one check that decides are the knowledge layer's (``knowledge.container_stack``). The rules speak only
where no line shows the GPU in use:

- LOG465: a component of the stack is shown or said in a state that gives the container, job or pod no GPU (the
  device plugin's pod unable to load NVML or crashing, a GPU pod left Pending, a Podman without CDI, a stale CDI spec,
  enroot's NVIDIA hook without nvidia-container-cli, Nomad offering no NVIDIA device, a daemon-reload that took the
  device nodes away), unless a signature already judges the same message;
- LOG466: such a state of the device plugin or Nomad's plugin (which load the driver's NVML) where the log shows the
  node's own driver missing: the driver is the cause, the plugin's failure its consequence (DRIVER_MISSING);
- LOG467: a Kubernetes node shown advertising GPUs while the program's CUDA_VISIBLE_DEVICES hides them (GPU_HIDDEN):
  the device plugin works, the variable is what the program sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.container_stack import component_row, state_row, states
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_SOURCE = "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/index.html"
# CUDA_VISIBLE_DEVICES values that leave a process no GPU (CUDA's programming guide, environment variables).
_HIDING = ("", "-1", "none", "void", "nodevfiles")


def _driver_missing_on_node(subject: LogSubject) -> list[Any]:
    """The findings that show the NVIDIA driver missing where no container is shown (the node's own nvidia-smi or module),
    other than the stack's states themselves."""
    if subject.facts.in_container:
        return []
    stack = {row.get("read_by") for row in states()}
    own = [f for f in subject.matched if f.id not in stack and not f.id.startswith(("LOG-CTR", "LOG-PLAT-K8S", "LOG-PLAT-CDI", "LOG-CSTACK"))]
    # A driver failure message read as the container's (the log names a container) still names DRIVER_MISSING beside it.
    failing = {f.id for f in own if f.cause == "DRIVER_MISSING"}
    return [f for f in own if f.id in failing and f.alternative_to is None and f.severity is not Severity.INFO]


def _hidden(subject: LogSubject) -> list[Seen[str]]:
    return [s for s in subject.facts.environment.get("CUDA_VISIBLE_DEVICES", []) if str(s.value).strip().lower() in _HIDING]


def _unjudged(subject: LogSubject) -> list[tuple[Seen[str], dict[str, Any]]]:
    """The stack states no signature judges already, with their rows; a GPU pod Pending only where no node in the log is
    shown advertising a GPU (then the GPUs are taken, or the request is above one node's)."""
    out = []
    for seen in subject.facts.container_stack:
        row = state_row(seen.value)
        if row is None or row.get("read_by"):
            continue
        if row["id"] == "gpu-pod-pending" and any(s.value != "0" for s in subject.facts.k8s_gpu_capacity):
            continue
        out.append((seen, row))
    return out


def _decide(component: str) -> str:
    comp = component_row(component)
    return f" To decide: {comp['check']}." if comp else ""


@rule(
    "LOG465", "log-container-stack-gives-no-gpu", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Finds a component of the container stack below the program shown or said in a state that gives no GPU (knowledge/container_stack.toml): the NVIDIA device plugin's 'nvml init failed: ERROR_LIBRARY_NOT_FOUND', its pod in CrashLoopBackOff, the writer's word that it sees no GPU; a pod requesting nvidia.com/gpu left Pending; Podman's 'stat nvidia.com/gpu=all: no such file or directory'; a CDI spec naming a device or driver file no longer there; enroot's 'Command not found: nvidia-container-cli'; Nomad's node status without an NVIDIA device; a systemctl daemon-reload beside NVML's 'Unknown Error'.",
        why="A program inside a container, job or pod sees the GPU only when every layer below it passes it on: the device plugin advertises it, the scheduler places the pod on a node with a free one, the runtime (through the toolkit, a CDI spec, enroot's hook) mounts the driver in. A layer in one of these states gives the program no GPU whatever its own build; the state's component names what to fix, and its one check decides.",
        example="error creating plugin manager: unable to create plugin manager: nvml init failed: ERROR_LIBRARY_NOT_FOUND\n(https://github.com/NVIDIA/k8s-device-plugin/issues/856)",
        fix="The fix of the component's state (knowledge/container_stack.toml) and its one check: `kubectl describe node | grep nvidia.com/gpu`, `nvidia-ctk cdi list`, `podman --version`, `command -v nvidia-container-cli`, `nomad node status -verbose`.",
        limits="Quiet where a line shows the GPU in use, on the writer's words in a question or advice, on a healthy plugin's start-up lines, for a Pending pod where a node is shown advertising a GPU, and where a signature already judges the same message (the state is still recorded for LOG466-LOG467).",
        references=("https://github.com/NVIDIA/k8s-device-plugin", "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/cdi-support.html",
                    "https://github.com/NVIDIA/enroot/blob/master/doc/standard-hooks.md", "https://developer.hashicorp.com/nomad/plugins/devices/nvidia",
                    "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/troubleshooting.html"),
    ),
)
def container_stack_gives_no_gpu(subject: LogSubject) -> Iterator[Outcome]:
    if subject.gpu_in_use:
        return
    states = _unjudged(subject)
    if not states:
        return
    seen, row = states[0]
    component = row["component"]
    plugin_side = component in ("device-plugin", "nomad")
    if plugin_side and "DRIVER_MISSING" in row.get("also", []) and _driver_missing_on_node(subject):
        return  # LOG466 leads: the node's driver is missing, the plugin's failure follows from it
    hidden = _hidden(subject)
    confidence = Confidence.HIGH if row["kind"] == "message" and not row.get("also") else Confidence.MEDIUM
    if hidden:
        confidence = Confidence.LOW
    comp = component_row(component)
    name = comp["name"] if comp else component
    yield Hit(
        title=f"The container stack gives no GPU: {row['meaning']} ({name})",
        evidence=_ev(seen),
        fix=row["fix"] + _decide(component),
        confidence=confidence,
        cause=row["cause"],
        blocks_gpu=True,
        extra={"component": component, "state": row["id"], "source": row["source"]},
    )
    alternatives = (["GPU_HIDDEN"] if hidden else []) + [c for c in row.get("also", []) if c != row["cause"]]
    for alternative in alternatives:
        yield alternative_hit(alternative, _ev(*(hidden[:1] if alternative == "GPU_HIDDEN" else [seen])), row["cause"])


@rule(
    "LOG466", "log-container-stack-plugin-without-node-driver", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Finds the device plugin (Kubernetes' or Nomad's) unable to load NVML or finding no GPU (knowledge/container_stack.toml's plugin states) in a log that also shows the NVIDIA driver missing outside any container (nvidia-smi unable to talk to the driver, no kernel module).",
        why="The plugin loads the driver's NVML; where the node itself has no working driver, no runtime setting can pass one into the plugin's pod, so the driver is the cause and the plugin's state its consequence.",
        example="No devices found. Waiting indefinitely.\nNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
        fix="Install (or reload) the NVIDIA driver on the node until `nvidia-smi` works there, then restart the plugin's pod.",
        limits="Needs the driver's failure shown outside a container; a failure inside the plugin's pod is LOG465's (the runtime's).",
        references=("https://github.com/NVIDIA/k8s-device-plugin#prerequisites",),
    ),
)
def container_stack_plugin_without_node_driver(subject: LogSubject) -> Iterator[Outcome]:
    if subject.gpu_in_use:
        return
    plugin = [s for s in subject.facts.container_stack
              if (row := state_row(s.value)) is not None and row["component"] in ("device-plugin", "nomad") and "DRIVER_MISSING" in row.get("also", [])]
    driver = _driver_missing_on_node(subject)
    if not plugin or not driver:
        return
    yield Hit(
        title="The node's NVIDIA driver is missing, so the device plugin cannot load NVML or find a GPU",
        evidence=(*_ev(plugin[0]), *driver[0].evidence[:1]),
        fix="Install or reload the NVIDIA driver on the node (`nvidia-smi` must list the GPU there), then delete the plugin's pod so it restarts; "
        "if `nvidia-smi` works on the node, the plugin's pod lacks the NVIDIA runtime instead (make it the default, or `runtimeClassName: nvidia`).",
        confidence=Confidence.MEDIUM,
        cause="DRIVER_MISSING",
        blocks_gpu=True,
    )


@rule(
    "LOG467", "log-container-stack-gives-gpu-program-hides-it", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Finds a Kubernetes node shown advertising GPUs (nvidia.com/gpu above 0 under Capacity) in a log whose CUDA_VISIBLE_DEVICES is set to hide every GPU ('', -1, none, void, NoDevFiles), with no stack state that gives no GPU.",
        why="The device plugin that advertises the GPUs works; a process whose CUDA_VISIBLE_DEVICES names no device sees none whatever the stack gives its container (CUDA's programming guide).",
        example="Capacity:\n nvidia.com/gpu: 1\nCUDA_VISIBLE_DEVICES=",
        fix="Unset CUDA_VISIBLE_DEVICES in the pod's environment (or set it to the ids the container was given), and give the pod `resources: limits: nvidia.com/gpu: 1`.",
        limits="Reads the variable where the log shows it set; a variable set by the program's own code is CODE_FORCES_CPU's reading.",
        references=("https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#env-vars",),
    ),
)
def container_stack_gives_gpu_program_hides_it(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or _unjudged(subject):
        return
    advertised = [s for s in facts.k8s_gpu_capacity if s.value != "0"]
    hidden = _hidden(subject)
    if not advertised or not hidden:
        return
    yield Hit(
        title="The node advertises its GPUs, but CUDA_VISIBLE_DEVICES hides every one from the program",
        evidence=_ev(hidden[0], advertised[0]),
        fix="Unset CUDA_VISIBLE_DEVICES in the pod's environment (or set it to the container's GPU ids), and check the pod requests `nvidia.com/gpu`; "
        "`kubectl exec <pod> -- env | grep CUDA_VISIBLE_DEVICES` shows what the program sees.",
        confidence=Confidence.MEDIUM,
        cause="GPU_HIDDEN",
        blocks_gpu=True,
    )


CSTACK_RULES: list[Rule[LogSubject]] = [container_stack_gives_no_gpu, container_stack_plugin_without_node_driver,
                                        container_stack_gives_gpu_program_hides_it]
