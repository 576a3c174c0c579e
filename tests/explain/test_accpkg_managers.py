"""accpkg (session 35): a CUDA or driver library said missing under a package manager that is not plain pip
(explain.pkgmanagers' facts, knowledge.package_managers' package_cause, LOG645-LOG647). Real lines carry their public source."""

from __future__ import annotations

from log_text import facts, finding_codes, first_cause
from whygpu.knowledge.package_managers import libraries, managers, package_cause

# https://github.com/pytorch/pytorch/issues/100974
POETRY_TREE = """With torch 2.0.1 the torch pypi wheel does not depend on cuda libraries anymore. Therefore when starting torch on a GPU enabled machine, it complains `ValueError: libnvrtc.so.*[0-9].*[0-9] not found in the system path` (stacktrace see at the end below).

When I show the dependency trees for torch=2.0.1 and torch=2.0.0 with poetry (installed on the same machine with same dependency file as before) it becomes clear that torch 2.0.1 is missing the nvidia dependencies:
```
└── torch 2.0.1
        ├── filelock *
        └── typing-extensions *
```
"""

# https://github.com/alan-turing-institute/data-safe-haven/issues/1493 (pyenv and pip: no lock-file manager shown)
PYENV_PRELOAD = """  File "/opt/pyenv/versions/3.9.17/lib/python3.9/site-packages/torch/__init__.py", line 154, in _preload_cuda_deps
    raise ValueError(f"{lib_name} not found in the system path {sys.path}")
ValueError: libcublas.so.*[0-9] not found in the system path ['/', '/opt/pyenv/versions/3.9.17/lib/python39.zip']
"""

# https://github.com/pypa/pipenv/issues/3548 (TensorFlow's own CUDA 9 library under pipenv: not torch's nvidia-* packages)
PIPENV_TF = """However if I do "pipenv install tensoflow-gpu", after I try to import it in python I get
"ImportError: libcublas.so.9.0: cannot open shared object file: No such file or directory"
I have CUDA Version 10.0.130.
"""

# https://github.com/NixOS/nixpkgs/issues/65515
NIX_SHELL_TF = """#! /usr/bin/env nix-shell
#! nix-shell -i python3 -p "with python3Packages; [Keras tensorflowWithCuda]"
import tensorflow
print(tensorflow.test.is_gpu_available())
2019-07-28 13:45:18.738233: I tensorflow/stream_executor/platform/default/dso_loader.cc:53] Could not dlopen library 'libcuda.so.1'; dlerror: libcuda.so.1: cannot open shared object file: No such file or directory
"""

# https://github.com/NixOS/nixpkgs/issues/46032 (ldd inside a nix-shell on Fedora)
NIX_LDD = """ldd /nix/store/djiwnlid23xwc5kig4z04f8w5zxjfzs4-python3-3.6.6-env/lib/python3.6/site-packages/torch/_nvrtc.cpython-36m-x86_64-linux-gnu.so  | grep cuda
	libcuda.so.1 => not found
	libnvrtc.so.9.1 => /nix/store/1636k54rcgcqc77z0gww0d8xg0dlrr2h-cudatoolkit-9.1.85.1-unsplit/lib64/libnvrtc.so.9.1 (0x00007fdd92433000)
"""

# https://github.com/flatpak/flatpak/issues/930
FLATPAK_GL = """ffmpeg expects the library file to be named differently:
  Stream #0:0 -> #0:0 (rawvideo (native) -> h264 (h264_nvenc))
Cannot load libcuda.so.1

My system currently uses the `org.freedesktop.Platform.GL.nvidia-381-22/x86_64/1.4` extension, which provides `/usr/lib/GL/nvidia-381-22/extra/libcuda.so.381.22`. Perhaps a symlink is in order?
"""

# https://github.com/knapsu/plex-media-player-flatpak/issues/12 (no NVIDIA GPU at all)
FLATPAK_NO_NVIDIA = """It crashes on startup with the following error message:
Cannot load libcuda.so.1
For me, this is a weird error because I'm running the flatpak app on an Intel laptop with only an integrated GPU (no NVIDIA GPU!).
The full error that I see when launching the app manually with `flatpak run tv.plex.PlexMediaPlayer`
"""

# https://github.com/LizardByte/Sunshine/issues/3560 (a sandbox, no host driver shown)
FLATPAK_NO_HOST = """$ flatpak run dev.lizardbyte.app.Sunshine
Cannot load libcuda.so.1
[2025-01-20 14:19:14.514]: Error: Couldn't load cuda: -1
"""


def test_lockfile_manager_left_out_torch_libraries() -> None:
    assert first_cause(POETRY_TREE) == "CUDA_LIBS_MISSING"
    assert "LOG645" in finding_codes(POETRY_TREE)
    seen = facts(POETRY_TREE)
    assert [s.value for s in seen.pkg_manager] == ["poetry"]
    assert seen.pkg_library[0].value.torch and seen.pkg_library[0].value.kind == "toolkit"


def test_poetry_virtualenv_path_is_a_sign() -> None:
    # https://github.com/python-poetry/poetry/issues/8604
    text = ('  File "/home/francesco/.cache/pypoetry/virtualenvs/test-Bk5ZgSl_-py3.8/lib/python3.8/site-packages/torch/__init__.py", line 174, in _load_global_deps\n'
            "OSError: libcufft.so.11: cannot open shared object file: No such file or directory\n")
    assert [s.value for s in facts(text).pkg_manager] == ["poetry"]
    assert "LOG645" in finding_codes(text)


def test_torch_preload_without_a_manager_stays_with_other_readings() -> None:
    assert "LOG645" not in finding_codes(PYENV_PRELOAD)
    assert not facts(PYENV_PRELOAD).pkg_manager


def test_lockfile_manager_with_another_frameworks_library_is_quiet() -> None:
    assert [s.value for s in facts(PIPENV_TF).pkg_manager] == ["pipenv"]
    assert not finding_codes(PIPENV_TF) & {"LOG645", "LOG646", "LOG647"}


def test_nix_program_cannot_reach_the_driver() -> None:
    assert first_cause(NIX_SHELL_TF) == "CUDA_LIBS_NOT_ON_PATH"
    assert "LOG646" in finding_codes(NIX_SHELL_TF)
    assert first_cause(NIX_LDD) == "CUDA_LIBS_NOT_ON_PATH"


def test_driver_library_missing_without_nix_is_not_read() -> None:
    plain = NIX_SHELL_TF.replace("#! /usr/bin/env nix-shell\n", "").replace('#! nix-shell -i python3 -p "with python3Packages; [Keras tensorflowWithCuda]"\n', "")
    assert not facts(plain).pkg_manager
    assert "LOG646" not in finding_codes(plain)
    assert first_cause(plain) == "DRIVER_MISSING"


def test_nix_with_no_nvidia_gpu_said_is_quiet() -> None:
    text = NIX_SHELL_TF + "This laptop has no NVIDIA GPU, only the Intel one.\n"
    assert "LOG646" not in finding_codes(text)


def test_sandbox_with_the_host_driver_shown() -> None:
    assert first_cause(FLATPAK_GL) == "CUDA_LIBS_NOT_ON_PATH"
    assert "LOG647" in finding_codes(FLATPAK_GL)


def test_sandbox_without_nvidia_or_host_driver_is_quiet() -> None:
    assert "LOG647" not in finding_codes(FLATPAK_NO_NVIDIA)
    assert facts(FLATPAK_NO_NVIDIA).pkg_no_nvidia
    assert "LOG647" not in finding_codes(FLATPAK_NO_HOST)


def test_package_cause_table() -> None:
    missing = package_cause("lockfile", "toolkit", True, False, False)
    assert missing is not None and missing.cause == "CUDA_LIBS_MISSING"
    assert package_cause("lockfile", "toolkit", False, False, False) is None
    assert package_cause("lockfile", "driver", True, True, False) is None
    store = package_cause("store", "driver", False, False, False)
    assert store is not None and store.cause == "CUDA_LIBS_NOT_ON_PATH"
    assert package_cause("store", "toolkit", True, False, False) is None
    assert package_cause("sandbox", "driver", False, False, False) is None
    sandbox = package_cause("sandbox", "driver", False, True, False)
    assert sandbox is not None and sandbox.cause == "CUDA_LIBS_NOT_ON_PATH"
    assert package_cause("store", "driver", False, True, True) is None
    assert package_cause("conda", "toolkit", True, True, False) is None


def test_every_row_has_a_source_and_its_signs_hold_a_needle() -> None:
    for manager in managers():
        assert manager.source.startswith("https://")
        assert manager.signs and manager.needles
    for form in libraries():
        assert form.source.startswith("https://")


# https://github.com/w-m/ffsplat/issues/29
UV_SYNC_CUDNN = """run `uv sync` by itself, it'll remove these CUDA libs:

 - nvidia-cublas-cu12==12.6.4.1
 - nvidia-cudnn-cu12==9.5.1.17
but they're required to run torch with cuda, otherwise you get something like

`ImportError: libcudnn.so.9: cannot open shared object file: No such file or directory` at runtime
"""


def test_lockfile_manager_left_out_cudnn() -> None:
    assert first_cause(UV_SYNC_CUDNN) == "CUDNN_MISSING"
    assert "LOG648" in finding_codes(UV_SYNC_CUDNN)
    assert "LOG645" not in finding_codes(UV_SYNC_CUDNN)
    plain = UV_SYNC_CUDNN.replace("run `uv sync` by itself, it'll remove these CUDA libs:", "these CUDA libs:")
    assert "LOG648" not in finding_codes(plain)
