"""acclibs (session 23): CUDA_VISIBLE_DEVICES set in any layout, a batch job's GPU binding, and TensorFlow's missing device node.

Each reading has a log where it fires and one where it stays quiet; the lines are written from the programs' formats
(bash/docker/setenv assignments, dlib's CHECK_CUDA message, Slurm's #SBATCH options, TensorFlow's cuda_diagnostics.cc).
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report
from whygpu.explain.where import visible_devices_set
from whygpu.knowledge.visibility import visible_devices_hide_all


def _first(log: str) -> str | None:
    causes = to_report(explain_text(log)).causes
    return causes[0].code if causes else None


@pytest.mark.parametrize("value", ["", "-1", "''", '""', "NoDevFiles", "none"])
def test_hiding_values(value: str) -> None:
    assert visible_devices_hide_all(value) is not None


@pytest.mark.parametrize("value", ["0", "0,1", "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6", "$SLURM_LOCALID", "[0]", "${GPUS}"])
def test_valid_or_unexpanded_values_do_not_hide(value: str) -> None:
    assert visible_devices_hide_all(value) is None


def test_an_id_beyond_the_machines_count_hides() -> None:
    assert visible_devices_hide_all("2", device_count=1) is not None
    assert visible_devices_hide_all("0", device_count=1) is None


@pytest.mark.parametrize(("line", "value"), [
    ('I started it with CUDA_VISIBLE_DEVICES="" python train.py and it failed', ""),
    ("export CUDA_VISIBLE_DEVICES = ''", ""),
    ("docker run --gpus all -e CUDA_VISIBLE_DEVICES=-1 myimage", "-1"),
    ('setenv CUDA_VISIBLE_DEVICES ""', ""),
    ('    CUDA_VISIBLE_DEVICES: "-1"', "-1"),
    ("env CUDA_VISIBLE_DEVICES= python run.py", ""),
    ("$env:CUDA_VISIBLE_DEVICES=\"-1\"", "-1"),
    ("CUDA_VISIBLE_DEVICES=0,1 python run.py", "0,1"),
])
def test_layouts_read(line: str, value: str) -> None:
    assert [v for v, _ in visible_devices_set(line)] == [value]


@pytest.mark.parametrize("line", [
    'os.environ["CUDA_VISIBLE_DEVICES"] = ""',  # the script's own code: CODE_FORCES_CPU's reading
    "echo $CUDA_VISIBLE_DEVICES",
    'if [ "$CUDA_VISIBLE_DEVICES" == "" ]; then',
    "You could try CUDA_VISIBLE_DEVICES=-1 python run.py to use the CPU",
    "Environment: CUDA_VISIBLE_DEVICES: ",
])
def test_not_an_assignment_that_ran(line: str) -> None:
    assert visible_devices_set(line) == []


_DLIB = ('RuntimeError: Error while calling cudaGetDevice(&the_device_id) in file /build/dlib/dlib/cuda/gpu_data.cpp:201. '
         'code: 100, reason: no CUDA-capable device is detected')


def test_empty_visible_devices_with_a_no_device_line_is_hidden() -> None:
    log = f'I ran it as CUDA_VISIBLE_DEVICES="" python detect.py and got\n{_DLIB}\n'
    assert _first(log) == "GPU_HIDDEN"


def test_valid_visible_devices_with_a_no_device_line_is_not_hidden_by_it() -> None:
    log = f"I ran it as CUDA_VISIBLE_DEVICES=0 python detect.py and got\n{_DLIB}\n"
    assert _first(log) == "NO_GPU"


def test_dlib_line_cut_after_device_is_read() -> None:
    cut = _DLIB.rsplit(" detected", 1)[0]
    assert _first(f'CUDA_VISIBLE_DEVICES=-1 python detect.py\n"{cut}"\n') == "GPU_HIDDEN"


_JAX_NO_DEVICE = ("RuntimeError: Unable to initialize backend 'cuda': INTERNAL: no supported devices found for platform CUDA "
                  "(you may need to uninstall the failing plugin package, or set JAX_PLATFORMS=cpu to skip this backend.)")


@pytest.mark.parametrize("request_line", ["#SBATCH --gpus-per-task=1", "#SBATCH --gres=gpu:2", "srun --gres=gpu:1 python run.py"])
def test_job_that_asked_for_gpus_and_found_none_is_hidden(request_line: str) -> None:
    log = f"#!/bin/bash\n#SBATCH --nodes=1\n{request_line}\n\n{_JAX_NO_DEVICE}\n"
    assert _first(log) == "GPU_HIDDEN"


def test_gpu_partition_in_words_with_no_device() -> None:
    log = ("Since the maintenance the solver run on the GPU partition aborts:\n"
           "cudaHostRegister: no CUDA-capable device is detected\n")
    assert _first(log) == "GPU_HIDDEN"


def test_job_request_without_a_no_device_line_is_quiet() -> None:
    log = "#!/bin/bash\n#SBATCH --gres=gpu:2\nsrun python train.py\nEpoch 1/10 loss 0.52\n"
    causes = to_report(explain_text(log)).causes
    assert all(c.code != "GPU_HIDDEN" for c in causes)


def test_no_device_without_a_job_is_not_the_binding() -> None:
    assert _first("cudaHostRegister: no CUDA-capable device is detected\n") != "GPU_HIDDEN"


_TF_NODE = ("2020-06-24 21:27:37.458905: I tensorflow/stream_executor/platform/default/dso_loader.cc:44] Successfully opened dynamic library libcuda.so.1\n"
            "2020-06-24 21:27:37.458946: E tensorflow/stream_executor/cuda/cuda_driver.cc:313] failed call to cuInit: UNKNOWN ERROR (-1)\n"
            "2020-06-24 21:27:37.458987: I tensorflow/stream_executor/cuda/cuda_diagnostics.cc:163] no NVIDIA GPU device is present: /dev/nvidia0 does not exist\n")


def test_device_node_missing_with_libcuda_loaded_is_a_container() -> None:
    assert _first(_TF_NODE) == "CONTAINER_NO_GPU"


def test_device_node_missing_without_libcuda_loaded_keeps_its_reading() -> None:
    log = _TF_NODE.split("\n", 1)[1]
    assert _first(log) != "CONTAINER_NO_GPU"


# --- a CUDA/cuDNN library named as failing in the writer's words, against the versions shown present (LOG283) ---------


def _causes(log: str) -> list[str]:
    return [c.code for c in to_report(explain_text(log)).causes]


@pytest.mark.parametrize("said", [
    "运行时报错说找不到cudnn64_8.dll",
    "it says it cannot find cudnn64_8.dll, so the GPU is not used",
    "実行すると cudnn64_8.dll が見つかりません と表示されます",
])
def test_cudnn_named_failing_with_another_major_installed_is_a_mismatch(said: str) -> None:
    log = f"I installed CUDA 10.1 and cuDNN 7.6.5 as the guide says.\n{said}\n"
    assert _causes(log)[:1] == ["CUDNN_MISMATCH"]


def test_cudnn_named_failing_with_the_same_major_installed_is_off_the_path() -> None:
    log = "I installed CUDA 11.2 and cuDNN 8.1.0.\nit says it cannot find cudnn64_8.dll\n"
    assert _causes(log)[:1] == ["CUDA_LIBS_NOT_ON_PATH"]


def test_cuda_runtime_named_failing_with_another_release_installed_is_a_mismatch() -> None:
    log = "nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 12.1, V12.1.105\nthe program says it cannot find libcudart.so.11.0\n"
    assert _causes(log)[:1] == ["CUDA_LIBS_MISMATCH"]


def test_library_named_failing_with_nothing_installed_shown_is_ranked_by_base_rate() -> None:
    # accfiles (session 26): no cuDNN shown, so nothing decides a mismatch; the counted base rate of a cuDNN 8+ file failing
    # (knowledge/priors.toml) ranks missing first.
    assert _causes("it says it cannot find cudnn64_8.dll, so the GPU is not used\n")[:1] == ["CUDNN_MISSING"]


def test_a_question_about_the_library_is_no_failure() -> None:
    log = "I installed cuDNN 7.6.5.\nwhy would it look for cudnn64_8.dll?\n"
    assert "CUDNN_MISMATCH" not in _causes(log)


# Session 24: the writer's own act of hiding the GPU (a CPU comparison) is their choice, not what kept the GPU from them.
@pytest.mark.parametrize("sentence", [
    'I have disabled the GPU using "export CUDA_VISIBLE_DEVICES=-1" so the run is faster on the CPU.',
    "To force the CPU I set CUDA_VISIBLE_DEVICES=-1 and the loss is the same.",
    "For a CPU-only baseline: CUDA_VISIBLE_DEVICES=-1 python train.py took 40 s.",
])
def test_hiding_the_gpu_said_as_the_writers_choice_is_not_gpu_hidden(sentence: str) -> None:
    # (The doctor's ENV001 judges the variable a log shows; the writer's choice leaves it unshown.)
    assert "GPU_HIDDEN" not in [c.code for c in to_report(explain_text(f"{sentence}\nThe training is slow.\n")).causes]


@pytest.mark.parametrize("sentence", [
    "I ran export CUDA_VISIBLE_DEVICES=-1 before training, as the README says.",
    "The container disabled the GPU with CUDA_VISIBLE_DEVICES=-1 somehow.",
    "I want to run on the GPU but CUDA_VISIBLE_DEVICES=-1 is set in my profile.",
])
def test_hiding_the_gpu_not_said_as_a_cpu_choice_stays_gpu_hidden(sentence: str) -> None:
    assert _first(f"{sentence}\nThe training is slow.\n") == "GPU_HIDDEN"
