"""Where the loader searches, read from a log: a library installed but not found (acclibpath, session 35).

A library that fails to load is missing, there in another version, or there where the loader does not search
(CUDA_LIBS_NOT_ON_PATH). What decides is what the log shows present and what it shows the loader searching; the decision
is ``knowledge.libraries.library_failure_cause``'s. This module reads two facts of the second kind, each from its own words:

- Python's importer on Windows, ``ImportError: DLL load failed (while importing X): The specified module could not be
  found.``: Windows' ERROR_MOD_NOT_FOUND for a DLL the extension module X depends on (the module itself was found). From
  Python 3.8 an extension module's DLL dependencies are looked up only in the system folders, the module's own folder and
  the folders added with ``os.add_dll_directory()``, never in PATH (knowledge/loader_search.toml). "The specified
  procedure could not be found" is another error (a DLL of another version was found) and is not read.
- A program run under ``sudo`` in a log that also shows LD_LIBRARY_PATH set by the user: sudo's env_reset gives the
  command a fresh environment without LD_LIBRARY_PATH (``sudo -E`` keeps others, never it), so the directories the user
  put there are not searched by that command. ``sudo env LD_LIBRARY_PATH=... cmd`` and ``sudo -i`` / ``sudo su`` shells
  are not read (the first passes it, the second reads root's profile, where the path may be set).

Each reader takes one line and is gated by a cheap substring test in the line reader (explain.logfacts).
"""

from __future__ import annotations

from whygpu import lazyre as re

__all__ = ["dll_module_not_found", "listed_directory", "listed_files", "loader_path_set", "shell_command", "source_build_said", "sudo_program_run"]

# CPython's importer on Windows: "DLL load failed: The specified module could not be found." (3.7 and older), "DLL load
# failed while importing _C: The specified module could not be found." (3.8+); ctypes' "Could not find module 'x.dll' (or
# one of its dependencies)" names a DLL itself and is read by the library signatures.
_DLL_MOD_NOT_FOUND = re.compile(
    r"\bDLL load failed(?: while importing (?P<module>[\w.]+))?\s*:\s*The specified module could not be found", re.I)


def dll_module_not_found(text: str) -> str | None:
    """The extension module whose DLL dependency Windows could not find ("_C", "dlib"; "" where the message names none), or
    None. Callers test ``"dll load failed" in`` the lowered line first."""
    if len(text) > 2000:
        return None
    m = _DLL_MOD_NOT_FOUND.search(text)
    return None if m is None else (m.group("module") or "")


# A command started under sudo: "$ sudo python train.py", "sudo ./demo.py", "sudo PYTHONPATH=... python x.py", at the start
# of a shell line (after a prompt) or in inline code ("`sudo ./demo.py`"). Not an installer run under sudo ("sudo ./cuda_12.1.run",
# "sudo ./install.sh": what fails later is another command), nor: "sudo apt install", "sudo ldconfig", "sudo -i", "sudo su", "sudo env LD_...=".
_PROMPT = r"^\s*(?:[\w.@~:/()\[\]-]*[$#%>]\s*|\u279c\s+\S+\s+)?"  # a bash/sh prompt, or zsh's "➜  ~ "
_SUDO_RUN = re.compile(
    r"(?:" + _PROMPT + r"|`)sudo\s+(?:-[EHnS]+\s+|-u\s+\w+\s+)*(?:(?!LD_LIBRARY_PATH)[A-Z_]+=\S+\s+)*"
    r"(?P<program>python[\d.]*\b|\./(?![\w./-]*\.(?:sh|run)\b)[\w./-]+|[\w-]+\.py\b|jupyter\b|ipython\d?\b)", re.I)


def sudo_program_run(text: str) -> str | None:
    """The program a shell line starts under sudo ("python", "./demo.py"), or None. Callers test ``"sudo" in`` the lowered
    line first."""
    if len(text) > 600:
        return None
    m = _SUDO_RUN.search(text)  # at the line's start (after a prompt) or in inline code
    return None if m is None else m.group("program")


# The user's own LD_LIBRARY_PATH: an export or assignment with a value, or the variable echoed ("echo $LD_LIBRARY_PATH").
# (No word boundary before "export": a terminal's wrapped line may be joined to the one before it.)
_PATH_SET = re.compile(r"export\s+LD_LIBRARY_PATH\s*=\s*\S|\becho\s+\"?\$\{?LD_LIBRARY_PATH\b|^\s*LD_LIBRARY_PATH\s*=\s*\S", re.I)


def loader_path_set(text: str) -> str | None:
    """The words of a line that sets or shows the user's LD_LIBRARY_PATH, or None. Callers test ``"ld_library_path" in`` the
    lowered line first."""
    if len(text) > 2000:
        return None
    m = _PATH_SET.search(text)
    return None if m is None else m.group(0).strip()


# The writer's words that the module was built here from source (it then links the CUDA DLLs of the toolkit installed,
# rather than bringing its own): "built from source", "compiled opencv from source", "python setup.py install",
# "build PyTorch with Python 3.8".
_SOURCE_BUILD = re.compile(
    r"\b(?:buil[dt]|compil(?:e|ed|ing))\b[^.\n]{0,40}\bfrom\s+source\b|\bsetup\.py\s+(?:install|build|develop)\b"
    r"|\bbuild\s+(?:pytorch|torch|dlib|opencv|cupy)\b", re.I)


def source_build_said(text: str) -> str | None:
    """The words of a line that say the program was built from source here, or None."""
    if len(text) > 2000:
        return None
    m = _SOURCE_BUILD.search(text)
    return None if m is None else m.group(0)


# A directory listed: `ls [-opts] DIR` (or `ll DIR`, `dir DIR`) at a shell line's start, or cmd's " Directory of C:\...\bin"
# (PowerShell's Get-ChildItem: "    Directory: C:\...\bin").
# The rows after it name files in DIR ("libcudnn.so.8  libcudnn_ops_infer.so.8", an `ls -l` row "... libcudart.so.11.0 ->
# libcudart.so.11.0.221"): a library present at DIR/name, what a `find` or `locate` line shows with its path. A glob
# (`ls /usr/local/cuda/lib64/libcud*`) prints full paths, read elsewhere, and is not a directory here.
_LIST_COMMAND = re.compile(
    _PROMPT + r"(?:ls|ll|dir)(?:\s+-{1,2}[\w=-]+)*\s+(?P<dir>(?:/|~/|\$\w+/|[A-Za-z]:\\)[^\s*?|;&>'\"`]*)\s*(?:\|.*)?$"
    r"|^\s*Directory(?: of|:)\s+(?P<win>[A-Za-z]:\\[^*?|<>\"]*?)\s*$", re.I)
# A CUDA or cuDNN library's file name with the version the loader asks for (a soname, a versioned DLL).
_LISTED_FILE = re.compile(
    r"(?<![\w/\\.+-])(?P<file>(?:lib)?(?:cudart|cublasLt|cublas|cufft|curand|cusolver|cusparse|cudnn\w*|nvrtc|nvJitLink|cupti|nccl)"
    r"(?:\.so(?:\.\d+)+|64_\d+(?:_\d+)?\.dll))(?![\w.+-])", re.I)
_ROW_FAILED = re.compile(r"cannot|can't|could\s*n[o']t|unable|fail|error|missing|no such|not found", re.I)


def listed_directory(text: str) -> str | None:
    """The directory a line lists (``ls /usr/local/cuda/lib64``, `` Directory of C:\\...\\bin``), without a trailing
    separator, or None. Callers test the line's start for "ls", "ll", "dir" or "directory of" first."""
    if len(text) > 600:
        return None
    m = _LIST_COMMAND.match(text)
    if m is None:
        return None
    folder = (m.group("dir") or m.group("win") or "").rstrip("/\\")
    return folder or None


# acclayout (session 35): a row of a directory listing, whose columns before the name are no part of any path:
# - cmd's `dir` ("12/01/2020  10:15 AM    123,456 cudnn64_8.dll", "01.12.2020  10:15    <DIR>   bin", "2020-12-01  10:15 ..."):
#   a date, a time (with AM/PM in US locales), a size (with the locale's digit groups) or <DIR>/<JUNCTION>, the name;
# - PowerShell's Get-ChildItem ("-a----   12/1/2020  10:15 AM   123456 cudnn64_8.dll"): the mode, the time written, the
#   length, the name;
# - `ls -l` ("-rwxr-xr-x 1 root root 123456 Dec  1  2020 libcudnn.so.8"): the mode, links, owner, group, size, date, name.
# The file is in the folder the listing is of (``listed_directory`` above it): the date's slashes are no folder.
_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d\d-\d\d)"
_LISTING_ROW = re.compile(
    rf"^\s*(?:[-dalrhs]{{5,6}}\s+)?{_DATE}\s+\d{{1,2}}:\d\d(?::\d\d)?(?:\s*[AaPp]\.?[Mm]\.?)?\s+(?:<\w+>|[\d,.\u00a0' ]*\d)\s+\S"
    r"|^\s*[-dlcbps][-rwxsStT]{9}[.+@]?\s+\d+\s+\S+\s+\S+\s+[\d,.]+[KMGT]?\s+\w{3}\s+\d{1,2}\s+(?:\d\d:\d\d|\d{4})\s+\S")


def listing_row(text: str) -> bool:
    """Whether ``text`` is a row of a directory listing (cmd's `dir`, PowerShell's, `ls -l`): its date, time and size are
    columns, its file is in the folder listed, never at a path its date's slashes would make."""
    return len(text) <= 600 and _LISTING_ROW.match(text) is not None


def listed_files(text: str) -> list[str]:
    """The CUDA or cuDNN library files a listing's row names, or none (a row that reports a failure names none)."""
    if len(text) > 2000 or _ROW_FAILED.search(text):
        return []
    return [m.group("file") for m in _LISTED_FILE.finditer(text)]


_SHELL_COMMAND = re.compile(r"^\s*(?:[\w.@~:/()\[\]-]*[$%>]|[\w.-]+@[\w.-]+:\S*#)\s+\S")


def shell_command(text: str) -> bool:
    """Whether a line is a shell command after a prompt ("$ nvidia-smi", "user@host:~$ ls", "root@box:/# ls"): it ends the
    listing of the command before it."""
    return _SHELL_COMMAND.match(text) is not None
