"""Framework builds read from their files, and the libraries each would load, on fake environments."""

from __future__ import annotations

import os
from pathlib import Path

from fakeenv import (
    TF_AND_CUDA_12,
    TORCH_CUDA_WHEELS_121,
    add_cuda_toolkit,
    add_cudnn_system,
    add_dist,
    add_jax,
    add_ld_so_conf,
    add_nvidia_wheel,
    add_so,
    add_tensorflow,
    add_tensorflow_gpu_stub,
    add_tf_and_cuda_wheels,
    add_torch,
    make_site_packages,
    write_ld_so_cache,
)
from fakeroot import add_file, tree_machine
from whygpu.collect.cudalibs import collect_cuda
from whygpu.collect.interface import Machine
from whygpu.collect.pyenv import collect_pythons
from whygpu.facts import Unavailable
from whygpu.snapshot import FrameworkBuild, LibraryResolution, PythonEnv

PREFIX = "/opt/venv"


def _collect(root: Path, environ: dict[str, str] | None = None) -> list[PythonEnv]:
    machine = Machine.from_root(str(root), environ or {}, python=f"{PREFIX}/bin/python")
    envs = collect_pythons(machine, collect_cuda(machine))
    assert not isinstance(envs, Unavailable), envs
    return envs


def _framework(root: Path, name: str, environ: dict[str, str] | None = None) -> FrameworkBuild:
    (env,) = _collect(root, environ)
    return next(fw for fw in env.frameworks if fw.name == name)


def _libs(fw: FrameworkBuild) -> dict[str, LibraryResolution]:
    return {lib.library: lib for lib in fw.libraries}


# --- TensorFlow ---------------------------------------------------------------------------------


def test_tf_with_and_cuda_wheels_loads_them_through_its_runpath(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    add_tf_and_cuda_wheels(tmp_path, site)
    fw = _framework(tmp_path, "tensorflow")
    assert (fw.distribution, fw.version, fw.gpu_build) == ("tensorflow", "2.21.0", True)
    assert (fw.cuda_version, fw.cudnn_version) == ("12.5", "9")
    assert fw.compute_capabilities == ["sm_60", "sm_70", "sm_80", "sm_89", "compute_90"]
    assert fw.location == f"{site}/tensorflow"
    assert len(fw.cuda_packages) == len(TF_AND_CUDA_12)
    libs = _libs(fw)
    cudart = libs["cudart"]
    assert cudart.resolved == f"{site}/nvidia/cuda_runtime/lib/libcudart.so.12"
    assert cudart.via == f"RUNPATH of {site}/tensorflow/libtensorflow_framework.so.2"
    assert cudart.required and not cudart.shadows and not cudart.unreachable
    assert libs["cudnn"].resolved == f"{site}/nvidia/cudnn/lib/libcudnn.so.9"
    assert all(lib.resolved for lib in fw.libraries if lib.required)
    assert libs["cupti"].required is False
    assert any("12 of 12 installed" in line for line in fw.evidence)


def test_tf_221_with_only_a_system_cuda_13(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    toolkit = add_cuda_toolkit(tmp_path, "13.0", libs=("cudart", "cublas", "cublasLt"))
    add_ld_so_conf(tmp_path, [f"{toolkit}/lib64"])
    write_ld_so_cache(tmp_path, [("libcudart.so.13", f"{toolkit}/lib64/libcudart.so.13")])
    fw = _framework(tmp_path, "tensorflow")
    libs = _libs(fw)
    cudart = libs["cudart"]
    assert cudart.wanted == ["libcudart.so.12"]
    assert cudart.resolved is None and cudart.via is None
    assert cudart.other_versions == [f"{toolkit}/targets/x86_64-linux/lib/libcudart.so.13"]
    assert libs["cublas"].other_versions == [f"{toolkit}/targets/x86_64-linux/lib/libcublas.so.13"]
    assert libs["cudnn"].resolved is None and libs["cudnn"].other_versions == []
    assert fw.cuda_packages == []
    assert any("0 of 12 installed" in line for line in fw.evidence)


def test_ld_library_path_puts_another_cuda_before_the_wheels(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    add_tf_and_cuda_wheels(tmp_path, site)
    toolkit = add_cuda_toolkit(tmp_path, "12.2", full="12.2.140", libs=("cudart", "cublas"), link=False)
    fw = _framework(tmp_path, "tensorflow", {"LD_LIBRARY_PATH": f"{toolkit}/lib64"})
    cudart = _libs(fw)["cudart"]
    assert cudart.via == "LD_LIBRARY_PATH"
    assert cudart.resolved == f"{toolkit}/targets/x86_64-linux/lib/libcudart.so.12"
    assert cudart.shadows == [f"{site}/nvidia/cuda_runtime/lib/libcudart.so.12"]
    # Libraries the other CUDA does not have still come from the wheels, unshadowed.
    cufft = _libs(fw)["cufft"]
    assert cufft.via.startswith("RUNPATH of ") and cufft.shadows == []


def test_ld_library_path_pointing_at_the_wheels_is_not_a_shadow(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    add_tf_and_cuda_wheels(tmp_path, site)
    fw = _framework(tmp_path, "tensorflow", {"LD_LIBRARY_PATH": f"{site}/nvidia/cuda_runtime/lib"})
    cudart = _libs(fw)["cudart"]
    assert cudart.via == "LD_LIBRARY_PATH" and cudart.shadows == []


def test_cudnn_8_where_9_is_needed(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site, and_cuda=())
    wheels_without_cudnn = [w for w in TF_AND_CUDA_12 if w[0] != "nvidia-cudnn-cu12"]
    add_tf_and_cuda_wheels(tmp_path, site, wheels_without_cudnn)
    add_cudnn_system(tmp_path, 8, "8.9.7")
    fw = _framework(tmp_path, "tensorflow")
    cudnn = _libs(fw)["cudnn"]
    assert cudnn.wanted == ["libcudnn.so.9"] and cudnn.resolved is None
    assert cudnn.other_versions == ["/usr/lib/x86_64-linux-gnu/libcudnn.so.8"]
    assert _libs(fw)["cudart"].resolved is not None


def test_right_library_off_the_loader_path_is_unreachable(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    toolkit = add_cuda_toolkit(tmp_path, "12.4", full="12.4.127", libs=("cudart",), link=False)
    fw = _framework(tmp_path, "tensorflow")  # no ld.so.conf entry, no LD_LIBRARY_PATH
    cudart = _libs(fw)["cudart"]
    assert cudart.resolved is None
    assert cudart.unreachable == [f"{toolkit}/targets/x86_64-linux/lib/libcudart.so.12"]


def test_library_found_through_the_loader_cache(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    add_cudnn_system(tmp_path, 9, "9.3.0", lib_dir="/opt/cudnn/lib")
    write_ld_so_cache(tmp_path, [("libcudnn.so.9", "/opt/cudnn/lib/libcudnn.so.9")])
    cudnn = _libs(_framework(tmp_path, "tensorflow"))["cudnn"]
    assert (cudnn.resolved, cudnn.via) == ("/opt/cudnn/lib/libcudnn.so.9", "ld.so.cache")


def test_library_found_in_the_default_directories(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    add_cudnn_system(tmp_path, 9, "9.3.0")
    cudnn = _libs(_framework(tmp_path, "tensorflow"))["cudnn"]
    assert (cudnn.resolved, cudnn.via) == ("/usr/lib/x86_64-linux-gnu/libcudnn.so.9", "default directories")


def test_tensorflow_cpu(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site, "2.21.0", None, None, dist="tensorflow-cpu", is_cuda_build=False)
    fw = _framework(tmp_path, "tensorflow")
    assert (fw.distribution, fw.gpu_build, fw.cuda_version) == ("tensorflow-cpu", False, None)
    assert fw.libraries == [] and fw.compute_capabilities == []


def test_tensorflow_gpu_stub_has_no_package(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow_gpu_stub(tmp_path, site, "2.12.0")
    fw = _framework(tmp_path, "tensorflow")
    assert (fw.distribution, fw.version, fw.gpu_build) == ("tensorflow-gpu", "2.12.0", False)
    assert "stub" in fw.evidence[0]


def test_tensorflow_dist_info_without_its_files_is_unknown(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_dist(tmp_path, site, "tensorflow", "2.15.0")
    fw = _framework(tmp_path, "tensorflow")
    assert isinstance(fw.gpu_build, Unavailable) and "missing" in fw.gpu_build.reason


def test_tensorflow_and_tensorflow_cpu_together(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site, "2.15.0", "12.2", "8")
    # tensorflow-cpu installed afterwards overwrote the files: its build_info says CPU.
    add_tensorflow(tmp_path, site, "2.15.0", None, None, dist="tensorflow-cpu", is_cuda_build=False)
    older = tmp_path / site.lstrip("/") / "tensorflow-2.15.0.dist-info/RECORD"
    os.utime(older, (1_000_000, 1_000_000))
    (env,) = _collect(tmp_path)
    assert {p.name for p in env.packages} >= {"tensorflow", "tensorflow-cpu"}
    fw = next(f for f in env.frameworks if f.name == "tensorflow")
    assert fw.distribution == "tensorflow-cpu"
    assert fw.gpu_build is False
    assert any("installed together" in line for line in fw.evidence)


def test_windows_build_info_values(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site, "2.10.0")
    add_file(tmp_path, f"{site}/tensorflow/python/platform/build_info.py",
             "import collections\nbuild_info = collections.OrderedDict([('cuda_version', '64_112'), "
             "('cudnn_version', '64_8'), ('cudart_dll_name', 'cudart64_112.dll'), ('is_cuda_build', True)])\n")
    fw = _framework(tmp_path, "tensorflow")
    assert (fw.cuda_version, fw.cudnn_version) == ("11.2", "8")


def test_old_style_build_info_with_plain_assignments(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site, "1.14.0")
    add_file(tmp_path, f"{site}/tensorflow/python/platform/build_info.py",
             "is_rocm_build = False\nis_cuda_build = True\nbuild_info = {'cuda_version': '10.0', 'cudnn_version': '7'}\n")
    fw = _framework(tmp_path, "tensorflow")
    assert (fw.gpu_build, fw.cuda_version, fw.cudnn_version) == (True, "10.0", "7")
    assert _libs(fw)["cudart"].wanted == ["libcudart.so.10.0"]


def test_broken_build_info_is_unknown_not_a_crash(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    add_file(tmp_path, f"{site}/tensorflow/python/platform/build_info.py", "build_info = {{{ not python")
    fw = _framework(tmp_path, "tensorflow")
    assert isinstance(fw.gpu_build, Unavailable) and "not valid Python" in fw.gpu_build.reason
    assert fw.libraries == []


def test_corrupt_framework_library_is_noted(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    add_file(tmp_path, f"{site}/tensorflow/libtensorflow_framework.so.2", "truncated")
    fw = _framework(tmp_path, "tensorflow")
    assert any("libtensorflow_framework.so.2" in line and "ELF" in line for line in fw.evidence)
    assert _libs(fw)["cudart"].resolved is None  # no RUNPATH to follow, no other copy


def test_no_library_resolution_for_a_windows_environment(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    machine = Machine.from_root(str(tmp_path), {}, python=f"{PREFIX}/bin/python")
    cuda = collect_cuda(machine)
    from whygpu.collect.frameworks import collect_frameworks

    (env,) = collect_pythons(machine, cuda)  # type: ignore[misc]
    env.platform_tag = "win32"
    (fw,) = collect_frameworks(machine, env, cuda)
    assert fw.gpu_build is True and fw.libraries == []


# --- PyTorch ------------------------------------------------------------------------------------


def test_torch_cpu_build(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_torch(tmp_path, site, "2.5.1+cpu")
    fw = _framework(tmp_path, "torch")
    assert (fw.distribution, fw.version, fw.gpu_build, fw.cuda_version) == ("torch", "2.5.1+cpu", False, None)
    assert fw.libraries == [] and fw.cuda_packages == []
    assert any("torch.version.cuda = None" in line for line in fw.evidence)


def test_torch_cu121_with_its_wheels(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_torch(tmp_path, site, "2.5.1+cu121", "12.1", wheels=TORCH_CUDA_WHEELS_121)
    fw = _framework(tmp_path, "torch")
    assert (fw.gpu_build, fw.cuda_version, fw.cudnn_version) == (True, "12.1", "9")
    assert {p.name for p in fw.cuda_packages} == {w[0] for w in TORCH_CUDA_WHEELS_121}
    libs = _libs(fw)
    # The wanted names come from libtorch_cuda.so's DT_NEEDED, all required.
    assert set(libs) == {"cudart", "cublas", "cublasLt", "cudnn", "cufft", "curand", "cusolver", "cusparse", "nccl"}
    assert all(lib.required and lib.resolved for lib in libs.values())
    assert libs["cudart"].via == f"RUNPATH of {site}/torch/lib/libtorch_cuda.so"


def test_torch_falls_back_to_preloading_its_wheels(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_torch(tmp_path, site, "2.5.1+cu121", "12.1", wheels=TORCH_CUDA_WHEELS_121, runpath=False)
    libs = _libs(_framework(tmp_path, "torch"))
    assert libs["cudart"].resolved == f"{site}/nvidia/cuda_runtime/lib/libcudart.so.12"
    assert libs["cudart"].via == "site-packages/nvidia (preloaded by torch)"


def test_torch_cuda_build_without_its_wheels(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_torch(tmp_path, site, "2.5.1", "12.4", wheels=TORCH_CUDA_WHEELS_121, install_wheels=False)
    fw = _framework(tmp_path, "torch")
    assert fw.gpu_build is True and fw.cuda_packages == []
    assert all(lib.resolved is None for lib in fw.libraries)
    assert any("0 of 8 installed" in line for line in fw.evidence)


def test_torch_without_version_file(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_torch(tmp_path, site)
    (tmp_path / site.lstrip("/") / "torch/version.py").unlink()
    fw = _framework(tmp_path, "torch")
    assert isinstance(fw.gpu_build, Unavailable)


# --- JAX ------------------------------------------------------------------------------------------


def test_jax_without_a_cuda_plugin(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_jax(tmp_path, site, "0.4.35")
    fw = _framework(tmp_path, "jax")
    assert (fw.distribution, fw.version, fw.gpu_build) == ("jaxlib", "0.4.35", False)
    assert fw.libraries == []


def test_jax_with_the_cuda12_plugin_preloads_its_wheels_first(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_jax(tmp_path, site, "0.4.35", plugin_major=12)
    add_cuda_toolkit(tmp_path, "12.2", full="12.2.140", libs=("cudart",), link=False)
    fw = _framework(tmp_path, "jax", {"LD_LIBRARY_PATH": "/usr/local/cuda-12.2/lib64"})
    assert (fw.gpu_build, fw.cuda_version, fw.cudnn_version) == (True, "12", "9")
    assert {p.name for p in fw.cuda_packages} >= {"jax-cuda12-plugin", "jax-cuda12-pjrt", "nvidia-cudnn-cu12"}
    cudart = _libs(fw)["cudart"]
    assert cudart.resolved == f"{site}/nvidia/cuda_runtime/lib/libcudart.so.12"
    assert cudart.via == "site-packages/nvidia (preloaded by jax)"
    assert _libs(fw)["cudnn"].resolved == f"{site}/nvidia/cudnn/lib/libcudnn.so.9"


def test_jax_plugin_without_pjrt_is_unknown(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_jax(tmp_path, site, "0.4.35", plugin_major=12, pjrt=False)
    fw = _framework(tmp_path, "jax")
    assert isinstance(fw.gpu_build, Unavailable) and "pjrt" in fw.gpu_build.reason.lower()


def test_monolithic_cuda_jaxlib(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_dist(tmp_path, site, "jax", "0.4.20")
    add_dist(tmp_path, site, "jaxlib", "0.4.20+cuda12.cudnn89")
    fw = _framework(tmp_path, "jax")
    assert (fw.gpu_build, fw.cuda_version, fw.cudnn_version) == (True, "12", "8")


def test_jax_without_jaxlib(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_dist(tmp_path, site, "jax", "0.4.35")
    fw = _framework(tmp_path, "jax")
    assert isinstance(fw.gpu_build, Unavailable) and "jaxlib" in fw.gpu_build.reason


# --- loader order details ---------------------------------------------------------------------------


def test_rpath_comes_before_ld_library_path(tmp_path: Path) -> None:
    # conda builds use DT_RPATH, which the loader searches before LD_LIBRARY_PATH.
    site = make_site_packages(tmp_path, PREFIX)
    add_torch(tmp_path, site, "2.1.0", "11.8", needed=("libcudart.so.11.0",), runpath=False)
    add_so(tmp_path, f"{site}/torch/lib/libtorch_cuda.so", "libtorch_cuda.so", needed=["libcudart.so.11.0"],
           rpath=["$ORIGIN/../../../.."])
    add_so(tmp_path, f"{PREFIX}/lib/libcudart.so.11.0", "libcudart.so.11.0")
    add_so(tmp_path, "/opt/other/libcudart.so.11.0", "libcudart.so.11.0")
    cudart = _libs(_framework(tmp_path, "torch", {"LD_LIBRARY_PATH": "/opt/other"}))["cudart"]
    assert cudart.resolved == f"{PREFIX}/lib/libcudart.so.11.0"
    assert cudart.via == f"RPATH of {site}/torch/lib/libtorch_cuda.so"


def test_two_environments_under_root_each_get_their_frameworks(tmp_path: Path) -> None:
    site_a = make_site_packages(tmp_path, "/opt/tf")
    add_tensorflow(tmp_path, site_a)
    add_tf_and_cuda_wheels(tmp_path, site_a)
    site_b = make_site_packages(tmp_path, "/opt/torch")
    add_torch(tmp_path, site_b, "2.5.1+cpu")
    add_nvidia_wheel(tmp_path, site_b, "nvidia-cuda-runtime-cu12", "12.4.127", "cuda_runtime", ["libcudart.so.12"])
    machine = tree_machine(tmp_path)
    cuda = collect_cuda(machine)
    envs = collect_pythons(machine, cuda)
    assert not isinstance(envs, Unavailable)
    frameworks = {env.prefix: [(fw.name, fw.gpu_build) for fw in env.frameworks] for env in envs}
    assert frameworks == {"/opt/tf": [("tensorflow", True)], "/opt/torch": [("torch", False)]}
    tf = envs[[e.prefix for e in envs].index("/opt/tf")].frameworks[0]
    # TF's RUNPATH reaches only its own environment's wheels; the other env's copy is not its concern.
    assert _libs(tf)["cudart"].resolved == f"{site_a}/nvidia/cuda_runtime/lib/libcudart.so.12"
    assert _libs(tf)["cudart"].unreachable == []
    assert f"{site_b}/nvidia/cuda_runtime/lib/libcudart.so.12" in {lib.path for lib in cuda.libraries}
    assert {lib.origin for lib in cuda.libraries} == {"pip"}


def test_conda_tensorflow_metapackage_is_not_a_conflict(tmp_path: Path) -> None:
    from fakeenv import add_conda_package

    make_site_packages(tmp_path, PREFIX, kind="conda")
    site = f"{PREFIX}/lib/python3.11/site-packages"
    add_tensorflow(tmp_path, site, "2.15.0", "12.2", "8", dist_info=False)
    add_conda_package(tmp_path, PREFIX, "tensorflow", "2.15.0", "cuda120py311h_0")
    add_conda_package(tmp_path, PREFIX, "tensorflow-base", "2.15.0", "cuda120py311h_0")
    fw = _framework(tmp_path, "tensorflow")
    assert (fw.distribution, fw.version, fw.gpu_build) == ("tensorflow-base", "2.15.0", True)
    assert not any("installed together" in line for line in fw.evidence)


def test_conda_tensorflow_gpu_metapackage_is_not_the_stub(tmp_path: Path) -> None:
    from fakeenv import add_conda_package

    # conda-forge's tensorflow-gpu 2.15 is a metapackage selecting tensorflow's CUDA build, not PyPI's
    # removed-package stub: recorded without tensorflow's files, the build is unknown, not "no GPU build".
    make_site_packages(tmp_path, PREFIX, kind="conda")
    add_conda_package(tmp_path, PREFIX, "tensorflow-gpu", "2.15.0", "cuda120py311h_0")
    fw = _framework(tmp_path, "tensorflow")
    assert isinstance(fw.gpu_build, Unavailable) and "missing" in fw.gpu_build.reason
    assert not any("stub" in line for line in fw.evidence)


def test_cpu_jax_does_not_claim_other_frameworks_cuda_wheels(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_jax(tmp_path, site, "0.4.35")
    add_nvidia_wheel(tmp_path, site, "nvidia-cuda-runtime-cu12", "12.4.127", "cuda_runtime", ["libcudart.so.12"])
    assert _framework(tmp_path, "jax").cuda_packages == []


def test_odd_install_does_not_raise(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_dist(tmp_path, site, "tensorflow", "2.21.0")
    (tmp_path / site.lstrip("/") / "tensorflow/python/platform/build_info.py").mkdir(parents=True)  # a directory
    add_dist(tmp_path, site, "torch", "2.5.1")
    add_file(tmp_path, f"{site}/torch/version.py", "\x00\xff binary \x00")
    add_file(tmp_path, f"{site}/-.dist-info/METADATA", "")
    add_file(tmp_path, f"{site}/jax-.dist-info/METADATA", "Name: jax\n")
    add_file(tmp_path, f"{site}/jaxlib-0.4.35.dist-info", "a file, not a directory")
    (env,) = _collect(tmp_path)
    builds = {fw.name: fw for fw in env.frameworks}
    assert isinstance(builds["tensorflow"].gpu_build, Unavailable)
    assert isinstance(builds["torch"].gpu_build, Unavailable)
    assert "jax" in builds


def test_torch_cudnn_major_comes_from_its_pin_even_without_the_wheel(tmp_path: Path) -> None:
    site = make_site_packages(tmp_path, PREFIX)
    add_torch(tmp_path, site, "2.5.1", "12.4", wheels=TORCH_CUDA_WHEELS_121, install_wheels=False)
    assert _framework(tmp_path, "torch").cudnn_version == "9"


def test_site_packages_reached_through_a_link(tmp_path: Path) -> None:
    # venvs often have lib64 -> lib; the wheels seen through the link are the same files.
    from fakeroot import add_link

    real_site = make_site_packages(tmp_path, PREFIX)
    add_link(tmp_path, f"{PREFIX}/lib64", "lib")
    add_tensorflow(tmp_path, real_site, runpath=False)
    add_tf_and_cuda_wheels(tmp_path, real_site)
    (tmp_path / "opt/venv/lib/python3.11").rename(tmp_path / "opt/venv/lib/python3.11-real")
    add_link(tmp_path, f"{PREFIX}/lib/python3.11", "python3.11-real")
    fw = _framework(tmp_path, "tensorflow", {"LD_LIBRARY_PATH": f"{PREFIX}/lib64/python3.11/site-packages/nvidia/cuda_runtime/lib"})
    cudart = _libs(fw)["cudart"]
    assert cudart.resolved == f"{PREFIX}/lib/python3.11-real/site-packages/nvidia/cuda_runtime/lib/libcudart.so.12"
    assert cudart.via == "LD_LIBRARY_PATH" and cudart.unreachable == []
    assert _libs(fw)["cublas"].unreachable == [f"{PREFIX}/lib/python3.11-real/site-packages/nvidia/cublas/lib/libcublas.so.12"]


def test_ld_so_conf_dir_without_a_fresh_cache_is_not_searched(tmp_path: Path) -> None:
    # The loader reads ld.so.conf only through the cache ldconfig builds from it.
    site = make_site_packages(tmp_path, PREFIX)
    add_tensorflow(tmp_path, site)
    add_cudnn_system(tmp_path, 9, "9.3.0", lib_dir="/opt/cudnn/lib")
    add_ld_so_conf(tmp_path, ["/opt/cudnn/lib"])
    cudnn = _libs(_framework(tmp_path, "tensorflow"))["cudnn"]
    assert cudnn.resolved is None and cudnn.unreachable == ["/opt/cudnn/lib/libcudnn.so.9"]
