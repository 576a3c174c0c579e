"""Classes of log whose reading generalises across the held-out corpora: each fires on lines that mean it and stays quiet without them.

The lines are written from what each message means (not copied from a corpus case); docs/explain-accuracy.md
says which cases of which set each class fixed and broke.
"""

from __future__ import annotations

from log_text import codes as _codes
from log_text import report as _report
from whygpu.knowledge.priors import undecided_prior

# --- base rates: a load failure that leaves its family open -------------------------------------

CUDART = ("2021-03-02 10:11:12.000001: W tensorflow/stream_executor/platform/default/dso_loader.cc:60] "
          "Could not load dynamic library 'libcudart.so.10.1'; dlerror: libcudart.so.10.1: cannot open shared object file: "
          "No such file or directory\n")
CUDNN = ("2020-05-01 09:00:00.000001: W tensorflow/stream_executor/platform/default/dso_loader.cc:55] "
         "Could not load dynamic library 'libcudnn.so.7'; dlerror: libcudnn.so.7: cannot open shared object file: "
         "No such file or directory\n")


def test_the_prior_ranks_a_family_only_when_the_line_leaves_it_open() -> None:
    prior = undecided_prior("CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"))
    assert prior is not None and prior.ranking[0] == "CUDA_LIBS_MISMATCH"
    assert prior.counts["CUDA_LIBS_MISMATCH"] > prior.counts["CUDA_LIBS_MISSING"]
    # A line that names one member alone ("this image has no cuDNN") keeps it.
    assert undecided_prior("CUDNN_MISSING", ()) is None
    assert undecided_prior("CUDNN_MISSING", ("GPU_BUSY",)) is None
    # A member outside any family has no prior.
    assert undecided_prior("DRIVER_MISSING", ("CUDA_LIBS_MISMATCH",)) is None
    # A CUDA library failing beside cuDNN: nothing of the stack loads, so "missing" keeps the lead.
    assert undecided_prior("CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"), frozenset({"CUDNN_MISSING"})) is None


def test_a_runtime_that_failed_to_load_with_no_cuda_shown_is_likeliest_another_release() -> None:
    report = _report(CUDART)
    assert [c.code for c in report.causes][:1] == ["CUDA_LIBS_MISMATCH"]
    assert {"CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING"} <= {c.code for c in report.causes}
    # The fix says what check decides between the members.
    assert "nvcc --version" in report.causes[0].fix and "pip list | grep nvidia" in report.causes[0].fix


def test_the_report_lists_the_family_in_the_order_the_base_rate_counted() -> None:
    # The alternatives are equally (un)likely to the model; the counted order (not the chain order of
    # causes.md, which puts "missing" before "off the path") is what the report shows. accsoname (session 34): with nothing of
    # CUDA shown, the row counted for that file's release (CUDA 10.1: MISMATCH, MISSING, NOT_ON_PATH).
    prior = undecided_prior("CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"),
                            tags=frozenset({"cuda_none_shown"}), file="libcudart.so.10.1")
    assert prior is not None
    codes = [c for c in _codes(CUDART) if c in prior.family]
    assert codes == list(prior.ranking)
    assert sorted(prior.ranking, key=lambda c: -prior.counts.get(c, 0)) == list(prior.ranking)


def test_an_installed_release_shown_decides_instead_of_the_prior() -> None:
    shown = CUDART + "nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 10.1, V10.1.243\n"
    codes = _codes(shown)
    assert codes[0] == "CUDA_LIBS_NOT_ON_PATH"


def test_a_cudnn_that_failed_to_load_with_none_shown_is_likeliest_another_version() -> None:
    report = _report(CUDNN)
    assert report.causes[0].code == "CUDNN_MISMATCH"
    assert "CUDNN_MISSING" in [c.code for c in report.causes]
    assert "cudnn" in report.causes[0].fix.lower()


def test_a_log_with_no_load_failure_gets_no_library_cause() -> None:
    quiet = ("2021-03-02 10:11:12.000001: I tensorflow/stream_executor/platform/default/dso_loader.cc:53] "
             "Successfully opened dynamic library libcudart.so.11.0\n")
    assert not {"CUDA_LIBS_MISMATCH", "CUDA_LIBS_MISSING", "CUDNN_MISMATCH"} & set(_codes(quiet))


def test_a_runtime_and_cudnn_failing_together_read_as_nothing_installed() -> None:
    codes = _codes(CUDART + CUDNN)
    assert codes[:2] == ["CUDA_LIBS_MISSING", "CUDNN_MISSING"] or codes[:2] == ["CUDNN_MISSING", "CUDA_LIBS_MISSING"]


# --- cuDNN's own loader messages on Windows ----------------------------------------------------


def test_cudnn_sub_library_dll_that_failed_to_load_is_cudnn_missing_or_off_path() -> None:
    codes = _codes("Could not load library cudnn_ops_infer64_8.dll. Error code 193\nPlease make sure cudnn_ops_infer64_8.dll is in your library path!\n")
    # libcudnn itself loaded (it opens its sub-libraries): not another version.
    assert codes[:2] == ["CUDNN_MISSING", "CUDA_LIBS_NOT_ON_PATH"]
    # The same words for a library that loaded, or about another DLL, say nothing.
    assert _codes("Loaded library cudnn_ops_infer64_8.dll\n") == []
    assert _codes("Could not load library myplugin.dll. Error code 126\n") == []


def test_cudnn_without_zlib_on_windows_is_cudnn_missing() -> None:
    report = _report("Could not locate zlibwapi.dll. Please make sure it is in your library path!\n")
    assert report.causes[0].code == "CUDNN_MISSING"
    assert "zlib" in report.causes[0].fix
    assert _codes("Copied zlibwapi.dll to C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11.8\\bin\n") == []


# --- a CPU build shown in another form than a prompt's answer ----------------------------------


def test_answers_written_after_an_arrow_are_read() -> None:
    pasted = "torch.__version__ \u2192 2.9.1+cpu\ntorch.version.cuda \u2192 None\ntorch.cuda.is_available() \u2192 False\n"
    assert _codes(pasted)[:1] == ["FRAMEWORK_CPU_BUILD"]
    # A CUDA build answered the same way says nothing against the GPU.
    assert _codes("torch.__version__ \u2192 2.1.0+cu118\ntorch.version.cuda \u2192 11.8\n") == []


def test_a_conda_plan_that_picks_pytorchs_cpu_variant_is_a_cpu_build() -> None:
    plan = "    pytorch-2.0.0.dev20221216  |      py3.8_cpu_0        84.2 MB  pytorch-nightly\n"
    assert _codes(plan) == ["FRAMEWORK_CPU_BUILD"]
    assert _codes("pytorch                   1.13.1          py3.9_cuda11.7_cudnn8.5.0_0    pytorch\n") == []
    # torchvision's CPU build in what an install is about to put in ties torch to its CPU variant (accbuild, session 26:
    # knowledge/cpu_packages.toml [[conda_variant]]); a `conda list` row of it is not read (test_installed_builds).
    assert _codes("    torchvision-0.15.0.dev20221216|         py38_cpu         7.0 MB  pytorch-nightly\n") == ["FRAMEWORK_CPU_BUILD"]


# --- the dynamic loader's symbol-version error between CUDA libraries -----------------------------


def test_a_versioned_cuda_symbol_missing_from_the_loaded_copy_is_a_mismatch() -> None:
    line = ("OSError: /opt/env/lib/libcusparse.so.12: symbol cublasLtMatmul version libcublasLt.so.12 "
            "not defined in file libcublasLt.so.12 with link time reference\n")
    assert _codes(line)[:1] == ["CUDA_LIBS_MISMATCH"]
    # The same words about a library outside CUDA say nothing about the GPU.
    assert _codes("OSError: /usr/lib/libfoo.so.1: symbol bar version LIBBAR_1.0 not defined in file libbar.so.1 with link time reference\n") == []


# --- a GPU in use through another backend than CUDA (ROCm) is not an NVIDIA failure ----------------

JAX_NO_CUDA = ("WARNING:2024-11-02 08:00:00,000:jax._src.xla_bridge:900: An NVIDIA GPU may be present on this machine, "
               "but a CUDA-enabled jaxlib is not installed. Falling back to {target}.\n")


def test_jax_falling_back_to_a_rocm_gpu_is_a_gpu_in_use() -> None:
    log = JAX_NO_CUDA.format(target="gpu") + "jax:    0.4.31\njaxlib: 0.4.31\ndevice info: AMD Instinct MI210-2, 2 local devices\n"
    report = _report(log)
    assert not report.causes
    assert report.verdict.gpu_usable is not False
    # The AMD device named alone (no fallback line) is a GPU in use as well.
    alone = _report("jax:    0.4.31\ndevice info: AMD Radeon PRO W7900-1, 1 local devices\n")
    assert "GPU_NOT_SUPPORTED" not in {c.code for c in alone.causes}
    # XLA's service on the ROCm platform likewise.
    xla = _report("I0000 00:00:1700000000.000000 1 service.cc:148] XLA service 0x55d0c0ffee00 initialized for platform ROCM\n"
                  "Radeon RX 7900 XTX\n")
    assert xla.verdict.gpu_usable is not False and "GPU_NOT_SUPPORTED" not in {c.code for c in xla.causes}


def test_jax_falling_back_to_the_cpu_stays_a_cpu_build() -> None:
    assert _codes(JAX_NO_CUDA.format(target="cpu"))[:1] == ["FRAMEWORK_CPU_BUILD"]
    # A CPU-only device list is no GPU in use.
    report = _report(JAX_NO_CUDA.format(target="cpu") + "device info: cpu-1, 1 local devices\n")
    assert report.verdict.gpu_usable is False
    # A line cut right after the message still reads as the fallback.
    assert _codes(JAX_NO_CUDA.split(". Falling")[0] + "\n")[:1] == ["FRAMEWORK_CPU_BUILD"]


# --- CUDA_VISIBLE_DEVICES set by the script's own code is CODE_FORCES_CPU (causes.md), not GPU_HIDDEN --

NO_CUDA_GPUS = "RuntimeError: No CUDA GPUs are available\n"


def test_a_script_that_sets_visible_devices_leads_with_its_own_code() -> None:
    log = 'train.py:\n    os.environ["CUDA_VISIBLE_DEVICES"] = "3"\n' + NO_CUDA_GPUS
    report = _report(log)
    assert report.causes[0].code == "CODE_FORCES_CPU"
    # The configuration reading stays listed: the variable may also be set outside the script.
    assert "GPU_HIDDEN" in {c.code for c in report.causes[1:]}
    assert "'3'" in report.causes[0].title


def test_visible_devices_set_outside_the_code_stays_hidden_by_configuration() -> None:
    assert _codes(NO_CUDA_GPUS)[:1] == ["GPU_HIDDEN"]
    assert _codes("$ export CUDA_VISIBLE_DEVICES=3\n" + NO_CUDA_GPUS)[:1] == ["GPU_HIDDEN"]


# --- the user's own words that the GPU is used but idle ------------------------------------------


def test_low_utilisation_said_either_way_round_is_gpu_underused() -> None:
    assert _codes("While training, the utilization of our GPU is really low, around a third of the time busy.\n")[:1] == ["GPU_UNDERUSED"]
    assert _codes("All CPU cores are at 100% and both GPUs are mostly sitting idle between batches.\n")[:1] == ["GPU_UNDERUSED"]


def test_busy_or_unused_gpus_are_not_read_as_underused() -> None:
    assert "GPU_UNDERUSED" not in _codes("The GPU utilization is 98% and training is fast.\n")
    assert "GPU_UNDERUSED" not in _codes("The GPU is not idle; memory usage of the GPU is normal.\n")
    # A failure that keeps the GPU unused is not "used but idle".
    assert "GPU_UNDERUSED" not in _codes("the GPUs are sitting idle\nRuntimeError: Found no NVIDIA driver on your system.\n")


# --- Colab: TensorFlow alone finding no GPU is likeliest a build for another CUDA (base rate) -----

COLAB = "from google.colab import drive\n"


def test_tensorflow_alone_finding_no_gpu_on_colab_is_likeliest_another_cuda() -> None:
    for line in ("SystemError: GPU device not found\n", ">>> tf.test.is_gpu_available()\nFalse\n"):
        codes = _codes(COLAB + "import tensorflow as tf\n" + line)
        assert codes[0] == "CUDA_LIBS_MISMATCH"
        assert "NO_GPU" in codes  # a CPU runtime stays listed, and the fix says how to tell


def test_no_gpu_off_colab_or_for_every_framework_keeps_no_gpu_first() -> None:
    assert _codes("SystemError: GPU device not found\n")[0] == "NO_GPU"
    both = COLAB + ">>> tf.test.is_gpu_available()\nFalse\n>>> torch.cuda.is_available()\nFalse\n"
    assert _codes(both)[0] == "NO_GPU"


# --- the number of GPUs TensorFlow lists, printed in the common spellings -------------------------


def test_zero_gpus_printed_either_way_is_no_gpu_found() -> None:
    for line in ("Num GPUs: 0\n", "Num GPUs Available:  0\n", "Num GPUs Available: 0, CPUs: 8\n", "`Num GPUs: 0`\n"):
        report = _report("import tensorflow as tf\n" + line)
        assert report.verdict.gpu_usable is False and report.causes, line


def test_a_nonzero_or_fractional_count_is_not_no_gpu() -> None:
    for line in ("Num GPUs: 1\n", "Num GPUs Available: 2\n", "Num GPUs: 0.5 hours per epoch\n"):
        assert not _report("import tensorflow as tf\n" + line).causes, line


# --- an XLA_GPU device without a GPU device: the driver works, TensorFlow's CUDA libraries did not load --

XLA_ONLY = ("[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU'),\n"
            " PhysicalDevice(name='/physical_device:XLA_GPU:0', device_type='XLA_GPU')]\n")


def test_an_xla_gpu_without_a_gpu_device_is_tensorflows_cuda_libraries() -> None:
    report = _report(XLA_ONLY + "Num GPUs: 0\n")
    assert report.causes[0].code == "CUDA_LIBS_MISMATCH"
    codes = {c.code for c in report.causes}
    assert {"CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING"} <= codes
    assert not codes & {"NO_GPU", "DRIVER_MISSING"}  # XLA reached the GPU through the driver


def test_no_xla_gpu_or_a_gpu_device_listed_reads_as_before() -> None:
    assert _codes("Num GPUs: 0\n")[0] == "NO_GPU"
    both = XLA_ONLY.rstrip("]\n") + ",\n PhysicalDevice(name='/physical_device:GPU:0', device_type='GPU')]\n"
    assert not _report(both).causes
