"""accnorm (session 20): a program's line reads the same however it was pasted, and prose stays prose.

The lines here are written for the class (a program's message behind each packaging a paste adds: log prefixes
of applications, containers, schedulers and journals, whole-line markup, colour codes that lost their escape
byte, spaces added around punctuation, full-width punctuation), not copied from the corpus.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text
from whygpu.explain.normalize import unwrap


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# Messages three programs print, each with the signature that reads it as printed.
MESSAGES = [
    ("No devices were found", "LOG-SMI-NO-DEVICES"),
    ("Failed to initialize NVML: Driver/library version mismatch", "LOG-NVML-MISMATCH"),
    ("ImportError: libcudnn.so.9: cannot open shared object file: No such file or directory", "LOG-LIB-CANNOT-OPEN"),
]

PACKAGINGS = [
    lambda t: f"2025-11-30 22:14:09,871 - worker.gpu - ERROR - {t}",  # Python logging's default format
    lambda t: f"2025-11-30T22:14:09.871234567Z stderr F {t}",  # a container runtime's log file (CRI)
    lambda t: f"statefulset/embedder: {t}",  # kubectl logs with a resource prefix
    lambda t: f"[pod/trainer-5b7c/main] {t}",  # kubectl logs --prefix
    lambda t: f"inference_3   | {t}",  # docker compose's service prefix
    lambda t: f"Nov 30 22:14:09 dgx-a100-02 python[99812]: {t}",  # journald
    lambda t: f"srun: {t}",
    lambda t: f"3: {t}",  # srun --label
    lambda t: f"[Stable-Diffusion] {t}",  # an application's own tag
    lambda t: f"[22:14:09] {t}",
    lambda t: f"`{t}`",
    lambda t: f"**{t}**",
    lambda t: f"<code>{t}</code>",
    lambda t: f"{t}<br/>",
    lambda t: f"> > {t}",
    lambda t: f"* {t}",
    lambda t: f"  41 | {t}",  # a paste with line numbers
    lambda t: f"^[[0;31m{t}^[[0m",  # colour codes written out by a pager
    lambda t: f"[1;31m{t}[0m",  # colour codes that lost their escape byte
]


@pytest.mark.parametrize("message,signature", MESSAGES)
@pytest.mark.parametrize("wrap", PACKAGINGS)
def test_a_message_is_read_whatever_its_packaging(message: str, signature: str, wrap: object) -> None:
    assert signature in _ids(message)
    pasted = wrap(message)  # type: ignore[operator]
    result = explain_text(pasted)
    found = [f for f in result.findings if f.id == signature]
    assert found, pasted
    # What is shown as evidence is the line as the user pasted it.
    assert any(pasted.replace("^[", "").strip() in e or pasted.strip() in e for f in found for e in f.evidence), found[0].evidence


@pytest.mark.parametrize("pasted,signature", [
    ("Failed to initialize NVML: Driver / library version mismatch", "LOG-NVML-MISMATCH"),
    ("ImportError: libcudart.so.12 : cannot open shared object file : No such file or directory", "LOG-LIB-CANNOT-OPEN"),
    ("ERROR : NVIDIA driver is not loaded", "LOG-PLAT-NV-TOOLS-NO-DRIVER"),
    # Full-width punctuation (a Chinese or Japanese input method), and the ideographic space.
    ("错误：ImportError：libcudnn.so.8：cannot open shared object file：No such file or directory", "LOG-LIB-CANNOT-OPEN"),
    ("Failed\u3000to initialize NVML：Driver/library version mismatch", "LOG-NVML-MISMATCH"),
])
def test_spaces_and_full_width_punctuation_a_paste_changed(pasted: str, signature: str) -> None:
    assert signature in _ids(pasted)


@pytest.mark.parametrize("text", [
    # A question, a quoted message in a sentence, advice, a past problem, prose in another language before it.
    "Why does nvidia-smi say No devices were found?",
    "I get `Driver/library version mismatch` sometimes?",
    "> I think `No devices were found` is not the problem here",
    "Driver / library version mismatch happened last week, a reboot fixed it",
    "但是No devices were found",
    # Code, quoted whole: a condition is no answer.
    "`if not torch.cuda.is_available():`",
    "- [ ] No devices were found",
    # Healthy runs behind the same prefixes.
    "2025-11-30 22:14:09,871 - worker.gpu - INFO - Using device: cuda:0",
    "inference_3   | [22:14:09] loss : 0.4131 , lr : 0.0003",
])
def test_packaging_taken_off_never_makes_prose_or_code_read_as_a_failure(text: str) -> None:
    result = explain_text(text)
    assert not [f for f in result.findings if f.blocks_gpu], [f.id for f in result.findings]
    assert result.gpu_used is not False


@pytest.mark.parametrize("text", [
    "I have a GPU but torch says no.",
    "Epoch 3/10: loss 0.25",
    "2020-08-08 23:41:49.327601: W tensorflow/stream_executor/platform/default/dso_loader.cc:59] Could not load",
    "I get `Driver/library version mismatch` sometimes?",
])
def test_unwrap_leaves_what_is_no_packaging(text: str) -> None:
    # A framework's own prefix after the time stamp stays (its signatures read it), prose stays as written.
    out = unwrap(text)
    assert out == text or out.endswith("dso_loader.cc:59] Could not load")


def test_unwrap_keeps_what_the_fact_reader_reads_itself() -> None:
    assert unwrap("Out[3]: False", reader=True) == "Out[3]: False"
    assert unwrap("> torch.cuda.is_available(): False", reader=True).startswith(">")
    assert unwrap("2025-11-30 22:14:09,871 - root - ERROR - CUDA driver version is insufficient", reader=True) == \
        "ERROR - CUDA driver version is insufficient"
    assert unwrap("2025-11-30 22:14:09,871 - root - ERROR - CUDA driver version is insufficient") == \
        "CUDA driver version is insufficient"


@pytest.mark.parametrize("log,framework", [
    # An answer at a prompt, both lines behind docker compose's service prefix.
    ("jax-worker_2   | >>> jax.devices()\njax-worker_2   | [CpuDevice(id=0)]", "jax"),
    # The same behind a container runtime's stream tag, and behind a Kubernetes resource prefix.
    ("2025-11-30T22:14:09.1Z stdout F >>> jax.devices()\n2025-11-30T22:14:09.2Z stdout F [CpuDevice(id=0)]", "jax"),
    ("job/train-41: >>> torch.cuda.is_available()\njob/train-41: False", "torch"),
])
def test_the_fact_reader_reads_an_answer_behind_a_machine_prefix(log: str, framework: str) -> None:
    facts = explain_text(log).details["log_facts"]
    assert facts.get("gpu_answer", {}).get(framework, [""])[0].startswith("False"), facts


@pytest.mark.parametrize("log", [
    # A table aligned with spaces before its colons is read as it is (no column is glued to its value).
    "Driver Version                            : 535.86.10\nCUDA Version                              : 12.2",
    # A package named in a sentence before a spaced comma stays a package.
    "When I upgrade with pip3 install --upgrade tensorflow-gpu , it gets 2.4.1",
])
def test_the_fact_reader_reads_tables_and_sentences_as_before(log: str) -> None:
    from whygpu.explain.normalize import unwrap

    assert all(unwrap(line, reader=True) == line for line in log.split("\n"))
