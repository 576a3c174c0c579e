"""Session 37 (accsmall): four small mends — a CPU placement the code shows scoped to one part of the work, dlib's answers
read as a framework's, prose "if X and Y" and a preposition's "to" in grammar."""

from __future__ import annotations

import json
from pathlib import Path

from log_text import codes, facts, finding_codes
from whygpu.explain import answers, grammar
from whygpu.knowledge.cpu_choice import placement_scoped

CORPUS = Path(__file__).parent / "corpus"

# --- 1. a placement of the CPU scoped to one part of the work ----------------------------------------------------------

# https://github.com/jax-ml/jax/issues/10320 (the start of the thread, verbatim)
JAX_10320 = """Cannot change `jax_platform_name` on the fly

I am using `jax.config.update('jax_platform_name', 'cpu')` to change the device placement.

```python
import jax
import jax.numpy as np
a = np.zeros((128, 128))
print(a.device())  # TPU
jax.config.update('jax_platform_name', 'cpu')
a = np.zeros((128, 128))
print(a.device())  # TPU, expected CPU
```
"""

PINNED_AT_START = "import jax\njax.config.update('jax_platform_name', 'cpu')\nprint(jax.devices())\n[CpuDevice(id=0)]\n"

BLOCK_AROUND_INPUT = """Training does not use the GPU, it is very slow.
```python
with tf.device('/CPU:0'):
    dataset = preprocess(raw)
model.fit(dataset, epochs=10)
```
"""

BLOCK_AROUND_TRAINING = """Training does not use the GPU, it is very slow.
```python
with tf.device('/CPU:0'):
    model = build()
    model.fit(x, y)
```
"""


def test_platform_switch_after_work_is_no_cause_of_the_run() -> None:
    assert "CODE_FORCES_CPU" not in codes(JAX_10320)
    assert "LOG280" not in finding_codes(JAX_10320)


def test_platform_pinned_before_any_work_still_reads() -> None:
    assert "LOG280" in finding_codes(PINNED_AT_START)
    assert not placement_scoped(PINNED_AT_START.split("\n"), 2)


def test_device_block_around_input_only_is_scoped() -> None:
    lines = BLOCK_AROUND_INPUT.split("\n")
    assert placement_scoped(lines, 3)
    assert "LOG400" not in finding_codes(BLOCK_AROUND_INPUT)


def test_device_block_around_the_training_still_pins() -> None:
    assert not placement_scoped(BLOCK_AROUND_TRAINING.split("\n"), 3)
    assert "LOG400" in finding_codes(BLOCK_AROUND_TRAINING)
    assert codes(BLOCK_AROUND_TRAINING)[0] == "CODE_FORCES_CPU"


# --- 2. dlib's answers ---------------------------------------------------------------------------------------------------

def test_dlib_answers_are_a_frameworks() -> None:
    line = 'Only runs on CPU even though the "dlib.DLIB_USE_CUDA" returns True and "dlib.cuda.get_num_devices()" returns 1.'
    said = answers.read_line(line)
    assert [(a.framework, a.about, a.gpu) for a in said] == [("dlib", "build", True), ("dlib", "devices", True)]
    assert [(a.framework, a.about, a.gpu) for a in answers.read_line("dlib.DLIB_USE_CUDA returns False")] == [("dlib", "build", False)]
    assert answers.read_line("if dlib.DLIB_USE_CUDA:") == []
    found = facts(line)
    assert [s.value for s in found.gpu_answer["dlib"]] == [True]
    assert [s.value for s in found.cuda_build["dlib"]] == [True]


def test_dlib_2148_corpus_case_reads_the_placement() -> None:
    case = json.loads((CORPUS / "holdout15" / "gh-davisking-dlib-2148.json").read_text())
    assert codes(case["log"])[0] == "CODE_FORCES_CPU"


def test_dlib_cpu_build_answer_stays_a_cpu_build() -> None:
    assert codes("dlib.DLIB_USE_CUDA returns False and it runs on the CPU")[0] == "FRAMEWORK_CPU_BUILD"


# --- 3. grammar ------------------------------------------------------------------------------------------------------------

# https://github.com/apache/mxnet/issues/2778
MXNET_2778 = ("I found that if two mxnet programs run on the same GPU and one of them cause out of memory error, "
              "I will never run any mxnet programs anymore.")


def test_prose_if_and_is_not_code() -> None:
    start = MXNET_2778.index("two")
    assert not grammar.in_code(MXNET_2778, start, MXNET_2778.index("GPU") + 3)


def test_code_conditions_with_and_still_code() -> None:
    for line, expr in (("if x and torch.cuda.is_available():", "torch.cuda.is_available()"),
                       ("    if args.cuda and use_gpu:", "use_gpu"),
                       ("if not torch.cuda.is_available() and args.gpu:", "torch.cuda.is_available()"),
                       ("if x is not None and y:", "y")):
        start = line.index(expr)
        assert grammar.in_code(line, start, start + len(expr)), line


def test_due_to_is_no_advice() -> None:
    # https://github.com/microsoft/pai/issues/2910 (the title)
    title = "Job failure due to two jobs on same GPU"
    assert not grammar.advised(title, 0, title.index("two"), len(title))


def test_advice_still_advice() -> None:
    for text in ("You should run two jobs on same GPU", "I want to run two jobs on same GPU"):
        assert grammar.advised(text, 0, text.index("two"), len(text)), text


# --- 4. a program's exclusive lock on the GPU held by another process ------------------------------------------------------

# https://github.com/microsoft/CNTK/issues/513 (the thread's title, CNTK's LockDevice message; CNTK then ran on the CPU)
CNTK_513 = """Failed to lock GPU 0 for exclusive use
For some reason cntk is not able to lock the only GPU I have for an exclusive use(whatever it means). Therefore it defaults to CPU calculations.
"""

# https://github.com/microsoft/CNTK/issues/615 (the lock taken: no holder)
CNTK_615_LOCKED = """LockDevice: Locked GPU 0 to test availability.
LockDevice: Unlocked GPU 0 after testing.
LockDevice: Locked GPU 0 for exclusive use.
"""


def test_lock_held_by_another_process_is_gpu_busy() -> None:
    from whygpu.knowledge.occupancy import failure_of

    assert failure_of("LockDevice: Failed to lock GPU 0 for exclusive use.") == "held"
    assert "LOG665" in finding_codes(CNTK_513)
    assert codes(CNTK_513)[0] == "GPU_BUSY"


def test_lock_taken_is_no_failure() -> None:
    from whygpu.knowledge.occupancy import failure_of

    assert all(failure_of(line) == "" for line in CNTK_615_LOCKED.splitlines())
    assert "LOG665" not in finding_codes(CNTK_615_LOCKED)
