"""The CUDA library collector on fake roots: loader cache and config, toolkits, library files and where they come from."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fakeenv import (
    add_cuda_toolkit,
    add_cudnn_system,
    add_ld_so_conf,
    add_so,
    elf_shared_object,
    ld_so_cache_bytes,
    make_site_packages,
    write_ld_so_cache,
)
from fakeroot import add_file, add_link, live_machine, tree_machine
from whygpu.collect.cudalibs import collect_cuda, parse_ld_so_cache, read_ld_cache, read_ld_so_conf
from whygpu.facts import Unavailable
from whygpu.gateways.elf import read_dynamic

# --- the ELF gateway ----------------------------------------------------------------------------


def test_elf_reads_soname_needed_and_search_paths(tmp_path: Path) -> None:
    so = tmp_path / "libx.so"
    so.write_bytes(elf_shared_object("libx.so.1", needed=["libcudart.so.12"], runpath=["$ORIGIN/a", "$ORIGIN/a", "/b"], rpath=["/c"]))
    dynamic = read_dynamic(so)
    assert not isinstance(dynamic, Unavailable)
    assert dynamic.soname == "libx.so.1"
    assert dynamic.needed == ("libcudart.so.12",)
    assert dynamic.runpath == ("$ORIGIN/a", "/b")  # duplicates dropped, order kept
    assert dynamic.rpath == ("/c",)
    assert dynamic.machine == "EM_X86_64" and dynamic.elf_class == 64


@pytest.mark.parametrize("content", [b"", b"\x7fELF", b"not an elf at all", b"\x7fELF\x02\x01\x01" + b"\xff" * 100])
def test_elf_garbage_is_unavailable_not_an_exception(tmp_path: Path, content: bytes) -> None:
    so = tmp_path / "libbad.so"
    so.write_bytes(content)
    assert isinstance(read_dynamic(so), Unavailable)


def test_elf_truncated_file_is_unavailable(tmp_path: Path) -> None:
    so = tmp_path / "libcut.so"
    so.write_bytes(elf_shared_object("libcut.so", needed=["a"] * 20)[:150])
    assert isinstance(read_dynamic(so), Unavailable)


def test_elf_missing_file_and_directory(tmp_path: Path) -> None:
    assert "no such file" in str(read_dynamic(tmp_path / "absent.so"))
    assert isinstance(read_dynamic(tmp_path), Unavailable)


def test_elf_reads_a_real_compiled_extension() -> None:
    real = next((Path(p) for p in Path(sys.base_prefix, "lib").glob("python3*/lib-dynload/_json*.so")), None)
    if real is None:
        pytest.skip("no compiled stdlib extension to read")
    dynamic = read_dynamic(real)
    assert not isinstance(dynamic, Unavailable)
    assert dynamic.elf_class in (32, 64)


# --- /etc/ld.so.cache ----------------------------------------------------------------------------


def test_cache_round_trip_keeps_order() -> None:
    entries = [("libcudart.so.12", "/usr/local/cuda-12.4/lib64/libcudart.so.12"), ("libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1")]
    assert parse_ld_so_cache(ld_so_cache_bytes(entries)) == entries


def test_cache_after_old_format_table() -> None:
    entries = [("libcudnn.so.9", "/usr/lib/x86_64-linux-gnu/libcudnn.so.9")]
    assert parse_ld_so_cache(ld_so_cache_bytes(entries, old_format=True)) == entries


def test_cache_drops_32_bit_entries_on_a_64_bit_system() -> None:
    data = ld_so_cache_bytes([("libcudart.so.12", "/usr/lib/i386-linux-gnu/libcudart.so.12")], flags=0x0003)
    assert parse_ld_so_cache(data) == [("libcudart.so.12", "/usr/lib/i386-linux-gnu/libcudart.so.12")]  # only 32-bit: kept
    mixed = ld_so_cache_bytes([("libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1")])
    assert parse_ld_so_cache(mixed) == [("libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1")]


@pytest.mark.parametrize("data", [b"", b"garbage", b"ld.so-1.7.0\0\0\0\0\0", b"glibc-ld.so.cache1.1" + b"\xff" * 30])
def test_cache_garbage_raises_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        parse_ld_so_cache(data)


def test_cache_with_lying_header_is_unavailable(tmp_path: Path) -> None:
    data = bytearray(ld_so_cache_bytes([("libz.so.1", "/lib/libz.so.1")]))
    data[20:24] = (10**6).to_bytes(4, "little")  # claims a million entries
    add_file(tmp_path, "/etc/ld.so.cache")
    (tmp_path / "etc/ld.so.cache").write_bytes(bytes(data))
    assert isinstance(read_ld_cache(tree_machine(tmp_path)), Unavailable)


def test_missing_cache_is_unavailable(tmp_path: Path) -> None:
    fact = read_ld_cache(tree_machine(tmp_path))
    assert isinstance(fact, Unavailable) and "does not exist" in fact.reason


@pytest.mark.skipif(not Path("/etc/ld.so.cache").exists() or not (shutil.which("ldconfig") or Path("/sbin/ldconfig").exists()),
                    reason="no glibc loader cache here")
def test_cache_parser_agrees_with_ldconfig_on_this_machine() -> None:
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=10).stdout
    expected = {line.split(" => ")[1].strip() for line in out.splitlines()[1:] if " => " in line and ("x86-64" in line or "AArch64" in line)}
    parsed = read_ld_cache(tree_machine(Path("/")))
    assert not isinstance(parsed, Unavailable)
    assert expected <= {path for _key, path in parsed}


# --- ld.so.conf ----------------------------------------------------------------------------------


def test_conf_follows_includes_relative_globs_and_ignores_comments(tmp_path: Path) -> None:
    add_file(tmp_path, "/etc/ld.so.conf", "# comment\ninclude ld.so.conf.d/*.conf\n/opt/first\n")
    add_file(tmp_path, "/etc/ld.so.conf.d/a.conf", "/usr/local/cuda-12.4/lib64  # trailing comment\n\nhwcap 0 nosegneg\n")
    add_file(tmp_path, "/etc/ld.so.conf.d/b.conf", "include /etc/ld.so.conf\n/opt/cudnn/lib/\n")
    add_file(tmp_path, "/etc/ld.so.conf.d/ignored.txt", "/not/this\n")
    dirs = read_ld_so_conf(tree_machine(tmp_path))
    assert dirs == ["/usr/local/cuda-12.4/lib64", "/opt/cudnn/lib", "/opt/first"]


def test_no_conf_gives_no_dirs(tmp_path: Path) -> None:
    assert read_ld_so_conf(tree_machine(tmp_path)) == []


# --- toolkits and library files -------------------------------------------------------------------


def test_toolkit_versions_from_json_txt_header_and_directory_name(tmp_path: Path) -> None:
    add_cuda_toolkit(tmp_path, "12.4", full="12.4.1")
    add_cuda_toolkit(tmp_path, "11.8", full="11.8.89", version_file="txt", link=False)
    add_file(tmp_path, "/usr/local/cuda-13.0/include/cuda_runtime_api.h", "/* x */\n#define CUDART_VERSION 13000\n")
    add_file(tmp_path, "/usr/local/cuda-12.2/bin/nvcc", "")
    cuda = collect_cuda(tree_machine(tmp_path))
    versions = {t.path: (t.version, t.source) for t in cuda.toolkits}
    assert versions["/usr/local/cuda-12.4"] == ("12.4.1", "version.json")
    assert versions["/usr/local/cuda-11.8"] == ("11.8.89", "version.txt")
    assert versions["/usr/local/cuda-13.0"] == ("13.0", "include/cuda_runtime_api.h")
    assert versions["/usr/local/cuda-12.2"] == ("12.2", "directory name")
    assert versions["/usr/local/cuda"] == ("12.4.1", "link to /usr/local/cuda-12.4; version.json")


def test_toolkit_library_has_its_real_version_soname_and_origin(tmp_path: Path) -> None:
    add_cuda_toolkit(tmp_path, "12.4", full="12.4.127", libs=("cudart", "cublas"))
    cuda = collect_cuda(tree_machine(tmp_path))
    by_name = {lib.name: lib for lib in cuda.libraries}
    assert by_name["cudart"].path == "/usr/local/cuda-12.4/targets/x86_64-linux/lib/libcudart.so.12"
    assert by_name["cudart"].soname == "libcudart.so.12"
    assert by_name["cudart"].version == "12.4.127"
    assert by_name["cudart"].origin == "toolkit"
    # /usr/local/cuda, lib64 and targets/*/lib are the same files: each is listed once.
    assert len([lib for lib in cuda.libraries if lib.name == "cudart"]) == 1


def test_soname_read_from_elf_when_no_link_names_it(tmp_path: Path) -> None:
    add_so(tmp_path, "/usr/lib/x86_64-linux-gnu/libcudart.so.10.1.243", "libcudart.so.10.1")
    cuda = collect_cuda(tree_machine(tmp_path))
    (lib,) = cuda.libraries
    assert (lib.soname, lib.version, lib.origin) == ("libcudart.so.10.1", "10.1.243", "system")


def test_libraries_from_ld_library_path_conf_conda_and_wsl(tmp_path: Path) -> None:
    add_so(tmp_path, "/opt/extra/lib/libcublas.so.12", "libcublas.so.12")
    add_cudnn_system(tmp_path, 8, "8.9.7")
    add_so(tmp_path, "/opt/cudnn9/lib/libcudnn.so.9.1.0", "libcudnn.so.9", links=["libcudnn.so.9"])
    add_ld_so_conf(tmp_path, ["/opt/cudnn9/lib"])
    make_site_packages(tmp_path, "/opt/conda", kind="conda")
    add_so(tmp_path, "/opt/conda/lib/libcudart.so.11.8.89", "libcudart.so.11.0", links=["libcudart.so.11.0"])
    add_so(tmp_path, "/usr/lib/wsl/lib/libcudnn.so.9", "libcudnn.so.9")
    env = {"LD_LIBRARY_PATH": "/opt/extra/lib::relative/dir", "CONDA_PREFIX": "/opt/conda", "CUDA_HOME": "/usr/local/cuda"}
    cuda = collect_cuda(tree_machine(tmp_path, env))
    origins = {lib.path: (lib.origin, lib.version) for lib in cuda.libraries}
    assert origins["/opt/extra/lib/libcublas.so.12"] == ("system", "12")
    assert origins["/usr/lib/x86_64-linux-gnu/libcudnn.so.8"] == ("system", "8.9.7")
    assert origins["/opt/cudnn9/lib/libcudnn.so.9"] == ("system", "9.1.0")
    assert origins["/opt/conda/lib/libcudart.so.11.0"] == ("conda", "11.8.89")
    assert origins["/usr/lib/wsl/lib/libcudnn.so.9"] == ("wsl", "9")
    assert cuda.ld_library_path == ["/opt/extra/lib", "relative/dir"]
    assert cuda.ld_so_conf_dirs == ["/opt/cudnn9/lib"]
    assert cuda.cuda_home == "/usr/local/cuda"


def test_cache_entries_kept_are_the_gpu_ones(tmp_path: Path) -> None:
    write_ld_so_cache(tmp_path, [("libcudart.so.13", "/usr/local/cuda-13.0/lib/libcudart.so.13"), ("libz.so.1", "/lib/libz.so.1"),
                                 ("libcuda.so.1", "/usr/lib/x86_64-linux-gnu/libcuda.so.1"), ("libcurl.so.4", "/lib/libcurl.so.4")])
    cuda = collect_cuda(tree_machine(tmp_path))
    assert cuda.ld_cache == ["/usr/local/cuda-13.0/lib/libcudart.so.13", "/usr/lib/x86_64-linux-gnu/libcuda.so.1"]


def test_absolute_links_stay_inside_the_root(tmp_path: Path) -> None:
    # /usr/lib/x86_64-linux-gnu/libcudnn.so.9 -> /etc/alternatives/libcudnn -> /opt/cudnn/libcudnn.so.9.3.0
    add_so(tmp_path, "/opt/cudnn/libcudnn.so.9.3.0", "libcudnn.so.9")
    add_link(tmp_path, "/etc/alternatives/libcudnn", "/opt/cudnn/libcudnn.so.9.3.0")
    add_link(tmp_path, "/usr/lib/x86_64-linux-gnu/libcudnn.so.9", "/etc/alternatives/libcudnn")
    cuda = collect_cuda(tree_machine(tmp_path))
    (lib,) = [lib for lib in cuda.libraries if lib.name == "cudnn"]
    assert lib.path == "/usr/lib/x86_64-linux-gnu/libcudnn.so.9"
    assert lib.version == "9.3.0"


def test_unreadable_and_odd_files_do_not_raise(tmp_path: Path) -> None:
    add_file(tmp_path, "/usr/lib/x86_64-linux-gnu/libcudart.so.12.0.1", "not an elf")
    os.makedirs(tmp_path / "usr/lib/x86_64-linux-gnu/libcublas.so.12")  # a directory with a library's name
    add_link(tmp_path, "/usr/lib/x86_64-linux-gnu/libcufft.so.11", "missing-target")
    add_link(tmp_path, "/usr/lib/x86_64-linux-gnu/libcurand.so.10", "libcurand.so.10")  # a loop
    add_file(tmp_path, "/etc/ld.so.conf", "include /etc/ld.so.conf\n\x00\xff\n")
    cuda = collect_cuda(live_machine(tmp_path))
    assert [lib.path for lib in cuda.libraries] == ["/usr/lib/x86_64-linux-gnu/libcudart.so.12.0.1"]
    assert cuda.libraries[0].soname == "libcudart.so.12"
