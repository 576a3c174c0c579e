"""The writer's account of how the framework was installed, judged by what that install gives (session 25, branch
accinstall): knowledge/cpu_packages.toml [[plain_install]] and plain_install_build, explain/ownanswer.plain_installs,
LOG291; the writer's words that two packages of one module are both installed (installstate.said_installed_together).

Every line here is written from what the registries publish under a plain name (their sources are beside the knowledge
rows) and from how a writer states an install, in wordings of our own; none is copied from a corpus case. Each reading has
cases where it fires and cases where it stays quiet.
"""

from __future__ import annotations

from whygpu.explain import explain_text, ownanswer, to_report
from whygpu.knowledge.cpu_packages import plain_install, plain_install_build, plain_installs


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


def _first(text: str) -> str | None:
    causes = to_report(explain_text(text)).causes
    return causes[0].code if causes else None


# --- the knowledge: which plain install gives the CPU build, where -------------------------------------------------------


def test_every_plain_install_row_cites_a_public_source_and_holds_no_placeholder() -> None:
    rows = plain_installs()
    assert {r.name for r in rows} >= {"torch", "jax", "tensorflow", "llama-cpp-python"}
    for row in rows:
        assert row.source.startswith("https://"), row.name
        for text in (row.instead, row.why):
            assert "<" not in text and "{" not in text, (row.name, text)


def test_a_gpu_extra_a_build_tag_or_an_index_of_its_own_is_no_plain_install() -> None:
    assert plain_install("jax", "pip") is not None
    assert plain_install("jaxlib", "pip", spec="==0.4.30") is not None
    assert plain_install("jax", "pip", extras="[cuda12]") is None
    assert plain_install("jaxlib", "pip", spec="==0.1.70+cuda110") is None
    assert plain_install("torch", "pip", sources=("https://download.pytorch.org/whl/cu124",)) is None
    assert plain_install("torch", "pip", sources=("https://download.pytorch.org/whl/rocm6.1",)) is None
    assert plain_install("torch", "pip", spec="==2.3.1+cu121") is None
    assert plain_install("tensorflow", "pip", extras="[and-cuda]") is None
    assert plain_install("torch", "conda") is None  # conda's pytorch has CUDA variants: not this table's


def test_what_a_plain_install_gives_depends_on_the_platform_and_release_the_table_names() -> None:
    torch = plain_install("torch", "pip")
    jax = plain_install("jax", "pip")
    tf = plain_install("tensorflow", "pip")
    assert torch is not None and jax is not None and tf is not None
    decided = plain_install_build(torch, platform="windows")
    assert decided is not None and decided.cpu is True
    assert plain_install_build(torch, platform="linux") is None  # PyPI's Linux wheel is a CUDA build
    open_ = plain_install_build(torch, platform=None)
    assert open_ is not None and open_.cpu is None and "platform" in open_.decides
    always = plain_install_build(jax, platform="linux")
    assert always is not None and always.cpu is True
    old = plain_install_build(tf, spec="==1.14.0", platform="linux")
    assert old is not None and old.cpu is True
    assert plain_install_build(tf, spec="==1.15.0", platform="linux") is None  # 1.15.0's tensorflow had CUDA
    assert plain_install_build(tf, spec="==2.4.1", platform="linux") is None
    windows = plain_install_build(tf, spec="==2.13.1", platform="windows")
    assert windows is not None and windows.cpu is True
    assert plain_install_build(tf, spec="==2.9.0", platform="windows") is None
    unpinned = plain_install_build(tf, platform="windows")
    assert unpinned is not None and unpinned.cpu is None and "release" in unpinned.decides


# --- the reading: an install shown run -----------------------------------------------------------------------------------


def test_plain_installs_are_read_from_a_command_run_a_build_step_or_the_writers_words() -> None:
    for line, written in (
        ("PS C:\\work> python -m pip install torch torchaudio", "torch"),
        ("$ pip3 install --upgrade jax jaxlib", "jax"),
        ("RUN apt-get update && pip3 install --no-cache-dir tensorflow==1.14.0", "tensorflow==1.14.0"),
        ("Dockerfile: RUN pip install llama-cpp-python==0.2.77", "llama-cpp-python==0.2.77"),
        ("I set the environment up with `pip install jax` yesterday.", "jax"),
    ):
        assert [p.written for p in ownanswer.plain_installs(line)][:1] == [written], line


def test_plain_installs_are_not_read_from_advice_questions_conditions_removals_or_prose_after_the_command() -> None:
    for line in (
        "Should I just run pip install torch?",
        "You should run pip install jax instead.",
        "If you pip install tensorflow==1.14.0 it will not see the GPU.",
        "pip uninstall -y torch",
        "pip install -r requirements.txt",
        "pip install somepackage and then torch kept failing",
        "~~I ran pip install torch~~",
        'pip install --upgrade "jax[cuda12]"',
        "pip install torch --index-url https://download.pytorch.org/whl/cu121",
    ):
        assert list(ownanswer.plain_installs(line)) == [], line


# --- the rule --------------------------------------------------------------------------------------------------------------


def test_a_plain_install_that_gives_the_cpu_build_where_the_gpu_went_unused_names_it() -> None:
    for text in (
        "Windows 11, RTX 4070\nC:\\Users\\me> pip install torch torchvision torchaudio\ntorch.cuda.is_available() is False and the GPU is not used",
        "$ pip install -U jax jaxlib\njax.devices() lists only the CPU; my GPU is never used",
        "FROM nvidia/cuda:10.0-cudnn7-runtime-ubuntu18.04\nRUN pip3 install tensorflow==1.14.0\nThe GPU is not used inside the container.",
        "Windows 10 here. I installed it with pip install tensorflow==2.14.0 and TensorFlow does not use my GPU.",
        "$ pip install llama-cpp-python\nOn Ubuntu 22.04, the model runs on the CPU even with n_gpu_layers=-1; the GPU is not used",
    ):
        assert "LOG291" in _ids(text), text
        assert _first(text) == "FRAMEWORK_CPU_BUILD", text


def test_an_undecided_plain_install_ranks_low_and_says_what_decides() -> None:
    text = "pip install torch\nThe GPU is not used at all."
    report = to_report(explain_text(text))
    mine = [f for f in explain_text(text).findings if f.id == "LOG291"]
    assert mine and "platform" in mine[0].title and mine[0].confidence.name == "LOW"
    assert report.causes


def test_a_plain_install_stays_quiet_where_it_is_a_gpu_build_replaced_or_the_gpu_worked() -> None:
    for text in (
        # Linux's PyPI torch is a CUDA build
        "Ubuntu 22.04\n$ pip install torch\ntorch.cuda.is_available() returns False",
        # a later install from a CUDA index replaced it
        "Windows 11\n> pip install torch\n> pip install torch --index-url https://download.pytorch.org/whl/cu124\nthe GPU is still not used",
        # the CUDA extra installed afterwards
        "pip install jax\npip install -U \"jax[cuda12]\"\njax.devices() shows only the CPU",
        # llama.cpp asked to build with CUDA
        "CMAKE_ARGS=\"-DGGML_CUDA=on\" pip install llama-cpp-python\nthe GPU is not used",
        # the GPU in use
        "Windows 11\n> pip install torch\ntorch.cuda.is_available() True, training runs on cuda:0 at 90% utilization",
        # a release whose plain package has CUDA
        "pip install tensorflow==2.4.1 on Ubuntu; the GPU is not used",
        # advice, not the writer's install
        "Windows 11: my GPU is not used. Should I run pip install torch again?",
    ):
        assert "LOG291" not in _ids(text), text


# --- the writer's words that two packages of one module are both installed ----------------------------------------------


def test_two_packages_of_one_module_said_both_installed_are_read_together() -> None:
    from whygpu.explain.installstate import said_installed_together

    for line, pair in (
        ("I had installed both onnxruntime and onnxruntime-gpu.", ("onnxruntime", "onnxruntime-gpu")),
        ("We have both `onnxruntime-gpu` and `onnxruntime` in the venv", ("onnxruntime-gpu", "onnxruntime")),
        ("onnxruntime and onnxruntime-gpu are both installed on this machine", ("onnxruntime", "onnxruntime-gpu")),
        ("paddlepaddle and paddlepaddle-gpu were installed together by the setup script", ("paddlepaddle", "paddlepaddle-gpu")),
    ):
        assert said_installed_together(line) == [pair], line


def test_both_packages_stay_unread_in_questions_advice_negations_and_removals() -> None:
    from whygpu.explain.installstate import said_installed_together

    for line in (
        "Do I need both onnxruntime and onnxruntime-gpu?",
        "You should not install both onnxruntime and onnxruntime-gpu.",
        "I have not installed both onnxruntime and onnxruntime-gpu",
        "I uninstalled both onnxruntime and onnxruntime-gpu",
        "If you have both onnxruntime and onnxruntime-gpu, remove one",
        "I installed onnxruntime-gpu and onnxruntime is not there",
    ):
        assert said_installed_together(line) == [], line


def test_both_packages_said_installed_where_only_the_cpu_provider_is_available_name_the_broken_install() -> None:
    text = ("I had installed both onnxruntime and onnxruntime-gpu.\n"
            "ort.get_available_providers() returns ['CPUExecutionProvider'] only, CUDAExecutionProvider is missing")
    assert _first(text) == "FRAMEWORK_INSTALL_BROKEN"


# --- the writer's words that the install gave the CPU build, or that a requirements file names a framework plainly ------


def test_an_installer_or_requirements_said_to_bring_the_cpu_build_is_read_as_the_cpu_build() -> None:
    from whygpu.explain.installstate import said_resolved_to_cpu

    for line in (
        "setup.py installs the CPU version of torch",
        "pip picked the cpu-only wheel of jaxlib again",
        "The package lists torch, but it doesn't install support for CUDA.",
        "uv did not install GPU support for torch",
    ):
        assert said_resolved_to_cpu(line) is not None, line
    for line in (
        "Does requirements.txt install the cpu version of torch?",
        "If pip installs the CPU build, uninstall it first.",
        "I hope pip will install the cpu version",
    ):
        assert said_resolved_to_cpu(line) is None, line


def test_a_framework_said_to_be_named_plainly_by_a_requirements_file_is_a_plain_install() -> None:
    for line, written in (
        ("Note that jaxlib is pinned in requirements.txt", "jaxlib"),
        ("the requirements file just has torch==2.2.1", "torch==2.2.1"),
        ("setup.py pins tensorflow==1.13.1 for the project", "tensorflow==1.13.1"),
    ):
        assert [p.written for p in ownanswer.plain_requirements(line)] == [written], line
    for line in (
        "Is torch listed in requirements.txt?",
        "If torch is listed in requirements.txt, pip takes it from PyPI",
        "the requirements file lists jax[cuda12]",
        "requirements.txt has numpy and scipy",
    ):
        assert list(ownanswer.plain_requirements(line)) == [], line
    text = "Windows 10, GTX 1660. torch is listed in requirements.txt and I installed from it. torch.cuda.is_available() prints False."
    assert "LOG291" in _ids(text)
    assert "LOG291" not in _ids(text.replace("Windows 10", "Ubuntu 20.04"))


def test_the_gpu_said_to_come_only_after_installing_the_framework_again_reads_as_the_cpu_build_before() -> None:
    from whygpu.explain.installstate import said_resolved_to_cpu

    for line in (
        "I had to reinstall torch from the cuda index separately to get the GPU recognised.",
        "We needed to install jax[cuda12] again after the toolkit to make the GPU show up.",
        "They had to explicitly install paddlepaddle-gpu after setup to use the GPU",
    ):
        assert said_resolved_to_cpu(line) is not None, line
    for line in (
        "Do I need to install jax after the toolkit to see the GPU?",
        "You need to install jax[cuda12] after the toolkit to use the GPU.",
        "I had to reinstall the NVIDIA driver to get the GPU working",
        "If you need to reinstall torch to use the GPU, do it in a fresh venv",
    ):
        assert said_resolved_to_cpu(line) is None, line
