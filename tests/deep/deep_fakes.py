"""Fake framework packages and a fake libcuda for the deep-probe tests: each breaks in one real way."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

# Real lines, as TensorFlow printed them in https://github.com/tensorflow/tensorflow/issues/42162
# (dso_loader) and as its CUDA driver wrapper prints a failed cuInit
# (https://github.com/tensorflow/tensorflow/issues?q=CUDA_ERROR_NO_DEVICE).
TF_DSO_LINE = (
    "2020-08-08 23:41:49.327601: W tensorflow/stream_executor/platform/default/dso_loader.cc:59] "
    "Could not load dynamic library 'libcudart.so.10.1'; dlerror: libcudart.so.10.1: cannot open shared "
    "object file: No such file or directory"
)
TF_STUB_LINE = (
    "2020-08-08 23:41:49.327623: I tensorflow/stream_executor/cuda/cudart_stub.cc:29] Ignore above cudart "
    "dlerror if you do not have a GPU set up on your machine."
)
TF_CUINIT_LINE = (
    "2020-08-08 23:41:50.112233: E tensorflow/stream_executor/cuda/cuda_driver.cc:314] failed call to "
    "cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected"
)

HANG = "import time\nwhile True:\n    time.sleep(1)\n"
SEGFAULT = "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"
ABORT = "import sys\nsys.stderr.write('terminate called after throwing an instance of std::runtime_error\\n')\nsys.stderr.flush()\nimport os\nos.abort()\n"

# A TensorFlow 2.3 that cannot load its CUDA 10.1 runtime and whose cuInit finds no device.
TF_FAILING = textwrap.dedent(
    f'''
    import sys
    __version__ = "2.3.0"
    sys.stderr.write({TF_DSO_LINE!r} + "\\n")
    sys.stderr.write({TF_STUB_LINE!r} + "\\n")

    class _Device:
        def __init__(self, name, device_type):
            self.name = name
            self.device_type = device_type

    class config:
        @staticmethod
        def list_physical_devices(kind=None):
            sys.stderr.write({TF_CUINIT_LINE!r} + "\\n")
            return [] if kind == "GPU" else [_Device("/physical_device:CPU:0", "CPU")]

    class sysconfig:
        @staticmethod
        def get_build_info():
            return {{"cuda_version": "10.1", "cudnn_version": "7", "is_cuda_build": True}}
    '''
)

# A healthy TensorFlow: lists one GPU, and its matmul lands there (``placed`` can move it).
TF_HEALTHY = textwrap.dedent(
    '''
    import contextlib, sys
    __version__ = "2.21.0"
    PLACED = "/job:localhost/replica:0/task:0/device:GPU:0"
    sys.stderr.write("I0000 gpu_device.cc:2020] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 38484 MB memory:  -> device: 0, name: NVIDIA A100-SXM4-40GB, pci bus id: 0000:00:04.0, compute capability: 8.0\\n")

    class _Device:
        def __init__(self, name, device_type):
            self.name = name
            self.device_type = device_type

    class config:
        @staticmethod
        def list_physical_devices(kind=None):
            gpu = [_Device("/physical_device:GPU:0", "GPU")]
            return gpu if kind == "GPU" else [_Device("/physical_device:CPU:0", "CPU")] + gpu

        class experimental:
            @staticmethod
            def get_device_details(device):
                return {"device_name": "NVIDIA A100-SXM4-40GB", "compute_capability": (8, 0)}

    class sysconfig:
        @staticmethod
        def get_build_info():
            return {"cuda_version": "12.5.1", "cudnn_version": "9", "is_cuda_build": True}

    class test:
        @staticmethod
        def is_built_with_cuda():
            return True

    class _Tensor:
        def __init__(self, value, device):
            self.value = value
            self.device = device
        def numpy(self):
            return self.value

    def executing_eagerly():
        return True

    def device(name):
        return contextlib.nullcontext()

    def ones(shape):
        return _Tensor(1.0, PLACED)

    def matmul(a, b):
        return _Tensor(64.0, PLACED)

    def reduce_sum(t):
        return _Tensor(t.value * 64 * 64, t.device)
    '''
)

# torch built for CUDA 12.8 on a machine without a driver: it says so in its own words.
TORCH_NO_DRIVER = textwrap.dedent(
    '''
    __version__ = "2.7.1+cu128"

    class version:
        cuda = "12.8"
        hip = None
        git_version = "e2d141dbde55c2a4370fac5165b0561b6af4798b"

    class cuda:
        @staticmethod
        def is_available():
            return False

        @staticmethod
        def device_count():
            return 0

    def ones(shape, device=None):
        raise RuntimeError("Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver from http://www.nvidia.com/Download/index.aspx")
    '''
)

# torch that sees a GPU and runs on it; with ``LIBCUDART`` set it maps that library first.
TORCH_HEALTHY = textwrap.dedent(
    '''
    import ctypes, os
    __version__ = "2.7.1+cu128"
    for path in filter(None, os.environ.get("FAKE_LIBS", "").split(":")):
        ctypes.CDLL(path)

    class version:
        cuda = "12.8"
        hip = None
        git_version = "e2d141dbde55c2a4370fac5165b0561b6af4798b"

    class _Device:
        type = "cuda"
        def __str__(self):
            return "cuda:0"

    class _Tensor:
        device = _Device()
        def __init__(self, value):
            self.value = value
        def __matmul__(self, other):
            return _Tensor(self.value * 64)
        def sum(self):
            return _Tensor(self.value * 64 * 64)
        def item(self):
            return self.value

    class cuda:
        @staticmethod
        def is_available():
            return True
        @staticmethod
        def device_count():
            return 1
        @staticmethod
        def get_device_name(index):
            return "NVIDIA A100-SXM4-40GB"
        @staticmethod
        def get_device_capability(index):
            return (8, 0)
        @staticmethod
        def get_arch_list():
            return ["sm_75", "sm_80", "sm_86", "sm_90"]
        @staticmethod
        def synchronize():
            pass

    class backends:
        class cudnn:
            @staticmethod
            def version():
                return 90100

    def ones(shape, device=None):
        return _Tensor(1.0)
    '''
)

# torch whose GPU is listed but whose kernels were not built for it.
TORCH_NO_KERNEL = TORCH_HEALTHY.replace(
    "        def __matmul__(self, other):\n            return _Tensor(self.value * 64)",
    "        def __matmul__(self, other):\n            raise RuntimeError('CUDA error: no kernel image is available for execution on the device')",
)

# jax without a CUDA plugin: CPU only, with JAX's own fallback warning.
JAX_CPU_ONLY = textwrap.dedent(
    '''
    import sys
    __version__ = "0.6.2"
    sys.stderr.write("WARNING:2025-06-01 10:00:00,000:jax._src.xla_bridge:909: An NVIDIA GPU may be present on this machine, but a CUDA-enabled jaxlib is not installed. Falling back to cpu.\\n")

    class _Device:
        platform = "cpu"
        device_kind = "cpu"
        def __str__(self):
            return "TFRT_CPU_0"

    def devices(backend=None):
        if backend == "gpu":
            raise RuntimeError("Unknown backend: 'gpu' requested, but no platforms that are instances of gpu are present. Platforms present are: cpu")
        return [_Device()]

    def default_backend():
        return "cpu"
    '''
)
JAXLIB = '__version__ = "0.6.2"\n'

# jax with the CUDA plugin on an A100: lists the GPU, and the jitted product lives there.
JAX_HEALTHY = textwrap.dedent(
    '''
    __version__ = "0.6.2"

    class _Device:
        def __init__(self, platform, kind, name):
            self.platform = platform
            self.device_kind = kind
            self._name = name
        def __str__(self):
            return self._name

    GPU = _Device("gpu", "NVIDIA A100-SXM4-40GB", "cuda:0")

    class _Array:
        def __init__(self, value):
            self.value = value
        def __matmul__(self, other):
            return _Array(self.value * 64)
        def block_until_ready(self):
            return self
        def devices(self):
            return {GPU}
        def sum(self):
            return self.value * 64 * 64

    def devices(backend=None):
        return [GPU]

    def default_backend():
        return "gpu"

    def jit(function):
        return function

    def device_put(array, device):
        return array
    '''
)
JAX_NUMPY = "from jax import _Array\n\ndef ones(shape):\n    return _Array(1.0)\n"

IMPORT_ERROR = "raise ImportError('libcudart.so.12: cannot open shared object file: No such file or directory')\n"

# Starts a helper in the same process group, then hangs: the helper must die with it.
HANG_WITH_HELPER = textwrap.dedent(
    '''
    import os, subprocess, sys, time
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    open(os.environ["FAKE_PID_FILE"], "w").write(str(helper.pid))
    while True:
        time.sleep(1)
    '''
)

# Starts a helper and returns at once: the probe ends normally, the helper must not outlive it.
LEAVES_HELPER = HANG_WITH_HELPER.replace("while True:\n    time.sleep(1)\n", "__version__ = '2.21.0'\n")

# Starts a helper in its own session (out of the probe's group) that keeps stdout and stderr open.
LEAVES_ESCAPED_HELPER = textwrap.dedent(
    '''
    import os, subprocess, sys
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
    open(os.environ["FAKE_PID_FILE"], "w").write(str(helper.pid))
    __version__ = "2.21.0"
    '''
)

NOISY = "import sys\nfor i in range(20000):\n    print('step %d of a noisy import' % i)\nsys.stdout.write('x' * 3000000)\nsys.stdout.flush()\n__version__ = '2.21.0'\n"

PRINTS_SECRETS = textwrap.dedent(
    '''
    import os, sys
    __version__ = "2.21.0"
    sys.stderr.write("storage: DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0c2VjcmV0c2VjcmV0;EndpointSuffix=core.windows.net\\n")
    sys.stderr.write("key seen by the child: %r\\n" % os.environ.get("AZURE_STORAGE_KEY"))
    sys.stderr.write("growth: %s prealloc: %s vmodule: %s\\n" % (os.environ.get("TF_FORCE_GPU_ALLOW_GROWTH"), os.environ.get("XLA_PYTHON_CLIENT_PREALLOCATE"), os.environ.get("TF_CPP_VMODULE")))
    '''
)

# Like Keras on import: writes its config file into KERAS_HOME, else into ~/.keras.
WRITES_HOME = textwrap.dedent(
    '''
    import os
    __version__ = "2.21.0"
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    os.makedirs(home, exist_ok=True)
    open(os.path.join(home, "keras.json"), "w").write("{}")
    '''
)

EXIT_3 = "import os\nos._exit(3)\n"
EXIT_0 = "import os\nos._exit(0)\n"

FAKE_LIBCUDA_C = textwrap.dedent(
    r'''
    /* A stand-in for the NVIDIA driver library: cuInit returns FAKE_CUINIT (default 100). */
    #include <stdlib.h>
    #include <string.h>
    static int code(void) { const char *v = getenv("FAKE_CUINIT"); return v ? atoi(v) : 100; }
    int cuInit(unsigned int flags) { (void)flags; return code(); }
    int cuDriverGetVersion(int *v) { *v = 12040; return 0; }
    int cuDeviceGetCount(int *n) { int c = code(); *n = c ? 0 : 1; return c; }
    int cuDeviceGet(int *d, int i) { *d = i; return 0; }
    int cuDeviceGetName(char *name, int len, int d) { (void)d; strncpy(name, "NVIDIA A100-SXM4-40GB", len); return 0; }
    int cuGetErrorName(int c, const char **s) {
        switch (c) {
        case 100: *s = "CUDA_ERROR_NO_DEVICE"; return 0;
        case 35: *s = "CUDA_ERROR_INSUFFICIENT_DRIVER"; return 0;
        case 803: *s = "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH"; return 0;
        case 999: *s = "CUDA_ERROR_UNKNOWN"; return 0;
        default: return 1;
        }
    }
    int cuGetErrorString(int c, const char **s) {
        switch (c) {
        case 100: *s = "no CUDA-capable device is detected"; return 0;
        case 35: *s = "CUDA driver version is insufficient for CUDA runtime version"; return 0;
        case 803: *s = "system has unsupported display driver / cuda driver combination"; return 0;
        case 999: *s = "unknown error"; return 0;
        default: return 1;
        }
    }
    '''
)

MARK = "WHYGPU_TEST_RUN"


def processes_with(token: str) -> list[int]:
    """Live (not zombie) processes whose environment carries ``token``: every probe child and what it started."""
    found: list[int] = []
    needle = f"{MARK}={token}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes()
            stat = Path(f"/proc/{entry}/stat").read_text(errors="replace")
        except OSError:
            continue
        state = stat[stat.rfind(")") + 2:].split()[:1]
        if needle in environ.split(b"\0") and state and state[0] not in ("Z", "X"):
            found.append(int(entry))
    return found


FAKE_LIB_C = "int whygpu_fake_symbol(void) { return 42; }\n"


def make_env(root: Path, packages: dict[str, str]) -> str:
    """A venv without pip holding ``packages`` (``{"tensorflow/__init__.py": source}``); returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, timeout=120)
    site = next(root.glob("lib/python*/site-packages"))
    for relative, source in packages.items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    return str(root / "bin" / "python")


def compiler() -> str | None:
    """A C compiler, when this machine has one."""
    return shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")


def build_shared_library(source: str, target: Path) -> Path:
    """Compile ``source`` into the shared library ``target``."""
    cc = compiler()
    assert cc is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    c_file = target.with_suffix(".c")
    c_file.write_text(source, encoding="utf-8")
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(target), str(c_file)], check=True, timeout=120)
    return target
