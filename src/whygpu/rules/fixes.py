"""Exact fix lines for the versions found: pip commands, Azure VM sizes, ENV lines (built from knowledge data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from whygpu.snapshot import FrameworkBuild, PythonEnv, Snapshot

if TYPE_CHECKING:
    from whygpu.explain.logfacts import LogFacts

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


def tensorflow_gpu_install(env: PythonEnv | None, fw: FrameworkBuild, *, upgrade_if_old: bool = True) -> str:
    """The install line that gives this TensorFlow version its CUDA libraries, or the nearest version that can."""
    from whygpu.knowledge.tensorflow import (
        latest_tensorflow,
        tensorflow_and_cuda_pins,
        tensorflow_build,
    )

    minor = _minor(fw.version)
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


def framework_gpu_install(env: PythonEnv | None, fw: FrameworkBuild, snapshot: Snapshot | None = None) -> str:
    """The install line that brings a GPU build of ``fw`` with the CUDA libraries it loads."""
    if fw.name == "tensorflow":
        return tensorflow_gpu_install(env, fw)
    if fw.name == "torch":
        return torch_gpu_install(env, fw, snapshot)
    return jax_gpu_install(env, fw)


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


# Causes whose fix is installing the framework's GPU build with the CUDA libraries it loads.
INSTALL_CAUSES = ("FRAMEWORK_CPU_BUILD", "CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDNN_MISSING", "CUDNN_MISMATCH")


def cause_fix(cause: str, snapshot: Snapshot, env: PythonEnv | None = None, fw: FrameworkBuild | None = None,
              name: str = "the framework") -> str:
    """The fix for ``cause`` from a snapshot's facts (the framework ``fw`` in ``env`` where it concerns one); "" for a cause with none.

    The one builder per cause on the machine side, for a rule that names a cause without knowing
    more (the deep rules relay causes the framework's own words point to); a rule that knows more
    writes its own.
    """
    install = framework_gpu_install(env, fw, snapshot) if fw is not None else ""
    if cause in INSTALL_CAUSES:
        return install or f"Install a GPU build of {name} together with the CUDA libraries it loads."
    if cause == "FRAMEWORK_INSTALL_BROKEN":
        base = f"Reinstall {name} in a fresh virtual environment"
        return f"{base}:\n{install}" if install else base + "."
    if cause == "CUDA_LIBS_NOT_ON_PATH":
        path = snapshot.environment.get("LD_LIBRARY_PATH")
        now = f" (now {path})" if path else ""
        return f"Take the other CUDA directories out of LD_LIBRARY_PATH{now}, so that {name} loads the libraries it was built with."
    if cause == "GPU_HIDDEN":
        value = snapshot.environment.get("CUDA_VISIBLE_DEVICES")
        now = f" (now {value!r})" if value is not None else ""
        return f"Unset CUDA_VISIBLE_DEVICES{now} or set it to the ids of GPUs that exist, where the job process reads it."
    if cause == "DRIVER_MISSING":
        return "Install the NVIDIA driver for this GPU and load it (reboot), then check that `nvidia-smi` lists the GPU."
    if cause == "DRIVER_TOO_OLD":
        from whygpu.knowledge.cuda import min_driver_for_cuda

        cuda = fw.cuda_version if fw is not None else None
        platform = "windows" if snapshot.platform.system == "windows" else "linux"
        minimum = min_driver_for_cuda(cuda, platform) if cuda else None
        if minimum:
            return f"Upgrade the NVIDIA driver to {minimum} or newer (the minimum for CUDA {cuda}), or install a build of {name} for an older CUDA."
        return f"Upgrade the NVIDIA driver, or install a build of {name} for the CUDA version this driver supports."
    if cause == "DRIVER_MISMATCH":
        return ("Reboot (or reload the nvidia kernel module) so that the kernel module matches the installed driver libraries; "
                "in a container, remove any libcuda or cuda-compat copy that does not match the host's driver.")
    if cause == "CONTAINER_NO_GPU":
        return "Start the container with the GPU: `docker run --gpus all ...` (NVIDIA Container Toolkit), or the GPU resource of your orchestrator."
    if cause == "GPU_BUSY":
        return "Free the GPU: `nvidia-smi` lists the processes that hold its memory; or set its compute mode back to Default."
    if cause == "GPU_FAULT":
        return ("Check `nvidia-smi -q` and the kernel log (`dmesg | grep -i xid`); reset the GPU, or on a cloud VM "
                "redeploy it to other hardware.")
    if cause == "NO_GPU":
        return gpu_machine_suggestion(snapshot)
    if cause == "GPU_NOT_SUPPORTED":
        return f"Install a build of {name} compiled for this GPU's architecture" + (f":\n{install}" if install else ".")
    return ""


# --- fixes from the facts a log shows -----------------------------------------------------------


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


def _tensorflow_for_cuda(installed: str, platform: str) -> str | None:
    """The newest TensorFlow minor whose tested build uses the installed CUDA."""
    from whygpu.knowledge.cuda_versions import cuda_satisfies
    from whygpu.knowledge.tensorflow import tensorflow_builds

    for build in tensorflow_builds(platform):
        if build.gpu and build.cuda and cuda_satisfies(build.cuda, installed):
            return build.version
    return None


def log_fix(
    cause: str,
    facts: LogFacts,
    *,
    framework: str | None = None,
    wanted_cuda: str | None = None,
) -> str:
    """The fix for ``cause`` built from the versions a log shows (the one fix builder explain uses per cause).

    Every version in the text comes from the log or the knowledge tables; where neither knows
    one the text says what to look up instead of leaving a placeholder.
    """
    from whygpu.knowledge.cuda import min_driver_for_cuda
    from whygpu.knowledge.jax import jax_cuda_requirements
    from whygpu.knowledge.tensorflow import latest_tensorflow, tensorflow_and_cuda_pins
    from whygpu.knowledge.torch import torch_index_url, torch_release

    platform = facts.platform_name() or "linux"
    knowledge_platform = "windows" if platform == "windows" else "linux"
    versions = facts.versions.get(framework or "", [])
    version = versions[0].value if versions else None
    driver_cuda = facts.driver_cuda[0].value if facts.driver_cuda else None
    installed = facts.cuda_installed[0].value if facts.cuda_installed else None
    if cause == "DRIVER_TOO_OLD":
        lines = []
        if wanted_cuda:
            minimum = min_driver_for_cuda(wanted_cuda, knowledge_platform)
            lines.append(f"Upgrade the NVIDIA driver to {minimum} or newer (the minimum for CUDA {wanted_cuda})." if minimum
                         else f"Upgrade the NVIDIA driver to one that supports CUDA {wanted_cuda} (nvidia-smi's 'CUDA Version' must be at least {wanted_cuda}).")
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

                runs = "which this driver runs"
                if version_tuple(variant)[:2] > version_tuple(driver_cuda)[:2]:
                    floor = minor_compat_min_driver(version_tuple(variant)[0], knowledge_platform)
                    runs = f"which a CUDA {version_tuple(variant)[0]} driver runs through minor-version compatibility" + (
                        f" (driver {floor} or newer)" if floor else "")
                lines.append(f"Or install a PyTorch built for CUDA {variant}, {runs}: "
                             f"pip install --force-reinstall {pin} --index-url {torch_index_url(variant)}")
        elif driver_cuda:
            lines.append(f"Or install a {framework or 'framework'} build for CUDA {driver_cuda} or older.")
        return "\n".join(lines)
    if cause == "FRAMEWORK_CPU_BUILD":
        if framework == "tensorflow":
            if platform == "windows":
                return ('TensorFlow 2.11 and later have no GPU build on native Windows: run it in WSL2 (`wsl --install`, then '
                        '`pip install "tensorflow[and-cuda]"` inside WSL2), or on Windows pip install "tensorflow<2.11" with CUDA 11.2 and cuDNN 8.1.')
            minor = _minor(version) if version else latest_tensorflow()
            if tensorflow_and_cuda_pins(minor) is None:
                minor = latest_tensorflow()
            return f'pip uninstall -y tensorflow-cpu; pip install "tensorflow[and-cuda]=={minor}.*"'
        if framework == "torch":
            _, variant = _torch_variant_for(driver_cuda, version)
            pin = f"torch=={_public(version)}" if version and torch_release(version) else "torch"
            return f"pip install --force-reinstall {pin} --index-url {torch_index_url(variant)}" + (
                "" if driver_cuda else f"  (CUDA {variant}: check that nvidia-smi's 'CUDA Version' is at least {variant}, or pick the variant for your driver)")
        if framework == "jax":
            pin = f"=={_public(version)}" if version else ""
            req = jax_cuda_requirements(version) if version else None
            extra = req.extra if req is not None and req.extra else "cuda12"
            return f'pip install -U "jax[{extra}]{pin}"'
    if cause == "CUDA_LIBS_MISMATCH" and wanted_cuda:
        lines = [f"Install CUDA {wanted_cuda} (what this build was compiled for)" + (f" beside CUDA {installed}" if installed else "") + "."]
        if framework == "tensorflow" and installed:
            other = _tensorflow_for_cuda(installed, knowledge_platform)
            if other:
                lines.append(f'Or install the TensorFlow built for CUDA {installed}: pip install "tensorflow=={other}.*"')
        elif installed:
            lines.append(f"Or install a {framework or 'framework'} build for CUDA {installed}.")
        return "\n".join(lines)
    if cause == "CONTAINER_NO_GPU":
        bare = facts.docker_run_without_gpus[0].value if facts.docker_run_without_gpus and not facts.docker_run_with_gpus else ""
        command = f"docker run --gpus all {bare}" if bare and len(bare) <= 300 else "docker run --gpus all ..."
        return (f"Start the container with the GPU: {command} (with the NVIDIA Container Toolkit installed on the host: "
                "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html); Kubernetes: request nvidia.com/gpu.")
    # Other causes: the caller's general advice for the cause applies (no versions to fill in).
    return ""
