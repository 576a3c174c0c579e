"""NVIDIA's video codec libraries and what keeps a program from them (``video_codec.toml``, session 35, accmedia): one typed
fact for each sign a log shows (``CodecSign``) and the one function that judges the signs of a log (``verdict``)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import parse_version, table_rows
from whygpu.records import record

__all__ = ["CPU_BUILD", "MISSING", "SESSION", "SHORTFALL", "SYMBOL", "CodecSign", "Verdict", "api_floor", "cpu_build_fix", "library_component", "sessions_shown", "sign_on", "symbol_sdk", "verdict"]

# The kinds of sign (the table a row belongs to).
MISSING = "missing"
SHORTFALL = "shortfall"
SYMBOL = "symbol"
CPU_BUILD = "cpu_build"
SESSION = "session"
NO_DRIVER = "no_driver"


@record(frozen=True)
class CodecSign:
    """A sign a log shows about the video codec libraries: its kind (the table), the row's id, and the numbers the line
    carries (``need``/``found``: the API versions of a shortfall; ``driver``: the driver floor a program printed)."""

    kind: str
    row: str
    need: str = ""
    found: str = ""
    driver: str = ""


@record(frozen=True)
class Verdict:
    """What the signs of one log decide: the cause (a causes.md code, or "" for nothing decided), the sign that decided, the
    confidence ("high", "medium") and ``container_said``: whether the log shows the container (a missing library's reading)."""

    cause: str
    sign: CodecSign | None = None
    confidence: str = "medium"
    container_said: bool = False


@cache
def _rows(table: str) -> tuple[tuple[str, re.Pattern[str], dict[str, object]], ...]:
    return tuple((str(row["id"]), re.compile(str(row["pattern"]), re.I), row) for row in table_rows("video_codec", table) if "pattern" in row)


@lru_cache(maxsize=1)
def _symbols() -> dict[str, str]:
    return {str(row["id"]): str(row["sdk"]) for row in table_rows("video_codec", "symbol")}


@lru_cache(maxsize=1)
def _api() -> tuple[tuple[str, str, str], ...]:
    return tuple((str(row["version"]), str(row["windows"]), str(row["linux"])) for row in table_rows("video_codec", "api"))


def api_floor(version: str) -> tuple[str, str] | None:
    """The oldest driver (Windows, Linux) that offers NVENC API ``version`` ([[api]]), or None for a version not listed."""
    return next(((win, lin) for v, win, lin in _api() if v == version), None)


def library_component(row: str) -> str:
    """The component a [[missing]] row's library serves ("NVENC (the encoder)"), from its [[library]] row."""
    library = next((str(r["library"]) for r in table_rows("video_codec", "missing") if str(r["id"]) == row), "either")
    components = {str(r["id"]): str(r["component"]) for r in table_rows("video_codec", "library")}
    return components.get(library, "NVENC/NVDEC (the encoder and decoder)")


def symbol_sdk(row: str) -> str:
    """The Video Codec SDK release that added a [[symbol]] row's entry point, or ""."""
    return _symbols().get(row, "")


def cpu_build_fix(row: str) -> tuple[str, str]:
    """The program and the fix of a [[cpu_build]] row."""
    found = next((r for r in table_rows("video_codec", "cpu_build") if str(r["id"]) == row), {})
    return str(found.get("program", row)), str(found.get("fix", ""))


def sign_on(line: str, text_low: str) -> CodecSign | None:
    """The sign ``line`` shows, or None. ``text_low`` is the whole log lower-cased (a [[cpu_build]] row whose message is
    generic counts only where the log names its program)."""
    for ident, rx, _ in _rows(NO_DRIVER):
        if rx.search(line):
            return CodecSign(NO_DRIVER, ident)
    for ident, rx, _ in _rows(MISSING):
        if rx.search(line):
            return CodecSign(MISSING, ident)
    for ident, rx, _ in _rows(SHORTFALL):
        m = rx.search(line)
        if m is not None:
            groups = m.groupdict()
            return CodecSign(SHORTFALL, ident, need=groups.get("need") or "", found=groups.get("found") or "", driver=groups.get("driver") or "")
    if "undefined" in line:
        for name in _symbols():
            if re.search(rf"\bundefined (?:symbol|reference)\b[^\n]*\b{name}\b", line):
                return CodecSign(SYMBOL, name)
    for ident, rx, row in _rows(CPU_BUILD):
        named = str(row.get("named", ""))
        if rx.search(line) and (not named or named in text_low):
            return CodecSign(CPU_BUILD, ident)
    for ident, rx, _ in _rows(SESSION):
        if rx.search(line):
            return CodecSign(SESSION, ident)
    return None


def sessions_shown(line: str) -> bool:
    """Whether ``line`` shows several encode sessions at once ([[sessions_shown]])."""
    return any(rx.search(line) for _, rx, _ in _rows("sessions_shown"))


def _short(need: str, found: str) -> bool:
    """Whether API ``need`` is above ``found`` (both "major.minor")."""
    a, b = parse_version(need), parse_version(found)
    return a is not None and b is not None and a > b


def verdict(signs: Iterable[CodecSign], *, in_container: bool, video_given: bool, several_sessions: bool) -> Verdict:
    """The one decision over a log's signs about the video codec libraries.

    - A video program's own refusal of CUDA in its build without GPU decoding: FRAMEWORK_CPU_BUILD (high).
    - The driver's codec API older than the one the program asks for (ffmpeg's "Required: 12.1 Found: 12.0", an SDK entry
      point missing from the driver's library): DRIVER_TOO_OLD (high). FFmpeg's minimum-driver line printed where no
      codec library failed to load (the version check is then what failed): DRIVER_TOO_OLD (medium).
    - A codec library not loaded: where the container was given the video capability (``video_given``) nothing is decided
      (the runtime mounts the libraries then: the host's driver lacks them), nor where the CUDA driver library itself was
      not loaded (no driver at all: [[no_driver]]); in a container (``in_container``)
      CONTAINER_NO_GPU (high: the runtime mounts libnvidia-encode and libnvcuvid only with the video capability); with no
      container shown, CONTAINER_NO_GPU at medium (the library is absent where libcuda loaded: a container given compute
      and not video, or a driver install without its codec package) with what would decide.
    - NVENC refusing a new session ("out of memory (10)"): GPU_BUSY (medium) only where the log shows several sessions at
      once (``several_sessions``); else nothing (the same code is a real allocation failure).
    """
    listed = list(signs)
    by_kind = {kind: [s for s in listed if s.kind == kind] for kind in (MISSING, SHORTFALL, SYMBOL, CPU_BUILD, SESSION)}
    if by_kind[CPU_BUILD]:
        return Verdict("FRAMEWORK_CPU_BUILD", by_kind[CPU_BUILD][0], "high")
    api_short = next((s for s in by_kind[SHORTFALL] if s.need and _short(s.need, s.found)), None)
    if api_short is not None:
        return Verdict("DRIVER_TOO_OLD", api_short, "high")
    if by_kind[SYMBOL]:
        return Verdict("DRIVER_TOO_OLD", by_kind[SYMBOL][0], "high")
    if by_kind[MISSING]:
        if video_given or any(s.kind == NO_DRIVER for s in listed):
            return Verdict("")
        return Verdict("CONTAINER_NO_GPU", by_kind[MISSING][0], "high" if in_container else "medium", container_said=in_container)
    floor = next((s for s in by_kind[SHORTFALL] if s.driver), None)
    if floor is not None:
        return Verdict("DRIVER_TOO_OLD", floor, "medium")
    if by_kind[SESSION] and several_sessions:
        return Verdict("GPU_BUSY", by_kind[SESSION][0], "medium")
    return Verdict("")
