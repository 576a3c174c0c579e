"""acckfix (session 32): the kernel-layer signatures take their fix and deciding check from the one state of
knowledge/kernel_module.toml that means the same (``state = "<id>"``), unless the row writes its own (it knows more).

The lines are the signatures' own example lines (signatures.toml names their public sources) or written from the form the
program prints (kmod's "could not insert", nvidia-smi's and NVML's fixed messages).
"""

from __future__ import annotations

import copy

import pytest

from whygpu.explain import explain_text
from whygpu.explain.catalogue import catalogue, load_data, parse_catalogue
from whygpu.knowledge.kernel_module import module_state, states

_STATE_ROWS = [row for row in load_data()["signature"] if row.get("state")]


def test_the_kernel_layer_signatures_name_states() -> None:
    named = {str(row["id"]) for row in _STATE_ROWS}
    assert {"LOG-SMI-NO-DRIVER", "LOG-NVML-MISMATCH", "LOG-KERNEL-API-MISMATCH", "LOG-KERNEL-NO-NVIDIA-MODULE",
            "LOG-KERNEL-NOUVEAU", "LOG-PLAT-NVRM-API-MISMATCH-CLIENT", "LOG-PLAT-NVRM-GPU-NOT-SUPPORTED",
            "LOG-PLAT-MODULE-SECURE-BOOT", "LOG-PLAT-MODULE-WRONG-KERNEL", "LOG-PLAT-MODULE-NOT-LOADED"} <= named


@pytest.mark.parametrize("row", _STATE_ROWS, ids=[str(r["id"]) for r in _STATE_ROWS])
def test_every_state_a_signature_names_exists_and_means_its_cause(row: dict) -> None:
    state = module_state(str(row["state"]))  # KeyError for a state the table lacks
    assert state.id in {s.id for s in states()}
    # The state means what the signature's line means: the same cause (the causes a signature gives do not change).
    assert state.cause == row["cause"], (row["id"], state.cause, row["cause"])
    sig = catalogue().by_id[str(row["id"])]
    # Where the row writes no fix (or check) of its own, the state's is the signature's.
    assert sig.fix == (row.get("fix") or state.fix)
    assert sig.decide == (row.get("decide") or state.decide)


def test_an_unknown_state_is_refused_when_the_catalogue_is_read() -> None:
    data = copy.deepcopy(load_data())
    row = next(r for r in data["signature"] if r["id"] == "LOG-PLAT-MODULE-SECURE-BOOT")
    row["state"] = "no_such_state"
    with pytest.raises(ValueError, match="unknown kernel module state"):
        parse_catalogue(data)


def _finding(text: str, code: str, cause: str):  # type: ignore[no-untyped-def]
    return next(f for f in explain_text(text).findings if f.id == code and f.cause == cause)


@pytest.mark.parametrize(("line", "code", "state"), [
    # signatures.toml's example line of LOG-PLAT-MODULE-SECURE-BOOT (https://github.com/secureblue/secureblue/issues/1043)
    ("modprobe: ERROR: could not insert 'nvidia': Key was rejected by service", "LOG-PLAT-MODULE-SECURE-BOOT", "secure_boot"),
    ("Failed to initialize NVML: Driver/library version mismatch", "LOG-NVML-MISMATCH", "version_mismatch"),
    ("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver "
     "is installed and running.", "LOG-SMI-NO-DRIVER", "not_loaded"),
])
def test_a_signature_finding_gives_its_states_fix_and_deciding_check(line: str, code: str, state: str) -> None:
    row = module_state(state)
    finding = _finding(line, code, row.cause)
    assert finding.fix.startswith(row.fix)
    # The state's check is named even where the line leaves no alternative open (Secure Boot's, NVML's mismatch).
    assert row.decide in finding.fix


def test_a_signature_that_knows_more_keeps_its_own_fix() -> None:
    # NVRM names the legacy branch: the fix installs that branch, and the legacy list (not the release's appendix) decides.
    sig = catalogue().by_id["LOG-PLAT-NVRM-LEGACY-GPU"]
    assert sig.state == "gpu_unsupported"
    # https://github.com/siderolabs/talos/issues/8764 (the signature's example line)
    finding = _finding(" NVRM:  supported through the NVIDIA 470.xx Legacy drivers. Please", "LOG-PLAT-NVRM-LEGACY-GPU",
                       "GPU_NOT_SUPPORTED")
    assert "470.xx" in finding.fix
    assert module_state("gpu_unsupported").fix not in finding.fix


def test_a_signature_without_a_state_names_no_check_where_nothing_is_left_open() -> None:
    sig = catalogue().by_id["LOG-KERNEL-FALLEN-OFF-BUS"]
    assert not sig.state
    # https://github.com/NVIDIA/NVSentinel/issues/155 (the signature's example line)
    finding = _finding("[ 1843.308145] NVRM: The NVIDIA GPU 0000:b3:00.0 ... NVRM: fallen off the bus and is not responding "
                       "to commands.", "LOG-KERNEL-FALLEN-OFF-BUS", "GPU_FAULT")
    assert "To tell the causes apart" not in finding.fix


def test_the_open_modules_without_gsp_take_their_state_s_fix() -> None:
    """The open modules refusing a GPU without GSP: the fix names the proprietary modules and the check tells them apart."""
    from log_text import report

    log = ("NVRM: The NVIDIA GPU 0000:01:00.0 (PCI ID: 10de:1b80)\n"
           "NVRM: installed in this system is not supported by open\n"
           "NVRM: nvidia.ko because it does not include the required GPU\n"
           "NVRM: System Processor (GSP).\n")
    cause = report(log).causes[0]
    row = module_state("open_no_gsp")
    assert cause.code == row.cause == "DRIVER_MISSING"
    assert row.fix in cause.fix and "Dual MIT/GPL" in cause.fix
    # The proprietary driver's own refusal of a legacy GPU is another state, with another fix.
    legacy = report("NVRM: The NVIDIA GeForce GT 710 GPU installed in this system is\n"
                    "NVRM:  supported through the NVIDIA 470.xx Legacy drivers.\n").causes[0]
    assert legacy.code == "GPU_NOT_SUPPORTED" and row.fix not in legacy.fix
