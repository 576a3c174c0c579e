"""The Azure collector: DMI, IMDS through a fake server on 127.0.0.1 (never 169.254.169.254), Azure ML jobs and compute instances."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakeroot import (
    FakeImds,
    add_aws_dmi,
    add_dir,
    add_dmi,
    add_running_system,
    live_machine,
    tree_machine,
)
from whygpu.collect.azure import collect_cloud, detect_azureml
from whygpu.collect.interface import Machine
from whygpu.facts import Unavailable
from whygpu.gateways.imds import fetch_compute


def _azure_vm(root: Path) -> None:
    add_running_system(root)
    add_dmi(root)


def test_azure_gpu_vm_size_from_imds(tmp_path: Path) -> None:
    _azure_vm(tmp_path)
    with FakeImds("Standard_NC24ads_A100_v4") as imds:
        cloud = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url}))
    assert cloud.azure is True
    assert cloud.vm_size == "Standard_NC24ads_A100_v4"
    assert cloud.dmi["chassis_asset_tag"] == "7783-7084-3265-9085-8269-3286-77"
    (request,) = imds.requests
    assert request["path"] == "/metadata/instance/compute?api-version=2021-02-01"
    assert request["headers"].get("Metadata") == "true"


def test_azure_cpu_vm_size(tmp_path: Path) -> None:
    _azure_vm(tmp_path)
    with FakeImds("Standard_D4s_v5") as imds:
        cloud = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url}))
    assert cloud.vm_size == "Standard_D4s_v5"


def test_imds_ignores_proxy_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _azure_vm(tmp_path)
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # a proxy that would refuse the connection
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with FakeImds("Standard_NC4as_T4_v3") as imds:
        cloud = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url}))
    assert cloud.vm_size == "Standard_NC4as_T4_v3"
    assert len(imds.requests) == 1


def test_slow_imds_is_given_up_after_about_a_second(tmp_path: Path) -> None:
    _azure_vm(tmp_path)
    with FakeImds("Standard_NC6s_v3", delay_s=3.0) as imds:
        cloud = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url}))
        imds.wait_for_requests(1)
    assert isinstance(cloud.vm_size, Unavailable)
    assert cloud.vm_size.reason == "IMDS timed out after 1 s"
    assert cloud.azure is True


def test_requested_timeout_is_capped_at_one_second() -> None:
    with FakeImds(delay_s=3.0) as imds:
        result = fetch_compute(imds.url, timeout_s=30)
    assert result.data is None and result.error == "timed out after 1 s"


@pytest.mark.parametrize(("status", "body", "reason"), [
    (404, b"{}", "IMDS HTTP 404"),
    (200, b"<html>captive portal</html>", "IMDS the reply is not JSON"),
    (200, b"[1]", "IMDS the reply is not a JSON object"),
    (200, b'{"vmSize": ""}', "IMDS reply has no compute.vmSize"),
    (200, b'{"vmSize": 5}', "IMDS reply has no compute.vmSize"),
])
def test_bad_imds_answers(tmp_path: Path, status: int, body: bytes, reason: str) -> None:
    _azure_vm(tmp_path)
    with FakeImds(status=status, body=body) as imds:
        cloud = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url}))
    assert isinstance(cloud.vm_size, Unavailable)
    assert cloud.vm_size.reason.startswith(reason)


def test_nothing_listening(tmp_path: Path) -> None:
    _azure_vm(tmp_path)
    with FakeImds() as imds:
        url = imds.url
    cloud = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": url}))
    assert isinstance(cloud.vm_size, Unavailable) and cloud.vm_size.reason.startswith("IMDS cannot connect")


def test_bad_imds_url_is_a_reason_not_a_crash(tmp_path: Path) -> None:
    _azure_vm(tmp_path)
    cloud = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": "nonsense://x"}))
    assert isinstance(cloud.vm_size, Unavailable) and "IMDS" in cloud.vm_size.reason


@pytest.mark.parametrize("dmi", ["aws", "hyperv", "none"])
def test_non_azure_dmi_never_contacts_imds(tmp_path: Path, dmi: str) -> None:
    add_running_system(tmp_path)
    if dmi == "aws":
        add_aws_dmi(tmp_path)
    elif dmi == "hyperv":  # a local Hyper-V guest: Microsoft vendor, no Azure asset tag
        add_dmi(tmp_path, chassis_asset_tag="None")
    with FakeImds() as imds:
        cloud = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url}))
    assert imds.requests == []
    assert isinstance(cloud.vm_size, Unavailable) and "IMDS not queried" in cloud.vm_size.reason
    if dmi == "none":
        assert isinstance(cloud.azure, Unavailable)
    else:
        assert cloud.azure is False


def test_offline_and_tree_never_contact_imds(tmp_path: Path) -> None:
    _azure_vm(tmp_path)
    with FakeImds() as imds:
        offline = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url}, offline=True))
        tree = collect_cloud(tree_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url}))
    assert imds.requests == []
    assert offline.azure is True and tree.azure is True
    assert isinstance(offline.vm_size, Unavailable) and "--offline" in offline.vm_size.reason
    assert isinstance(tree.vm_size, Unavailable) and "live machine" in tree.vm_size.reason


def test_default_url_is_only_used_when_not_overridden() -> None:
    machine = Machine(environ={"WHYGPU_IMDS_URL": "http://127.0.0.1:1/"})
    assert machine.imds_url == "http://127.0.0.1:1"


def test_missing_asset_tag_with_other_dmi_is_not_azure(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_dmi(tmp_path, chassis_asset_tag=None)
    with FakeImds() as imds:
        cloud = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url}))
    assert cloud.azure is False and imds.requests == []
    assert cloud.dmi == {"sys_vendor": "Microsoft Corporation", "product_name": "Virtual Machine",
                         "board_vendor": "Microsoft Corporation"}


# --- Azure ML -------------------------------------------------------------------------------


def test_azureml_job_from_environment(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    facts = detect_azureml(live_machine(tmp_path, {"AZUREML_RUN_ID": "train_1700000000_abc", "AZUREML_ARM_WORKSPACE_NAME": "ws"}))
    assert facts.kind == "job"
    assert facts.evidence == ["AZUREML_RUN_ID is set (environment)", "AZUREML_ARM_WORKSPACE_NAME set (environment)"]


def test_azureml_job_from_its_mounts(tmp_path: Path) -> None:
    add_dir(tmp_path, "/mnt/azureml/cr/j/abc/exe/wd")
    assert detect_azureml(tree_machine(tmp_path)).kind == "job"


def test_compute_instance(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_dir(tmp_path, "/mnt/batch/tasks/shared/LS_root/mounts/clusters/my-ci/code")
    add_dir(tmp_path, "/home/azureuser/cloudfiles")
    facts = detect_azureml(live_machine(tmp_path, {"CI_NAME": "my-ci", "CI_WORKSPACE": "ws", "CI_RESOURCE_GROUP": "rg"}))
    assert facts.kind == "compute_instance"
    assert "CI_WORKSPACE is set (environment)" in facts.evidence
    assert "/home/azureuser/cloudfiles exists" in facts.evidence


def test_job_running_on_a_compute_instance_is_a_job(tmp_path: Path) -> None:
    add_dir(tmp_path, "/home/azureuser/cloudfiles")
    facts = detect_azureml(live_machine(tmp_path, {"AZUREML_RUN_ID": "x", "CI_WORKSPACE": "ws"}))
    assert facts.kind == "job"


def test_other_ci_systems_are_not_azureml(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    env = {"CI": "true", "CI_JOB_ID": "1", "CI_PROJECT_NAME": "x", "GITHUB_ACTIONS": "true"}
    facts = detect_azureml(live_machine(tmp_path, env))
    assert facts.kind is None and facts.evidence == []


def test_azureml_facts_are_in_cloud_facts(tmp_path: Path) -> None:
    _azure_vm(tmp_path)
    with FakeImds("Standard_NC6s_v3") as imds:
        cloud = collect_cloud(live_machine(tmp_path, {"WHYGPU_IMDS_URL": imds.url, "AZUREML_RUN_ID": "r"}))
    assert cloud.azureml.kind == "job" and cloud.vm_size == "Standard_NC6s_v3"


def test_a_machine_built_without_the_variable_still_never_reaches_the_real_metadata_address() -> None:
    from whygpu.collect.interface import Machine

    machine = Machine(root="/", environ={}, live=True)
    url = machine.imds_url
    assert url is not None and url.startswith("http://127.0.0.1:")
    assert "169.254" not in url
