"""acctwins (session 39): one reader of twins installed together, and small mends (a CPU build asked about, LOG104's
title, cuDNN's archive names, onnxruntime-gpu's CUDA major)."""

from __future__ import annotations

from tests.log_text import codes, facts, first_cause, report

# --- (2) a question about the CPU build is not a statement of it ----------------------------------------------------


def test_cpu_build_asked_with_inverted_auxiliary_is_not_stated() -> None:
    # https://github.com/ArtLabss/tennis-tracking/issues/16
    text = "Is `cu` for cuda?  In which case can I run this with another CPU only version of Torch?"
    assert facts(text).stated_cpu_build == []


def test_cpu_build_said_before_a_question_is_still_read() -> None:
    text = "I have the CPU only version of torch installed, can I change it?"
    assert [s.value for s in facts(text).stated_cpu_build] == ["CPU only version"]
    assert facts("My torch is the CPU only build, how do I switch?").stated_cpu_build


# --- (3) LOG104's title names the cause its ranking puts first ------------------------------------------------------

# https://github.com/snapotter-hq/snapotter/issues/490 (corpus holdout97)
SNAPOTTER = """[python] GPU detected by torch but CUDAExecutionProvider not available in onnxruntime -- install onnxruntime-gpu for GPU acceleration
[python] No GPU detected, processing on CPU"""


def _log104(text: str) -> list[dict]:
    return [f for f in report(text).to_json()["findings"] if f["id"] == "LOG104"]


def test_log104_title_names_the_cause_ranked_first() -> None:
    rep = report(SNAPOTTER).to_json()
    lead = _log104(SNAPOTTER)[0]
    assert rep["causes"][0]["code"] == lead["cause"] == "FRAMEWORK_INSTALL_BROKEN"
    assert "First to check: conflicting" in lead["title"]


def test_log104_title_keeps_the_cpu_build_first_where_nothing_rules_it_out() -> None:
    text = "[python] GPU detected by torch but CUDAExecutionProvider not available in onnxruntime\n[python] No GPU detected, processing on CPU"
    rep = report(text).to_json()
    lead = _log104(text)[0]
    assert rep["causes"][0]["code"] == lead["cause"] == "FRAMEWORK_CPU_BUILD"


# --- (4) cuDNN's archive names carry two versions (https://developer.nvidia.com/rdp/cudnn-archive) ------------------


def test_cudnn_archive_name_is_read_as_cudnn_release_and_its_cuda() -> None:
    # https://github.com/tensorflow/tensorflow/issues/5949 (cuDNN 5.1 for CUDA 8.0; "cudnn-8.0" was read as cuDNN 8.0)
    line = ('My issue was that the PATH for cuDNN was set to "D:\\TensorFlow\\cudnn-8.0-windows10-x64-v5.1\\cuda", **but** the '
            'correct PATH for it was "D:\\TensorFlow\\cudnn-8.0-windows10-x64-v5.1\\cuda\\bin".')
    seen = facts(line)
    assert [s.value for s in seen.cudnn_installed] == ["5.1"]
    assert [s.value for s in seen.cudnn_built_for_cuda] == ["8.0"]


def test_cudnn_archive_name_in_an_issue_template_row() -> None:
    # https://github.com/tensorflow/tensorflow/issues/62080
    seen = facts("### CUDA/cuDNN version\n\nCUDA v11.2, cudnn-11.2-windows-x64-v8.1.0.77")
    assert [s.value for s in seen.cudnn_installed] == ["8.1"]
    assert [s.value for s in seen.cuda_installed] == ["11.2"]


def test_cudnn_redistributable_archive_name() -> None:
    # the name of NVIDIA's redistributable archive:
    # https://developer.download.nvidia.com/compute/cudnn/redist/cudnn/windows-x86_64/cudnn-windows-x86_64-8.9.7.29_cuda12-archive.zip
    seen = facts("I installed cudnn-windows-x86_64-8.9.7.29_cuda12-archive and CUDA 12.2")
    assert [s.value for s in seen.cudnn_installed] == ["8.9"]
    assert [s.value for s in seen.cudnn_built_for_cuda] == ["12"]


def test_cudnn_archive_name_said_needed_is_not_installed() -> None:
    # https://github.com/tensorflow/tensorflow/issues/7705
    line = ("I can confirm that at least for tensorflow version` 1.3.0`, we need to download `cudnn-8.0-windows10-x64-v6.0` for "
            "cuDNN 6.0, because **it is looking for `cudnn64_6.dll`**, not `cudnn64_5.dll` anymore!")
    assert facts(line).cudnn_installed == []


# --- (1) one reader of twins installed together: one fact, one decision (knowledge.cpu_packages.one_folder_twins) -----

# https://github.com/bourdakos1/Core-ML-Custom-Object-Detection/issues/2
IGNORED = ("When there is tensorflow installed, tensorflow-gpu is ignored. Then the time for training slows down significantly. The "
           "difference between tensorflow and tensorflow-gpu training rate is almost an order of magnitude.")
# https://github.com/mmartial/ComfyUI-Nvidia-Docker/issues/121
INTERFERING = "For some reason `onnxruntime` AND `onnxruntime-gpu` interfering."


def _together(text: str) -> list[tuple[tuple[str, ...], str | None]]:
    return [(t.value.names, t.value.pair.gpu if t.value.pair else None) for t in facts(text).twins_together]


def test_both_grammars_give_one_fact() -> None:
    # the writer's installing words (explain.installstate's grammar)
    assert _together("I had installed both onnxruntime and onnxruntime-gpu.") == [(("onnxruntime", "onnxruntime-gpu"), "onnxruntime-gpu")]
    # the words of the GPU build passed over (explain.twinboth's grammar)
    assert _together(IGNORED) == [(("tensorflow", "tensorflow-gpu"), "tensorflow-gpu")]
    assert _together(INTERFERING) == [(("onnxruntime", "onnxruntime-gpu"), "onnxruntime-gpu")]


def test_one_fact_shows_both_names_installed_so_the_listing_rule_judges() -> None:
    seen = facts(IGNORED)
    assert {s.value for s in seen.tf_packages_installed} == {"tensorflow", "tensorflow-gpu"}
    assert first_cause(IGNORED) == "FRAMEWORK_INSTALL_BROKEN"
    assert "FRAMEWORK_CPU_BUILD" in codes(IGNORED)  # the thread's second confirmed cause, now offered (LOG133)


def test_a_single_member_installed_beside_is_no_pair() -> None:
    assert _together("insightface pulls in onnxruntime.") == [(("onnxruntime",), None)]


def test_twins_decided_in_one_place() -> None:
    from whygpu.knowledge.cpu_packages import one_folder_twins

    twins = one_folder_twins(["paddlepaddle-gpu", "paddlepaddle"])
    assert twins is not None and twins[1:] == ("paddlepaddle", "paddlepaddle-gpu")
    assert one_folder_twins(["torch", "torch+cu121"]) is None  # torch's builds have no second name of one folder
    assert one_folder_twins(["onnxruntime", "onnxruntime-directml"]) is None


def test_twins_quiet_for_questions_and_removals() -> None:
    assert _together("Why do we need to install both tensorflow-gpu as well as tensorflow?") == []
    assert _together("I uninstalled both tensorflow and tensorflow-gpu.") == []


def test_paddle_pair_still_judged_by_log775() -> None:
    # LOG370 judges PaddlePaddle's pair only beside a CPU answer: LOG775 speaks for the words alone
    text = "I have paddlepaddle-gpu installed alongside paddlepaddle 2.5.1."
    assert "LOG775" in {f.id for f in report(text).findings}
    assert first_cause(text) == "FRAMEWORK_INSTALL_BROKEN"


# --- (6) onnxruntime's provider failure read by the library it names, against the release's CUDA/cuDNN majors --------
# (knowledge/programs.toml [[gpu_build]] onnxruntime-gpu rows, https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements)

# https://github.com/microsoft/onnxruntime/issues/20745
ORT_FAIL = ("2024-05-22 16:59:06.850388755 [E:onnxruntime:Default, provider_bridge_ort.cc:1744 TryGetProviderInfo_CUDA] "
            "/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1426 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() "
            "[ONNXRuntimeError] : 1 : FAIL : Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.11: "
            "cannot open shared object file: No such file or directory")


def _log240(text: str) -> list[tuple[str, str]]:
    return [(f.cause, f.confidence.value) for f in report(text).findings if f.id == "LOG240"]


def test_provider_failure_on_a_cuda_library_judged_against_the_release_cuda_major() -> None:
    text = "onnxruntime-gpu 1.18.0 is installed and I have CUDA 12.4 installed.\n" + ORT_FAIL
    assert _log240(text) == [("CUDA_LIBS_MISMATCH", "high")]
    assert first_cause(text) == "CUDA_LIBS_MISMATCH"


def test_provider_failure_on_a_cuda_library_says_nothing_of_the_cudnn_present() -> None:
    # the provider could not load cuBLAS 11: a cuDNN of another major beside it is not that failure
    text = "onnxruntime-gpu 1.18.0 is installed and I have cuDNN 9.1 installed.\n" + ORT_FAIL
    assert _log240(text) == []
    assert "CUDNN_MISMATCH" not in codes(text)[:2]
