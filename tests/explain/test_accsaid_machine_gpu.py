"""The writer's words that their machine has no NVIDIA GPU, or a GPU of another maker (accsaid, session 25).

explain/hwstated.machine_gpu_said reads them by their parts (the writer or their machine as the subject; "without", "no",
"only"; the GPU as the object), knowledge.gpus.stated_hardware_cause says what each value means, and LOG260 ranks the
statement above the failure lines that presuppose an NVIDIA GPU (a status 35, "Found no NVIDIA driver", "Torch not
compiled with CUDA enabled" on a Mac). Every line here is written for the test from the meaning of the class.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, hwstated, statements, to_report
from whygpu.knowledge.gpus import stated_hardware_cause


def _causes(text: str) -> list[str]:
    return [c.code for c in to_report(explain_text(text)).causes]


def _value(text: str) -> str | None:
    said = hwstated.machine_gpu_said(text)
    return said[0] if said else None


SAID = [
    # English: "without" said of the writer's machine or run.
    ("I tried to train on a laptop running Fedora, but without an NVIDIA graphics card.", "none"),
    ("When I launch eval.py without cuda and GPU I get the trace below", "none"),
    ("I am running the notebook on a machine without a GPU.", "none"),
    ("I'm on an old desktop without any dedicated GPU", "none"),
    ("my work laptop, without a discrete GPU, is what I have", "none"),
    ("We are testing the service on our VM without a GPU", "none"),
    # The older forms (statements.no_gpu), and the maker named beside them.
    ("Our workstation doesn't have an NVIDIA card.", "none"),
    ("I do not have a CUDA-capable GPU in this PC", "none"),
    ("I don't have an NVIDIA GPU, I have an AMD one.", "amd"),
    ("My notebook has no NVIDIA GPU, just Intel Iris Xe graphics", "intel-integrated"),
    ("This laptop has no GPU.", "none"),
    ("I only have a CPU on this box", "none"),
    ("I'm running it on a laptop with only integrated graphics.", "integrated"),
    # The writer's own GPU of another maker, with a verb of having or using.
    ("My laptop has an AMD Radeon RX 5500M.", "amd"),
    ("I have a Radeon RX 580 in my PC", "amd"),
    ("I'm using an AMD card", "amd"),
    # Chinese: no GPU on the machine, integrated graphics, an AMD card.
    ("我的笔记本没有GPU", "none"),
    ("我在没有独显的电脑上跑的", "none"),
    ("我的电脑是集显，跑起来报错", "integrated"),
    ("笔记本只有核显", "integrated"),
    ("我用的是A卡", "amd"),
    ("我的显卡是AMD的", "amd"),
    ("A卡运行时提示找不到GPU", "amd"),
]


@pytest.mark.parametrize(("text", "value"), SAID)
def test_machine_gpu_said(text: str, value: str) -> None:
    assert _value(text) == value


QUIET = [
    "Do I need an NVIDIA card to run this?",
    "Is there a way to run the demo without having an NVIDIA card?",
    "Can I run it on my laptop without a GPU?",
    "I want to deploy it on a server without a GPU.",
    "If you don't have an NVIDIA GPU, pass --cpu.",
    "On my laptop without a GPU it works fine, but the server crashes.",
    "I trained faster on my i5 box without a graphics card than on the Xeon with an RTX 2080 Ti.",
    "it works without gpu.",
    "Use --cpu to run on a machine without a GPU.",  # help text: nobody's machine
    "usage: main.py [--cpu]   run on a machine without a GPU",
    "I don't have a GPU to test this on, sorry.",  # a helper's reason
    "I have only CPU available for now inside the container.",
    "Similar speed on a node with no GPU and 64 cores, so the GPU seems idle.",  # one side of a comparison
    "I have an AMD card and an RTX 3060.",
    "My laptop has an AMD Ryzen 7 CPU.",
    "Does your laptop have an AMD GPU?",
    "A卡能用吗？",
    "A卡用户可以用DirectML版本。",
    "如果是集显的话，只能用CPU跑。",
    "我有一张A卡和一张N卡，N卡没有被识别。",
    "集显可以跑吗？",
    "我想在没有显卡的电脑上运行，可以吗？",
    "电脑是核显加独显，独显是3060",
]


@pytest.mark.parametrize("text", QUIET)
def test_machine_gpu_quiet(text: str) -> None:
    assert _value(text) is None


def test_values_mean_causes() -> None:
    # One decision for every value the reader gives: no NVIDIA GPU at all, or another maker's GPU.
    assert stated_hardware_cause("none") == "NO_GPU"
    assert stated_hardware_cause("integrated") == "NO_GPU"
    assert stated_hardware_cause("amd") == "GPU_NOT_SUPPORTED"
    assert stated_hardware_cause("nvidia") is None


STATUS_35 = "RuntimeError: cuda runtime error (35) : CUDA driver version is insufficient for CUDA runtime version at torch/csrc/cuda/Module.cpp:51"
NO_DRIVER = "RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver"


@pytest.mark.parametrize(("text", "first"), [
    # The statement explains a failure line that presupposes an NVIDIA GPU.
    (f"I run predict.py on a laptop without an NVIDIA GPU and get:\n{STATUS_35}", "NO_GPU"),
    (f"There is no dedicated GPU in my PC.\n{NO_DRIVER}", "NO_GPU"),
    (f"我的电脑是集显\n{NO_DRIVER}", "NO_GPU"),
    (f"我用的是A卡\n{NO_DRIVER}", "GPU_NOT_SUPPORTED"),
    ("I'm trying this on my MacBook Air and it fails:\nAssertionError: Torch not compiled with CUDA enabled", "NO_GPU"),
    # No failure line: the writer's words that the run fails with an error make the statement the report's problem.
    ("I keep getting errors about cuda. I am running it on a laptop without an nvidia card.", "NO_GPU"),
])
def test_statement_ranks_first(text: str, first: str) -> None:
    assert _causes(text)[:1] == [first]


@pytest.mark.parametrize("text", [
    # An NVIDIA GPU elsewhere in the report as the writer's: two machines, or a misread; the statement decides nothing.
    f"My server, without a GPU, is not the problem.\nOn my desktop with the RTX 3060:\n{STATUS_35}",
    f"I run it on a laptop without an NVIDIA GPU.\n| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2 |\n{STATUS_35}",
    # Neither a failure nor the writer's error words: an aside.
    "I am running the notebook on a machine without a GPU. The plots look different from the paper.",
    # A question stays a question.
    f"Is there a way to run this code without having an Nvidia card?\n{STATUS_35}",
])
def test_statement_quiet(text: str) -> None:
    assert "NO_GPU" not in _causes(text)[:1]


@pytest.mark.parametrize(("text", "said"), [
    ("I'm running this on my Mac laptop", True),
    ("I run it on a MacBook Pro", True),
    ("using my iMac at home", True),
    ("I set the MAC address on the server", False),
    ("Does it run on a Mac?", False),
])
def test_mac_named_as_the_writers(text: str, said: bool) -> None:
    assert ("darwin" in [v for v, _ in statements.platform_said(text)]) is said


@pytest.mark.parametrize(("text", "said"), [
    ("I am always running into errors with cuda support", True),
    ("I'm getting an error that says CUDA is not sufficient", True),
    ("运行时报错", True),
    ("I don't get any error, it is just slow", False),
    ("Do you get an error too?", False),
    ("RuntimeError: CUDA error: unknown error", False),  # a program's line is a signature's
])
def test_trouble_said(text: str, said: bool) -> None:
    assert (statements.trouble_said(text) is not None) is said
