"""The Python a Linux distribution's own python3 package installs, by release (distros.toml)."""

from __future__ import annotations

import re

from whygpu.knowledge import load

# The distribution and release an image reference names: an OS suffix of a tag (nvidia/cuda:11.4.1-base-ubuntu20.04,
# -ubi8 is not one of these) or the distribution's own image (ubuntu:22.04, ubuntu:jammy, debian:bookworm-slim).
_IN_TAG = re.compile(r"[-:](?P<distro>ubuntu|debian)-?(?P<release>\d+(?:\.\d+)?|[a-z]+)\b")
_OWN_IMAGE = re.compile(r"^(?:docker\.io/)?(?:library/)?(?P<distro>ubuntu|debian):(?P<release>\d+(?:\.\d+)?|[a-z]+)\b")


def distro_python(distro: str, release: str) -> str | None:
    """The Python (major.minor) of ``distro``'s python3 package in ``release`` (a version or a codename), or None."""
    for row in load("distros")["python"]:
        if row["distro"] == distro.lower() and release.lower() in (row["release"], row["codename"]):
            return str(row["python"])
    return None


def image_distro_python(reference: str) -> tuple[str, str] | None:
    """(the Python of the image's distribution python3 package, 'ubuntu 20.04') for an image reference whose tag
    or name states an Ubuntu or Debian release; None when it states none or the release is not in distros.toml."""
    text = reference.lower()
    match = _OWN_IMAGE.match(text) or _IN_TAG.search(text)
    if match is None:
        return None
    distro, release = match.group("distro"), match.group("release")
    python = distro_python(distro, release)
    return (python, f"{distro} {release}") if python is not None else None
