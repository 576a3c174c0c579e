"""Every deep rule fires on a snapshot whose deep answers break it, stays quiet on its healthy twin, and is silent without --deep."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from deep_builders import answered, driver, ran_on_gpu, stopped, with_deep

from builders import cpu_vm, healthy, resolved, tf_build, torch_build
from whygpu.diagnose import deep_subject, diagnose
from whygpu.facts import Unavailable
from whygpu.model import Confidence, Finding, Severity
from whygpu.probes import OperationResult
from whygpu.rules.catalogue import all_rules, describe
from whygpu.rules.deep import RULES
from whygpu.rules.interface import Unknown
from whygpu.snapshot import ContainerFacts, Snapshot

SITE = "/opt/venv/lib/python3.11/site-packages"

# As TensorFlow 2.21 printed them on a machine without GPU or driver (this project's CI machine).
TF_STUB = "I0000 00:00:1795745865.415008   11927 cudart_stub.cc:31] Could not find cuda drivers on your machine, GPU will not be used."
TF_DSO = ("I0000 00:00:1795745869.814464   11927 dso_loader.cc:144] Could not load dynamic library 'libcuda.so.1'; dlerror: "
          "libcuda.so.1: cannot open shared object file: No such file or directory")
TF_CUINIT = ("E0000 00:00:1795745869.814601   11927 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error: "
             "Failed call to cuInit: UNKNOWN ERROR (303)")
TF_KERNEL = ("I0000 00:00:1795745869.814628   11927 cuda_diagnostics.cc:145] kernel driver does not appear to be running on "
             "this host (vm): /proc/driver/nvidia/version does not exist")
TF_NO_GPU_LINES = (TF_STUB, TF_DSO, TF_CUINIT, TF_KERNEL)
# The cuDNN version check of XLA's stream executor (https://github.com/openxla/xla/blob/main/xla/stream_executor/cuda/cuda_dnn.cc).
TF_CUDNN = ("E0000 00:00:1712345678.123456   12345 cuda_dnn.cc:535] Loaded runtime CuDNN library: 9.1.0 but source was compiled "
            "with: 9.3.0.  CuDNN library needs to have matching major version and equal or higher minor version. If using a binary "
            "install, upgrade your CuDNN library.  If building from sources, make sure the library loaded at runtime is compatible "
            "with the version specified during compile configuration.")
NO_KERNEL = "RuntimeError: CUDA error: no kernel image is available for execution on the device"


def run(snapshot: Snapshot, code: str | None = None) -> list[Finding]:
    found = [o for r in RULES for o in r.run(deep_subject(snapshot)) if not isinstance(o, Unknown)]
    return [f for f in found if code is None or f.id == code]  # type: ignore[misc]


def one(snapshot: Snapshot, code: str) -> Finding:
    found = run(snapshot, code)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ cases


def _tf_confirms_no_gpu() -> Snapshot:
    return with_deep(cpu_vm(tf_build()), answered("tensorflow", stderr=TF_NO_GPU_LINES), driver(loaded=False, load_error="libcuda.so.1: cannot open shared object file: No such file or directory"))


def _tf_lists_gpu_on_healthy() -> Snapshot:
    return with_deep(healthy(), ran_on_gpu("tensorflow"), driver())


def _tf_contradicts() -> Snapshot:
    return with_deep(healthy(), answered("tensorflow", stderr=(TF_CUDNN,)), driver())


def _torch_no_kernel() -> Snapshot:
    op = OperationResult(True, "cuda", False, None, None, NO_KERNEL)
    return with_deep(healthy(torch_build()), answered("torch", gpus=["NVIDIA GeForce RTX 5090"], operation=op, stderr=(NO_KERNEL,)), driver())


def _tf_timeout() -> Snapshot:
    return with_deep(healthy(), stopped("tensorflow", "timeout", phase="list_devices", stderr=(
        "Thread 0x00007f1c (most recent call first):",
        '  File "/opt/venv/lib/python3.11/site-packages/tensorflow/python/eager/context.py", line 1740 in list_physical_devices',
    )))


def _torch_crash() -> Snapshot:
    return with_deep(healthy(torch_build()), stopped("torch", "crashed", signal="SIGSEGV", phase="import", stderr=(
        "Fatal Python error: Segmentation fault",
        "",
        'Current thread 0x00007f3b (most recent call first):',
        '  File "/opt/venv/lib/python3.11/site-packages/torch/__init__.py", line 290 in _load_global_deps',
    )))


def _jax_import_error() -> Snapshot:
    # As the CUDA plugin of JAX raises it when cuDNN cannot be loaded (https://github.com/jax-ml/jax/blob/main/jax_plugins/cuda/__init__.py).
    error = "RuntimeError: Unable to load cuDNN. Is it installed?"
    return with_deep(healthy(), answered("jax", import_error=error, stderr=("Traceback (most recent call last):", error)))


def _torch_exits() -> Snapshot:
    return with_deep(healthy(torch_build()), stopped("torch", "failed", returncode=1, stderr=("CUDA setup failed, exiting",)))


def _no_libcuda_on_gpu_machine() -> Snapshot:
    return with_deep(healthy(), ran_on_gpu("tensorflow"), driver(loaded=False, load_error="libcuda.so.1: cannot open shared object file: No such file or directory"))


def _driver_mismatch_code() -> Snapshot:
    return with_deep(healthy(), driver(codes=(803, 803, 803), names=("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", None, None)))


def _two_cudarts() -> Snapshot:
    mapped = ["/usr/local/cuda-11.8/lib64/libcudart.so.11.8.89", f"{SITE}/nvidia/cuda_runtime/lib/libcudart.so.12"]
    return with_deep(healthy(torch_build()), ran_on_gpu("torch", mapped=mapped))


def _one_cudart() -> Snapshot:
    return with_deep(healthy(torch_build()), ran_on_gpu("torch", mapped=[f"{SITE}/nvidia/cuda_runtime/lib/libcudart.so.12"]))


def _cudnn_from_elsewhere() -> Snapshot:
    return with_deep(healthy(), ran_on_gpu("tensorflow", mapped=["/usr/local/cuda-12.4/lib64/libcudnn.so.9.1.0"]))


def _cudnn_where_expected() -> Snapshot:
    return with_deep(healthy(), ran_on_gpu("tensorflow", mapped=[f"{SITE}/nvidia/cudnn/lib/libcudnn.so.9"]))


def _static_wrong() -> Snapshot:
    return with_deep(cpu_vm(tf_build()), ran_on_gpu("tensorflow"))


CASES: dict[str, tuple[Callable[[], Snapshot], Callable[[], Snapshot]]] = {
    "DEEP001": (_tf_confirms_no_gpu, _tf_lists_gpu_on_healthy),
    "DEEP002": (_tf_contradicts, _tf_confirms_no_gpu),
    "DEEP003": (_torch_no_kernel, _tf_lists_gpu_on_healthy),
    "DEEP004": (_tf_timeout, _tf_lists_gpu_on_healthy),
    "DEEP005": (_torch_crash, _tf_lists_gpu_on_healthy),
    "DEEP006": (_jax_import_error, _tf_lists_gpu_on_healthy),
    "DEEP007": (_torch_exits, _tf_lists_gpu_on_healthy),
    "DEEP008": (_no_libcuda_on_gpu_machine, _tf_lists_gpu_on_healthy),
    "DEEP009": (_driver_mismatch_code, _tf_lists_gpu_on_healthy),
    "DEEP010": (_two_cudarts, _one_cudart),
    "DEEP011": (_cudnn_from_elsewhere, _cudnn_where_expected),
    "DEEP012": (_static_wrong, _tf_lists_gpu_on_healthy),
}


def test_every_deep_rule_has_a_firing_and_a_clean_case() -> None:
    assert sorted(CASES) == sorted(r.code for r in RULES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires(code: str) -> None:
    firing, _clean = CASES[code]
    assert code in {f.id for f in run(firing())}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_quiet(code: str) -> None:
    _firing, clean = CASES[code]
    assert code not in {f.id for f in run(clean())}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_is_silent_without_deep(code: str) -> None:
    firing, _clean = CASES[code]
    snapshot = firing()
    snapshot.deep = None
    rule = next(r for r in RULES if r.code == code)
    assert list(rule.run(deep_subject(snapshot))) == []


def test_rules_are_registered_documented_and_unique() -> None:
    codes = [r.code for r in RULES]
    assert codes == [f"DEEP{i:03d}" for i in range(1, len(RULES) + 1)]
    assert len({r.slug for r in RULES}) == len(RULES)
    catalogue = {r.code for r in all_rules()}
    assert set(codes) <= catalogue
    for r in RULES:
        assert r.doc.what and r.doc.why and r.doc.example and r.doc.fix
        assert r.slug in describe(r)


# ------------------------------------------------------------------ what each finding says


def test_confirmation_joins_the_static_cause_with_tensorflows_own_lines() -> None:
    finding = one(_tf_confirms_no_gpu(), "DEEP001")
    assert finding.cause == "NO_GPU"
    assert finding.severity is Severity.ERROR
    assert finding.scope == "tensorflow"
    text = "\n".join(finding.evidence)
    assert "list_physical_devices('GPU') returned 0" in text
    assert "failed call to cuInit" in text
    assert "Could not find cuda drivers" in text


def test_confirmation_does_not_take_over_the_static_cause() -> None:
    report = diagnose(_tf_confirms_no_gpu())
    no_gpu = next(c for c in report.causes if c.code == "NO_GPU")
    assert no_gpu.title == "This machine has no NVIDIA GPU"
    assert "DEEP001" in no_gpu.findings
    assert any("failed call to cuInit" in line for line in no_gpu.evidence)


def test_contradiction_says_so_and_takes_the_cause_from_the_framework() -> None:
    finding = one(_tf_contradicts(), "DEEP002")
    assert finding.cause == "CUDNN_MISMATCH"
    assert "expected TensorFlow 2.21.0 to use the GPU" in finding.title
    assert any("Loaded runtime CuDNN library: 9.1.0" in line for line in finding.evidence)
    assert finding.fix.startswith('/opt/venv/bin/python -m pip install "tensorflow[and-cuda]==2.21.*"')


def test_contradiction_without_words_takes_the_driver_code() -> None:
    snapshot = with_deep(healthy(), answered("tensorflow"), driver(codes=(803, 803, 803), names=("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", None, None)))
    finding = one(snapshot, "DEEP002")
    assert finding.cause == "DRIVER_MISMATCH"
    assert any("cuInit returned 803" in line for line in finding.evidence)


def test_contradiction_of_a_self_declared_cpu_build() -> None:
    snapshot = with_deep(healthy(torch_build()), answered("torch", gpu_build=False), driver())
    finding = one(snapshot, "DEEP002")
    assert finding.cause == "FRAMEWORK_CPU_BUILD"
    assert "pip install" in finding.fix


def test_contradiction_with_nothing_to_go_on_is_a_low_confidence_broken_install() -> None:
    snapshot = with_deep(healthy(), answered("tensorflow"), driver())
    finding = one(snapshot, "DEEP002")
    assert (finding.cause, finding.confidence) == ("FRAMEWORK_INSTALL_BROKEN", Confidence.LOW)


def test_failed_operation_points_to_the_gpu_architecture() -> None:
    finding = one(_torch_no_kernel(), "DEEP003")
    assert finding.cause == "GPU_NOT_SUPPORTED"
    assert "NVIDIA GeForce RTX 5090" in finding.evidence[0]


def test_operation_that_ran_on_the_cpu_is_reported() -> None:
    op = OperationResult(True, "/GPU:0", True, "/job:localhost/replica:0/task:0/device:CPU:0", False)
    finding = one(with_deep(healthy(), answered("tensorflow", gpus=["/physical_device:GPU:0"], operation=op)), "DEEP003")
    assert finding.title.endswith("ran on /job:localhost/replica:0/task:0/device:CPU:0")


def test_timeout_says_where_and_how_long() -> None:
    finding = one(_tf_timeout(), "DEEP004")
    assert finding.title == "The TensorFlow probe timed out after 60 s (list_devices)"
    assert finding.severity is Severity.WARNING
    assert finding.cause == "GPU_FAULT"
    assert any("context.py" in line for line in finding.evidence)
    assert "--deep-timeout" in finding.fix


def test_timeout_in_import_is_an_install_problem() -> None:
    finding = one(with_deep(healthy(), stopped("tensorflow", "timeout", phase="import")), "DEEP004")
    assert finding.cause == "FRAMEWORK_INSTALL_BROKEN"
    assert "it printed nothing" in finding.evidence


def test_unkillable_probe_means_a_stuck_driver() -> None:
    finding = one(with_deep(healthy(), stopped("torch", "timeout", phase="list_devices", survivors=[31337])), "DEEP004")
    assert (finding.cause, finding.confidence) == ("GPU_FAULT", Confidence.MEDIUM)
    assert any("31337 survived SIGKILL" in line for line in finding.evidence)


def test_crash_names_the_signal_and_the_last_lines() -> None:
    finding = one(_torch_crash(), "DEEP005")
    assert finding.title == "PyTorch crashed (SIGSEGV) while in step 'import'"
    assert any("Segmentation fault" in line for line in finding.evidence)
    assert any("_load_global_deps" in line for line in finding.evidence)


def test_abort_is_a_crash_too() -> None:
    snapshot = with_deep(healthy(), stopped("jax", "crashed", signal="SIGABRT", phase="list_devices", stderr=("terminate called after throwing an instance of 'std::runtime_error'",)))
    finding = one(snapshot, "DEEP005")
    assert "SIGABRT" in finding.title


def test_import_error_takes_its_cause_from_the_message() -> None:
    finding = one(_jax_import_error(), "DEEP006")
    # JAX's CUDA install brings cuDNN as a wheel: "unable to load cuDNN" reads as a cuDNN of another
    # version than jaxlib wants (explain's LOG-JAX-CUDNN-LOAD), missing cuDNN being the alternative.
    assert finding.cause == "CUDNN_MISMATCH"
    assert finding.title == "JAX cannot be imported in /opt/venv/bin/python"
    assert finding.evidence[0].endswith("failed to import: RuntimeError: Unable to load cuDNN. Is it installed?")


def test_import_error_that_names_nothing_is_a_broken_install() -> None:
    error = "ImportError: cannot import name 'pywrap_tfe' from partially initialized module 'tensorflow.python'"
    finding = one(with_deep(healthy(), answered("tensorflow", import_error=error, stderr=(error,))), "DEEP006")
    assert (finding.cause, finding.confidence) == ("FRAMEWORK_INSTALL_BROKEN", Confidence.MEDIUM)


def test_probe_that_could_not_start_is_unknown_not_a_finding() -> None:
    snapshot = with_deep(healthy(), stopped("torch", "not_started", phase=None, detail="no such interpreter: /gone/bin/python"))
    outcomes = [o for r in RULES for o in r.run(deep_subject(snapshot))]
    assert outcomes == [Unknown("the torch probe could not start: no such interpreter: /gone/bin/python")]


def test_missing_libcuda_confirms_no_gpu_on_a_cpu_vm() -> None:
    finding = one(_tf_confirms_no_gpu(), "DEEP008")
    assert finding.cause == "NO_GPU"


def test_missing_libcuda_in_a_container_is_a_container_without_gpu() -> None:
    snapshot = _no_libcuda_on_gpu_machine()
    snapshot.container = ContainerFacts(True, "docker")
    assert one(snapshot, "DEEP008").cause == "CONTAINER_NO_GPU"


def test_driver_mismatch_code_maps_to_its_cause() -> None:
    finding = one(_driver_mismatch_code(), "DEEP009")
    assert (finding.cause, finding.confidence) == ("DRIVER_MISMATCH", Confidence.HIGH)
    assert finding.evidence[0] == "cuInit returned 803 CUDA_ERROR_SYSTEM_DRIVER_MISMATCH"
    assert "libcuda loaded from /usr/lib/x86_64-linux-gnu/libcuda.so.550.54.15" in finding.evidence


def test_no_device_code_takes_the_reading_the_static_facts_support() -> None:
    hidden = one(with_deep(healthy(), driver(codes=(100, 0, 100))), "DEEP009")
    assert (hidden.cause, hidden.confidence) == ("GPU_HIDDEN", Confidence.MEDIUM)
    assert set(hidden.extra["also"]) == {"CONTAINER_NO_GPU", "NO_GPU"}
    on_cpu_vm = with_deep(cpu_vm(), driver(codes=(100, 0, 100)))
    assert one(on_cpu_vm, "DEEP009").cause == "NO_GPU"


def test_two_copies_of_cudart_are_a_mismatch_warning() -> None:
    finding = one(_two_cudarts(), "DEEP010")
    assert finding.cause == "CUDA_LIBS_MISMATCH" and finding.severity is Severity.WARNING
    assert "/usr/local/cuda-11.8/lib64/libcudart.so.11.8.89" in finding.evidence


def test_loaded_library_elsewhere_is_information() -> None:
    finding = one(_cudnn_from_elsewhere(), "DEEP011")
    assert finding.severity is Severity.INFO
    assert finding.evidence == (f"expected {SITE}/nvidia/cudnn/lib/libcudnn.so.9 (via site-packages/nvidia)",
                                "loaded /usr/local/cuda-12.4/lib64/libcudnn.so.9.1.0")


def test_framework_on_gpu_contradicts_a_static_error() -> None:
    finding = one(_static_wrong(), "DEEP012")
    assert finding.severity is Severity.INFO and finding.cause == "NO_GPU"
    assert finding.extra["contradicts"] == "HW001"


# ------------------------------------------------------------------ whole reports


def test_healthy_deep_run_adds_nothing() -> None:
    snapshot = with_deep(healthy(tf_build(), torch_build()), ran_on_gpu("tensorflow"), ran_on_gpu("torch"), driver())
    assert run(snapshot) == []
    report = diagnose(snapshot)
    assert report.verdict.gpu_usable is True and not report.problem_found


def test_corrupt_deep_section_is_unknown_not_a_crash() -> None:
    from whygpu.snapshot import Snapshot as Snap

    data = healthy().to_json()
    data["deep"] = {"format": "whygpu-deep", "schema_version": 1, "probes": {"torch": {"probe": "torch"}}}
    snapshot = Snap.from_json(data)
    assert isinstance(snapshot.deep, Unavailable)
    # Written out again and read back, it stays unreadable rather than becoming "not run".
    assert isinstance(Snap.from_json(json.loads(json.dumps(snapshot.to_json()))).deep, Unavailable)
    outcomes = [o for r in RULES for o in r.run(deep_subject(snapshot))]
    assert len(outcomes) == 1 and isinstance(outcomes[0], Unknown)
    assert "unreadable" in outcomes[0].reason


def test_deep_answers_are_typed_when_the_snapshot_is_read() -> None:
    from whygpu.probes import DeepReport
    from whygpu.snapshot import Snapshot as Snap

    make, _clean = next(iter(CASES.values()))
    data = json.loads(json.dumps(make().to_json()))
    assert data["deep"]["format"] == "whygpu-deep"  # the document's shape is unchanged
    snapshot = Snap.from_json(data)
    assert isinstance(snapshot.deep, DeepReport) and snapshot.deep.probes
    # A snapshot written before --deep existed, or without it, says "{}": no deep answers.
    data["deep"] = {}
    assert Snap.from_json(data).deep is None
    assert Snap.from_json(data).to_json()["deep"] == {}


def test_snapshot_from_file_gives_the_same_findings() -> None:
    from whygpu.snapshot import Snapshot as Snap

    for make, _clean in CASES.values():
        live = make()
        again = Snap.from_json(json.loads(json.dumps(live.to_json())))
        assert [f.to_json() for f in run(again)] == [f.to_json() for f in run(live)]
        assert diagnose(again).to_json() == diagnose(live).to_json()


def test_libraries_named_by_the_build_are_recognised_without_static_libraries() -> None:
    snapshot = with_deep(healthy(torch_build(libraries=[resolved("cudart", "libcudart.so.12", f"{SITE}/nvidia/cuda_runtime/lib/libcudart.so.12")])),
                         ran_on_gpu("torch", mapped=[f"{SITE}/nvidia/cublas/lib/libcublas.so.12", f"{SITE}/nvidia/cublas/lib/libcublasLt.so.12"]))
    from whygpu.rules import deep_view as view

    report = view.load(snapshot).report
    assert report is not None
    found = view.mapped_cuda_libraries(snapshot, report.probes["torch"], report)
    assert found.get("cublas") == [f"{SITE}/nvidia/cublas/lib/libcublas.so.12"]


def test_a_message_printed_twice_is_cited_once_and_lines_keep_log_order() -> None:
    twice = TF_STUB.replace("1795745865.415008", "1795745871.000001")
    snapshot = with_deep(cpu_vm(tf_build()), answered("tensorflow", stderr=(TF_STUB, "noise", twice, TF_DSO, TF_CUINIT, TF_KERNEL)))
    evidence = one(snapshot, "DEEP001").evidence
    assert sum("Could not find cuda drivers" in line for line in evidence) == 1
    numbers = [int(line.split(":")[1]) for line in evidence if line.startswith("tensorflow probe stderr:")]
    assert numbers == sorted(numbers) and numbers[0] == 1


@pytest.mark.parametrize("code", sorted(CASES))
def test_no_framework_line_is_cited_twice(code: str) -> None:
    from whygpu.rules.deep_view import log_order

    firing, _clean = CASES[code]
    for finding in run(firing()):
        places = [log_order(line) for line in finding.evidence if " probe " in line.split(":", 1)[0]]
        assert len(places) == len(set(places)), finding.evidence


def test_an_interpreter_that_dies_before_the_probe_code_is_broken_not_the_driver() -> None:
    snapshot = healthy()
    assert isinstance(snapshot.pythons, list)
    snapshot.pythons[0].interpreter_error = "killed by signal SIGSEGV"
    snapshot = with_deep(snapshot, stopped("driver", "crashed", phase=None, signal="SIGSEGV"),
                         stopped("torch", "crashed", phase=None, signal="SIGSEGV"))
    findings = [f for f in run(snapshot) if f.id == "DEEP005"]
    assert len(findings) == 2
    for finding in findings:
        assert finding.cause == "FRAMEWORK_INSTALL_BROKEN"
        assert finding.title.startswith("The interpreter ") and "at start-up" in finding.title
        assert "driver" not in finding.fix.lower() and "-X importtime" in finding.fix
        assert "the interpreter is broken" in finding.evidence[0]


def test_a_driver_probe_timeout_title_reads_once() -> None:
    finding = one(with_deep(healthy(), stopped("driver", "timeout", phase="cuInit")), "DEEP004")
    assert finding.title.startswith("The CUDA driver probe timed out")


def test_import_machinery_frames_come_after_the_users_frames_and_the_message() -> None:
    stderr = (
        "Traceback (most recent call last):",
        '  File "/home/me/train.py", line 3, in <module>',
        '  File "<frozen importlib._bootstrap>", line 1176, in _find_and_load',
        '  File "<frozen importlib._bootstrap>", line 1147, in _find_and_load_unlocked',
        '  File "/opt/venv/lib/python3.11/site-packages/torch/__init__.py", line 290, in <module>',
        "    from torch._C import *",
        "ImportError: libcudart.so.12: cannot open shared object file: No such file or directory",
    )
    finding = one(with_deep(healthy(), stopped("torch", "crashed", signal="SIGSEGV", stderr=stderr)), "DEEP005")
    cited = [line for line in finding.evidence if "stderr:" in line]
    frozen = [i for i, line in enumerate(cited) if "<frozen importlib." in line]
    assert frozen, cited
    others = [i for i, line in enumerate(cited) if "<frozen importlib." not in line and ("train.py" in line or "ImportError" in line)]
    assert others and max(others) < min(frozen), cited


def test_doctor_deep_runs_the_static_rules_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """``doctor --deep``: the static rules run once; the deep rules compare with their findings."""
    import dataclasses

    import whygpu.rules.registry as registry

    calls: list[str] = []

    def counted(rule):  # type: ignore[no-untyped-def]
        def check(snapshot):  # type: ignore[no-untyped-def]
            calls.append(rule.code)
            return rule.check(snapshot)

        return dataclasses.replace(rule, check=check)

    monkeypatch.setattr(registry, "RULES", [counted(r) for r in registry.RULES])
    snapshot = with_deep(cpu_vm(tf_build()), answered("tensorflow", gpus=[]))
    report = diagnose(snapshot)
    assert report.causes[0].code == "NO_GPU"
    assert calls and len(calls) == len(set(calls)), "a static rule ran more than once"


def test_deep_rules_compare_with_the_static_findings_they_are_given_and_run_no_rule_again() -> None:
    """The deep rules read the static findings from their subject (diagnose ran the static rules once), never by running them."""
    from whygpu.rules.deep_view import DeepSubject

    snapshot = _tf_contradicts()
    given = Finding(id="HW001", cause="NO_GPU", severity=Severity.ERROR, title="No NVIDIA GPU on the PCI bus")
    reader = deep_subject(snapshot).read_log
    told = [o for r in RULES for o in r.run(DeepSubject(snapshot, (given,), reader)) if not isinstance(o, Unknown)]
    # The healthy snapshot alone makes the framework's "no GPU" a contradiction (DEEP002); with the
    # static error handed over, the framework confirms it instead (DEEP001, joining NO_GPU).
    assert {f.id for f in run(snapshot)} >= {"DEEP002"}
    assert "DEEP002" not in {f.id for f in told}
    assert [(f.id, f.cause) for f in told if f.id == "DEEP001"] == [("DEEP001", "NO_GPU")]
