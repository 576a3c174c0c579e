"""The fleet recipes, checked by the schedulers' own code: azure-ai-ml's loader, the kubernetes client's models, and a real Slurm."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from collector_helpers import collector_text, newest, oldest_supported

from cli_runner import run_whygpu
from whygpu import cli


def _azureml_job(tmp_path: Path, *args: str) -> tuple[Any, dict[str, Any]]:
    load_job = pytest.importorskip("azure.ai.ml", reason="the azureml extra (azure-ai-ml) is not installed").load_job
    done = run_whygpu(["azureml", "job", "-o", str(tmp_path / "job.yml"), *args])
    assert done.code == 0, done.stderr
    assert (tmp_path / "whygpu-collector" / "collect.py").read_text() == collector_text()
    return load_job(tmp_path / "job.yml"), yaml.safe_load((tmp_path / "job.yml").read_text())


def test_azureml_job_runs_the_collector_once_per_node(tmp_path: Path) -> None:
    job, raw = _azureml_job(tmp_path, "--compute", "gpu-cluster", "--nodes", "4", "--environment", "train-env:7")
    assert raw["$schema"] == "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json"
    assert type(job).__name__ == "Command"
    assert job.compute == "gpu-cluster" and job.resources.instance_count == 4
    assert job.distribution.type == "pytorch" and job.distribution.process_count_per_instance == 1
    assert job.environment == "train-env:7"
    assert job.outputs["snapshots"].type == "uri_folder" and job.outputs["snapshots"].mode == "rw_mount"
    assert "--output-dir ${{outputs.snapshots}}" in job.command and "--deep" in job.command
    assert Path(str(job.code)).name == "whygpu-collector"


def test_azureml_job_with_an_image_mpi_and_no_deep(tmp_path: Path) -> None:
    job, raw = _azureml_job(tmp_path, "--compute", "azureml:a100", "--image", "nvcr.io/nvidia/pytorch:24.05-py3",
                            "--distribution", "mpi", "--no-deep")
    assert raw["environment"] == {"image": "nvcr.io/nvidia/pytorch:24.05-py3"}
    assert job.environment.image == "nvcr.io/nvidia/pytorch:24.05-py3"
    assert job.distribution.type == "mpi" and job.resources.instance_count == 1
    assert "--deep" not in job.command


def test_azureml_bad_usage_is_one_line(tmp_path: Path) -> None:
    for args in (["--compute", "c", "--nodes", "0"], ["--nodes", "2"], ["--compute", "c", "--environment", "e", "--image", "i"]):
        done = run_whygpu(["azureml", "job", *args], cwd=str(tmp_path))
        assert done.code == 2 and done.stderr.count("\n") == 1, (args, done.stderr)


def _kubernetes_objects(text: str) -> tuple[Any, Any]:
    client = pytest.importorskip("kubernetes.client", reason="the kubernetes Python client is not installed")
    api = client.ApiClient()
    objects = []
    for document, kind in zip(yaml.safe_load_all(text), ("V1ConfigMap", "V1Job"), strict=True):
        model = _deserialize(api, json.dumps(document), kind)
        # The models ignore keys they do not know: serialising back shows a misspelt or misplaced one.
        assert api.sanitize_for_serialization(model) == document
        objects.append(model)
    return objects[0], objects[1]


def _deserialize(api: Any, text: str, kind: str) -> Any:
    """The client's own deserializer (recent clients take the response text, older ones a response object)."""
    if "content_type" in inspect.signature(api.deserialize).parameters:
        return api.deserialize(text, kind, "application/json")

    class _Response:
        data = text

    return api.deserialize(_Response(), kind)


def test_kubernetes_indexed_job_one_pod_per_gpu_node() -> None:
    done = run_whygpu(["kubernetes", "--nodes", "8", "--gpus-per-node", "4", "--image", "myreg/train:1", "--namespace", "ml"])
    assert done.code == 0, done.stderr
    config_map, job = _kubernetes_objects(done.stdout)
    assert config_map.data["collect.py"] == collector_text()
    assert len(done.stdout.encode()) < 1024 * 1024  # a ConfigMap holds at most 1 MiB
    spec = job.spec
    assert (spec.completion_mode, spec.completions, spec.parallelism) == ("Indexed", 8, 8)
    pod = spec.template.spec
    container = pod.containers[0]
    assert container.image == "myreg/train:1" and container.resources.limits == {"nvidia.com/gpu": "4"}
    assert "--hostname" in container.args and "$(NODE_NAME)" in container.args and "--deep" in container.args
    assert container.env[0].value_from.field_ref.field_path == "spec.nodeName"
    term = pod.affinity.pod_anti_affinity.required_during_scheduling_ignored_during_execution[0]
    assert term.topology_key == "kubernetes.io/hostname"
    assert term.label_selector.match_labels == pod.topology_spread_constraints[0].label_selector.match_labels
    assert term.label_selector.match_labels.items() <= spec.template.metadata.labels.items()
    assert pod.volumes[0].config_map.name == config_map.metadata.name and job.metadata.namespace == "ml"


def test_kubernetes_snapshots_to_a_volume_claim() -> None:
    done = run_whygpu(["kubernetes", "--gpus-per-node", "1", "--pvc", "shared-snapshots", "--no-deep"])
    _config_map, job = _kubernetes_objects(done.stdout)
    pod = job.spec.template.spec
    assert pod.volumes[1].persistent_volume_claim.claim_name == "shared-snapshots"
    assert pod.containers[0].args[-2:] == ["--output-dir", "/snapshots"] and "--deep" not in pod.containers[0].args
    for args in (["--gpus-per-node", "1", "--name", "Not_A_Name"], ["--nodes", "2"], ["--gpus-per-node", "0"]):
        bad = run_whygpu(["kubernetes", *args])
        assert bad.code == 2 and bad.stderr.count("\n") == 1, (args, bad.stderr)


def test_slurm_script_runs_one_task_per_node(tmp_path: Path) -> None:
    done = run_whygpu(["slurm", "--nodes", "16", "--gres", "gpu:8", "--partition", "a100", "--output-dir", "/shared/fleet dir"])
    assert done.code == 0, done.stderr
    script = done.stdout
    for directive in ("--nodes=16", "--ntasks-per-node=1", "--gres=gpu:8", "--partition=a100"):
        assert f"#SBATCH {directive}\n" in script
    assert "srun --ntasks-per-node=1" in script and "out='/shared/fleet dir'" in script
    (tmp_path / "job.sbatch").write_text(script)
    syntax = subprocess.run(["bash", "-n", str(tmp_path / "job.sbatch")], capture_output=True, text=True, check=False)
    assert syntax.returncode == 0, syntax.stderr


def _slurm_reason() -> str | None:
    from slurm_cluster import missing_reason

    if os.environ.get("WHYGPU_TEST_SLURM") == "0":
        return "WHYGPU_TEST_SLURM=0"
    return missing_reason()


@pytest.mark.slurm
def test_slurm_recipe_on_a_real_single_node_slurm(tmp_path: Path) -> None:
    reason = _slurm_reason()
    if reason:
        pytest.skip(f"no real Slurm here: {reason}")
    from slurm_cluster import slurm_cluster

    python = oldest_supported() or newest()
    work = tmp_path / "submit"
    work.mkdir()
    assert run_whygpu(["collector", "-o", str(work / "collect.py")]).code == 0
    assert run_whygpu(["slurm", "--nodes", "1", "--no-deep", "--python", python, "--time", "00:05:00",
                       "-o", str(work / "fleet.sbatch")]).code == 0
    with slurm_cluster() as cluster:
        submitted = cluster.run("sbatch", "--parsable", "--chdir", str(work), str(work / "fleet.sbatch"))
        assert submitted.returncode == 0, submitted.stderr + cluster.logs()
        job_id = submitted.stdout.strip().split(";")[0]
        deadline = time.monotonic() + 120
        state = ""
        while time.monotonic() < deadline:
            state = cluster.run("squeue", "-h", "-j", job_id, "-o", "%T").stdout.strip()
            if not state:
                break
            time.sleep(1)
        assert not state, f"job {job_id} still {state} after 120 s\n{cluster.logs()}"
    snapshots = sorted((work / "whygpu-snapshots").glob("*.json"))
    log = "".join(p.read_text() for p in work.glob("whygpu-fleet-*.out"))
    assert [p.name for p in snapshots] == [f"0000-{_hostname()}.json"], log
    assert "whygpu fleet whygpu-snapshots" in log
    if "fleet" in cli.COMMANDS:
        fleet = run_whygpu(["fleet", str(work / "whygpu-snapshots"), "--json"])
        assert json.loads(fleet.stdout)["subject"]["nodes"] == 1, fleet.stderr
    else:
        doctor = run_whygpu(["doctor", "--from", str(snapshots[0]), "--json"])
        assert json.loads(doctor.stdout)["subject"]["kind"] == "snapshot", doctor.stderr


def _hostname() -> str:
    import re
    import socket

    return re.sub(r"[^A-Za-z0-9._-]+", "_", socket.gethostname()).strip("._")


def test_cli_lists_the_fleet_recipes() -> None:
    assert {"collector", "azureml", "slurm", "kubernetes"} <= set(cli.COMMANDS)
    listed = run_whygpu(["--help"])
    assert all(f"    {name}" in listed.stdout for name in ("collector", "azureml", "slurm", "kubernetes")), listed.stdout
