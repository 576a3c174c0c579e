"""Platform and install facts a log states in words or in an installer's output (accplat, session 29).

Readers only: each turns a line into a typed value; the knowledge layer decides what it means and the rules
(``explain/platrules.py``, the status base rates of knowledge/priors.toml, LOG102) judge.

- The machine's GPU named by the cloud machine it is (``cloud_gpu_machines``): an EC2 instance type of a GPU family
  (knowledge/aws.toml, SageMaker's ``ml.`` form too), a Google Cloud machine type of a GPU family or an accelerator type
  (knowledge/gcp.toml: ``a2-highgpu-1g``, ``--accelerator type=nvidia-tesla-t4``, Dataproc's ``--worker-accelerator``), or a
  data-centre GPU the writer says the machine has ("on a g4dn.xlarge that does have a T4", "our node with an A100").
- The GPU reachable as root and not as the user (``root_only_gpu``): the writer's words that it works with sudo or as root
  and not as their user, the driver's device files refused to the user ("/dev/nvidia0: Permission denied"), the user not
  in the group that owns them (video, render).
- The writer's words that nvidia-smi does not work (``smi_said_failing``), without the tool's own message.
- A CUDA release the writer ties to the program, image or operations that fail ("CUDA 13 based operations", "the image
  needs CUDA >= 12.8", "built with CUDA 12.4") (``cuda_said_needed``) and a driver branch stated without its minor ("the
  daemonset installs driver 535", "nvidia-driver-470") (``driver_branch_said``): LOG102 compares them.
- pip not finding a pinned CUDA jaxlib and the versions it did find (``jaxlib_cuda_unfound``): knowledge.jax decides.
- A package release shown installed whose wheels had no Windows GPU build (``windows_gpu_package_versions``: bitsandbytes
  before 0.43.0, knowledge/python_layouts.toml [[linux_only_libraries]]).

Words count only where ``explain.grammar.said`` finds them asserted of now (not a question, a condition, advice or a
state that is over); a program's own line is no writer's statement.
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.explain import grammar

__all__ = ["cloud_gpu_machines", "cuda_said_needed", "driver_branch_said", "gke_nodes_without_gpu", "jaxlib_cuda_unfound",
           "root_only_gpu", "smi_said_failing", "windows_gpu_package_versions"]

_MAX_LINE = 2000

# --- the machine's GPU named by the cloud machine -------------------------------------------------------------------
_EC2_TYPE = re.compile(r"(?<![\w.-])((?:ml\.)?[a-z][a-z0-9-]{1,8}\.(?:\d{0,2}x?large|metal))(?![\w-])", re.I)
_GCP_MACHINE = re.compile(r"(?<![\w.-])([a-z]\d-(?:highgpu|megagpu|ultragpu|edgegpu|standard)-\d{1,3}g?)(?![\w-])", re.I)
_GCP_ACCELERATOR = re.compile(r"(?<![\w.-])(nvidia-(?:tesla-)?[a-z]\d{1,3}[a-z]?(?:-(?:\d+gb|mega-\d+gb|pcie))?|nvidia-rtx-pro-\d{4})(?![\w-])", re.I)
# A data-centre GPU the writer says the machine has: the name right after a verb of having or a preposition of place
# with an article or a count ("does have a T4", "with an A100", "on 8x H100"), or before "GPU(s)"/"card".
_DATACENTRE = r"(?:T4|A100|A10G?|A30|A40|L4|L40S?|H100|H200|H20|B200|V100|P100|P40|K80|M60)"
_HAS_GPU = re.compile(r"\b(?:ha(?:ve|s|d)|with|on|using|comes\s+with|equipped\s+with)\s+(?:an?|one|two|four|eight|\d{1,2}\s*x?|the|its|our|my)\s+"
                      r"(?:(?:NVIDIA|Tesla)\s+)?(?P<a>" + _DATACENTRE + r")(?![\w-])"
                      r"|(?<![\w-])(?:NVIDIA\s+|Tesla\s+)?(?P<b>" + _DATACENTRE + r")\s+(?:GPUs?|cards?|accelerators?)\b", re.I)


def cloud_gpu_machines(text: str) -> list[str]:
    """The GPU cloud machines a line names as the machine (knowledge/aws.toml, knowledge/gcp.toml), and the data-centre GPU
    the writer says it has; not in a question."""
    if len(text) > _MAX_LINE or text.rstrip().rstrip("`'\"").endswith("?"):
        return []
    low = text.lower()
    out: list[str] = []
    if "xlarge" in low or ".metal" in low:
        from whygpu.knowledge.aws import aws_instance_gpu

        out += [m.group(1) for m in _EC2_TYPE.finditer(text) if aws_instance_gpu(m.group(1)) is not None]
    if "gpu" in low or "standard-" in low or "nvidia-" in low:
        from whygpu.knowledge.gcp import gcp_accelerator_gpu, gcp_machine_gpu

        out += [m.group(1) for m in _GCP_MACHINE.finditer(text) if gcp_machine_gpu(m.group(1)) is not None]
        out += [m.group(1) for m in _GCP_ACCELERATOR.finditer(text) if gcp_accelerator_gpu(m.group(1)) is not None]
    if not grammar.program_line(text):
        for m in _HAS_GPU.finditer(text):
            if grammar.said(text, m.start(), m.end(), quotes=False) and not re.search(r"\b(?:no|not|without|n't)\s+(?:\w+\s+){0,2}$", text[max(0, m.start() - 25):m.start()], re.I):
                out.append(m.group("a") or m.group("b"))
    return out


# --- GKE nodes made without a GPU (accnoticed40, session 40) -----------------------------------------------------------
# A gcloud command that creates a GKE cluster or node pool, at the start of a line (after a prompt); its options up to the
# end of the command (a backslash continues it on the next line). knowledge.gcp.gke_pool_without_gpu decides.
_GKE_CREATE = re.compile(r"^\s*(?:[$>#]\s*)?`?gcloud\s+(?:(?:beta|alpha)\s+)?(container\s+(?:clusters|node-pools)\s+create)(?![\w-])(.*)$")
_OPTION = re.compile(r"(?<!\S)(--[a-z][\w-]*)(?:[= ]([^\s\\]+))?")
_ASSIGN = re.compile(r"^\s*(?:export\s+)?([A-Za-z_]\w*)=[\"']?([\w.-]+)[\"']?\s*$")


def gke_nodes_without_gpu(lines: list[str]) -> list[tuple[int, str, str]]:
    """The GKE creation commands the log shows that make nodes without a GPU (no --accelerator, no accelerator-optimized
    machine type): (line number, the nodes' machine type, the command); none at all where any creation command shown
    attaches GPUs (a GPU node pool added beside a CPU one). A machine type given as a shell variable is read from the
    log's own assignment of it (MACHINE_TYPE="n1-standard-2"); one the log does not show decides nothing."""
    if not any("gcloud" in line and "create" in line for line in lines):
        return []
    from whygpu.knowledge.gcp import gke_pool_without_gpu

    assigned = {m.group(1): m.group(2) for line in lines if len(line) < 300 and (m := _ASSIGN.match(line)) is not None}
    out: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, 1):
        if "gcloud" not in line or len(line) > _MAX_LINE or (m := _GKE_CREATE.match(line)) is None:
            continue
        command, rest, follow = " ".join(m.group(1).split()), m.group(2), number
        while rest.rstrip().endswith("\\") and follow < len(lines):
            rest, follow = rest.rstrip()[:-1] + " " + lines[follow], follow + 1
        options = {o.group(1): o.group(2) or "" for o in _OPTION.finditer(rest)}
        machine = options.get("--machine-type", "")
        if machine.startswith("$"):
            machine = assigned.get(machine.strip("${}\"'"), "")
        made = gke_pool_without_gpu(command, flags=frozenset(options), machine_type=machine)
        if made is None:
            return []
        out.append((number, made, line.strip()))
    return out


# --- the GPU reachable as root, not as the user ------------------------------------------------------------------
# The driver's device files refused ("/dev/nvidia0: Permission denied", "could not open the device file /dev/nvidiactl
# (Permission denied)", "open /dev/nvidia-uvm: permission denied").
_NODE_DENIED = re.compile(r"/dev/nvidia[\w-]*['\"`)]?\s*(?:\(|:)?\s*(?:Permission denied|EACCES)|(?:Permission denied|EACCES)\W{0,4}[^\n]{0,40}?/dev/nvidia", re.I)
# The writer's words: the GPU (or the framework's check) works with sudo / as root, or only then; not as the user.
_ROOT_WORKS = re.compile(
    r"\b(?:only\s+)?(?:works?|worked|runs?|succeeds?|is\s+(?:detected|found|visible|available)|(?:returns?|prints?|gives?|says?)\s+True|can\s+(?:see|access|use|find|detect)\s+(?:the\s+|my\s+)?(?:gpu|cuda|device)s?)"
    r"[^.;!?\n]{0,40}?\b(?:only\s+)?(?:with|under|using|via|(?:when|if|once)\s+(?:I\s+|we\s+)?(?:run|running|start|started|launch|launched|execute|executed)\s+(?:it\s+|them\s+|this\s+)?(?:with|as|under|via))\s+(?:sudo|root)\b"
    r"|\bTrue\s+(?:with|under|using|via|as)\s+(?:sudo|root)\b"
    r"|\bsudo\s+\S*python\S*[^;!?\n]{0,60}?\b(?:uses|sees|finds|detects|works|returns\s+True|prints\s+True)\b"
    r"|\bonly\s+(?:visible|accessible|available|usable)\s+(?:to|for|by)\s+root\b|\bonly\s+root\s+can\s+(?:see|use|access|find)\b"
    r"|\b(?:with|under|using|via)\s+sudo\b[^.;!?\n]{0,40}?\b(?:it\s+)?(?:works?|worked|(?:returns?|prints?|gives?)\s+True|(?:is|was)\s+(?:detected|found|True))"
    r"|\bas\s+root\b[^.;!?\n]{0,30}?\b(?:it\s+)?(?:works?|worked|(?:returns?|prints?|gives?)\s+True)"
    r"|\b(?:not|n't|fails?|False)\b[^.;!?\n]{0,40}?\bas\s+(?:a\s+)?(?:normal|regular|non-?root|ordinary|unprivileged)\s+user\b"
    r"|\bas\s+(?:a\s+)?(?:normal|regular|non-?root|ordinary|unprivileged)\s+user\b[^.;!?\n]{0,40}?\b(?:not|n't|fails?|False)\b"
    r"|\bnon-?root\s+users?\s+(?:can(?:no|')t|cannot|do(?:es)?\s*n[o']t)\s+(?:see|access|use|find)\b",
    re.I)
# The user outside the group the device files belong to ("I was not in the video group", "adding my user to the render
# group fixed it").
_GROUP = re.compile(r"\b(?:not\s+(?:a\s+member\s+of|in)\s+the\s+(?:video|render)\s+group|(?:add(?:ed|ing)?|put(?:ting)?)\s+(?:my\s*self|me|my\s+user|the\s+user|user\s+\S+|\S+)\s+(?:to|in(?:to)?)\s+the\s+(?:video|render)\s+group)", re.I)


def root_only_gpu(text: str) -> str | None:
    """The words or the line that show the GPU reachable as root and not as the user, or None."""
    if len(text) > _MAX_LINE:
        return None
    low = text.lower()
    if "/dev/nvidia" in low and (m := _NODE_DENIED.search(text)) is not None:
        return m.group(0)
    if grammar.program_line(text) and "sudo" not in low:
        return None
    if (("sudo" in low or "root" in low or " user" in low) and (m := _ROOT_WORKS.search(text)) is not None
            and grammar.said(text, m.start(), m.end(), quotes=False)):
        return m.group(0)
    if "group" in low and (m := _GROUP.search(text)) is not None:
        left, _right = grammar.sentence_at(text, m.start(), m.end())
        if not grammar.asked(text, left, _right, m.start(), m.end()) and not re.match(r"\W*(?:try|please|you\s+(?:should|need|must|can))\b", text[left:], re.I):
            return m.group(0)
    return None


# --- nvidia-smi said not to work ---------------------------------------------------------------------------------
_SMI_FAILS = re.compile(
    r"\bnvidia-smi[`'\"]?\s+(?:command\s+)?(?:(?:also\s+|still\s+)?(?:does\s*n[o']t|did\s*n[o']t|doesn[’']t|didn[’']t|is\s*n[o']t|isn[’']t|won[’']t|can[’']t|cannot|could\s*n[o']t|does\s+not|did\s+not)\s+(?:working|work|run|respond|start)\b"
    r"|(?:is\s+)?(?:not|stopped|stops)\s+working|(?:also\s+|still\s+)?fails\b|(?:also\s+|still\s+)?failed\b|is\s+broken|hangs\b|errors\s+out"
    r"|(?:returns?|gives?|throws?|shows?|prints?)\s+(?:an?\s+|the\s+(?:following\s+|same\s+)?)?error"
    # acccont (session 34): the tool's own message in the writer's words ("`nvidia-smi` cannot communicate with drivers")
    r"|(?:can(?:no|[’'])t|can\s+not|could\s*n[o’']t|could\s+not|(?:is\s+)?unable\s+to|fails?\s+to|failed\s+to)\s+communicate\s+with\s+(?:the\s+)?(?:nvidia\s+)?drivers?\b)"
    r"|\b(?:can(?:no|[’'])t|could\s*n[o’']t|unable\s+to)\s+run\s+nvidia-smi\b",
    re.I)


def smi_said_failing(text: str) -> str | None:
    """The writer's words that nvidia-smi does not work, asserted of now (not a question, a condition, advice, a fix
    that made it work); None for a program's own line."""
    if len(text) > _MAX_LINE or "nvidia-smi" not in text.lower() or grammar.program_line(text):
        return None
    for m in _SMI_FAILS.finditer(text):
        if m.group(0).lower().rstrip().endswith(("failed", "fails")) and re.match(r"\s*(?:with|:)", text[m.end():]):
            continue  # "nvidia-smi fails with: <message>": the message that follows decides
        if grammar.said(text, m.start(), m.end(), quotes=False):
            return m.group(0)
    return None


# --- the CUDA the program needs, in words; the driver's branch ---------------------------------------------------
_CUDA_REL = r"(?P<v>\d{1,2}(?:\.\d)?)(?![\d.]*\d)"
_CUDA_NEEDED = re.compile(
    # "CUDA 13 based operations", "CUDA 12.8-based images", "the CUDA 13 images", "CUDA 13 builds/wheels/containers"
    r"\bCUDA[ -]?" + _CUDA_REL + r"(?:[ -]based)?\s+(?:operations?|images?|containers?|builds?|wheels?|binaries|packages?|workloads?|jobs?|kernels?|code|apps?|applications?|programs?|versions?\s+of)\b"
    # "(the image|it|rapids|this build) needs/requires/uses/is built with/targets CUDA (>=) 13"
    r"|\b(?:image|container|build|wheel|package|release|version|program|app|application|framework|it|this|that|which|they)\s+(?:now\s+|also\s+)?"
    r"(?:needs?|requires?|uses|targets?|ships?\s+with|comes?\s+with|is\s+built\s+(?:with|for|against|on)|was\s+built\s+(?:with|for|against|on)|is\s+based\s+on|depends\s+on)\s+"
    r"(?:at\s+least\s+|a\s+|the\s+)?CUDA\s*(?:>=?\s*|version\s+)?" + _CUDA_REL.replace("?P<v>", "?P<v2>"),
    re.I)


# acclib2 (session 30): the CUDA release of the run that fails, said as its circumstance: "I get this when using Cuda 10", "it
# crashes after upgrading to CUDA 12.1", "the error appears once we switched to CUDA 11.8". The failure word comes first in the
# sentence; the release is what that run loads (a program built with it, or the toolkit it runs with).
_FAILS_WHEN = re.compile(
    r"\b(?:error|errors|fails?|failed|failing|crash(?:es|ed)?|exception|get\s+(?:this|that|it|the\s+(?:same\s+)?error)|got\s+(?:this|that|it)"
    r"|does(?:\s+not|n['’]t)\s+work|broken)\b[^.;!?\n]{0,40}?\b(?:when|while|after|once)\s+(?:I\s+|we\s+)?(?:am\s+|are\s+)?"
    r"(?:using|use|used|run(?:ning)?\s+(?:it\s+)?(?:with|on)|switch(?:ing|ed)?\s+to|mov(?:e|ing|ed)\s+to|upgrad(?:e|ing|ed)\s+to"
    r"|build(?:ing)?\s+(?:it\s+)?(?:with|against)|compil(?:e|ing|ed)\s+(?:it\s+)?(?:with|against))\s+(?:the\s+)?CUDA[ -]?(?:toolkit\s+)?v?"
    + _CUDA_REL.replace("?P<v>", "?P<v3>"), re.I)


def cuda_said_needed(text: str) -> list[str]:
    """The CUDA releases ("13", "12.8") the writer ties to the program, image or operations they run, asserted of now."""
    if len(text) > _MAX_LINE or "cuda" not in text.lower() or grammar.program_line(text):
        return []
    from whygpu.explain.versionfacts import stated_wanted

    # "RAPIDS 25.10 requires CUDA 13", "the wheels are built for CUDA 12.9" (explain.versionfacts' reading of a wanted release)
    out: list[str] = [value if "." in value else f"{value}.0" for lib, value, _mine in stated_wanted(text) if lib == "cuda"]
    for m in _CUDA_NEEDED.finditer(text):
        value = m.group("v") or m.group("v2")
        if value is None or not 7 <= int(value.split(".")[0]) <= 14:
            continue
        if re.search(r"\b(?:not|no|n't|without)\s+(?:\w+\s+){0,2}$", text[max(0, m.start() - 25):m.start()], re.I):
            continue
        if grammar.said(text, m.start(), m.end(), quotes=False):
            out.append(value if "." in value else f"{value}.0")
    for m in _FAILS_WHEN.finditer(text):
        value = m.group("v3")
        if 7 <= int(value.split(".")[0]) <= 14 and not re.match(r"\W*(?:if|would|should|could|will)\b", text, re.I) \
                and not text[m.end():].lstrip().startswith("?") and grammar.said(text, m.start(), m.end(), quotes=False):
            out.append(value if "." in value else f"{value}.0")
    return out


# "the daemonset installs driver 535", "driver version 470", "nvidia-driver-535", "the 535 driver", "R470 drivers": a
# branch without its minor (the minor forms are explain.hwstated's).
_DRIVER_BRANCH = re.compile(r"\bnvidia-driver-(?P<a>\d{3})(?:-server|-open)?\b|\bdrivers?(?:\s+version)?\s*(?:is\s+|was\s+|of\s+|[:=]\s*)?[`'\"]?R?(?P<b>\d{3})(?!\d|\.\d)"
                            r"|(?<![\w.])R?(?P<c>\d{3})(?:\.x{1,2})?\s+(?:(?:NVIDIA|GPU|datacenter|data\s+center)\s+)?drivers?\b", re.I)


def driver_branch_said(text: str) -> list[str]:
    """The NVIDIA driver branches (3 digits, 300-999) a line states without a minor, asserted of now."""
    low = text.lower()
    if len(text) > _MAX_LINE or "driver" not in low:
        return []
    out: list[str] = []
    for m in _DRIVER_BRANCH.finditer(text):
        value = m.group("a") or m.group("b") or m.group("c")
        if not 300 <= int(value) <= 999:
            continue
        if m.group("a") is None and grammar.program_line(text):
            continue
        if _floor_said(text, m.start(), m.end()):
            continue  # accbroad (session 37): "requires at least nvidia-driver-470": a need, not the machine's driver
        if grammar.said(text, m.start(), m.end(), quotes=False):
            out.append(value)
    return out


def _floor_said(text: str, start: int, end: int) -> bool:
    """accbroad (session 37): whether the driver branch at ``text[start:end]`` is said as a floor, a program's need, rather
    than the machine's driver: a need's word before it in its clause ("requires at least nvidia-driver-470", "needs
    driver 525") or a floor's words right after it ("driver 535 or newer"). The words are knowledge/comparisons.toml's
    roles "floor" and "floor_after" (one vocabulary with the numbers reader, explain.errorwords)."""
    from whygpu.knowledge.comparisons import role_pattern

    floor, after = role_pattern("floor", "driver"), role_pattern("floor_after", "driver")
    left = max(text.rfind(stop, 0, start) for stop in (".", ";", "!", "?", "\n"))
    before = text[max(left + 1, start - 40):start]
    if floor is not None and floor.search(before):
        return True
    return after is not None and after.match(text[end:end + 16].lstrip(" )")) is not None


# --- pip and a pinned CUDA jaxlib ----------------------------------------------------------------------------------
_JAXLIB_UNFOUND = re.compile(r"(?:No matching distribution found for|satisfies the requirement)\s+jaxlib\s*==\s*(?P<pinned>\d+\.\d+(?:\.\d+)?)\+cuda[\w.]*", re.I)
_OFFERED = re.compile(r"\(from versions:\s*(?P<list>[^)\n\"]*)")
_VERSION = re.compile(r"\d+\.\d+(?:\.\d+)?(?:\+[\w.]+)?")


def jaxlib_cuda_unfound(text: str) -> tuple[str, tuple[str, ...] | None] | None:
    """(the pinned jaxlib release, pip's list of the versions it found or None) where pip found no pinned CUDA jaxlib."""
    m = _JAXLIB_UNFOUND.search(text)
    if m is None:
        return None
    offered = _OFFERED.search(text, m.end())
    versions = tuple(v.rstrip(".") for v in _VERSION.findall(offered.group("list"))) if offered else None
    return m.group("pinned"), (versions or None)


# --- a package release with no Windows GPU build -------------------------------------------------------------------
def windows_gpu_package_versions(text: str) -> list[tuple[str, str]]:
    """(package, version) for each package of knowledge/python_layouts.toml [[linux_only_libraries]] that the line shows at
    a release ("bitsandbytes==0.41.0", "bitsandbytes - 0.41.0", "bitsandbytes 0.41.1", pip's "bitsandbytes-0.41.0");
    not a floor or a range ("bitsandbytes>=0.39")."""
    from whygpu.knowledge.python_layouts import linux_only_libraries

    low = text.lower()
    out: list[tuple[str, str]] = []
    for row in linux_only_libraries():
        if row.package not in low:
            continue
        rx = re.compile(r"(?<![\w-])" + re.escape(row.package) + r"(?![\w-]*-windows)\s*(?:==|-|:|\s|version\s*:?)\s*v?(\d+\.\d+(?:\.\d+)?)(?![\d.]*\d)", re.I)
        out += [(row.package, m.group(1)) for m in rx.finditer(text)]
    return out
