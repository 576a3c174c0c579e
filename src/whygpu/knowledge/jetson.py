"""NVIDIA Jetson knowledge (accjet, session 31): the board's platform signs, its L4T / JetPack releases and which framework
builds carry the Tegra CUDA its integrated GPU needs (knowledge/jetson.toml, every row with its source).

One reading of the platform: ``jetson_marker`` is the only test of "this log is from a Jetson" (explain's ``jetson`` fact);
``l4t_releases`` reads the releases a line names, the host's apart from a container image's; ``container_newer_than_host``
and ``tegra_build`` are the decisions explain's rules (LOG440, LOG441) and its Jetson ranking use.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class JetsonRelease:
    """A JetPack release and what it fixes: its L4T (Jetson Linux) release and the CUDA, cuDNN and TensorRT it installs."""

    jetpack: str
    l4t: str
    cuda: str
    cudnn: str
    tensorrt: str
    source: str


@lru_cache(maxsize=1)
def _marker() -> re.Pattern[str]:
    rows = table_rows("jetson", "marker")
    return re.compile("|".join(f"(?:{row['pattern']})" for row in rows), re.I | re.M)


def jetson_marker(text: str) -> str | None:
    """The sign in ``text`` that the machine is an NVIDIA Jetson (the board's name, JetPack, L4T, the tegra kernel,
    /etc/nv_tegra_release, tegrastats, an l4t-* image, nvidia-smi's "Orin (nvgpu)"), or None."""
    m = _marker().search(text)
    return m.group(0).strip() if m else None


def releases() -> list[JetsonRelease]:
    """Every JetPack release row, oldest first."""
    return [JetsonRelease(jetpack=r["jetpack"], l4t=r["l4t"], cuda=r["cuda"], cudnn=r["cudnn"], tensorrt=r["tensorrt"],
                          source=r["source"]) for r in table_rows("jetson", "release")]


def release_of(l4t: str | None = None, jetpack: str | None = None) -> JetsonRelease | None:
    """The JetPack release row of an L4T release ("35.4.1", "32.7") or a JetPack release ("5.1.2"), or None."""
    for row in releases():
        if (l4t is not None and (row.l4t == l4t or row.l4t.startswith(l4t + "."))) or (jetpack is not None and row.jetpack == jetpack):
            return row
    return None


def jetpack_major(release: str) -> int | None:
    """The JetPack major line of a release as ``l4t_releases`` gives it ("L4T 35.4.1" -> 5, "JetPack 4.6" -> 4), or None."""
    kind, _, number = release.partition(" ")
    major = int(number.split(".")[0]) if number.split(".")[0].isdigit() else None
    if major is None:
        return None
    if kind == "JetPack":
        return major if any(int(r["jetpack_major"]) == major for r in table_rows("jetson", "line")) else None
    for row in table_rows("jetson", "line"):
        if int(row["l4t_major"]) == major:
            return int(row["jetpack_major"])
    return None


def sbsa_line(release: str) -> bool:
    """Whether a release's line runs the server ARM (SBSA) CUDA, as JetPack 7 on Jetson Thor does (knowledge/jetson.toml)."""
    major = jetpack_major(release)
    return any(int(r["jetpack_major"]) == major and bool(r["sbsa"]) for r in table_rows("jetson", "line"))


# The releases a line names. An image reference whose tag is an L4T release ("nvcr.io/nvidia/l4t-ml:r34.1.0-py3",
# "dustynv/ollama:r36.2.0", "dustynv/ros:humble-r36.2.0") is the container's; "L4T 32.4.4", "[L4T 32.7.1]", "L4T: 35.6.2", "L4T_VERSION 35.6.4", "r35.4.1
# L4T", /etc/nv_tegra_release's "# R32 (release), REVISION: 7.1" and "JetPack 4.6" / "JP5" are the host's, unless the words
# right after call them a container or image ("an r34.1 container", "a JetPack 6 image"). L4T majors run 28-39.
_IMAGE_TAG = re.compile(r"[\w.-]+(?:/[\w.-]+)*:(?:[\w.]+-)*r(?P<major>[23]\d)\.(?P<rest>\d+(?:\.\d+)?)", re.I)
_TEGRA_RELEASE = re.compile(r"#\s*R(?P<major>[23]\d)\s*\(release\),\s*REVISION:\s*(?P<rest>\d+(?:\.\d+)?)", re.I)
_L4T = re.compile(r"\bL4T(?:[ _]VERSION)?\s*(?:version\s*)?[:=]?\s*R?(?P<major>[23]\d)\.(?P<rest>\d+(?:\.\d+)?)\b"
                  r"|\bR?(?P<major2>[23]\d)\.(?P<rest2>\d+(?:\.\d+)?)\s*(?:\(|\[)?\s*L4T\b"
                  r"|(?<![\w.:/-])r(?P<major3>[23]\d)\.(?P<rest3>\d+(?:\.\d+)?)\b", re.I)
_JETPACK = re.compile(r"\bJet[Pp]ack(?:[ _]VERSION)?\s*[:=]?\s*\[?\s*v?(?P<major>[4-7])(?:\.(?P<rest>\d+(?:\.\d+)?))?\b"
                      r"|\bJP\s?(?P<major2>[4-7])(?:\.(?P<rest2>\d))?\b", re.I)
_OF_CONTAINER = re.compile(r"^[ \t)\]-]{0,3}(?:[\w-]+[ \t]{1,3})?(?:-based\s+)?(?:containers?|images?|docker|tags?)\b", re.I)


def l4t_releases(text: str) -> list[tuple[str, str]]:
    """The Jetson releases ``text`` names, each as (whose, release): whose is "host" or "image", release "L4T 35.4.1" or
    "JetPack 4.6"."""
    found: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _IMAGE_TAG.finditer(text):
        found.append(("image", f"L4T {m.group('major')}.{m.group('rest')}"))
        taken.append(m.span())

    def free(span: tuple[int, int]) -> bool:
        return not any(a <= span[0] < b for a, b in taken)

    for m in _TEGRA_RELEASE.finditer(text):
        found.append(("host", f"L4T {m.group('major')}.{m.group('rest')}"))
        taken.append(m.span())
    for rx, kind in ((_L4T, "L4T"), (_JETPACK, "JetPack")):
        for m in rx.finditer(text):
            if not free(m.span()):
                continue
            groups = m.groupdict()
            major = groups.get("major") or groups.get("major2") or groups.get("major3")
            rest = groups.get("rest") or groups.get("rest2") or groups.get("rest3")
            release = f"{kind} {major}" + (f".{rest}" if rest else "")
            whose = "image" if _OF_CONTAINER.match(text[m.end():]) else "host"
            found.append((whose, release))
            taken.append(m.span())
    return found


def container_newer_than_host(host: list[str], image: list[str]) -> tuple[str, str] | None:
    """(the image's release, the host's) when a container built for a newer JetPack line runs on a host of an older one.

    NVIDIA's l4t-* images from JetPack 5 (L4T 34) on carry their own CUDA, built for their JetPack's; the CUDA driver is the
    host's L4T, so a newer line's CUDA on an older host's driver fails as a driver too old does ("Since JetPack 5.0 the
    containers ship CUDA ... use the container of the L4T version you run": https://catalog.ngc.nvidia.com/orgs/nvidia/containers/l4t-base).
    Undecided (None) where the host's line is unknown, or where any host release named is as new as the image's.
    """
    hosts = [m for m in (jetpack_major(r) for r in host) if m is not None]
    images = [(m, r) for r, m in ((r, jetpack_major(r)) for r in image) if m is not None]
    if not hosts or not images:
        return None
    newest_host = max(hosts)
    for major, release in images:
        if major > newest_host and major >= 5:
            return release, next(r for r in host if jetpack_major(r) == newest_host)
    return None


@lru_cache(maxsize=1)
def _builds() -> list[tuple[str, re.Pattern[str], bool, str, str]]:
    return [(r["framework"], re.compile(r["pattern"], re.I), bool(r["tegra"]), r["what"], r["source"])
            for r in table_rows("jetson", "build")]


def tegra_build(framework: str, text: str) -> tuple[bool, str, str] | None:
    """Whether the framework build ``text`` shows (a version, a wheel, an index URL) carries the Tegra CUDA a Jetson's GPU
    needs: (True/False, what the build is, its source), or None when the text does not say (knowledge/jetson.toml's builds).
    NVIDIA's own Jetson builds are checked first: "2.1.0a0+41361538.nv23.06" is one whatever else the line holds."""
    rows = [row for row in _builds() if row[0] in (framework, "any")]
    for _fw, rx, tegra, what, source in sorted(rows, key=lambda row: not row[2]):
        if rx.search(text):
            return tegra, what, source
    return None


@lru_cache(maxsize=1)
def _launcher() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{row['pattern']})" for row in table_rows("jetson", "launcher")), re.I)


def jetson_launcher(text: str) -> str | None:
    """A launcher ``text`` names that starts a Jetson container with the NVIDIA runtime (jetson-inference's docker/run.sh,
    ``jetson-containers run``), or None."""
    m = _launcher().search(text)
    return m.group(0) if m else None


# The module a sign names, newest family first: "Jetson Orin Nano" is an Orin, "Tegra X1" the Nano's and TX1's SoC.
_MODULES = (("Thor", r"\bThor\b"), ("Orin", r"\bOrin\b"), ("Xavier", r"\bXavier\b"), ("TX2", r"\bTX2\b|\bTegra ?X2\b"),
            ("TX1", r"\bTX1\b"), ("Nano", r"\bNano\b|\bTegra ?X1\b"))


def module_of(text: str) -> str | None:
    """The Jetson module family a sign names ("Nano", "TX1", "TX2", "Xavier", "Orin", "Thor"), or None."""
    for name, pattern in _MODULES:
        if re.search(pattern, text, re.I):
            return name
    return None


def line_supports(release: str, module: str) -> bool | None:
    """Whether a release's JetPack line supports a module family (knowledge/jetson.toml's [[line]] modules), None if unknown."""
    major = jetpack_major(release)
    rows = [r for r in table_rows("jetson", "line") if int(r["jetpack_major"]) == major]
    if not rows:
        return None
    return any(module in r["modules"] for r in rows)


# A CUDA, cuDNN or TensorRT library's soname and the component release it names: libcudart.so.10.2 -> ("cuda", "10.2"),
# libcublas.so.11 -> ("cuda", "11"), libcudnn.so.8 -> ("cudnn", "8"), libnvinfer.so.7 / libnvparsers.so.5 -> ("tensorrt", "7").
_SONAME = re.compile(r"\blib(?P<lib>cudart|cublas|cufft|curand|cusolver|cusparse|cudnn|nvinfer|nvparsers|nvonnxparser|nvinfer_plugin)"
                     r"\.so\.(?P<version>\d+(?:\.\d+)?)", re.I)
_COMPONENT = {"cudart": "cuda", "cublas": "cuda", "cufft": "cuda", "curand": "cuda", "cusolver": "cuda", "cusparse": "cuda",
              "cudnn": "cudnn", "nvinfer": "tensorrt", "nvparsers": "tensorrt", "nvonnxparser": "tensorrt",
              "nvinfer_plugin": "tensorrt"}


def library_of_other_jetpack(library: str, host: str) -> tuple[str, str, str] | None:
    """(component, the release the library names, the host's) when a CUDA, cuDNN or TensorRT library a program wants is of
    another release than the host's JetPack installs (JetPack fixes them per L4T release: knowledge/jetson.toml's
    [[release]] rows), i.e. the program was built for another JetPack; None when they agree or either is unknown."""
    m = _SONAME.search(library)
    if m is None:
        return None
    kind, number = host.split(" ", 1)
    row = release_of(l4t=number) if kind == "L4T" else release_of(jetpack=number)
    if row is None:
        return None
    component = _COMPONENT[m.group("lib").lower()]
    have = {"cuda": row.cuda, "cudnn": row.cudnn, "tensorrt": row.tensorrt}[component]
    if not have:
        return None
    wanted = m.group("version")
    # CUDA's math libraries name the major only (libcublas.so.11), libcudart the major.minor on Jetson's CUDA 10 (.so.10.2)
    # and the major from CUDA 11 on (.so.11.0 names 11.x); cuDNN and TensorRT name their major.
    want_major, have_major = wanted.split(".")[0], have.split(".")[0]
    if want_major != have_major:
        return component, wanted, have
    if component == "cuda" and want_major == "10" and "." in wanted and wanted != have:
        return component, wanted, have
    return None


def runs_on_jetson(signs: list[str], gpu_names: list[str]) -> bool:
    """Whether a log's Jetson signs describe the machine that ran: there are signs, and no GPU the log names is an NVIDIA card
    outside the embedded segment (knowledge/gpus.toml): a report that names a GeForce or data-center card beside a Jetson
    ("it works on my Jetson, not on my RTX 3090 desktop") ran on the card."""
    from whygpu.knowledge.gpus import gpu_in_text

    if not signs:
        return False
    for name in gpu_names:
        model = gpu_in_text(name)
        if model is not None and model.vendor == "nvidia" and model.segment != "embedded":
            return False
    return True


# --- The machine itself (the doctor, lead session 32) ---------------------------------------------------------------------

def host_l4t(text: str) -> str | None:
    """The L4T release /etc/nv_tegra_release's text names ("# R35 (release), REVISION: 4.1" -> "35.4.1"), or None."""
    for whose, release in l4t_releases(text):
        if whose == "host" and release.startswith("L4T "):
            return release[len("L4T "):]
    return None


def integrated_gpu_node(name: str) -> bool:
    """Whether a /dev entry's name is a node of a Jetson's integrated GPU (knowledge/jetson.toml's device nodes)."""
    return any(row["name"] == name for row in table_rows("jetson", "device_node"))


def build_for_board(framework: str, version: str, l4t: str) -> tuple[bool, str, str] | None:
    """Whether a framework build (its version string, "2.5.0+cu124", "2.1.0a0+41361538.nv23.06") runs on the GPU of a Jetson
    of L4T release ``l4t``: (True/False, what the build is, its source), or None when the tables cannot say. A line that runs
    the server ARM CUDA (JetPack 7's Thor) takes the usual builds: None there, so the usual rules judge them."""
    if sbsa_line(f"L4T {l4t}"):
        return None
    return tegra_build(framework, version)


def board_install(framework: str, l4t: str | None) -> str | None:
    """How to get a build of ``framework`` with the Tegra CUDA on a Jetson of L4T release ``l4t`` (None when the release is
    unknown; None for a line that runs the usual server ARM builds, or a framework NVIDIA builds none of)."""
    if l4t is not None and sbsa_line(f"L4T {l4t}"):
        return None
    row = release_of(l4t=l4t) if l4t is not None else None
    board = (f"JetPack {row.jetpack} (L4T {l4t})" if row is not None else f"L4T {l4t}") if l4t is not None else (
        "the board's JetPack (`cat /etc/nv_tegra_release` names its L4T release)")
    wheels = {row["framework"]: row["source"] for row in table_rows("jetson", "build") if row["tegra"]}
    if framework not in wheels:
        return None
    name = {"torch": "PyTorch", "tensorflow": "TensorFlow"}.get(framework, framework)
    image = "l4t-pytorch" if framework == "torch" else "l4t-tensorflow"
    return (f"Install NVIDIA's {name} for Jetson built for {board} ({wheels[framework]}); PyPI's aarch64 wheels and "
            f"PyTorch's cuNNN indexes carry no Tegra CUDA. Or run an NVIDIA {image} / l4t-ml "
            f"container whose L4T tag matches `cat /etc/nv_tegra_release`, started with `--runtime nvidia`.")
