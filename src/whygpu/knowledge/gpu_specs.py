"""Whether a spec or a command that starts a program asks for the GPU, in its own code (session 31, accspec).

One reading for lint and explain: lint asks which lines of a project's files show GPU intent (``requests_in`` with
``intent_only``), explain asks whether a spec or a launch command pasted in a log asked for the GPU at all (``manifests``,
``launch_gives_gpu``). The requests are ``[[spec_request]]`` rows of ``launchers.toml`` and the Kubernetes workload kinds
its ``[[workload]]`` rows, each with its public source.

What a spec must show before its silence counts: a compose file's ``services:`` with a service (an image or a build), a
Kubernetes workload with its containers (for a serving kind, a predictor's resources block), an MLflow project's
``docker_env`` with its image. A fragment (a lone ``resources:`` block,
a Helm value) is not read: its GPU request may sit in the part not pasted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows

__all__ = ["CRI_DISTRIBUTION", "Manifest", "SpecRequest", "continued_command", "launch_gives_gpu", "manifests", "nvidia_runtime_default", "requests_in", "runtime_class_needed", "spec_requests", "workload_kinds"]


@dataclass(frozen=True)
class SpecRequest:
    """One way a spec or command asks for the GPU: its id, the kind of text, the cheap literal, the pattern, whether lint reads it as intent, and what it shows."""

    id: str
    spec: str
    needle: str
    pattern: re.Pattern[str]
    intent: bool
    what: str


def _flags(letters: str) -> int:
    return (re.MULTILINE if "m" in letters else 0) | (re.IGNORECASE if "i" in letters else 0)


@lru_cache(maxsize=1)
def spec_requests() -> tuple[SpecRequest, ...]:
    """Every ``[[spec_request]]`` row of launchers.toml, compiled, in the table's order."""
    return tuple(SpecRequest(id=str(row["id"]), spec=str(row["spec"]), needle=str(row["needle"]),
                             pattern=re.compile(str(row["pattern"]), _flags(str(row.get("flags", "")))),
                             intent=bool(row["intent"]), what=str(row["what"]))
                 for row in table_rows("launchers", "spec_request"))


# A shell line continued onto the next (a trailing backslash), blanked to spaces of the same length so that a match's
# offsets stay those of the text: a launch's --gpus on a continued line is the launch's own.
_SHELL_CONTINUATION = re.compile(r"[ \t]\\[ \t]*\r?\n")


def _joined(text: str) -> str:
    return _SHELL_CONTINUATION.sub(lambda m: " " * len(m.group(0)), text) if "\\\n" in text or "\\ \n" in text or "\\\r\n" in text else text


def requests_in(text: str, *, specs: tuple[str, ...] | None = None, intent_only: bool = False) -> list[tuple[SpecRequest, re.Match[str]]]:
    """The first match of each request row in ``text`` (rows of ``specs`` only, when given; lint's intent rows only, when
    asked). A launch command is read with its continued lines (offsets unchanged)."""
    found = []
    commands: str | None = None
    for row in spec_requests():
        if (specs is not None and row.spec not in specs) or (intent_only and not row.intent) or row.needle not in text:
            continue
        if row.spec == "command":
            commands = _joined(text) if commands is None else commands
            m = row.pattern.search(commands)
        else:
            m = row.pattern.search(text)
        if m is not None:
            found.append((row, m))
    return found


def _asks(text: str, specs: tuple[str, ...]) -> bool:
    return bool(requests_in(text, specs=specs))


# --- a launch command --------------------------------------------------------------------------------------------------
# A container is given the GPU by the launcher's flag: docker/podman/nerdctl `--gpus`, the NVIDIA runtime by name or path,
# a CDI device, NVIDIA_VISIBLE_DEVICES set for the NVIDIA runtime (not void/none), Singularity/Apptainer `--nv`/`--nvccli`,
# Podman's OCI hooks directory (the NVIDIA hook); nvidia-docker adds the runtime itself
# (https://docs.docker.com/engine/containers/resource_constraints/#gpu; podman-run(1) --hooks-dir, --runtime;
# https://apptainer.org/docs/user/main/gpu.html).
_LAUNCH_GPU = re.compile(r"--gpus\b|--runtime[= ](?:\S*/)?nvidia|--device[= ]nvidia\.com/gpu|NVIDIA_VISIBLE_DEVICES=(?!void|none)|(?<![\w-])--nv(?:ccli)?\b"
                         r"|--hooks-dir\b")
# A line continued on the next: a shell's backslash, PowerShell's backtick, cmd's caret, at the end of the line.
_CONTINUED = re.compile(r"(?:\s\\|\s`|\s\^)\s*$")


def launch_gives_gpu(program: str, args: str) -> bool:
    """Whether a launch by ``program`` (docker, podman, nerdctl, nvidia-docker, singularity, apptainer) with ``args`` gives the container the GPU."""
    return program == "nvidia-docker" or _LAUNCH_GPU.search(args) is not None


def continued_command(lines: list[str], index: int, *, limit: int = 30) -> str:
    """The command on ``lines[index]`` with the lines it continues onto (a trailing ``\\``, `````, ``^``), joined by spaces."""
    parts = [lines[index]]
    at = index
    while _CONTINUED.search(parts[-1]) and at + 1 < len(lines) and len(parts) < limit:
        at += 1
        parts[-1] = _CONTINUED.sub("", parts[-1])
        # A quoted continuation ("> " from a shell's secondary prompt, a markdown quote) is still the command.
        parts.append(re.sub(r"^\s*>\s?", "", lines[at]))
    return " ".join(part.strip() for part in parts)


# --- a spec pasted whole -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    """A spec read from a log: where it starts (from 1), its kind (compose, kubernetes, mlflow), whether it asks for the GPU, and its first line."""

    line: int
    kind: str
    gpu: bool
    text: str
    runtime_class: bool = False  # a Kubernetes workload that names the NVIDIA runtime class (runtimeClassName: nvidia)


@lru_cache(maxsize=1)
def workload_kinds() -> frozenset[str]:
    """The Kubernetes workload kinds (``[[workload]]``) whose pods get the GPU by nvidia.com/gpu in a container's resources."""
    return frozenset(str(row["kind"]) for row in table_rows("launchers", "workload"))


# The serving kinds whose predictor may hold its resources without a containers list (KServe's model spec).
_SERVING_KINDS = frozenset({"InferenceService", "ServingRuntime", "ClusterServingRuntime", "SeldonDeployment"})
_COMPOSE_START = re.compile(r"^(\s*)services:\s*(?:#.*)?$")
_K8S_START = re.compile(r"^(\s*)kind:\s*[\"']?(\w+)[\"']?\s*(?:#.*)?$")
_MLFLOW_START = re.compile(r"^(\s*)docker_env:\s*(?:#.*)?$")
# A line that can belong to a YAML document: blank, indented, a top-level key, a list item or a comment.
_YAML_LINE = re.compile(r"^(?:\s|$|[\w.\"'/-]+\s*:(?:\s|$)|-\s|#)")
_COMPOSE_SERVICE = re.compile(r"^\s+(?:image|build)\s*:", re.M)
_K8S_CONTAINERS = re.compile(r"^\s*containers\s*:", re.M)
_K8S_RESOURCES = re.compile(r"^\s*resources\s*:\s*$\n\s*(?:limits|requests)\s*:", re.M)
_MLFLOW_IMAGE = re.compile(r"^\s+image\s*:\s*\S", re.M)


def _block(lines: list[str], start: int) -> list[str]:
    """The YAML lines from ``start`` on, up to a code fence, a document separator or a line of prose."""
    out = [lines[start]]
    for line in lines[start + 1:]:
        stripped = line.strip()
        if stripped.startswith(("```", "---", "...")) or not _YAML_LINE.match(line):
            break
        out.append(line)
    return out


def manifests(lines: list[str]) -> list[Manifest]:
    """Every whole spec in ``lines`` (numbered from 1) that starts a container, with whether it asks for the GPU: a compose
    file's ``services:``, a Kubernetes workload of a ``[[workload]]`` kind, an MLflow project's ``docker_env``. (A Slurm job's
    request is read line by line by explain's scheduler facts, LOG117; its rows here serve lint.)"""
    out: list[Manifest] = []
    for i, line in enumerate(lines):
        if "services:" in line and _COMPOSE_START.match(line):
            body = "\n".join(_block(lines, i))
            if _COMPOSE_SERVICE.search(body):
                out.append(Manifest(i + 1, "compose", _asks(body, ("compose", "kubernetes")), line.strip()))
        elif "kind:" in line and (m := _K8S_START.match(line)) and m.group(2) in workload_kinds():
            body = "\n".join(_block(lines, i))
            whole = _K8S_CONTAINERS.search(body) or (m.group(2) in _SERVING_KINDS and _K8S_RESOURCES.search(body))
            if whole:
                runtime_class = any(row.id == "k8s-runtime-class" for row, _ in requests_in(body, specs=("kubernetes",)))
                out.append(Manifest(i + 1, "kubernetes", _asks(body, ("kubernetes",)), f"kind: {m.group(2)}", runtime_class))
        elif "docker_env:" in line and _MLFLOW_START.match(line):
            body = "\n".join(_block(lines, i))
            if _MLFLOW_IMAGE.search(body):
                out.append(Manifest(i + 1, "mlflow", _asks(body, ("mlflow",)), line.strip()))
    return out


# --- k3s and RKE2: the NVIDIA runtime is registered, not made the default ---------------------------------------------
# k3s (and RKE2, which shares its containerd set-up) adds the NVIDIA Container Runtime found on a node to its containerd
# config as the runtime "nvidia", beside runc as the default; a pod runs under it only with `runtimeClassName: nvidia`,
# unless the agent was started with `--default-runtime nvidia` (https://docs.k3s.io/add-ons/gpu; https://docs.rke2.io/add-ons/gpu_operators).
# A pod that requests nvidia.com/gpu but runs under runc is scheduled on the GPU node with the device named for it, and
# gets neither the driver's libraries nor nvidia-smi mounted in.
CRI_DISTRIBUTION = re.compile(r"\b(?:k3s|rke2)\b", re.I)
_NVIDIA_DEFAULT = re.compile(r"--default-runtime[= ]+[\"']?nvidia\b|\bdefault[_-]runtime[_-]name\s*=\s*[\"']nvidia[\"']|\bdefault-runtime\"?\s*:\s*\"nvidia\"", re.I)


def nvidia_runtime_default(text: str) -> bool:
    """Whether ``text`` shows the NVIDIA runtime made the container runtime's default (then no runtime class is needed)."""
    return _NVIDIA_DEFAULT.search(text) is not None


# The writer's word that the pods need the runtime class ("for k3s we need to add runtimeClassName: nvidia in pod specs",
# "the runtimeClassName is missing in the notebook's pod"): said of the cluster the log names, it is the same lack as a
# spec shown without it. Not read: the class said set or added ("I added runtimeClassName: nvidia"), a question.
_NEEDED = re.compile(
    r"\b(?:need|needs|needed|have\s+to|has\s+to|had\s+to|must|requires?|required)\s+(?:to\s+)?(?:add|define|set|specify|put|include|use|have|get|contain)\b[^.;!?\n]{0,40}?\bruntimeClassName\b"
    r"|\bruntimeClassName\b[^.;!?\n]{0,40}?\b(?:is|was|are|were)\s+(?:still\s+)?(?:missing|required|needed|not\s+(?:set|there|present|added))"
    r"|\b(?:without|missing|no|lacks?|lacking)\s+(?:the\s+|a\s+)?[`'\"]?runtimeClassName\b", re.I)


def runtime_class_needed(sentence: str) -> re.Match[str] | None:
    """Where ``sentence`` says pods need (or lack) ``runtimeClassName``, not asked, or None."""
    if "?" in sentence:
        return None
    return _NEEDED.search(sentence)
