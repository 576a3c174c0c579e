"""accutil40 (session 40): the writer's account of the GPU's state, utilisation and presence.

- A state that goes on, said with an aspectual verb ("the GPU utility stays to be 0"), is reported, not wished
  (grammar.raised_to).
- The writer's zero beside their words that the run holds GPU memory of no stated amount ("the code takes up some memory of
  the GPU"): the run's context is on the GPU and it runs no kernel (knowledge.utilisation.decide, Reading.memory_taken).
- The run as the subject of its share ("the model was running with less than 10% GPU usage") ties the share to the work.
- The GPU's share said short of full as the complaint ("GPU utilization is not 100%").
- A guest the writer runs in with no access to the host's GPU, and an error said to come when running on CPU machines:
  the machine has no GPU (LOG260 over a cuInit or JAX no-device line).
- Quiet: a served model's response said as slow as on the CPU (request latency, LOG210's limit); work said to run on the CPU
  on one core (a single-threaded Python step, not the framework on the CPU).

Real lines carry the public thread they come from.
"""

from __future__ import annotations

import pytest
from tests.log_text import codes, finding_codes, first_cause

from whygpu.explain import reported, statements, utilread, works
from whygpu.knowledge.utilisation import GPU, UNDERUSED, decide


def _kinds(text: str) -> str:
    return decide([r for r, _ in utilread.said(text)]).kind


# --- the zero said with an aspectual verb, beside the run's memory ------------------------------------------------
def test_stays_to_be_zero_is_a_report() -> None:
    readings = [r for r, _ in utilread.said("After a few steps the GPU utilization stays to be 0 on my machine.")]
    assert any(r.subject == GPU and r.high == 0 for r in readings)


def test_a_wish_to_be_zero_is_not() -> None:
    assert not [r for r, _ in utilread.said("I want the GPU utilization to be 0 when the job is idle.") if r.subject == GPU]


@pytest.mark.parametrize("line", [
    "Even though the script takes up some memory of the GPU, the GPU utilization stays at 0.",
    "GPU memory is allocated, but GPU-Util is 0%.",
])
def test_zero_beside_memory_held_is_underuse(line: str) -> None:
    assert _kinds(line) == UNDERUSED


@pytest.mark.parametrize("line", [
    "No GPU memory is allocated and GPU-Util is 0%.",  # no context of the run: not a GPU waiting
    "GPU-Util is 0%.",  # a zero alone, no memory said held
    # https://github.com/ZJULearning/pixel_link/issues/135 (a corpus negative: memory said "normal", an expectation, not held)
    "I tried to train and test using train.sh and test.sh, my gpu memory usage seems normal, but the volatile gpu util is always 0%.",
])
def test_zero_without_memory_held_is_not(line: str) -> None:
    assert _kinds(line) != UNDERUSED


def test_zero_beside_memory_but_model_on_cpu_is_not_underuse() -> None:
    # https://github.com/Lightning-AI/pytorch-lightning/issues/3355 (the model stayed on the CPU: CODE_FORCES_CPU)
    text = ("I used gpus option, but strangely my model is still running on CPU. `print(self.device) -> \"cpu.\"`\n"
            "**[GPU memory used, but GPU utility is zero]**\n")
    assert "GPU_UNDERUSED" not in codes(text)


# --- the run as the subject of its share ---------------------------------------------------------------------------
def test_run_as_subject_ties_the_share() -> None:
    assert _kinds("The training script was running with about 5% GPU usage.") == UNDERUSED


def test_share_said_bare_is_not_tied() -> None:
    assert _kinds("My GPU usage is about 5%.") != UNDERUSED


# --- the share said short of full -----------------------------------------------------------------------------------
@pytest.mark.parametrize("line", ["GPU utilization is not 100%.", "The GPU usage never reaches 100% during training."])
def test_short_of_full_is_underuse(line: str) -> None:
    assert statements.underused(line) is not None


@pytest.mark.parametrize("line", ["Is GPU utilization not 100% on your side?", "If GPU utilization is not 100%, raise the batch size."])
def test_short_of_full_asked_or_supposed_is_not(line: str) -> None:
    assert statements.underused(line) is None


# --- the machine without a GPU ------------------------------------------------------------------------------------------
def test_guest_without_host_gpu_is_no_gpu() -> None:
    text = ("I'm running inside a VM and so it doesn't have any access to the host GPU.\n"
            "E tensorflow/stream_executor/cuda/cuda_driver.cc:318] failed call to cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected\n")
    assert first_cause(text) == "NO_GPU"


@pytest.mark.parametrize("line", [
    "Does the VM have access to the host GPU?",  # asked
    "The host GPU works, and the VM has access to the host GPU through passthrough.",  # has it
])
def test_guest_words_quiet(line: str) -> None:
    assert statements.no_gpu(line) is None


def test_error_when_running_on_cpus_is_no_gpu() -> None:
    text = ("After the update it gives the following error when running on cpus:\n"
            "RuntimeError: Unable to initialize backend 'cuda': FAILED_PRECONDITION: No visible GPU devices.\n")
    assert first_cause(text) == "NO_GPU"


def test_running_on_the_cpu_is_not_a_cpu_machine() -> None:
    text = ("It runs on the CPU instead of the GPU.\n"
            "RuntimeError: Unable to initialize backend 'cuda': FAILED_PRECONDITION: No visible GPU devices.\n")
    assert first_cause(text) != "NO_GPU"


# --- quiet readings ------------------------------------------------------------------------------------------------------
def test_served_response_as_slow_as_cpu_is_quiet() -> None:
    text = ("GPU as slow as CPU\n\nI checked that the GPU is occupied and consumes GPU memory, "
            "but why the response is as slow as CPU serving.\n")
    assert reported.served_latency(text.splitlines()[2]) is not None
    assert codes(text) == []


def test_training_as_slow_as_cpu_still_read() -> None:
    assert "LOG210" in finding_codes("Training on the GPU is as slow as on the CPU.\n")


def test_one_core_is_not_the_framework_on_the_cpu() -> None:
    line = "It seems to ignore the GTX1080 (although it is available to tensorflow) and run on the CPU, on a single core."
    assert works.one_core(line, "run on the CPU")
    assert not works.one_core("It ignores the GTX1080 and runs on the CPU.", "runs on the CPU")


# --- the GPU's work said to come and go --------------------------------------------------------------------------------
@pytest.mark.parametrize("line", [
    # https://github.com/MIC-DKFZ/nnUNet/issues/1884 (CPU or I/O bound data loading: GPU_UNDERUSED)
    "the training of 4 12G 1080ti was normal, but the utilization of GPU would intermittently all be 0.",
    "The GPU is working intermittently: it works for a while, then waits, then works again.",
])
def test_work_in_bursts_is_underuse(line: str) -> None:
    assert statements.underused(line) is not None


@pytest.mark.parametrize("line", [
    "The GPU intermittently falls off the bus.",  # a fault, not a share of time
    "Is the GPU working intermittently?",  # asked
])
def test_intermittent_fault_or_question_is_not(line: str) -> None:
    assert statements.underused(line) is None


def test_seeming_with_a_monitor_named_is_a_reading() -> None:
    # After https://github.com/MIC-DKFZ/nnUNet/issues/1842's wording: the impression is of what nvidia-smi showed.
    text = "Watching nvidia-smi, it seems that the GPU is working intermittently, then it works again.\n"
    assert "GPU_UNDERUSED" in codes(text)
    assert "GPU_UNDERUSED" not in codes("It seems that the GPU is working intermittently.\n")
