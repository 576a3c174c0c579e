"""Decisions on CUDA version strings: sonames and DLL names, minor-version compatibility, driver version codes.

Pure functions of their arguments (no data table, no ``packaging``), so that a collector reading a
toolkit's version does not load the CUDA tables; ``whygpu.knowledge.cuda`` re-exports them.
"""

from __future__ import annotations

from typing import NamedTuple

from whygpu import lazyre as re

# --- decisions about CUDA versions (one function each; doctor, deep, explain and lint call them) ---


def version_tuple(text: str) -> tuple[int, ...]:
    """The first three numbers of a version: "11.0.221" -> (11, 0, 221); "" -> ()."""
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def dll_version(digits: str) -> str:
    """The CUDA version a Windows DLL suffix (``cudart64_NNN``) names.

    Three digits are MAJOR MAJOR MINOR (101 = 10.1, 110 = 11.0); two digits starting with 8 or
    9 are MAJOR MINOR (90 = 9.0, 80 = 8.0); other two digits are a major alone (12 = CUDA 12,
    whose DLLs carry only the major).  Source: the DLL names in the CUDA toolkits'
    ``bin`` directories, https://docs.nvidia.com/cuda/cuda-installation-guide-microsoft-windows/.
    """
    if len(digits) == 3:
        return f"{digits[:2]}.{digits[2]}"
    if len(digits) == 2 and digits[0] in "89":
        return f"{digits[0]}.{digits[1]}"
    return digits


# A Linux shared library: ``STEM.so`` or ``STEM.so.VERSION`` (the first ``.so`` followed by a dot or the end).
_SONAME = r"^(.+?)\.so(?:\.(.*))?$"
# A Windows CUDA DLL: ``STEM64_DIGITS[_BUILD][.dll]`` (cudart64_110.dll, cudnn64_8.dll, nvrtc64_112_0.dll).
_DLL = r"^(.*?)64_(\d+)(?:_\d+)?(?:\.dll)?$"
# macOS writes the version before the extension: libcudart.8.0.dylib, libcudnn.5.dylib (NVIDIA shipped CUDA for macOS to 10.2).
_DYLIB = r"^(lib[\w+-]+?)(?:\.(\d+(?:\.\d+)*))?\.dylib$"


class LibraryName(NamedTuple):
    """A library file's name read apart: its stem and the version its name carries (``parse_library_name``)."""

    stem: str
    """``libcudart`` for ``libcudart.so.12``, ``cudart`` for ``cudart64_110.dll``."""
    version: str | None
    """As written: after ``.so.`` on Linux (``12.4.127``), the digits after ``64_`` on Windows (``110``); None when absent."""
    windows: bool
    """True for a Windows DLL name (``64_NNN`` or ``.dll``)."""

    @property
    def major(self) -> str | None:
        """The first number of a Linux version (``8.9.7`` -> ``8``, the soname's major); the whole Windows digits."""
        if self.version is None:
            return None
        return self.version if self.windows else self.version.split(".")[0]

    @property
    def cuda_version(self) -> str | None:
        """The version the name stands for, as ``MAJOR[.MINOR]``: ``12.4.127`` -> ``12.4``, Windows ``110`` -> ``11.0``."""
        if self.version is None:
            return None
        if self.windows:
            return dll_version(self.version)
        m = re.match(r"(\d+)(?:\.(\d+))?", self.version)
        if m is None:
            return None
        return m.group(1) + (f".{m.group(2)}" if m.group(2) else "")


def parse_library_name(name: str) -> LibraryName:
    """The one reading of a shared library's file name (Linux soname or Windows DLL), any directory dropped.

    ``libcudart.so.12.4.127`` -> ``("libcudart", "12.4.127", False)``; ``libcudart.so`` ->
    ``("libcudart", None, False)``; ``cudart64_110.dll`` -> ``("cudart", "110", True)``;
    ``nvrtc64_112_0.dll`` -> ``("nvrtc", "112", True)``; ``nvcuda.dll`` -> ``("nvcuda", None, True)``; macOS
    ``libcudart.8.0.dylib`` -> ``("libcudart", "8.0", False)``.
    A name of neither form is its own stem, without a version.  Collectors, deep, lint and explain
    read library names only through this function (and :func:`library_version`, :func:`library_stem`).
    """
    base = re.split(r"[\\/]", name.strip())[-1]
    m = re.match(_SONAME, base)
    if m is not None:
        return LibraryName(m.group(1), m.group(2) or None, False)
    m = re.match(_DYLIB, base)
    if m is not None:
        return LibraryName(m.group(1), m.group(2) or None, False)
    m = re.match(_DLL, base, re.IGNORECASE)
    if m is not None:
        return LibraryName(m.group(1), m.group(2), True)
    if base.lower().endswith(".dll") and len(base) > 4:
        return LibraryName(base[:-4], None, True)
    return LibraryName(base, None, False)


def library_version(name: str) -> str | None:
    """The version a CUDA library's file name carries: libcudart.so.11.0 -> 11.0, cudart64_101.dll -> 10.1.

    Linux sonames end in ``.so.MAJOR[.MINOR...]`` (the first two numbers are kept); Windows DLLs
    end in ``64_DIGITS`` (see :func:`dll_version`).  None when the name carries no version.
    """
    return parse_library_name(name).cuda_version


def library_stem(name: str) -> str:
    """A library file's name without directory or version: ``/x/libcudart.so.11.0`` -> ``libcudart``, ``cudart64_110.dll`` -> ``cudart``."""
    return parse_library_name(name).stem or re.split(r"[\\/]", name.strip())[-1] or name


def cuda_release(text: str) -> str:
    """``MAJOR.MINOR`` of a CUDA version as a build states it: ``12.5.1`` -> ``12.5``, ``11`` -> ``11``, the Windows form ``64_112`` -> ``11.2``."""
    windows = re.fullmatch(r"64_(\d+)", text)
    if windows:
        return dll_version(windows.group(1))
    return ".".join(text.split(".")[:2])


def cudnn_major(text: str) -> str:
    """The major of a cuDNN version as a build or a wheel states it: ``8.9.7`` -> ``8``, ``9`` -> ``9``, Windows ``64_8`` -> ``8``.

    The major is what the loader asks for (``libcudnn.so.8``, ``cudnn64_8.dll``).
    """
    return text.split("_")[-1].split(".")[0]


def cudnn_version_text(value: str) -> str | None:
    """A cuDNN version as programs print it, as ``MAJOR.MINOR.PATCH``: ``7605`` -> ``7.6.5``, ``90100`` -> ``9.1.0``,
    ``(8, 9, 2)`` -> ``8.9.2``, ``8.2`` -> ``8.2``; None for anything else.

    accversions (session 20): the integer is cuDNN's own ``CUDNN_VERSION`` (cudnn_version.h: ``MAJOR * 1000 + MINOR * 100 +
    PATCHLEVEL`` before cuDNN 9, ``MAJOR * 10000 + MINOR * 100 + PATCHLEVEL`` from 9 on), which ``cudnnGetVersion()``
    returns and PyTorch, MXNet, Caffe and CuPy print.
    Source: https://docs.nvidia.com/deeplearning/cudnn/backend/latest/api/cudnn-graph-library.html#cudnngetversion
    """
    text = value.strip().strip("()[]v ")
    parts = [p for p in re.split(r"\s*,\s*", text) if p] if "," in text else None
    if parts is not None:
        return ".".join(parts) if all(p.isdigit() for p in parts) and 2 <= len(parts) <= 3 else None
    if re.fullmatch(r"\d{1,2}(?:\.\d+){1,2}", text):
        return text
    if re.fullmatch(r"\d{4}", text):
        number = int(text)
        return f"{number // 1000}.{(number % 1000) // 100}.{number % 100}"
    if re.fullmatch(r"\d{5}", text):
        number = int(text)
        return f"{number // 10000}.{(number % 10000) // 100}.{number % 100}"
    return None


def is_driver_version(text: str | None) -> bool:
    """True for an NVIDIA driver version (``535.129.03``, ``550.54``), False for a soname's ``1`` or anything else.

    The driver's own library files carry the driver version (``libcuda.so.535.129.03``) beside
    the soname link (``libcuda.so.1``); driver branches have three digits since 2011 (R2xx).
    """
    return text is not None and re.fullmatch(r"\d{3,}\.\d+(?:\.\d+)*", text) is not None


# accversions (session 24): Windows shows an NVIDIA driver by its file version (Device Manager, dxdiag, `wmic path
# win32_videocontroller get driverversion`, the driver's .inf): "23.21.13.9135", "27.21.14.5671", "31.0.15.3623". NVIDIA's
# own version is its last five digits, "391.35", "456.71", "536.23" (the driver's release notes give both; Chromium's GPU
# information code parses the NVIDIA version out of the Windows one the same way: https://crrev.com/1241aea53e75dab24b82f20e705fd290c5d445ea,
# gpu/config/gpu_info_collector_win.cc). The third field carries the first of the five digits and has two digits for NVIDIA
# ("13", "14", "15"); Intel's ("27.20.100.8681") and AMD's ("30.0.13002.1001") have more and are not read.
_WINDOWS_DRIVER = re.compile(r"(?<![\d.])(?P<wddm>\d{1,2})\.(?P<second>\d{1,2})\.(?P<third>\d{2})\.(?P<fourth>\d{4})(?![\d.])")


def nvidia_driver_from_windows(text: str) -> str | None:
    """The NVIDIA driver version ("391.35") of a Windows driver file version ("23.21.13.9135"), or None for another form."""
    m = _WINDOWS_DRIVER.fullmatch(text.strip())
    if m is None:
        return None
    digits = m.group("third")[-1] + m.group("fourth")
    if digits[0] == "0":
        return None  # no NVIDIA branch below R100
    return f"{digits[:3]}.{digits[3:]}"


def cuda_satisfies(wanted: str, installed: str) -> bool:
    """True when a CUDA installation of version ``installed`` provides libraries named for ``wanted``.

    From CUDA 11 on, the libraries' sonames carry the major only (``libcudart.so.11.0`` for every
    11.x, ``libcublas.so.12``), so any minor of the same major satisfies them; before 11 each
    minor had its own sonames (``libcudart.so.10.1``) and minor-version compatibility did not
    exist, so major and minor must both match.  A pre-11 ``wanted`` given by its major alone (the
    minor unknown) can only be compared by the major; where a library's name is known,
    ``knowledge.cuda.cuda_serves_library`` asks the release's sonames first.
    Sources: https://docs.nvidia.com/deploy/cuda-compatibility/#binary-compatibility,
    https://docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html
    """
    want, have = version_tuple(wanted), version_tuple(installed)
    if not want or not have:
        return False
    if want[0] >= 11:
        return have[0] == want[0]
    return have[:2] == want[:2] if len(want) >= 2 else have[0] == want[0]


def cudnn_satisfies(wanted: str, installed: str, *, loader: bool = False) -> bool | None:
    """Whether cuDNN ``installed`` serves a build compiled with cuDNN ``wanted``: the same major, and a minor at least the build's when both are known.

    The check TensorFlow/XLA make when cuDNN loads ("CuDNN library needs to have matching major
    version and equal or higher minor version"): a build's cuDNN (TensorFlow's tested build, a
    pin) against the installed one.  With ``loader`` the question is the dynamic loader's, asked
    before that check: whether the installed cuDNN has the file a failed load named.  cuDNN's
    sonames carry only the major (``libcudnn.so.8``, ``cudnn64_8.dll`` are every 8.x), so only
    the majors are compared.  None when a version cannot be read.
    Sources: https://github.com/openxla/xla/blob/main/xla/stream_executor/cuda/cuda_dnn.cc,
    https://docs.nvidia.com/deeplearning/cudnn/latest/reference/support-matrix.html
    """
    want, have = version_tuple(wanted), version_tuple(installed)
    if not want or not have:
        return None
    if want[0] != have[0]:
        return False
    if not loader and len(want) >= 2 and len(have) >= 2:
        return have[1] >= want[1]
    return True


def driver_runs_cuda(driver_cuda: str, wanted: str, *, minor_compat: bool = True) -> bool | None:
    """Whether a driver whose highest CUDA is ``driver_cuda`` (nvidia-smi's header) runs a CUDA ``wanted`` build.

    From CUDA 11 on a driver of the same major runs every minor of it (minor-version
    compatibility); before 11 the driver's CUDA must be at least the build's major.minor.  A
    newer major always runs an older one.  With ``minor_compat=False`` the question is whether it
    runs the build with its own CUDA, without minor-version compatibility (whose limits, such as
    PTX JIT, then apply): the driver's CUDA must be at least the build's major.minor.  None when a
    version cannot be read.
    Source: https://docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html
    """
    have, need = version_tuple(driver_cuda), version_tuple(wanted)
    if not have or not need:
        return None
    if have[0] != need[0]:
        return have[0] > need[0]
    if need[0] >= 11 and minor_compat:
        return True
    return have[:2] >= need[:2]


def cuda_from_driver_code(value: str | int) -> str | None:
    """``1000*major + 10*minor`` (as ``cudaDriverGetVersion`` and PyTorch print it) -> "major.minor": 11040 -> "11.4".

    Source: https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART____VERSION.html
    """
    text = str(value)
    if not text.isdigit() or not 4 <= len(text) <= 5:
        return None
    number = int(text)
    return f"{number // 1000}.{(number % 1000) // 10}"


def driver_cuda_none(value: str | int) -> bool:
    """Whether a driver's CUDA version is CUDA's own answer that no driver is installed: 0 (``cudaDriverGetVersion``
    "returns 0 as the driver version" when no driver is installed), however a program prints it ("0", "0.0", "0.0.0").
    A driver that answers has a CUDA of 1.0 or more, so the answer 0 is the missing driver, not an old one (accsmall38).
    Source: https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART____VERSION.html
    """
    text = str(value).strip()
    return bool(re.fullmatch(r"0+(?:\.0+){0,2}", text))


def cuda_from_code(value: str | int) -> str | None:
    """A CUDA version printed as an integer code -> "major.minor": CUDA's own ``1000*major + 10*minor`` (11040 -> "11.4",
    9020 -> "9.2"), or ``100*major + minor`` as xFormers' build information prints the CUDA it was built with ("PyTorch
    2.1.2+cu121 with CUDA 1201", "2.2.1+cu118 with CUDA 1108": 12.1, 11.8; xformers/_cpp_lib.py prints the build's
    ``cuda_version`` integer, https://github.com/facebookresearch/xformers/blob/main/xformers/_cpp_lib.py). A four-digit
    code starting with 1 cannot be CUDA's own form (that would be CUDA 1.x, which no framework this reads was built
    with), so it is read as the second. (accnotice, session 32)"""
    text = str(value)
    if text.isdigit() and len(text) == 4 and text[0] == "1" and int(text[2:]) < 10:
        return f"{int(text[:2])}.{int(text[2:])}"
    return cuda_from_driver_code(text)


def cuda_release_code(value: str | int) -> str | None:
    """A CUDA release printed in CUDA's own integer form -> "major.minor", strictly: ``cudaDriverGetVersion`` and
    ``cudaRuntimeGetVersion`` give ``1000*major + 10*minor`` (11020 -> "11.2", 12040 -> "12.4", 8000 -> "8.0"), so the
    last digit is always 0; a code of CUDA 7 or newer (the first release any framework this reads printed it from). None
    for any other integer (a build number, a size, a port, an xFormers ``100*major + minor`` code, which
    ``cuda_from_code`` reads where a line is known to print that). (accnum2, session 34)
    Source: https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART____VERSION.html
    """
    text = str(value)
    if not re.fullmatch(r"\d{4,5}", text) or text[-1] != "0" or int(text) < 7000:
        return None
    return cuda_from_driver_code(text)


def same_driver_version(one: str, other: str) -> bool | None:
    """Whether two NVIDIA driver versions name one release: the same numbers, trailing zero parts aside.

    ``375.66.0`` (what libcuda reports to TensorFlow) is ``375.66`` (the kernel module's NVRM line);
    ``535.104.05`` is ``535.104.5``; ``535.104.05`` and ``535.104.12`` are two releases.  None when
    either holds no number.  The doctor's DRV003 (driver libraries against the loaded module) and
    explain's LOG131 (the versions TensorFlow's CUDA diagnostics print) ask this one function.
    """
    a = [int(p) for p in re.findall(r"\d+", one)]
    b = [int(p) for p in re.findall(r"\d+", other)]
    if not a or not b:
        return None
    while len(a) > 1 and a[-1] == 0:
        a.pop()
    while len(b) > 1 and b[-1] == 0:
        b.pop()
    return a == b


# What a "built with X, found Y" pair means when the two do not fit, by the library the found side names.
_BUILT_FOUND_CAUSE = {"cudnn": "CUDNN_MISMATCH", "cuda": "CUDA_LIBS_MISMATCH", "driver": "DRIVER_TOO_OLD"}


def build_fits_found(library: str, built: str, found: str) -> tuple[bool | None, str]:
    """Whether the version a program found at run time serves the version it was built with, and the cause when it does not.

    accversions (session 20): the one decision for a line that states both ("compiled with CUDNN 7.6, but CUDNN version in
    your machine is 7.3"; "built with CUDA 12.1, the driver supports 11.4"), made by the decisions the doctor and the
    other readers use: cuDNN by ``cudnn_satisfies`` (the same major, a minor at least the build's), the CUDA libraries by
    ``cuda_satisfies`` (sonames: the same major from 11 on, the same major.minor before), the driver's CUDA by
    ``driver_runs_cuda``. ``library`` is "cudnn", "cuda" or "driver" (the found side is the driver's CUDA); None when a
    version cannot be read.
    """
    cause = _BUILT_FOUND_CAUSE.get(library, "CUDA_LIBS_MISMATCH")
    if library == "cudnn":
        return cudnn_satisfies(built, found), cause
    if library == "driver":
        return driver_runs_cuda(found, built), cause
    if not version_tuple(built) or not version_tuple(found):
        return None, cause
    return cuda_satisfies(built, found), cause
