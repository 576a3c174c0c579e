"""accprogdev40 (session 40): programs' own device defaults (knowledge/device_defaults.toml, read by explain.devicedefaults,
judged by knowledge.cpu_choice.verdict, reported by LOG610), and PyTorch's "Cannot re-initialize CUDA in forked subprocess"
(LOG-PT-CUDA-FORKED): each reading fires on real lines and stays quiet where the GPU was set, used, or never there."""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report
from whygpu.explain.devicedefaults import default_choices
from whygpu.knowledge.cpu_choice import DEFAULT, PROGRAM, CpuChoice, verdict
from whygpu.knowledge.device_defaults import cpu_defaults, default_row


def _codes(text: str) -> list[str]:
    return [c.code for c in to_report(explain_text(text)).causes]


def _forms(text: str) -> list[str]:
    lines = text.split("\n")
    return [row.id for _, row, _ in default_choices(lines, text)]


# AllenNLP's Trainer docstring (allennlp/training/trainer.py, v0.9.0), quoted by a writer whose training ran on the CPU.
ALLENNLP = ("i have a gpu, but allennlp train runs on cpu\n"
            "cuda_device : ``int``, optional (default = -1)\n"
            "    An integer specifying the CUDA device to use. If -1, the CPU is used.")
# https://github.com/mlflow/mlflow/issues/7921 (the writer's words on the pyfunc scoring server).
MLFLOW = ("When running MLflow's Pytorch predict function, if you want to use the GPU, it's required to pass in the device flag.\n"
          "mlflow models serve does not use the GPU for pytorch models: it loads the model as pyfunc, which does not allow passing "
          "custom parameters to the underlying flavor's predict function, meaning that the default device of CPU is used.")
# https://github.com/explosion/spaCy/issues/7120 (spaCy 3.0.3: the command without --gpu-id, and spaCy's "Using CPU").
SPACY = ("spacy.require_gpu() is true but spacy cli uses CPU\n"
         "But when I run `python -m spacy train ./config.cfg ...` like described in the Quickstart it says\n"
         "\"i Using CPU\"")


@pytest.mark.parametrize(("text", "form"), [(ALLENNLP, "allennlp-cuda-device"), (MLFLOW, "mlflow-predict-device"),
                                            (SPACY, "spacy-cli-gpu-id")])
def test_default_in_force_is_the_cause(text: str, form: str) -> None:
    assert form in _forms(text)
    assert _codes(text)[:1] == ["CODE_FORCES_CPU"]


def test_the_fix_names_the_programs_own_setting() -> None:
    report = to_report(explain_text(ALLENNLP))
    top = report.causes[0]
    assert "AllenNLP" in top.title and "cuda_device" in (top.fix or "")


@pytest.mark.parametrize("text", [
    # the setting given the GPU in the config shown
    ALLENNLP + '\n"trainer": {"num_epochs": 40, "cuda_device": 0}',
    # the program's command line with the option
    "spacy cli uses CPU\npython -m spacy train config.cfg --output ./output --gpu-id 0",
    # the program not named: the words are another program's
    "my model runs on cpu\ncuda_device : ``int``, optional (default = -1)",
    # the command named in prose, not shown as a command line
    "spacy cli uses CPU\nwhen I use the spacy train command nothing happens",
    # the writer asks, or supposes
    "allennlp train runs on cpu\nis cuda_device set to -1 by default?",
])
def test_no_default_fact(text: str) -> None:
    assert _forms(text) == []


def test_default_without_a_cpu_run_decides_nothing() -> None:
    # The docstring alone (no word that the work ran on the CPU): the default is knowledge, not this run's cause.
    text = "allennlp trainer parameters\ncuda_device : ``int``, optional (default = -1)"
    assert "allennlp-cuda-device" in _forms(text)
    assert "CODE_FORCES_CPU" not in _codes(text)


def test_writer_who_wants_the_cpu_is_not_told_the_default_is_the_cause() -> None:
    text = ("How can I train allennlp on the CPU only?\n"
            "cuda_device : ``int``, optional (default = -1)\nit runs on cpu now")
    assert "CODE_FORCES_CPU" not in _codes(text)


@pytest.mark.parametrize(("ran", "machine", "in_use", "decision"), [
    (True, False, False, "cause"), (False, False, False, "none"), (True, True, False, "none"), (True, False, True, "none")])
def test_verdict_on_a_default(ran: bool, machine: bool, in_use: bool, decision: str) -> None:
    choice = CpuChoice(form="allennlp-cuda-device", where=DEFAULT, owner=PROGRAM, wanted=False)
    assert verdict([choice], gpu_found=False, gpu_in_use=in_use, ran_on_cpu=ran, no_gpu_machine=machine).decision == decision


def test_rows_read_are_the_cpu_default_ones() -> None:
    ids = {row.id for row in cpu_defaults()}
    assert "allennlp-cuda-device" in ids and "spacy-cli-gpu-id" in ids
    # Programs that take the GPU by themselves are knowledge only.
    assert "sentence-transformers-device" not in ids and "flair-device" not in ids
    assert default_row("nothing") is None


# The message as PyTorch raises it (torch/cuda/__init__.py _lazy_init), pasted from a gunicorn server whose --preload
# loaded the model in the master (https://github.com/HumanSignal/label-studio-ml-backend/pull/452).
FORKED = ("RuntimeError: Cannot re-initialize CUDA in forked subprocess. To use CUDA with multiprocessing, you must use the "
          "'spawn' start method\n"
          "exec gunicorn --preload --bind :${PORT:-9090} --workers 1 --threads 8 --timeout 0 _wsgi:app")


def test_cuda_forked_is_the_process_model() -> None:
    report = to_report(explain_text(FORKED))
    assert [c.code for c in report.causes][:1] == ["CODE_FORCES_CPU"]
    assert "fork" in report.causes[0].title


def test_other_cuda_initialisation_errors_are_not_read_as_a_fork() -> None:
    text = "RuntimeError: CUDA error: initialization error\nCUDA kernel errors might be asynchronously reported"
    report = to_report(explain_text(text))
    assert not any("fork" in c.title for c in report.causes)
