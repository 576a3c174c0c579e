"""accwin39 (session 39): a framework whose Windows wheel ships no CUDA DLL failing to load one by name (LOG800,
knowledge.loader_search.unshipped_dll_cause over [[framework_dll_folder]] ships_cuda), and the two Windows DLL signatures
read in the house's quote forms (explain.scan.normalise, then the pattern)."""

from __future__ import annotations

from pathlib import Path

import tomllib
from tests.log_text import finding_codes, first_cause

from whygpu import lazyre as re
from whygpu.explain.scan import normalise
from whygpu.knowledge.loader_search import unshipped_dll_cause, windows_load_cause

# https://github.com/PaddlePaddle/Paddle/issues/34566 (a Paddle member: cuDNN must be installed into the CUDA folder)
PADDLE_CUDNN = ("RuntimeError: (PreconditionNotMet) The third-party dynamic library (cudnn64_7.dll) that Paddle depends on is not "
                "configured correctly. (error code is 126)\n"
                "  - Windows: set PATH by `set PATH=XXX; (at C:\\home\\workspace\\Paddle_release2\\paddle\\fluid\\platform\\dynload\\dynamic_loader.cc:265)\n")
# https://github.com/PaddlePaddle/PaddleOCR/issues/9913: the same line beside CUDA 11.3 and cuDNN 8.9.1 installed (a mismatch)
PADDLE_WITH_INSTALLED = ("CUDA：11.3\nCUDNN：8.9.1\npaddlepaddle-gpu：2.4.2\n"
                         "RuntimeError: (PreconditionNotMet) The third-party dynamic library (cudnn64_7.dll) that Paddle depends on is not "
                         "configured correctly. (error code is 126)\n")
# https://github.com/YaoFANGUK/video-subtitle-extractor/issues/45: the DLL shown on disk (a folder off the search path)
PADDLE_FILE_SHOWN = ("RuntimeError: (PreconditionNotMet) The third-party dynamic library (cudnn64_8.dll) that Paddle depends on is not "
                     "configured correctly. (error code is 126)\n"
                     'I can also find the cudnn64_8.dll in the "vse\\opt\\CUDA" folder.\n')
# https://github.com/pytorch/pytorch/issues/131662: a notebook's JSON (escaped quotes, doubled backslashes)
TORCH_JSON = ('\t"message": "[WinError 126] The specified module could not be found. Error loading \\"c:\\\\Users\\\\Noor\\\\anaconda3'
              '\\\\envs\\\\DL\\\\Lib\\\\site-packages\\\\torch\\\\lib\\\\fbgemm.dll\\" or one of its dependencies.",')
# https://github.com/Comfy-Org/ComfyUI/issues/7943, the line as pasted and in single quotes
SHM = 'Error loading "E:\\Comfyui\\ComfyUI_windows_portable\\python_embeded\\Lib\\site-packages\\torch\\lib\\shm.dll" or one of its dependencies.'
# https://github.com/oobabooga/textgen/issues/5071 (a cuDNN DLL of torch\lib)
CUDNN_LINE = ('OSError: [WinError 126] The specified module could not be found. Error loading "E:\\oobabooga\\text-generation-webui-main\\'
              'installer_files\\env\\Lib\\site-packages\\torch\\lib\\cudnn_cnn_infer64_8.dll" or one of its dependencies.')


def _pattern(sid: str) -> re.Pattern[str]:
    path = Path(__file__).resolve().parents[2] / "src" / "whygpu" / "explain" / "signatures.toml"
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["signature"]
    return re.compile(next(r["pattern"] for r in rows if r["id"] == sid))


def test_paddle_cudnn_with_nothing_installed_is_missing() -> None:
    assert first_cause(PADDLE_CUDNN) == "CUDNN_MISSING"
    assert "LOG800" in finding_codes(PADDLE_CUDNN)


def test_paddle_with_an_installed_release_stays_a_mismatch() -> None:
    assert "LOG800" not in finding_codes(PADDLE_WITH_INSTALLED)
    assert first_cause(PADDLE_WITH_INSTALLED) == "CUDNN_MISMATCH"


def test_paddle_with_the_file_shown_is_not_missing() -> None:
    assert "LOG800" not in finding_codes(PADDLE_FILE_SHOWN)
    assert first_cause(PADDLE_FILE_SHOWN) == "CUDA_LIBS_NOT_ON_PATH"


def test_the_decision_reads_the_rows() -> None:
    reading = unshipped_dll_cause("LOG-PADDLE-DSO-NOT-CONFIGURED", ("cublas64_102.dll", "cublas64_10.dll"), installed_shown=False)
    assert reading is not None and reading.cause == "CUDA_LIBS_MISSING" and reading.package == "paddle"
    assert unshipped_dll_cause("LOG-PADDLE-DSO-NOT-CONFIGURED", ("cudnn64_7.dll",), installed_shown=True) is None
    # torch ships its DLLs: its signatures are no row's load_signatures
    assert unshipped_dll_cause("LOG-DLL-ERROR-LOADING", ("cudnn_cnn_infer64_8.dll",), installed_shown=False) is None


def test_other_frameworks_folders_own_their_dlls() -> None:
    ort = "C:\\venv\\lib\\site-packages\\onnxruntime\\capi\\onnxruntime_providers_cuda.dll"
    reading = windows_load_cause(127, ort)
    assert reading is not None and reading.owner == "onnxruntime" and reading.cuda
    assert windows_load_cause(126, ort) is None  # a CUDA provider refused with 126: its CUDA DLLs, left to the library readings
    paddle = windows_load_cause(193, "C:\\py\\Lib\\site-packages\\paddle\\base\\libpaddle.pyd")
    assert paddle is not None and paddle.owner == "paddle" and paddle.cause == "FRAMEWORK_INSTALL_BROKEN"


def test_torch_own_dll_signature_reads_json_escapes() -> None:
    pattern = _pattern("LOG-PT-WIN-DLL-LOAD")
    m = pattern.search(normalise(TORCH_JSON))
    assert m is not None and m["file"] == "fbgemm.dll"


def test_torch_own_dll_signature_reads_single_and_curly_quotes() -> None:
    pattern = _pattern("LOG-PT-WIN-DLL-LOAD")
    for text in (SHM, SHM.replace('"', "'"), SHM.replace('"', "\u201c", 1).replace('"', "\u201d")):
        m = pattern.search(normalise(text))
        assert m is not None and m["file"] == "shm.dll", text
    assert first_cause(SHM.replace('"', "'")) == "FRAMEWORK_INSTALL_BROKEN"


def test_cuda_dll_signature_reads_single_quotes() -> None:
    pattern = _pattern("LOG-DLL-ERROR-LOADING")
    for text in (CUDNN_LINE, CUDNN_LINE.replace('"', "'")):
        m = pattern.search(normalise(text))
        assert m is not None and m["library"].endswith("cudnn_cnn_infer64_8.dll"), text
    assert first_cause(CUDNN_LINE.replace('"', "'")) is not None


def test_signatures_stay_quiet_on_other_lines() -> None:
    for sid in ("LOG-PT-WIN-DLL-LOAD", "LOG-DLL-ERROR-LOADING"):
        pattern = _pattern(sid)
        assert pattern.search("Error loading 'config.yaml' or one of its dependencies") is None
        assert pattern.search('Error loading "C:\\venv\\Lib\\site-packages\\torchaudio\\lib\\libtorchaudio.pyd" or one of its dependencies') is None


# --- the Microsoft Store's Python: a packaged app's DLL search has no PATH (LOG801) ---------------------------------------

# https://github.com/tensorflow/tensorflow/issues/61437 (the issue template's Python version and CUDA, then TensorFlow's line)
STORE_TF = ("### Python version\n\n3.10(Microsoft Store)\n\n### CUDA/cuDNN version\n\nCuda: 11.2\n\n"
            "2023-07-31 18:56:25.098058: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library "
            "'cudart64_110.dll'; dlerror: cudart64_110.dll not found\n")
# https://github.com/pytorch/pytorch/issues/112955 (a Store Python's package path)
STORE_PATH = ("C:\\Users\\flydog\\AppData\\Local\\Packages\\PythonSoftwareFoundation.Python.3.11_qbz5n2kfra8p0\\LocalCache\\local-packages"
              "\\Python311\\site-packages\n")


def test_store_python_reads_the_distribution() -> None:
    from tests.log_text import facts

    assert [s.value for s in facts(STORE_PATH).python_dist] == ["microsoft-store"]
    assert [s.value for s in facts("pip install --store-true\nI restored the backup").python_dist] == []


def test_store_python_with_the_release_installed_is_off_the_search() -> None:
    assert first_cause(STORE_TF) == "CUDA_LIBS_NOT_ON_PATH"
    assert "LOG801" in finding_codes(STORE_TF)


def test_store_python_without_a_release_that_ships_it_is_not_decided() -> None:
    other = STORE_TF.replace("Cuda: 11.2", "Cuda: 12.4")
    assert "LOG801" not in finding_codes(other)
    plain = STORE_TF.replace("3.10(Microsoft Store)", "3.10")
    assert "LOG801" not in finding_codes(plain)


def test_embeddable_python_searches_path() -> None:
    # https://github.com/Comfy-Org/ComfyUI/issues/3687: ComfyUI portable's python_embeded is an ordinary process
    text = ('  File "D:\\ComfyUI_windows_portable_nightly_pytorch\\python_embeded\\Lib\\site-packages\\torch\\__init__.py", line 144, in <module>\n'
            "Cuda: 11.2\nCould not load dynamic library 'cudart64_110.dll'; dlerror: cudart64_110.dll not found\n")
    from tests.log_text import facts

    assert [s.value for s in facts(text).python_dist] == ["embeddable"]
    assert "LOG801" not in finding_codes(text)


# --- a wheel said shipped without its DLLs (LOG802) -------------------------------------------------------------------------

# https://github.com/pytorch/pytorch/issues/29356 (a maintainer confirmed the CUDA 10.1 DLLs were not copied into 1.3.0's wheel)
WHEEL_LACKS = ("cublas64_100.dll, cusparse64_100.dll and a few others are missing from torch-1.3.0-cp37-cp37m-win_amd64.whl but were "
               "included in torch-1.2.0-cp37-cp37m-win_amd64.whl\n\n"
               "1. `pip3 install torch===1.3.0 torchvision===0.4.1 -f https://download.pytorch.org/whl/torch_stable.html`\n"
               "1. don't install cuda toolkit separately\n1. `import torch`\n"
               "1. observe `ImportError: DLL load failed: The specified module could not be found`\n")


def test_wheel_said_without_cuda_dlls_is_missing() -> None:
    assert first_cause(WHEEL_LACKS) == "CUDA_LIBS_MISSING"
    assert "LOG802" in finding_codes(WHEEL_LACKS)
    title = next(c.title for c in __import__("tests.log_text", fromlist=["report"]).report(WHEEL_LACKS).causes)
    assert "torch 1.3.0" in title and "cublas64_100.dll" in title


def test_wheel_lacks_quiet_for_questions_and_folders() -> None:
    for text in ("Is cudnn64_8.dll missing from the wheel?\n", "cudnn64_8.dll is missing from C:\\tools\n",
                 "the wheel does not include msvcp140.dll\n"):
        assert "LOG802" not in finding_codes(text), text
