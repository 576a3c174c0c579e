"""What a log says about the serving or framework image that ran (accserve, session 28).

Serving programs (TensorFlow Serving, TorchServe, KServe's model servers, Hugging Face's inference servers) and the
frameworks' own images are published in a CPU and a GPU variant, told apart by the tag (knowledge/serving_images.toml);
a KServe InferenceService picks the tag with its predictor's ``runtimeVersion``. This module reads the references, the
runtime versions and the writer's words that the image in use (or the default one) is the CPU variant; the knowledge
layer says which variant each names, and LOG380 (explain/servingrules.py) judges them against a GPU that was wanted.
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.serving_images import (
    ImageVariant,
    image_named,
    image_reference,
    image_variant,
    runtime_variant,
)

# The lines where an image named without a tag is the one that runs: a launch or pull, a manifest's or compose file's
# image field, a Dockerfile's FROM.
_LAUNCH_OR_FIELD = re.compile(r"\b(?:docker|podman|nerdctl)\s+(?:container\s+)?(?:run|pull|create)\b|^\s*(?:-\s*)?image\s*[:=]|^\s*FROM\s", re.I)
# A line that may hold one of the table's references (cheap words before the regex).
NEEDLES = ("tensorflow/", "serving", "torchserve", "huggingfaceserver", "text-embeddings-inference", "text-generation-inference",
           "tensorflow_model_server")

# A KServe InferenceService's predictor: its framework (the v1beta1 modelFormat's name, or the older per-framework key)
# and the runtimeVersion that picks the image's tag.
_RUNTIME_VERSION = re.compile(r"^\s*runtimeVersion\s*:\s*[\"']?([\w][\w.-]*)[\"']?\s*(?:#.*)?$")
_MODEL_FORMAT = re.compile(r"^\s*(?:-\s*)?name\s*:\s*[\"']?(tensorflow|pytorch|huggingface)[\"']?\s*$|^\s*(tensorflow|pytorch|huggingface)\s*:\s*$", re.I)
# A GPU asked of Kubernetes for the workload (the device plugin's resource, a MIG profile's, or the operator's): the
# writer wanted the GPU there.
GPU_RESOURCE = re.compile(r"\bnvidia\.com/(?:gpu|mig-[0-9]+g\.[0-9]+gb)\b", re.I)

# The writer's words that the image, tag, version or runtime in use (or the default one) is the CPU / non-GPU variant:
# "the default version is non-GPU", "the default tag is the CPU image", "we were pulling the CPU-only image", "the
# image it deploys is the non-GPU one".
_CPU_WORDS = r"(?:non[- ]?GPU|CPU(?:[- ]only)?|no[- ]GPU)"
_CPU_IMAGE_SAID = re.compile(
    rf"\b(?:image|tag|version|variant|runtime|build)s?\b[^.;!?\n]{{0,40}}?\b(?:is|was|are|were)\s+(?:the\s+|a\s+|an\s+)?{_CPU_WORDS}\b"
    rf"|\b(?:default|pulled|pulls|pulling|deploys|deployed|deploying|uses|used|using|runs|ran|running|ships)\b[^.;!?\n]{{0,40}}?"
    rf"\b(?:the\s+|a\s+|an\s+)?{_CPU_WORDS}\s+(?:image|tag|version|variant|build|one)\b",
    re.I)
_DEFAULT_OR_USED = re.compile(r"\b(?:default|pull|pulled|pulls|pulling|deploy|deploys|deployed|deploying|use|uses|used|using|runs?|ran|running|ships?)\b", re.I)


def image_refs(line: str) -> list[ImageVariant]:
    """The table's images a line names, with the variant each names; an image named without a tag only where it is the one that runs."""
    out: list[ImageVariant] = []
    for m in image_reference().finditer(line):
        tag = m.group("tag") or ""
        if not tag and not _LAUNCH_OR_FIELD.search(line):
            continue
        found = image_variant(m.group("repo"), tag)
        if found is not None:
            out.append(found)
    return out


def runtime_versions(lines: list[str]) -> list[tuple[int, ImageVariant, str]]:
    """Each KServe predictor's runtimeVersion (numbered from 1) with the variant it picks for the predictor's framework."""
    out: list[tuple[int, ImageVariant, str]] = []
    model_format = ""
    for i, line in enumerate(lines):
        if (m_fmt := _MODEL_FORMAT.match(line)) is not None:
            model_format = (m_fmt.group(1) or m_fmt.group(2)).lower()
        elif (m_ver := _RUNTIME_VERSION.match(line)) is not None and model_format:
            found = runtime_variant(model_format, m_ver.group(1))
            if found is not None and found.variant:
                out.append((i + 1, found, line.strip()))
    return out


def cpu_image_said(text: str) -> str | None:
    """The writer's words that the image in use or the default one is the CPU variant, asserted of now (not asked, supposed,
    advised or over), or None."""
    m = _CPU_IMAGE_SAID.search(text)
    if m is None:
        return None
    left, right = grammar.sentence_at(text, m.start(), m.end())
    sentence = text[left:right]
    if not _DEFAULT_OR_USED.search(sentence) or not grammar.said(text, m.start(), m.end(), quotes=False):
        return None
    return m.group(0)


def names_image(text: str) -> bool:
    """Whether ``text`` names one of the table's images or programs."""
    return image_named(text) is not None


# accray40 (session 40): the release of an NGC container that ran: its banner ("NVIDIA Release 19.10 (build 8266503)", which
# every NGC container's entrypoint prints; https://catalog.ngc.nvidia.com/containers) or an image reference's YY.MM tag
# (nvcr.io/nvidia/tritonserver:21.10-py3, tensorrtserver:19.10). Read where the log names a program with a floor of compute
# capability (knowledge/serving_images.toml's [[gpu_floor]]).
_NGC_RELEASE = re.compile(r"\bNVIDIA\s+Release\s+(\d{2}\.\d{2})\b|\b(?:tritonserver|tensorrtserver|inferenceserver)\s*:\s*(\d{2}\.\d{2})(?![\d.])", re.I)


def floor_releases(lines: list[str]) -> list[tuple[int, str, str]]:
    """(line number from 1, release YY.MM, the line) of each NGC release the lines show (a container's banner or tag)."""
    out = []
    for number, line in enumerate(lines, 1):
        if "elease" not in line and "server" not in line:
            continue
        for m in _NGC_RELEASE.finditer(line):
            out.append((number, m.group(1) or m.group(2), line.strip()))
    return out
