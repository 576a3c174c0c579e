"""accindex (session 38): package index configuration as facts (explain.indexcfg) judged by knowledge.package_index
(LOG750, LOG751)."""

from __future__ import annotations

from tests.log_text import facts, finding_codes, first_cause

from whygpu.explain.indexcfg import index_settings
from whygpu.knowledge.package_index import backend_build, index_build, pip_takes_cpu

# https://github.com/pytorch/ci-infra/issues/661
CI_INFRA = ("PIP_EXTRA_INDEX_URL=http://pypi-cache-cpu.pypi-cache.svc.cluster.local:8080/whl/cpu/\n"
            "pip install torch --index-url https://download.pytorch.org/whl/nightly/cu130\n"
            'python -c "import torch; print(torch.__version__)"   # 2.12.0+cpu  (wrong)\n')
# https://github.com/pytorch/pytorch/issues/26340 (kousu's requirements file)
REQS_CPU_EXTRA = "# requirements.txt\n--extra-index-url https://download.pytorch.org/whl/cpu\ntorch>=1.5\n"


def test_knowledge_index_builds_and_pips_choice() -> None:
    cpu = index_build("https://download.pytorch.org/whl/cpu")
    nightly = index_build("https://download.pytorch.org/whl/nightly/cu130")
    final = index_build("https://download.pytorch.org/whl/cu121")
    mirror = index_build("http://pypi-cache-cpu.pypi-cache.svc.cluster.local:8080/whl/cpu/")
    assert cpu is not None and cpu.kind == "cpu" and not cpu.prerelease
    assert nightly is not None and nightly.kind == "cuda" and nightly.prerelease and nightly.tag == "cu130"
    assert final is not None and final.kind == "cuda" and not final.prerelease
    assert mirror is not None and mirror.kind == "cpu"
    assert index_build("https://pypi.org/simple") is None
    assert pip_takes_cpu(cpu, None) and pip_takes_cpu(cpu, nightly)
    assert not pip_takes_cpu(cpu, final)  # two final releases: ranked by numbers first, not decided
    assert not pip_takes_cpu(final, None)
    auto, cpu_backend = backend_build("auto"), backend_build("cpu")
    assert auto is not None and auto.kind == "auto" and cpu_backend is not None and cpu_backend.kind == "cpu"
    assert backend_build("cu126") is not None and backend_build("bogus") is None


def test_reader_roles() -> None:
    looking = index_settings("Looking in indexes: https://pypi.org/simple, https://download.pytorch.org/whl/cu121")
    assert [(s.role, s.build.kind if s.build else None) for s in looking] == [("index", None), ("extra", "cuda")]
    cmd = index_settings("pip install torch -i https://pypi.tuna.tsinghua.edu.cn/simple --extra-index-url https://download.pytorch.org/whl/cpu")
    assert [s.role for s in cmd] == ["extra", "index"]
    assert [s.role for s in index_settings('extra-index-url = ["https://download.pytorch.org/whl/cu124"]')] == ["extra"]
    assert [s.role for s in index_settings('url = "https://download.pytorch.org/whl/cu118"')] == ["source"]
    assert [(s.role, s.url) for s in index_settings("uv pip install torch --torch-backend=cpu")] == [("backend", "cpu")]
    seen = facts(CI_INFRA).package_index
    assert {s.value.role for s in seen} == {"extra", "index"}


def test_cpu_extra_beside_a_nightly_cuda_index_fires() -> None:
    assert first_cause(CI_INFRA) == "FRAMEWORK_CPU_BUILD"
    assert "LOG750" in finding_codes(CI_INFRA)


def test_quiet_when_a_cuda_build_is_shown_or_the_cuda_index_is_final() -> None:
    working = CI_INFRA.replace("2.12.0+cpu  (wrong)", "2.12.0.dev20260501+cu130")
    assert "LOG750" not in finding_codes(working)
    final = CI_INFRA.replace("whl/nightly/cu130", "whl/cu126")
    assert "LOG750" not in finding_codes(final)


def test_cpu_extra_beside_pypi_needs_the_gpu_said_unused() -> None:
    assert "LOG750" not in finding_codes(REQS_CPU_EXTRA)  # a deliberate CPU install (a CI, a CPU-only machine)
    unused = REQS_CPU_EXTRA + ">>> torch.cuda.is_available()\nFalse\n"
    assert "LOG750" in finding_codes(unused)


def test_uv_cpu_backend() -> None:
    text = "uv pip install torch torchvision --torch-backend=cpu\n>>> torch.cuda.is_available()\nFalse\n"
    assert "LOG751" in finding_codes(text)
    assert "LOG751" not in finding_codes(text.replace("=cpu", "=auto"))
    assert "LOG751" not in finding_codes("uv pip install torch torchvision --torch-backend=cpu\n")


# https://github.com/talmolab/sleap-nn/pull/479 (the source before the fix), in a Windows user's paste
UV_SOURCE = ('{ index = "pytorch-cu128", extra = "torch-cuda128", marker = "platform_machine == \'x86_64\' and sys_platform != \'darwin\'" }\n'
             "C:\\Users\\me\\proj> uv run python -c \"import torch; print(torch.cuda.is_available())\"\nFalse\n")


def test_marker_decision() -> None:
    from whygpu.knowledge.package_index import marker_excludes

    assert marker_excludes("sys_platform == 'linux'", "windows") is True
    assert marker_excludes("platform_machine == 'x86_64' and sys_platform != 'darwin'", "windows") is True
    assert marker_excludes("(platform_machine == 'x86_64' or platform_machine == 'AMD64') and sys_platform != 'darwin'", "windows") is False
    assert marker_excludes("sys_platform == 'linux'", "linux") is False
    assert marker_excludes("not a marker ==", "windows") is None


def test_uv_source_marker_leaving_out_windows() -> None:
    assert "LOG752" in finding_codes(UV_SOURCE)
    widened = UV_SOURCE.replace("platform_machine == 'x86_64' and", "(platform_machine == 'x86_64' or platform_machine == 'AMD64') and")
    assert "LOG752" not in finding_codes(widened)
    linux = UV_SOURCE.replace("C:\\Users\\me\\proj> ", "$ ")
    assert "LOG752" not in finding_codes(linux)  # the platform not shown to be Windows


def test_cpu_index_reading_quiet_beside_a_cuda_build() -> None:
    text = ("pip install torch --index-url https://download.pytorch.org/whl/cpu\n"
            ">>> torch.__version__\n'2.5.1+cu121'\n>>> torch.cuda.is_available()\nFalse\n")
    assert not any(s.value is False and "whl/cpu" in s.text for s in facts(text).cuda_build.get("torch", []))
    assert facts("pip install torch --index-url https://download.pytorch.org/whl/cpu\n").cuda_build.get("torch")


# https://github.com/RosettaCommons/RFdiffusion/issues/119
CHANNEL_ORDER = ("Channel order causes CPU pytorch to be installed\nThe channel order in the conda environment file puts `conda-forge` ahead "
                 "of `pytorch`. This means that a GPU will not get utilized.")


def test_writer_traces_the_cpu_build_to_an_index_or_channel() -> None:
    assert "LOG753" in finding_codes(CHANNEL_ORDER)
    assert first_cause(CHANNEL_ORDER) == "FRAMEWORK_CPU_BUILD"


def test_index_words_quiet_when_asked_advised_or_without_an_index() -> None:
    assert "LOG753" not in finding_codes("Does the channel order cause CPU pytorch to be installed?")
    assert "LOG753" not in finding_codes("If conda-forge installs the CPU version, pin pytorch=*=*cuda*.")
    assert "LOG753" not in finding_codes("pip installed the CPU version of torch.")  # no index or channel named
    working = CHANNEL_ORDER + "\n>>> torch.__version__\n'2.1.0+cu121'\n"
    assert "LOG753" not in finding_codes(working)


def test_index_words_need_pytorch_named() -> None:
    # https://github.com/tensorflow/tensorflow/issues/36476: another framework's package, and not a finding about torch
    text = "Looking at PyPI, I notice there isn't a tensorflow-cpu package released for 1.15.2."
    assert "LOG753" not in finding_codes(text)
