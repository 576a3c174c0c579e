"""A framework's or program's answer about the GPU, in any form, is read as that framework's "no GPU" answer (explain/answers.py).

Each class fires on lines written from what it means (a query and its answer in prose, in other languages, after
an arrow or in a print; a program's failed GPU check raised as an exception) and stays quiet on code, questions,
advice, a True answer and a state that is over. docs/explain-accuracy.md ("Session 19 (branch accanswers)") says
what each changed on each set.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from log_text import codes as _codes
from log_text import facts as _facts
from log_text import report as _report
from whygpu.explain import answers

# --- a query and its answer on one line --------------------------------------------------------

# (line, framework, what the answer says about the GPU)
STATED = (
    ("after the upgrade `torch.cuda.is_available()` returns False on my laptop", "torch", False),
    ("torch.cuda.available() gives me false every time", "torch", False),
    ("torch.cuda.is_avaliable() keeps returning False", "torch", False),  # the typo reporters make
    ("torch.cudais_available is false in the notebook", "torch", False),
    ("torch.cuda.is_available() => False", "torch", False),
    ("torch.cuda.is_available() -> false", "torch", False),
    ("print(torch.cuda.is_available())  # prints False", "torch", False),
    ("torch.cuda.device_count() is 0 although nvidia-smi lists the card", "torch", False),
    ("装好以后 torch.cuda.is_available() 一直是False", "torch", False),
    ("torch.cuda.is_available() 还是 false，怎么办", "torch", False),
    ("torch.cuda.is_available() devuelve False después de instalar", "torch", False),
    ("torch.cuda.is_available() renvoie False", "torch", False),
    ("torch.cuda.is_available() возвращает False", "torch", False),
    ("torch.cuda.is_available() が False になります", "torch", False),
    ("torch.cuda.is_available() should return True but returns False", "torch", False),
    ("tf.config.list_physical_devices('GPU') returns an empty list on the new machine", "tensorflow", False),
    ("tf.config.experimental.list_physical_devices('GPU') gives []", "tensorflow", False),
    ("tf.test.is_gpu_available() prints False", "tensorflow", False),
    ("tf.config.list_physical_devices() only shows the CPU", "tensorflow", False),
    ("jax.devices() returns [CpuDevice(id=0)] even with jax[cuda12]", "jax", False),
    ("jax.default_backend() says 'cpu'", "jax", False),
    ("onnxruntime.get_available_providers() returns ['AzureExecutionProvider', 'CPUExecutionProvider']", "onnxruntime", False),
    ("ort.get_available_providers() shows only CPUExecutionProvider", "onnxruntime", False),
    ("paddle.device.get_device() returns 'cpu' on the GPU server", "paddle", False),
    ("cupy.cuda.runtime.getDeviceCount() -> 0", "cupy", False),
    ("numba.cuda.is_available() is False", "numba", False),
    ("mx.context.num_gpus() returns 0", "mxnet", False),
    ("jax.devices() gives [CudaDevice(id=0)] fine", "jax", True),
    ("torch.cuda.device_count() returns 2", "torch", True),
    ("ort.get_available_providers() lists CUDAExecutionProvider", "onnxruntime", True),
)


@pytest.mark.parametrize(("line", "framework", "gpu"), STATED)
def test_a_query_and_its_answer_on_one_line_are_read(line: str, framework: str, gpu: bool) -> None:
    said = answers.read_line(line)
    assert [(a.framework, a.gpu) for a in said] == [(framework, gpu)]


@pytest.mark.parametrize(("line", "framework", "gpu"), [s for s in STATED if s[2] is False])
def test_a_no_gpu_answer_makes_the_log_say_the_gpu_was_unused(line: str, framework: str, gpu: bool) -> None:
    facts = _facts(line)
    assert [s.value for s in facts.gpu_answer.get(framework, [])] == [False]
    report = _report(line)
    assert report.verdict.gpu_usable is False
    assert report.causes  # ranked, never "the logs say nothing"


# What is not an answer about now: code, a question, advice or a supposition, a negated or expected answer, a state
# that is over, another framework's answer.
QUIET = (
    "if not torch.cuda.is_available():",
    "    assert torch.cuda.is_available()",
    "device = 'cuda' if torch.cuda.is_available() else 'cpu'",
    "use_gpu = torch.cuda.is_available() and args.cuda",
    "does torch.cuda.is_available() return False for you?",
    "Does jax.devices() give [CpuDevice(id=0)] on your machine too?",
    "if torch.cuda.is_available() returns False, reinstall the driver",
    "You should check that torch.cuda.is_available() returns False before filing an issue",
    "Maybe tf.config.list_physical_devices('GPU') returns [] because of the driver",
    "ort.get_available_providers() does not return only ['CPUExecutionProvider'] any more",
    "torch.cuda.is_available() returned False before the reinstall, now True.",
    "Before updating the driver torch.cuda.is_available() was False; now it works.",
    "jax.devices() used to give [CpuDevice(id=0)] but now lists the GPU, fixed",
    "torch.cuda.is_available() returns True",
    "torch.cuda.is_available() is True and training is fast",
    "tf.config.list_physical_devices() returns [] in the docs example",  # unfiltered list: [] names no device kind
    "onnxruntime.get_available_providers() returns ['DmlExecutionProvider', 'CPUExecutionProvider']",  # DirectML: another GPU API
)


@pytest.mark.parametrize("line", QUIET)
def test_code_questions_advice_true_and_past_answers_stay_quiet(line: str) -> None:
    assert [a for a in answers.read_line(line) if a.gpu is False] == []
    assert not any(s.value is False for values in _facts(line).gpu_answer.values() for s in values)
    assert _report(line).verdict.gpu_usable is not False


def test_a_condition_on_another_clause_leaves_the_answer_asserted() -> None:
    # The condition is the installing, not the answer: the sentence reports what the query returns.
    line = "With conda, if PyTorch is installed after the geo packages, `torch.cuda.is_available()` gives `False`."
    assert [(a.framework, a.gpu) for a in answers.read_line(line)] == [("torch", False)]


def test_why_questions_presuppose_the_answer() -> None:
    assert [a.gpu for a in answers.read_line("Why does torch.cuda.is_available() return False?")] == [False]
    assert [a.gpu for a in answers.read_line("torch.cuda.is_available() 为什么是False？")] == [False]
    assert [a.gpu for a in answers.read_line("Anyone else getting torch.cuda.is_available() == False?")] == [False]
    # A statement said with a question mark (an issue's title) still states it; a yes/no question asks it.
    assert [a.gpu for a in answers.read_line("torch.cuda.is_available() returns False on Windows 11 with an RTX 3060?")] == [False]
    assert answers.read_line("Is torch.cuda.is_available() False on your side?") == []
    assert answers.read_line("torch.cuda.is_available() 返回 False 吗？") == []


def test_the_past_problem_now_fixed_is_quiet_also_for_the_older_readers() -> None:
    # The REPL-era reading and PyTorch's generic signature read the same words: a fixed state is no answer for them either.
    for line in ("torch.cuda.is_available() returned False until I reinstalled the driver, now it returns True.",
                 "torch.cuda.is_available() is False before the reinstall, now True"):
        assert not _facts(line).gpu_answer.get("torch")
        assert _report(line).verdict.gpu_usable is not False


def test_a_state_that_changed_to_no_gpu_is_the_answer() -> None:
    # "now" on the answer's side: the problem is the present one.
    line = "It worked before, but now torch.cuda.is_available() returns False"
    assert [a.gpu for a in answers.read_line(line)] == [False]


# --- a framework's answer is its own -------------------------------------------------------------

def test_an_answer_is_local_to_its_framework() -> None:
    log = "torch.cuda.is_available() returns True\njax.devices() gives [CpuDevice(id=0)]\n"
    report = _report(log)
    assert report.verdict.gpu_usable is False
    assert {f.scope for f in report.findings if f.id == "LOG104"} == {"jax"}


def test_another_frameworks_gpu_in_use_keeps_the_log_used() -> None:
    log = ("I tensorflow/core/common_runtime/gpu/gpu_device.cc:1525] Created device /job:localhost/replica:0/task:0/device:GPU:0 "
           "with 14626 MB memory:  -> device: 0, name: Tesla T4, pci bus id: 0000:00:04.0, compute capability: 7.5\n"
           "and onnxruntime.get_available_providers() gives ['CPUExecutionProvider']\n")
    assert _report(log).verdict.gpu_usable is True


def test_onnxruntime_providers_are_about_the_package_whatever_the_visible_devices() -> None:
    log = ('os.environ["CUDA_VISIBLE_DEVICES"] = "0"\n'
           "onnxruntime-gpu 1.17: ort.get_available_providers() gives only ['CPUExecutionProvider']\n")
    assert _codes(log)[:2] == ["FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN"]
    assert "pip install onnxruntime-gpu" in _report(log).findings[0].fix


def test_a_repl_pair_of_another_framework_is_read() -> None:
    log = ">>> import onnxruntime as ort\n>>> ort.get_available_providers()\n['CPUExecutionProvider']\n"
    assert [s.value for s in _facts(log).gpu_answer["onnxruntime"]] == [False]
    log = ">>> import paddle\n>>> paddle.device.get_device()\n'cpu'\n"
    assert [s.value for s in _facts(log).gpu_answer["paddle"]] == [False]
    log = ">>> import paddle\n>>> paddle.device.get_device()\n'gpu:0'\n"
    assert [s.value for s in _facts(log).gpu_answer["paddle"]] == [True]
    # Another framework's query holding PyTorch's words is that framework's.
    log = "In [2]: paddle.device.cuda.device_count()\nOut[2]: 0\n"
    assert set(_facts(log).gpu_answer) == {"paddle"}
    log = ">>> numba.cuda.is_available()\nFalse\n"
    assert set(_facts(log).gpu_answer) == {"numba"}


def test_a_build_answer_in_prose_is_the_builds() -> None:
    facts = _facts("paddle.is_compiled_with_cuda() returns False")
    assert [s.value for s in facts.cuda_build["paddle"]] == [False]
    assert _codes("paddle.is_compiled_with_cuda() returns False") == ["FRAMEWORK_CPU_BUILD"]
    facts = _facts("tf.test.is_built_with_cuda() gives me False on Windows")
    assert [s.value for s in facts.cuda_build["tensorflow"]] == [False]


# --- a program's own failed GPU check ------------------------------------------------------------

FAILED = (
    "AssertionError: CUDA is not available on this machine",
    "RuntimeError: no GPU was found, run with --cpu",
    "ValueError: This pipeline requires a GPU.",
    "Exception: GPU not available",
    "MyToolError: No CUDA-capable GPU detected",
    "SystemError: GPU device not found",
    "EnvironmentError: a CUDA GPU is required to train",
)


@pytest.mark.parametrize("line", FAILED)
def test_a_failed_gpu_check_raised_by_a_program_is_a_no_gpu_answer(line: str) -> None:
    assert answers.failed_check(line) is not None
    log = "Traceback (most recent call last):\n  File \"train.py\", line 12, in <module>\n" + line + "\n"
    report = _report(log)
    assert report.verdict.gpu_usable is False
    assert "LOG104" in {f.id for f in report.findings}


def test_a_failed_check_goes_to_the_one_framework_the_log_names() -> None:
    log = "import torch\nTraceback (most recent call last):\nRuntimeError: GPU not available, aborting\n"
    assert [s.value for s in _facts(log).gpu_answer["torch"]] == [False]
    log = "RuntimeError: GPU not available, aborting\n"
    assert [s.value for s in _facts(log).gpu_answer["any"]] == [False]


NOT_FAILED = (
    "raise RuntimeError('CUDA is not available')",  # the source of the check, not the check failing
    "RuntimeError: CUDA error: all CUDA-capable devices are busy or unavailable",  # a CUDA status: its own rule
    "ImportError: flash_attn requires CUDA 11.6 or above",  # a version needed, not a GPU missing
    "ValueError: This kernel requires a GPU with compute capability >= 8.0",
    "WARNING: GPU not available for this step, skipping",  # no exception raised
    "RuntimeError: No CUDA GPUs are available",  # PyTorch's own message, with its own cause
    "AssertionError: Torch not compiled with CUDA enabled",
)


@pytest.mark.parametrize("line", NOT_FAILED)
def test_other_lines_are_no_failed_check(line: str) -> None:
    assert answers.failed_check(line) is None


# --- what an answer means, per query ---------------------------------------------------------------

@pytest.mark.parametrize(("kind", "framework", "value", "says"), [
    ("bool", "torch", "False", False), ("bool", "torch", "TRUE", True), ("bool", "torch", "None", None),
    ("count", "torch", "0", False), ("count", "torch", "3", True),
    ("providers", "onnxruntime", "['CPUExecutionProvider']", False),
    ("providers", "onnxruntime", "['TensorrtExecutionProvider', 'CUDAExecutionProvider', 'CPUExecutionProvider']", True),
    ("providers", "onnxruntime", "['DmlExecutionProvider', 'CPUExecutionProvider']", None),
    ("gpu_list", "tensorflow", "[]", False), ("all_list", "tensorflow", "[]", None),
    ("all_list", "jax", "[CpuDevice(id=0)]", False), ("all_list", "jax", "[cuda(id=0)]", True),
    ("device_str", "jax", "'cpu'", False), ("device_str", "jax", "gpu", True),
    ("device_str", "tensorflow", "''", False),
])
def test_meaning_of_a_printed_value(kind: str, framework: str, value: str, says: bool | None) -> None:
    assert answers.meaning(kind, framework, value) is says


# --- a Kubernetes node's nvidia.com/gpu rows (LOG190) ----------------------------------------------

_DESCRIBE = """Name:               worker-gpu-2
Capacity:
  cpu:                16
  memory:             65842708Ki
  nvidia.com/gpu:     {capacity}
  pods:               110
Allocatable:
  cpu:                15890m
  memory:             64691732Ki
  nvidia.com/gpu:     {allocatable}
  pods:               110
Allocated resources:
  Resource           Requests    Limits
  nvidia.com/gpu     0           0
"""


def test_a_node_advertising_no_gpu_is_a_container_without_the_gpu() -> None:
    report = _report(_DESCRIBE.format(capacity=0, allocatable=0))
    assert [c.code for c in report.causes][:2] == ["CONTAINER_NO_GPU", "DRIVER_MISSING"]
    assert report.findings[0].id == "LOG190"
    assert report.verdict.gpu_usable is False


def test_gpus_found_but_none_allocatable_are_unhealthy() -> None:
    yaml = '  status:\n    allocatable:\n      cpu: "32"\n      nvidia.com/gpu: "0"\n    capacity:\n      cpu: "32"\n      nvidia.com/gpu: "4"\n'
    assert _codes(yaml) == ["GPU_FAULT"]


@pytest.mark.parametrize("log", [
    _DESCRIBE.format(capacity=2, allocatable=2),  # advertised and healthy; the Allocated table's 0 is requests, not GPUs
    "Allocated resources:\n  nvidia.com/gpu     0           0\n",
    "resources:\n  limits:\n    nvidia.com/gpu: 0\n",  # a pod asking for none: no node row
    _DESCRIBE.format(capacity=0, allocatable=0) + _DESCRIBE.format(capacity=1, allocatable=1),  # another node has one
])
def test_node_rows_that_show_a_gpu_or_no_node_stay_quiet(log: str) -> None:
    assert "LOG190" not in {f.id for f in _report(log).findings}


# --- a query printed, its value on the next line ----------------------------------------------------

@pytest.mark.parametrize(("log", "framework", "gpu"), [
    ('$ python -c "import onnxruntime as ort; print(ort.get_available_providers())"\n[\'CPUExecutionProvider\']\n', "onnxruntime", False),
    ("print(torch.cuda.device_count())\n0\n", "torch", False),
    ("python3 -c 'import paddle; print(paddle.device.get_device())'\n\ncpu\n", "paddle", False),
    ("print(torch.cuda.device_count())\n2\n", "torch", True),
])
def test_a_value_printed_under_its_query_is_its_answer(log: str, framework: str, gpu: bool) -> None:
    assert [s.value for s in _facts(log).gpu_answer[framework]] == [gpu]


@pytest.mark.parametrize("log", [
    "x = torch.cuda.device_count()\n0\n",  # code: the value is not printed by it
    "print(torch.cuda.device_count())\nthen I ran the training\n0\n",  # the next line with text is no value
    "print(mx.context.num_gpus())\nEpoch 1/10\n",
])
def test_a_query_without_its_value_under_it_says_nothing(log: str) -> None:
    assert not any(s.value is False for values in _facts(log).gpu_answer.values() for s in values)


# --- untrusted text -----------------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "torch.cuda.is_available()", "jax.devices()", "get_available_providers()", " returns ", " False", " True", " 0",
    "[]", "['CPUExecutionProvider']", "[CpuDevice(id=0)]", "?", ". ", ", ", " if ", " not ", " before ", " now ",
    "RuntimeError: ", "GPU not available", "就是", "`", "'", "\"", "(", ")", " ", "\t", "#", "=",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30))
def test_the_reader_takes_any_line(pieces: list[str]) -> None:
    line = "".join(pieces).replace("\n", " ")
    for said in answers.read_line(line):
        assert 0 <= said.start < said.end <= len(line)
        assert said.gpu in (True, False)
        assert said.framework in answers.FRAMEWORK_NAMES
    answers.failed_check(line)
    answers.asked(line)
