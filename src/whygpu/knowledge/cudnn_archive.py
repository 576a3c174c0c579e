"""Which CUDA release a cuDNN archive built for one CUDA serves (accnoticed39, session 39).

NVIDIA publishes each cuDNN release as one archive per CUDA release it was built for, the CUDA written in the name
("cudnn-9.0-windows10-x64-v7.5.0.56", "cudnn-10.0-linux-x64-v7.4.2.24": https://developer.nvidia.com/rdp/cudnn-archive).
Up to CUDA 10.2 each archive serves the one CUDA minor named (the libraries link that minor's libcudart/libcublas, whose
sonames carry the minor: libcublas.so.9.0, cublas64_100.dll); from CUDA 11 an archive for "cuda11" / "cuda12" serves
every minor of that major (CUDA's minor-version compatibility: https://docs.nvidia.com/deploy/cuda-compatibility/).
"""

from __future__ import annotations

from whygpu.knowledge.cuda_versions import version_tuple

# The first CUDA major whose releases keep one soname across minors (libcudart.so.11.0 for all of 11.x).
_MAJOR_COMPATIBLE_FROM = 11


def archive_serves_cuda(archive_cuda: str, wanted_cuda: str) -> bool | None:
    """Whether a cuDNN archive built for ``archive_cuda`` serves a build that needs ``wanted_cuda``; None where unknown."""
    try:
        have, want = version_tuple(archive_cuda), version_tuple(wanted_cuda)
    except (ValueError, TypeError):
        return None
    if not have or not want:
        return None
    if have[0] != want[0]:
        return False
    if want[0] >= _MAJOR_COMPATIBLE_FROM:
        return True
    if len(have) < 2 or len(want) < 2:
        return None
    return have[:2] == want[:2]


def build_loads_system_cudnn(framework: str, version: str, platform: str = "linux") -> str | None:
    """The CUDA release (or major, from CUDA 11) a ``framework`` build that loads the system's cuDNN was made for, against which a
    cuDNN archive's CUDA is judged (accadvice40, session 40); None where the build brings its own cuDNN or the tables do not say.

    - TensorFlow: the tested build configuration's CUDA (knowledge/tensorflow.toml); TensorFlow before ``tensorflow[and-cuda]``
      loads the system's CUDA and cuDNN (https://www.tensorflow.org/install/source#gpu).
    - JAX: a CUDA jaxlib up to 0.4.29 whose ``cuda_jaxlib_libraries`` row says it loads the system's libraries, its local
      version naming the CUDA major ("0.3.25+cuda11.cudnn82": CUDA 11; knowledge.jax.jaxlib_system_cudnn,
      https://storage.googleapis.com/jax-releases/jax_cuda_releases.html).
    - PyTorch: None. Its binaries (pip wheels, the pytorch channel's conda builds "py3.9_cuda11.3_cudnn8.3.2_0") carry the cuDNN
      they were built with, and load it, not an archive unpacked into the system's CUDA folder
      (https://pytorch.org/get-started/locally/: "the binaries ship with CUDA and cuDNN"); a cuDNN archive for another CUDA
      beside them is harmless, so it is never this build's mismatch.
    """
    if framework == "tensorflow":
        from whygpu.knowledge.tensorflow import tensorflow_build

        build = tensorflow_build(version, platform)
        return build.cuda if build is not None and build.gpu and build.cuda else None
    if framework == "jax":
        from whygpu.knowledge.jax import jaxlib_local_cuda, jaxlib_system_cudnn

        found = jaxlib_local_cuda(version)
        if found is None or found[0] is None or jaxlib_system_cudnn(version) is None:
            return None
        return str(found[0])
    return None
