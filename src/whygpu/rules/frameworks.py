"""Rules about the framework packages themselves: CPU-only builds, stubs, conflicting installs."""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.model import Confidence, Severity
from whygpu.rules import view
from whygpu.rules.fixes import framework_gpu_install, pip, pip_uninstall
from whygpu.rules.interface import Hit, Outcome, RuleDoc, rule
from whygpu.snapshot import PythonEnv, Snapshot

# The TensorFlow knowledge (and packaging) is imported where a version is judged: an environment
# without a framework never loads them.


def _windows(snapshot: Snapshot, env: PythonEnv) -> bool:
    return env.platform_tag == "win32" or (env.platform_tag is None and snapshot.platform.system == "windows")


def _macos(snapshot: Snapshot, env: PythonEnv) -> bool:
    return env.platform_tag == "darwin" or (env.platform_tag is None and snapshot.platform.system == "darwin")


@rule(
    "FW001", "framework-cpu-build", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads each installed framework's build from its files: tensorflow-cpu or a build_info without CUDA, a torch wheel without CUDA (+cpu), jax without a CUDA plugin. On an NVIDIA Jetson (/etc/nv_tegra_release) before JetPack 7, a torch or TensorFlow CUDA build for x86_64 or server ARM (+cuNNN) has no CUDA for the board's Tegra GPU either.",
        why="A CPU build never looks for a GPU: no error, no warning, just CPU speed.",
        example="torch 2.13.0+cpu (torch.version.cuda is None); tensorflow-cpu 2.21.0; jax and jaxlib with no jax-cuda12-plugin.",
        fix='pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cu128; pip install "tensorflow[and-cuda]==2.21.*"; pip install -U "jax[cuda12]"',
        limits="Native Windows and macOS TensorFlow are judged by FW002.",
        references=("https://pytorch.org/get-started/locally/", "https://docs.jax.dev/en/latest/installation.html"),
    ),
)
def framework_cpu_build(snapshot: Snapshot) -> Iterator[Outcome]:
    for env, fw in snapshot.frameworks():
        board = view.jetson_build(snapshot, fw)
        if fw.gpu_build is not False:
            if board is not None and board[0] is False and fw.name in ("torch", "tensorflow"):
                # A CUDA build for x86_64 or server ARM on a Jetson: no CUDA for the board's Tegra GPU.
                yield Hit(
                    title=f"{fw.distribution} {fw.version} has no CUDA for this Jetson's GPU ({board[1]})",
                    evidence=(f"{env.executable}: {fw.distribution} {fw.version} at {fw.location}",
                              f"NVIDIA Jetson, L4T {view.jetson(snapshot)} (/etc/nv_tegra_release)"),
                    fix=framework_gpu_install(env, fw, snapshot),
                    scope=fw.name,
                )
            continue
        if fw.name == "tensorflow" and (_windows(snapshot, env) or _macos(snapshot, env)):
            continue  # FW002 explains the platform
        if fw.name == "tensorflow" and fw.distribution == "tensorflow-gpu":
            continue  # FW003: the stub
        what = {"tensorflow": "a CPU-only TensorFlow", "torch": "a CPU-only PyTorch build", "jax": "JAX without a CUDA plugin"}[fw.name]
        fix = framework_gpu_install(env, fw, snapshot)
        if fw.name == "tensorflow" and fw.distribution != "tensorflow":
            fix = pip_uninstall(env, fw.distribution) + "\n" + fix
        yield Hit(
            title=f"{fw.distribution} {fw.version} is {what}",
            evidence=(f"{env.executable}: {fw.distribution} {fw.version} at {fw.location}", *fw.evidence),
            fix=fix,
            scope=fw.name,
        )


@rule(
    "FW002", "tensorflow-platform-without-gpu", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds TensorFlow on a platform that has no CUDA build of it: native Windows from 2.11 on, and macOS.",
        why="TensorFlow 2.10 was the last release with GPU support on native Windows; later ones are CPU-only there. No macOS build has CUDA.",
        example="tensorflow 2.15 in a Windows Python (not WSL2).",
        fix="Use WSL2 with pip install \"tensorflow[and-cuda]\", or stay on tensorflow<2.11 with CUDA 11.2 and cuDNN 8.1 on Windows.",
        references=("https://www.tensorflow.org/install/pip#windows-native",),
    ),
)
def tensorflow_platform(snapshot: Snapshot) -> Iterator[Outcome]:
    for env, fw in snapshot.frameworks():
        if fw.name != "tensorflow":
            continue
        from whygpu.knowledge.tensorflow import tensorflow_gpu_on_native_windows

        if _windows(snapshot, env) and tensorflow_gpu_on_native_windows(fw.version) is False:
            yield Hit(
                title=f"TensorFlow {fw.version} has no GPU support on native Windows (2.10 was the last)",
                evidence=(f"{env.executable}: {fw.distribution} {fw.version}", "platform: native Windows"),
                fix='Run it in WSL2: `wsl --install`, then inside WSL2 `pip install "tensorflow[and-cuda]"`.\n'
                'Or, on native Windows: pip install "tensorflow<2.11" with CUDA 11.2 and cuDNN 8.1 installed.',
                scope="tensorflow",
            )
        elif _macos(snapshot, env):
            yield Hit(
                title=f"TensorFlow {fw.version} on macOS has no CUDA support",
                evidence=(f"{env.executable}: {fw.distribution} {fw.version}", "platform: macOS"),
                fix="On Apple silicon use tensorflow-metal for the Apple GPU; for an NVIDIA GPU use Linux or WSL2.",
                scope="tensorflow",
            )


@rule(
    "FW003", "tensorflow-gpu-stub", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Finds the tensorflow-gpu package: removed after 2.11, replaced by a stub that only fails to install or installs nothing usable.",
        why="Old tutorials still say `pip install tensorflow-gpu`; since 2.12 that package is an error stub, and older pins pull in an outdated CUDA build.",
        example="tensorflow-gpu 2.12.0 in requirements.txt.",
        fix='pip uninstall -y tensorflow-gpu && pip install "tensorflow[and-cuda]"',
        limits="conda's tensorflow-gpu (defaults and conda-forge) is a metapackage that selects tensorflow's GPU build: not reported (knowledge/tensorflow.toml, conda_package).",
        references=("https://pypi.org/project/tensorflow-gpu/", "https://github.com/conda-forge/tensorflow-feedstock/blob/main/recipe/meta.yaml"),
    ),
)
def tensorflow_gpu_stub(snapshot: Snapshot) -> Iterator[Outcome]:
    if isinstance(snapshot.pythons, list):
        for env in snapshot.pythons:
            for package in env.packages:
                if package.name != "tensorflow-gpu":
                    continue
                from whygpu.knowledge.tensorflow import (
                    latest_tensorflow,
                    tensorflow_gpu_package,
                    tensorflow_package,
                    tensorflow_pip_gpu_since,
                )

                state = tensorflow_gpu_package(package.version, package.installer)
                if state in ("gpu-build", "conda-metapackage"):
                    # Before 2.1 (pip) tensorflow-gpu was the GPU build itself; on conda it selects tensorflow's GPU build.
                    continue
                stub = state == "stub"
                row, since = tensorflow_package("tensorflow-gpu"), tensorflow_pip_gpu_since()
                latest = latest_tensorflow()
                yield Hit(
                    title=f"tensorflow-gpu {package.version} is installed: "
                    + (f"an empty stub since {row.stub_from if row else '2.12'}" if stub
                       else f"a deprecated package (the GPU build is plain 'tensorflow' since {since})"),
                    evidence=(f"{env.executable}: tensorflow-gpu {package.version} at {package.location}",),
                    fix=pip_uninstall(env, "tensorflow-gpu")
                    + "\n" + pip(env, f'"tensorflow[and-cuda]=={latest}.*"'),
                    severity=Severity.ERROR if stub else Severity.WARNING,
                )


@rule(
    "FW004", "conflicting-framework-packages", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Finds two distributions that install the same import package in one environment: tensorflow with tensorflow-cpu or tensorflow-intel, two torch builds, onnxruntime with onnxruntime-gpu, paddlepaddle with paddlepaddle-gpu, two CuPy wheels (knowledge/python_layouts.toml [[same_import]]).",
        why="They overwrite each other's files; which build you import depends on install order, and a CPU build often wins.",
        example="onnxruntime 1.16.3 and onnxruntime-gpu 1.16.3 both installed: get_available_providers() lists only CPUExecutionProvider.",
        fix="Uninstall all of them, then install the one GPU build.",
        references=("https://www.tensorflow.org/install/pip", "https://github.com/microsoft/onnxruntime/issues/7748"),
    ),
)
def conflicting_packages(snapshot: Snapshot) -> Iterator[Outcome]:
    if not isinstance(snapshot.pythons, list):
        return
    from whygpu.knowledge.python_layouts import Installed, same_import_conflicts

    for env in snapshot.pythons:
        names = {p.name: p for p in env.packages}
        installed = [Installed(p.name, p.version, p.installer) for p in env.packages]
        for group, members in same_import_conflicts(installed, windows=_windows(snapshot, env)):
            framework = group.group
            present = [names[m.name] for m in members]
            listed = ", ".join(f"{p.name} {p.version}" for p in present)
            uninstall = " ".join(p.name for p in present)
            gpu = next((fw for e, fw in snapshot.frameworks() if e is env and fw.name == framework), None)
            fix = pip_uninstall(env, uninstall)
            if gpu is not None:
                fix += "\n" + framework_gpu_install(env, gpu, snapshot)
            elif group.gpu_member:
                keep = names.get(group.gpu_member)
                fix += "\n" + pip(env, f"{group.gpu_member}=={keep.version}" if keep is not None and keep.version else group.gpu_member)
            yield Hit(
                title=f"Several {framework} packages are installed together: {listed}",
                evidence=(f"{env.executable}: {listed}",),
                fix=fix,
                scope=framework,
            )


@rule(
    "FW005", "pip-and-conda-cuda-mixed", "FRAMEWORK_INSTALL_BROKEN", Severity.WARNING,
    RuleDoc(
        what="Finds a conda environment that has both conda CUDA packages (cudatoolkit, cudnn) and pip nvidia-* CUDA wheels.",
        why="Two copies of the CUDA libraries with different versions: which one loads depends on the loader path, and mixes give undefined-symbol or cuDNN version errors.",
        example="conda install cudatoolkit=11.8 cudnn=8.6, then pip install tensorflow[and-cuda] (CUDA 12 wheels).",
        fix="Keep one source: remove the conda CUDA packages (conda remove cudatoolkit cudnn) when the framework's pip wheels bring CUDA.",
    ),
)
def pip_and_conda_cuda(snapshot: Snapshot) -> Iterator[Outcome]:
    if not isinstance(snapshot.pythons, list):
        return
    for env in snapshot.pythons:
        conda = [p for p in env.packages if p.installer == "conda" and p.name in ("cudatoolkit", "cudnn", "cuda-toolkit", "cuda-runtime", "cuda-cudart")]
        wheels = [p for p in env.packages if p.name.startswith("nvidia-") and p.installer != "conda"]
        if conda and wheels:
            yield Hit(
                title="This conda environment mixes conda CUDA packages with pip CUDA wheels",
                evidence=(
                    "conda: " + ", ".join(f"{p.name} {p.version}" for p in conda),
                    "pip: " + ", ".join(f"{p.name} {p.version}" for p in wheels[:5]),
                ),
                fix="conda remove " + " ".join(p.name for p in conda) + "  (keep the framework's pip CUDA wheels)",
                confidence=Confidence.MEDIUM,
            )


@rule(
    "FW006", "no-framework-installed", "FRAMEWORK_INSTALL_BROKEN", Severity.INFO,
    RuleDoc(
        what="Says when the inspected environment has none of TensorFlow, PyTorch or JAX.",
        why="The machine may be fine while the environment you meant (a venv, a Jupyter kernel, a conda env) is another one.",
        example="`whygpu` run with the system Python while the notebook uses a conda env.",
        fix="Run whygpu with the environment's interpreter: whygpu --python /path/to/env/bin/python",
    ),
)
def no_framework(snapshot: Snapshot) -> Iterator[Outcome]:
    if not isinstance(snapshot.pythons, list):
        return
    if snapshot.pythons and not snapshot.frameworks():
        envs = ", ".join(env.executable for env in snapshot.pythons)
        yield Hit(
            title="No TensorFlow, PyTorch or JAX in the inspected environment",
            evidence=(f"inspected: {envs}",),
            fix="whygpu --python /path/to/your/env/bin/python",
        )


def _start_failure(error: str) -> str:
    """"killed by signal SIGSEGV" -> "was killed by SIGSEGV"; "timed out after 5 s" -> "timed out after 5 s"."""
    if error.startswith("killed by signal "):
        return "was killed by " + error.removeprefix("killed by signal ")
    if error.startswith("exited with status "):
        return error.split(":", 1)[0]
    return error


@rule(
    "FW007", "interpreter-does-not-start", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Says when the interpreter of the inspected environment (--python) hung, crashed or failed when whygpu started it to ask for its version and site-packages (a few lines of standard library, nothing imported).",
        why="A framework in an environment whose interpreter does not start cannot use the GPU or anything else; the rest of the report was read from the environment's files.",
        example="whygpu --python ~/venv/bin/python where that python hangs in a sitecustomize.py, or segfaults (a broken build, a library it loads at start-up).",
        fix="Run the interpreter by hand to see why: ~/venv/bin/python -X importtime -c pass. A hang at start-up usually comes from a sitecustomize.py, a .pth file or a network-mounted site-packages; a crash from a broken interpreter build: recreate the environment (python -m venv --clear ~/venv).",
        limits="Only for the interpreter whygpu was told to inspect; whygpu's own interpreter is running.",
    ),
)
def interpreter_does_not_start(snapshot: Snapshot) -> Iterator[Outcome]:
    if not isinstance(snapshot.pythons, list):
        return
    for env in snapshot.pythons:
        if not env.interpreter_error:
            continue
        learned = [f"read from its files instead: a {env.kind} environment at {env.prefix}"]
        if isinstance(env.version, str):
            learned[0] += f", Python {env.version}"
        if env.frameworks:
            learned.append("frameworks found in its files: " + ", ".join(f"{fw.name} {fw.version}" for fw in env.frameworks))
        elif env.packages:
            learned.append("packages of interest in its files: " + ", ".join(f"{p.name} {p.version}" for p in env.packages[:6]))
        else:
            learned.append("no TensorFlow, PyTorch or JAX in its files")
        yield Hit(
            title=f"The interpreter you gave {_start_failure(env.interpreter_error)} at start-up",
            evidence=(f"{env.executable}: {env.interpreter_error} (asked only for its version and site-packages)", *learned),
            fix=interpreter_fix(env.executable),
            scope=env.executable,
        )


def interpreter_fix(executable: str) -> str:
    """What to do about an interpreter that hangs or crashes before running any code (FW007, and the deep probes)."""
    return (
        f"Run it by hand to see why: {executable} -X importtime -c pass\n"
        "(a hang at start-up usually comes from a sitecustomize.py, a .pth file or a network-mounted "
        "site-packages; a crash from a broken interpreter build: recreate the environment)"
    )


RULES = [framework_cpu_build, tensorflow_platform, tensorflow_gpu_stub, conflicting_packages, pip_and_conda_cuda, no_framework,
         interpreter_does_not_start]
