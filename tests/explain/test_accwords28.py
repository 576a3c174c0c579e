"""accwords (session 28): what the writer and the program say in words, read at the right depth.

Each line below is written from the form a program prints or a writer uses (its source or documentation named beside the
reading in src/), not pasted from a corpus log.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report
from whygpu.explain.errorwords import read_line
from whygpu.explain.ownanswer import cpu_notice
from whygpu.explain.statements import machine_resumed, underused, version_said_installed


def _codes(text: str) -> list[str]:
    return [c.code for c in to_report(explain_text(text)).causes]


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- 1. a program's short notice of the device it chose ---------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Using CPU",
    "WARNING: Using CPU",
    ">>>> using CPU",
    "Using device: cpu",
    "Using cpu device",              # stable-baselines3's BaseAlgorithm: f"Using {self.device} device"
    "Running on CPU...",
    "Selected device: cpu",
    "[tts] Using the CPU, this will be slow",
    "CUDA not available, using CPU",
    "No GPU found; using the CPU instead.",
    "No CUDA device found, falling back to CPU.",
    "It prints 'Using CPU' and nothing else.",
    "I get the readout `Using CPU`.",
    'The log says "Running on CPU."',
])
def test_a_programs_short_device_notice_is_read(line: str) -> None:
    assert cpu_notice(line) is not None, line


@pytest.mark.parametrize("line", [
    "Using CPU works fine.",                        # a gerund subject: the writer's comparison
    "Using CPU is slow",
    "I'm using CPU",                                # the writer's own setup
    "Using CPU to create model",                    # one step of the work
    "print('Using CPU')",                           # code that prints it
    "If it prints 'Using CPU', reinstall torch.",   # a condition
    "Does it print 'Using CPU'?",                   # a question
    "After the update, using CPU is fine",          # no no-GPU clause before the comma
    "Using CPU: Intel i7-9700",                     # a label of the machine's CPU
    "- Running on CPU: 20 s/it",                    # a row of a comparison
    "Using CPU or GPU, it is the same",
    "Running on CPU and GPU",
    "Using CPU cores: 8",
    "Using device: cuda:0",
])
def test_other_uses_of_the_words_are_no_notice(line: str) -> None:
    assert cpu_notice(line) is None, line


def test_the_notice_is_the_frameworks_no_gpu_answer_ranked_by_log104() -> None:
    text = "2024-05-01 10:00:00 INFO Loading model\nUsing device: cpu\n"
    assert "LOG104" in _ids(text)
    # The same words in the writer's comparison say nothing of this run.
    assert "LOG104" not in _ids("Using CPU works fine, but CUDA gives NaNs.\n")


def test_an_idle_gpu_beside_the_programs_cpu_notice_is_no_underuse() -> None:
    text = "The GPU stays idle the whole time.\nUsing CPU\n"
    assert "LOG109" not in _ids(text)
    assert "GPU_UNDERUSED" not in _codes(text)
    # Without the notice, a GPU that stays idle while training is used but idle.
    assert "LOG109" in _ids("Training runs, but the GPU sits mostly idle between batches.\n")


# --- 2. the older forms of low use are held to the assertion test ------------------------------------------------------

@pytest.mark.parametrize("line", [
    "If the GPU is idle, raise num_workers.",
    "When GPU usage is low, increase the batch size.",
    "Is the GPU usage low for you?",
    "You should check whether GPU util is low.",
])
def test_low_use_supposed_asked_or_advised_is_not_read(line: str) -> None:
    assert underused(line) is None, line


@pytest.mark.parametrize("line", [
    "The GPU is idle most of the time.",
    "GPU usage is low during training.",
    "Why is GPU usage so low?",          # a question that presupposes it
    "I see low GPU util.",
])
def test_low_use_asserted_is_read(line: str) -> None:
    assert underused(line) is not None, line


# --- 3. a version given as a floor is a requirement -------------------------------------------------------------------

@pytest.mark.parametrize(("line", "version", "installed"), [
    ("Also, if you are using a build with CuDNN 7.0 or later version, make sure it matches.", "7.0", False),
    ("Requires CUDA 11.8+ and a recent driver", "11.8", False),
    ("the project supports cuDNN 8.6 and above", "8.6", False),
    ("you need at least cuDNN 8.1", "8.1", False),
    ("cuDNN 8.1 is installed", "8.1", True),
    ("I run it with CUDA Toolkit 9.0 + cuDNN v7.0.5", "9.0", True),   # "+" between two releases joins them
    ("upgraded torch 2.0 -> CUDA 11.8 installed", "11.8", True),      # an arrow is no floor
    ("CUDA 11.8", "11.8", True),
])
def test_a_floor_is_no_installed_release(line: str, version: str, installed: bool) -> None:
    start = line.index(version)
    assert version_said_installed(line, start, start + len(version)) is installed


def test_tensorflows_cudnn_floor_is_not_read_as_the_installed_cudnn() -> None:
    result = explain_text("Loaded runtime CuDNN library: 8.0.5 but source was compiled with: 8.1.0.  CuDNN library needs to have matching "
                          "major version and equal or higher minor version. If using a binary install, upgrade your CuDNN library. "
                          "If building from sources, make sure the library loaded at runtime is compatible with the version specified "
                          "during compile configuration.\nin case of CuDNN 7.0 or later version\n")
    assert not any("7.0" in s for s in result.details["log_facts"].get("cudnn_installed", []))


# --- 4. a program's plain no-GPU notice with its CPU fallback is no hidden GPU ------------------------------------------

@pytest.mark.parametrize("line", [
    "WARNING: No GPU detected, will be using CPU",
    "2024-01-01 12:00:00 WARNING mytool: No NVIDIA GPU detected, using CPU",
    "WARNING: No CUDA device found, falling back to CPU.",
])
def test_a_no_gpu_notice_with_its_fallback_is_the_frameworks_answer(line: str) -> None:
    assert read_line(line) is None
    codes = _codes(line + "\n")
    assert codes and codes[0] != "GPU_HIDDEN"
    assert "LOG104" in _ids(line + "\n")


def test_a_no_device_error_without_a_fallback_stays_log185s() -> None:
    line = "ERROR: no GPU detected by the runtime"
    reading = read_line(line)
    assert reading is not None and reading.pair.cause == "GPU_HIDDEN"


# --- 6. cuInit's CUDA_ERROR_UNKNOWN: the context decides, else the count ----------------------------------------------

_CUINIT = "E external/xla/xla/stream_executor/cuda/cuda_driver.cc:282] failed call to cuInit: CUDA_ERROR_UNKNOWN: unknown error\n"


def test_cuinit_unknown_with_no_context_ranks_the_missing_module_first() -> None:
    assert _codes(_CUINIT)[:3] == ["DRIVER_MISSING", "DRIVER_MISMATCH", "GPU_FAULT"]


def test_cuinit_unknown_after_a_suspend_is_the_fault() -> None:
    assert _codes("After resuming the laptop from suspend I get this:\n" + _CUINIT)[0] == "GPU_FAULT"
    # A training run resumed from its checkpoint is no suspended machine.
    assert _codes("Resuming training from checkpoint 12\n" + _CUINIT)[0] == "DRIVER_MISSING"


@pytest.mark.parametrize(("line", "said"), [
    ("my GPU works until I put the computer to sleep", True),
    ("Cuda error with jax after suspending linux systems", True),
    ("after suspend/resume CUDA fails", True),
    ("When the laptop wakes up from sleep, cuInit fails", True),
    ("Resuming training from checkpoint", False),
    ("Should I avoid suspending?", False),
    ("You should not suspend the machine.", False),
    ("time.sleep(10) after each step", False),
])
def test_the_machine_resumed_in_words(line: str, said: bool) -> None:
    assert (machine_resumed(line) is not None) is said


# --- 5a. the framework's own check found the GPU, the work said to run on the CPU: the program's placement ------------

_ENV = "PyTorch version: 2.1.0\nIs CUDA available (PyTorch): Yes\nIs CUDA available (TensorFlow): N/A\nGPU models and configuration: GPU 0: NVIDIA A10\n"


def test_a_gpu_found_by_the_frameworks_check_and_work_on_the_cpu_is_the_codes_placement() -> None:
    text = "Inference always runs on the CPU, not the GPU.\n" + _ENV
    codes = _codes(text)
    assert codes[0] == "CODE_FORCES_CPU"
    assert "FRAMEWORK_CPU_BUILD" not in codes[:1]
    # collect_env's own form answers the same way.
    assert _codes("Training is on the CPU instead of the GPU.\nIs CUDA available: True\n")[0] == "CODE_FORCES_CPU"


def test_the_placement_reading_stays_quiet_where_a_setting_hides_devices_or_the_check_failed() -> None:
    # The check said no GPU: the framework's answer, ranked by LOG104's table.
    assert _codes("Inference always runs on the CPU, not the GPU.\nIs CUDA available (PyTorch): No\n")[0] != "CODE_FORCES_CPU"
    # A setting that hides devices is what the log shows (GPU_HIDDEN's reading), not the program's placement.
    hidden = "export CUDA_VISIBLE_DEVICES=3\nInference always runs on the CPU, not the GPU.\nIs CUDA available: True\n"
    assert not any("own check found the GPU" in f.title for f in explain_text(hidden).findings)
    # The writer names another framework than the one that answered.
    other = "TensorFlow training runs on the CPU, not the GPU.\nIs CUDA available (PyTorch): Yes\n"
    assert not any("own check found the GPU" in f.title for f in explain_text(other).findings)


@pytest.mark.parametrize(("line", "read"), [
    ("the workload always on cpu, not gpu", True),
    ("Training runs on the CPU instead of the GPU.", True),
    ("inference is on CPU rather than GPU", True),
    ("Should the workload be on CPU, not GPU?", False),
    ("The bug reproduces on CPU, not GPU.", False),  # where a bug reproduces, not where the work runs
])
def test_the_work_placed_on_the_cpu_against_the_gpu(line: str, read: bool) -> None:
    from whygpu.explain.statements import unused
    assert (unused(line) is not None) is read


# --- 5b. the CPU's use rising while the GPU's does not, in the reference corpus's languages ------------------------------

@pytest.mark.parametrize("line", [
    "CPU usage goes up but GPU usage doesn't.",
    "The CPU spikes to 100% while the GPU stays at 0%.",
    "CPU load increases, but not the GPU.",
    "运行的时候CPU占用上升，但是GPU没有变化。",
    "CPU 사용량은 올라가는데 GPU는 그대로입니다.",
    "CPU使用率は上がるがGPUは上がらない",
    "Загрузка CPU растёт, а GPU нет.",
    "La CPU sube pero la GPU no.",
    "A CPU sobe mas a GPU não.",
])
def test_the_cpu_rising_and_the_gpu_flat_is_the_gpu_unused(line: str) -> None:
    from whygpu.explain.statements import cpu_rises_gpu_flat, unused
    assert cpu_rises_gpu_flat(line) is not None and unused(line) is not None, line


@pytest.mark.parametrize("line", [
    "If CPU usage goes up but GPU usage doesn't, check the driver.",   # a condition
    "Does the CPU go up but the GPU stay at 0%?",                       # a question
    "CPU usage goes up and GPU usage goes up too.",                     # both in use
    "CPU usage went up after the update.",                              # nothing of the GPU
    "如果CPU上升但是GPU没有上升，请检查驱动。",                           # a condition, in Chinese
])
def test_other_words_of_the_two_monitors_are_not_read(line: str) -> None:
    from whygpu.explain.statements import cpu_rises_gpu_flat
    assert cpu_rises_gpu_flat(line) is None, line


def test_the_cpu_rising_with_a_plain_torch_ranks_the_no_gpu_answer() -> None:
    text = "When I run inference the CPU usage goes up but the GPU usage doesn't. torch 2.0.1 is installed with pip.\n"
    assert "LOG104" in _ids(text)
    assert _codes(text)[0] == "FRAMEWORK_CPU_BUILD"


# --- 5c. the machine's CUDA below every build of the stated PyTorch release ---------------------------------------------

def test_a_machine_cuda_below_every_build_of_the_torch_release_is_the_driver() -> None:
    text = "When I train, I get a CUDA error. The server has CUDA 11.2 installed, and the project needs torch 2.0.\n"
    assert "LOG390" in _ids(text)
    assert _codes(text)[:2] == ["DRIVER_TOO_OLD", "CUDA_LIBS_MISMATCH"]


@pytest.mark.parametrize("text", [
    # the machine's CUDA serves the release's builds
    "When I train, I get a CUDA error. The server has CUDA 11.8 installed, and the project needs torch 2.0.\n",
    # the driver's version is shown: the driver readings compare it exactly
    "When I train, I get a CUDA error. The server has CUDA 11.2 installed, and the project needs torch 2.0.\nDriver Version: 460.32.03\n",
    # nothing said to go wrong
    "The server has CUDA 11.2 installed, and the project needs torch 2.0.\n",
    # a floor is no machine's release
    "Training fails with an error. The project needs CUDA 11.2 or later and torch 2.0.\n",
])
def test_log390_stays_quiet_where_the_machine_serves_the_build_or_the_driver_is_shown(text: str) -> None:
    assert "LOG390" not in _ids(text)


@pytest.mark.parametrize(("line", "installed"), [
    ("I am working on a server that is installed CUDA 11.2, does this project only support torch 2.0?", True),
    ("I am running cuda 12.4 - is that too old?", True),
    ("My GT 730 card uses CUDA version 3.5, but pyTorch does not support this version of CUDA.", False),  # a capability
    ("pip tensorflow[and-cuda]==2.18.0, which was built with and depends on CUDA 12.5 (not JAX)", False),  # the build's
    ("in order to run CUDA 11.1 (or above), you need drivers >=450.80.02", False),                       # a requirement
    ("Do I need CUDA 11.8, since the server has CUDA 11.2?", False),                                     # a question's
])
def test_a_machine_release_in_its_own_clause(line: str, installed: bool) -> None:
    from whygpu.explain.logfacts import _CUDA_STATED
    from whygpu.explain.statements import version_installed_in_clause
    m = next(m for m in _CUDA_STATED.finditer(line) if ("11.2" in m.group(0)) or "11.2" not in line)
    assert version_installed_in_clause(line, m.start(), m.end()) is installed
