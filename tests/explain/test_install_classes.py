"""FRAMEWORK_CPU_BUILD and FRAMEWORK_INSTALL_BROKEN classes (session 17, acc8c): each reading fires on lines that mean it and stays quiet on near misses.

The lines are written from what each program prints or installs (PyTorch's C++ extensions, conda's
package tables and plans, poetry's and pip's install lines), not copied from a corpus case.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, to_report


def _causes(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(c.code, tuple(c.findings)) for c in to_report(explain_text(text)).causes]


def _codes(text: str) -> list[str]:
    return [code for code, _ in _causes(text)]


# --- a compiled extension built against another torch ------------------------------------------


@pytest.mark.parametrize("symbol", [
    "_ZN3c1017RegisterOperatorsD1Ev",           # c10::RegisterOperators::~RegisterOperators()
    "_ZNK2at10TensorBase8data_ptrIfEEPT_v",     # at::TensorBase::data_ptr<float>() const
    "_ZN5torch3jit17parseSchemaOrNameERKSs",    # torch::jit, old std::string ABI
    "_ZTIN3c1021AutogradMetaInterfaceE",        # typeinfo for c10::AutogradMetaInterface
])
def test_an_extension_missing_a_torch_symbol_is_a_broken_install(symbol: str) -> None:
    line = f"ImportError: /opt/venv/lib/python3.11/site-packages/my_ops/_C.cpython-311-x86_64-linux-gnu.so: undefined symbol: {symbol}\n"
    causes = _causes(line)
    assert causes[0] == ("FRAMEWORK_INSTALL_BROKEN", ("LOG-PT-EXT-TORCH-ABI",))


@pytest.mark.parametrize("line", [
    # A CUDA library's own C symbol: another class (the CUDA libraries), not torch's C++ API.
    "ImportError: /usr/lib/python3/dist-packages/torch/lib/libtorch_cuda.so: undefined symbol: cublasLtGetStatusString, version libcublasLt.so.11",
    # A symbol of another C++ library (std::, boost::) is not PyTorch's.
    "ImportError: /opt/app/_ext.cpython-310-x86_64-linux-gnu.so: undefined symbol: _ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE",
    "ImportError: /opt/app/_ext.so: undefined symbol: _ZN5boost6system16generic_categoryEv",
    # A user's sentence naming the namespace without the loader's message.
    "the undefined symbol is somewhere in at:: or c10:: I think",
])
def test_other_undefined_symbols_are_not_the_torch_extension_class(line: str) -> None:
    assert all("LOG-PT-EXT-TORCH-ABI" not in findings for _, findings in _causes(line + "\n"))


def test_torchs_own_library_keeps_the_framework_reading() -> None:
    line = "ImportError: /env/lib/python3.8/site-packages/torch/lib/libtorch_python.so: undefined symbol: _ZN3c104impl8GPUTrace13gpuTraceStateE\n"
    assert _causes(line)[0][1] == ("LOG-UNDEFINED-SYMBOL-FRAMEWORK",)
