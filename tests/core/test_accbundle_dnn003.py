"""accbundle (session 27): DNN003, a program built for one cuDNN major beside a framework build that brings another, judged by
knowledge.programs.release_needs (the accessor explain's LOG240 asks): fires on another major with none of the wanted one
installed, quiet where the majors agree or the wanted cuDNN is there, and never blocks the framework's own verdict."""

from __future__ import annotations

from builders import SITE, healthy, torch_build
from whygpu.diagnose import diagnose, run_rules
from whygpu.snapshot import LibraryFile, Package, Snapshot


def _with(torch_version: str, cuda: str | None, *packages: Package) -> Snapshot:
    s = healthy(torch_build(torch_version, cuda=cuda))
    assert isinstance(s.pythons, list)
    s.pythons[0].packages += list(packages)
    return s


def _fired(snapshot: Snapshot) -> list[str]:
    findings, _ = run_rules(snapshot)
    return [f.title for f in findings if f.id == "DNN003"]


def test_fires_on_a_program_built_for_cudnn_8_beside_a_torch_bringing_9() -> None:
    titles = _fired(_with("2.5.1+cu124", "12.4", Package("ctranslate2", "4.4.0", SITE, "pip")))
    assert len(titles) == 1 and "ctranslate2 4.4.0" in titles[0] and "cuDNN 8" in titles[0] and "cuDNN 9" in titles[0]


def test_fires_the_other_way_round_and_names_the_releases_that_agree() -> None:
    s = _with("2.3.1+cu121", "12.1", Package("onnxruntime-gpu", "1.19.2", SITE, "pip"))
    findings, _ = run_rules(s)
    hit = next(f for f in findings if f.id == "DNN003")
    assert "cuDNN 9" in hit.title and "brings cuDNN 8" in hit.title
    assert "torch >=2.4" in hit.fix and "onnxruntime-gpu" in hit.fix


def test_the_framework_verdict_is_left_as_it_is() -> None:
    report = diagnose(_with("2.5.1+cu124", "12.4", Package("ctranslate2", "4.4.0", SITE, "pip")))
    assert any(f.id == "DNN003" for f in report.findings)
    assert report.verdict.gpu_usable is True  # PyTorch itself runs on the cuDNN it brought


def test_quiet_where_the_majors_agree() -> None:
    assert not _fired(_with("2.5.1+cu124", "12.4", Package("ctranslate2", "4.5.0", SITE, "pip")))
    assert not _fired(_with("2.3.1+cu121", "12.1", Package("ctranslate2", "4.4.0", SITE, "pip")))


def test_quiet_where_the_wanted_cudnn_is_installed() -> None:
    assert not _fired(_with("2.5.1+cu124", "12.4", Package("ctranslate2", "4.4.0", SITE, "pip"),
                            Package("nvidia-cudnn-cu11", "8.9.6.50", SITE, "pip")))
    s = _with("2.5.1+cu124", "12.4", Package("ctranslate2", "4.4.0", SITE, "pip"))
    s.cuda.libraries.append(LibraryFile("/usr/lib/x86_64-linux-gnu/libcudnn_ops_infer.so.8", "cudnn_ops_infer", "libcudnn_ops_infer.so.8", "8.9.7", "system"))
    assert not _fired(s)


def test_quiet_without_a_framework_that_brings_cudnn() -> None:
    assert not _fired(_with("2.5.1+cpu", None, Package("ctranslate2", "4.4.0", SITE, "pip")))
    assert not _fired(_with("2.5.1+cu124", "12.4", Package("ctranslate2", "2.24.0", SITE, "pip")))  # a release no row covers
