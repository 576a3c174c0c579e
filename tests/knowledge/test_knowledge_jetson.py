"""accjet (session 31): the Jetson platform's knowledge (knowledge/jetson.toml, knowledge/jetson.py)."""

from __future__ import annotations

import pytest

from whygpu.knowledge.jetson import (
    container_newer_than_host,
    jetpack_major,
    jetson_launcher,
    jetson_marker,
    l4t_releases,
    release_of,
    sbsa_line,
    tegra_build,
)


@pytest.mark.parametrize("text", [
    "Model: NVIDIA Jetson Xavier NX Developer Kit",
    "Linux orin 5.15.136-tegra #1 SMP PREEMPT aarch64 GNU/Linux",
    "Python platform: Linux-4.9.253-tegra-aarch64-with-glibc2.17",
    "# R35 (release), REVISION: 4.1, GCID: 33958178, BOARD: t186ref, EABI: aarch64",
    "RAM 2110/3964MB (lfb 4x4MB) SWAP 0/1982MB CPU [12%@1479,8%@1479] EMC_FREQ 0% GR3D_FREQ 0% PLL@33C",
    "|   0  Orin (nvgpu)                  N/A  | N/A              N/A |                  N/A |",
    "FROM nvcr.io/nvidia/l4t-pytorch:r35.2.1-pth2.0-py3",
    "sudo apt show nvidia-jetpack",
    "L4T_VERSION 36.4.0",
    "name: NVIDIA Tegra X1 computeCapability: 5.3",
])
def test_a_jetson_sign_is_read(text: str) -> None:
    assert jetson_marker(text) is not None


@pytest.mark.parametrize("text", [
    "Linux box 6.5.0-14-generic #14~22.04.1-Ubuntu SMP x86_64 GNU/Linux",
    "aarch64 Graviton3 instance, pip install torch",
    "GPU 0: NVIDIA GH200 480GB",
    "Orin is a name we use for our cluster",  # the module's name alone, not nvidia-smi's "(nvgpu)" row
    "integrated graphics on my laptop",
])
def test_no_jetson_sign_elsewhere(text: str) -> None:
    assert jetson_marker(text) is None


def test_releases_are_read_apart_for_host_and_image() -> None:
    assert l4t_releases("docker run --runtime nvidia -it dustynv/ros:humble-r36.2.0 bash") == [("image", "L4T 36.2.0")]
    assert l4t_releases("docker run --gpus all myorg/app:v2.32.1") == []  # a tag that is not an L4T release
    assert l4t_releases("docker run --runtime nvidia nvcr.io/nvidia/l4t-base:r32.7.1") == [("image", "L4T 32.7.1")]
    assert ("host", "L4T 35.4.1") in l4t_releases(" - Jetpack 5.1.2 [L4T 35.4.1]")
    assert ("host", "JetPack 5.1.2") in l4t_releases(" - Jetpack 5.1.2 [L4T 35.4.1]")
    assert l4t_releases("# R32 (release), REVISION: 7.1, GCID: 29818004") == [("host", "L4T 32.7.1")]
    assert ("image", "L4T 36.2") in l4t_releases("I pulled an r36.2 container on the board")
    assert ("host", "L4T 32.7") in l4t_releases("the board is on r32.7")


def test_container_newer_than_host_decides_by_the_jetpack_line() -> None:
    assert container_newer_than_host(["L4T 32.7.1"], ["L4T 35.2.1"]) == ("L4T 35.2.1", "L4T 32.7.1")
    assert container_newer_than_host(["JetPack 4.6"], ["L4T 36.2.0"]) == ("L4T 36.2.0", "JetPack 4.6")
    # the same line, an older image, or a host release as new as the image's named too: undecided
    assert container_newer_than_host(["L4T 35.4.1"], ["L4T 35.2.1"]) is None
    assert container_newer_than_host(["L4T 36.3"], ["L4T 32.7.1"]) is None
    assert container_newer_than_host(["L4T 32.7.1", "L4T 36.3"], ["L4T 36.2"]) is None
    assert container_newer_than_host([], ["L4T 36.2"]) is None


def test_release_rows_and_lines() -> None:
    row = release_of(l4t="35.4.1")
    assert row is not None and row.jetpack == "5.1.2" and row.cuda == "11.4"
    assert release_of(jetpack="4.6.1") is not None and release_of(jetpack="4.6.1").l4t == "32.7.1"  # type: ignore[union-attr]
    assert release_of(l4t="99.1") is None
    assert jetpack_major("L4T 34.1") == 5 and jetpack_major("L4T 32.4.4") == 4 and jetpack_major("JetPack 6.1") == 6
    assert jetpack_major("L4T 21.5") is None
    assert sbsa_line("L4T 38.2") and not sbsa_line("L4T 36.4")


@pytest.mark.parametrize(("framework", "text", "tegra"), [
    ("torch", "torch 2.1.0a0+41361538.nv23.06", True),
    ("torch", "pip install torch --index-url https://download.pytorch.org/whl/cu124", False),
    ("torch", "torch==2.3.1+cu121", False),
    ("torch", "2.7.1+cpu", False),
    ("tensorflow", "tensorflow 2.12.0+nv23.06", True),
    ("torch", "torch 2.5.0", None),  # a plain version does not say whose build it is
])
def test_tegra_build(framework: str, text: str, tegra: bool | None) -> None:
    got = tegra_build(framework, text)
    assert (got[0] if got else None) is tegra


def test_launchers_that_pass_the_runtime() -> None:
    assert jetson_launcher("$ docker/run.sh --volume /data") == "docker/run.sh"
    assert jetson_launcher("jetson-containers run $(autotag l4t-pytorch)") is not None
    assert jetson_launcher("docker run -it myimage") is None


def test_the_run_is_on_the_jetson_unless_a_discrete_card_is_named() -> None:
    from whygpu.knowledge.jetson import runs_on_jetson

    assert runs_on_jetson(["Jetson AGX Orin"], ["Orin"])
    assert runs_on_jetson(["L4T"], [])
    assert not runs_on_jetson(["Jetson Nano"], ["RTX 3090"])
    assert not runs_on_jetson([], [])
