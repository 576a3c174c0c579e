"""The install state of a framework's packages read from what a log shows (session 21, accpkg): each reading fires on
lines written from its class (several installers and layouts, other wordings) and stays quiet on advice, questions,
conditions, other repairs and healthy runs.

The lines are written from what pip, uv and a shell print and what people type, not copied from a corpus case.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report
from whygpu.explain.installstate import package_commands
from whygpu.knowledge.python_layouts import same_import_repair


def _causes(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(c.code, tuple(c.findings)) for c in to_report(explain_text(text)).causes]


def _findings(text: str) -> set[str]:
    return {f for _, found in _causes(text) for f in found}


# --- the knowledge layer's decision ------------------------------------------------------------------------------


@pytest.mark.parametrize(("removed", "installed", "forced", "other", "group"), [
    (["onnxruntime", "onnxruntime-gpu"], "onnxruntime-gpu", False, True, "onnxruntime"),   # both removed
    (["onnxruntime"], "onnxruntime-gpu", True, False, "onnxruntime"),                      # the GPU build forced back
    (["onnxruntime-gpu"], "onnxruntime-gpu", False, False, "onnxruntime"),                 # the same build again
    (["paddlepaddle", "paddlepaddle-gpu"], "paddlepaddle-gpu", False, False, "paddle"),
    (["tensorflow-cpu"], "tensorflow", True, False, "tensorflow"),
    (["tensorflow", "tensorflow-gpu"], "tensorflow-gpu", False, True, "tensorflow"),
])
def test_a_repair_of_two_packages_of_one_module_is_decided_by_the_knowledge_layer(
        removed: list[str], installed: str, forced: bool, other: bool, group: str) -> None:
    found = same_import_repair(removed, installed, forced=forced, other_build=other)
    assert found is not None and found.group == group


@pytest.mark.parametrize(("removed", "installed", "forced", "other"), [
    (["onnxruntime"], "onnxruntime-gpu", False, False),        # also how a CPU-only install is replaced
    (["paddlepaddle-gpu"], "paddlepaddle-gpu", False, True),   # another build of the GPU package (another CUDA index)
    (["tensorflow"], "tensorflow", False, False),              # plain tensorflow is a CPU build before 2.1
    (["torch"], "torch", True, False),                         # torch's builds differ by local version, not by name
    (["cupy-cuda11x"], "cupy-cuda12x", False, False),          # every CuPy wheel is a CUDA one: a CUDA change
    (["onnxruntime-gpu"], "onnxruntime", False, False),        # the CPU package installed: no GPU build
])
def test_other_package_changes_are_no_such_repair(removed: list[str], installed: str, forced: bool, other: bool) -> None:
    assert same_import_repair(removed, installed, forced=forced, other_build=other) is None


# --- which commands were run -------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "$ pip3 uninstall -y onnxruntime",
    "!pip uninstall onnxruntime --yes",
    "(venv) me@box:~/proj$ python3.10 -m pip uninstall onnxruntime",
    "PS C:\\work> .\\env\\Scripts\\python.exe -m pip uninstall onnxruntime",
    "2. pip uninstall onnxruntime",
    "Step 3: uv pip uninstall onnxruntime",
    "In [4]: !pip uninstall -y onnxruntime",
    "Yesterday I ran `pip uninstall onnxruntime` in the env.",
])
def test_a_command_shown_run_is_read(line: str) -> None:
    commands = package_commands(line)
    assert [(c.verb, c.names) for c in commands] == [("uninstall", ("onnxruntime",))]


@pytest.mark.parametrize("line", [
    "Try `pip uninstall onnxruntime` and see.",
    "You should pip uninstall onnxruntime first.",
    "If both are there, pip uninstall onnxruntime.",
    "Should I run pip uninstall onnxruntime?",
    "Please run pip uninstall onnxruntime and report back.",
])
def test_a_command_advised_asked_or_supposed_is_not_read(line: str) -> None:
    assert package_commands(line) == []


def test_a_command_reads_its_options() -> None:
    [cmd] = package_commands("pip install -U --force-reinstall --no-cache-dir onnxruntime-gpu")
    assert cmd.forced and not cmd.other_build and cmd.names == ("onnxruntime-gpu",)
    [cmd] = package_commands("pip install paddlepaddle-gpu==2.6.1 -i https://mirror.example/simple -r extra.txt")
    assert cmd.other_build and not cmd.forced and cmd.names == ("paddlepaddle-gpu",)
    first, second = package_commands("pip uninstall -y tensorflow && pip install -I 'tensorflow-gpu'")
    assert (first.verb, first.names, second.verb, second.names, second.forced) == ("uninstall", ("tensorflow",), "install", ("tensorflow-gpu",), True)


# --- the one reading of every package manager's commands (accunify, session 24) -------------------------------------

from whygpu.explain.installstate import install_commands  # noqa: E402


@pytest.mark.parametrize(("line", "manager", "verb", "names", "sources"), [
    ("$ sudo -H python3.11 -m pip install --index-url https://example.org/simple 'jax[cpu]==0.4.1'", "pip", "install", ("jax",), ("https://example.org/simple",)),
    ("C:\\venv\\Scripts\\pip.exe uninstall -y onnxruntime_gpu", "pip", "uninstall", ("onnxruntime-gpu",), ()),
    ("uv add torch --index pytorch", "pip", "add", ("torch",), ("pytorch",)),
    ("poetry add faiss-cpu@^1.7", "pip", "add", ("faiss-cpu",), ()),
    ("(base) $ mamba create -n ml -c conda-forge python=3.10 pytorch=2.1=cpu_generic*", "conda", "create", ("python", "pytorch"), ("conda-forge",)),
    ("conda install conda-forge::faiss-cpu", "conda", "install", ("faiss-cpu",), ("conda-forge",)),
    ("sudo apt-get install -y -t focal tensorflow-model-server", "apt", "install", ("tensorflow-model-server",), ("focal",)),
    ("PM> Install-Package OpenCvSharp4.Windows -Version 4.8.0", "nuget", "install", ("opencvsharp4.windows",), ()),
    ("dotnet add MyApp.csproj package OpenCvSharp4 --version 4.8.0", "nuget", "install", ("opencvsharp4",), ()),
    ('python -m pip install "rembg[gpu,cli]"', "pip", "install", ("rembg",), ()),
])
def test_every_managers_command_is_read_with_its_manager_verb_requirements_and_sources(
        line: str, manager: str, verb: str, names: tuple[str, ...], sources: tuple[str, ...]) -> None:
    [command] = install_commands(line)
    assert (command.manager, command.verb, command.names, command.sources) == (manager, verb, names, sources)
    assert line[command.start:command.end].rstrip().endswith(line.rstrip().split()[-1])  # where it was seen


def test_a_requirement_keeps_its_extras_and_version_and_the_options_their_values() -> None:
    [command] = install_commands("pip install -r req.txt -v 'jax[cpu]>=0.4' ./dist/x-1.0-py3-none-any.whl")
    [jax] = command.requirements
    assert (jax.name, jax.extras, jax.spec) == ("jax", "[cpu]", ">=0.4") and command.other_build


@pytest.mark.parametrize(("line", "commands"), [
    ("pip install -U pip wheel setuptools", [("install", ("pip", "wheel", "setuptools"))]),       # pip as a package
    ("conda install pip setuptools", [("install", ("pip", "setuptools"))]),
    ("pip list | grep torch and then pip install torch", [("list", ()), ("install", ("torch",))]),
    ("pip show torch, yet I ran pip install torch", [("show", ("torch", "yet", "i", "ran")), ("install", ("torch",))]),  # two
    ("with apt-get (sudo apt-get install tensorflow-model-server)", [("", ()), ("install", ("tensorflow-model-server",))]),
])
def test_a_program_named_inside_a_command_is_a_package_unless_a_second_command_starts(line: str, commands: list[tuple[str, tuple[str, ...]]]) -> None:
    assert [(c.verb, c.names) for c in install_commands(line)] == commands


@pytest.mark.parametrize("line", [
    "the pipeline installs everything",
    "channels: conda-forge and defaults",
    "RUN --mount=type=cache,target=/root/.cache/pipx",
    "apt-cache policy tensorflow-model-server",
])
def test_other_words_are_no_command(line: str) -> None:
    assert install_commands(line) == []


def test_the_cpu_package_reader_reads_every_managers_install_through_the_one_parser() -> None:
    from whygpu.explain.ownanswer import cpu_packages

    for line, name in (
        ("poetry add faiss-cpu", "faiss-cpu"),                                  # poetry's add: a PyPI name
        ("$ conda install conda-forge::faiss-cpu", "faiss-cpu"),                # conda's channel::name
        ("conda create -n cv python=3.10 pytorch cpuonly -c pytorch", "cpuonly"),
        ("Install-Package OpenCvSharp4.Windows -Version 4.8.0", "OpenCvSharp4.Windows"),
        ('pip install "jax[cpu]"', "jax[cpu]"),
    ):
        assert [written for _, written in cpu_packages(line)] == [name], line
    for line in (
        "pip download faiss-cpu",                       # fetched, not installed
        "conda search faiss-cpu",                       # a query
        "pip uninstall -y tensorflow-cpu",              # a removal
        "conda install -n faiss-cpu numpy",             # -n's value names the environment, no package
        "pip install -r req.txt -c faiss-cpu.txt",      # files of requirements and constraints
    ):
        assert list(cpu_packages(line)) == [], line


# --- LOG220: the repair shown run ---------------------------------------------------------------------------------


@pytest.mark.parametrize("log", [
    # both packages removed, then the GPU one installed (pip, python -m pip, uv)
    "providers only list CPU\n$ pip uninstall -y onnxruntime onnxruntime-gpu\n$ pip install onnxruntime-gpu==1.18.0\n",
    "1) python -m pip uninstall paddlepaddle paddlepaddle-gpu\n2) python -m pip install paddlepaddle-gpu\n",
    "uv pip uninstall onnxruntime-gpu onnxruntime\nuv pip install onnxruntime-gpu\n",
    # the CPU package removed and the GPU one forced back over the copy there
    "```\npip uninstall onnxruntime\npip install --force-reinstall onnxruntime-gpu\n```\n",
    "!pip uninstall -y tensorflow-cpu && pip install --ignore-installed tensorflow\n",
    # the GPU package removed and installed again as it was
    "!pip uninstall -y onnxruntime-gpu\n!pip install onnxruntime-gpu\nnow the session gets CUDAExecutionProvider\n",
])
def test_a_shown_repair_of_two_packages_is_a_broken_install(log: str) -> None:
    causes = _causes(log)
    assert causes[0] == ("FRAMEWORK_INSTALL_BROKEN", ("LOG220",))


@pytest.mark.parametrize("log", [
    # advice, a question and a condition
    "You should run pip uninstall onnxruntime onnxruntime-gpu and then pip install onnxruntime-gpu.\n",
    "Do I need to pip uninstall onnxruntime onnxruntime-gpu before I pip install onnxruntime-gpu?\n",
    "If the providers list only CPU, pip uninstall onnxruntime onnxruntime-gpu, then pip install onnxruntime-gpu.\n",
    # the CPU package replaced plainly (also how a CPU-only install is replaced: not decided here)
    "$ pip uninstall onnxruntime\n$ pip install onnxruntime-gpu\n",
    # the GPU package moved to another CUDA build
    "$ pip uninstall paddlepaddle-gpu\n$ pip install paddlepaddle-gpu==2.6.1 -i https://www.paddlepaddle.org.cn/packages/stable/cu118/\n",
    # the install came first, the removal after it
    "$ pip install onnxruntime-gpu\n$ pip uninstall onnxruntime onnxruntime-gpu\n",
    # torch reinstalled: its build is its local version, not its name
    "pip uninstall -y torch torchvision\npip install --force-reinstall torch torchvision\n",
])
def test_other_package_commands_are_not_read_as_the_repair(log: str) -> None:
    assert "LOG220" not in _findings(log)


def test_the_repair_stays_quiet_where_the_gpu_is_used() -> None:
    log = ("$ pip uninstall -y tensorflow tensorflow-gpu\n$ pip install tensorflow-gpu==2.4.1\n"
           "2021-03-02 10:11:12.000001: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1418] Created TensorFlow device "
           "(/job:localhost/replica:0/task:0/device:GPU:0 with 10000 MB memory) -> physical GPU (device: 0, name: GeForce RTX 2080 Ti, "
           "pci bus id: 0000:01:00.0, compute capability: 7.5)\n")
    assert "LOG220" not in _findings(log)


# --- one install command that names two packages of one module ------------------------------------------------------


@pytest.mark.parametrize("log", [
    "I installed with `pip install onnxruntime onnxruntime-gpu` and the GPU is not used.\n",
    "!pip install -q onnxruntime-gpu onnxruntime==1.17.1 insightface\n",
])
def test_one_install_command_with_both_onnxruntime_packages_is_a_broken_install(log: str) -> None:
    assert _causes(log)[0] == ("FRAMEWORK_INSTALL_BROKEN", ("LOG160",))


@pytest.mark.parametrize("log", [
    "pip install onnxruntime-gpu onnx onnxruntime-tools\n",          # onnxruntime-tools is another module
    "Try pip install onnxruntime onnxruntime-gpu and tell me.\n",    # advice
])
def test_other_install_commands_name_no_onnxruntime_pair(log: str) -> None:
    assert "LOG160" not in _findings(log)


# --- the writer's words that two packages of one module are installed together -----------------------------------------

from whygpu.explain.installstate import said_installed_together  # noqa: E402


@pytest.mark.parametrize(("line", "names"), [
    ("Turns out paddlepaddle was installed on top of paddlepaddle-gpu.", ("paddlepaddle", "paddlepaddle-gpu")),
    ("I have onnxruntime_gpu installed together with onnxruntime 1.16 in that venv.", ("onnxruntime-gpu", "onnxruntime")),
    ("The image ships `tensorflow-gpu` alongside `tensorflow` 1.14.", ("tensorflow-gpu", "tensorflow")),
    ("insightface pulls in onnxruntime, so the CUDA provider is gone.", ("onnxruntime",)),
    ("Installing rembg[gpu] also installs the regular onnxruntime package.", ("onnxruntime",)),
    ("Even after I add --no-deps it still installs tensorflow (the CPU one).", ("tensorflow",)),
    ("The package 'onnxruntime' is unnecessarily pulled in by faster-whisper.", ("onnxruntime",)),
    ("onnxruntime gets installed as a dependency of the face swapper.", ("onnxruntime",)),
])
def test_words_that_two_packages_are_installed_together_are_read(line: str, names: tuple[str, ...]) -> None:
    assert said_installed_together(line) == [names]


@pytest.mark.parametrize("line", [
    "onnxruntime-gpu was not installed alongside onnxruntime.",          # negated
    "Do not install onnxruntime alongside onnxruntime-gpu.",             # an instruction
    "Never let pip install onnxruntime on top of onnxruntime-gpu.",      # an instruction
    "If onnxruntime is pulled in by another package, uninstall it.",     # a condition
    "Why does it install tensorflow-gpu as well as tensorflow?",         # a question
    "Is onnxruntime also installed?",                                    # a question
    "faster-whisper does not pull in onnxruntime anymore.",              # negated
    "I installed onnxruntime-gpu and it works.",                         # one package installed by the writer
    "pip install onnxruntime-gpu alongside torch",                       # a command: read as one (above), not as words
    "tensorflow-gpu and tensorflow are different packages.",             # no word of being installed together
])
def test_other_words_are_not_read_as_two_packages_installed(line: str) -> None:
    assert said_installed_together(line) == []


def test_a_dependency_said_to_pull_in_the_cpu_package_beside_tensorflow_gpu_is_a_broken_install() -> None:
    log = ("I use tensorflow-gpu 1.15 on Ubuntu; tensorflow-gpu is installed.\n"
           "After pip install some-lib the training runs on the CPU: some-lib pulls in tensorflow.\n")
    # accbroken's LOG575 (an install of another package changed the framework) reads the same account to the same cause.
    code, found = _causes(log)[0]
    assert code == "FRAMEWORK_INSTALL_BROKEN" and "LOG133" in found


def test_the_two_onnxruntime_packages_said_installed_together_are_a_broken_install() -> None:
    log = "get_available_providers() only gives CPU. I found onnxruntime-gpu installed alongside onnxruntime in the env.\n"
    assert _causes(log)[0] == ("FRAMEWORK_INSTALL_BROKEN", ("LOG160",))


def test_the_words_stay_quiet_where_the_gpu_is_used() -> None:
    log = ("The image has onnxruntime-gpu installed alongside onnxruntime, and a healthy run shows:\n"
           "2021-03-02 10:11:12.000001: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1418] Created TensorFlow device "
           "(/job:localhost/replica:0/task:0/device:GPU:0 with 10000 MB memory) -> physical GPU (device: 0, name: GeForce RTX 2080 Ti, "
           "pci bus id: 0000:01:00.0, compute capability: 7.5)\n")
    assert "LOG160" not in _findings(log)


# --- the writer's words that an install resolved to the CPU build -------------------------------------------------------

from whygpu.explain.installstate import said_resolved_to_cpu  # noqa: E402


@pytest.mark.parametrize("line", [
    "The install finishes, but it doesn't pull in the CUDA dependencies at all.",
    "`poetry install` did not install any cuda packages for torch.",
    "uv sync never downloads the GPU wheel of torch on my laptop.",
    "The CUDA build of jaxlib was not installed by the lock file.",
    "after the requirements run, torch cpu version installed, not the cu121 one",
    "Somehow the jaxlib cpu-only wheel got picked by the resolver.",
    "conda fails to install the GPU version of pytorch from the channel.",
])
def test_words_that_an_install_brought_the_cpu_build_are_read(line: str) -> None:
    assert said_resolved_to_cpu(line) is not None


@pytest.mark.parametrize("line", [
    "Does pip install the CUDA version of torch by default?",                         # a question
    "If uv doesn't pull in the CUDA dependencies, add the index to pyproject.",       # a condition
    "You should check that pip does not install the CPU wheel.",                      # advice
    "I think uv doesn't pull in the CUDA dependencies.",                              # a guess
    "It didn't pull in the CUDA wheels at first, but after adding the index it works now.",  # over
    "pip install torch doesn't install the CUDA toolkit, only the runtime libraries.",  # not a build of the framework
    "Now it installs the CUDA build correctly.",                                      # the GPU build installed
])
def test_other_words_are_not_read_as_an_install_of_the_cpu_build(line: str) -> None:
    assert said_resolved_to_cpu(line) is None


def test_an_install_said_to_skip_the_cuda_build_is_a_cpu_build() -> None:
    log = "uv tool install mytool[cuda]\nIt installs without errors but doesn't pull in the CUDA dependencies.\n"
    assert _causes(log)[0] == ("FRAMEWORK_CPU_BUILD", ("LOG112",))


# --- a program's own device choices without the GPU (Python's argparse) --------------------------------------------------

from whygpu.explain.installstate import cpu_only_choices  # noqa: E402


@pytest.mark.parametrize(("line", "framework"), [
    ("run.py: error: argument --execution-providers: invalid choice: 'cuda' (choose from 'cpu')", "onnxruntime"),
    ("app.py: error: argument -ep/--execution-provider: invalid choice: 'tensorrt' (choose from 'cpu', 'coreml')", "onnxruntime"),
    ("main.py: error: argument --device: invalid choice: 'cuda' (choose from 'cpu', 'mps')", "any"),
    ("infer.py: error: argument --device: invalid choice: 'gpu' (choose from cpu)", "any"),   # newer Pythons drop the quotes
    ("serve: error: argument --accelerator: invalid choice: 'cuda:0' (choose from 'cpu', 'auto-cpu')", "any"),
])
def test_a_gpu_value_refused_among_cpu_only_choices_is_read(line: str, framework: str) -> None:
    found = cpu_only_choices(line)
    assert found is not None and found[0] == framework


@pytest.mark.parametrize("line", [
    "main.py: error: argument --device: invalid choice: 'cuda:1' (choose from 'cpu', 'cuda:0')",       # a GPU offered
    "main.py: error: argument --mode: invalid choice: 'fast' (choose from 'cpu', 'slow')",             # no GPU asked for
    "error: argument --execution-provider: invalid choice: 'cuda' (choose from 'cpu', 'tensorrt')",   # a GPU provider offered
    "error: argument --device: invalid choice: 'cuda' (choose from 'rocm', 'mps')",                   # no CPU: another accelerator
    "the argument --device only accepts cpu here, which is fine for tests",                            # no argparse message
])
def test_other_choice_errors_are_not_read(line: str) -> None:
    assert cpu_only_choices(line) is None


def test_an_execution_provider_option_offering_only_the_cpu_is_onnxruntimes_cpu_build() -> None:
    log = "$ python run.py --execution-providers cuda\nrun.py: error: argument --execution-providers: invalid choice: 'cuda' (choose from 'cpu')\n"
    causes = _causes(log)
    assert causes[0][0] == "FRAMEWORK_CPU_BUILD" and "FRAMEWORK_INSTALL_BROKEN" in [c for c, _ in causes]


def test_a_device_option_offering_only_the_cpu_beside_torch_is_a_gpu_unused() -> None:
    log = "import torch\nmain.py: error: argument --device: invalid choice: 'cuda' (choose from 'cpu')\n"
    assert _causes(log)[0] == ("FRAMEWORK_CPU_BUILD", ("LOG104",))


# --- conda's package rows as mamba's table and conda's older plan print them ---------------------------------------------

from whygpu.explain.installstate import conda_package_row  # noqa: E402


@pytest.mark.parametrize("line", [
    "  + pytorch              2.1.0  cpu_generic_py311h0a0b0c0_1   conda-forge     20MB",          # micromamba install
    "  + pytorch              2.1.0  cpu_mkl_py310h0a0b0c0_100     conda-forge/linux-64     Cached",
    "    pytorch:   1.13.1-py3.9_cuda11.7_cudnn8.5.0_0 --> 1.13.1-py3.9_cpu_0",                  # conda's older plan
    "    _tflow_180_select:   1.0-gpu              --> 3.0-eigen",                                # TF's selector by release
    "  + tensorflow-base      2.15.0  cpu_py311h0123456_0   conda-forge   120MB",
])
def test_a_cpu_variant_in_another_conda_layout_is_a_cpu_build(line: str) -> None:
    assert _causes(line + "\n")[0][0] == "FRAMEWORK_CPU_BUILD"


@pytest.mark.parametrize("line", [
    "  - pytorch              2.1.0  cpu_generic_py311h0a0b0c0_1   conda-forge     Cached",        # removed, not installed
    "    _tflow_select:   3.0-eigen --> 1.0-gpu",                                                 # moved to the GPU variant
    "  + tensorflow      2.15.0  cuda120py311h0123456_0   conda-forge   120MB",                   # a CUDA variant
    "    tensorflow: 2.4.1-gpu_py38h8a7d6ce_0",
])
def test_other_conda_rows_are_no_cpu_build(line: str) -> None:
    assert "FRAMEWORK_CPU_BUILD" not in [c for c, _ in _causes(line + "\n")]


def test_the_row_reader_gives_name_version_and_build() -> None:
    assert conda_package_row("  + pytorch   2.1.0  cpu_generic_py311h0_1   conda-forge   20MB") == ("pytorch", "2.1.0", "cpu_generic_py311h0_1")
    assert conda_package_row("    _tflow_180_select:   1.0-gpu  --> 3.0-eigen") == ("_tflow_180_select", "3.0", "eigen")
    assert conda_package_row("Name: torch") is None and conda_package_row("image: nvidia/cuda:12.1.0-base") is None


# --- what an installer's own output installs and removes ---------------------------------------------------------------

from whygpu.explain.installstate import installer_output  # noqa: E402


@pytest.mark.parametrize(("line", "installed", "removed"), [
    ("Installing collected packages: onnxruntime-gpu, insightface", ("onnxruntime-gpu", "insightface"), ()),
    ("Successfully installed onnxruntime-1.18.0 rembg-2.0.57", ("onnxruntime", "rembg"), ()),
    ("Successfully uninstalled onnxruntime-1.18.0", (), ("onnxruntime",)),
    ("Collecting onnxruntime>=1.14 (from faster-whisper==1.0.0)", ("onnxruntime",), ()),
    (" + tensorflow==2.15.0", ("tensorflow",), ()),
    (" - tensorflow-cpu==2.15.0", (), ("tensorflow-cpu",)),
    ("  - Installing paddlepaddle (2.6.1)", ("paddlepaddle",), ()),
    ("  • Removing onnxruntime (1.17.0)", (), ("onnxruntime",)),
    ("Collecting onnxruntime-gpu", (), ()),                       # asked for, not yet a dependency pulled in
    ("Requirement already satisfied: numpy in ./venv", (), ()),
])
def test_an_installers_output_says_what_it_installs_and_removes(line: str, installed: tuple[str, ...], removed: tuple[str, ...]) -> None:
    assert installer_output(line) == (installed, removed)


@pytest.mark.parametrize("log", [
    "Installing collected packages: onnxruntime-gpu, onnxruntime\nSuccessfully installed onnxruntime-1.18.0 onnxruntime-gpu-1.18.0\n",
    "Resolved 40 packages in 1.2s\n + onnxruntime==1.18.0\n + onnxruntime-gpu==1.18.0\n",
    "Package operations: 2 installs\n  - Installing onnxruntime (1.18.0)\n  - Installing onnxruntime-gpu (1.18.0)\n",
    "Successfully installed onnxruntime-gpu-1.18.0\n$ pip install insightface\nCollecting onnxruntime (from insightface)\n",
])
def test_an_installer_putting_both_onnxruntime_packages_in_is_a_broken_install(log: str) -> None:
    assert _causes(log)[0] == ("FRAMEWORK_INSTALL_BROKEN", ("LOG160",))


@pytest.mark.parametrize("log", [
    # the CPU package removed after both were shown
    "onnxruntime               1.18.0\nonnxruntime-gpu           1.18.0\nSuccessfully uninstalled onnxruntime-1.18.0\n",
    " + onnxruntime==1.18.0\n + onnxruntime-gpu==1.18.0\n - onnxruntime==1.18.0\n",
    "onnxruntime==1.18.0\nonnxruntime-gpu==1.18.0\n$ pip uninstall -y onnxruntime\n",
    # only the GPU package installed
    "Installing collected packages: onnxruntime-gpu\nSuccessfully installed onnxruntime-gpu-1.18.0\n",
])
def test_a_removed_or_single_package_is_no_pair(log: str) -> None:
    assert "LOG160" not in _findings(log)


# --- a Linux-only native library loaded on native Windows (LOG221) ---------------------------------------------------------


@pytest.mark.parametrize("line", [
    "bin C:\\Users\\me\\miniconda3\\envs\\llm\\lib\\site-packages\\bitsandbytes\\libbitsandbytes_cpu.so",
    "CUDA SETUP: Loading binary E:\\webui\\venv\\lib\\site-packages\\bitsandbytes\\libbitsandbytes_cuda118.so...",
    "argument of type 'WindowsPath' is not iterable while loading D:/tools/py310/Lib/site-packages/bitsandbytes/libbitsandbytes_cuda121.so",
])
def test_a_linux_library_of_a_package_on_a_windows_path_is_a_cpu_build(line: str) -> None:
    # accsetup's LOG555 (bitsandbytes' setup state: the Linux package on native Windows) reads the same line to the same cause.
    code, found = _causes(line + "\n")[0]
    assert code == "FRAMEWORK_CPU_BUILD" and "LOG221" in found


@pytest.mark.parametrize("line", [
    "bin /home/me/.venv/lib/python3.10/site-packages/bitsandbytes/libbitsandbytes_cpu.so",      # Linux: another reading
    "bin C:\\Users\\me\\venv\\Lib\\site-packages\\bitsandbytes\\libbitsandbytes_cuda121.dll",  # the Windows library
    "C:\\tools\\lib\\libcudart.so is not a Windows library",                                  # a package the table does not list
])
def test_other_library_paths_are_not_read_as_a_linux_build_on_windows(line: str) -> None:
    assert "LOG221" not in _findings(line + "\n")


# --- a replacement of one package of a module by its GPU package is no stated remedy of either cause -------------------

from whygpu.explain.remedies import stated_remedies  # noqa: E402


@pytest.mark.parametrize("line", [
    "I fixed it by replacing onnxruntime with onnxruntime-gpu.",
    "The new release fixed it by replacing `paddlepaddle` by `paddlepaddle-gpu` in its requirements.",
])
def test_replacing_the_cpu_package_of_a_module_by_its_gpu_package_names_no_cause(line: str) -> None:
    assert [r.cause for r in stated_remedies(line)] == []


def test_installing_the_gpu_package_still_names_the_cpu_build() -> None:
    assert [r.cause for r in stated_remedies("I fixed it by installing onnxruntime-gpu.")] == ["FRAMEWORK_CPU_BUILD"]


def test_two_pip_show_blocks_of_the_onnxruntime_packages_are_a_broken_install() -> None:
    log = ("$ pip show onnxruntime\nName: onnxruntime\nVersion: 1.18.0\nRequired-by: insightface\n"
           "$ pip show onnxruntime-gpu\nName: onnxruntime-gpu\nVersion: 1.18.0\n")
    assert _causes(log)[0] == ("FRAMEWORK_INSTALL_BROKEN", ("LOG160",))


def test_one_pip_show_block_is_no_pair() -> None:
    assert "LOG160" not in _findings("$ pip show onnxruntime-gpu\nName: onnxruntime-gpu\nVersion: 1.18.0\nLocation: /venv/lib\n")
