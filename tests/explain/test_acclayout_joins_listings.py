"""acclayout (session 35): where a pasted log's lines are joined (a wrap), and what a directory listing's row is.

A join happens only where the line above was cut: a line that opens a record of its own (a command, an assignment, a
prompt, a log record, a listing's row, a path alone) goes on no line above it, unless that line ends inside a token the
next line goes on with. A `dir` row's date, time and size are columns: its file is in the folder listed above it.
"""

from __future__ import annotations

from typing import Any

import pytest

from log_text import codes, facts
from whygpu.explain import explain_text, libpath
from whygpu.explain.catalogue import catalogue
from whygpu.explain.layout import continues, starts_record, wrapped_matches
from whygpu.explain.scan import Matcher

# https://github.com/chainer/chainer/issues/4813 (the error, the user's export, the command run under sudo)
CHAINER_SUDO = """nvrtc: error: failed to open libnvrtc-builtins.so
export LD_LIBRARY_PATH=/usr/local/cuda-9.2/lib64:$LD_LIBRARY_PATH
$ sudo python train.py --gpu 0
"""
# https://github.com/microsoft/onnxruntime-genai/issues/694 (the reporter's error and a row of their `find` output, the
# lines between them left out: a path line right under the failing line)
ORT_FAILED = "ImportError: libcudnn.so.8: cannot open shared object file: No such file or directory"
ORT_FOUND = "/anaconda/envs/azureml_py38/lib/libcudnn.so.8"
# https://github.com/tensorflow/tensorflow/issues/42162 (the loader's failure, then the reporter's `locate` rows)
TF_LOCATE = """2020-08-08 23:41:49.327601: W tensorflow/stream_executor/platform/default/dso_loader.cc:59] Could not load dynamic library 'libcudart.so.10.1'; dlerror: libcudart.so.10.1: cannot open shared object file: No such file or directory
[...]
/usr/local/cuda-11.0/doc/man/man7/libcudart.so.7
/usr/local/cuda-11.0/targets/x86_64-linux/lib/libcudart.so
/usr/local/cuda-11.0/targets/x86_64-linux/lib/libcudart.so.11.0
/usr/local/cuda-11.0/targets/x86_64-linux/lib/libcudart.so.11.0.221
"""
# https://github.com/PaddlePaddle/Paddle/issues/11068 (glog's lines as the reporter pasted them, cut at 62 columns)
PADDLE_CUT = """I0531 03:55:57.941848  2382 Util.cpp:166] commandline:  --use_
gpu=1 --rnn_use_batch=True --trainer_count=8
F0531 03:56:01.989326  2382 DynamicLoader.cpp:104] Check faile
d: nullptr != *dso_handle Failed to find dynamic library: libc
udnn.so (libcudnn.so: cannot open shared object file: No such
file or directory)
Please specify its path correctly using following ways:
Method. set environment variable LD_LIBRARY_PATH on Linux or D
YLD_LIBRARY_PATH on Mac OS.
For instance, issue command: export LD_LIBRARY_PATH=...
"""
# https://github.com/fzyzcjy/torch_memory_saver/pull/11 (a row of `ls -l` in a CUDA lib folder)
LS_ROW = "-rwxrwxr-x 8 mineru mineru   9273 May  4  2024 libnvrtc.so"
# cmd's `dir` in the layout https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/dir documents
# (a date, a time, a size or <DIR>, the name; " Directory of ..." above the rows); folder, dates and sizes chosen here.
DIR_LISTING = """Could not load library cudnn_cnn_infer64_8.dll. Error code 126
C:\\>dir "C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11.2\\bin"
 Volume in drive C has no label.
 Directory of C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11.2\\bin

12/01/2020  10:15 AM    <DIR>          .
12/01/2020  10:15 AM           123,456 cudnn64_8.dll
12/01/2020  10:15 AM       123,456,789 cudnn_cnn_infer64_8.dll
               2 File(s)    123,580,245 bytes
"""
BIN = "C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11.2\\bin"


def _joined(text: str) -> list[str]:
    return [j.signature.id for j in wrapped_matches(text.split("\n"), Matcher(catalogue()))]


def _log_facts(text: str) -> dict[str, Any]:
    """The facts ``whygpu explain`` read from ``text`` after its layout pass (as the report's details show them)."""
    details = explain_text(text).details["log_facts"]
    assert isinstance(details, dict)
    return details


# --- what opens a record of its own ---------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "export LD_LIBRARY_PATH=/usr/local/cuda-9.2/lib64:$LD_LIBRARY_PATH",
    "set CUDA_PATH=C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11.2",
    "CUDA_VISIBLE_DEVICES=0 python train.py",
    "(base) user@host:~$ python train.py",
    "PS C:\\Users\\me> python train.py",
    "sudo python train.py --gpu 0",
    "pip install torch==2.1.0",
    "12/01/2020  10:15 AM           123,456 cudnn64_8.dll",
    ORT_FOUND,
    "C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11.2\\bin\\cudnn64_8.dll",
    "E0531 03:56:01.989326  2382 DynamicLoader.cpp:104] Check failed",
])
def test_a_command_an_assignment_a_prompt_a_row_or_a_path_alone_opens_a_record(line: str) -> None:
    assert starts_record(line)
    assert not continues("nvrtc: error: failed to open libnvrtc-builtins.so", line)


@pytest.mark.parametrize("line", [
    "source was compiled with: 8.1.0.  CuDNN library needs to have matching major version",
    "file or directory)",
    "gpu=1 --rnn_use_batch=True --trainer_count=8",  # a lower-case option's rest, not an environment variable
    "YLD_LIBRARY_PATH on Mac OS.",
    "/usr/lib/x86_64-linux-gnu/libcudnn.so.8: cannot open shared object file",  # a message, not a path alone
    "C:\\Users\\me\\cudnn64_8.dll and copied it",
])
def test_the_rest_of_a_cut_message_opens_none(line: str) -> None:
    assert not starts_record(line)


def test_a_line_cut_inside_a_token_goes_on_whatever_the_rest_looks_like() -> None:
    # "CUDA_VISIBLE_" / "DEVICES=0": the assignment's shape is the cut token's rest.
    assert not starts_record("DEVICES=0 python train.py", "2023-05-01 10:00:00 launching with CUDA_VISIBLE_")
    assert starts_record("DEVICES=0 python train.py", "the launcher printed this")
    assert not starts_record("/usr/local/cuda/lib64", "export LD_LIBRARY_PATH=")


# --- 1. a path line joined with the command under it ----------------------------------------------------------------

def test_a_failing_path_line_is_not_glued_to_the_export_under_it() -> None:
    assert _joined(CHAINER_SUDO) == []
    found = _log_facts(CHAINER_SUDO)
    # The export is read on its own line (before: on line 1, glued as "...libnvrtc-builtins.soexport LD_LIBRARY_PATH=").
    assert [w.rsplit("(", 1)[-1] for w in found["loader_path_set"]] == ["<text>:2)"]
    assert all("soexport" not in e for f in explain_text(CHAINER_SUDO).findings for e in f.evidence)
    assert codes(CHAINER_SUDO)[0] == "CUDA_LIBS_NOT_ON_PATH"


def test_the_fact_readers_joiner_refuses_the_same_lines_at_a_wrap_width() -> None:
    from whygpu.explain.logfacts import _continues

    at_width = "nvrtc: error: failed to open libnvrtc-builtins.so".ljust(79, " ") + "x"  # 80 columns
    assert _continues(at_width, "export LD_LIBRARY_PATH=/usr/local/cuda-9.2/lib64:$LD_LIBRARY_PATH") is None
    # A path cut at 80 columns goes on (the next line is the rest of its token, not a record).
    assert _continues("ImportError: " + "/opt/conda/lib/python3.10/site-packages/nvidia/cudnn/lib/".ljust(67, "x"),
                      "libcudnn.so.8: cannot open shared object file") == ""


def test_a_wrapped_glog_paste_still_reads_as_its_lines() -> None:
    # The real 62-column cut: the pieces still join (a lower-case option's rest, a message's rest), the reading is kept.
    assert "CUDNN_MISSING" in codes(PADDLE_CUT)
    assert facts(PADDLE_CUT).load_failed


# --- 3. the path line under a failing line --------------------------------------------------------------------------

def test_a_path_line_under_a_failing_line_is_a_file_on_disk_not_more_of_the_message() -> None:
    log = f"{ORT_FAILED}\n{ORT_FOUND}\n"
    assert _joined(log) == []
    assert _log_facts(log)["library_files"] == {"libcudnn.so.8": [f"{ORT_FOUND} (<text>:2)"]}
    # The file found where the loader does not look: the path, not a missing library, comes first.
    assert codes(log)[0] == "CUDA_LIBS_NOT_ON_PATH"
    # The failing line alone still says the library could not be loaded (no file shown: not installed comes first).
    assert codes(f"{ORT_FAILED}\n")[0] == "CUDNN_MISSING"


def test_locate_rows_under_a_failure_are_each_a_file() -> None:
    files = _log_facts(TF_LOCATE)["library_files"]
    assert files["libcudart.so.11.0"] == ["/usr/local/cuda-11.0/targets/x86_64-linux/lib/libcudart.so.11.0 (<text>:5)"]
    assert all(len(paths) == 1 and paths[0].count("/usr/local") == 1 for paths in files.values())


# --- 2. a listing's row ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("row", [
    "12/01/2020  10:15 AM           123,456 cudnn64_8.dll",
    "01.12.2020  10:15    <DIR>          bin",
    "-a----         12/1/2020  10:15 AM         123456 cudnn64_8.dll",
    LS_ROW,
])
def test_a_listing_row_is_read_as_one(row: str) -> None:
    assert libpath.listing_row(row)


@pytest.mark.parametrize("line", [
    "2021-03-04 09:12:44.120931: E tensorflow/stream_executor/cuda/cuda_dnn.cc:328] Loaded runtime CuDNN library: 8.0.4",
    "I put cudnn64_8.dll in C:\\tools\\cuda\\bin on 12/01/2020",
    "/usr/local/cuda/lib64/libcudnn.so.8",
])
def test_a_log_record_a_sentence_or_a_path_is_no_listing_row(line: str) -> None:
    assert not libpath.listing_row(line)


def test_a_dir_row_is_a_file_in_the_folder_listed_not_at_its_date() -> None:
    files = facts(DIR_LISTING).library_files
    assert [s.value for s in files["cudnn64_8.dll"]] == [f"{BIN}\\cudnn64_8.dll"]
    assert [s.value for s in files["cudnn_cnn_infer64_8.dll"]] == [f"{BIN}\\cudnn_cnn_infer64_8.dll"]
    title = next(f.title for f in explain_text(DIR_LISTING).findings if f.id == "LOG105")
    assert "12/01/2020" not in title and BIN in title


def test_a_dir_row_without_its_folder_names_no_path() -> None:
    rows = DIR_LISTING.split("\n", 4)[0] + "\n" + DIR_LISTING.split("\n\n", 1)[1]
    assert "Directory of" not in rows
    assert not facts(rows).library_files


def test_powershells_heading_names_the_folder_of_its_rows() -> None:
    log = ("Could not load library cudnn_cnn_infer64_8.dll. Error code 126\n"
           f"    Directory: {BIN}\n\n"
           "Mode                 LastWriteTime         Length Name\n"
           "-a----         12/1/2020  10:15 AM      123456789 cudnn_cnn_infer64_8.dll\n")
    assert [s.value for s in facts(log).library_files["cudnn_cnn_infer64_8.dll"]] == [f"{BIN}\\cudnn_cnn_infer64_8.dll"]


def test_a_date_in_a_sentence_is_no_folder_of_the_file_it_names() -> None:
    said = "On 12/01/2020 I copied cudnn64_8.dll into C:\\tools\\cuda\\bin and it is still there."
    assert [s.value for s in facts(said).library_files["cudnn64_8.dll"]] == ["C:\\tools\\cuda\\bin\\cudnn64_8.dll"]
