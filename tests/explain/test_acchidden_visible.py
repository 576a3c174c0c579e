"""Session 36 (acchidden): a run that finds no CUDA device while another layer lists the GPU, and who set the device list.

Real lines carry their public source. The knowledge is knowledge/visible_devices.toml (knowledge.visible_devices); the
reader explain/hiddenrun.py; the rule LOG680 (explain/hiddenrules.py); LOG104 and ruleouts' available_stated ask the same
decision (setter_cause, shell_answer_covers_run).
"""

from __future__ import annotations

import re

import pytest

from log_text import codes, facts, finding_codes, first_cause
from whygpu.knowledge import visible_devices as vd

# https://github.com/thuml/Time-Series-Library/issues/698 (the run script starts the failing run)
TSL = """- 单独运行`python -c "import torch; print(torch.cuda.is_available())"`返回`True`
- 但使用脚本运行模型时报错：`RuntimeError: No CUDA GPUs are available`
3. 运行脚本：`bash ./scripts/long_term_forecast/ETT_script/TimesNet_ETTh1.sh`
```
Use GPU: cuda:0
Traceback (most recent call last):
  File "/home/karesis/Project/Program/Time-Series-Library/.conda/lib/python3.8/site-packages/torch/cuda/__init__.py", line 314, in _lazy_init
    torch._C._cuda_init()
RuntimeError: No CUDA GPUs are available
```"""

# https://github.com/doublechenching/brats_segmentation-pytorch/issues/1 (the program's own init_env('1'))
BRATS = """In Linux:
RuntimeError: cuda runtime error (38) : no CUDA-capable device is detected at /opt/conda/conda-bld/pytorch_1535491974311/work/aten/src/THC/THCGeneral.cpp:74

torch.cuda.is_available()的结果是True，nvidia-smi也都显示正常，请问可能是哪里有问题？"""

# https://github.com/flatironinstitute/CaImAn/issues/996 (CaImAn sets CUDA_VISIBLE_DEVICES=-1 itself)
CAIMAN = """tensorflow run from caimina fails to find CUDA device yet tensorflow from cli does it.

pb@claustrum ~/c/d/general> python demo_caiman_basic.py"""

# https://github.com/Xilinx/Vitis-AI/issues/261 (the run script assigns GPU 1 on a one-GPU server)
VITIS = """inside the docker/conda i can run nvidia-smi without problem.

but when i run run_eval_images_by_h5 for tf2_resnet50, it reports failed to call cuinit"""

# https://github.com/PaddlePaddle/models/issues/1356
PADDLE = """paddle.fluid.core.EnforceNotMet: cudaGetDeviceCount failed in paddle::platform::GetCUDADeviceCount: no CUDA-capable device is detected at [/paddle/paddle/fluid/platform/gpu_info.cc:33]
我机器有GPU，跑其他Paddle模型没问题。"""


def _hidden(text: str) -> list[tuple[str, str]]:
    return [(s.value.table, s.value.id) for s in facts(text).hidden_run]


def test_a_run_script_shown_makes_it_the_environment() -> None:
    assert ("starter", "shell-run-script") in _hidden(TSL)
    assert "LOG680" in finding_codes(TSL)
    ranked = codes(TSL)
    assert ranked[:2] == ["GPU_HIDDEN", "CODE_FORCES_CPU"]


def test_the_framework_in_the_shell_with_no_launcher_is_the_program() -> None:
    assert ("seen", "framework-true-in-shell") in _hidden(BRATS)
    assert first_cause(BRATS) == "CODE_FORCES_CPU"
    assert "LOG680" in finding_codes(BRATS)


def test_the_writers_contrast_and_a_direct_python_run() -> None:
    seen = _hidden(CAIMAN)
    assert ("no_device", "run-fails-yet-shell-finds") in seen and ("starter", "python-script") in seen
    assert first_cause(CAIMAN) == "CODE_FORCES_CPU"


def test_nvidia_smi_alone_leaves_the_variable_anywhere() -> None:
    assert first_cause(VITIS) == "GPU_HIDDEN"
    assert "LOG680" in finding_codes(VITIS)


def test_other_programs_on_the_machine_use_the_gpu() -> None:
    assert ("seen", "other-programs-use-gpu") in _hidden(PADDLE)
    assert codes(PADDLE)[:2] == ["CODE_FORCES_CPU", "GPU_HIDDEN"]


def test_quiet_without_a_layer_that_lists_the_gpu() -> None:
    text = "RuntimeError: No CUDA GPUs are available"
    assert "LOG680" not in finding_codes(text)


def test_quiet_where_a_container_is_named_and_smi_is_not_said_inside_it() -> None:
    text = ("docker run -it --rm pytorch/pytorch python train.py\nnvidia-smi works fine on the host.\n"
            "RuntimeError: No CUDA GPUs are available")
    assert "LOG680" not in finding_codes(text)


def test_a_doubted_or_asked_sighting_is_not_a_layer() -> None:
    assert not [f for f in _hidden("ValueError: torch.cuda.is_available() should be True but is False.") if f[0] == "seen"]
    assert not [f for f in _hidden("Is torch.cuda.is_available() True for you?\nNo CUDA GPUs are available") if f[0] == "seen"]


def test_quiet_where_the_writer_wants_the_cpu() -> None:
    text = BRATS + "\nI just want to use the cpu for this run."
    assert "LOG680" not in finding_codes(text)


def test_setter_cause_is_one_decision() -> None:
    assert vd.setter_cause("code") == ("CODE_FORCES_CPU", "GPU_HIDDEN")
    assert vd.setter_cause("environment")[0] == "GPU_HIDDEN"
    with pytest.raises(KeyError):
        vd.setter_cause("nobody")


def test_code_that_sets_the_variable_stays_lo104s() -> None:
    text = ("os.environ[\"CUDA_VISIBLE_DEVICES\"] = \"1\"\n"
            "torch.cuda.is_available() returns True in my shell\nRuntimeError: No CUDA GPUs are available")
    assert "LOG680" not in finding_codes(text)


def test_shell_answer_covers_the_run_unless_something_starts_it() -> None:
    forms = {f.id: f for f, _ in vd.run_forms()}
    assert vd.shell_answer_covers_run([forms["python-script"]])
    assert vd.shell_answer_covers_run([])
    assert not vd.shell_answer_covers_run([forms["shell-run-script"]])
    assert not vd.shell_answer_covers_run([forms["launcher"], forms["python-script"]])


def test_decision_table() -> None:
    forms = {f.id: f for f, _ in vd.run_forms()}
    shell, smi = forms["framework-true-in-shell"], forms["nvidia-smi-works"]
    assert vd.hidden_run_cause([], []) is None
    assert vd.hidden_run_cause([shell], [forms["launcher"]]).cause == "GPU_HIDDEN"  # type: ignore[union-attr]
    assert vd.hidden_run_cause([shell], [forms["notebook-cell"]]).cause == "CODE_FORCES_CPU"  # type: ignore[union-attr]
    assert vd.hidden_run_cause([shell], []).cause == "CODE_FORCES_CPU"  # type: ignore[union-attr]
    assert vd.hidden_run_cause([], [], framework_answered=True).cause == "CODE_FORCES_CPU"  # type: ignore[union-attr]
    assert vd.hidden_run_cause([smi], []).cause == "GPU_HIDDEN"  # type: ignore[union-attr]
    assert vd.hidden_run_cause([smi], [], container_named=True) is None
    assert vd.hidden_run_cause([smi], [], container_named=True, smi_inside=True).cause == "GPU_HIDDEN"  # type: ignore[union-attr]


def test_every_row_matches_its_own_example_and_has_a_source() -> None:
    from whygpu.knowledge._util import table_rows

    for table in ("no_device", "seen", "starter"):
        for row in table_rows("visible_devices", table):
            assert re.search(str(row["pattern"]), str(row["example"]), re.I), row["id"]
            assert str(row["source"]).startswith("https://")


def test_each_variable_says_what_its_values_mean() -> None:
    rows = {v.name: v for v in vd.variables()}
    assert {"CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "JAX_PLATFORMS"} <= set(rows)
    assert "no device" in rows["CUDA_VISIBLE_DEVICES"].empty and "every GPU" in rows["CUDA_VISIBLE_DEVICES"].unset
    assert "UUID" in rows["CUDA_VISIBLE_DEVICES"].uuid
    assert all(v.source.startswith("https://") for v in rows.values())


def test_a_templates_list_of_systems_is_no_platform() -> None:
    # https://github.com/flatironinstitute/CaImAn/issues/996 (its template line read as a Mac before: LOG106 NO_GPU first)
    template = "1. Operating system (Linux/macOS/Windows): \n"
    assert not [p for p in facts(template).platform if p.value == "darwin"]
    assert [p for p in facts("OS: macOS 14.2 on an M2").platform if p.value == "darwin"]
    assert first_cause(template + CAIMAN) == "CODE_FORCES_CPU"
