"""A framework's or program's own answer that it has no GPU, in any layout, and packages that are CPU builds by definition
(session 23, branch accnogpu): explain/ownanswer.py, answers.stored/told, LOG290, LOG-TF-NO-KNOWN-DEVICES.

Every line here is written from what the programs print and what the package names mean (their sources are in the
module docstrings and knowledge/cpu_packages.toml), in other programs' and writers' wordings; none is copied from a
corpus case. Each reading has cases where it fires and cases where it stays quiet.
"""

from __future__ import annotations

from log_text import codes, facts
from whygpu.explain import answers, explain_text, ownanswer
from whygpu.knowledge.cpu_packages import cpu_only_package, cpu_packages


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- a program's own notice that the work runs on the CPU ---------------------------------------------------------


def test_program_notices_that_the_work_runs_on_the_cpu_are_read_in_any_layout() -> None:
    for line in (
        "CPU is being used for this transcription, this process may take a while.",
        "`The CPU will be used for inference; expect it to be slow.`",
        "2024-05-01 10:11:12 WARNING  No CUDA device found, the model will run on CPU.",
        "[12:00:01 - Infer] It looks like you are running basecaller without a GPU.",
        "WARNING: running without a GPU, this will be slow",
        "> Inference will be performed on the CPU.",
        "CPU mode is being used instead",
    ):
        assert ownanswer.cpu_notice(line) is not None, line


def test_program_notices_stay_quiet_on_questions_conditions_code_utilisation_and_a_gpu_share() -> None:
    for line in (
        "Does it print 'CPU is being used for this transcription' when there is no GPU?",
        "If no CUDA device is found, the model will run on CPU.",
        'print("CPU is being used for this transcription")',
        "logger.warning('running without a GPU, this will be slow')",
        "The CPU is being used at 100% while the GPU idles.",
        "The CPU will be used for the tokenizer and the GPU for the model.",
        "Is it possible to run the tool without a GPU?",
        "# the CPU will be used for inference",
        "Previously the CPU was used for inference, now it is fixed.",
    ):
        assert ownanswer.cpu_notice(line) is None, line


def test_a_notice_is_the_no_gpu_answer_ranked_by_the_frameworks_base_rate() -> None:
    text = ("I get this message while it runs:\n`CPU is being used for this transcription, this process may take a while.`\n"
            "I have an RTX 3080 and CUDA installed.\n")
    assert facts(text).cpu_notice
    assert codes(text)[0] == "FRAMEWORK_CPU_BUILD"
    tf = ("[10:00:00 - Run] Setting tensorflow inter/intra-op threads to 2/1.\n"
          "[10:00:00 - Run] It looks like you are running polisher without a GPU and attempted to set 16 threads.\n")
    assert "LOG104" in _ids(tf)
    assert codes(tf)[0] == "FRAMEWORK_CPU_BUILD"


def test_a_notice_stays_quiet_where_the_writer_runs_on_the_cpu_on_purpose() -> None:
    text = "I run it on a laptop on purpose.\nNo CUDA device found, the model will run on CPU.\n"
    assert not facts(text).cpu_notice


# --- PyTorch's local version tag with markup around it -------------------------------------------------------------


def test_torch_local_tags_in_markdown_and_tables_are_the_installed_build() -> None:
    for text, tag in (
        ("The app reports **PyTorch `2.9.1+cpu`** and the UI says no CUDA support.", "cpu"),
        ("| package | version |\n|---|---|\n| torch | 2.4.0+cpu |\n", "cpu"),
        ("* torch: `2.3.1+cpu`", "cpu"),
        ("PyTorch: *2.5.0+cu124*", "cu124"),
    ):
        seen = facts(text).cuda_build.get("torch", [])
        assert seen and seen[0].value is (tag != "cpu"), text
    assert codes("The app reports **PyTorch `2.9.1+cpu`** and the UI says 0 VRAM.")[0] == "FRAMEWORK_CPU_BUILD"


def test_marked_versions_stay_quiet_without_a_local_tag_or_on_a_removal() -> None:
    assert ownanswer.marked_torch_version("**PyTorch `2.9.1`**") is None
    builds = facts("Successfully uninstalled torch-2.1.0+cpu\n**PyTorch `2.1.0+cu121`**").cuda_build.get("torch", [])
    assert builds and all(s.value is True for s in builds)


# --- OpenCV's device count, on the query's line and on a later line ------------------------------------------------


def test_opencv_device_count_zero_is_opencvs_no_gpu_answer() -> None:
    for text in (
        "cv2.cuda.getCudaEnabledDeviceCount() returns 0 although nvidia-smi lists my GPU",
        "int n = Cv2.GetCudaEnabledDeviceCount();\n\nit always returns 0, but the card works in other programs",
        "`auto devices = cv::cuda::getCudaEnabledDeviceCount();`\nis still 0.",
        ">>> cv2.cuda.getCudaEnabledDeviceCount()\n0",
    ):
        seen = facts(text).gpu_answer.get("opencv", [])
        assert seen and seen[0].value is False, text
        assert codes(text)[0] == "FRAMEWORK_CPU_BUILD", text


def test_opencv_device_count_stays_quiet_on_one_device_minus_one_questions_and_expectations() -> None:
    for text in (
        "cv2.cuda.getCudaEnabledDeviceCount() returns 1",
        "int n = Cv2.GetCudaEnabledDeviceCount();\nit returns -1",
        "Does cv2.cuda.getCudaEnabledDeviceCount() return 0 on a build without CUDA?",
        "int n = Cv2.GetCudaEnabledDeviceCount();\nit should return 1 on my machine",
        "if (Cv2.GetCudaEnabledDeviceCount() == 0) { useCpu(); }",
    ):
        assert not [s for s in facts(text).gpu_answer.get("opencv", []) if s.value is False], text


def test_stored_answer_reads_only_the_next_line_with_text_and_the_same_variable() -> None:
    question = answers.stored("n = torch.cuda.device_count()")
    assert question is not None
    assert answers.told(question, "n is 0") is not None
    assert answers.told(question, "m is 0") is None
    assert answers.told(question, "the docs say it is 0 on a CPU build") is None


# --- packages that are CPU builds by definition --------------------------------------------------------------------


def test_the_knowledge_table_cites_a_source_for_each_package() -> None:
    for package in cpu_packages():
        assert package.source.startswith("https://"), package.name
    assert cpu_only_package("tensorflow-model-server", "apt") is not None
    assert cpu_only_package("tensorflow-model-server-gpu", "apt") is None
    assert cpu_only_package("mxnet-cu112", "pip") is None
    assert cpu_only_package("mxnet", "conda") is None  # conda-forge's mxnet has GPU variants: only pip's name is read
    assert cpu_only_package("faiss-gpu", None) is None


def test_cpu_only_packages_in_use_where_the_gpu_went_unused_name_the_cpu_build() -> None:
    for text in (
        "sudo apt-get install tensorflow-model-server\ntensorflow_model_server --port=8500 --model_name=m\nthe server does not use my GPU at all",
        "pip install faiss-cpu\nthe index search never uses the GPU",
        "conda install pytorch torchvision cpuonly -c pytorch\ntorch.cuda.is_available() returns False",
        "I installed OpenCvSharp4.Windows from NuGet.\nThe GpuMat code does not use the GPU.",
        "pip install \"jax[cpu]\"\njax.devices() gives [CpuDevice(id=0)]",
    ):
        assert "LOG290" in _ids(text), text
        assert codes(text)[0] == "FRAMEWORK_CPU_BUILD", text


def test_cpu_only_packages_stay_quiet_on_advice_removal_questions_a_gpu_sibling_or_no_unused_gpu() -> None:
    for text in (
        "pip install faiss-cpu\nthe search is fast",  # nothing unused
        "pip uninstall faiss-cpu\npip install faiss-gpu\nthe GPU is not used",  # removed, the GPU package installed
        "Should I install tensorflow-cpu? The GPU is not used.",  # a question
        "You can pip install tensorflow-cpu if you have no GPU. My GPU is not used.",  # advice
        "pip install faiss-cpu faiss-gpu\nthe GPU is not used",  # the GPU package beside it
    ):
        assert "LOG290" not in _ids(text), text


# --- TensorFlow's session line with no CUDA line anywhere -----------------------------------------------------------


def test_no_known_devices_without_any_cuda_line_ranks_the_cpu_build_first() -> None:
    text = ("I tensorflow/core/common_runtime/local_device.cc:40] Local device intra op parallelism threads: 4\n"
            "Device mapping: no known devices.\n"
            "I tensorflow/core/common_runtime/direct_session.cc:58] Device mapping:\n")
    assert codes(text)[0] == "FRAMEWORK_CPU_BUILD"


def test_no_known_devices_with_a_cuda_library_line_keeps_the_gpu_build_causes() -> None:
    text = ("I tensorflow/stream_executor/dso_loader.cc:135] successfully opened CUDA library libcublas.so.8.0 locally\n"
            "I tensorflow/stream_executor/dso_loader.cc:135] successfully opened CUDA library libcudnn.so.5 locally\n"
            "E tensorflow/stream_executor/cuda/cuda_driver.cc:509] failed call to cuInit: CUDA_ERROR_NO_DEVICE\n"
            "Device mapping: no known devices.\n")
    assert codes(text)[0] != "FRAMEWORK_CPU_BUILD"


# --- conda-forge's jaxlib build string ----------------------------------------------------------------------------


def test_conda_forge_cpu_jaxlib_is_jaxs_cpu_build_in_a_log_about_jax() -> None:
    text = "jaxlib                    0.4.23          cpu_py311h5b2e8d6_0    conda-forge\njax.devices() gives [CpuDevice(id=0)]\n"
    builds = facts(text).cuda_build.get("jax", [])
    assert builds and builds[0].value is False
    assert codes(text)[0] == "FRAMEWORK_CPU_BUILD"


def test_conda_forge_jaxlib_rows_stay_quiet_for_a_cuda_build_or_a_log_about_another_framework() -> None:
    assert not facts("jaxlib                    0.4.23          cuda120py311h5b2e8d6_200    conda-forge\n").cuda_build.get("jax")
    text = ("torch 2.1.0+cu121\njaxlib                    0.4.23          cpu_py311h5b2e8d6_0    conda-forge\n"
            "torch.cuda.is_available() returns False\n")
    assert not facts(text).cuda_build.get("jax")


# --- OpenCV's build information -------------------------------------------------------------------------------------


def test_opencv_build_information_without_cuda_is_opencvs_build_answer_in_a_log_about_its_cuda() -> None:
    text = ("cv2.cuda.getCudaEnabledDeviceCount() gives nothing useful, so I printed cv2.getBuildInformation():\n"
            "  Other third-party libraries:\n    Lapack:                      NO\n\n  NVIDIA CUDA:                   NO\n"
            "  OpenCL:                        YES (no extra features)\n")
    builds = facts(text).cuda_build.get("opencv", [])
    assert builds and builds[0].value is False
    assert "LOG137" in _ids(text)


def test_opencv_build_information_stays_quiet_with_cuda_or_in_a_log_about_another_framework() -> None:
    with_cuda = "img = cv2.cuda_GpuMat()\n  NVIDIA CUDA:                   YES (ver 12.2, CUFFT CUBLAS)\n"
    assert all(s.value is True for s in facts(with_cuda).cuda_build.get("opencv", []))
    other = "torch.cuda.is_available() returns False\n  NVIDIA CUDA:                   NO\n"
    assert not facts(other).cuda_build.get("opencv")


def test_progress_lines_and_device_labels_with_the_cpu_are_notices_but_not_a_gerund_subject() -> None:
    for line in ("Transcribing on CPU...", "[2/3] Generating on the CPU.", "Inference device: CPU", "Compute device = cpu"):
        assert ownanswer.cpu_notice(line) is not None, line
    for line in ("Training on CPU is 20x slower than on GPU", "Running on the CPU?", "Inference device: cuda:0",
                 "When running on CPU, it works"):
        assert ownanswer.cpu_notice(line) is None, line


def test_a_cpu_package_of_a_state_that_is_over_or_beside_a_working_gpu_names_nothing() -> None:
    for text in (
        "Before, I had installed tensorflow-cpu by mistake; now it is fixed.\nThe GPU is not used by the other script.",
        "pip install faiss-cpu\ntorch.cuda.is_available() returns True and training uses the GPU at 95%",
    ):
        assert "LOG290" not in _ids(text), text


def test_the_package_rows_hold_no_placeholder_for_the_report() -> None:
    for package in cpu_packages():
        for text in (package.instead, package.why):
            assert "<" not in text and "{" not in text, (package.name, text)


def test_the_writers_own_run_without_a_gpu_and_a_cpu_package_beside_another_frameworks_answer_name_nothing() -> None:
    for line in ("I am running the server without a GPU, why is it slow?", "We're running it without any GPU for now."):
        assert ownanswer.cpu_notice(line) is None, line
    for text in ("pip install faiss-cpu langchain\ntorch.cuda.is_available() returns False",
                 "pip install faiss-cpu\nimport torch\nmy GPU is not used"):
        assert "LOG290" not in _ids(text), text
