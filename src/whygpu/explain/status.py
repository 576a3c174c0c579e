"""Reads the GPU stack's status code a log line prints: by its name, its library's text for it, or its number with the library named.

The codes and what each means are knowledge (``knowledge/gpu_status.toml``); this module only finds
which code a line shows and whether the line prints it (a message) or merely mentions it (code that
compares against it, a header that defines it, documentation that lists it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from whygpu import lazyre as re
from whygpu.knowledge import gpu_status
from whygpu.knowledge.gpu_status import CUDA_LIBRARIES, GpuStatus


@dataclass(frozen=True)
class StatusReading:
    """The status code a line shows and how it showed it (``name``, ``text`` or ``number``)."""

    status: GpuStatus
    form: str


# Before a name: code that compares against it or branches on it, a C++ scope or a Doxygen reference.
# A module or class qualifier may stand between (``== enums.CUDA_ERROR_NO_DEVICE``, ``except cudart.cudaError_t.X``).
_CODE_BEFORE = re.compile(r"(?:==|!=|\bcase|\bexcept|\breturn|\bif|\belif|\bwhile|\bassert|::|#\s*define)\s*\(?\s*(?:[A-Za-z_]\w*\.)*$")
# After a name: an enum definition or a comparison (``cudaErrorNoDevice = 100,``, ``CUDA_ERROR_X) {``).
_CODE_AFTER = re.compile(r"^\s*(?:=(?!=)\s*-?(?:0x)?[0-9]|==|!=|\)\s*(?:\{|:\s*$|&&|\|\|))")
# After "NAME:": the documentation's sentence about the code, not the library's text for it.
_DOC_AFTER = re.compile(r"^\s*:\s*(?:This (?:error )?indicates|Indicates|The API call|This status)", re.I)
# Two names one after the other in a list (a function's documented return values, a table).
_LIST_GAP = re.compile(r"^\s*(?:,|\||/|or|and)\s*$")

# A library's text after words that name the library (the text is then that library's, not any program's).
# NVIDIA's Go bindings (nvidia-docker 1.x, the device plugin, DCGM exporter) print "nvml: <text>"
# (errorString in https://github.com/NVIDIA/gpu-monitoring-tools/blob/master/bindings/go/nvml/bindings.go).
_NVML_FORMS = r"(?:Failed to initialize NVML|NVML error|NVMLError(?:_[A-Za-z]+)?|nvml[A-Za-z0-9_]*(?:\(\))? failed|(?<![\w.])nvml)"
_NVML_PREFIX = re.compile(_NVML_FORMS + r"\s*:\s*")
# THC's and Caffe's check macros print cudaGetErrorString's text after the number ("cuda runtime error (30) :
# unknown error"): the text is the runtime's own, so even its generic words name the code, and they name it
# whichever release's numbering the number is in (CUDA 10.1 renumbered the runtime's codes).
# PyTorch's THCudaCheck printed the same text as "THCudaCheck FAIL file=F line=N error=30 : unknown error"
# (THCGeneral.cpp, PyTorch <= 1.x: https://github.com/pytorch/pytorch/blob/v1.4.0/aten/src/THC/THCGeneral.cpp).
_RUNTIME_PREFIX = re.compile(r"(?:cuda runtime error \(\d+\)|THCudaCheck FAIL file=\S+ line=\d+ error=\d+)\s*:\s*", re.I)
# accstatus (session 24): other programs' check macros that print cudaGetErrorString's (or cuGetErrorString's, the same
# texts since CUDA 10.1) text after words of their own, so that the text is the library's whatever it says:
#   Caffe's CUDA_CHECK: "Check failed: error == cudaSuccess (30 vs. 0)  unknown error"
#     (CHECK_EQ(error, cudaSuccess) << " " << cudaGetErrorString(error); include/caffe/util/device_alternate.hpp,
#     https://github.com/BVLC/caffe/blob/master/include/caffe/util/device_alternate.hpp)
#   MXNet's CUDA_CALL: "Check failed: e == cudaSuccess || e == cudaErrorCudartUnloading CUDA: unknown error"
#     (<< "CUDA: " << cudaGetErrorString(e); https://github.com/apache/mxnet/blob/v1.9.x/include/mxnet/base.h)
#   Paddle's PADDLE_ENFORCE_GPU_SUCCESS: "CUDA error(35), CUDA driver version is insufficient ..." ("Cuda error(N), "
#     in 1.x; build_nvidia_error_msg, https://github.com/PaddlePaddle/Paddle/blob/develop/paddle/phi/core/enforce.h)
#   ONNX Runtime's CUDA_CALL: "CUDA failure 100: no CUDA-capable device is detected ; GPU=0 ; hostname=..."
#     (CudaCall's libName << " failure " << code << ": " << text; onnxruntime/core/providers/cuda/cuda_call.cc,
#     https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/core/providers/cuda/cuda_call.cc)
#   the common CUDA_CHECK of llama.cpp before 2024 and of many samples: "CUDA error 35 at ggml-cuda.cu:5765: <text>"
#     (fprintf(stderr, "CUDA error %d at %s:%d: %s\n", ...); https://github.com/ggml-org/llama.cpp/blob/b1500/ggml-cuda.cu)
#   llama.cpp's probe: "ggml_cuda_init: failed to initialize CUDA: <text>" (ggml/src/ggml-cuda/ggml-cuda.cu,
#     https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-cuda/ggml-cuda.cu)
#   darknet's check_error (pjreddie's and AlexeyAB's): "CUDA Error: <text>", "CUDA Error Prev: <text>", capital E
#     (src/cuda.c, https://github.com/pjreddie/darknet/blob/master/src/cuda.c); PyTorch's "CUDA error: " (small e)
#     is read by its own signature.
_PROGRAM_PREFIX = re.compile(
    r"(?:Check failed: error == cudaSuccess \(\d+ vs\. 0\)"
    r"|Check failed: e == cudaSuccess(?: \|\| e == cudaErrorCudartUnloading)?\)? CUDA:"
    r"|(?i:CUDA error)\(\d+\),"
    r"|CUDA failure \d+:"
    r"|CUDA error \d+ at \S+:\d+:"
    r"|ggml_cuda_init: failed to initialize CUDA:"
    r"|CUDA Error(?: Prev)?:)\s*")
# A number with the library named before it, and the table it is read in.
_NUMBERS = (
    (re.compile(r"cuda runtime error \((\d+)\)", re.I), ("runtime",)),
    (re.compile(r"CUDA driver (?:API )?error(?: code)?:? ?(\d+)\b", re.I), ("driver",)),
    (re.compile(r"CUDA runtime (?:API )?error(?: code)?:? ?(\d+)\b", re.I), ("runtime",)),
    (re.compile(r"\bcuda[A-Z][A-Za-z]* (?:returned|failed with)(?: error)?(?: code)?:? ?(\d+)\b"), ("runtime",)),
    # accjet (session 31): the same return said in prose with the word error after it ("cudaGetDeviceCount return 35 error");
    # "returns N" alone is how a count is said ("cudaGetDeviceCount returns 1"), so the word error is required.
    (re.compile(r"\bcuda[A-Z][A-Za-z]* returns? (\d+) error\b"), ("runtime",)),
    (re.compile(r"\bcu(?:Init|Device[A-Za-z]*)(?:\(\d*\))? (?:returned|failed with)(?: error)?(?: code)?:? ?(\d+)\b"), ("driver",)),
    (re.compile(r"\bCUDA (?:error|failure)(?: code)?:? ?\(?(\d+)\b", re.I), ("runtime", "driver")),
    # accbusy (session 26): glog's CHECK_EQ with the library's success code on one side prints both values after the
    # expression, the success code's 0 on its side: "Check failed: CUDA_SUCCESS == dynload::cuCtxSetCurrent(context) (0 vs.
    # 216)" (TensorFlow's StreamExecutor before 1.0, cuda_driver.cc), "Check failed: cudaSuccess == cudaSetDevice(d) (0 vs.
    # 46)" (the CHECK_EQ(a, b) form prints "Check failed: a == b (va vs. vb)", https://github.com/google/glog). The success
    # code names the table: CUDA_SUCCESS the driver's, cudaSuccess the runtime's.
    (re.compile(r"Check failed: CUDA_SUCCESS == \S[^\n]*?\(0 vs\. (\d+)\)|Check failed: \S[^\n]*? == CUDA_SUCCESS \((\d+) vs\. 0\)"), ("driver",)),
    (re.compile(r"Check failed: cudaSuccess == \S[^\n]*?\(0 vs\. (\d+)\)|Check failed: (?!error == )\S[^\n]*? == cudaSuccess \((\d+) vs\. 0\)"), ("runtime",)),
    # NVML named before the number: ollama's probes ("nvmlInit_v2 err: 9", "nvml vram init failure: 9", gpu/gpu_info_nvml.c,
    # https://github.com/ollama/ollama/blob/v0.3.0/gpu/gpu_info_nvml.c), "nvmlInit() returned 9", "NVML error 9".
    (re.compile(r"\bnvml[A-Za-z0-9_]*(?:\(\))? (?:returned|failed with|err:|error:?|(?:vram )?init failure:)(?: nvml error)?(?: error)?(?: code)?:? ?(\d+)\b", re.I), ("nvml",)),
    # accceiling (session 26): PaddlePaddle 1.x's check of a runtime call names the call, then the number, then the
    # runtime's code page: "cudaGetDeviceCount failed in paddle::platform::GetCUDADeviceCountImpl, error code : 35, Please
    # see detail in https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART__TYPES.html..." (PADDLE_ENFORCE(error_code,
    # "<call> failed in paddle::platform::<fn>, error code : %d, %s", error_code, CudaErrorWebsite()), paddle/fluid/platform/
    # gpu_info.cc, https://github.com/PaddlePaddle/Paddle/blob/v1.6.3/paddle/fluid/platform/gpu_info.cc). Paddle 1.x was built
    # with CUDA 8 to 10.1, so the number is read alone (the runtime renumbered its codes in 10.1).
    (re.compile(r"\bcuda[A-Z][A-Za-z]* failed in [\w:]+(?: \([^)]*\))?,? error code ?: ?(\d+)\b"), ("runtime",)),
    # numba's driver wrapper raises CudaAPIError(code, "Call to <fn> results in <name>") and prints it "[code] message"
    # (numba/cuda/cudadrv/driver.py, _check_ctypes_error and CudaAPIError.__str__,
    # https://github.com/numba/numba/blob/0.56.4/numba/cuda/cudadrv/driver.py); a code its enum lacks is named
    # "UNKNOWN_CUDA_ERROR", so the number (a CUresult, the driver's table) is what says which.
    (re.compile(r"\bCudaAPIError: \[(\d+)\]|\[(\d+)\] Call to cu[A-Za-z0-9_]+ results in\b"), ("driver",)),
)
# A number after the library's own enum type ("CUresult 100", "cudaError_t 35", "cudaError 35", "nvmlReturn_t = 9"): the
# type names the table (knowledge/gpu_status.toml's [[library]] enum; a type two tables share, cuDNN's, names neither).
_ENUM_NUMBER = re.compile(r"\b(cudaError(?:_t)?|CUresult|nvmlReturn_t|cublasStatus_t|cusparseStatus_t|cusolverStatus_t|cufftResult)"
                          r"(?: code)?\s*(?:[:=(]\s*)?(\d+)\b")


def mentions_in_code(text: str, start: int, end: int) -> bool:
    """True when the name at ``text[start:end]`` is code or documentation about the code, not a message printing it."""
    before, after = text[:start], text[end:]
    return bool(_CODE_BEFORE.search(before) or _CODE_AFTER.match(after) or _DOC_AFTER.match(after))


def _printed_names(text: str) -> list[GpuStatus]:
    found = gpu_status.names_in(text)
    if len(found) > 1 and any(_LIST_GAP.match(text[a[2]:b[1]]) for a, b in pairwise(found)):
        # A list of codes is documentation (or a table of them), never one call's outcome.
        return []
    return [status for status, start, end in found if not mentions_in_code(text, start, end)]


def _text_after(text: str, prefix: re.Pattern[str], library: str) -> GpuStatus | None:
    """The code of ``library`` whose text follows the words that name the library (``prefix``), generic words included, or None."""
    named = prefix.search(text)
    return None if named is None else gpu_status.status_by_text(text[named.end():], (library,), distinctive=False)


def read_status(text: str, *, number: str | None = None, api: str | None = None) -> StatusReading | None:
    """The status code ``text`` prints: its name first, else its library's text, else ``number`` (or a number the line gives with the library named).

    A success code is passed over; a code that means nothing for using the GPU is still returned
    (its ``status.cause`` is None) so that the line stays quiet rather than read another way.
    """
    for named in _printed_names(text):
        if named.number != 0:
            return StatusReading(named, "name")
    if (nvml_text := _text_after(text, _NVML_PREFIX, "nvml")) is not None:
        return StatusReading(nvml_text, "text")
    cuda_text = gpu_status.status_by_text(text, CUDA_LIBRARIES)
    if cuda_text is not None:
        return StatusReading(cuda_text, "text")
    if (runtime_text := _text_after(text, _RUNTIME_PREFIX, "runtime")) is not None:
        return StatusReading(runtime_text, "text")
    if (program_text := _text_after(text, _PROGRAM_PREFIX, "runtime")) is not None:
        return StatusReading(program_text, "text")
    if number is not None:
        tables = (api,) if api else ("driver", "runtime")
        for table in tables:
            found = gpu_status.status_by_number(table, int(number))
            if found is not None:
                return StatusReading(found, "number")
        return None
    numbered = [(pattern.search(text), tables) for pattern, tables in _NUMBERS]
    if (typed := _ENUM_NUMBER.search(text)) is not None:
        numbered.append((typed, (_enum_library(typed.group(1)),)))
    for m, tables in numbered:
        if m is None:
            continue
        for table in tables:
            found = gpu_status.status_by_number(table, int(m.group(m.lastindex or 1)), alone=True)
            # A number alone is read as its code only where the code is distinctive (``by_text``):
            # "CUDA error 999" says no more than "unknown error" does.
            if found is not None:
                return StatusReading(found, "number") if found.by_text else None
        return None
    return None


def _enum_library(enum: str) -> str:
    """The table whose enum type ``enum`` is (``cudaError`` for ``cudaError_t``), from knowledge/gpu_status.toml."""
    spelled = enum if enum.endswith(("_t", "CUresult", "Result")) else enum + "_t"
    return next((key for key, table in gpu_status.libraries().items() if table.enum == spelled), "")


def _literal(text: str) -> str:
    """``text`` as a regular expression that RE2, Hyperscan and POSIX ERE read alike, its first letter in either case."""
    escaped = re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", text)
    first = text[0]
    return (f"[{first.upper()}{first.lower()}]" + escaped[1:]) if first.isalpha() else escaped


@lru_cache(maxsize=1)
def trigger_pattern() -> str:
    """The pattern of the table-driven signature: every name that means something, every bare text, and the prefixed forms."""
    names = sorted({s.name for s in gpu_status.statuses() if s.cause is not None and s.library != "nccl"}
                   | {s.name for s in gpu_status.statuses() if s.name.lower() in gpu_status.qualified_names()})
    texts = [_literal(t) for t in gpu_status.bare_texts()]
    prefixed = [
        r"cuda runtime error \([0-9]+\) ?: ?[A-Za-z]",
        r"THCudaCheck FAIL file=[^ ]+ line=[0-9]+ error=[0-9]+ ?: ?[A-Za-z]",
        r"CUDA failed with error [A-Za-z]",
        r"cuInit failed: [A-Za-z]",
        r"CUDA (?:driver |runtime )?(?:API )?error(?: code)?:? ?[0-9]+",
        r"cuda[A-Z][A-Za-z]* (?:returned|failed with)(?: error)?(?: code)?:? ?[0-9]+",
        r"cuda[A-Z][A-Za-z]* returns? [0-9]+ error",
        r"cu(?:Init|Device[A-Za-z]*)(?:\([0-9]*\))? (?:returned|failed with)(?: error)?(?: code)?:? ?[0-9]+",
        r"(?:Failed to initialize NVML|NVML error|NVMLError(?:_[A-Za-z]+)?|nvml[A-Za-z0-9_]*(?:\(\))? failed|nvml) ?: ?[A-Za-z]",
        # accstatus: the other programs' forms (_PROGRAM_PREFIX, _NUMBERS' NVML row, _ENUM_NUMBER).
        r"Check failed: error == cudaSuccess \([0-9]+ vs\. 0\)",
        # accbusy: glog's CHECK_EQ with the success code on either side (_NUMBERS' "Check failed" rows).
        r"Check failed: (?:CUDA_SUCCESS|cudaSuccess) == [^\n]{1,120}\(0 vs\. [0-9]+\)",
        r"Check failed: [^\n]{1,120} == (?:CUDA_SUCCESS|cudaSuccess) \([0-9]+ vs\. 0\)",
        r"Check failed: e == cudaSuccess[^\n]{0,40} CUDA: [A-Za-z]",
        r"[Cc][Uu][Dd][Aa] error\([0-9]+\)",
        r"CUDA failure [0-9]+",
        r"CUDA error [0-9]+ at ",
        r"ggml_cuda_init: failed to initialize CUDA: [A-Za-z]",
        r"CUDA Error(?: Prev)?: [A-Za-z]",
        r"[Nn][Vv][Mm][Ll][A-Za-z0-9_]*(?:\(\))? (?:returned|failed with|err:|[Ee]rror:?|(?:vram )?init failure:)[^\n]{0,20}[0-9]",
        r"(?:cudaError(?:_t)?|CUresult|nvmlReturn_t|cublasStatus_t|cusparseStatus_t|cusolverStatus_t|cufftResult)(?: code)? ?[:=(]? ?[0-9]",
        # accceiling: PaddlePaddle 1.x's and numba's numbered forms (_NUMBERS).
        r"cuda[A-Z][A-Za-z]* failed in [^ ]+[^\n]{0,80}error code ?: ?[0-9]",
        r"CudaAPIError: \[[0-9]+\]",
        r"\[[0-9]+\] Call to cu[A-Za-z0-9_]+ results in",
    ]
    # No word boundaries around the names: they make Hyperscan's database half again as slow to compile
    # (0.06 s a run), and read_status finds each name with its boundaries on the few lines matched.
    return "|".join(["(?:" + "|".join(names) + ")", *texts, *prefixed])
