"""The reader of a stated remedy or finding (explain/remedies.py, knowledge/remedies.toml) and its rule LOG180.

Every sentence here is written for the test from the class it stands for (varied wording), not copied from a
report: a remedy asserted to have worked names the cause it confirms; the same action tried and failed, asked
about, advised, planned, supposed or quoted names nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whygpu.explain import explain_text, to_report
from whygpu.explain.remedies import stated_remedies
from whygpu.knowledge.remedies import remedy_cause, remedy_rows


def _causes(text: str) -> list[str]:
    return [r.cause for r in stated_remedies(text)]


# (sentence, the cause the action or finding confirms): one or more per row of knowledge/remedies.toml.
FIRES = [
    ("Edit: fixed it with --runtime=nvidia on the docker command line.", "CONTAINER_NO_GPU"),
    ("Passing --gpus all to docker run did the trick, thanks!", "CONTAINER_NO_GPU"),
    ("I got it working by adding the --nv flag to singularity exec.", "CONTAINER_NO_GPU"),
    ("After installing the nvidia container toolkit and restarting docker, it works.", "CONTAINER_NO_GPU"),
    ("Adding #SBATCH --gres=gpu:1 to my batch script solved it.", "GPU_HIDDEN"),
    ("A reboot after the driver update solved it.", "DRIVER_MISMATCH"),
    ("I upgraded the nvidia driver and then a restart of the machine fixed everything.", "DRIVER_MISMATCH"),
    ("Power cycling the node fixed the issue.", "GPU_FAULT"),
    ("Reloading nvidia_uvm after resume did the trick.", "GPU_FAULT"),
    ("It works after I updated my graphics driver to 552.22.", "DRIVER_TOO_OLD"),
    ("Installing the latest NVIDIA driver resolved the problem.", "DRIVER_TOO_OLD"),
    ("I reinstalled the NVIDIA driver. Now it works.", "DRIVER_MISSING"),
    ("Turning off secure boot fixed it, the module loads now.", "DRIVER_MISSING"),
    ("Uninstalling onnxruntime (keeping onnxruntime-gpu) fixed it!", "FRAMEWORK_INSTALL_BROKEN"),
    ("Removing the duplicate torch installation from ~/.local fixed it.", "FRAMEWORK_INSTALL_BROKEN"),
    ("after installing tensorflow-gpu it works", "FRAMEWORK_CPU_BUILD"),
    ("I reinstalled torch from the cu121 index (pip install torch --index-url https://download.pytorch.org/whl/cu121) and now it works", "FRAMEWORK_CPU_BUILD"),
    ("Solved by rebuilding llama-cpp-python with CMAKE_ARGS=-DGGML_CUDA=on.", "FRAMEWORK_CPU_BUILD"),
    ("Resolved: conda remove cpuonly, then the GPU shows up.", "FRAMEWORK_CPU_BUILD"),
    ('Resolved\nos.environ["CUDA_VISIBLE_DEVICES"] = "1"', "CODE_FORCES_CPU"),
    ("After unsetting CUDA_VISIBLE_DEVICES in my .bashrc everything worked.", "GPU_HIDDEN"),
    ("it was the LD_LIBRARY_PATH", "CUDA_LIBS_NOT_ON_PATH"),
    ("Update: exporting LD_LIBRARY_PATH=/usr/local/cuda-12.2/lib64 fixed it.", "CUDA_LIBS_NOT_ON_PATH"),
    ("export LD_LIBRARY_PATH=/opt/cuda/lib64:$LD_LIBRARY_PATH\nThis fixed it for me.", "CUDA_LIBS_NOT_ON_PATH"),
    ("Copying cudnn64_8.dll next to the exe made it work.", "CUDA_LIBS_NOT_ON_PATH"),
    ("Downgrading cuDNN to 8.1 fixed the problem.", "CUDNN_MISMATCH"),
    ("The solution was to install a tensorflow build that matches my CUDA 11.2.", "CUDA_LIBS_MISMATCH"),
    ("It turned out that tensorflow wants CUDA 10.0 while I had CUDA 10.1 installed.", "CUDA_LIBS_MISMATCH"),
    ("The reason this happens is that jaxlib needs CUDA 12.3, but the machine has CUDA 12.0.", "CUDA_LIBS_MISMATCH"),
    ("Deleting the old /usr/local/cuda-10.2 folder solved it.", "CUDA_LIBS_MISMATCH"),
    ("Installing libcudnn8 via apt fixed it.", "CUDNN_MISSING"),
    ("After installing the CUDA toolkit it works now.", "CUDA_LIBS_MISSING"),
    ("Switching the Colab runtime type to GPU fixed it.", "NO_GPU"),
    ("I finally realised that I don't have an NVIDIA GPU in this laptop.", "NO_GPU"),
    ("Building from source with TORCH_CUDA_ARCH_LIST=3.5 fixed it.", "GPU_NOT_SUPPORTED"),
    ("Closing this: the issue was that my card is no longer supported by recent PyTorch builds.", "GPU_NOT_SUPPORTED"),
    ("Changing device='cpu' to device='cuda' in config.py fixed it.", "CODE_FORCES_CPU"),
    ("I raised num_workers to 8 and now the GPU is used at 95%.", "GPU_UNDERUSED"),
    ("Turns out the data loader was the bottleneck, the GPU sat idle between batches.", "GPU_UNDERUSED"),
    ("Killing the stale jupyter processes freed the memory and solved it.", "GPU_BUSY"),
    ("The culprit was a second torch build installed in the user site: two different versions of torch were installed.", "FRAMEWORK_INSTALL_BROKEN"),
    ("It turned out pip had given me the CPU version of torch.", "FRAMEWORK_CPU_BUILD"),
    ("Turns out my driver was too old for CUDA 12.", "DRIVER_TOO_OLD"),
    ("The problem was that the nvidia driver was not loaded.", "DRIVER_MISSING"),
    ("I found out that the cuDNN versions mismatch between conda and the system.", "CUDNN_MISMATCH"),
    ("What worked for me was reinstalling torch with the cu118 wheel.", "FRAMEWORK_CPU_BUILD"),
    ("I had to add /usr/local/cuda/lib64 to LD_LIBRARY_PATH to make it work.", "CUDA_LIBS_NOT_ON_PATH"),
    ("My bad, I forgot to pass --gpus all to docker run.", "CONTAINER_NO_GPU"),
    ("You can try exporting LD_LIBRARY_PATH=/usr/local/cuda/lib64.\nThanks, that was it!", "CUDA_LIBS_NOT_ON_PATH"),
    ("Try installing the CUDA build of torch.\nThanks, that worked!", "FRAMEWORK_CPU_BUILD"),
    ("It's working now after I set CUDA_HOME.", "CUDA_LIBS_NOT_ON_PATH"),
    ("nvidia-smi now shows the GPU after installing the driver.", "DRIVER_MISSING"),
    ("The trick was to downgrade cuDNN to 7.6.", "CUDNN_MISMATCH"),
    ("Resolved:\nTensorFlow was loading a different version of cuDNN from another conda env.", "CUDNN_MISMATCH"),
    ("The real problem was faulty hardware, a dying riser cable.", "GPU_FAULT"),
    # accwords3 (session 21): fixes of the non-install kind: XLA pointed at the CUDA directory, the notebook's GPU turned on.
    ("I fixed it by setting XLA_FLAGS=--xla_gpu_cuda_data_dir=/opt/cuda-12.3", "CUDA_LIBS_NOT_ON_PATH"),
    ("It works now after export XLA_FLAGS=--xla_gpu_cuda_data_dir=$CONDA_PREFIX/lib", "CUDA_LIBS_NOT_ON_PATH"),
    ("Pointing XLA_FLAGS at my CUDA install solved the libdevice error.", "CUDA_LIBS_NOT_ON_PATH"),
    ("I forgot to enable the GPU runtime in Colab.", "NO_GPU"),
    ("Turning on the GPU accelerator in the Kaggle notebook did the trick.", "NO_GPU"),
    # a workaround the reporter relies on, marked as theirs each time
    ("libdevice is not found, and I have to manually specify its directory by declaring\n\n```\nXLA_FLAGS=--xla_gpu_cuda_data_dir=/opt/cuda\n```", "CUDA_LIBS_NOT_ON_PATH"),
    ("We need to export LD_LIBRARY_PATH=/usr/local/cuda/lib64 every time we open a shell.", "CUDA_LIBS_NOT_ON_PATH"),
]


@pytest.mark.parametrize(("sentence", "cause"), FIRES)
def test_a_stated_remedy_names_the_cause_it_confirms(sentence: str, cause: str) -> None:
    assert _causes(sentence)[:1] == [cause]


# Chinese: the same parts (success after the action, "解决方法：", "原因是"), the action's technical words read by the rows.
FIRES_ZH = [
    ("加上 --gpus all 就好了。", "CONTAINER_NO_GPU"),
    ("设置 LD_LIBRARY_PATH 后解决了", "CUDA_LIBS_NOT_ON_PATH"),
    ("通过卸载 onnxruntime 解决了问题。", "FRAMEWORK_INSTALL_BROKEN"),
    ("安装了tensorflow-gpu之后就可以了", "FRAMEWORK_CPU_BUILD"),
    ("更新显卡驱动后就正常了。", "DRIVER_TOO_OLD"),
    ("解决方法：在 docker run 里加上 --runtime=nvidia", "CONTAINER_NO_GPU"),
    ("原因是 LD_LIBRARY_PATH 没设置", "CUDA_LIBS_NOT_ON_PATH"),
    ("原因是装的是CPU版本的torch", "FRAMEWORK_CPU_BUILD"),
]
QUIET_ZH = [
    "设置了 LD_LIBRARY_PATH 还是不行",
    "加上 --gpus all 可以解决吗？",
    "如果设置 LD_LIBRARY_PATH 应该就好了",
    "建议加上 --gpus all",
    "不知道原因是不是 LD_LIBRARY_PATH",
    "更新驱动后没有解决。",
]


@pytest.mark.parametrize(("sentence", "cause"), FIRES_ZH)
def test_a_remedy_stated_in_chinese(sentence: str, cause: str) -> None:
    assert _causes(sentence)[:1] == [cause]


@pytest.mark.parametrize("sentence", QUIET_ZH)
def test_no_remedy_read_in_chinese_where_none_is_asserted(sentence: str) -> None:
    assert _causes(sentence) == []


def test_every_row_is_exercised_by_a_sentence() -> None:
    rows = {r.row for sentence, _ in FIRES for r in stated_remedies(sentence)}
    assert {row.id for row in remedy_rows()} - rows == set()


QUIET = [
    # tried and did not work
    "I tried setting LD_LIBRARY_PATH but it still fails.",
    "Reinstalling the driver didn't help.",
    "Adding --gpus all did not fix it either.",
    "Even after installing tensorflow-gpu it does not work.",
    "Setting CUDA_VISIBLE_DEVICES=0 fixed nothing.",
    "No luck after updating the driver to 550.",
    # questions
    "Would updating the driver fix it?",
    "Has anyone fixed it by adding --gpus all",
    "Did exporting LD_LIBRARY_PATH solve it for you?",
    # advice and instructions
    "Try adding --gpus all to your docker run command.",
    "Note: you must set LD_LIBRARY_PATH before running the script.",
    "You should install the CUDA build of torch, that fixes it.",
    "To fix this, set PATH to include the CUDA bin folder.",
    "The fix is to reinstall the driver and reboot.",
    "As described in the README, installing onnxruntime-gpu solves this.",
    # conditions and modals
    "If you set LD_LIBRARY_PATH it should work.",
    "When I use tensorflow-gpu 2.0 it works fine.",
    "Updating the driver might fix it.",
    "Installing cuDNN 8 would probably solve this.",
    # plans
    "I will try reinstalling the driver tomorrow.",
    "I'm going to rebuild with CUDA and see if that fixes it.",
    # hearsay, earlier states, guesses, negated findings
    "Setting LD_LIBRARY_PATH fixed it for others but not for me.",
    "People said that adding --gpus all solved it.",
    "It worked before I updated the driver.",
    "I think the problem is the old driver.",
    "The problem was not the driver.",
    "Maybe the culprit is LD_LIBRARY_PATH.",
    # work that does not use the GPU, and actions that fix many causes alike
    "After reinstalling everything it works, but only on the CPU.",
    "It works without gpu.",
    "A reboot fixed it.",
    "Creating a fresh conda environment solved it.",
    "Upgrading torch to 2.4 fixed it.",
    "Don't forget to pass --gpus all to docker run.",
    "Did you forget to add --gpus all?",
    "How do I fix it by adding --gpus all",
    # a check that ran is no change that fixed anything
    "docker run --rm --gpus all nvidia/cuda:12.2.0-base-ubuntu22.04 nvidia-smi worked.",
    "Running nvidia-smi inside the container with --runtime=nvidia works, by the way.",
    # a working set-up the problem came after
    "I installed the NVIDIA driver with the script and everything works smoothly.\nHowever, after a restart nvidia-smi fails.",
    "After installing the CUDA toolkit everything worked. But then the GPU vanished after an update.",
    # the input side named, not found slow
    "It turns out that the process on the CPU was part of the preprocessing.",
    # a quoted line and a program's line
    "> adding --gpus all fixed it",
    "2024-01-01 12:00:00 INFO fixed seed 42 after setting CUDA_VISIBLE_DEVICES",
    # a bug fixed upstream
    "This was fixed in #1234, see the release notes.",
    # accwords3: the same fixes advised, asked about, tried in vain, supposed
    "You should set XLA_FLAGS=--xla_gpu_cuda_data_dir=/usr/local/cuda if libdevice is not found.",
    "Setting XLA_FLAGS=--xla_gpu_cuda_data_dir=/usr/local/cuda did not help.",
    "Did enabling the GPU runtime fix it for you?",
    "If the GPU accelerator is enabled it should work.",
    "Make sure to enable the GPU runtime before running the notebook.",
    "I need to install the NVIDIA driver.",
    "Do I have to manually set LD_LIBRARY_PATH?",
    "You have to manually export LD_LIBRARY_PATH.",
    "If I have to manually set LD_LIBRARY_PATH every time, that is a bug.",
    "I will have to manually set LD_LIBRARY_PATH tomorrow.",
]


@pytest.mark.parametrize("sentence", QUIET)
def test_no_remedy_is_read_where_none_is_asserted(sentence: str) -> None:
    assert _causes(sentence) == []


def test_the_knowledge_layer_maps_words_not_sentences() -> None:
    found = remedy_cause("adding --gpus all", "action")
    assert found is not None and found[0].cause == "CONTAINER_NO_GPU"
    # A finding row is not an action row: "the CPU version" names a state, not something done.
    assert remedy_cause("the CPU version of torch", "action") is None
    found = remedy_cause("the CPU version of torch", "finding")
    assert found is not None and found[0].cause == "FRAMEWORK_CPU_BUILD"
    # "unless": a driver rolled back is no newer driver.
    found = remedy_cause("downgrading the driver to 470", "action")
    assert found is None or found[0].cause != "DRIVER_TOO_OLD"
    # A GPU package pinned to a version chose a version, not a GPU build.
    assert remedy_cause("pip install tensorflow-gpu==1.0", "action") is None


_LIBRARY = ("2021-03-01 10:00:00.000000: W tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic "
            "library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory\n")


def test_a_remedy_leads_a_family_the_message_leaves_open() -> None:
    before = to_report(explain_text(_LIBRARY))
    assert before.causes[0].code != "CUDA_LIBS_NOT_ON_PATH"
    report = to_report(explain_text(_LIBRARY + "\nSolved: adding /usr/local/cuda-11.0/lib64 to LD_LIBRARY_PATH, the GPU is found now.\n"))
    assert report.causes[0].code == "CUDA_LIBS_NOT_ON_PATH"
    assert "LOG180" in report.causes[0].findings
    assert report.verdict.gpu_usable is False


def test_a_remedy_leads_the_base_rate_of_an_unused_gpu() -> None:
    answer = ">>> torch.cuda.is_available()\nFalse\n"
    assert to_report(explain_text(answer)).causes[0].code != "CONTAINER_NO_GPU"
    report = to_report(explain_text(answer + "Edit: I fixed it by starting the container with --gpus all.\n"))
    assert report.causes[0].code == "CONTAINER_NO_GPU" and report.causes[0].confidence.value == "high"
    assert all(c.confidence.value != "high" for c in report.causes[1:])
    # Asked, not stated: no remedy, and no cause given with high confidence.
    asked = to_report(explain_text(answer + "Would starting the container with --gpus all fix it?\n"))
    assert all(f.id != "LOG180" for f in asked.findings)
    assert all(c.confidence.value != "high" for c in asked.causes)


def test_a_frameworks_own_message_naming_one_cause_still_ranks_first() -> None:
    message = "AssertionError: Torch not compiled with CUDA enabled\n"
    report = to_report(explain_text(message + "Updating the NVIDIA driver fixed it.\n"))
    assert [c.code for c in report.causes][:2] == ["FRAMEWORK_CPU_BUILD", "DRIVER_TOO_OLD"]
    # The same message with a remedy of its own cause: one cause, both lines cited.
    agreed = to_report(explain_text(message + "Reinstalling torch from the CUDA 12.1 wheel index fixed it.\n"))
    assert [c.code for c in agreed.causes] == ["FRAMEWORK_CPU_BUILD"]
    assert any("fixed it" in line for line in agreed.causes[0].evidence)


def test_a_remedy_tried_in_vain_gives_no_finding() -> None:
    answer = ">>> torch.cuda.is_available()\nFalse\n"
    for tried in ("I tried running the container with --gpus all, but it still returns False.\n",
                  "Exporting LD_LIBRARY_PATH did not help, still False.\n"):
        report = to_report(explain_text(answer + tried))
        assert all(f.id != "LOG180" for f in report.findings)


def test_a_remedy_is_a_fact_with_its_file_and_line() -> None:
    from whygpu.explain.logfacts import FactReader

    reader = FactReader()
    reader.read_text("thread.md", "Hello\nI run the image without flags.\nUpdate: adding --gpus all fixed it.\n")
    seen = reader.facts.stated_remedy
    assert [(s.value.cause, s.where) for s in seen] == [("CONTAINER_NO_GPU", "thread.md:3")]


def test_a_problem_stated_fixed_names_its_cause_without_calling_the_gpu_unused_now() -> None:
    # A thread that ends with the GPU working: the cause the fix confirms is named, the GPU is not said unused.
    report = to_report(explain_text("torch.cuda.is_available() returned False until I reinstalled the driver, now it returns True.\n"))
    assert [c.code for c in report.causes] == ["DRIVER_MISSING"]
    assert report.verdict.gpu_usable is not False
    # Beside a sign of the GPU unused in the log, the remedy's cause is why.
    unused = to_report(explain_text(">>> torch.cuda.is_available()\nFalse\nUpdate: reinstalling the NVIDIA driver fixed it.\n"))
    assert unused.causes[0].code == "DRIVER_MISSING"
    assert unused.verdict.gpu_usable is False


_PIECES = st.one_of(st.text(max_size=120), st.sampled_from([s for s, _ in FIRES] + QUIET + [s for s, _ in FIRES_ZH]),
                    st.sampled_from(["\n", ". ", "? ", ":", "> ", "this fixed it", "now it works", "\u3002"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=20))
def test_the_reader_never_raises_and_names_only_known_causes(parts: list[str]) -> None:
    from whygpu.knowledge.causes import is_cause_code

    text = "".join(parts)
    found = stated_remedies(text)
    lines = text.split("\n")
    for remedy in found:
        assert is_cause_code(remedy.cause)
        assert 1 <= remedy.line <= len(lines)


def test_a_line_repeated_many_times_is_read_once() -> None:
    text = "Adding --gpus all fixed it.\n" * 5000
    assert [r.line for r in stated_remedies(text)] == [1]


def test_every_row_names_a_cause_and_says_why() -> None:
    from whygpu.knowledge.causes import is_cause_code

    for row in remedy_rows():
        assert is_cause_code(row.cause), row.id
        assert row.kind in ("action", "finding", "both"), row.id
        assert row.reasoning and row.source.startswith("https://"), row.id
    assert len({row.id for row in remedy_rows()}) == len(remedy_rows())


def test_a_secret_in_the_remedys_words_never_reaches_the_title() -> None:
    text = ">>> torch.cuda.is_available()\nFalse\nFixed it by export LD_LIBRARY_PATH=/opt/cuda/lib64 HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz123456\n"
    report = to_report(explain_text(text))
    assert report.causes[0].code == "CUDA_LIBS_NOT_ON_PATH"
    assert "hf_abcdefghijklmnopqrstuvwxyz123456" not in report.causes[0].title
