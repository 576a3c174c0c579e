"""Exact fix lines for the versions found: pip commands, Azure VM sizes, ENV lines (built from knowledge data)."""

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
            from packaging.version import Version

            from whygpu.knowledge.cuda import max_cuda_for_driver
            from whygpu.rules.view import driver_version

            driver = driver_version(snapshot)
            top = max_cuda_for_driver(driver.text, minor_compat=False) if driver is not None else None
            if top:
                fitting = [c for c in stable if Version(c) <= Version(top)]
                cuda = fitting[-1] if fitting else stable[0]
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
