"""Session 37 (acccodecpu): the code or the launch keeps the framework off the GPU, or hides it.

- LOG705 (explain/startedrules.py): a run that a run script, a launcher or a scheduler starts reports no GPU (its own
  count, or the writer's words) while the framework in the writer's shell finds it -> GPU_HIDDEN, the code beside.
- The even split of LOG680 (no starter of the run shown): undecided, LOW, the writer asked how the run was started.
- The program's default said in Chinese (knowledge/cpu_choice.toml zh-program-defaults-to-cpu).
- Precision: the fallback idiom ('cuda' if torch.cuda.is_available() else 'cpu') is no choice of the CPU.

Real lines carry their public source.
"""

from __future__ import annotations

import re

from log_text import codes, facts, finding_codes, first_cause, report
from whygpu.knowledge import visible_devices as vd

# https://github.com/THU-KEG/PKGC/issues/2
PKGC = """Why show the CUDA can't use?

I import torch and use torch.cuda.is_available() it shows True, but when I run the 237.sh the device is cpu and n_gpu is 0

I can run other code with GPU"""

# https://github.com/d-ailin/GDN/issues/87
GDN = """CUDA is not available

When I tested whether cuda was available on the console, no errors were reported.
However, when the "bash run.sh 1 msl" command is executed on the terminal, a message is displayed indicating that cuda is unavailable."""

# https://github.com/doublechenching/brats_segmentation-pytorch/issues/1 (no starter of the run shown)
BRATS = """In Linux:
RuntimeError: cuda runtime error (38) : no CUDA-capable device is detected at /opt/conda/conda-bld/pytorch_1535491974311/work/aten/src/THC/THCGeneral.cpp:74

torch.cuda.is_available()的结果是True，nvidia-smi也都显示正常，请问可能是哪里有问题？"""

# https://github.com/shiyu-coder/Kronos/issues/148
KRONOS = """WebUI中如何使用GPU？

webUI默认使用的是CPU，请问如何设置才能使用GPU？"""

# https://github.com/MCG-NKU/AMT/issues/16 (the fallback idiom; the writer says the GPU goes unused)
AMT = """Cuda available but still not using cuda

```
device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
print('using device =', device)
```"""


def _forms(text: str) -> list[tuple[str, str]]:
    return [(s.value.table, s.value.id) for s in facts(text).hidden_run]


def test_a_run_script_that_gets_no_gpu_while_the_shell_finds_it() -> None:
    read = _forms(PKGC)
    assert ("starter", "shell-run-script") in read and ("run_none", "n-gpu-zero") in read
    assert "LOG705" in finding_codes(PKGC)
    assert codes(PKGC)[:2] == ["GPU_HIDDEN", "CODE_FORCES_CPU"]


def test_the_console_check_and_the_script_started_run() -> None:
    assert ("seen", "cuda-available-in-console") in _forms(GDN)
    assert first_cause(GDN) == "GPU_HIDDEN"
    assert "LOG705" in finding_codes(GDN)


def test_quiet_where_the_program_is_run_directly() -> None:
    direct = PKGC.replace("when I run the 237.sh", "when I run python train.py")
    assert "LOG705" not in finding_codes(direct)
    assert first_cause(direct) != "GPU_HIDDEN"


def test_quiet_where_only_nvidia_smi_lists_the_gpu() -> None:
    smi = ("nvidia-smi works fine.\nWhen I run bash train.sh the device is cpu and n_gpu is 0")
    assert "LOG705" not in finding_codes(smi)


def test_quiet_without_a_layer_that_finds_the_gpu() -> None:
    alone = "When I run bash train.sh the device is cpu and n_gpu is 0"
    assert "LOG705" not in finding_codes(alone)


def test_quiet_where_the_writer_wants_the_cpu() -> None:
    wanted = PKGC + "\nI want to run it on the CPU only."
    assert "LOG705" not in finding_codes(wanted)


def test_quiet_where_crashes_say_cuda_itself_found_no_device() -> None:
    # CUDA's own no-device failure is LOG680's to read, not LOG705's.
    failure = PKGC + "\nRuntimeError: No CUDA GPUs are available"
    assert "LOG705" not in finding_codes(failure)
    assert "LOG680" in finding_codes(failure)


def test_the_even_split_is_undecided_and_asks_how_the_run_was_started() -> None:
    forms = {f.id: f for f, _ in vd.run_forms()}
    split = vd.hidden_run_cause([forms["framework-true-in-shell"]], [])
    assert split is not None and split.decided is False and split.cause == "CODE_FORCES_CPU"
    assert "how was the failing run started" in split.decides and "None" not in split.decides
    direct = vd.hidden_run_cause([forms["framework-true-in-shell"]], [forms["python-script"]])
    assert direct is not None and direct.decided is True and direct.cause == "CODE_FORCES_CPU"
    launched = vd.hidden_run_cause([forms["framework-true-in-shell"]], [forms["shell-run-script"]])
    assert launched is not None and launched.decided is True and launched.cause == "GPU_HIDDEN"


def test_the_even_split_reads_low_in_the_report() -> None:
    lead = report(BRATS).causes[0]
    assert lead.code == "CODE_FORCES_CPU" and lead.findings == ("LOG680",)
    assert lead.confidence.name == "LOW"
    assert "does not decide" in lead.title and "how was the failing run started" in lead.fix
    direct = report(BRATS + "\n$ python train.py").causes[0]
    assert direct.code == "CODE_FORCES_CPU" and direct.confidence.name == "MEDIUM"


def test_the_programs_default_said_in_chinese() -> None:
    assert first_cause(KRONOS) == "CODE_FORCES_CPU"
    assert codes("torch默认使用的是CPU吗？") == []


def test_the_fallback_idiom_is_no_choice_of_the_cpu() -> None:
    assert "CODE_FORCES_CPU" not in codes(AMT)[:1]
    idiom = "device = 'cuda' if torch.cuda.is_available() else 'cpu'\nmy training is very slow, the GPU is not used"
    assert first_cause(idiom) != "CODE_FORCES_CPU"
    hard = "my torch.cuda.is_available() returns true\ndevice = torch.device('cpu')\nthe GPU is not used during training"
    assert first_cause(hard) == "CODE_FORCES_CPU"


def test_every_new_row_matches_its_example() -> None:
    from whygpu.knowledge._util import table_rows

    rows = [*table_rows("visible_devices", "run_none"),
            *(r for r in table_rows("visible_devices", "seen") if r["id"] == "cuda-available-in-console"),
            *(r for r in table_rows("visible_devices", "starter") if r["id"] == "shell-run-script")]
    assert len(rows) == 3
    for row in rows:
        assert re.search(str(row["pattern"]), str(row["example"]), re.I), row["id"]
        assert str(row["source"]).startswith("https://")
    assert re.search(r"\.sh", "when I run the 237.sh")
