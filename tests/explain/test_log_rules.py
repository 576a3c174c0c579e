"""The log fact rules: each fires on the facts that mean its cause and stays quiet without them.

Facts are built directly (``LogFacts``), or read from a few lines where the reading is the point.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes_of
from whygpu.diagnose import run_rule_list, run_rules
from whygpu.explain import explain_text, to_report
from whygpu.explain.judge import LogSubject, log_snapshot
from whygpu.explain.logfacts import FactReader, LogFacts
from whygpu.explain.rules import FACT_RULES, RULES
from whygpu.model import Finding, Severity


def _facts(text: str) -> LogFacts:
    reader = FactReader()
    reader.read_text("t.log", text)
    return reader.facts


def _fired(facts: LogFacts, matched: list[Finding] | None = None, in_use: bool = False) -> dict[str, list[Finding]]:
    found, _ = run_rule_list(FACT_RULES, LogSubject(facts=facts, matched=matched or [], gpu_in_use=in_use))
    out: dict[str, list[Finding]] = {}
    for finding in found:
        out.setdefault(finding.id, []).append(finding)
    return out


def _add(facts: LogFacts, name: str, value: object, key: str | None = None) -> None:
    facts.add(name, value, "t.log:1", "line", key=key)


def test_no_doctor_rule_reads_absence_from_a_log_as_absence_on_the_machine() -> None:
    # A log that shows nothing: every doctor rule must stay quiet (unknown, not "missing").
    findings, unknown = run_rules(log_snapshot(LogFacts()))
    assert findings == []
    assert unknown  # the rules say what they could not judge
    # A log that shows only a framework and a platform: still nothing about drivers or libraries.
    facts = _facts("TensorFlow version: 2.4.1\nOS Platform and Distribution: Ubuntu 20.04\n")
    findings, _ = run_rules(log_snapshot(facts))
    assert findings == []


def test_the_doctor_judges_tensorflow_on_native_windows_from_a_log() -> None:
    facts = _facts("### TensorFlow version\n\n2.18.0\n\n### OS platform and distribution\n\nWindows 11 24h2\n")
    findings, _ = run_rules(log_snapshot(facts))
    assert [f.id for f in findings] == ["FW002"]
    report = to_report(explain_text("### TensorFlow version\n\n2.18.0\n\n### OS platform and distribution\n\nWindows 11\n"
                                    "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]\n"))
    assert report.causes[0].code == "FRAMEWORK_CPU_BUILD"
    assert report.verdict.gpu_usable is False
    # Linux: the same version is fine.
    facts = _facts("### TensorFlow version\n\n2.18.0\n\n### OS platform and distribution\n\nUbuntu 22.04\n")
    assert run_rules(log_snapshot(facts))[0] == []


def test_log101_build_wants_other_cuda() -> None:
    facts = _facts("TensorFlow version: 2.1.0\nCUDA/cuDNN version: 10.2.89\nOS: Windows 10\n"
                   "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]\n")
    fired = _fired(facts)
    assert fired["LOG101"][0].cause == "CUDA_LIBS_MISMATCH"
    assert "10.1" in fired["LOG101"][0].title
    # The installed CUDA is the build's: quiet.
    facts = _facts("TensorFlow version: 2.1.0\nCUDA/cuDNN version: 10.1.243\nOS: Windows 10\n"
                   "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]\n")
    assert "LOG101" not in _fired(facts)


def test_log101_compares_versions_beside_a_harmless_tensorrt_failure() -> None:
    # TensorRT's optional libraries failing to load (the catalogue calls them harmless) is no CUDA
    # library judged by the signatures: the stated versions still decide.
    text = ("### Tensorflow Version\n\n2.11.0\n\n### OS Platform and Distribution\n\nUbuntu 22.04\n\n"
            "### CUDA/cuDNN version\n\n12.0\n")
    facts = _facts(text)
    facts.add("library_failed", "libnvinfer.so.7", "t.log:20", "Could not load dynamic library 'libnvinfer.so.7'")
    fired = _fired(facts)
    assert fired["LOG101"][0].cause == "CUDA_LIBS_MISMATCH" and "11.2" in fired["LOG101"][0].title
    # A CUDA library's own failure is judged by its signature against the installed versions: quiet here.
    facts = _facts(text)
    facts.add("library_failed", "libcusparse.so.11", "t.log:20", "Could not load dynamic library 'libcusparse.so.11'")
    assert "LOG101" not in _fired(facts)


def test_log101_asks_the_knowledge_which_release_ships_the_builds_libraries() -> None:
    # TensorFlow 2.5's tested build is CUDA 11.2; CUDA 11.0 is the same major but ships
    # libcusolver.so.10 where the build opens libcusolver.so.11 (knowledge/cuda.toml's sonames).
    unused = "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]\n"
    fired = _fired(_facts("TensorFlow version: 2.5.0\nCUDA/cuDNN version: V11.0.221\nOS: Ubuntu 20.04\n" + unused))
    assert "11.2" in fired["LOG101"][0].title and "11.0" in fired["LOG101"][0].title
    # CUDA 11.8 ships every soname a build for 11.2 opens: quiet.
    assert "LOG101" not in _fired(_facts("TensorFlow version: 2.5.0\nCUDA/cuDNN version: 11.8\nOS: Ubuntu 20.04\n" + unused))


def test_the_runtimes_real_file_name_is_an_installed_cuda() -> None:
    # libcudart.so.10.2.89 is the file CUDA 10.2 installs (the soname's target); libcudart.so.10.1 is a soname asked for.
    facts = _facts("it is looking for a library called 'libcudart.so.10.1'\nI renamed my file `libcudart.so.10.2.89` to `libcudart.so.10.1`\n")
    assert [(s.value, s.where) for s in facts.cuda_installed] == [("10.2", "t.log:2")]
    assert "10.1" in [s.value for s in facts.cuda_wanted]
    # A soname alone says what a build wanted, never what is installed.
    facts = _facts("Could not load dynamic library 'libcudart.so.10.1'; dlerror: libcudart.so.10.1: cannot open shared object file\n")
    assert facts.cuda_installed == [] and [s.value for s in facts.cuda_wanted] == ["10.1"]


def test_a_number_no_cuda_release_bears_is_not_the_cuda_installed() -> None:
    template = "### TensorFlow version\n\n2.16.1\n\n### CUDA/cuDNN version\n\n{}\n\n### GPU model and memory\n\nRTX 3090\n"
    # "8.6" under the template's CUDA/cuDNN header is cuDNN's (CUDA 8 had only 8.0).
    assert _facts(template.format("8.6")).cuda_installed == []
    assert [s.value for s in _facts(template.format("12.2")).cuda_installed] == ["12.2"]


def test_log102_driver_older_than_the_build() -> None:
    facts = LogFacts()
    _add(facts, "driver_cuda", "11.4")
    _add(facts, "build_cuda", "12.1", key="torch")
    hits = _fired(facts)["LOG102"]
    assert hits[0].cause == "DRIVER_TOO_OLD" and "12.1" in hits[0].title
    assert "download.pytorch.org/whl/cu11" in hits[0].fix
    # Same major from CUDA 11 on: minor-version compatibility, quiet.
    facts = LogFacts()
    _add(facts, "driver_cuda", "12.2")
    _add(facts, "build_cuda", "12.4", key="torch")
    assert "LOG102" not in _fired(facts)
    # Only the driver's version: the knowledge tables give its CUDA.
    facts = LogFacts()
    _add(facts, "driver_version", "388.73")
    _add(facts, "cuda_wanted", "10.0")
    _add(facts, "platform", "windows")
    assert "LOG102" in _fired(facts)


def test_log103_container_not_given_the_gpu() -> None:
    facts = _facts("$ docker run my-image\n\nWARNING: The NVIDIA Driver was not detected.  GPU functionality will not be available.\n")
    hit = _fired(facts)["LOG103"][0]
    assert hit.cause == "CONTAINER_NO_GPU" and hit.confidence.value == "high"
    assert "--gpus all" in hit.fix
    facts = _facts("$ docker run --gpus all my-image\nnvidia-smi\n")
    assert "LOG103" not in _fired(facts)


def test_log104_gpu_unused_without_reason_ranks_and_says_what_decides() -> None:
    facts = _facts(">>> import torch\n>>> torch.cuda.is_available()\nFalse\n")
    hits = _fired(facts)["LOG104"]
    assert hits[0].cause == "FRAMEWORK_CPU_BUILD" and hits[0].blocks_gpu
    assert "torch.version.cuda" in hits[0].fix
    assert all(h.alternative_to == "FRAMEWORK_CPU_BUILD" for h in hits[1:])
    # A CUDA build shown: the CPU build is not among the causes.
    facts = _facts(">>> torch.__version__\n'2.1.0+cu121'\n>>> torch.cuda.is_available()\nFalse\n")
    assert "FRAMEWORK_CPU_BUILD" not in {h.cause for h in _fired(facts)["LOG104"]}
    # The GPU answered: quiet.
    assert "LOG104" not in _fired(_facts(">>> torch.cuda.is_available()\nTrue\n"))
    # Another line already names the reason: quiet.
    named = Finding(id="LOG-PT-NOT-COMPILED", cause="FRAMEWORK_CPU_BUILD", severity=Severity.ERROR, title="t",
                    scope="pytorch", blocks_gpu=True)
    assert "LOG104" not in _fired(_facts(">>> torch.cuda.is_available()\nFalse\n"), [named])


def test_log105_library_on_disk_but_not_on_the_path() -> None:
    facts = LogFacts()
    _add(facts, "library_failed", "libcudnn_ops_infer.so.8")
    facts.add("library_files", "/home/u/site-packages/nvidia/cudnn/lib/libcudnn_ops_infer.so.8", "t.log:5", "", key="libcudnn_ops_infer.so.8")
    hit = _fired(facts)["LOG105"][0]
    assert hit.cause == "CUDA_LIBS_NOT_ON_PATH" and "/home/u/site-packages/nvidia/cudnn/lib" in hit.fix
    facts.library_files.clear()
    assert "LOG105" not in _fired(facts)


def test_log106_macos_and_log111_wsl1() -> None:
    facts = _facts('  File "/Users/me/env/lib/python3.10/site-packages/torch/cuda/__init__.py", line 9\n>>> torch.cuda.is_available()\nFalse\n')
    assert _fired(facts)["LOG106"][0].cause == "NO_GPU"
    facts = _facts('  File "C:/Users/me/env/lib/site-packages/torch/cuda/__init__.py", line 9\n>>> torch.cuda.is_available()\nFalse\n')
    assert "LOG106" not in _fired(facts)
    facts = _facts("Linux pc 4.4.0-19041-Microsoft #488-Microsoft x86_64 GNU/Linux\n>>> torch.cuda.is_available()\nFalse\n")
    assert _fired(facts)["LOG111"][0].cause == "DRIVER_MISSING"
    facts = _facts("Linux pc 5.15.90.1-microsoft-standard-WSL2 x86_64 GNU/Linux\n>>> torch.cuda.is_available()\nFalse\n")
    assert "LOG111" not in _fired(facts)


def test_log107_gpu_not_nvidia() -> None:
    facts = _facts("- TensorFlow version: 1.8.0\n- GPU model and memory: AMD Radeon RX Vega 64\n")
    assert _fired(facts)["LOG107"][0].cause == "GPU_NOT_SUPPORTED"
    # An AMD CPU is not an AMD GPU.
    facts = _facts("- TensorFlow version: 1.8.0\n- CPU: AMD Ryzen 9 5900X\n- GPU model and memory: GeForce RTX 3080\n")
    assert "LOG107" not in _fired(facts)


def test_log108_memory_taken_and_log109_underused() -> None:
    facts = _facts("| N/A 54C P0 246W / 300W |  15514MiB / 16130MiB |    100%      Default |\nRuntimeError: CUDA error: out of memory\n")
    assert _fired(facts)["LOG108"][0].cause == "GPU_BUSY"
    facts = _facts("|  1514MiB / 16130MiB |    10%      Default |\nRuntimeError: CUDA error: out of memory\n")
    assert "LOG108" not in _fired(facts)
    facts = _facts("the GPU utilization is unstable (sometime 100%, sometime 0%)\n")
    hit = _fired(facts)["LOG109"][0]
    assert hit.cause == "GPU_UNDERUSED" and hit.blocks_gpu is False
    assert "LOG109" not in _fired(_facts("GPU utilization 98% all the time\n"))


def test_log110_gpu_older_than_the_build_and_log112_cpu_build_stated() -> None:
    facts = _facts("my old graphics card (GeForce GM630m => cuda capability 2.1) fails\n")
    assert _fired(facts)["LOG110"][0].cause == "GPU_NOT_SUPPORTED"
    facts = _facts("TensorFlow version: 2.4.1\nGPU: Tesla K40m\n>>> tf.config.list_physical_devices('GPU')\n[]\n")
    assert "LOG110" not in _fired(facts)  # 3.5 is TensorFlow 2.4's minimum
    facts = _facts("The system installed the tensorflow with cpu version. How can I install the gpu version?\n")
    assert _fired(facts)["LOG112"][0].cause == "FRAMEWORK_CPU_BUILD"
    assert "LOG112" not in _fired(_facts("I installed the GPU version of tensorflow.\n"))


def test_facts_keep_file_and_line_and_unknown_stays_unknown() -> None:
    facts = _facts("hello\nPython 3.10.12 (main, Jun 11 2023) [GCC 11.4.0] on linux\n")
    assert facts.python[0].value == "3.10.12" and facts.python[0].where == "t.log:2"
    assert facts.platform_name() == "linux"
    assert facts.one("driver_version").__class__.__name__ == "Unavailable"
    assert not facts.gpu_unused()


def test_answers_without_a_prompt_and_wrapped_lines() -> None:
    facts = _facts("import tensorflow as tf\nprint(tf.__version__)\ntf.test.is_gpu_available()\n\nreturns:\n\n1.15.0\nFalse\n")
    assert [s.value for s in facts.gpu_answer["tensorflow"]] == [False]
    assert facts.versions["tensorflow"][0].value == "1.15.0"
    # A library name cut by a terminal or tracker is matched whole once the lines are rejoined.
    first = "2020-01-01 00:00:00.000000: W tensorflow/stream_executor/platform/default/dso_loader.cc:55] Could not load dynamic library 'libcudart.so.1"
    assert to_report(explain_text(first + "\n")).causes == []
    report = to_report(explain_text(first + "\n0.1'; dlerror: libcudart.so.10.1: cannot open shared object file\n"))
    # With no installed CUDA shown, the base rate ranks another release first (knowledge/priors.toml).
    assert report.causes[0].code == "CUDA_LIBS_MISMATCH"
    assert "libcudart.so.10.1" in report.causes[0].title


def test_a_scripts_labelled_print_is_read_as_the_answer() -> None:
    # print(f"label {expr}") prints the label, then the value: the line holding both answers the expression.
    facts = _facts('print(f"tf ({tf.__version__})")\nprint(f"gpus : {tf.config.list_physical_devices(\'GPU\')}")\n'
                   "tf (2.4.1)\ngpus : []\n")
    assert [s.value for s in facts.gpu_answer["tensorflow"]] == [False]
    assert facts.gpu_answer["tensorflow"][0].where == "t.log:4"
    assert facts.versions["tensorflow"][0].value == "2.4.1"
    # Another line that starts with other words is no answer, even with a list in it.
    facts = _facts('print(f"gpus : {tf.config.list_physical_devices(\'GPU\')}")\nmodels : []\n')
    assert "tensorflow" not in facts.gpu_answer
    facts = _facts('print("gpus:", tf.config.list_physical_devices("GPU"))\ngpus: [PhysicalDevice(name=\'/physical_device:GPU:0\', device_type=\'GPU\')]\n')
    assert [s.value for s in facts.gpu_answer["tensorflow"]] == [True]


def test_an_answer_retyped_in_lower_case_is_read() -> None:
    facts = _facts("`torch.cuda.is_available() `\nfalse\n")
    assert [s.value for s in facts.gpu_answer["torch"]] == [False]
    # Without an expression waiting for it, a lone "false" says nothing; a sentence is no answer either.
    assert "torch" not in _facts("import torch\nfalse\n").gpu_answer
    assert "torch" not in _facts("torch.cuda.is_available()\nfalse positives are rare\n").gpu_answer


def test_every_log_rule_is_registered_and_documented() -> None:
    codes = {r.code for r in RULES}
    assert {f"LOG1{n:02d}" for n in range(1, 13)} <= codes
    assert "LOG-TF-DSO-LOAD" in codes


def test_a_frameworks_own_message_outranks_another_frameworks_generic_line() -> None:
    log = (
        "W tensorflow/core/common_runtime/gpu/gpu_device.cc:2211] Cannot dlopen some GPU libraries. Please make sure the "
        "missing libraries mentioned above are installed properly if you would like to use GPU.\n"
        "Skipping registering GPU devices...\n"
        "CUDA backend failed to initialize: Found cuSOLVER version 11501, but JAX was built against version 11502, which is "
        "newer. The copy of cuSOLVER that is installed must be at least as new as the version against which JAX was built.\n"
    )
    report = to_report(explain_text(log))
    assert report.causes[0].code == "CUDA_LIBS_MISMATCH"
    assert "JAX" in report.verdict.summary and "cuSOLVER" in report.verdict.summary


def test_tensorflow_before_2_1_without_the_gpu_package_ranks_the_cpu_build_first() -> None:
    facts = _facts("tensorflow==1.15.0\n>>> tf.test.is_gpu_available()\nFalse\n")
    assert _fired(facts)["LOG104"][0].cause == "FRAMEWORK_CPU_BUILD"
    facts = _facts("tensorflow-gpu==1.15.0\n>>> tf.test.is_gpu_available()\nFalse\n")
    assert _fired(facts)["LOG104"][0].cause != "FRAMEWORK_CPU_BUILD"


def test_log110_knows_the_old_gpus_nvidia_lists_and_theanos_gpu_line_is_a_gpu_in_use() -> None:
    """A Quadro FX 2800M (1.1, NVIDIA's legacy list) is below every CUDA since 9.0; Theano saying it took a Fermi GPU is a GPU in use."""
    from whygpu.explain import explain_text

    def causes(text: str) -> set[str]:
        return {f.cause for f in explain_text(text).findings}

    assert "GPU_NOT_SUPPORTED" in causes("tensorflow-gpu on Windows 7, GPU: Quadro FX 2800M\nCheck failed: s.ok() could not find cuDevice\n")
    # Theano's own line that it took the GPU: in use, nothing to judge.
    report = explain_text("Using Theano backend.\nMapped name None to device cuda: Tesla C2075 (0000:02:00.0)\n")
    assert report.gpu_used is True and not report.findings


@pytest.mark.parametrize(("line", "version"), [
    ("Driver Version: 470.141.03", "470.141.03"),          # Linux releases have three-digit minors too
    ("NVIDIA Driver Version: 535.104.05", "535.104.05"),
    ("Driver Version: 390.157", "390.157"),
    ("Driver Version: 531.61", "531.61"),                  # a Windows release
])
def test_the_driver_version_line_is_read_whatever_the_length_of_its_minor(line: str, version: str) -> None:
    assert [s.value for s in _facts(line + "\n").driver_version] == [version]


def test_a_driver_version_that_is_no_release_number_is_not_read() -> None:
    assert _facts("Driver Version: 4.1\n").driver_version == []


def test_tensorflows_stated_minimum_judges_the_gpu_shown_even_standing_alone() -> None:
    # TensorFlow's "The minimum required Cuda capability is X" pasted without its "Ignoring visible gpu device" part
    low = "The minimum required Cuda capability is 6.0 for the binary C-API releases\nGPU model and memory: GeForce GTX 960M, compute capability: 5.0\n"
    assert _codes_of(low)[:1] == ["GPU_NOT_SUPPORTED"]
    # a GPU at or above the stated minimum, and a log whose GPU was used, stay quiet
    assert "GPU_NOT_SUPPORTED" not in _codes_of(low.replace("960M, compute capability: 5.0", "1080, compute capability: 6.1"))
    used = low + "I tensorflow/core/common_runtime/gpu/gpu_device.cc:1639] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 3000 MB memory\n"
    assert "GPU_NOT_SUPPORTED" not in _codes_of(used)
