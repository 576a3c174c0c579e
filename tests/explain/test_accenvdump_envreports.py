"""accenvdump (session 37): a program's environment report and the machine's GPUs read together (explain/envdumprules.py,
explain/slowsaid.py, fastai's show_install fields in explain/logfacts.py, knowledge.cuda.cuda_predates_compute_capability)."""

from __future__ import annotations

from tests.log_text import facts, finding_codes, first_cause

from whygpu.explain.slowsaid import cuda_call_failed, slow_run
from whygpu.knowledge.cuda import cuda_predates_compute_capability

# fastai's show_install report (https://github.com/fastai/fastai/issues/1566)
FASTAI_REPORT = """RuntimeError: cuda runtime error (11) : invalid argument at THCGeneral.cpp:405
=== Software ===
python version  : 3.7.0
fastai version  : 1.0.36
torch version   : 1.0.0
nvidia driver   : 415.25
torch cuda ver  : 9.0.176
torch cuda is   : available
torch cudnn ver : 7401
torch cudnn is  : enabled

=== Hardware ===
nvidia gpus     : 1
torch available : 1
  - gpu0        : 7949MB | GeForce RTX 2080
"""

# (https://github.com/chenfei-wu/TaskMatrix/issues/341)
MAC_RADEON = """Mi MAC

Graphics: Radeon Pro 560X 4 GB
Intel UHD Graphics 630 1536 MB

I started with the CPU option but it is very very slow it takes 10 minutes or more to give me an image"""


def test_fastai_report_fields_read_as_torch_facts() -> None:
    f = facts(FASTAI_REPORT)
    assert [s.value for s in f.build_cuda["torch"]] == ["9.0"]
    assert [s.value for s in f.gpu_answer["torch"]] == [True]
    assert [s.value for s in f.driver_version] == ["415.25"]
    newer = facts("torch cuda      : 10.0.130 / is available\n")
    assert [s.value for s in newer.build_cuda["torch"]] == ["10.0"]
    assert [s.value for s in newer.gpu_answer["torch"]] == [True]
    cpu = facts("torch cuda ver  : None\ntorch cuda is   : Not available\n")
    assert [s.value for s in cpu.cuda_build["torch"]] == [False]
    assert [s.value for s in cpu.gpu_answer["torch"]] == [False]
    assert "torch" not in cpu.build_cuda


def test_cuda_predates_compute_capability() -> None:
    assert cuda_predates_compute_capability("9.0", "7.5") == "10.0"
    assert cuda_predates_compute_capability("10.0", "7.5") is None
    assert cuda_predates_compute_capability("11.0", "8.6") == "11.1"
    assert cuda_predates_compute_capability("12.4", "8.9") is None
    assert cuda_predates_compute_capability("None", "7.5") is None


def test_build_cuda_predates_turing_with_a_failed_call() -> None:
    assert first_cause(FASTAI_REPORT) == "GPU_NOT_SUPPORTED"
    assert "LOG736" in finding_codes(FASTAI_REPORT)


def test_build_cuda_predates_quiet_without_failure_or_when_it_knows_the_gpu() -> None:
    no_failure = FASTAI_REPORT.split("\n", 1)[1]
    assert "LOG736" not in finding_codes(no_failure)
    cuda10 = FASTAI_REPORT.replace("9.0.176", "10.0.130")
    assert "LOG736" not in finding_codes(cuda10)


def test_writers_cuda_needs_exactly_one_release() -> None:
    one = "I use pytorch 1.0.1 with CUDA 9.0 on a GeForce RTX 2080 Ti.\nRuntimeError: CUDA error: invalid argument"
    assert "LOG736" in finding_codes(one)
    two = one + "\nMoreover, if I upgrade cuda 9.0 to cuda 10.0, the error disappears."
    assert "LOG736" not in finding_codes(two)


def test_slow_run_words() -> None:
    assert slow_run("It is running for more than 30 minutes on my MacBookPro")
    assert slow_run("it has been about 9 hours for the training")
    assert slow_run("I see the CPUs are fully utilized and the GPU usage remains insignificant")
    assert slow_run("training is awfully slow")
    assert slow_run("it is not slow at all") is None
    assert slow_run("Is training slow for you?") is None
    assert slow_run("If training is slow, use a GPU") is None
    assert slow_run("It takes a few minutes") is None


def test_cuda_call_failed_words() -> None:
    assert cuda_call_failed("RuntimeError: cuda runtime error (11) : invalid argument at THCGeneral.cpp:405")
    assert cuda_call_failed("RuntimeError: cublas runtime error : the GPU program failed to execute at THCBlas.cu:41")
    assert cuda_call_failed("CUDA is available") is None


def test_non_nvidia_gpus_beside_a_slow_run() -> None:
    assert first_cause(MAC_RADEON) == "GPU_NOT_SUPPORTED"
    assert "LOG735" in finding_codes(MAC_RADEON)
    intel = "My Laptop has Intel(R) UHD Graphics 620! Training is so slow, it takes forever."
    assert first_cause(intel) == "NO_GPU"
    assert "LOG735" in finding_codes(intel)


def test_non_nvidia_gpus_quiet_beside_an_nvidia_card_or_without_slowness() -> None:
    # (https://github.com/CyberTimon/RapidRAW/issues/254: an AMD CPU's onboard graphics beside an NVIDIA card)
    hybrid = ("CPU: AMD Ryzen 9 5900HS with Radeon Graphics (Integrated)\nDiscrete GPU: NVIDIA GeForce RTX 3060 Laptop GPU\n"
              "Training is very slow.")
    assert "LOG735" not in finding_codes(hybrid)
    assert "LOG735" not in finding_codes("Graphics: Radeon Pro 560X 4 GB\nThe model trains fine.")
    assert "LOG735" not in finding_codes("Training is very slow on my machine.")
