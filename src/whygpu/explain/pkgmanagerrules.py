"""The log rules that judge a CUDA library, or the driver's, said missing under a package manager that is not plain pip
(accpkg, session 35).

The facts are ``explain.pkgmanagers``'s (the manager's sign, the library message, a host driver shown, no NVIDIA GPU said,
torch named); what they mean together is ``knowledge.package_managers.package_cause``'s one decision; each rule below
speaks for one of its situations.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject, decided_hits
from whygpu.explain.logfacts import evidence as _ev
from whygpu.explain.pkgmanagers import package_reading
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Outcome, Rule, RuleDoc, rule

_TORCH_100974 = "https://github.com/pytorch/pytorch/issues/100974"
_NIX_WIKI = "https://nixos.wiki/wiki/CUDA"
_FLATPAK_GL = "https://github.com/flathub/org.freedesktop.Platform.GL.nvidia"


def _hit(subject: LogSubject, situation: str, title: str, confidence: Confidence) -> Iterator[Outcome]:
    decided = package_reading(subject.facts)
    if decided is None or decided[2].situation != situation:
        return
    manager, seen_lib, why = decided
    shown = next(s for s in subject.facts.pkg_manager if s.value == manager.id)
    extra_seen = [*subject.facts.pkg_host_driver[:1]] if situation == "sandbox_driver" else []
    evidence = _ev(seen_lib, shown, *extra_seen)
    yield from decided_hits(why, title.format(lib=seen_lib.value.lib, manager=manager.name, because=why.because), evidence,
                            confidence, fix=f"{why.fix} {manager.fix}.",
                            extra={"why": why.because, "manager": manager.id, "does": manager.does, "source": manager.source})


# Counted over the labelled logs at session 35: see docs/explain-accuracy.md, Session 35 (accpkg).
@rule(
    "LOG645", "log-lockfile-manager-left-out-torch-cuda-libraries", "CUDA_LIBS_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads torch's own message that a library of its nvidia-* packages is not found ('libnvrtc.so.*[0-9].*[0-9] not found in the system path') or a CUDA library torch loads that cannot be opened ('libcudnn.so.8: cannot open shared object file') where the log also shows a lock-file manager installed the environment (poetry / pdm / uv / pip-tools / pipenv: a command, a lock file, a pypoetry virtualenv path, 'installed with poetry'). Not where no such manager is shown, nor for another framework's library.",
        why="torch's Linux wheels load CUDA's libraries from its nvidia-* pip packages; their metadata declares them only for some platforms, and torch 2.0.1's uploads carried them in a way Poetry did not resolve, so a lock-file manager can install torch without them (CUDA_LIBS_MISSING).",
        example="When I show the dependency trees for torch=2.0.1 and torch=2.0.0 with poetry ... torch 2.0.1 is missing the nvidia dependencies\nValueError: libnvrtc.so.*[0-9].*[0-9] not found in the system path\n(https://github.com/pytorch/pytorch/issues/100974)",
        fix="Install torch's nvidia-* packages into the same environment, or pin a torch release the manager resolves with them and lock again.",
        limits="A manager named in the log may not be the one that installed the failing environment; a library missing for another reason (a torch built against the system CUDA) reads the same.",
        references=(_TORCH_100974, "https://github.com/pytorch/pytorch/issues/104259"),
    ),
)
def lockfile_left_out_libraries(subject: LogSubject) -> Iterator[Outcome]:
    yield from _hit(subject, "lockfile_toolkit", "{lib} is not installed: {manager} left out torch's nvidia-* packages ({because})",
                    Confidence.HIGH)


@rule(
    "LOG648", "log-lockfile-manager-left-out-torch-cudnn", "CUDNN_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads cuDNN's library said missing ('libcudnn.so.9: cannot open shared object file', torch's 'libcudnn.so.*[0-9] not found in the system path') in a torch environment where the log shows a lock-file manager installed or synced it (poetry / pdm / uv / pip-tools / pipenv). Not where no such manager is shown.",
        why="torch's Linux wheels load cuDNN from the nvidia-cudnn-cuNN pip package, one of its platform-gated dependencies: a lock-file manager that did not select it (or a later sync that removed it) leaves torch without cuDNN (CUDNN_MISSING).",
        example="run `uv sync` by itself, it'll remove these CUDA libs: ... nvidia-cudnn-cu12==9.5.1.17\nImportError: libcudnn.so.9: cannot open shared object file: No such file or directory\n(https://github.com/w-m/ffsplat/issues/29)",
        fix="Install torch's nvidia-cudnn-cuNN package into the same environment, or sync with the extra or platform that selects it.",
        limits="A manager named in the log may not be the one that installed the failing environment.",
        references=("https://github.com/w-m/ffsplat/issues/29", _TORCH_100974),
    ),
)
def lockfile_left_out_cudnn(subject: LogSubject) -> Iterator[Outcome]:
    yield from _hit(subject, "lockfile_cudnn", "{lib} is not installed: {manager} left out torch's nvidia-cudnn package ({because})",
                    Confidence.HIGH)


@rule(
    "LOG646", "log-store-program-cannot-reach-driver-library", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Reads the driver's libcuda or libnvidia-ml said not found ('Could not dlopen library 'libcuda.so.1'', 'libcuda.so.1: cannot open shared object file', ldd's 'libcuda.so.1 => not found') where the log shows the program comes from Nix or Guix (/nix/store/ paths, nix-shell, nix develop, /run/opengl-driver, NixOS, /gnu/store/). Not where the writer says there is no NVIDIA GPU.",
        why="A Nix program searches its store and, on NixOS, /run/opengl-driver/lib: the driver's libraries are reached only through the package's runpath, a wrapper (nixGL) or LD_LIBRARY_PATH, so a missing libcuda there is the driver outside the program's path (CUDA_LIBS_NOT_ON_PATH), not a missing driver.",
        example="#! nix-shell -i python3 -p \"with python3Packages; [Keras tensorflowWithCuda]\"\nCould not dlopen library 'libcuda.so.1'; dlerror: libcuda.so.1: cannot open shared object file\n(https://github.com/NixOS/nixpkgs/issues/65515)",
        fix="On NixOS enable hardware.graphics with the nvidia driver and run with LD_LIBRARY_PATH=/run/opengl-driver/lib (or a package built with cudaSupport); elsewhere use nixGL or the host driver's directory on LD_LIBRARY_PATH.",
        limits="A Nix machine with no NVIDIA driver at all reads the same unless the log or the writer says so (then DRIVER_MISSING stays).",
        references=(_NIX_WIKI, "https://github.com/NixOS/nixpkgs/pull/120285"),
    ),
)
def store_driver_off_path(subject: LogSubject) -> Iterator[Outcome]:
    yield from _hit(subject, "store_driver", "{lib} is outside the {manager} program's library path: {because}", Confidence.HIGH)


@rule(
    "LOG647", "log-sandbox-cannot-reach-host-driver-library", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Reads the driver's libcuda said not found ('Cannot load libcuda.so.1') in a Flatpak or Snap app (flatpak run, an org.freedesktop.Platform runtime, snap run) where the log shows the host has the NVIDIA driver (a GL.nvidia extension, nvidia-smi's banner, a driver version). Not where the host driver is not shown, nor where the writer says there is no NVIDIA GPU.",
        why="A sandboxed app sees the host driver's libraries only through its GL extension (Flatpak) or connected interfaces (Snap), under the names these ship: with the host driver present, a missing libcuda is the sandbox's search path (CUDA_LIBS_NOT_ON_PATH).",
        example="My system currently uses the `org.freedesktop.Platform.GL.nvidia-381-22/x86_64/1.4` extension\nCannot load libcuda.so.1\n(https://github.com/flatpak/flatpak/issues/930)",
        fix="Install the GL.nvidia extension matching the host driver (flatpak update) and give the app --device=all; for a snap connect its graphics interfaces.",
        limits="Needs the host driver in the log; a sandbox on a machine without an NVIDIA GPU prints the same line.",
        references=(_FLATPAK_GL, "https://github.com/flatpak/flatpak/issues/930"),
    ),
)
def sandbox_driver_off_path(subject: LogSubject) -> Iterator[Outcome]:
    yield from _hit(subject, "sandbox_driver", "{lib} is outside the {manager} sandbox's library path: {because}", Confidence.MEDIUM)


PKGMANAGER_RULES: list[Rule[LogSubject]] = [lockfile_left_out_libraries, lockfile_left_out_cudnn, store_driver_off_path,
                                            sandbox_driver_off_path]
