"""accort39 (session 39): ONNX Runtime's answers and what they mean.

- LOG-ORT-PROVIDERS-NOT-SET: onnxruntime-gpu (>= 1.9) refusing a session created without providers: the program's code.
- explain/ortrunning.py: the providers a running job reports in its progress bar; a session's CPU-only list beside an
  NVIDIA one, with no ONNX Runtime failure line, is no "no GPU" answer.
- LOG840: the onnxruntime-gpu release against the CUDA the log shows, where ONNX Runtime left the GPU unused.
"""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain import ortrunning

# https://github.com/deepinsight/insightface/pull/1861
NOT_SET = ("ValueError: This ORT build has ['TensorrtExecutionProvider', 'CUDAExecutionProvider', 'CPUExecutionProvider'] "
           "enabled. Since ORT 1.9, you are required to explicitly set the providers parameter when instantiating "
           "InferenceSession. For example, onnxruntime.InferenceSession(..., providers=['TensorrtExecutionProvider', "
           "'CUDAExecutionProvider', 'CPUExecutionProvider'], ...)")
# The same refusal by the 1.16.0 CPU package (microsoft/onnxruntime#17631): no GPU matter.
NOT_SET_CPU = ("ValueError: This ORT build has ['AzureExecutionProvider', 'CPUExecutionProvider'] enabled. Since ORT 1.9, you "
               "are required to explicitly set the providers parameter when instantiating InferenceSession.")


def test_providers_not_set_is_the_programs_code() -> None:
    assert first_cause(NOT_SET) == "CODE_FORCES_CPU"
    assert "LOG-ORT-PROVIDERS-NOT-SET" in finding_codes(NOT_SET)


def test_providers_not_set_by_the_cpu_package_is_not_read() -> None:
    assert "LOG-ORT-PROVIDERS-NOT-SET" not in finding_codes(NOT_SET_CPU)


# A running job's progress bar naming CUDA, and an InsightFace session's CPU-only list printed on the same line
# (https://github.com/hacksider/Deep-Live-Cam/issues/37, the shape; wording of our own).
RUNNING = ("Processing:   3%|##        | 12/400 [00:04<02:10,  2.97frame/s, execution_providers=['CUDAExecutionProvider'], "
           "execution_threads=4, max_memory=8]Applied providers: ['CPUExecutionProvider'], with options: {'CPUExecutionProvider': {}}")
FAILED = ("[W:onnxruntime:Default, onnxruntime_pybind_state.cc:861 CreateExecutionProviderInstance] Failed to create "
          "CUDAExecutionProvider. Please reference https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements "
          "to ensure all dependencies are met.")


def test_running_list_read_from_the_progress_bar_only() -> None:
    assert list(ortrunning.running_lists([RUNNING])) == [(1, "nvidia")]
    assert list(ortrunning.running_lists(["sess = ort.InferenceSession(p, execution_providers=['CUDAExecutionProvider'])"])) == []


def test_cpu_session_beside_a_job_running_on_cuda_is_no_cause() -> None:
    assert codes(RUNNING) == []
    assert not facts(RUNNING).gpu_answer.get("onnxruntime")


def test_cpu_session_beside_a_failed_provider_still_counts() -> None:
    assert facts(FAILED + "\n" + RUNNING).gpu_answer.get("onnxruntime") or codes(FAILED + "\n" + RUNNING)


def test_cpu_session_alone_still_reads_as_no_gpu() -> None:
    alone = "Applied providers: ['CPUExecutionProvider'], with options: {'CPUExecutionProvider': {}}"
    assert facts(alone).gpu_answer.get("onnxruntime")


def test_release_against_cuda_shown() -> None:
    text = "onnxruntime-gpu==1.17.1\nI have CUDA 12.6 installed and onnxruntime only uses the CPU"
    assert first_cause(text) == "CUDA_LIBS_MISMATCH"
    assert "LOG840" in finding_codes(text)


def test_release_against_cuda_quiet_where_it_fits_or_runs() -> None:
    assert "LOG840" not in finding_codes("onnxruntime-gpu==1.17.1\nI have CUDA 11.8 installed and onnxruntime only uses the CPU")
    assert "LOG840" not in finding_codes("onnxruntime-gpu==1.17.1\nI have CUDA 12.6 installed and it works fine on the GPU")
    # A release the table has no row for stays quiet; accort40: 1.27 has one now, its CUDA 13 build fits CUDA 13.2.
    assert "LOG840" not in finding_codes("onnxruntime-gpu==1.30.0\nI have CUDA 12.6 installed and onnxruntime only uses the CPU")
    assert "LOG840" not in finding_codes("onnxruntime-gpu==1.27.0\nI have CUDA 13.2 installed and onnxruntime only uses the CPU")
