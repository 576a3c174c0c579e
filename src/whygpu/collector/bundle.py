"""Builds ``collect.py``: the installed collector's own modules, data and two pure-Python dependencies in one standard-library file.

Nothing is maintained twice: the file carries the source of every module the collector imports
(found by following ``import`` statements from ``whygpu.collector.main``), served to Python by a
small meta-path importer, and the knowledge data files it reads, parsed once here and carried as
JSON (``tomllib`` is Python 3.11+). Two pure-Python dependencies travel with it, each with its
license text: ``packaging`` (version comparison in the knowledge layer) and nvidia-ml-py's
``pynvml`` (what the NVML child process imports). pyelftools does not: ``gateways/elf.py`` reads the
dynamic section with the standard library when pyelftools is absent.
"""

from __future__ import annotations

import ast
import base64
import importlib.util
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from whygpu.version import __version__

ENTRY_MODULE = "whygpu.collector.main"

# Modules the collector reaches only through functions it never calls (the report, rules, logs,
# lint, rendering): following their imports would carry the whole package.
NOT_BUNDLED = ("whygpu.api", "whygpu.explain", "whygpu.rules", "whygpu.lint", "whygpu.render", "whygpu.diagnose",
               "whygpu.commands", "whygpu.fleet", "whygpu.cli", "whygpu.collector.bundle",
               "whygpu.collector.recipes")

# Files read as data (through ``pkgutil.get_data``) rather than imported.
RESOURCES = (("whygpu.deep", "child.py"),)

# Third-party pure-Python modules the collector imports, carried with their license files.
DEPENDENCIES = (("packaging", "packaging"), ("pynvml", "nvidia-ml-py"))

MINIMUM_PYTHON = (3, 8)


@dataclass(frozen=True)
class BundledModule:
    """One module in the bundle: its dotted name, whether it is a package, and its source text."""

    name: str
    is_package: bool
    source: str


def _spec_file(name: str) -> tuple[Path, bool] | None:
    """The source file of an importable module and whether it is a package, without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin), spec.submodule_search_locations is not None


def _imported_names(module: str, is_package: bool, source: str) -> set[str]:
    """Every absolute module name an ``import`` in ``source`` may load (relative imports resolved)."""
    names: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _wanted(name: str, roots: tuple[str, ...]) -> bool:
    if any(name == skip or name.startswith(skip + ".") for skip in NOT_BUNDLED):
        return False
    return any(name == root or name.startswith(root + ".") for root in roots)


def bundled_modules() -> list[BundledModule]:
    """The entry module and every whygpu and dependency module it may import, parents included."""
    roots = ("whygpu", *(top for top, _dist in DEPENDENCIES))
    found: dict[str, BundledModule] = {}
    # pynvml is imported by the NVML child process, whose code is a string: named here.
    pending = [ENTRY_MODULE, "pynvml"]
    while pending:
        name = pending.pop()
        if name in found or not _wanted(name, roots):
            continue
        located = _spec_file(name)
        if located is None:
            continue  # "from whygpu.x import function": the name is not a module
        path, is_package = located
        source = path.read_text(encoding="utf-8")
        found[name] = BundledModule(name, is_package, source)
        pending.extend(_imported_names(name, is_package, source))
        parent = name.rpartition(".")[0]
        if parent:
            pending.append(parent)
    return [found[name] for name in sorted(found)]


def _knowledge_json() -> dict[str, str]:
    """Every knowledge data file, parsed here and written as JSON text (keyed as ``knowledge.EMBEDDED_JSON``)."""
    from whygpu.knowledge import names, read_data

    return {f"whygpu.knowledge/{name}": json.dumps(read_data("whygpu.knowledge", name), sort_keys=True)
            for name in names()}


def _resources() -> dict[str, str]:
    """The data files read through ``pkgutil.get_data``, keyed "package/file"."""
    out = {}
    for package, filename in RESOURCES:
        located = _spec_file(package)
        if located is None:
            raise RuntimeError(f"cannot find the package {package}")
        out[f"{package}/{filename}"] = (located[0].parent / filename).read_text(encoding="utf-8")
    return out


def _license_texts() -> dict[str, str]:
    """The license files of each bundled distribution, from its installed metadata."""
    from importlib import metadata

    texts: dict[str, str] = {}
    for _top, dist_name in DEPENDENCIES:
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            continue
        files = [f for f in dist.files or [] if "LICENSE" in f.name.upper() or "COPYING" in f.name.upper()]
        body = "\n\n".join(f.read_text(encoding="utf-8") or "" for f in files)
        texts[f"{dist_name} {dist.version}"] = body or f"(license: {dist.metadata['License'] or 'see the distribution'})"
    return texts


def _pack(text: str) -> str:
    """Compressed and base64-encoded, so the file stays small enough for a Kubernetes ConfigMap (1 MiB)."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def build_collector() -> str:
    """The text of ``collect.py``: a standard-library Python 3.8+ program that prints a whygpu snapshot."""
    modules = bundled_modules()
    payload = {
        "modules": {m.name: [m.is_package, m.source] for m in modules},
        "resources": _resources(),
        "knowledge": _knowledge_json(),
        "licenses": _license_texts(),
    }
    listing = "\n".join(f"#   {m.name}" for m in modules)
    return _TEMPLATE.format(
        version=__version__,
        minimum=".".join(map(str, MINIMUM_PYTHON)),
        minimum_tuple=repr(MINIMUM_PYTHON),
        dependencies=", ".join(sorted(_license_texts())),
        listing=listing,
        payload=_pack(json.dumps(payload, sort_keys=True)),
    )


_TEMPLATE = '''#!/usr/bin/env python3
# whygpu collector {version}: collects one whygpu snapshot (JSON) of this machine and Python
# environment, with nothing but the Python {minimum}+ standard library. Generated by
# `whygpu collector`; do not edit. Read its output with `whygpu doctor --from FILE` or
# `whygpu fleet DIR`. Run `python collect.py --help` for the options.
#
# It carries, compressed below, the source of these modules of whygpu {version} (Apache-2.0)
# and of {dependencies} (their license texts: `python collect.py --licenses`):
{listing}
# The importer below serves them to Python ahead of anything installed.
import sys

if sys.version_info < {minimum_tuple}:
    sys.stderr.write("collect.py needs Python {minimum} or newer; this is %s\\n" % sys.version.split()[0])
    sys.exit(2)

import atexit
import base64
import importlib.abc
import importlib.machinery
import json
import os
import shutil
import tempfile
import zlib

_PAYLOAD = "{payload}"
_BUNDLE = json.loads(zlib.decompress(base64.b64decode(_PAYLOAD)).decode("utf-8"))
_HERE = os.path.abspath(__file__) if "__file__" in globals() else "collect.py"


class _BundledModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves the carried modules (and their data files, for pkgutil.get_data) from memory."""

    def _path(self, name, is_package):
        return os.path.join(_HERE, *name.split(".")) + ("/__init__.py" if is_package else ".py")

    def find_spec(self, fullname, path=None, target=None):
        entry = _BUNDLE["modules"].get(fullname)
        if entry is None:
            if fullname.split(".")[0] == "whygpu":
                # Never mix in another installed whygpu: what is not carried is not there.
                raise ModuleNotFoundError("%s is not carried by collect.py" % fullname, name=fullname)
            return None
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=self._path(fullname, entry[0]),
                                              is_package=entry[0])
        spec.has_location = True
        if entry[0]:
            spec.submodule_search_locations = [os.path.join(_HERE, *fullname.split("."))]
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        code = compile(self.get_source(module.__spec__.name), module.__spec__.origin, "exec", dont_inherit=True)
        exec(code, module.__dict__)

    def get_source(self, fullname):
        return _BUNDLE["modules"][fullname][1]

    def is_package(self, fullname):
        return _BUNDLE["modules"][fullname][0]

    def get_data(self, path):
        relative = os.path.relpath(path, _HERE).replace(os.sep, "/")
        package, _, filename = relative.rpartition("/")
        text = _BUNDLE["resources"].get(package.replace("/", ".") + "/" + filename)
        if text is None:
            raise OSError("not carried by collect.py: %s" % path)
        return text.encode("utf-8")


def _nvml_module_dir():
    """The NVML child process imports pynvml from a directory: write the carried copy to a private one."""
    entry = _BUNDLE["modules"].get("pynvml")
    if entry is None:
        return
    try:
        directory = tempfile.mkdtemp(prefix="whygpu-collector-")
        atexit.register(shutil.rmtree, directory, True)
        with open(os.path.join(directory, "pynvml.py"), "w", encoding="utf-8") as handle:
            handle.write(entry[1])
    except OSError:
        return  # no writable temporary folder: NVML is then asked through nvidia-smi
    sys.path.insert(0, directory)
    del _BUNDLE["modules"]["pynvml"]  # found through sys.path, like an installed one


def _main():
    if sys.argv[1:] == ["--licenses"]:
        for name, text in sorted(_BUNDLE["licenses"].items()):
            sys.stdout.write("%s\\n%s\\n%s\\n\\n" % (name, "=" * len(name), text))
        return 0
    sys.meta_path.insert(0, _BundledModules())
    _nvml_module_dir()
    import whygpu.knowledge

    whygpu.knowledge.EMBEDDED_JSON.update(_BUNDLE["knowledge"])
    from whygpu.collector.main import main

    return main()


if __name__ == "__main__":
    sys.exit(_main())
'''
