"""The pure views over snapshot.deep that the verdict and the -v details use."""

from __future__ import annotations

from deep_builders import answered, driver, ran_on_gpu, stopped, with_deep

from builders import cpu_vm, healthy, tf_build, torch_build
from whygpu.probes import StreamCapture
from whygpu.rules import deep_view as view


def test_verdicts_per_probe() -> None:
    snapshot = with_deep(healthy(tf_build(), torch_build()), ran_on_gpu("tensorflow"), answered("torch"),
                         stopped("jax", "timeout"), driver())
    assert view.framework_verdicts(snapshot) == {"tensorflow": True, "torch": False, "jax": None}


def test_verdicts_without_deep_are_empty() -> None:
    assert view.framework_verdicts(healthy()) == {}


def test_crash_is_a_no() -> None:
    snapshot = with_deep(healthy(), stopped("tensorflow", "crashed", signal="SIGSEGV"))
    assert view.framework_verdicts(snapshot) == {"tensorflow": False}


def test_details_say_what_each_probe_answered_and_loaded() -> None:
    cudart = "/opt/venv/lib/python3.11/site-packages/nvidia/cuda_runtime/lib/libcudart.so.12"
    snapshot = with_deep(healthy(), ran_on_gpu("tensorflow", mapped=[cudart, "/usr/lib/x86_64-linux-gnu/libc.so.6"]),
                         driver(codes=(0, 0, 0)))
    details = view.details(snapshot)
    tf = details["probes"]["tensorflow"]
    assert tf["status"] == "ok" and tf["gpus"] == ["NVIDIA A100-SXM4-40GB"]
    assert tf["operation"] == {"requested": "/GPU:0", "ok": True, "placed_on": "/job:localhost/replica:0/task:0/device:GPU:0"}
    assert tf["loaded_cuda_libraries"] == {"cudart": [cudart]}
    assert tf["mapped_libraries"] == 2
    assert details["probes"]["driver"]["calls"] == ["cuInit: 0", "cuDriverGetVersion: 0 (value 12040)", "cuDeviceGetCount: 0 (value 1)"]


def test_details_of_a_stopped_probe_say_where() -> None:
    details = view.details(with_deep(cpu_vm(), stopped("torch", "crashed", signal="SIGABRT", phase="list_devices")))
    assert details["probes"]["torch"] == {"python": "/opt/venv/bin/python", "status": "crashed", "seconds": 60.0,
                                          "signal": "SIGABRT", "stopped_in": "list_devices", "mapped_libraries": 0}


def test_numbered_lines_put_each_line_at_its_real_number() -> None:
    capture = StreamCapture(lines=["a", "b", "y", "z"], total_lines=10, omitted_from=3, omitted_count=6)
    assert capture.numbered() == [(1, "a"), (2, "b"), (9, "y"), (10, "z")]
    assert view.numbered_lines(capture) == ["a", "b", "", "", "", "", "", "", "y", "z"]


def test_message_of_strips_source_and_log_prefix() -> None:
    line = "tensorflow probe stderr:7: E0000 00:00:1795745869.814601   11927 cuda_platform.cc:52] failed call to cuInit"
    assert view.message_of(line) == "failed call to cuInit"
    assert view.log_order(line) == ("tensorflow probe stderr", 7)


def test_library_stem() -> None:
    assert view.library_stem("/x/libcudart.so.12.4.127") == "libcudart"
    assert view.library_stem("/x/libcublasLt.so") == "libcublasLt"
    assert view.library_stem("/x/libnvidia-ml.so.1") == "libnvidia-ml"
    assert view.library_stem("/x/libc-2.31.so") is None
    assert view.library_stem("/x/_pywrap.cpython-311-x86_64-linux-gnu.so") is None


def test_error_lines_are_absl_errors_and_exception_messages() -> None:
    assert view.is_error_line("tensorflow probe stderr:8: E0000 00:00:1795745869.814601   11927 cuda_platform.cc:52] failed call to cuInit")
    assert view.is_error_line("x:1: 2020-08-08 23:41:50.112233: E tensorflow/stream_executor/cuda/cuda_driver.cc:314] failed call to cuInit")
    assert view.is_error_line("torch probe stderr:3: AssertionError: Torch not compiled with CUDA enabled")
    assert not view.is_error_line("x:2: I0000 00:00:1795745865.415008   11927 cudart_stub.cc:31] Could not find cuda drivers")
    assert not view.is_error_line("x:1: /t/functional_tensor.py:368: UserWarning: Failed to initialize NumPy")


def test_verdicts_by_environment_match_the_static_builds() -> None:
    snapshot = with_deep(healthy(tf_build(), torch_build()), ran_on_gpu("tensorflow"), answered("torch"), driver())
    by_env = view.verdicts_by_environment(snapshot)
    assert by_env == {("/opt/venv/bin/python", "tensorflow"): True, ("/opt/venv/bin/python", "torch"): False}


def test_a_framework_that_ran_on_the_gpu_is_usable_despite_a_static_error() -> None:
    from whygpu.diagnose import diagnose
    from whygpu.snapshot import LibraryResolution

    broken = tf_build(libraries=[LibraryResolution("cudnn", ["libcudnn.so.9"], True, None, None)])
    static = diagnose(healthy(broken))
    assert static.verdict.gpu_usable is False
    report = diagnose(with_deep(healthy(broken), ran_on_gpu("tensorflow"), driver()))
    (tf_verdict,) = report.details["frameworks"].values()
    assert tf_verdict["ran_on_gpu"] is True
    assert tf_verdict["gpu_usable"] is True
    assert report.verdict.gpu_usable is True


def test_the_build_a_framework_states_is_read_through_typed_properties() -> None:
    from whygpu.probes import FrameworkAnswer

    tf = FrameworkAnswer("tensorflow", build={"cuda_version": "12.5.1", "cudnn_version": "9", "is_cuda_build": True})
    torch = FrameworkAnswer("torch", build={"cuda": "12.8", "cudnn": 90100})
    assert (tf.cuda_version, tf.cudnn_version) == ("12.5.1", "9")
    assert (torch.cuda_version, torch.cudnn_version) == ("12.8", None)
    assert FrameworkAnswer("jax", build={"cuda": None, "error": "x"}).cuda_version is None
