"""The reporter's statements read by type (explain/reported.py, knowledge/reported.toml, LOG210, LOG211, LOG102's OS ceiling).

Every sentence is written for the test from the class it stands for (varied wording, other languages where the
class does not depend on one), not copied from a report: each reader fires where the statement is asserted of now
and stays quiet on a question, a condition, advice, hearsay, a state that is over, the opposite comparison and a
healthy run's numbers.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, reported, to_report
from whygpu.knowledge.cuda import max_cuda_for_driver
from whygpu.knowledge.reported import built_gpu_rows, no_faster_cause, os_last_driver


def _causes(text: str) -> list[str]:
    return [c.code for c in to_report(explain_text(text)).causes]


NO_FASTER = [
    "Training on the GPU goes at the same speed as on the CPU.",
    "My GPU is no faster than my CPU for this model.",
    "It runs slower on the GPU than on the CPU.",
    "The CPU is actually faster than my RTX 3060 here.",
    "Inference takes the same time on the GPU as on the CPU.",
    "the throughput keeps similar both on the CPU and the GPU node",
    "The GPU is only slightly faster than the CPU.",
    "On my CPU it reaches >40k samples per second, but on my GPU it only reaches ~35k samples per second.",
    "An epoch takes 12 s on the GPU and 10 s on the CPU.",
    "The GPU run took 2 minutes, the CPU run took 90 seconds.",
    "I get no speed-up at all from the GPU.",
    "GPU utilisation stays near 0% while the CPU is at 100%.",
    "Training is CPU-bound, the GPU waits.",
    "The whole run is bottlenecked by data loading.",
    "Why is my GPU slower than my CPU?",  # a question that presupposes its content still asserts it
    "GPU比CPU还慢",
    "用GPU和CPU速度差不多",
    "GPUのほうがCPUより遅い",
    "la GPU es más lenta que la CPU",
    "Auf der GPU ist es langsamer als auf der CPU.",
    "На GPU обучение медленнее, чем на CPU.",
]
NO_FASTER_QUIET = [
    "Training on CPU is 20x slower than on GPU.",
    "The GPU is 10x faster than the CPU.",
    "Is the GPU faster than the CPU?",
    "If the GPU is slower than the CPU, check the batch size.",
    "The GPU should be faster than the CPU.",
    "I expected the GPU to be faster than the CPU.",
    "It was slower than the CPU before, now it is 10x faster after the fix.",
    "People say the GPU is no faster than the CPU for small models.",
    "GPU utilisation 98%, CPU 12%.",
    "GPU utilization is 0% when idle.",
    "The CPU version is slower.",
    "Running on the CPU is slow.",
    "2024-05-01 12:00:01 INFO GPU slower than CPU for batch 1, switching",
    "The GPU does not run slower than the CPU anymore.",
    "There is no way the CPU runs faster than the GPU on this model.",
    "On the CPU I get 3.2 it/s, on the GPU 31 it/s.",
    "An epoch takes 120 s on the CPU and 10 s on the GPU.",
    "If the GPU takes 12 s and the CPU 10 s, something is wrong.",
    "It takes more than 10s to jit compile on GPU while 0.1s on CPU.",
    "The first call is slower on the GPU than on the CPU.",
    "It isn't the same speed on the CPU and the GPU, the GPU wins by far.",
]


@pytest.mark.parametrize("line", NO_FASTER)
def test_the_gpu_said_no_faster_than_the_cpu_is_read(line: str) -> None:
    assert reported.no_faster(line) is not None


@pytest.mark.parametrize("line", NO_FASTER_QUIET)
def test_the_opposite_comparison_questions_conditions_and_healthy_numbers_stay_quiet(line: str) -> None:
    assert reported.no_faster(line) is None


def test_no_faster_names_an_idle_gpu_and_for_a_program_built_at_install_its_cpu_build() -> None:
    assert _causes("Training on the GPU goes at the same speed as on the CPU.")[:1] == ["GPU_UNDERUSED"]
    assert _causes("I use dlib's cnn face detector and the GPU server is no faster than my laptop's CPU.")[:1] == ["FRAMEWORK_CPU_BUILD"]
    assert _causes("import face_recognition\nWith model='cnn' detection runs at the same speed on the CPU and the GPU.")[:1] == ["FRAMEWORK_CPU_BUILD"]
    # quiet: the opposite comparison, and a question about it
    assert _causes("Training on CPU is 20x slower than on GPU.") == []
    assert _causes("Is dlib faster on the GPU than on the CPU?") == []


def test_a_gpu_said_unused_is_not_also_called_idle() -> None:
    causes = _causes("torch.cuda.is_available() returns False and training is no faster on the GPU box than on my CPU laptop.")
    assert "GPU_UNDERUSED" not in causes


def test_the_program_table_has_a_source_and_decides_in_one_function() -> None:
    rows = built_gpu_rows()
    assert {r.program for r in rows} >= {"dlib", "face_recognition"}
    assert all(r.source.startswith("http") and r.reasoning for r in rows)
    assert no_faster_cause("import dlib") == "FRAMEWORK_CPU_BUILD"
    assert no_faster_cause("import torch") == "GPU_UNDERUSED"


@pytest.mark.parametrize("line", [
    "I don't have any NVIDIA hardware.",
    "We do not have an NVIDIA card, only the CPU.",
    "I have no CUDA-capable device at all.",
])
def test_no_nvidia_hardware_stated_names_no_gpu(line: str) -> None:
    assert reported.no_nvidia(line) is not None
    assert _causes(line)[:1] == ["NO_GPU"]


@pytest.mark.parametrize("line", [
    "I don't have any NVIDIA hardware to test this on.",
    "If you don't have any NVIDIA hardware, use the CPU build.",
    "Do you have an NVIDIA card?",
])
def test_no_nvidia_hardware_quiet(line: str) -> None:
    assert reported.no_nvidia(line) is None


@pytest.mark.parametrize("line", [
    "My accelerator is a Hygon DCU, does nnUNet need an NVIDIA GPU?",
    "We run on Huawei Ascend 910B cards and torch sees no cuda device.",
    "My server has Cambricon MLU370 boards.",
])
def test_a_non_nvidia_accelerator_of_the_reporter_names_gpu_not_supported(line: str) -> None:
    assert reported.accelerator(line) is not None
    assert _causes(line)[:1] == ["GPU_NOT_SUPPORTED"]


@pytest.mark.parametrize("line", [
    "Does this project support Ascend NPUs?",
    "If you have a DCU, use the DTK build.",
    "The Ascend port is tracked in another issue.",
])
def test_an_accelerator_asked_about_or_not_the_reporters_stays_quiet(line: str) -> None:
    assert reported.accelerator(line) is None


def test_intel_integrated_graphics_outranks_a_docker_driver_message() -> None:
    docker = 'docker: Error response from daemon: could not select device driver "" with capabilities: [[gpu]].\n'
    assert _causes(docker + "Graphics Mesa Intel® Xe Graphics (TGL GT2)")[:1] == ["NO_GPU"]
    assert _causes(docker + "My laptop only has Intel® UHD Graphics 620.")[:1] == ["NO_GPU"]
    # quiet: the same docker message without any hardware statement stays the container's
    assert _causes(docker)[:1] == ["CONTAINER_NO_GPU"]


def test_apple_silicon_of_the_reporter_is_a_mac_but_not_beside_an_nvidia_pc() -> None:
    assert reported.apple_silicon("I am on an M2 MacBook Air.") is not None
    assert reported.apple_silicon("I have tried this on my M1 Mac but also on my PC with a GeForce GTX 1060") is None
    assert reported.apple_silicon("Does it work on an M1 Mac?") is None


def test_an_old_windows_is_judged_by_its_last_driver() -> None:
    last = os_last_driver("Windows 7")
    assert last is not None and last[1].startswith("http")
    assert max_cuda_for_driver(last[0], "windows", minor_compat=False) == "11.4"
    assert os_last_driver("windows 10") is None
    assert reported.old_windows("I have a GTX 1080 Ti and I use Windows 7.") is not None
    assert reported.old_windows("- OS Platform and Distribution: Windows 8.1 x64") is not None
    assert reported.old_windows("Does it still work on Windows 7?") is None
    assert reported.old_windows("It ran fine for 7 days on Windows 10.") is None
    log = "I use Windows 7 with a GTX 1080 Ti.\ntorch 2.1.0+cu121\n>>> torch.cuda.is_available()\nFalse"
    assert _causes(log)[:1] == ["DRIVER_TOO_OLD"]
    assert any(f.id == "LOG102" for f in explain_text(log).findings)
    # quiet: the same on Windows 10 names no driver ceiling; a CUDA 11 build runs on the Windows 7 driver
    assert not any(f.id == "LOG102" for f in explain_text(log.replace("Windows 7", "Windows 10")).findings)
    assert not any(f.id == "LOG102" for f in explain_text(log.replace("cu121", "cu118")).findings)


@pytest.mark.parametrize(("line", "fact"), [
    ("My CUDA driver version is 10.1.", ("driver_cuda", "10.1")),
    ("The MacBook Pro has CUDA driver 9.0.197 installed.", ("driver_cuda", "9.0")),
    ("and my CUDA driver is 570", ("driver_version", "570")),
    ("my driver supports up to CUDA 11.4", ("driver_cuda", "11.4")),
    ("- CUDA driver: 12.2", ("driver_cuda", "12.2")),
])
def test_a_driver_the_reporter_names_is_a_fact(line: str, fact: tuple[str, str]) -> None:
    assert fact in [(name, value) for name, value, _ in reported.driver_said(line)]


@pytest.mark.parametrize("line", [
    "Does nnUnet still work with CUDA Driver 10.1?",
    "If your CUDA driver is 10.1, install torch 1.7.",
    "You need a driver that supports CUDA 12.1.",
    "CUDA driver version is insufficient for CUDA runtime version",
    "  CUDA Driver Version / Runtime Version          11.4 / 11.2",
])
def test_a_driver_asked_about_advised_or_a_programs_message_is_no_statement(line: str) -> None:
    assert reported.driver_said(line) == []


def test_a_stated_driver_is_judged_against_the_build_by_the_knowledge_layer() -> None:
    log = "My CUDA driver version is 10.1.\ntorch 1.8.0+cu111\n>>> torch.cuda.is_available()\nFalse"
    assert any(f.id == "LOG102" for f in explain_text(log).findings)
    assert _causes(log)[:1] == ["DRIVER_TOO_OLD"]
    # quiet: the same driver with a build it runs, and the driver only asked about
    assert not any(f.id == "LOG102" for f in explain_text(log.replace("cu111", "cu101")).findings)
    assert not any(f.id == "LOG102" for f in explain_text(log.replace("My CUDA driver version is 10.1.", "Is CUDA driver 10.1 enough?")).findings)


def test_a_mac_whose_cuda_driver_is_named_has_an_nvidia_gpu() -> None:
    found_no_driver = "AssertionError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver"
    log = "/Users/me/anaconda/lib/python3.6/site-packages/torch/cuda/__init__.py\nMy MacBook Pro has CUDA driver 9.0.197 installed.\n" + found_no_driver
    assert not any(f.id == "LOG106" for f in explain_text(log).findings)
    # quiet: the same Mac log without the driver named is still a Mac without CUDA
    assert any(f.id == "LOG106" for f in explain_text(log.replace("My MacBook Pro has CUDA driver 9.0.197 installed.\n", "")).findings)


@pytest.mark.parametrize("line", [
    "When I run this on CPU, I don't run into any memory issues.",
    "but when running on CPU",
    "If we train it on the CPU it works fine.",
    "Whenever I force it onto the CPU, the numbers match.",
])
def test_a_run_on_the_cpu_that_sets_the_scene_is_no_gpu_unused(line: str) -> None:
    from whygpu.explain.statements import unused

    assert unused(line) is None
    assert _causes(line) == []


@pytest.mark.parametrize("line", [
    "When I run it, it runs on the CPU.",
    "When I run it the GPU isn't used.",
    "whenever I start training it runs on CPU",
])
def test_the_main_clause_after_a_time_clause_is_still_read(line: str) -> None:
    from whygpu.explain.statements import unused

    assert unused(line) is not None


def test_a_code_comment_labels_the_code_it_is_not_the_gpu_unused() -> None:
    from whygpu.explain.statements import unused

    assert unused("# running on CPU") is None
    assert unused("// runs on the CPU for the comparison") is None
    # quiet: the same words as the reporter's prose, and a Markdown heading, are still read
    assert unused("It is running on CPU.") is not None
    assert unused("# Training runs on the CPU instead of the GPU") is not None
    log = "import jax\n# running on CPU\njax.config.update('jax_platform_name', 'cpu')\nprint(jnp.einsum('ij,jk', a, b))"
    assert _causes(log) == []
