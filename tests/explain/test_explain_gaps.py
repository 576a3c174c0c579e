"""Lines that real frameworks print and that explain once missed or misread: TF 2.21's cuInit 303, loader errors, titles, repeated fixes."""

from __future__ import annotations

import re

import pytest

from whygpu.explain import explain_text, to_report
from whygpu.explain.catalogue import catalogue, load_data, parse_catalogue

CAT = catalogue()

# What tensorflow 2.21.0 from PyPI printed for `print(tf.config.list_physical_devices('GPU'))` on
# a Linux machine with no NVIDIA driver and no CUDA wheels (this project's build machine).
TF221_NO_DRIVER = """\
WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
I0000 00:00:1795748086.994754   29604 cudart_stub.cc:31] Could not find cuda drivers on your machine, GPU will not be used.
I0000 00:00:1795748087.174487   29604 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.
To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.
WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
I0000 00:00:1795748090.066942   29604 cudart_stub.cc:31] Could not find cuda drivers on your machine, GPU will not be used.
2.21.0
E0000 00:00:1795748090.464603   29604 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error: Failed call to cuInit: UNKNOWN ERROR (303)
[]
"""
CUDART_STUB = "2023-07-13 15:38:30.515088: I tensorflow/tsl/cuda/cudart_stub.cc:28] Could not find cuda drivers on your machine, GPU will not be used."
# https://github.com/jax-ml/jax/issues/15902: TensorFlow 2.8 in a container without CUDA.
TF_FOUR_LIBS = """\
2023-05-07 03:14:14.833628: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory; LD_LIBRARY_PATH: :/opt/conda/lib
2023-05-07 03:14:16.462858: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory; LD_LIBRARY_PATH: :/opt/conda/lib
2023-05-07 03:14:16.463150: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcublas.so.11'; dlerror: libcublas.so.11: cannot open shared object file: No such file or directory; LD_LIBRARY_PATH: :/opt/conda/lib
2023-05-07 03:14:16.463335: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcublasLt.so.11'; dlerror: libcublasLt.so.11: cannot open shared object file: No such file or directory; LD_LIBRARY_PATH: :/opt/conda/lib
"""
DLOPEN_SKIP = CAT.by_id["LOG-TF-DLOPEN-SKIP"].example


def _report(text: str):  # type: ignore[no-untyped-def]
    return to_report(explain_text(text, source="job.log"))


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- TensorFlow 2.21: cuInit error 303 -------------------------------------------------------------


def test_tf221_on_a_machine_without_a_driver_names_the_driver() -> None:
    report = _report(TF221_NO_DRIVER)
    assert report.verdict.gpu_usable is False
    first = report.causes[0]
    assert first.code == "DRIVER_MISSING"
    assert "libcuda.so.1" in first.title and "nvidia-smi" not in first.title
    assert "LOG-TF-CUINIT-NO-LIBCUDA" in first.findings
    assert any("UNKNOWN ERROR (303)" in line for line in first.evidence)
    # Not also read as a generic cuInit failure with the driver API's meaning of 303.
    assert "LOG-TF-CUINIT" not in _ids(TF221_NO_DRIVER)
    assert "DRIVER_MISMATCH" not in [c.code for c in report.causes]


@pytest.mark.parametrize("seen", CAT.by_id["LOG-TF-CUINIT-NO-LIBCUDA"].seen, ids=lambda s: s.source.rsplit("/", 3)[-3])
def test_the_older_303_line_means_the_same(seen) -> None:  # type: ignore[no-untyped-def]
    report = _report(seen.line)
    assert report.causes[0].code == "DRIVER_MISSING"
    assert _ids(seen.line) == {"LOG-TF-CUINIT-NO-LIBCUDA"}


def test_other_cuinit_errors_in_the_newer_wording_still_resolve() -> None:
    line = "E0000 00:00:1795748090.464603   29604 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error: Failed call to cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected"
    findings = explain_text(line).findings
    assert [f.id for f in findings if f.severity.value == "error"] == ["LOG-TF-CUINIT"]
    assert "CUDA_ERROR_NO_DEVICE" in findings[0].title
    assert "LOG-TF-CUINIT-NO-LIBCUDA" not in {f.id for f in findings}


def test_303_inside_a_container_is_the_container() -> None:
    log = "docker run --rm -it tensorflow/tensorflow:2.21.0 python train.py\n" + TF221_NO_DRIVER
    assert _report(log).causes[0].code == "CONTAINER_NO_GPU"


# --- titles say what the log showed ----------------------------------------------------------------


def test_cudart_stub_alone_does_not_claim_a_driver_failure() -> None:
    first = _report(CUDART_STUB).causes[0]
    assert first.code == "CUDA_LIBS_MISSING"
    assert "nvidia-smi" not in first.title and "driver is missing" not in first.title


DRIVER_LINES = [s for s in CAT.signatures if "no_driver" in s.tags]


def test_every_line_that_shows_no_driver_says_what_it_shows() -> None:
    assert len(DRIVER_LINES) >= 5
    for sig in DRIVER_LINES:
        assert sig.shows, f"{sig.id} sets no_driver but does not say what it shows"


@pytest.mark.parametrize("sig", DRIVER_LINES, ids=[s.id for s in DRIVER_LINES])
def test_cudart_stub_with_a_driver_line_names_that_line_only(sig) -> None:  # type: ignore[no-untyped-def]
    result = explain_text(CUDART_STUB + "\n" + sig.example)
    stub = next(f for f in result.findings if f.id == "LOG-TF-CUDART-STUB" and f.severity.value == "error")
    assert stub.cause == "DRIVER_MISSING"
    assert sig.shows in stub.title
    for other in DRIVER_LINES:
        if other.shows != sig.shows:
            assert other.shows not in stub.title
    if "SMI" not in sig.id:
        assert "nvidia-smi" not in stub.title


def test_two_driver_lines_are_both_named() -> None:
    smi = CAT.by_id["LOG-SMI-NO-DRIVER"]
    kernel = CAT.by_id["LOG-TF-KERNEL-DRIVER"]
    report = _report("\n".join((CUDART_STUB, kernel.example, smi.example)))
    stub = next(f for f in report.findings if f.id == "LOG-TF-CUDART-STUB" and f.severity.value == "error")
    assert kernel.shows in stub.title and smi.shows in stub.title


# --- the loader's own words: ImportError / OSError / WinError -----------------------------------

LOADER = CAT.by_id["LOG-LIB-CANNOT-OPEN"]


@pytest.mark.parametrize("line", [LOADER.example, *(s.line for s in LOADER.seen)])
def test_a_loader_error_for_a_cuda_library_is_a_finding(line: str) -> None:
    result = explain_text(line)
    assert result.gpu_used is False
    (finding,) = [f for f in result.findings if f.severity.value == "error"]
    assert finding.id == "LOG-LIB-CANNOT-OPEN"
    # The loader's words leave missing, off the path and another version open; with no installed version
    # shown, the base rate (knowledge/priors.toml) ranks another version first, the others stay listed; libcudnn of
    # major 8 or later has its own counted row (accrank4, session 21): missing first.
    new_cudnn = re.search(r"cudnn(?:\.so\.|64_)(?:[89]|[1-9][0-9])", line) is not None
    first, other = (("CUDNN_MISSING", "CUDNN_MISMATCH") if new_cudnn else ("CUDNN_MISMATCH", "CUDNN_MISSING") if "cudnn" in line
                    else ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_MISSING"))
    assert finding.cause == first
    alternatives = {f.cause for f in result.findings if f.alternative_to == finding.cause}
    assert other in alternatives


def test_the_library_version_is_read_like_tensorflows() -> None:
    line = "ImportError: libcudart.so.12: cannot open shared object file: No such file or directory"
    result = explain_text(line)
    assert result.details["facts"]["cuda_wanted"] == ["12"]
    # With CUDA 13 installed: the build wants another major.
    mismatch = _report(line + "\nCuda compilation tools, release 13.0, V13.0.48")
    assert mismatch.causes[0].code == "CUDA_LIBS_MISMATCH"
    assert "CUDA 12" in mismatch.causes[0].title and "13.0" in mismatch.causes[0].title
    # With CUDA 12.4 installed: it exists, the loader does not see it.
    on_disk = _report(line + "\n/usr/local/cuda-12.4/targets/x86_64-linux/lib/libcudart.so.12")
    assert on_disk.causes[0].code == "CUDA_LIBS_NOT_ON_PATH"
    # An old driver read against the CUDA the build wants.
    old_driver = _report(line + "\n| NVIDIA-SMI 470.86       Driver Version: 470.86       CUDA Version: 11.4")
    assert "DRIVER_TOO_OLD" in [c.code for c in old_driver.causes]


def test_tensorflows_own_line_wins_over_the_loader_text_it_quotes() -> None:
    line = TF_FOUR_LIBS.splitlines()[2]
    assert _ids(line) == {"LOG-TF-DSO-LOAD"}


def test_libraries_that_are_not_cuda_are_not_findings() -> None:
    assert explain_text("ImportError: libcurl.so.4: cannot open shared object file: No such file or directory").findings == []
    assert explain_text("OSError: libGL.so.1: cannot open shared object file: No such file or directory").findings == []


def test_a_windows_dll_names_the_file_not_the_folder() -> None:
    sig = CAT.by_id["LOG-DLL-ERROR-LOADING"]
    first = _report(sig.example).causes[0]
    assert first.code == "CUDNN_MISSING"
    assert "cudnn_cnn_infer64_8.dll" in first.title and "oobabooga" not in first.title


# --- one fix per cause -----------------------------------------------------------------------------


def test_lines_of_one_signature_make_one_finding_naming_them_all() -> None:
    report = _report(TF_FOUR_LIBS + DLOPEN_SKIP)
    first = report.causes[0]
    # No CUDA shown: the counted row for a CUDA 11 file with nothing shown (knowledge/priors.toml, accsoname: MISSING first).
    assert first.code == "CUDA_LIBS_MISSING"
    for library in ("libcudart.so.11.0", "libcublas.so.11", "libcublasLt.so.11"):
        assert library in first.title
    primary = [f for f in report.findings if f.id == "LOG-TF-DSO-LOAD" and f.cause == "CUDA_LIBS_MISSING"]
    assert len(primary) == 1 and primary[0].extra["lines"] == 4


def test_a_cause_gives_its_fix_once() -> None:
    report = _report(TF_FOUR_LIBS + DLOPEN_SKIP + "\n" + CUDART_STUB)
    for cause in report.causes:
        paragraphs = [p for p in cause.fix.split("\n")
                      if not p.startswith(("To tell the causes apart", "What would show it instead"))]
        assert len(paragraphs) == 1, f"{cause.code}: {cause.fix!r}"
        assert cause.fix.count("tensorflow[and-cuda]") <= 1
    missing = next(c for c in report.causes if c.code == "CUDA_LIBS_MISSING")
    assert "ldconfig -p" in missing.fix  # the row's check that decides (accsoname); TF 2.4-2.10 has no [and-cuda] extra
    # The other findings of the cause keep their evidence and say which finding gives the fix.
    quiet = [f for f in report.findings if f.cause == "CUDA_LIBS_MISSING" and not f.fix]
    assert quiet and all(f.extra["fix_given_by"] for f in quiet)


def test_a_cause_from_one_finding_keeps_its_fix() -> None:
    report = _report(CAT.by_id["LOG-PT-NOT-COMPILED"].example)
    assert report.causes[0].fix == CAT.by_id["LOG-PT-NOT-COMPILED"].fix


# --- the data checks the new fields ------------------------------------------------------------------


def test_replaces_must_name_a_signature() -> None:
    data = load_data()
    data["signature"] = [dict(data["signature"][0], replaces=["LOG-NOPE"]), *data["signature"][1:]]
    with pytest.raises(ValueError, match="LOG-NOPE"):
        parse_catalogue(data)


def test_an_unverified_row_must_say_why() -> None:
    data = load_data()
    data["signature"] = [dict(data["signature"][0], verified=False), *data["signature"][1:]]
    data["signature"][0].pop("verify_note", None)
    with pytest.raises(ValueError, match="verify_note"):
        parse_catalogue(data)


# --- lines whose real wording differed from the first examples -------------------------------------

# https://github.com/rupeshs/diffusionmagic/issues/12: PyTorch's warning spans three lines.
OLD_GPU_WARNING = """\
    Found GPU0 NVIDIA GeForce GTX 680 which is of cuda capability 3.0.
    PyTorch no longer supports this GPU because it is too old.
    The minimum cuda capability supported by this library is 3.7.
"""


def test_pytorchs_old_gpu_warning_over_three_lines() -> None:
    first = _report(OLD_GPU_WARNING).causes[0]
    assert first.code == "GPU_NOT_SUPPORTED"
    assert "compute capability 3.0" in first.title and "?" not in first.title


def test_a_jax_cudnn_version_line_is_read_once_as_the_version() -> None:
    line = CAT.by_id["LOG-JAX-CUDNN-TOO-OLD"].example
    assert _ids(line) == {"LOG-JAX-CUDNN-TOO-OLD"}
    assert [c.code for c in _report(line).causes] == ["CUDNN_MISMATCH"]
    assert _ids(CAT.by_id["LOG-JAX-UNABLE-TO-LOAD"].example) == {"LOG-JAX-UNABLE-TO-LOAD"}
    # cuDNN, which JAX's CUDA install brings as a wheel, reads as the version it wants not being loaded.
    assert _ids(CAT.by_id["LOG-JAX-CUDNN-LOAD"].example) == {"LOG-JAX-CUDNN-LOAD"}


def test_pytorchs_cuda_init_error_also_as_the_runtime_error() -> None:
    sig = CAT.by_id["LOG-PT-CUDA-INIT-ERROR"]
    for line in (sig.example, *(s.line for s in sig.seen)):
        (finding,) = [f for f in explain_text(line).findings if f.id == sig.id and f.severity.value == "error"]
        assert "804" in finding.title


def test_the_rows_left_unverified_are_known() -> None:
    # A row is marked unverified only when no public thread with its example line was found.
    # LOG-ORT-DLL-DEPENDS: the threads found quote it garbled by a console code page (its verify_note says where).
    # acc8d (session 17): messages read from the source of programs beyond the frameworks whose wording no
    # public thread at hand quotes with its URL (each verify_note names the file and call that prints it).
    acc8d = {"LOG-OLM-CC-NOT-COMPILED", "LOG-OLM-DRIVER-TOO-OLD", "LOG-OLM-DRIVER-LIB-MISMATCH", "LOG-OLM-CUDART-INIT-FAILURE",
             "LOG-OLM-NO-NVIDIA-DEVICES", "LOG-JAX-CC-BELOW-MIN", "LOG-JAX-CUDNN-KNOWN-BAD", "LOG-JAX-NEEDS-JAXLIB",
             "LOG-JAX-LIB-NOT-FOUND", "LOG-XLA-NO-SUPPORTED-DEVICES", "LOG-PADDLE-CUDNN-NOT-LOADED", "LOG-NUMBA-CUDA-DISABLED",
             "LOG-CUDF-ARCH-REQUIRED", "LOG-CUDF-DRIVER-TOO-OLD", "LOG-CUDF-NO-DRIVER", "LOG-VLLM-CPU-BUILD"}
    # acctf (session 18): TensorFlow messages whose full line no thread at hand quotes with its URL (the
    # verify_note names the source file that prints it).
    acctf = {"LOG-TF2-PLACER-NO-CUDA", "LOG-TF2-BENIGN-CORE-COUNT"}
    # accplat (session 18): kmod's Secure Boot refusal for an nvidia module name (threads describe it without a URL
    # quoting the line; the verify_note cites kmod's format for another module).
    accplat = {"LOG-PLAT-MODULE-SECURE-BOOT"}
    # accharvest (session 20): messages harvested from programs' sources at a commit; the example is written in the
    # program's format from the call that prints it (the verify_note names it), not copied from a thread.
    accharvest = {f"LOG-HARV-{name}" for name in (
        "CUPY-MULTIPLE", "DEEPSPEED-CPU", "DEEPSPEED-NO-DEVICES", "DEEPSPEED-OPS-CUDA", "GGML-CUDA-BUFFER",
        "GGML-LAYERS-OFFLOADED", "GGML-ZERO-LAYERS", "LGBM-NOT-ENABLED", "MXNET-CUDNN-AUTOTUNE", "MXNET-NO-DRIVER",
        "MXNET-NO-GPUS", "NUMBA-CC-BELOW-MIN", "NUMBA-NO-CUDADEVRT", "NUMBA-NO-SUPPORTED-CC", "NVRTC-NO-HEADERS",
        "PADDLE-ARCH", "PADDLE-CUDA-CUDNN-OLDER", "PADDLE-CUDNN-OLDER", "PADDLE-DRIVER-CUDA-OLDER", "TFJS-NO-ADDON",
        "TRITON-NO-DRIVER", "VLLM-NO-PLATFORM", "XGB-MISMATCHED-DEVICES", "XGB-NO-VISIBLE-GPU")}
    # accmsg (session 22): messages read from their program's source at a commit (XLA's ptxas and PTX-JIT lines,
    # TensorFlow's Windows plugin loader, the Windows loader's entry-point dialog for nvcuda and cuDNN DLLs); the
    # verify_note names the file and call that words them.
    accmsg = {"LOG-XLA-BENIGN-PTX-DRIVER-JIT", "LOG-TF-PLUGIN-NOT-LOADED", "LOG-WIN-NVCUDA-ENTRY-POINT",
              "LOG-WIN-CUDNN-ENTRY-POINT", "LOG-XLA-PTXAS-NOT-STARTED"}
    # accstatus (session 24): XLA's checks of the BLAS support cuBLAS could not give, read from gemm_algorithm_picker.cc and
    # GemmThunk (the verify_note names them); no public thread quoting the line was cited, to keep corpus logs out of src.
    accstatus = {"LOG-XLA-NO-BLAS"}
    # accunsup (session 26): cuDF's missing-PTX error, read from cudf/utils/_numba.py (_get_ptx_file; the verify_note names
    # it); the only thread at hand quoting it is a labelled corpus case, kept out of src.
    accstatus |= {"LOG-CUDF-PTX-BELOW-GPU"}
    # Session 26 (accceiling, accbusy, accruntime): messages read from the programs' sources (loader, dyld, Paddle's header
    # check, RAPIDS' RMM start-up, nvidia-docker 1.x, XGBoost's unused-parameter warning); each verify_note names the source.
    accstatus |= {"LOG-CUDNN-SYMBOL-VERSION", "LOG-CUDNN-SYMBOL-MISSING", "LOG-RAPIDS-RMM-OVER-FREE", "LOG-PADDLE-CUDNN-HEADER-UNMATCHED",
                  "LOG-CTR-DRIVER-BELOW-IMAGE-OLD", "LOG-XGB-GPU-PARAM-UNUSED"}
    # accxla (session 27): XLA's FindCudaExecutable status, the shells' command-not-found words, XLA's CUDA-root search list
    # and its data-dir flag, each written from the source or format its verify_note names.
    accstatus |= {"LOG-XLA-CUDA-TOOL-NOT-FOUND", "LOG-SHELL-PTXAS-NOT-FOUND", "LOG-XLA-SEARCHED-PIP-NVCC", "LOG-CUDA-ROOT-CHOSEN"}
    # accapps (session 27): the programs' own start-up lines (ggml's system_info and backend lines, whisper.cpp's GPU
    # switch, cellpose's and ColabFold's device notices), each written from the source call its verify_note names.
    accstatus |= {"LOG-GGML-SYSINFO-NO-GPU-BLAS", "LOG-GGML-SYSINFO-NO-CUDA", "LOG-GGML-SYSINFO-CPU-ONLY", "LOG-GGML-SYSINFO-CUDA-BUILD",
                  "LOG-WHISPERCPP-GPU-OFF", "LOG-WHISPERCPP-NO-GPU-FOUND", "LOG-GGML-USING-CUDA-DEVICE", "LOG-APP-CELLPOSE-NO-CUDA",
                  "LOG-APP-CELLPOSE-MXNET-NO-CUDA", "LOG-APP-CELLPOSE-CPU", "LOG-APP-COLABFOLD-NO-GPU", "LOG-APP-COLABFOLD-GPU"}
    # accserve (session 28): inductor's kernel names, dynamo's eager fall-back, nvidia-smi's compute modes and MPS, TensorRT's
    # status 1, each written from the source or format its verify_note names.
    accstatus |= {"LOG-INDUCTOR-TRITON-KERNELS", "LOG-DYNAMO-EAGER-FALLBACK", "LOG-PLAT-GPU-SHARED-MODE", "LOG-TRT-CUDA-INIT-USAGE-ERROR"}
    # acccupy40 (session 40): Chainer's check_cuda_available with the ImportError appended, written as chainer/backends/cuda.py
    # builds it (the thread at hand, jsk_recognition#2269, quotes the first line only; the verify_note says so).
    accstatus |= {"LOG-CHAINER-CUPY-MISSING"}
    # accgbdt41 (session 41): numba's cuLinkAddData frame for PTX it links, written as numba/cuda/cudadrv/driver.py's add_ptx
    # calls it (the verify_note says so); the threads at hand quoting it are labelled corpus cases, kept out of src.
    accstatus |= {"LOG-NUMBA-PTX-LINK-REFUSED"}
    assert {s.id for s in CAT.signatures if not s.verified} == {
        "LOG-TF-CUDART-ERROR-LOADING", "LOG-CONDA-NO-CUDA-DRIVER", "LOG-ORT-DLL-DEPENDS", *acc8d, *acctf, *accplat,
        *accharvest, *accmsg, *accstatus}
