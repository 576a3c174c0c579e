"""The container collector: docker (cgroup v1 and v2), podman, Kubernetes, containerd, a VM booted from an image, GPU mounts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakeroot import (
    add_container_markers,
    add_file,
    add_running_system,
    add_wsl,
    live_machine,
    mount_line,
    mountinfo,
    tree_machine,
)
from whygpu.collect.container import collect_container, parse_mountinfo
from whygpu.facts import Unavailable


def test_bare_vm_is_not_a_container(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    facts = collect_container(live_machine(tmp_path))
    assert facts.in_container is False and facts.runtime is None and facts.nvidia_mounts == []


def test_docker_without_gpu(tmp_path: Path) -> None:
    add_container_markers(tmp_path, "docker")
    facts = collect_container(live_machine(tmp_path))
    assert facts.in_container is True and facts.runtime == "docker"
    assert facts.nvidia_mounts == []
    assert "/.dockerenv exists" in facts.evidence
    assert any(e.startswith("/proc/1/cgroup: 12:devices:/docker/") for e in facts.evidence)


def test_docker_with_gpu_mounts(tmp_path: Path) -> None:
    add_container_markers(tmp_path, "docker", gpu=True, driver_version="535.129.03")
    facts = collect_container(live_machine(tmp_path, {"NVIDIA_VISIBLE_DEVICES": "all"}))
    assert facts.in_container is True
    assert facts.nvidia_mounts == [
        "/proc/driver/nvidia", "/usr/bin/nvidia-smi",
        "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.535.129.03", "/usr/lib/x86_64-linux-gnu/libcuda.so.535.129.03",
        "/dev/nvidiactl", "/dev/nvidia0",
    ]
    assert "NVIDIA_VISIBLE_DEVICES='all' (environment)" in facts.evidence
    assert "6 NVIDIA driver file(s) mounted in (/proc/self/mountinfo)" in facts.evidence


def test_cgroup_v2_container_is_recognised_from_mountinfo_alone(tmp_path: Path) -> None:
    add_container_markers(tmp_path, "docker-cgroup2")
    (tmp_path / ".dockerenv").unlink()  # only the mount table is left to tell
    facts = collect_container(live_machine(tmp_path))
    assert facts.in_container is True and facts.runtime == "docker"
    assert any("/etc/hostname is bind-mounted from /var/lib/docker/containers/" in e for e in facts.evidence)
    assert not any("cgroup" in e for e in facts.evidence)


def test_podman(tmp_path: Path) -> None:
    add_container_markers(tmp_path, "podman")
    facts = collect_container(live_machine(tmp_path, {"container": "podman"}))
    assert facts.in_container is True and facts.runtime == "podman"
    assert "/run/.containerenv exists (engine podman-4.9.3)" in facts.evidence
    assert "container='podman' (environment)" in facts.evidence


def test_kubernetes_wins_over_its_container_runtime(tmp_path: Path) -> None:
    add_container_markers(tmp_path, "kubernetes")
    facts = collect_container(live_machine(tmp_path, {"KUBERNETES_SERVICE_HOST": "10.0.0.1"}))
    assert facts.in_container is True and facts.runtime == "kubernetes"
    assert "/var/run/secrets/kubernetes.io/serviceaccount is mounted (/proc/self/mountinfo)" in facts.evidence


def test_kubernetes_from_the_mount_table_without_variables(tmp_path: Path) -> None:
    add_container_markers(tmp_path, "kubernetes")
    facts = collect_container(live_machine(tmp_path, {}))
    assert facts.runtime == "kubernetes"


def test_containerd_from_the_overlay_layers(tmp_path: Path) -> None:
    add_container_markers(tmp_path, "containerd")
    facts = collect_container(live_machine(tmp_path))
    assert facts.in_container is True and facts.runtime == "containerd"


def test_kubepods_cgroup_v1(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_file(tmp_path, "/proc/1/cgroup", "11:memory:/kubepods/burstable/pod1234/abcd\n")
    facts = collect_container(live_machine(tmp_path))
    assert facts.in_container is True and facts.runtime == "kubernetes"


def test_vm_booted_from_a_container_image_keeps_dockerenv_but_is_not_a_container(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_file(tmp_path, "/.dockerenv")
    facts = collect_container(live_machine(tmp_path))
    assert facts.in_container is False
    assert any("not a container" in e for e in facts.evidence)


def test_overlay_root_alone_is_a_container_of_unknown_runtime(tmp_path: Path) -> None:
    add_file(tmp_path, "/proc/self/mountinfo", mountinfo(mount_line("/", "overlay", "overlay", super_options="rw,lowerdir=/x")))
    facts = collect_container(live_machine(tmp_path))
    assert facts.in_container is True and facts.runtime is None


def test_host_running_containers_is_not_one(tmp_path: Path) -> None:
    """A docker host's mount table lists its containers' overlays; only / and /etc bind mounts count."""
    add_running_system(tmp_path)
    add_file(tmp_path, "/proc/self/mountinfo", mountinfo(
        mount_line("/", "ext4", "/dev/sda1"),
        mount_line("/dev", "devtmpfs", "udev"),
        mount_line("/var/lib/docker/overlay2/abc/merged", "overlay", "overlay",
                   super_options="rw,lowerdir=/var/lib/docker/overlay2/l/X"),
        mount_line("/run/docker/netns/1234", "nsfs", "nsfs", root="net:[4026532]"),
    ))
    assert collect_container(live_machine(tmp_path)).in_container is False


def test_wsl2_docker_gpu_mounts(tmp_path: Path) -> None:
    add_container_markers(tmp_path, "docker")
    text = (tmp_path / "proc/self/mountinfo").read_text()
    add_file(tmp_path, "/proc/self/mountinfo", text + mountinfo(
        mount_line("/usr/lib/wsl/drivers", "9p", "drivers"),
        mount_line("/usr/lib/wsl/lib/libcuda.so.1", "overlay", "none"),
        mount_line("/dev/dxg", "devtmpfs", "none", root="/dxg"),
    ))
    facts = collect_container(live_machine(tmp_path))
    assert facts.nvidia_mounts == ["/usr/lib/wsl/drivers", "/usr/lib/wsl/lib/libcuda.so.1", "/dev/dxg"]


def test_wsl2_itself_is_not_a_container(tmp_path: Path) -> None:
    add_wsl(tmp_path)
    assert collect_container(live_machine(tmp_path)).in_container is False


def test_image_tree_without_markers_is_unknown(tmp_path: Path) -> None:
    add_file(tmp_path, "/etc/os-release", "NAME=x\n")
    facts = collect_container(tree_machine(tmp_path, {"NVIDIA_VISIBLE_DEVICES": "void"}))
    assert isinstance(facts.in_container, Unavailable)
    assert "NVIDIA_VISIBLE_DEVICES='void' (environment)" in facts.evidence


def test_exported_container_tree_with_dockerenv(tmp_path: Path) -> None:
    add_file(tmp_path, "/.dockerenv")
    facts = collect_container(tree_machine(tmp_path))
    assert facts.in_container is True and facts.runtime == "docker"


def test_secret_looking_variable_value_is_redacted(tmp_path: Path) -> None:
    add_container_markers(tmp_path, "docker")
    facts = collect_container(live_machine(tmp_path, {"container": "docker?sig=abcdef0123456789"}))
    assert not any("abcdef0123456789" in e for e in facts.evidence)


def test_mountinfo_escapes_and_junk() -> None:
    text = (
        "36 35 98:0 /mnt1 /mnt/with\\040space rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"
        "garbage\n"
        "1 2 3 4 5 6 -\n"
        "1 2 0:1 / /x rw - tmpfs tmpfs\n"
    )
    mounts = parse_mountinfo(text)
    assert [m.mount_point for m in mounts] == ["/mnt/with space", "/x"]
    assert mounts[0].fstype == "ext3" and mounts[0].root == "/mnt1" and mounts[1].super_options == ""


@given(st.text(max_size=400))
def test_mountinfo_parser_never_raises(text: str) -> None:
    parse_mountinfo(text)


@pytest.mark.parametrize("cgroup", ["", "\x00\xff", "0::/\n", "nonsense without colons\n", "::::\n"])
def test_odd_cgroup_files_do_not_make_a_container(tmp_path: Path, cgroup: str) -> None:
    add_running_system(tmp_path)
    add_file(tmp_path, "/proc/1/cgroup", cgroup)
    add_file(tmp_path, "/proc/self/cgroup", cgroup)
    assert collect_container(live_machine(tmp_path)).in_container is False
