"""Azure ML compute that Python code asks for through the SDK, read from the syntax tree (never run).

- v2 (``azure.ai.ml``): ``AmlCompute(name=..., size=...)`` and ``ComputeInstance(name=..., size=...)``;
- v1 (``azureml.core``): ``AmlCompute.provisioning_configuration(vm_size=...)`` with the name it is given in
  ``ComputeTarget.create(ws, name, config)``; an estimator's ``vm_size=`` and a run configuration's
  ``amlcompute.vm_size = ...``, which make Azure ML create a run-based compute of that size;
- v2 serverless jobs: ``ResourceConfiguration(instance_type=...)``, ``JobResourceConfiguration(...)`` and
  ``command(..., instance_type=...)``.

Only literal sizes count (a string, or a name assigned one string in the same file or notebook); a size
read from a variable, an argument or the environment is not known here.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from whygpu.lint.interface import Location

# Words a file must hold for the walk to be worth doing (most Python files hold none); it must name the
# Azure ML SDK too (``azureml`` for v1, ``azure.ai.ml`` for v2), since other Azure SDKs (Batch pools,
# virtual machines) take a ``vm_size`` as well.
MARKERS = ("AmlCompute", "ComputeInstance", "vm_size", "instance_type")
SDK_NAMES = ("azureml", "azure.ai.ml")
_COMPUTE_CLASSES = frozenset({"AmlCompute", "ComputeInstance"})
# The v1 estimators that create a run-based compute of their ``vm_size`` (azureml.train.estimator, .dnn, .sklearn).
_ESTIMATORS = frozenset({"Estimator", "PyTorch", "TensorFlow", "Chainer", "SKLearn"})
# v2 calls whose ``instance_type`` is the VM size of a serverless job (azure.ai.ml.entities, azure.ai.ml.command).
_SERVERLESS = frozenset({"ResourceConfiguration", "JobResourceConfiguration", "command"})
_CREATORS = frozenset({"ComputeTarget", "AmlCompute", "ComputeInstance"})


@dataclass(frozen=True)
class SdkCompute:
    """A VM size Python code asks Azure ML for: the compute's name when known, the size, where, and how."""

    name: str | None
    size: str
    location: Location
    how: str


def _last_name(node: ast.AST) -> str | None:
    """``AmlCompute`` for ``AmlCompute``, ``azure.ai.ml.entities.AmlCompute`` or ``compute.AmlCompute``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


class _Reader:
    def __init__(self, locate: Callable[[int, int], Location]) -> None:
        self.locate = locate
        self.strings: dict[str, set[str]] = {}  # NAME -> the string literals assigned to it
        # NAME -> the provisioning_configuration calls assigned to it, with their lines (a notebook often
        # reuses ``compute_config`` for a GPU and then a CPU cluster).
        self.configs: dict[str, list[tuple[int, ast.Call]]] = {}
        self.named_configs: dict[int, str] = {}  # id(provisioning call) -> the name it is created under

    def text(self, node: ast.AST | None) -> str | None:
        """The string a node certainly holds: a literal, or a name assigned exactly one literal."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            values = self.strings.get(node.id, set())
            return next(iter(values)) if len(values) == 1 else None
        return None

    def at(self, node: ast.AST) -> Location:
        return self.locate(getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1)

    def collect_names(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                target = node.targets[0].id
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    self.strings.setdefault(target, set()).add(node.value.value)
                elif isinstance(node.value, ast.Call) and _is_provisioning(node.value):
                    self.configs.setdefault(target, []).append((node.lineno, node.value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "create" and _last_name(node.func.value) in _CREATORS:
                name = self.text(node.args[1] if len(node.args) > 1 else _keyword(node, "name"))
                config = node.args[2] if len(node.args) > 2 else _keyword(node, "provisioning_configuration")
                if name is None or config is None:
                    continue
                call = self.config_before(config.id, node.lineno) if isinstance(config, ast.Name) else config if isinstance(config, ast.Call) else None
                if call is not None:
                    self.named_configs[id(call)] = name

    def config_before(self, name: str, line: int) -> ast.Call | None:
        """The provisioning configuration ``name`` holds at ``line``: the last one assigned above it."""
        above = [(at, call) for at, call in self.configs.get(name, []) if at <= line]
        return max(above, key=lambda item: item[0])[1] if above else None

    def computes(self, tree: ast.Module) -> list[SdkCompute]:
        found: list[SdkCompute] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                # ``run_config.amlcompute.vm_size = "STANDARD_NC6"``: the run-based compute of a v1 run.
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr == "vm_size" and (size := self.text(node.value)):
                        found.append(SdkCompute(None, size, self.at(node.value), "the run-based compute of a run configuration (amlcompute.vm_size)"))
                continue
            if not isinstance(node, ast.Call):
                continue
            callee = _last_name(node.func)
            if callee in _COMPUTE_CLASSES:
                value = _keyword(node, "size")
                if (size := self.text(value)) and value is not None:
                    name = self.text(_keyword(node, "name") or (node.args[0] if node.args else None))
                    found.append(SdkCompute(name, size, self.at(value), f"{callee}(size=...)"))
            elif _is_provisioning(node):
                value = _keyword(node, "vm_size")
                if (size := self.text(value)) and value is not None:
                    owner = _last_name(node.func.value) if isinstance(node.func, ast.Attribute) else None
                    how = f"{owner}.provisioning_configuration(vm_size=...)"
                    found.append(SdkCompute(self.named_configs.get(id(node)), size, self.at(value), how))
            elif callee in _SERVERLESS:
                value = _keyword(node, "instance_type")
                if (size := self.text(value)) and value is not None:
                    found.append(SdkCompute(None, size, self.at(value), f"the serverless compute of {callee}(instance_type=...)"))
            elif callee in _ESTIMATORS:
                value = _keyword(node, "vm_size")
                if (size := self.text(value)) and value is not None:
                    found.append(SdkCompute(None, size, self.at(value), f"the run-based compute of {callee}(vm_size=...)"))
        found.sort(key=lambda c: (c.location.line, c.location.column))
        return found


def _is_provisioning(call: ast.Call) -> bool:
    """``AmlCompute.provisioning_configuration(...)`` or ``ComputeInstance.provisioning_configuration(...)`` (v1)."""
    return isinstance(call.func, ast.Attribute) and call.func.attr == "provisioning_configuration" and _last_name(call.func.value) in _COMPUTE_CLASSES


def reads_sdk(text: str) -> bool:
    """True when a file may ask Azure ML for compute: it names the SDK and one of its compute calls."""
    return any(marker in text for marker in MARKERS) and any(name in text for name in SDK_NAMES)


def sdk_computes(tree: ast.Module, locate: Callable[[int, int], Location]) -> list[SdkCompute]:
    """Every literal VM size the code asks Azure ML for, in source order."""
    reader = _Reader(locate)
    reader.collect_names(tree)
    return reader.computes(tree)
