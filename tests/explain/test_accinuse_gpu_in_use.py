"""accinuse (session 35): the GPU shown in use by the failing program, one decision over every kind of evidence
(knowledge.inuse.shown_in_use, explain.inuse), the causes it contradicts quiet, and LOG630's report of what misled the user
(knowledge/inuse.toml [[belief]])."""

from __future__ import annotations

from log_text import codes, facts, report
from whygpu.knowledge.inuse import MEDIUM, STRONG, WEAK, belief_in, decides_use, shown_in_use

# https://github.com/ultralytics/yolov3/issues/212
YOLO = "> Using CUDA device0 _CudaDeviceProperties(name='GeForce GTX 1050 Ti', total_memory=4096MB)"
# https://github.com/opencv/opencv/issues/17422
OPENCV = ("> [ INFO:0 ] global D:\\**\\**\\modules\\dnn\\src\\dnn.cpp (2353) cv::dnn::dnn4_v20200310::Net::Impl::initCUDABackend "
          "CUDA backend will fallback to the CPU implementation for the layer \"_input\" of type __NetInputLayer__")
TF_CREATED = ("2020-01-01 10:00:00.000000: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1402] Created TensorFlow device "
              "(/job:localhost/replica:0/task:0/device:GPU:0 with 10000 MB memory) -> physical GPU (device: 0, name: GeForce RTX 2080, "
              "pci bus id: 0000:01:00.0, compute capability: 7.5)")
# nvidia-smi's process row (format as https://github.com/pytorch/examples/issues/470 shows its table)
SMI_PROCESS = "|    0     23119      C   python                                      3461MiB |"
SMI_EMPTY = "|  No running processes found                                                 |"


def _info(text: str) -> list:
    return [f for f in report(text).findings if f.id == "LOG630"]


def test_decision_strengths() -> None:
    assert shown_in_use(["created"]) == STRONG
    assert shown_in_use(["monitor", "words"]) == STRONG
    assert shown_in_use(["found"]) == MEDIUM
    assert shown_in_use(["words"]) == WEAK
    assert shown_in_use([]) is None
    assert decides_use(["created"]) and decides_use(["monitor"])
    assert not decides_use(["found", "words"])


def test_yolo_device_props_is_in_use_and_quiets_the_unused_words() -> None:
    text = "but when i use the GPU(GTX 1050Ti), the time is slow, the GPU is not used\n" + YOLO
    rep = report(text)
    assert rep.verdict.gpu_usable is True
    assert not rep.causes


def test_yolo_words_alone_still_rank_causes() -> None:
    # Without the program's own line, the writer's words that the GPU is unused keep their reading.
    assert codes("when i run it the GPU is not used at all") != []


def test_opencv_cuda_backend_is_in_use_with_the_part_on_cpu_named() -> None:
    text = "Models cannot be accelerated with GPU, instead using CPU.\n" + OPENCV
    rep = report(text)
    assert rep.verdict.gpu_usable is True and not rep.causes
    info = _info(text)
    assert info and "one part of the work" in info[0].title


def test_task_manager_named_with_a_created_device() -> None:
    text = "My GPU is not being used, Task Manager shows 0% GPU usage.\n" + TF_CREATED
    info = _info(text)
    assert info, "LOG630 should say the GPU is in use"
    assert "Task Manager" in info[0].title and "Cuda" in info[0].fix
    assert not report(text).causes


def test_task_manager_without_in_use_evidence_is_quiet() -> None:
    assert not _info("My GPU is not being used, Task Manager shows 0% GPU usage.")


def test_in_use_without_a_belief_is_quiet() -> None:
    assert not _info(TF_CREATED + "\nEpoch 1/10 loss 0.3")


def test_smi_compute_process_is_in_use() -> None:
    text = ("is my GPU used? training is slow and the GPU is not used\n"
            "| Fan  Temp  Perf  Pwr:Usage/Cap|         Memory-Usage | GPU-Util  Compute M. |\n"
            "| 31%   58C    P2    70W / 250W |   3584MiB / 11170MiB |     35%      Default |\n" + SMI_PROCESS)
    rep = report(text)
    assert rep.verdict.gpu_usable is True
    assert not rep.causes


def test_smi_empty_process_list_names_the_container_only_there() -> None:
    inside = "I run it in a docker container, nvidia-smi shows nothing, the GPU is not used\n" + SMI_EMPTY + "\nUsing device: cuda:0"
    info = _info(inside)
    assert info and "nvidia-smi" in info[0].title
    # Outside WSL 2 or a container an empty list means no process ran: it is no belief's monitor.
    assert not any(s.value == "no_processes" for s in facts("the GPU is not used\n" + SMI_EMPTY).inuse_belief)


def test_optional_library_warning_named() -> None:
    text = ("is tensorflow not using my gpu?\n"
            "2023-04-19 18:24:42.166097: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library "
            "'libnvinfer.so.7'; dlerror: libnvinfer.so.7: cannot open shared object file: No such file or directory\n"
            "the GPU is not used\n" + TF_CREATED)
    info = _info(text)
    assert info and "TensorRT" in info[0].title


def test_created_then_kernel_image_missing_keeps_the_cause() -> None:
    text = "Using device: cuda:0\nRuntimeError: CUDA error: no kernel image is available for execution on the device"
    assert codes(text)[0] == "GPU_NOT_SUPPORTED"
    assert not _info("the GPU is not used\n" + text)


def test_created_then_oom_keeps_it_blocked() -> None:
    text = ("the GPU is not used\nUsing device: cuda:0\n"
            "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 4.00 GiB total capacity)")
    assert not _info(text)


def test_framework_answer_alone_does_not_decide_use() -> None:
    # JAX listing a GPU is found, not shown used: no in-use report.
    assert not _info("the GPU is not used, task manager shows nothing\n[CudaDevice(id=0)]")


def test_belief_rows() -> None:
    assert belief_in("Task manager shows 0%").kind == "task_manager"
    assert belief_in(SMI_EMPTY).kind == "no_processes"
    assert belief_in("TF-TRT Warning: Could not find TensorRT").kind == "optional_library"
    assert belief_in("the tokenizer is using CPU").kind == "part_on_cpu"
    assert belief_in("training runs on the GPU") is None


def test_program_line_belief_needs_the_writers_words() -> None:
    # A TensorRT warning in a log nobody asked about explains no belief.
    text = ("W tensorflow/compiler/tf2tensorrt/utils/py_utils.cc:38] TF-TRT Warning: Could not find TensorRT\n" + TF_CREATED)
    assert not _info(text)


def test_words_alone_name_no_monitor() -> None:
    # The writer's words that it is unused, beside the device created, with no monitor shown: quiet (nothing to name),
    # and no cause either.
    text = "the GPU is not used\n" + TF_CREATED
    assert not _info(text)
    assert not report(text).causes


def test_info_is_dropped_beside_a_cause() -> None:
    from whygpu.explain.inuserules import alone
    from whygpu.model import Confidence, Finding, Severity

    info = Finding(id="LOG630", cause="GPU_UNDERUSED", severity=Severity.INFO, title="t", evidence=(), fix="f",
                   confidence=Confidence.HIGH)
    cause = Finding(id="LOG101", cause="CUDA_LIBS_MISMATCH", severity=Severity.ERROR, title="t", evidence=(), fix="f",
                    confidence=Confidence.MEDIUM)
    assert alone([info]) == [info]
    assert alone([info, cause]) == [cause]
