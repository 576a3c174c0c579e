"""A program's own words about its build and the GPUs it found, read by what they mean (session 24, branch accmsg).

Lines here are written from each class's meaning and from the programs' source formats (knowledge/build_messages.toml
cites them); no line is copied from a corpus case. Each reading fires on its class in several programs' wordings and
stays quiet on near misses: a GPU build that found no GPU, a version or an architecture after "compiled with", an
alternative, code, a question, the writer's advice, a count the user set to zero.
"""

from __future__ import annotations

from log_text import codes, facts
from whygpu.explain import buildsaid, explain_text
from whygpu.knowledge.build_messages import build_messages


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


def _meaning(line: str) -> str:
    if buildsaid.cpu_build_said(line) is not None:
        return "cpu_build"
    if buildsaid.arch_missing_said(line) is not None:
        return "arch_missing"
    if buildsaid.zero_gpus_printed(line) is not None:
        return "zero_gpus"
    return "not_cpu_build"


def test_every_cited_wording_is_read_with_its_meaning_and_has_a_source() -> None:
    rows = build_messages()
    assert {r.says for r in rows} == {"cpu_build", "arch_missing", "zero_gpus", "not_cpu_build"}
    for row in rows:
        assert row.source.startswith("https://"), row
        assert _meaning(row.line) == row.says, row.line


# --- 1. the build has no GPU code ------------------------------------------------------------------------------------


def test_a_cpu_build_is_read_in_other_programs_wordings_and_layouts() -> None:
    for line, program in (
        ("fooml.core.FooError: [10:00:00] src/device.cc:40: Device API cuda is not enabled. Please install the cuda version of fooml.", "fooml"),
        ("E0101 10:00:00.000 12 engine.cc:88] Check failed: ok: GPU support is not enabled in this build", ""),
        ("RuntimeError: CUDA support is not available in this build of bar", ""),
        ("BazError: Baz was built without CUDA support.", "Baz"),
        ("  File \"x.py\", line 3\nquxlib.QuxError: this binary hasn't been compiled with the GPU, please reinstall", "quxlib"),
        ("[ERROR] Please install the GPU version of widget to use device=cuda", "widget"),
        ("WidgetError: GPU is not enabled", "Widget"),
        ("When I run it I get `Device API gpu is not enabled. Please install the cuda version of widget.`", "widget"),  # quoted
        ("OSError: (PermissionDenied) Foo can't use CUDA since it's not compiled with CUDA, Please recompile or reinstall Foo with GPU support.", "Foo"),
    ):
        said = buildsaid.cpu_build_said(line.splitlines()[-1])
        assert said is not None, line
        assert said.program == program, (line, said)


def test_a_cpu_build_stays_quiet_on_near_misses() -> None:
    for line in (
        "Compiled with WITH_GPU, but no GPU found in runtime.",  # a GPU build that found no GPU
        "The extension was compiled with CUDA 11.8 but torch has CUDA 12.1",  # a version
        "error: ggml was not compiled with any CUDA arch <= 520",  # an architecture (class 2)
        "W gpu_device.cc:100] TensorFlow was not built with CUDA kernel binaries compatible with compute capability 8.9.",
        "No GPU found or the library is compiled without CUDA support",  # an alternative
        'print("OpenCV was not built with CUDA support")',  # code that prints it
        '    AT_ERROR("Not compiled with GPU support");',  # code that raises it
        "Is my build not compiled with CUDA?",  # a question
        "If the wheel is not compiled with CUDA, install the cuda version of it.",  # a condition and advice
        "You should install the GPU version of widget.",  # the writer's advice
        "If you see `Device API gpu is not enabled. Please install the cuda version of widget.` install the GPU build.",  # a README's condition
        'If you get an error like "not compiled with GPU support", reinstall.',
        "I compiled it with CUDA enabled and now it works",
        "GPU is not enabled in the notebook settings",  # a machine's setting, not an error's message
        "I tensorflow/stream_executor/platform/default/dlopen_checker_stub.cc:25] Not built with GPU enabled. Skip GPU library dlopen check.",
    ):
        assert buildsaid.cpu_build_said(line) is None, line


def test_a_cpu_build_message_names_the_program_and_quotes_its_advice() -> None:
    text = ("frob._ffi.FrobError: [09:00:00] /src/runtime/api.cc:82: Check failed: allow_missing: Device API gpu is not enabled. "
            "Please install the cuda version of frob.\nI have an RTX 3060 and CUDA 11.7.\n")
    report = explain_text(text)
    first = report.findings[0]
    assert first.id == "LOG300" and first.cause == "FRAMEWORK_CPU_BUILD"
    assert "frob" in first.title and "install the cuda version of frob" in first.fix


def test_a_signature_that_knows_the_message_speaks_instead() -> None:
    assert "LOG300" not in _ids("AssertionError: Torch not compiled with CUDA enabled\n")
    assert codes("AssertionError: Torch not compiled with CUDA enabled\n")[0] == "FRAMEWORK_CPU_BUILD"


def test_a_cpu_build_message_on_a_mac_without_an_nvidia_gpu_is_no_gpu_first() -> None:
    text = "macOS 13.4 on a MacBook Air\nwidget.WidgetError: widget was not compiled with CUDA support\n"
    got = codes(text)
    assert got[0] == "NO_GPU"
    assert "FRAMEWORK_CPU_BUILD" in got[:3]


def test_a_gpu_package_named_before_the_message_is_two_builds_installed() -> None:
    text = ("pip list shows widget 1.0 and widget-cu118 1.0\n"
            "widget._ffi.WidgetError: Device API cuda is not enabled. Please install the cuda version of widget.\n")
    got = codes(text)
    assert got[0] == "FRAMEWORK_INSTALL_BROKEN"
    assert "FRAMEWORK_CPU_BUILD" in got[:3]
    # The GPU package named only after the message is the remedy, not a second build there.
    after = ("widget._ffi.WidgetError: Device API cuda is not enabled. Please install the cuda version of widget.\n"
             "Fixed by pip install widget-cu118\n")
    assert codes(after)[0] == "FRAMEWORK_CPU_BUILD"


def test_a_cpu_build_message_after_a_failed_library_load_ranks_after_it() -> None:
    text = ("CUDA SETUP: WARNING! libcuda.so not found! Do you have a CUDA driver installed? If you are on a cluster, make sure you are on a CUDA machine!\n"
            "UserWarning: The installed version of widget was compiled without GPU support.\n")
    got = codes(text)
    assert got[0] != "FRAMEWORK_CPU_BUILD"
    assert "FRAMEWORK_CPU_BUILD" in got[:3]


# --- 2. no code for this GPU's architecture ---------------------------------------------------------------------------


def test_no_code_for_the_architecture_is_read_without_a_capability() -> None:
    for line in (
        "ERROR: fooblas was compiled without support for the current GPU architecture.",
        "/src/kernels/common.cuh:99: ggml was not compiled with any CUDA arch <= 500",
        "RuntimeError: CUDA driver error: CUDA_ERROR_NO_BINARY_FOR_GPU",
        "ValueError: this wheel was not built for this GPU's architecture",
    ):
        assert buildsaid.arch_missing_said(line) is not None, line
        assert buildsaid.cpu_build_said(line) is None, line
    text = "Loading model...\nERROR: fooblas was compiled without support for the current GPU architecture.\n"
    assert codes(text)[0] == "GPU_NOT_SUPPORTED"
    assert "LOG301" in _ids(text)


def test_no_code_for_the_architecture_stays_quiet_on_questions_and_code() -> None:
    for line in (
        "Was it compiled without support for the current GPU architecture?",
        'printf("ERROR: ggml-cuda was compiled without support for the current GPU architecture.\\n");',
        "If the binary was not built for this GPU, rebuild it.",
    ):
        assert buildsaid.arch_missing_said(line) is None, line


# --- 3. a printed count or list of GPUs that is zero or the CPU alone ------------------------------------------------


def test_a_printed_zero_count_is_the_frameworks_no_gpu_answer() -> None:
    for line in ("Training on 0 GPUs", "INFO - Found 0 GPU(s)", "Using 0 GPUs for inference", "0 GPUs available",
                 "GPU count: 0", "Available GPUs: 0", "device: cpu, n_gpu: 0, distributed training: False",
                 "available devices: ['cpu']"):
        assert buildsaid.zero_gpus_printed(line) is not None, line
    text = "import torch\nepoch 1 ...\nTraining on 0 GPUs\nit is very slow\n"
    assert facts(text).printed_no_gpu
    assert "LOG104" in _ids(text)
    tf = "No OpKernel was registered to support Op 'Foo' used by {{node Foo}} with these attrs: []\nRegistered devices: [CPU]\n"
    assert any(s.value is False for s in facts(tf).gpu_answer.get("tensorflow", []))


def test_a_printed_zero_stays_quiet_where_the_user_chose_it_or_on_ids_and_code() -> None:
    for line in ("python train.py --num_gpus 0", "trainer = Trainer(gpus=0)", "if num_gpus == 0:", "GPU 0: NVIDIA A100",
                 "gpus: 0,1", "Using 10 GPUs", "Registered devices: [CPU, GPU]", "Number of GPUs: 0"):
        assert buildsaid.zero_gpus_printed(line) is None, line
    chosen = "python train.py --num_gpus 0\nTraining on 0 GPUs\n"
    assert not facts(chosen).printed_no_gpu
    assert "LOG104" not in _ids(chosen)
