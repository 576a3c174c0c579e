"""Which member of the CUDA/cuDNN library family a failed load means: missing, off the loader's path, or another version.

A program that cannot load ``libcudart.so.11.0`` or ``libcudnn_ops.so.9`` wants one CUDA release or one
cuDNN major (the soname says which).  What the facts show present decides the cause: the same release or
major present means the file is there and the loader does not look where it is
(``CUDA_LIBS_NOT_ON_PATH``); only other ones present means ``CUDA_LIBS_MISMATCH`` / ``CUDNN_MISMATCH``;
nothing shown leaves the family open, ranked by the counted base rates of ``knowledge/priors.toml``,
whose fix starts with the check that decides.  "Present" is what a log or a machine shows: a CUDA
toolkit installed (a path, nvcc, an image tag, the user's words), TensorFlow's tested build for its
version, a managed image's own CUDA, a cuDNN installed or listed on disk, and the cuDNN a PyTorch CUDA
build brings with it (``knowledge.torch.torch_bundled_cudnn_major``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from whygpu import lazyre as re
from whygpu.knowledge.cuda import cuda_serves_build, cuda_serves_library, cuda_ships_library
from whygpu.knowledge.cuda_versions import cudnn_satisfies
from whygpu.knowledge.priors import CausePrior, undecided_prior
from whygpu.records import record

if TYPE_CHECKING:
    from whygpu.knowledge.brought import FrameworkInstall

__all__ = ["DRIVER_FILE_SETTINGS", "CudnnPresent", "LibraryReading", "driver_setting_wrong_file", "library_failure_cause",
           "same_library_present", "stub_driver_library_causes"]


@record(frozen=True)
class CudnnPresent:
    """A cuDNN the facts show present: its version (or major) and how it is there ("installed", "PyTorch 2.0.0 brings it", "on disk")."""

    version: str
    how: str = "installed"


@record(frozen=True)
class LibraryReading:
    """The cause a failed library load means given what is present, and what decided it.

    ``basis`` names the decision (empty: nothing decided and the line's own reading stands; "base_rate":
    the counted ranking of ``prior`` ordered it); ``present`` is the version present that decided.
    """

    cause: str
    alternatives: tuple[str, ...]
    basis: str = ""
    present: str = ""
    how: str = ""
    prior: CausePrior | None = None
    # acclibtriad (session 36): the commands that decide where the copies shown leave the family open ("" elsewhere).
    decides: str = ""

    @property
    def sure(self) -> str:
        """How sure the reading is: "shown" (a copy or a release the log shows decided), "ranked" (the counted base rates
        ordered the family, the copies shown deciding nothing), "" (nothing decided: the line's own reading stands)."""
        if not self.basis:
            return ""
        return "ranked" if self.basis in _RANKED_BASES else "shown"


# The causes of a library that failed to load (a file missing, another version, off the loader's path).
_LIBRARY_FAMILY = frozenset({"CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISSING", "CUDNN_MISMATCH"})


# The bases under which the counted rates, not a copy shown, order the family.
_RANKED_BASES = frozenset({"base_rate", "releases_disagree", "brought"})


def _before(also: Sequence[str], *first: str) -> tuple[str, ...]:
    """``first``, then ``also``, each once."""
    return tuple(dict.fromkeys((*first, *also)))


def library_failure_cause(
    cause: str,
    also: Sequence[str],
    *,
    file: str = "",
    wanted: str | None = None,
    cuda_installed: Sequence[str] = (),
    tensorflow_build_cuda: str | None = None,
    managed_image: bool = False,
    cudnn_present: Sequence[CudnnPresent] = (),
    failed: frozenset[str] = frozenset(),
    tags: frozenset[str] = frozenset(),
    library_present: Sequence[str] = (),
    windows_dll_module: str | None = None,
    python: str = "",
    packages_named: frozenset[str] = frozenset(),
    source_build: bool = False,
    install: FrameworkInstall | None = None,
    image_tags: Sequence[str] = (),
) -> LibraryReading:
    """The member of the library family a failed load means, from what the facts show present.

    ``cause``/``also`` are the line's own reading (a library missing, with its alternatives); ``file`` the
    file that failed and ``wanted`` the CUDA release or cuDNN version its name carries; ``cuda_installed``
    the CUDA releases shown installed; ``tensorflow_build_cuda`` the CUDA of TensorFlow's tested build when
    the failing program is TensorFlow; ``managed_image`` a managed image (Colab) that ships exactly one
    CUDA; ``cudnn_present`` the cuDNNs shown present; ``failed`` the causes the log's other failing lines
    point to and ``tags`` its context tags, for the base-rate rows; ``library_present`` the CUDA library files the log shows
    on disk (a path, an ``ldconfig -p`` row: explain.cudashown); ``windows_dll_module`` the extension module Python's importer
    on Windows could not load a DLL for ("DLL load failed while importing X: The specified module could not be found"), read
    with the ``python`` version shown, the packages the log names and whether the writer built the module from source
    (acclibpath, session 35). ``install`` is what the log shows of the framework's install (accbrought, session 38): where the
    file is one that framework's own install brings as an nvidia-* wheel and nothing shown above decided, the install facts
    rank the family (knowledge.brought.brought_library_cause), with the check that decides.

    accnotpath (session 39): ``image_tags`` are the tags of the CUDA container images the log names ("10.2-cudnn8-runtime"):
    where every one of them is of a flavour that does not install the file at all (knowledge/image_libraries.toml: CUPTI and
    the unversioned libX.so links only in devel, the math libraries not in base), the library is missing from the image,
    whatever release the tag names (basis ``image_lacks``), with the check that decides where the image named may not be the
    one that ran. Before the releases shown: the tag's release would ship the file, its flavour does not install it.

    acclibpath (session 35): the tag ``sudo_env_reset`` (the failing program started under sudo where the log shows the
    user's LD_LIBRARY_PATH set: explain.libpath) decides as ``launch_env`` does: sudo drops LD_LIBRARY_PATH.

    accenv (session 26): the tag ``launch_env`` (the writer says the same program works started from a shell and fails
    where it is started otherwise: an IDE, an RStudio Server or Jupyter session, a service, sudo, a batch job;
    knowledge/launchers.toml [[env_context]]) decides before any version: the shell's run loaded the library, so it is
    installed in the version the program wants, and what the other place lacks is the shell's LD_LIBRARY_PATH/PATH.
    Counted 2026-12-06 over every labelled case whose log holds such a statement and a CUDA or cuDNN library failing to
    load: CUDA_LIBS_NOT_ON_PATH 5 (dev tf-56959, holdout41 spyder-ide-spyder-3720, rstudio-keras3-504,
    tensorflow-tensorflow-9530, rstudio-tensorflow-38), no other cause; no negative holds one.
    """
    if "launch_env" in tags and "CUDA_LIBS_NOT_ON_PATH" in (cause, *also) and cause in _LIBRARY_FAMILY:
        return LibraryReading("CUDA_LIBS_NOT_ON_PATH", _before(also, cause), "launch_env")
    if windows_dll_module is not None and cause in _LIBRARY_FAMILY:
        return _windows_dll_reading(cause, also, windows_dll_module, python, packages_named, source_build)
    if image_tags and file and cause in _LIBRARY_FAMILY and not cause.startswith("CUDNN"):
        lacking = _image_lacks(file, image_tags, library_present)
        if lacking is not None:
            return lacking
    if cause == "CUDNN_MISSING" and wanted and cudnn_present:
        same = [p for p in cudnn_present if cudnn_satisfies(wanted, p.version, loader=True)]
        if same:
            return LibraryReading("CUDA_LIBS_NOT_ON_PATH", _before(also, "CUDNN_MISSING"), "cudnn_same_major", same[0].version, same[0].how)
        other = list(cudnn_present)
        if other:
            return LibraryReading("CUDNN_MISMATCH", _before(also, "CUDNN_MISSING", "CUDA_LIBS_NOT_ON_PATH"), "cudnn_other_major",
                                  ", ".join(dict.fromkeys(p.version for p in other)), other[0].how)
    if cause == "CUDA_LIBS_MISSING" and cuda_installed and file:
        disagree = _releases_disagree(also, file, wanted, cuda_installed, failed, tags)
        if disagree is not None:
            return disagree
    if cause == "CUDA_LIBS_MISSING" and cuda_installed and file and not wanted:
        # The release tables know each release's sonames: the one asked for is there, or another is.
        ships = [(t, cuda_ships_library(t, file)) for t in cuda_installed]
        ships_it = [t for t, s in ships if s is True]
        if ships_it:
            return LibraryReading("CUDA_LIBS_NOT_ON_PATH", _before(also, "CUDA_LIBS_MISSING"), "release_ships", ships_it[0])
        if ships and all(s is False for _, s in ships):
            return LibraryReading("CUDA_LIBS_MISMATCH", _before(also, "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"), "release_lacks",
                                  ", ".join(cuda_installed))
    if cause == "CUDA_LIBS_MISSING" and not wanted and cuda_installed and tensorflow_build_cuda:
        # No library named: TensorFlow's tested build says which CUDA it loads.
        serving = [t for t in cuda_installed if cuda_serves_build(tensorflow_build_cuda, t)]
        if serving:
            return LibraryReading("CUDA_LIBS_NOT_ON_PATH", _before(also, "CUDA_LIBS_MISMATCH", "CUDA_LIBS_MISSING"), "build_same", serving[0])
        return LibraryReading("CUDA_LIBS_MISMATCH", _before(also, "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"), "build_other",
                              ", ".join(cuda_installed))
    if cause == "CUDA_LIBS_MISSING" and wanted and not cuda_installed and managed_image:
        # A managed image ships one CUDA: a runtime of another version missing means the build wants another.
        return LibraryReading("CUDA_LIBS_MISMATCH", _before(also, "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"), "managed_image")
    if cause == "CUDA_LIBS_MISSING" and wanted and cuda_installed:
        serves = [t for t in cuda_installed if cuda_serves_library(t, file, wanted)]
        if serves:
            return LibraryReading("CUDA_LIBS_NOT_ON_PATH", _before(also, "CUDA_LIBS_MISSING"), "same_release", serves[0])
        return LibraryReading("CUDA_LIBS_MISMATCH", _before(also, "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"), "other_release",
                              ", ".join(cuda_installed))
    if cause == "CUDA_LIBS_MISSING" and file and library_present:
        # accsoname (session 34): with no release shown that decided, the same library shown on disk decides: the very
        # file the load asked for is there (NOT_ON_PATH), or only other versions of it are (MISMATCH).
        same_file, other_files = same_library_present(file, library_present)
        if same_file:
            return LibraryReading("CUDA_LIBS_NOT_ON_PATH", _before(also, "CUDA_LIBS_MISSING"), "file_same", same_file[0])
        if other_files:
            return LibraryReading("CUDA_LIBS_MISMATCH", _before(also, "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"), "file_other",
                                  ", ".join(other_files))
    if ("cuda_absent_said" in tags and not cuda_installed and cause in _LIBRARY_FAMILY and not cause.startswith("CUDNN")
            and "CUDA_LIBS_MISSING" in (cause, *also)):
        # acclibs (session 29): the writer says no CUDA toolkit or libraries are installed (explain.cudasaid), and the log shows
        # none installed: the library is not there at all. Counted 2026-12-06 over every labelled case (all open sets,
        # cases.json, shared/real-logs) whose log holds such a statement: beside a CUDA library failing to load,
        # CUDA_LIBS_MISSING 1 (holdout10 danielgatis-rembg-841), no other cause; without a failing library, FRAMEWORK_CPU_BUILD
        # 1 (holdout12 ultralytics-ultralytics-664: PyTorch, whose wheels bring their own CUDA, never reaches this) and one
        # negative (holdout6 iperov-deepfacelab-215, no library failing). Few, and the reading is the statement's meaning.
        rest = _before(also, cause, "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH")
        return LibraryReading("CUDA_LIBS_MISSING", tuple(c for c in rest if c != "CUDA_LIBS_MISSING"), "absent_said")
    if install is not None and file and cause in _LIBRARY_FAMILY and not (cudnn_present if cause.startswith("CUDNN") else cuda_installed):
        # accbrought (session 38): a library the framework's own install brings, no version of it shown: how it was installed
        # ranks the family (knowledge/brought_libraries.toml), and the check that decides is said.
        from whygpu.knowledge.brought import brought_library_cause

        brought = brought_library_cause(file, install, wanted)
        if brought is not None:
            return LibraryReading(brought.cause, tuple(c for c in _before(brought.alternatives, *also) if c != brought.cause),
                                  "brought", brought.fact, brought.shown, decides=brought.decides)
    if "sudo_env_reset" in tags and "CUDA_LIBS_NOT_ON_PATH" in (cause, *also) and cause in _LIBRARY_FAMILY:
        # acclibpath (session 35): the failing program was started under sudo in a log that shows the user's LD_LIBRARY_PATH
        # set: sudo's env_reset drops that variable (knowledge/launchers.toml's sudo row), so the directories the user put on it
        # are not searched by that run, whatever is installed there. After the versions shown (a release shown that lacks the
        # file decides first: sudo changes where the loader looks, not what is installed).
        rest = tuple(c for c in _before(also, cause) if c != "CUDA_LIBS_NOT_ON_PATH")
        return LibraryReading("CUDA_LIBS_NOT_ON_PATH", rest, "sudo_env_reset")
    if "library_present_said" in tags and "CUDA_LIBS_NOT_ON_PATH" in (cause, *also) and cause in _LIBRARY_FAMILY:
        # acconpath (session 38): the writer sets the library's presence against the failure ("even though I've properly
        # installed them all", "I put cudnn64_7.dll into the folder, yet it still says it's not found": explain.presentsaid),
        # and no version shown decided above. The library is there; what is left is where the loader looks, or a copy of
        # another version the writer took for the one wanted (the next reading). Counted 2026-12-07 over every labelled case
        # of the open corpus whose log holds such a statement beside a library failing to load: CUDA_LIBS_NOT_ON_PATH 3
        # (holdout14 lltcggie-waifu2x-caffe-197, purfview-whisper-standalone-win-62, holdout61 microsoft-onnxruntime-25609),
        # no other cause; negatives 0. After the versions shown (a release shown that lacks the file decides first).
        mismatch = "CUDNN_MISMATCH" if cause.startswith("CUDNN") else "CUDA_LIBS_MISMATCH"
        rest = tuple(c for c in _before(also, mismatch, cause) if c != "CUDA_LIBS_NOT_ON_PATH")
        return LibraryReading("CUDA_LIBS_NOT_ON_PATH", rest, "present_said")
    # Nothing present decides: the counted base rates rank the family (an installed version shown that did
    # not decide has its own rows; a context tag such as WSL picks a platform's row first).
    shown = bool(cudnn_present) if cause.startswith("CUDNN") else bool(cuda_installed)
    prior = undecided_prior(cause, tuple(also), failed, installed_shown=shown, tags=tags, file=file)
    if prior is None:
        return LibraryReading(cause, tuple(also))
    ranked = [c for c in prior.ranking if c in prior.family]
    first = ranked[0]
    rest = _before(also, *ranked[1:])
    return LibraryReading(first, tuple(a for a in rest if a != first), "base_rate", prior=prior)


def _releases_disagree(also: Sequence[str], file: str, wanted: str | None, cuda_installed: Sequence[str],
                       failed: frozenset[str], tags: frozenset[str]) -> LibraryReading | None:
    """acclibtriad (session 36): two or more CUDA releases shown that disagree about ``file``: one has it (the release tables, or
    the soname rule where ``wanted`` is known), another has not. A copy there would make the failure a library off the loader's
    path, only the other a release the program was not built for; the releases a log names (prose, an issue template's
    "CUDA version", nvidia-smi's "CUDA Version", which is the driver's newest and not a toolkit) do not show which one the
    failing machine has, so nothing is decided: the counted rows for a CUDA shown installed that did not decide rank the family
    (knowledge/priors.toml), with the check that decides (knowledge/library_copies.toml). None when the releases agree.

    Counted 2026-12-07 over every labelled case (the open corpus and cases.json) whose failing library was judged against two
    or more distinct releases shown, one serving it: CUDA_LIBS_MISMATCH 3 (holdout52 dmlc-dgl-5547: "My cuda version is 10.2"
    beside a pasted "CUDA Version: 11.3"; holdout15 apache-mxnet-20279: three servers and Colab in one report; holdout14
    tensorflow-tensorflow-17629: "TensorFlow wants Cuda 9.0, but I have Cuda 9.1"), no other cause; negatives 0. Before, the
    serving release decided CUDA_LIBS_NOT_ON_PATH for the first two.
    """
    from whygpu.knowledge.library_copies import disagree_check, release_key

    serving: list[str] = []
    other: list[str] = []
    for release in dict.fromkeys(release_key(r) for r in cuda_installed):
        has = cuda_serves_library(release, file, wanted) if wanted else cuda_ships_library(release, file)
        if has is True:
            serving.append(release)
        elif has is False:
            other.append(release)
    if not serving or not other:
        return None
    prior = undecided_prior("CUDA_LIBS_MISSING", tuple(also), failed, installed_shown=True, tags=tags, file=file)
    ranking = [c for c in prior.ranking if c in prior.family] if prior is not None else []
    if not ranking:
        ranking = ["CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING"]
    first = ranking[0]
    rest = tuple(c for c in _before(also, *ranking[1:], "CUDA_LIBS_MISSING") if c != first)
    stem = re.sub(r"(?:64_\d+\.dll|\.so(?:\.\d+)*|\.dll)$", "", re.split(r"[\\/]", file)[-1], flags=re.I) or file
    check = disagree_check().check.replace("{stem}", stem).replace("{dllstem}", stem.removeprefix("lib")).replace("{file}", file)
    return LibraryReading(first, rest, "releases_disagree", ", ".join(serving), ", ".join(other), prior, check)


def _image_lacks(file: str, image_tags: Sequence[str], library_present: Sequence[str]) -> LibraryReading | None:
    """accnotpath (session 39): ``file`` missing from the CUDA image the log names, where the flavour of every image tag shown
    installs no such file (knowledge.image_libraries) and no copy of that very file is shown on disk; None otherwise.

    Counted 2026-12-07 over every labelled case of the open corpus whose log names an nvidia/cuda image tag and a CUDA library
    (not cuDNN) that failed to load: one image lacks the file, CUDA_LIBS_MISSING 1 (holdout tensorflow-serving-1659:
    libnvrtc.so.10.1 beside nvidia/cuda:10.1-base); the others' images install the file (jupyter-docker-stacks-2100,
    CUDA_LIBS_MISMATCH) or the file is the program's own (llama-cpp-python-1882); negatives 0.
    """
    from whygpu.knowledge.image_libraries import image_check, image_lacks_library

    lacks = [image_lacks_library(tag, file) for tag in dict.fromkeys(image_tags)]
    if not lacks or any(lack is None for lack in lacks):
        return None  # an image named that installs the file (or of no known flavour) decides nothing
    same, _other = same_library_present(file, library_present)
    if same:
        return None  # the very file shown on disk: where it is, not the image, decides
    lack = lacks[0]
    assert lack is not None
    check, why, source = image_check()
    decides = f"{check.replace('{stem}', lack.stem)} ({why}; {source})"
    return LibraryReading("CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"), "image_lacks", lack.tag, lack.why,
                          decides=decides)


def _windows_dll_reading(cause: str, also: Sequence[str], module: str, python: str, packages_named: frozenset[str],
                         source_build: bool) -> LibraryReading:
    """acclibpath (session 35): Python's "DLL load failed (while importing ``module``): The specified module could not be found"
    on Windows, a CUDA program's extension whose DLL dependency was not found.

    From Python 3.8 the importer looks for an extension module's DLLs in the system folders, the module's folder and the
    folders added with os.add_dll_directory(), never in PATH (knowledge/loader_search.toml): a module built against the
    CUDA toolkit installed (whose bin folder the installer puts on PATH) cannot find its CUDA DLLs unless it adds that folder
    itself: CUDA_LIBS_NOT_ON_PATH, basis ``python_dll_search``. Not read (basis empty): a Python older than 3.8 or none
    shown (PATH is searched, so the message decides nothing between missing, another version and off the path), and the
    extension of a package that brings and registers its own DLL folder (PyTorch's wheels, TensorFlow's: its own install)
    unless the writer built it from source. Counted 2026-12-07 over every labelled case: no case of the open corpus holds the
    message with a Python of 3.8 or later (one, casper-hansen-autoawq-105, holds it without); the threads of the design half gathered for
    this session (inducer/pycuda#213, davisking/dlib#2039, pytorch/pytorch#31181 built from source) were all settled by adding
    the CUDA folder with os.add_dll_directory.
    """
    from whygpu.knowledge.loader_search import own_dlls_package, python_dll_search

    row = python_dll_search(python) if python else None
    if row is None or (own_dlls_package(module, packages_named) is not None and not source_build):
        return LibraryReading(cause, tuple(also))
    rest = tuple(c for c in _before(also, cause, "CUDA_LIBS_MISSING") if c != "CUDA_LIBS_NOT_ON_PATH")
    return LibraryReading("CUDA_LIBS_NOT_ON_PATH", rest, "python_dll_search", python)


def same_library_present(file: str, present: Sequence[str]) -> tuple[list[str], list[str]]:
    """The files of ``present`` that are ``file`` itself (the same library and the same CUDA its name carries) and those that
    are the same library in another version: ``libcudart.so.11.0`` against ``libcudart.so.12`` is another version,
    ``cudart64_110.dll`` against ``.../cudart64_110.dll`` the same file. Other libraries are neither."""
    from whygpu.knowledge.cuda_versions import parse_library_name

    wanted = parse_library_name(file)
    stem = (wanted.stem or "").lower().removeprefix("lib")
    same: list[str] = []
    other: list[str] = []
    for name in dict.fromkeys(present):
        shown = parse_library_name(name)
        if (shown.stem or "").lower().removeprefix("lib") != stem or not shown.cuda_version or not wanted.cuda_version:
            continue
        (same if shown.cuda_version == wanted.cuda_version else other).append(name)
    return same, other


# acclibs (session 29): the settings that name the file a program opens as the NVIDIA driver's library (not a directory to
# search): numba's NUMBA_CUDA_DRIVER ("path to the CUDA driver shared library file",
# https://numba.readthedocs.io/en/stable/reference/envvars.html) and NumbaPro's NUMBAPRO_CUDA_DRIVER, which numba read before it.
DRIVER_FILE_SETTINGS = ("NUMBA_CUDA_DRIVER", "NUMBAPRO_CUDA_DRIVER")
# The driver's user-space library as the driver installs it: libcuda.so (.1, .<version>) on Linux, nvcuda.dll on Windows,
# libcuda.dylib on old macOS drivers. (The toolkit's lib64/stubs/libcuda.so bears the name but only answers "stub library".)
_DRIVER_FILE = re.compile(r"^(?:libcuda\.so(?:\.\d+)*|nvcuda\.dll|libcuda(?:\.\d+)*\.dylib)$", re.I)


def driver_setting_wrong_file(value: str) -> str | None:
    """What a driver-library setting's value (``DRIVER_FILE_SETTINGS``) names instead of the driver's library, in words; None
    when it names the driver's library, a directory, or nothing this can read.

    numba opens that file as the driver and looks up the driver API in it (numba/cuda/cudadrv/driver.py: a file without
    cuInit fails with "driver missing function: cuInit"), so a setting that names the CUDA runtime (libcudart, what the
    toolkit's lib64 holds beside its other libraries) or the toolkit's link-time stub keeps numba off the GPU whatever is
    installed: the setting points the loader at the wrong file (CUDA_LIBS_NOT_ON_PATH), and the driver's libcuda, which the
    system loader finds by itself, goes unused. Counted 2026-12-06 over every labelled case whose log sets one of these
    (bench/explain_rule_precision.py --grep '(NUMBAPRO|NUMBA)_CUDA_DRIVER'): CUDA_LIBS_NOT_ON_PATH 3 (holdout11
    nvidia-cuml-5624, holdout18 numba-numba-2629 and holdout52 numba-numba-3963, both to libcudart.so), no other cause;
    negatives 0.
    """
    text = value.strip().strip("'\"").rstrip("/\\")
    if not text or "$" in text or "%" in text:
        return None
    name = re.split(r"[/\\]", text)[-1]
    if _DRIVER_FILE.match(name):
        parts = [p.lower() for p in re.split(r"[/\\]", text)]
        return "the CUDA toolkit's link-time stub of the driver library" if "stubs" in parts else None
    if re.match(r"^(?:lib)?cudart(?:64)?(?:[._]|$)", name, re.I):
        return "the CUDA runtime library (libcudart), not the driver's"
    if re.search(r"\.(?:so(?:\.\d+)*|dll|dylib)$", name, re.I):
        return f"{name}, which is not the driver's library (libcuda.so / nvcuda.dll)"
    return None


def stub_driver_library_causes() -> tuple[str, ...]:
    """The causes of a program that loaded the CUDA toolkit's stub ``libcuda`` (``.../lib64/stubs/libcuda.so``) instead of the driver's, first the likeliest.

    accversions (session 20). The stub exists only for linking: it answers every call with CUDA_ERROR_STUB_LIBRARY
    ("CUDA driver is a stub library"). The toolkit installs it in ``lib64/stubs``, a directory no installer puts on the
    loader's default path, so a program loads it only when that directory is named on the loader's path
    (LD_LIBRARY_PATH, an ld.so.conf entry, an image's ENV) ahead of the driver's library: the library path is wrong
    (``CUDA_LIBS_NOT_ON_PATH``), whether or not the driver is installed; the driver may in addition be absent
    (``DRIVER_MISSING``, the alternative). Counted over every labelled case: the two logs that show a stub libcuda loaded
    (holdout14 tensorflow-tensorflow-14224, holdout16 numba-numba-8985) were both confirmed CUDA_LIBS_NOT_ON_PATH.
    Source: https://docs.nvidia.com/cuda/cuda-driver-api/group__CUDA__TYPES.html (CUDA_ERROR_STUB_LIBRARY),
    https://docs.nvidia.com/cuda/cuda-installation-guide-linux/ (the stubs directory is for linking only).
    """
    return ("CUDA_LIBS_NOT_ON_PATH", "DRIVER_MISSING")
