"""accshellenv (session 36): two launchers of one machine, CUDA loading in one only (LOG660, explain.launchdiff,
knowledge.launchers.launch_env_cause). Lines are written from each statement's meaning unless a source is given."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain import launchdiff
from whygpu.knowledge.launchers import launch_env_cause, loader_var_row


def test_decision_speaks_only_with_cuda_and_the_same_interpreter() -> None:
    assert launch_env_cause("jupyter", None, cuda_named=True, other_interpreter=False).cause == "CUDA_LIBS_NOT_ON_PATH"
    reading = launch_env_cause(None, "DYLD_LIBRARY_PATH", cuda_named=True, other_interpreter=False)
    assert reading is not None and reading.basis == "var_dropped" and "DYLD_LIBRARY_PATH" in reading.decides
    assert launch_env_cause("jupyter", None, cuda_named=False, other_interpreter=False) is None
    assert launch_env_cause("jupyter", None, cuda_named=True, other_interpreter=True) is None
    assert launch_env_cause(None, None, cuda_named=True, other_interpreter=False) is None
    assert loader_var_row("LD_LIBRARY_PATH") is not None and loader_var_row("NOPE") is None


def test_var_dropped_reads_a_launcher_that_does_not_get_the_variable() -> None:
    # https://github.com/apache/mxnet/issues/411
    found = launchdiff.var_dropped("The current Anaconda Python on Mac OS X is eating the `DYLD_LIBRARY_PATH` environment variable when calling `ipython`.")
    assert found is not None and found[0] == "DYLD_LIBRARY_PATH"
    assert launchdiff.var_dropped("After the hub started, the spawned kernel knows no LD_LIBRARY_PATH at all.") is not None
    # Advice, a shell's own unset variable, and no launcher: not read.
    assert launchdiff.var_dropped("Make sure LD_LIBRARY_PATH is not set to an old CUDA in the kernel.") is None
    assert launchdiff.var_dropped("My LD_LIBRARY_PATH was not set, so I exported it in bash.") is None


def test_python_works_ipython_fails_on_macos_fires() -> None:
    log = ("Plain python loads everything: running it from python works fine and opens the CUDA libraries.\n"
           "But running from ipython gives ImportError: Library not loaded: @rpath/libcudart.8.0.dylib\n")
    assert [s.value for s in facts(log).stated_launch_env] == ["ipython-app"]
    assert first_cause(log) == "CUDA_LIBS_NOT_ON_PATH"
    assert "LOG660" in finding_codes(log)


def test_shell_works_notebook_sees_older_cuda_fires() -> None:
    log = ("I export PATH and LD_LIBRARY_PATH to /usr/local/cuda-11.8 in .profile, so in the shell I correctly load nvcc 11.8 and torch finds it.\n"
           "But when I start the notebook the kernel reports a different older version of CUDA.\n")
    assert first_cause(log) == "CUDA_LIBS_NOT_ON_PATH"


def test_statement_across_a_block_of_output_fires() -> None:
    log = ("Everything imports correctly in both python and ipython on this box:\n"
           ">>> import tensorflow\n"
           "I tensorflow/stream_executor/dso_loader.cc:128] successfully opened CUDA library libcublas.dylib locally\n"
           "I tensorflow/stream_executor/dso_loader.cc:128] successfully opened CUDA library libcudnn.dylib locally\n"
           ">>>\n"
           "Yet I am unable to import tensorflow in the Jupyter console started from the same account.\n")
    assert [s.value for s in facts(log).stated_launch_env] == ["jupyter"]
    assert first_cause(log) == "CUDA_LIBS_NOT_ON_PATH"


def test_dropped_variable_without_cuda_is_quiet() -> None:
    # A launcher that drops the variable for another library is no GPU matter.
    log = "IPython removes the DYLD_LIBRARY_PATH environment variable, so my solver's libsolve.dylib is not found in the ipython console.\n"
    assert facts(log).launch_var_dropped
    assert "LOG660" not in finding_codes(log)
    assert "CUDA_LIBS_NOT_ON_PATH" not in codes(log)


def test_other_interpreter_is_quiet() -> None:
    # The IDE runs another interpreter: the module is not there at all (not a search path), whatever CUDA the title names.
    log = ("tensorflow-gpu with CUDA 11.2 works in the terminal but not in Spyder:\n"
           "ModuleNotFoundError: No module named 'tensorflow'\n")
    assert facts(log).stated_launch_env and facts(log).launch_other_interpreter
    assert "LOG660" not in finding_codes(log)


def test_try_as_advice_stays_quiet_but_i_try_is_the_writers_account() -> None:
    advice = "Try running it from the terminal, it works there for most people, but not in PyCharm with CUDA 12.\n"
    assert not facts(advice).stated_launch_env
    told = ("When I try to import torch in python it works fine with CUDA 12.\n"
            "But in PyCharm it fails with libcudart.so.12: cannot open shared object file.\n")
    assert [s.value for s in facts(told).stated_launch_env] == ["jetbrains-ide"]


def test_both_launchers_failing_is_quiet() -> None:
    log = ("In the terminal I get the same error as in the notebook: libcudnn.so.8: cannot open shared object file.\n")
    assert not facts(log).stated_launch_env
    assert "LOG660" not in finding_codes(log)
