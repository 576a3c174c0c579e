"""The driver's user-space libraries where a platform puts them, and the CUDA compat package's libcuda on the loader's path,
as the log shows them (accdrvmount, session 38).

Reads into typed facts what knowledge.driver_mounts decides from (explain/drvmountrules.py applies it):

- ``mount_platform_named``: a platform that mounts the driver's libraries without the NVIDIA container toolkit, named on a
  line (GKE, Container-Optimized OS, GKE's accelerator label or host folder; knowledge/driver_mounts.toml [[platform]]);
- ``driver_lib_unfound``: the driver's own library (libcuda, libnvidia-ml / NVML) said or shown not found or not loaded, in
  a program's line or the writer's words ("libcuda.so.1: cannot open shared object file", "could not load NVML library",
  "ERROR_LIBRARY_NOT_FOUND", "complains about a missing libcuda.so"); the value the library;
- ``driver_lib_at_mount``: the driver's library shown in a platform's mount folder ("/usr/local/nvidia/lib64/libcuda.so.1");
- ``search_path_without``: an LD_LIBRARY_PATH value shown ("LD_LIBRARY_PATH contained only /usr/local/lib",
  "LD_LIBRARY_PATH=/usr/local/lib") that names no platform mount folder; the value the path;
- ``mount_off_path_said``: the writer's words that the mount folder is not on the loader's search path ("no longer include
  /usr/local/nvidia/lib64 in LD_LIBRARY_PATH", "mounts the driver libraries ... but does not put them on the loader path");
- ``mount_absent_said``: the mount folder said or shown absent in the container ("doesn't have a /usr/local/nvidia",
  "/usr/local/nvidia is not present");
- ``compat_on_path``: the CUDA compat package's libcuda on the loader's path: its folder in an LD_LIBRARY_PATH value, an ld
  cache or a loader's line, or the writer's words for the compat libraries put first on the path or injected; the value
  the compat libcuda's driver version where its file name shows one ("compat/libcuda.so.450.80.02"), else "";
- ``driver_mismatch_failed``: CUDA failing on the driver/library mismatch (803: "system has unsupported display driver /
  cuda driver combination", cudaErrorSystemDriverMismatch; 804: forward compatibility on a GPU without it), or the writer's
  "driver/cuda mismatch".
"""

from __future__ import annotations

import re

from whygpu.explain import grammar
from whygpu.knowledge.driver_mounts import compat_folder, mount_platform

NEEDLES = ("gke", "kubernetes engine", "container-optimized", "container optimized", "gke-accelerator", "/home/kubernetes",
           "cos-gpu", "compat", "mismatch", "unsupported display driver")

# The driver's own user-space library, named.
_DRIVER_LIB = (r"(?:libcuda(?:\.so)?(?:\.\d+)*|libnvidia-ml(?:\.so)?(?:\.\d+)*|\bNVML\b(?:\s+library)?|\bCUDA\s+driver\s+library"
               r"|\bnvidia-smi\b)")
_UNFOUND = re.compile(
    _DRIVER_LIB + r"[`'\"]?\W{0,3}(?:\w+\W+){0,4}?(?:cannot\s+open|can't\s+open|not\s+found|no\s+such\s+file|(?:is\s+|was\s+)?missing|"
    r"could\s+not\s+be\s+(?:found|loaded|opened)|not\s+(?:be\s+)?(?:loaded|available)|fails\b)"
    r"|(?:cannot|can't|could\s*n[o']t|unable\s+to|failed\s+to|fails\s+to)\s+(?:d?l?open|load|find|locate|init(?:ialize)?)\s+(?:the\s+)?"
    + _DRIVER_LIB +
    r"|\bmissing\s+(?:the\s+)?(?:a\s+)?" + _DRIVER_LIB +
    r"|\bERROR_LIBRARY_NOT_FOUND\b", re.I)
# A driver library's path in a folder: "/usr/local/nvidia/lib64/libcuda.so.1".
_LIB_PATH = re.compile(r"(?P<folder>/[\w./-]+?)/(?:libcuda|libnvidia-ml)\.so[\w.]*", re.I)
# An LD_LIBRARY_PATH value shown: "LD_LIBRARY_PATH=/a:/b", "LD_LIBRARY_PATH: /a", "`LD_LIBRARY_PATH` contained only `/a`".
_PATH_VALUE = re.compile(
    r"\bLD_LIBRARY_PATH[`'\"]?\s*(?:=|:|\s(?:contained|contains|was|is|had|has)(?:\s+only)?)\s*[`'\"]?(?P<value>/[^\s`'\"]*)", re.I)
_MOUNT_ABSENT = re.compile(
    r"(?:does\s*n[o']?t|did\s*n[o']?t|do\s*n[o']?t)\s+have\s+(?:a\s+|any\s+)?[`'\"]?/usr/local/nvidia"
    r"|/usr/local/nvidia[\w/]*[`'\"]?\s+(?:is|was)\s+(?:not\s+(?:present|there|mounted)|missing|absent|empty)"
    r"|\bno\s+[`'\"]?/usr/local/nvidia\b", re.I)
# The compat libraries named in the writer's words, and what puts them on the path.
_COMPAT_WORDS = re.compile(
    r"\b(?:cuda[- ])?(?:forward[- ])?compat(?:ibility)?\s+(?:compatibility\s+)?(?:layer|librar(?:y|ies)|libs?|package|libcuda)\b"
    r"|\bcuda[- ]compat\b", re.I)
_ON_PATH = re.compile(r"LD_LIBRARY_PATH|ld\.so|ldconfig|ld cache|\s=>\s|\binjected\b|\bprepend|\bfirst\b|\bahead\b|\binstead of\b", re.I)
_COMPAT_VERSION = re.compile(r"compat/libcuda\.so\.(?P<version>\d{3}\.\d+(?:\.\d+)?)", re.I)
_MISMATCH = re.compile(
    r"unsupported\s+display\s+driver\s*/\s*cuda\s+driver\s+combination|cudaErrorSystemDriverMismatch|SYSTEM_DRIVER_MISMATCH"
    r"|forward\s+compatibility\s+was\s+attempted\s+on\s+non\s+supported\s+HW|cudaErrorCompatNotSupportedOnDevice"
    r"|COMPAT_NOT_SUPPORTED_ON_DEVICE|\bdriver\s*/\s*cuda\s+mismatch|\bcuda\s*/\s*driver\s+mismatch", re.I)
# The writer's words that the mount folder is not on the loader's search path: "no longer include /usr/local/nvidia/lib64 in
# LD_LIBRARY_PATH", "/usr/local/nvidia/lib64 was dropped", "mounts the driver libraries at ... but does not put them on the
# loader path".
_OFF_PATH_SAID = re.compile(
    r"\b(?:no\s+longer|not|n['’]t|never)\s+(?:\w+\s+){0,2}(?:include|contain|have|put|add|set|list)s?\b[^.;]{0,60}?/usr/local/nvidia"
    r"|/usr/local/nvidia[\w/]*[`'\"]?\s+(?:was|is|were|got|has\s+been)\s+(?:dropped|removed|missing|not\s+(?:included|set|on))\b"
    r"|\b(?:not|n['’]t|never)\s+(?:\w+\s+){0,2}(?:on|in|to|into)\s+(?:the\s+|its\s+|their\s+)?(?:loader(?:['’]s)?|library|dynamic\s+linker(?:['’]s)?|ld)\s+(?:search\s+)?path",
    re.I)


def driver_lib_unfound(text: str) -> str | None:
    """The driver's library a line says or shows not found or not loaded; None otherwise."""
    low = text.lower()
    if not ("libcuda" in low or "libnvidia-ml" in low or "nvml" in low or "library_not_found" in low or "driver library" in low
            or "nvidia-smi" in low):
        return None
    if grammar.ends_asking(text):
        return None
    m = _UNFOUND.search(text)
    if m is None:
        return None
    named = re.search(r"libcuda|libnvidia-ml|nvml|nvidia-smi", m.group(0), re.I)
    return named.group(0).lower() if named is not None else "nvml"


def read_lines(lines: list[str]) -> list[tuple[int, str, str, str]]:
    """(line number, fact name, value, line) for each fact of this module the lines give (long lines skipped)."""
    out: list[tuple[int, str, str, str]] = []
    for number, line in enumerate(lines, 1):
        if len(line) > 2000:
            continue
        low = line.lower()
        shown = line.strip()[:300]
        if ("gke" in low or "kubernetes" in low or "container" in low or "cos-gpu" in low) \
                and (platform := mount_platform(line)) is not None:
            out.append((number, "mount_platform_named", platform, shown))
        if (unfound := driver_lib_unfound(line)) is not None:
            out.append((number, "driver_lib_unfound", unfound, shown))
        if "libcuda" in low or "libnvidia-ml" in low:
            for m in _LIB_PATH.finditer(line):
                if m.group("folder").rstrip("/") == "/usr/local/nvidia/lib64" and "not found" not in low:
                    out.append((number, "driver_lib_at_mount", m.group(0), shown))
                    break
        if "ld_library_path" in low:
            for m in _PATH_VALUE.finditer(line):
                value = m.group("value")
                if "/usr/local/nvidia" not in value and "/$" not in value and "${" not in value:
                    out.append((number, "search_path_without", value, shown))
        if ("/usr/local/nvidia" in low or "driver librar" in low) and ("path" in low or "dropped" in low) \
                and (off := _OFF_PATH_SAID.search(line)) is not None and not grammar.ends_asking(line):
            out.append((number, "mount_off_path_said", off.group(0), shown))
        if "/usr/local/nvidia" in low and _MOUNT_ABSENT.search(line) is not None:
            out.append((number, "mount_absent_said", "/usr/local/nvidia", shown))
        if "compat" in low:
            folder = compat_folder(line)
            words = _COMPAT_WORDS.search(line)
            if (folder is not None or words is not None) and _ON_PATH.search(line) is not None and not grammar.ends_asking(line):
                version = _COMPAT_VERSION.search(line)
                out.append((number, "compat_on_path", version.group("version") if version else "", shown))
        if ("mismatch" in low or "unsupported display" in low or "compat" in low) and _MISMATCH.search(line) is not None:
            out.append((number, "driver_mismatch_failed", _MISMATCH.search(line).group(0), shown))  # type: ignore[union-attr]
    return out
