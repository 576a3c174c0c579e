"""accnoticed39 (session 39): six mends the session's branches noticed (docs/explain-accuracy.md, Session 39 sections)."""

from __future__ import annotations

from log_text import codes, first_cause, report

# https://github.com/slackr31337/wyoming-whisper-gpu/issues/12 (a GT 710, Kepler: driver 470 at most, CUDA 11; the image's
# faster-whisper carries CUDA 12).
_GT710 = (
    'I am trying to build your "wyoming-whisper-gpu" on my system with Opensuse-15.6 and Nvidia Graphics: Geforce GT 710. '
    "Here, I am getting following error while starting docker container.\n"
    '  File "/app/lib/python3.10/site-packages/faster_whisper/transcribe.py", line 634, in __init__\n'
    "    self.model = ctranslate2.models.Whisper(\n"
    "RuntimeError: CUDA failed with error CUDA driver version is insufficient for CUDA runtime version\n"
)


def test_kepler_gpu_under_a_cuda12_program_is_the_gpus_limit() -> None:
    ranked = codes(_GT710)
    assert ranked[0] == "GPU_NOT_SUPPORTED"
    assert "DRIVER_TOO_OLD" in ranked[:3]


def test_a_current_gpu_in_the_same_container_keeps_the_containers_reading() -> None:
    assert first_cause(_GT710.replace("Geforce GT 710", "GeForce RTX 3060")) == "CONTAINER_NO_GPU"


# accadvice40 (session 40): the fix names the GPU's last driver branch and the CUDA it runs, not the generic advice.
def test_a_gpu_past_its_last_driver_branch_gets_that_branch_in_the_fix() -> None:
    first = report(_GT710).findings[0]
    assert first.cause == "GPU_NOT_SUPPORTED"
    assert "470" in first.fix and "CUDA 11" in first.fix and "CUDA 12" in first.fix
    current = report(_GT710.replace("Geforce GT 710", "GeForce RTX 3060")).findings[0]
    assert "470" not in current.fix


def test_a_kepler_gpu_under_a_program_its_driver_runs_is_not_the_gpus_limit() -> None:
    from whygpu.knowledge.driver_reach import DriverPlace, driver_answer_reading

    kepler11 = DriverPlace(place="container", runtime_cuda="11.2", gpu_last_branch="470")
    kepler12 = DriverPlace(place="container", runtime_cuda="12", gpu_last_branch="470")
    r11, r12 = driver_answer_reading("insufficient", kepler11), driver_answer_reading("insufficient", kepler12)
    assert r11 is not None and r11.ranking[0] == "CONTAINER_NO_GPU"
    assert r12 is not None and r12.ranking[0] == "GPU_NOT_SUPPORTED"


def test_the_newest_branch_a_gpu_name_can_take() -> None:
    from whygpu.knowledge.gpus import gpu_in_text, model_last_driver_branch

    assert model_last_driver_branch(gpu_in_text("GeForce GT 710")) == "470"
    assert model_last_driver_branch(gpu_in_text("GeForce GT 730")) == "470"  # Fermi 390 or Kepler 470
    assert model_last_driver_branch(gpu_in_text("GeForce RTX 3060")) is None


# https://github.com/tensorflow/tensorflow/issues/26234 (tensorflow-gpu 1.13.1 is built for CUDA 10.0; the cuDNN archive is
# the one built for CUDA 9.0, and CUDA 9.0 was installed with it).
_TF26234 = (
    "- OS Platform and Distribution (e.g., Linux Ubuntu 16.04): Windows 10\n"
    "- TensorFlow installed from (source or binary): binary - pip install tensorflow-gpu\n"
    "- TensorFlow version: tensorflow-gpu-1.13.1\n"
    "- CUDA/cuDNN version: CUDA 9 - cudnn-9.0-windows10-x64-v7.5.0.56\n"
    "Reports missing modules:\n"
    "Traceback (most recent call last):\n"
    '  File "C:\\Users\\Ryan\\Developer\\TF\\venv\\lib\\site-packages\\tensorflow\\python\\pywrap_tensorflow.py", line 58, in <module>\n'
    "    from tensorflow.python.pywrap_tensorflow_internal import *\n"
)


def test_cudnn_archive_for_another_cuda_than_the_build() -> None:
    from log_text import finding_codes

    assert first_cause(_TF26234) == "CUDA_LIBS_MISMATCH"
    assert "LOG835" in finding_codes(_TF26234)


def test_cudnn_archive_for_the_builds_cuda_is_quiet() -> None:
    from log_text import finding_codes

    text = _TF26234.replace("CUDA 9 - cudnn-9.0-windows10", "CUDA 10 - cudnn-10.0-windows10")
    assert "LOG835" not in finding_codes(text)


def test_archive_serves_cuda() -> None:
    from whygpu.knowledge.cudnn_archive import archive_serves_cuda

    assert archive_serves_cuda("9.0", "10.0") is False
    assert archive_serves_cuda("10.1", "10.0") is False
    assert archive_serves_cuda("11.8", "11.2") is True
    assert archive_serves_cuda("10", "10.0") is None


# https://github.com/wang-xinyu/tensorrtx/issues/1501: TensorRT's own Python package cannot load libnvinfer.
_TRT_IMPORT = (
    "Traceback (most recent call last):\n"
    '  File "/mnt/workspace/rv2d/acus_workspace/twd_workspace/tensorrtx-master/yolov8/yolov8_seg_trt.py", line 15, in <module>\n'
    "    import tensorrt as trt\n"
    '  File "/mnt/workspace/rv2d/anaconda3/envs/pytorch/lib/python3.9/site-packages/tensorrt/__init__.py", line 67, in <module>\n'
    "    from .tensorrt import *\n"
    "ImportError: libnvinfer.so.8: cannot open shared object file: No such file or directory\n"
)
# https://github.com/derrian-distro/LoRA_Easy_Training_Scripts/issues/50 (a corpus negative): TensorFlow's optional TF-TRT load.
_TF_TRT = (
    "2023-04-19 18:24:42.166097: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic "
    "library 'libnvinfer.so.7'; dlerror: libnvinfer.so.7: cannot open shared object file: No such file or directory\n"
)


def test_tensorrts_own_import_failing_on_libnvinfer_is_the_programs_error() -> None:
    assert first_cause(_TRT_IMPORT) == "CUDA_LIBS_MISSING"


def test_tensorflows_optional_tf_trt_load_stays_harmless() -> None:
    assert first_cause(_TF_TRT) is None
    assert report(_TF_TRT).details.get("harmless_lines")


# https://github.com/mks0601/PoseFix_RELEASE/issues/47 (a corpus negative: the maintainer showed the GPU doing the work).
_POSEFIX = ("I have managed to bring up the training and it looks like that the GPU is idle most of the time. I guess it is "
            "due to the heavy-CPU pose synthesis code, as shown below\n")


def test_an_impression_that_the_gpu_is_idle_is_not_asserted_underuse() -> None:
    assert first_cause(_POSEFIX) is None


def test_the_gpu_said_idle_without_seeming_is_still_underuse() -> None:
    assert first_cause(_POSEFIX.replace("it looks like that the GPU", "the GPU")) == "GPU_UNDERUSED"


# https://github.com/huggingface/text-generation-inference/issues/424: TGI catches the ImportError of its Flash Attention
# models (text_generation_server/models/__init__.py) and serves with the others.
_TGI = (
    '  File "/opt/conda/lib/python3.9/site-packages/text_generation_server/models/__init__.py", line 29, in <module>\n'
    "    raise ImportError(\n"
    "ImportError: GPU with CUDA capability 7 0 is not supported\n"
    " rank=0\n"
    "2023-06-07T09:27:38.785987Z  WARN shard-manager: text_generation_launcher: Could not import Flash Attention enabled models\n"
)


def test_tgis_caught_capability_import_error_is_not_the_programs_error() -> None:
    from log_text import finding_codes

    assert "LOG185" not in finding_codes(_TGI)
    assert first_cause(_TGI) is None


def test_the_same_error_line_without_the_fallback_words_is_read() -> None:
    from log_text import finding_codes

    alone = "\n".join(_TGI.splitlines()[:3]) + "\n"
    assert "LOG185" in finding_codes(alone)


# https://github.com/microsoft/onnxruntime/issues/21354: the writer's T4 on Colab; onnxruntime.get_device() answers "GPU"
# (the package's build, not a device found).
_ORT21354 = (
    "CUDA 12 and session.get_providers() not showing CUDAExecutionProvider\n\n"
    "I installed onnxruntime in Colab having T4 gpu and Cuda 12, using the commands the guide:\n"
    "`pip install onnxruntime-gpu --extra-index-url https://aiinfra.pkgs.visualstudio.com/PublicPackages/_packaging/onnxruntime-cuda-12/pypi/simple/\n`\n\n"
    "When I run command:\n`onnxruntime.get_device()`\nI get GPU\n\n"
    "But when I run command:\n"
    "`session = onnxruntime.InferenceSession(model_path, providers=['CUDAExecutionProvider', 'CPUExecutionProvider'])\n"
    "session.get_providers()`\nI get CPUExecutionProvider\n\n"
    "In fact inference doesn't use GPU memory. Why? Should I ran any other steps?\n"
)


def test_a_named_gpu_keeps_no_gpu_from_leading() -> None:
    ranked = codes(_ORT21354)
    assert ranked and ranked[0] != "NO_GPU"


def test_without_the_named_gpu_no_gpu_may_lead() -> None:
    from log_text import facts
    from whygpu.explain.ruleout import shown_facts

    assert "gpu_named" in shown_facts(facts(_ORT21354))
    assert "gpu_named" not in shown_facts(facts(_ORT21354.replace(" having T4 gpu", "")))


# https://github.com/bourdakos1/Core-ML-Custom-Object-Detection/issues/2 (the pair in the writer's words only).
_BOURDAKOS = ("When there is tensorflow installed, tensorflow-gpu is ignored. Then the time for training slows down significantly. "
              "The difference between tensorflow and tensorflow-gpu training rate is almost an order of magnitude.\n")
# https://github.com/keras-team/keras/issues/6997 (LOG133's example: the pair in one pip command).
_KERAS6997 = "pip install tensorflow-gpu tensorflow\nKeras will use CPU under this circumstance.\n"


def _log133_confidence(text: str) -> str:
    from whygpu.explain import explain_text

    return next(f.confidence.value for f in explain_text(text).findings if f.id == "LOG133")


def test_log133_is_medium_from_the_writers_words_alone() -> None:
    assert first_cause(_BOURDAKOS) == "FRAMEWORK_INSTALL_BROKEN"
    assert _log133_confidence(_BOURDAKOS) == "medium"


def test_log133_keeps_high_where_a_command_shows_the_pair() -> None:
    assert _log133_confidence(_KERAS6997) == "high"


# https://github.com/ultralytics/yolov5/issues/5681: the low utilisation reported, then the writer's reading of it.
_YOLO5681 = ("When I trained, I found that the GPU utilization of my computer was very low, and only in batch training did the "
             "gpu utilization increase instantaneously. It looks like the GPU is waiting for data to arrive during periods of "
             "low utilization.\n")


def test_a_reported_measure_beside_the_seeming_keeps_underuse() -> None:
    assert first_cause(_YOLO5681) == "GPU_UNDERUSED"


# https://github.com/aws/aws-parallelcluster/issues/5085: the GPU nodes named, the test run on the c5 head node.
_PCLUSTER = (
    "Head node: c5.2xlarge\nCompute nodes: g4dn.metal (T4 GPUs)\n"
    "Networked EFS storage from EC2 I can install OpenMM with miniconda on the head node, but when I run a test to see if "
    "OpenMM works, I get the following error:\n"
    "CUDA platform error: Error initializing CUDA: CUDA_ERROR_NO_DEVICE (100)\n"
)


def test_gpu_nodes_named_beside_a_run_on_the_head_node_do_not_demote_no_gpu() -> None:
    from log_text import facts
    from whygpu.explain.ruleout import shown_facts

    assert "gpu_named" not in shown_facts(facts(_PCLUSTER))
