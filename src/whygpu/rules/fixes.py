"""The one fix builder per cause (``cause_fix``, for a machine's snapshot and a log's alike) and the exact lines it uses: pip commands, Azure VM sizes, ENV lines, from knowledge data."""

from __future__ import annotations

from whygpu.snapshot import FrameworkBuild, PythonEnv, Snapshot

# The knowledge modules and packaging are imported by the fix that needs them, so that a report
# with no framework fix to build (and ``whygpu --help``) never loads them.


def _minor(version: str) -> str:
    from packaging.version import InvalidVersion, Version

    try:
        v = Version(version)
    except InvalidVersion:
        return version
    return f"{v.major}.{v.minor}"


def _public(version: str) -> str:
    """"2.13.0+cpu" -> "2.13.0"."""
    return version.split("+", 1)[0]


def pip(env: PythonEnv | None, args: str) -> str:
    """A pip command for the environment: ``<python> -m pip install ...`` when we know the interpreter."""
    if env is not None and env.executable:
        return f"{env.executable} -m pip install {args}"
    return f"pip install {args}"


def pip_uninstall(env: PythonEnv | None, names: str) -> str:
    """``<python> -m pip uninstall -y NAMES``."""
    if env is not None and env.executable:
        return f"{env.executable} -m pip uninstall -y {names}"
    return f"pip uninstall -y {names}"


# TensorFlow's GPU builds on native Windows ended with 2.10 (https://www.tensorflow.org/install/pip#windows-native).
TENSORFLOW_NATIVE_WINDOWS_FIX = (
    'TensorFlow 2.11 and later have no GPU build on native Windows: run it in WSL2 (`wsl --install`, then '
    '`pip install "tensorflow[and-cuda]"` inside WSL2), or on Windows pip install "tensorflow<2.11" with CUDA 11.2 and cuDNN 8.1.'
)


def tensorflow_gpu_install(env: PythonEnv | None, fw: FrameworkBuild, *, upgrade_if_old: bool = True, windows: bool = False) -> str:
    """The install line that gives this TensorFlow version its CUDA libraries, or the nearest version that can.

    On native Windows the libraries are the system's (``tensorflow[and-cuda]`` is Linux only) and
    there is no GPU build after 2.10.
    """
    from whygpu.knowledge.tensorflow import (
        latest_tensorflow,
        tensorflow_and_cuda_pins,
        tensorflow_build,
    )

    minor = _minor(fw.version)
    if windows:
        build = tensorflow_build(fw.version, "windows")
        if build is None or not build.gpu or not build.cuda:
            return TENSORFLOW_NATIVE_WINDOWS_FIX
        return (f"TensorFlow {minor} on native Windows needs CUDA {build.cuda} and cuDNN {build.cudnn} installed, their bin "
                f"folders on %PATH% (its tested build). {TENSORFLOW_NATIVE_WINDOWS_FIX}")
    pins = tensorflow_and_cuda_pins(fw.version)
    if pins is not None:
        return pip(env, f'"tensorflow[and-cuda]=={minor}.*"')
    build = tensorflow_build(fw.version)
    latest = latest_tensorflow()
    lines = []
    if build is not None:
        lines.append(
            f"TensorFlow {minor} needs CUDA {build.cuda} and cuDNN {build.cudnn} installed on the system "
            f"(its tested build); or upgrade, which brings them as pip wheels:"
        )
    if upgrade_if_old:
        lines.append(pip(env, f'"tensorflow[and-cuda]=={latest}.*"'))
    return "\n".join(lines)


def torch_gpu_install(env: PythonEnv | None, fw: FrameworkBuild, snapshot: Snapshot | None = None) -> str:
    """``pip install torch==X --index-url .../cuNNN`` choosing a CUDA variant this driver can run."""
    from whygpu.knowledge.torch import torch_index_url, torch_release

    version = _public(fw.version)
    release = torch_release(version)
    cuda = None
    if release is not None and release.cuda_variants:
        stable = [c for c in release.cuda_variants if c not in release.experimental_cuda_variants] or release.cuda_variants
        # Without a driver to fit, the CUDA of the plain PyPI wheel is the tested default.
        cuda = release.pypi_default_cuda if release.pypi_default_cuda in stable else stable[-1]
        if snapshot is not None:
            from whygpu.knowledge.cuda import driver_version_runs_cuda
            from whygpu.rules.view import driver_version

            driver = driver_version(snapshot)
            platform = "windows" if snapshot.platform.system == "windows" else "linux"
            fits = [(c, driver_version_runs_cuda(driver.text, c, platform)) for c in stable] if driver is not None else []
            if any(fit.runs is not None for _c, fit in fits):
                # The newest variant this driver runs with its own CUDA (no minor-version compatibility needed).
                fitting = [c for c, fit in fits if fit.runs and fit.exact]
                cuda = fitting[-1] if fitting else stable[0]
    if release is None:
        # A release the tables do not know (older than they reach, or newer): never the CPU index;
        # the newest known release's default CUDA build, and where the asked-for release's builds are listed.
        newest, default = _torch_variant_for(None, None)
        pin = f'"torch=={newest}.*"' if newest else "torch"
        return (pip(env, f"--force-reinstall {pin} --index-url {torch_index_url(default)}")
                + f"  (or torch {version} from its CUDA index: https://pytorch.org/get-started/previous-versions/ lists them)")
    url = torch_index_url(cuda)
    return pip(env, f"--force-reinstall torch=={version} --index-url {url}")


def jax_gpu_install(env: PythonEnv | None, fw: FrameworkBuild) -> str:
    """``pip install "jax[cuda12]==X"`` for the JAX version found."""
    from whygpu.knowledge.jax import jax_cuda_requirements

    req = jax_cuda_requirements(fw.version)
    extra = req.extra if req is not None and req.extra else "cuda12"
    return pip(env, f'-U "jax[{extra}]=={_public(fw.version)}"')


def jetson_install(snapshot: Snapshot | None, framework: str | None) -> str | None:
    """On an NVIDIA Jetson whose line runs only the Tegra CUDA, how to get a build of ``framework`` for the board
    (knowledge.jetson.board_install); None elsewhere, so that the usual install line stands."""
    if snapshot is None or framework is None:
        return None
    from whygpu.rules.view import jetson

    l4t = jetson(snapshot)
    if l4t is None:
        return None
    from whygpu.knowledge.jetson import board_install

    return board_install(framework, None if l4t == "unknown" else l4t)


def framework_gpu_install(env: PythonEnv | None, fw: FrameworkBuild, snapshot: Snapshot | None = None) -> str:
    """The install line that brings a GPU build of ``fw`` with the CUDA libraries it loads."""
    board = jetson_install(snapshot, fw.name)
    if board is not None:
        return board
    if fw.name == "tensorflow":
        windows = snapshot is not None and snapshot.platform.system == "windows"
        line = tensorflow_gpu_install(env, fw, windows=windows)
        return line if windows else conda_first(env, fw.name, line)
    if fw.name == "torch":
        return conda_first(env, fw.name, torch_gpu_install(env, fw, snapshot))
    return conda_first(env, fw.name, jax_gpu_install(env, fw))


def conda_first(env: PythonEnv | None, framework: str | None, pip_line: str) -> str:
    """accnoticed (session 37): ``pip_line`` where pip (or nothing known) installed ``framework``; where conda installed it
    (``env``'s package record says so: a machine's conda-meta, a log's `conda list` row), conda's form first
    (knowledge.conda_solver.conda_gpu_install), what tells the installer apart, and the pip line after it."""
    from whygpu.knowledge.conda_solver import conda_gpu_install

    row = conda_gpu_install(framework)
    if row is None or env is None or not any(
            p.installer == "conda" and p.name in (row.package, row.framework, f"{row.package}-base") for p in env.packages):
        return pip_line
    channel = f"; {row.channel}" if row.channel else ""
    return (f"conda installed it, so ask conda for the CUDA build: {row.command}{channel}. What decides: {row.decides}.\n"
            f"Where pip installed it instead: {pip_line}")


def gpu_machine_suggestion(snapshot: Snapshot, min_cc: str | None = None) -> str:
    """What to run on instead: real Azure GPU VM sizes when this is Azure, else a generic line."""
    azure = snapshot.cloud.azure is True
    sizes = []
    if azure or snapshot.cloud.azureml.kind:
        from whygpu.knowledge.azure import azure_gpu_sizes

        sizes = azure_gpu_sizes(min_compute_capability=min_cc)
    if sizes:
        names = ", ".join(s.name for s in sizes[:3])
        if snapshot.cloud.azureml.kind == "job":
            return (f"Submit the job to a compute cluster with a GPU VM size (e.g. {names}): "
                    "`az ml compute create --type AmlCompute --size <size> ...`, then `compute: azureml:<cluster>` in the job YAML.")
        return f"Use a GPU VM size, for example {names} (resize the VM or create a GPU compute)."
    return "Run on a machine with an NVIDIA GPU (a GPU VM size or a workstation with an NVIDIA card)."


# --- the versions found: PyTorch variants and TensorFlow releases for a driver or an installed CUDA ---


def _torch_variant_for(driver_cuda: str | None, version: str | None) -> tuple[str | None, str | None]:
    """(release, CUDA variant): the newest variant of a PyTorch release that a driver of ``driver_cuda`` runs.

    With ``version`` that release only; without it, the newest release that has such a variant.
    """
    from whygpu.knowledge.cuda_versions import driver_runs_cuda
    from whygpu.knowledge.torch import torch_release, torch_releases

    given = torch_release(version) if version else None
    for release in [given] if given is not None else torch_releases():
        stable = [c for c in release.cuda_variants if c not in release.experimental_cuda_variants] or release.cuda_variants
        if driver_cuda is None:
            default = release.pypi_default_cuda if release.pypi_default_cuda in stable else (stable[-1] if stable else None)
            return (None if given else release.version), default
        fitting = [c for c in stable if driver_runs_cuda(driver_cuda, c)]
        if fitting:
            return (None if given else release.version), fitting[-1]
    return None, None


# Causes whose fix is installing the framework's GPU build with the CUDA libraries it loads.
INSTALL_CAUSES = ("FRAMEWORK_CPU_BUILD", "CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDNN_MISSING", "CUDNN_MISMATCH")


def cause_fix(
    cause: str,
    snapshot: Snapshot,
    env: PythonEnv | None = None,
    fw: FrameworkBuild | None = None,
    name: str = "the framework",
    *,
    framework: str | None = None,
    wanted_cuda: str | None = None,
    driver_cuda: str | None = None,
    installed_cuda: str | None = None,
    docker_command: str | None = None,
    holding_cuda: str | None = None,
    wanted_cudnn: str | None = None,
    installed_cudnn: str | None = None,
    gpu_limit: tuple[str, str] | None = None,
) -> str:
    """The fix for ``cause`` from the versions found: the one fix builder per cause (doctor, deep and explain).

    ``snapshot`` holds the facts: a machine's, or a log's (``explain.judge.log_snapshot``: what the
    log does not show is unknown); ``env``/``fw`` the framework it concerns (``framework`` names it
    when its build is not known).  The keywords are versions found that no snapshot field holds (a
    log's CUDA wanted by a library name, the driver's CUDA without its version, the CUDA installed
    as the user states it, the ``docker run`` line shown, the installed CUDA release that holds a
    library the loader did not find, the cuDNN a build wants and the one installed); a snapshot's
    own values fill them where they are not given; ``gpu_limit`` is (the GPU named, its last driver branch) where the GPU is
    past current drivers.  Where nothing found makes the fix exact, the cause's general advice
    (``knowledge/causes.toml``) is the fix; a rule writes its own fix only where it knows more.
    """
    from whygpu.knowledge.causes import cause_advice, platform_advice

    fix = _exact_fix(cause, snapshot, env, fw, name, framework=framework, wanted_cuda=wanted_cuda,
                     driver_cuda=driver_cuda, installed_cuda=installed_cuda, docker_command=docker_command,
                     holding_cuda=holding_cuda, wanted_cudnn=wanted_cudnn, installed_cudnn=installed_cudnn,
                     gpu_limit=gpu_limit) or cause_advice(cause)
    # accnoticed (session 37): Linux's loader path (LD_LIBRARY_PATH, ldconfig) is not Windows' or macOS's: the platform's own.
    own = platform_advice(cause, snapshot.platform.system)
    if own is not None and (snapshot.platform.system == "darwin" or "LD_LIBRARY_PATH" in fix or "ldconfig" in fix):
        return own[0]
    return fix


def _gpu_past_drivers_fix(gpu_limit: tuple[str, str], wanted_cuda: str | None, platform: str) -> str:
    """accadvice40 (session 40): the fix for a GPU past NVIDIA's current drivers, from the GPU the log names and its last driver
    branch (knowledge/gpus.toml's ``architecture_driver`` rows, NVIDIA's legacy list): the newest CUDA that branch runs
    (knowledge.cuda.max_cuda_for_driver, minor-version compatibility counted), so a build for that CUDA or a newer GPU."""
    from whygpu.knowledge.cuda import max_cuda_for_driver
    from whygpu.knowledge.gpus import gpu_in_text

    gpu, branch = gpu_limit
    newest = max_cuda_for_driver(branch, platform)
    model = gpu_in_text(gpu)
    arch = model.architecture if model is not None else None
    named = f"The {gpu}" + (f" ({arch})" if arch else "")
    if newest is None:
        return (f"{named} takes NVIDIA drivers up to the {branch} branch and no newer: run a build of the program made for a "
                f"CUDA that branch runs, or use a GPU that current drivers support.")
    major = newest.split(".")[0]
    beyond = f", so no driver it can take runs a CUDA {wanted_cuda.split('.')[0]} build" if wanted_cuda and wanted_cuda.split(".")[0] != major else ""
    return (f"{named} takes NVIDIA drivers up to the {branch} branch, which runs CUDA {major}.x builds at most (up to {newest} by "
            f"minor-version compatibility){beyond}. Install the "
            f"{branch} driver and a build of the program (and its framework) made for CUDA {major}.x or older, or use a GPU "
            f"that current drivers support.")


def _exact_fix(
    cause: str,
    snapshot: Snapshot,
    env: PythonEnv | None,
    fw: FrameworkBuild | None,
    name: str,
    *,
    framework: str | None,
    wanted_cuda: str | None,
    driver_cuda: str | None,
    installed_cuda: str | None,
    docker_command: str | None,
    holding_cuda: str | None = None,
    wanted_cudnn: str | None = None,
    installed_cudnn: str | None = None,
    gpu_limit: tuple[str, str] | None = None,
) -> str:
    """The fix the versions found make exact; "" where they do not."""
    from whygpu.knowledge.cuda import min_driver_for_cuda
    from whygpu.knowledge.cuda_versions import cudnn_major
    from whygpu.knowledge.jax import jax_cuda_requirements
    from whygpu.knowledge.tensorflow import (
        latest_tensorflow,
        tensorflow_and_cuda_pins,
        tensorflow_for_cuda,
    )
    from whygpu.knowledge.torch import torch_index_url, torch_release
    from whygpu.snapshot import DriverReport

    windows = snapshot.platform.system == "windows"
    knowledge_platform = "windows" if windows else "linux"
    framework = fw.name if fw is not None else framework
    version = fw.version if fw is not None else None
    report = snapshot.driver.report
    if driver_cuda is None and isinstance(report, DriverReport):
        driver_cuda = report.cuda_driver_version
    if installed_cuda is None:
        installed_cuda = next((t.version for t in snapshot.cuda.toolkits if t.version), None)
    if cause == "GPU_NOT_SUPPORTED" and gpu_limit is not None:
        return _gpu_past_drivers_fix(gpu_limit, wanted_cuda, knowledge_platform)
    if cause == "DRIVER_TOO_OLD":
        wanted = wanted_cuda or (fw.cuda_version if fw is not None else None)
        lines = []
        if wanted:
            minimum = min_driver_for_cuda(wanted, knowledge_platform)
            lines.append(f"Upgrade the NVIDIA driver to {minimum} or newer (the minimum for CUDA {wanted})." if minimum
                         else f"Upgrade the NVIDIA driver to one that supports CUDA {wanted} (nvidia-smi's 'CUDA Version' must be at least {wanted}).")
        else:
            lines.append("Upgrade the NVIDIA driver" + (f" (it supports CUDA up to {driver_cuda})." if driver_cuda else "."))
        if framework in (None, "torch") and driver_cuda:
            release, variant = _torch_variant_for(driver_cuda, version if framework == "torch" else None)
            if variant is None and version:
                release, variant = _torch_variant_for(driver_cuda, None)
            if variant:
                pin = f"torch=={_public(version)}" if version and framework == "torch" and release is None else (
                    f'"torch=={release}.*"' if release else "torch")
                from whygpu.knowledge.cuda import minor_compat_min_driver, version_tuple
                from whygpu.knowledge.cuda_versions import driver_runs_cuda

                runs = "which this driver runs"
                if driver_runs_cuda(driver_cuda, variant, minor_compat=False) is False:
                    floor = minor_compat_min_driver(version_tuple(variant)[0], knowledge_platform)
                    runs = f"which a CUDA {version_tuple(variant)[0]} driver runs through minor-version compatibility" + (
                        f" (driver {floor} or newer)" if floor else "")
                lines.append(f"Or install a PyTorch built for CUDA {variant}, {runs}: "
                             f"pip install --force-reinstall {pin} --index-url {torch_index_url(variant)}")
        elif driver_cuda:
            lines.append(f"Or install a {framework or 'framework'} build for CUDA {driver_cuda} or older.")
        return "\n".join(lines)
    board = jetson_install(snapshot, framework) if cause == "FRAMEWORK_CPU_BUILD" else None
    if board is not None:
        return board
    if cause == "FRAMEWORK_CPU_BUILD" and framework == "tensorflow":
        if windows:
            return TENSORFLOW_NATIVE_WINDOWS_FIX
        minor = _minor(version) if version else latest_tensorflow()
        if tensorflow_and_cuda_pins(minor) is None:
            minor = latest_tensorflow()
        return conda_first(env, framework, f'pip uninstall -y tensorflow-cpu; pip install "tensorflow[and-cuda]=={minor}.*"')
    if cause == "FRAMEWORK_CPU_BUILD" and framework == "torch":
        _, variant = _torch_variant_for(driver_cuda, version)
        pin = f"torch=={_public(version)}" if version and torch_release(version) else "torch"
        return conda_first(env, framework, f"pip install --force-reinstall {pin} --index-url {torch_index_url(variant)}" + (
            "" if driver_cuda else f"  (CUDA {variant}: check that nvidia-smi's 'CUDA Version' is at least {variant}, or pick the variant for your driver)"))
    if cause == "FRAMEWORK_CPU_BUILD" and framework == "jax":
        pin = f"=={_public(version)}" if version else ""
        req = jax_cuda_requirements(version) if version else None
        extra = req.extra if req is not None and req.extra else "cuda12"
        return conda_first(env, framework, f'pip install -U "jax[{extra}]{pin}"')
    if cause == "CUDA_LIBS_MISMATCH" and (wanted_cuda or installed_cuda):
        # The CUDA wanted named (a library's soname, the build's CUDA), or only the installed release known to be another.
        wanted_text = (f"CUDA {wanted_cuda} (what this build was compiled for)" if wanted_cuda
                       else "the CUDA release this build was compiled for (its tested build configurations list it)")
        lines = [f"Install {wanted_text}" + (f" beside CUDA {installed_cuda}" if installed_cuda else "") + "."]
        if framework == "tensorflow" and installed_cuda:
            other = tensorflow_for_cuda(installed_cuda, knowledge_platform)
            if other:
                lines.append(f'Or install the TensorFlow built for CUDA {installed_cuda}: pip install "tensorflow=={other}.*"')
        elif installed_cuda:
            lines.append(f"Or install a {framework or 'framework'} build for CUDA {installed_cuda}.")
        return "\n".join(lines)
    if cause == "CONTAINER_NO_GPU" and docker_command is not None:
        command = f"docker run --gpus all {docker_command}" if docker_command and len(docker_command) <= 300 else "docker run --gpus all ..."
        return (f"Start the container with the GPU: {command} (with the NVIDIA Container Toolkit installed on the host: "
                "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html); Kubernetes: request nvidia.com/gpu.")
    if cause == "CUDA_LIBS_NOT_ON_PATH" and holding_cuda:
        return (f"Add the CUDA {holding_cuda} library directory (e.g. /usr/local/cuda-{holding_cuda}/lib64) to LD_LIBRARY_PATH "
                "in the job's environment, or register it with ldconfig.")
    if cause == "CUDA_LIBS_NOT_ON_PATH" and wanted_cudnn and installed_cudnn:
        return (f"Add the directory holding cuDNN {cudnn_major(wanted_cudnn)}'s libraries to LD_LIBRARY_PATH (or %PATH% on Windows) "
                "where the program starts.")
    if cause == "CUDNN_MISMATCH" and wanted_cudnn and installed_cudnn:
        return (f"Install cuDNN {cudnn_major(wanted_cudnn)} (the major this build was compiled with) for its CUDA version, "
                f"or a framework build for cuDNN {cudnn_major(installed_cudnn)}.")
    install = framework_gpu_install(env, fw, snapshot) if fw is not None and cause in (*INSTALL_CAUSES, "FRAMEWORK_INSTALL_BROKEN", "GPU_NOT_SUPPORTED") else ""
    if cause in INSTALL_CAUSES:
        return install
    if cause == "FRAMEWORK_INSTALL_BROKEN" and install:
        return f"Reinstall {name} in a fresh virtual environment:\n{install}"
    if cause == "GPU_NOT_SUPPORTED" and install:
        return f"Install a build of {name} compiled for this GPU's architecture:\n{install}"
    if cause == "CUDA_LIBS_NOT_ON_PATH" and snapshot.environment.get("LD_LIBRARY_PATH"):
        return (f"Take the other CUDA directories out of LD_LIBRARY_PATH (now {snapshot.environment['LD_LIBRARY_PATH']}), "
                f"so that {name} loads the libraries it was built with.")
    if cause == "GPU_HIDDEN" and snapshot.environment.get("CUDA_VISIBLE_DEVICES") is not None:
        value = snapshot.environment["CUDA_VISIBLE_DEVICES"]
        return f"Unset CUDA_VISIBLE_DEVICES (now {value!r}) or set it to the ids of GPUs that exist, where the job process reads it."
    if cause == "NO_GPU" and (snapshot.cloud.azure is True or snapshot.cloud.azureml.kind):
        return gpu_machine_suggestion(snapshot)
    return ""
