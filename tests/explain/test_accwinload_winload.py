"""accwinload (session 38): what Windows' DLL loader said (explain.winload), judged by
knowledge.loader_search.windows_load_cause (LOG790, LOG791)."""

from __future__ import annotations

from tests.log_text import facts, finding_codes, first_cause

from whygpu.knowledge.loader_search import windows_load_cause

# https://github.com/prophesier/diff-svc/issues/24
COMMIT = ('OSError: [WinError 1455] The paging file is too small for this operation to complete. Error loading '
          '"C:\\Users\\phill\\AppData\\Local\\Programs\\Python\\Python310\\lib\\site-packages\\torch\\lib\\cudnn_adv_infer64_8.dll" '
          'or one of its dependencies.')
# https://github.com/thu-ml/tianshou/issues/297 (the code on the line before the path)
COMMIT_TWO_LINES = ('OSError: [WinError 1455] The paging file is too small for this operation to complete\n'
                    'Error loading "E:\\Anaconda\\envs\\Python37\\lib\\site-packages\\torch\\lib\\cudnn_cnn_train64_8.dll" or one of its dependencies.')
# https://github.com/pytorch/pytorch/issues/133076
OWN_126 = ('OSError: [WinError 126] The specified module could not be found. Error loading '
           '"C:\\Users\\DELL\\Downloads\\SPORTS\\anaconda\\Lib\\site-packages\\torch\\lib\\fbgemm.dll" or one of its dependencies.')
# the same line as a notebook's JSON repr gives it (escaped quotes and backslashes)
OWN_126_ESCAPED = ('"message": "[WinError 126] The specified module could not be found. Error loading '
                   '\\"c:\\\\Users\\\\Noor\\\\anaconda3\\\\envs\\\\DL\\\\Lib\\\\site-packages\\\\torch\\\\lib\\\\fbgemm.dll\\" or one of its dependencies."')
# https://github.com/666ghj/BettaFish/issues/430 (the system's words in Chinese: the code is read)
OWN_1114 = ('OSError: [WinError 1114] 动态链接库(DLL)初始化例程失败。 Error loading '
            '"C:\\Program Files\\Python311\\Lib\\site-packages\\torch\\lib\\c10.dll" or one of its dependencies.')
# https://github.com/githubcto/FramePack-ZLUDA/issues/5: a CUDA DLL of torch\lib refused with 126 (not decided here)
CUDA_126 = ('OSError: [WinError 126] The specified module could not be found. Error loading '
            '"D:\\FramePack-ZLUDA\\venv\\lib\\site-packages\\torch\\lib\\cudnn64_9.dll" or one of its dependencies.')


def test_commit_limit_is_host_memory() -> None:
    assert first_cause(COMMIT) == "GPU_BUSY"
    assert "LOG790" in finding_codes(COMMIT)


def test_commit_limit_code_on_the_line_before() -> None:
    seen = facts(COMMIT_TWO_LINES).win_load
    assert [(s.value.code, s.value.path.split("\\")[-1]) for s in seen] == [(1455, "cudnn_cnn_train64_8.dll")]
    assert first_cause(COMMIT_TWO_LINES) == "GPU_BUSY"


def test_commit_limit_without_a_dll_is_not_read() -> None:
    text = "OSError: [WinError 1455] The paging file is too small for this operation to complete"
    assert facts(text).win_load == []
    assert "LOG790" not in finding_codes(text)


def test_framework_own_dll_refused_is_its_install() -> None:
    for text in (OWN_126, OWN_126_ESCAPED, OWN_1114):
        assert first_cause(text) == "FRAMEWORK_INSTALL_BROKEN", text
        assert "LOG791" in finding_codes(text)


def test_cuda_dll_with_126_stays_ranked() -> None:
    assert "LOG791" not in finding_codes(CUDA_126)
    assert "LOG790" not in finding_codes(CUDA_126)


def test_dll_outside_a_framework_folder_is_not_decided() -> None:
    text = 'OSError: [WinError 126] The specified module could not be found. Error loading "C:\\tools\\foo\\bar.dll" or one of its dependencies.'
    assert windows_load_cause(126, "C:\\tools\\foo\\bar.dll") is None
    assert not {"LOG790", "LOG791"} & finding_codes(text)


def test_decision_rows() -> None:
    bad = windows_load_cause(193, "D:\\P\\Lib\\site-packages\\torch\\lib\\cublas64_12.dll")
    assert bad is not None and bad.cause == "FRAMEWORK_INSTALL_BROKEN" and bad.cuda
    assert windows_load_cause(126, "D:\\P\\Lib\\site-packages\\torch\\lib\\cudnn64_9.dll") is None
    assert windows_load_cause(999, "D:\\P\\Lib\\site-packages\\torch\\lib\\c10.dll") is None
