"""Collects Azure identity from DMI, the VM size from IMDS only once DMI says Azure, and Azure ML context from variables and paths."""

from __future__ import annotations

from typing import Any

from whygpu.collect import fsread
from whygpu.collect.interface import Machine
from whygpu.facts import Fact, Unavailable
from whygpu.knowledge.machine_markers import machine_markers
from whygpu.snapshot import AzureMLFacts, CloudFacts

PROBE = "cloud"
IMDS_PROBE = "imds"
DMI_DIR = "/sys/class/dmi/id"


def _markers() -> dict[str, Any]:
    return machine_markers()


def collect_cloud(machine: Machine) -> CloudFacts:
    """Azure from DMI; the VM size from IMDS (live, online, Azure only); Azure ML from env and paths."""
    markers = _markers()
    dmi = read_dmi(machine, markers)
    azure = _is_azure(machine, dmi, markers)
    return CloudFacts(
        azure=azure,
        dmi=dmi,
        vm_size=_vm_size(machine, azure),
        azureml=detect_azureml(machine, markers),
    )


def read_dmi(machine: Machine, markers: dict[str, Any] | None = None) -> dict[str, str]:
    """The DMI identity files that exist and are readable, by file name."""
    markers = markers or _markers()
    found: dict[str, str] = {}
    for row in markers.get("dmi_file", []):
        name = str(row["name"])
        value = fsread.read_value(machine.path(f"{DMI_DIR}/{name}"))
        if value is not None:
            found[name] = value[:200]
    return found


def _is_azure(machine: Machine, dmi: dict[str, str], markers: dict[str, Any]) -> Fact[bool]:
    decisive = [row for row in markers.get("azure_dmi", []) if row.get("decisive")]
    for row in decisive:
        if dmi.get(str(row["file"]), "").strip().lower() == str(row["value"]).lower():
            return True
    if any(str(row["file"]) in dmi for row in decisive):
        return False
    if dmi:
        # Only part of DMI is readable: nothing here says Azure, and the asset tag cannot be read.
        return False
    if not fsread.exists(machine.path(DMI_DIR)):
        where = "in the tree (--root)" if not machine.live else "on this system (a container, WSL2, or a VM without SMBIOS)"
        return Unavailable(f"no {DMI_DIR} {where}", PROBE)
    return Unavailable(f"{DMI_DIR}/chassis_asset_tag cannot be read", PROBE)


def _vm_size(machine: Machine, azure: Fact[bool]) -> Fact[str]:
    if azure is not True:
        why = "not an Azure VM (DMI)" if azure is False else "Azure not recognised from DMI"
        return Unavailable(f"{why}: IMDS not queried", IMDS_PROBE)
    if not machine.live:
        return Unavailable("needs the live machine: IMDS describes the running VM, not a tree (--root)", IMDS_PROBE)
    base_url = machine.imds_url
    if base_url is None:
        return Unavailable("--offline: IMDS not queried", IMDS_PROBE)
    from whygpu.gateways.imds import fetch_compute

    result = fetch_compute(base_url)
    if result.data is None:
        return Unavailable(f"IMDS {result.error}", IMDS_PROBE)
    size = result.data.get("vmSize")
    if not isinstance(size, str) or not size.strip():
        return Unavailable("IMDS reply has no compute.vmSize", IMDS_PROBE)
    return size.strip()


def detect_azureml(machine: Machine, markers: dict[str, Any] | None = None) -> AzureMLFacts:
    """An Azure ML job or compute instance, from its environment variables and paths, with the evidence."""
    markers = markers or _markers()
    strong: dict[str, list[str]] = {"job": [], "compute_instance": []}
    weak: dict[str, list[str]] = {"job": [], "compute_instance": []}

    def note(kind: str, strength: str, text: str) -> None:
        if kind in strong:
            (strong if strength == "strong" else weak)[kind].append(text)

    named: set[str] = set()
    for row in markers.get("azureml_env", []):
        name = str(row["name"])
        named.add(name)
        if machine.environ.get(name):
            note(str(row["kind"]), str(row["strength"]), f"{name} is set (environment)")
    for row in markers.get("azureml_env_prefix", []):
        prefix = str(row["prefix"])
        others = sorted(n for n in machine.environ if n.startswith(prefix) and n not in named)
        if others:
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            note(str(row["kind"]), str(row["strength"]), f"{shown} set (environment)")
    for row in markers.get("azureml_path", []):
        path = str(row["path"])
        if fsread.exists(machine.path(path)):
            note(str(row["kind"]), str(row["strength"]), f"{path} exists")

    # A job's own markers win: a job can run on a compute instance, never the reverse.
    if strong["job"]:
        return AzureMLFacts("job", strong["job"] + weak["job"])
    if strong["compute_instance"]:
        return AzureMLFacts("compute_instance", strong["compute_instance"] + weak["compute_instance"])
    if weak["job"] and not weak["compute_instance"]:
        return AzureMLFacts("job", weak["job"])
    if weak["compute_instance"]:
        return AzureMLFacts("compute_instance", weak["compute_instance"] + weak["job"])
    return AzureMLFacts()
