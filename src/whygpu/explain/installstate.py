"""Reads the install state of a framework's packages from the package commands a log shows (accpkg, session 21).

Every package manager's command is read here, once (``install_commands``; accunify, session 24): its manager (pip, conda,
apt, rpm, NuGet), its verb, the requirements it names (name, extras, version or build), the indexes, channels or feeds
it names, whether it forces an install over the copy there (``--force-reinstall``, ``--ignore-installed``) and whether
it names another build (a version, an index, a wheel), with where it stands in the line. What a command means is each
reader's: ``package_commands`` below (pip's installs and removals, for LOG160 and LOG220), ``explain.ownanswer.cpu_packages``
(packages that are CPU builds by definition, LOG290) and ``explain.logfacts`` (TensorFlow's packages).

For pip's ``install`` and ``uninstall`` only a command that was run counts: one on a line of its own (a shell or
notebook prompt, a numbered step, a code block), or in the reporter's sentence said as a fact ("I used this command
`pip install ...`"); a command in advice ("you should run ...", "try ..."), a question or a condition is not read.

What the commands mean is the knowledge layer's decision (``knowledge.python_layouts.same_import_repair``): removing two
distributions of one import package, or removing one and forcing the GPU build over what is there, shows them installed
together (FRAMEWORK_INSTALL_BROKEN, judged by LOG220 in ``explain.installrules``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar

__all__ = ["InstallCommand", "Requirement", "conda_packages", "install_commands", "package_commands"]

# --- install commands: the one reading of every package manager's commands (accunify, session 24) -------------------
# A command is its program, a subcommand (the verb) and the words after it up to the end of the command (a shell
# separator, a pipe or a closing backtick). The programs and the registry whose names they install (the manager):
#   - pip run any way: pip, pip3, pip3.11, pip.exe, a path to one, ``python -m pip``, ``py -m pip``, a venv's
#     ``python.exe -m pip``, ``uv pip`` (https://pip.pypa.io/en/stable/user_guide/, https://docs.astral.sh/uv/pip/);
#     uv's project commands (``uv add``, https://docs.astral.sh/uv/reference/cli/) and poetry's (``poetry add``,
#     https://python-poetry.org/docs/cli/#add) install from the same index: all "pip";
#   - conda, mamba and micromamba ("conda"; https://docs.conda.io/projects/conda/en/latest/commands/install.html);
#   - apt and apt-get ("apt"), yum and dnf ("rpm");
#   - NuGet: PowerShell's ``Install-Package``, ``dotnet add [project] package`` and ``nuget install``, the first two
#     with no verb of their own ("nuget"; https://learn.microsoft.com/en-us/nuget/reference/ps-reference/ps-ref-install-package,
#     https://learn.microsoft.com/en-us/dotnet/core/tools/dotnet-add-package).
# Any of them may follow sudo or a notebook's "!". Which commands were run, and what a command means, is each reader's.
_PATH = r"(?:[\w.~:/\\-]*[\\/])?"
_PIP_PROGRAM = (_PATH + r"(?:python(?:\d(?:\.\d+)?)?|py)(?:\.exe)?\s+(?:-\S+\s+)*-m\s+pip\d?(?!\S)|" + _PATH + r"pip\d?(?:\.\d+)?(?:\.exe)?(?!\S)"
                r"|uv\s+pip(?!\S)")
_PROGRAM = re.compile(
    r"(?<![\w./\\-])(?:sudo\s+(?:-\S+\s+)*)?"
    r"(?P<program>" + _PIP_PROGRAM + r"|" + _PATH + r"(?:uv|poetry|conda|mamba|micromamba|apt-get|apt|yum|dnf|nuget)(?:\.exe)?(?!\S)"
    r"|Install-Package|dotnet\s+add(?:\s+(?!package\b)\S+)?\s+package)\s+",
    re.I)
# The command's words: up to a shell separator, a pipe, a closing backtick or the next command on the line.
_ARGS = re.compile(r"[^\n`;&|]*")
_NEXT_COMMAND = re.compile(r"(?:install|uninstall|add|remove)\b", re.I)
_MANAGERS = {"uv": "pip", "poetry": "pip", "conda": "conda", "mamba": "conda", "micromamba": "conda", "apt-get": "apt", "apt": "apt",
             "yum": "rpm", "dnf": "rpm", "nuget": "nuget", "install-package": "nuget", "dotnet": "nuget"}
# Options whose value is the next word (not a package), by manager.
_PIP_VALUE_OPTIONS = frozenset({"-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f",
                                "--find-links", "-t", "--target", "--prefix", "--root", "--python", "-p", "--src", "--platform",
                                "--python-version", "--implementation", "--abi", "-e", "--editable", "--trusted-host", "--proxy",
                                "--index", "--default-index", "--group", "-G", "--source", "-E", "--extras"})
_VALUE_OPTIONS = {
    "pip": _PIP_VALUE_OPTIONS,
    "conda": frozenset({"-c", "--channel", "-n", "--name", "-p", "--prefix", "--file", "--repodata-fn"}),
    "apt": frozenset({"-t", "--target-release", "-o", "--option", "-c", "--config-file"}),
    "rpm": frozenset({"--repo", "--enablerepo", "--disablerepo", "--releasever", "--installroot", "-c", "--config"}),
    "nuget": frozenset({"-version", "-source", "-projectname", "-v", "--version", "-s", "--source", "-f", "--framework",
                        "--package-directory", "-outputdirectory", "-o", "--output"}),
}
# Options whose value names where the packages come from: an index, a wheel location, a channel, a feed, a repository.
_SOURCE_OPTIONS = {
    "pip": frozenset({"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--index", "--default-index", "--source"}),
    "conda": frozenset({"-c", "--channel"}),
    "apt": frozenset({"-t", "--target-release"}),
    "rpm": frozenset({"--repo", "--enablerepo"}),
    "nuget": frozenset({"-source", "-s", "--source"}),
}
# Options that install over the copy already there.
_FORCE_OPTIONS = frozenset({"--force-reinstall", "--ignore-installed", "-I", "--reinstall"})
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# A requirement: conda's "channel::" before it, the name, pip's extras ("jax[cpu]"), then what names the build (a version
# or a URL: "==0.4.1", conda's "=1.13=py3.9_cpu_0", "@ https://...").
_REQUIREMENT = re.compile(r"(?:(?P<channel>[\w./-]+)::)?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\[[^\]]*\])?")
_SPEC = re.compile(r"\s*(?:[=<>!~]=?|@)")
_ARCHIVE = (".whl", ".tar.gz", ".zip")


@dataclass(frozen=True)
class Requirement:
    """One package a command names: as written (quotes and surrounding punctuation off), its name, extras and the rest."""

    written: str  # "jax[cpu]==0.4.1"
    name: str  # "jax", as written
    extras: str  # "[cpu]" or ""
    spec: str  # "==0.4.1", "=1.13=py3.9_cpu_0", "@ https://...", or ""

    @property
    def key(self) -> str:
        """The name as a registry compares it (lower case, "_" as "-")."""
        return self.name.lower().replace("_", "-")


def parse_requirement(token: str) -> tuple[str, Requirement] | None:
    """A requirement as a command or a requirements file writes it ("jax[cuda12]==0.4.30", "conda-forge::jaxlib=0.4"):
    its conda channel ("" when none) and the requirement (name, extras, the rest as its spec); None when it names none."""
    r = _REQUIREMENT.match(token)
    if r is None:
        return None
    return r.group("channel") or "", Requirement(token, r.group("name"), r.group("extras") or "", token[r.end():])


@dataclass(frozen=True)
class InstallCommand:
    """One package manager's command a line shows, where it stands in the line, and what it names."""

    manager: str  # "pip", "conda", "apt", "rpm" or "nuget": whose registry the names are from
    program: str  # the program as written, lower case and spaces folded ("python3 -m pip", "uv pip", "mamba", "install-package")
    verb: str  # the subcommand, lower case ("install", "uninstall", "add", "create", ...); NuGet's package commands: "install"
    requirements: tuple[Requirement, ...]
    sources: tuple[str, ...]  # the indexes, wheel locations, channels or feeds it names
    forced: bool  # --force-reinstall / --ignore-installed
    other_build: bool  # a version, an index or a wheel location named: not simply the same build again
    start: int  # where the command (with sudo) starts in the line
    end: int

    @property
    def names(self) -> tuple[str, ...]:
        """The distributions it names, in order, as a registry compares them."""
        return tuple(r.key for r in self.requirements)

    @property
    def pip(self) -> bool:
        """Whether the program is pip itself (run any way, uv's pip interface among them), not uv's or poetry's project commands."""
        return _PIP_ITSELF.search(self.program) is not None


_PIP_ITSELF = re.compile(r"(?:^|[\\/\s])pip\d?(?:\.\d+)?(?:\.exe)?$")


def _manager(program: str) -> str:
    if _PIP_ITSELF.search(program):
        return "pip"
    return _MANAGERS[re.split(r"[\\/]", program.split()[0])[-1].removesuffix(".exe")]


def _command(text: str, m: re.Match[str], stop: int) -> InstallCommand:
    program = " ".join(m.group("program").lower().split())
    manager = _manager(program)
    args = _ARGS.match(text, m.end(), stop)
    end = args.end() if args is not None else m.end()
    words = text[m.end():end].split()
    verb = ""
    if manager != "nuget" or program.startswith("nuget"):
        first = re.fullmatch(r"['\"(]*([A-Za-z][\w-]*)([,.:)'\"]*)", words[0]) if words else None
        if first is not None:
            # A verb with a comma or a full stop after it ends the command there ("right after pip install, tensorflow
            # was looking for ...": the words after it are the sentence's, not the command's).
            verb, words = first.group(1).lower(), [] if re.search(r"[,.:]", first.group(2)) else words[1:]
    else:
        verb = "install"
    # The words split at commas as well, outside extras ("rembg[gpu,cli]" is one).
    words = [part for word in words for part in re.split(r",(?![^\[\]]*\])", word) if part]
    value_options, source_options = _VALUE_OPTIONS[manager], _SOURCE_OPTIONS[manager]
    requirements: list[Requirement] = []
    sources: list[str] = []
    forced = other_build = False
    skip = ""
    for word in words:
        if skip:
            sources.extend([word.strip("'\"")] if skip in source_options else [])
            skip = ""
            continue
        if word.startswith("-"):
            option, _, value = word.partition("=")
            option = option.lower() if manager == "nuget" and not option.startswith("--") else option
            forced = forced or option in _FORCE_OPTIONS
            other_build = other_build or option in source_options
            if option in source_options and value:
                sources.append(value.strip("'\""))
            skip = option if option in value_options and not value else ""
            continue
        token = word.strip("'\"(),.:")
        if "/" in token.split("::")[-1] or "\\" in token or token.endswith((*_ARCHIVE, ".txt")):
            other_build = other_build or token.endswith(_ARCHIVE)
            continue
        parsed = parse_requirement(token)
        if parsed is None:
            continue
        channel, requirement = parsed
        other_build = other_build or _SPEC.match(requirement.spec) is not None
        if channel:
            sources.append(channel)
        requirements.append(requirement)
    return InstallCommand(manager, program, verb, tuple(requirements), tuple(sources), forced, other_build, m.start(), end)


def install_commands(text: str) -> list[InstallCommand]:
    """Every package manager command ``text`` shows (run, advised or asked alike), in their order on the line."""
    low = text.lower()
    if not any(word in low for word in ("pip", "uv", "poetry", "conda", "mamba", "apt", "yum", "dnf", "nuget", "install-package", "dotnet")):
        return []
    # A program named inside another command's words is a package ("pip install -U pip wheel"), unless a verb that names
    # packages follows it or it cannot be a package's name (sudo before it, ``python -m pip``, ``uv pip``, Install-Package):
    # then the writer wrote a second command ("pip list shows nothing though I ran pip install x").
    found: list[re.Match[str]] = []
    end = 0
    for m in _PROGRAM.finditer(text):
        unambiguous = " " in m.group(0).strip() or m.group("program").lower() == "install-package"  # sudo, python -m pip, uv pip
        if m.start() < end and not (unambiguous or _NEXT_COMMAND.match(text, m.end())):
            continue
        found.append(m)
        args = _ARGS.match(text, m.end())
        end = args.end() if args is not None else m.end()
    return [_command(text, m, found[i + 1].start() if i + 1 < len(found) else len(text)) for i, m in enumerate(found)]


# An instruction to run the command: an imperative verb opening the clause before it ("Try", "then run", "please do").
_IMPERATIVE = re.compile(r"(?:^|[,:;(]\s*|\b(?:then|and|just|please|simply|so)\s+)(?:try|run|do|use|execute|type|reinstall)\b[^.!?]*$", re.I)
# The writer saying they did it ("I ran", "we used", "I tried to run").
_DONE = re.compile(r"\b(?:i|we)\b[^.!?]*\b(?:ran|used|did|typed|executed|tried|installed|uninstalled|had\s+to)\b", re.I)
# What may stand before a command on its own line: a list mark or numbered step, a virtual environment's name, a shell,
# PowerShell or notebook prompt, a quote or backtick opening a code span.
_PROMPT = re.compile(
    r"^\s*(?:[-*>]\s+)?(?:(?:step\s*)?\d+[.):]\s*)?(?:\([\w.-]+\)\s*)?"
    r"(?:PS\s+[^>\n]*>\s*|In\s*\[\d*\]:\s*|[\w.@~:/\\-]*\s*[$#%>]\s*)?[!`'\"]*\s*$", re.I)


def run_command(text: str, start: int, end: int) -> bool:
    """Whether the command at ``start``..``end`` of ``text`` is shown run: alone on its line after at most a prompt, or
    in the writer's own sentence said as a fact (not advice, a question, a condition or a plan)."""
    if _PROMPT.match(text[:start]):
        return True
    from whygpu.explain.statements import asserted

    left, _right = grammar.sentence_at(text, start, end)
    before = text[left:start]
    if (_IMPERATIVE.search(before) or grammar.instructed(text, start, end)) and not _DONE.search(before):
        return False  # an instruction ("try `pip uninstall ...`", "then run pip install ...", "you should pip install ..."), not what was done
    return asserted(text, start, end)


def package_commands(text: str) -> list[InstallCommand]:
    """pip's install and uninstall commands ``text`` shows run and that name a distribution, in their order on the line
    (``pip uninstall -y x && pip install x`` gives two)."""
    low = text.lower()
    if "install" not in low or "pip" not in low:
        return []
    return [c for c in install_commands(text) if c.pip and c.verb in ("install", "uninstall") and c.names and run_command(text, c.start, c.end)]


# --- the writer's words that two distributions of one import package are installed together --------------------------
# Two forms, each read by its parts:
#   - two members of one group joined by a word of being together ("onnxruntime-gpu was installed alongside regular
#     onnxruntime", "tensorflow-gpu together with tensorflow", "paddlepaddle installed on top of paddlepaddle-gpu");
#   - a member installed as a dependency of something else or again over what is there ("it still installs tensorflow",
#     "insightface pulls in onnxruntime", "the package "tensorflow" is pulled in", "onnxruntime gets installed as a
#     dependency"): the one the writer installed is then beside it; which pair that makes is read with the packages
#     the rest of the log shows installed (explain.logfacts), and decided by knowledge.python_layouts.same_import_conflicts.
# Each is kept only in the writer's sentence said as a fact (not a question, a condition, advice or a plan), and not
# where the verb before it is negated ("was not installed alongside").
_TOGETHER = r"(?:alongside|along\s+with|together\s+with|side\s+by\s+side\s+with|beside|besides|next\s+to|on\s+top\s+of|in\s+addition\s+to|as\s+well\s+as)"
_AGAIN = r"(?:still|also|again|automatically|silently|unnecessarily|always|even)"
# The verb right before a member: "still installs", "also installed", "pulls in", "brought in the regular".
_ACTIVE = re.compile(
    r"\b(?:" + _AGAIN + r"\s+(?:re-?)?install(?:s|ed)?|(?:pulls?|pulled|drags?|dragged|brings?|brought)\s+in)"
    r"\s+(?:the\s+)?(?:(?:regular|plain|normal|cpu|default|cpu-only)\s+)?(?:(?:pypi-?|pip-?)?package\s+)?[`'\"*]*$", re.I)
# The passive after it: "is pulled in", "gets installed as a dependency", "was also installed".
_PASSIVE = re.compile(
    r"[`'\"*]*\s*(?:\([^)]*\)\s*)?(?:is|was|are|were|gets?|got|being|has\s+been|had\s+been)\s+(?:" + _AGAIN + r"\s+)?"
    r"(?:pulled\s+in|dragged\s+in|brought\s+in|(?:re-?)?installed\s+(?:as\s+a\s+dependency|too|as\s+well|again|anyway|automatically))\b"
    r"|[`'\"*]*\s*(?:\([^)]*\)\s*)?(?:is|was|are|were|gets?|got|has\s+been|had\s+been)\s+" + _AGAIN + r"\s+(?:re-?)?installed\b", re.I)
# An instruction opening the sentence: "Do not install ...", "Never let ...", "Avoid ...", "Install ... only".
_DONT = re.compile(r"\W*(?:do\s+not|don['’]?t|never|avoid|install|uninstall|remove|make\s+sure|ensure|please)\b", re.I)
_NEGATED_VERB = re.compile(r"\b(?:not|never|no\s+longer|n['’]t|wasnt|isnt|doesnt|didnt|dont)\b", re.I)


# accinstall (session 25): the two members named as both installed: "I had installed both onnxruntime and onnxruntime-gpu",
# "I have both tensorflow and tensorflow-gpu", "onnxruntime and onnxruntime-gpu are both installed", "... were installed
# together". The verb before "both" is one of installing or having (not "uninstalled": removing both is LOG220's repair),
# not negated; the members joined by "and" alone.
_MARK = r"[`'\"*]*"
_BOTH_BEFORE = re.compile(r"\b(?:installed|install|have|had|has|got|there\s+(?:are|were))\b(?:\s+(?:\w+\s+){0,3}?)?\s*both\s+(?:the\s+)?" + _MARK + r"$", re.I)
# acctwins (session 28): a release written after a member ("onnxruntime 1.16.3 and onnxruntime-gpu 1.16.3").
_MEMBER_RELEASE = r"(?:\s*(?:==|\s|\()\s*v?\d+(?:\.\d+)+[\w.+]*\)?)?"
_AND_ONLY = re.compile(_MARK + _MEMBER_RELEASE + r"\s*(?:and|&)\s*(?:the\s+)?" + _MARK, re.I)
# "I have X and Y installed": the verb of having before, "installed" after the second member (and its release).
_HAVE_BEFORE = re.compile(r"\b(?:have|had|has|got)\b(?:\s+\w+){0,2}\s*" + _MARK + r"$", re.I)
_INSTALLED_AFTER = re.compile(_MEMBER_RELEASE + _MARK + r"\s+(?:both\s+)?installed\b", re.I)
_BOTH_AFTER = re.compile(_MARK + r"\s+(?:packages\s+)?(?:are|were|got|get)\s+(?:both\s+installed|installed\s+(?:both|together|at\s+the\s+same\s+time|simultaneously|side\s+by\s+side))\b", re.I)


def _both_installed(text: str, left: int, start: int, end: int, o_start: int, o_end: int) -> bool:
    """Whether two members named at ``start``..``end`` and ``o_start``..``o_end`` are said to be both installed."""
    if not _AND_ONLY.fullmatch(text, end, o_start):
        return False
    before = text[left:start]
    if _BOTH_BEFORE.search(before):
        return not _NEGATED_VERB.search(before)
    if _HAVE_BEFORE.search(before) and _INSTALLED_AFTER.match(text, o_end):
        return re.search(r"n['’]t\b|\b(?:not|never|no)\b", before, re.I) is None
    return _BOTH_AFTER.match(text, o_end) is not None and not _NEGATED_VERB.search(text[o_end:o_end + 40].split(".")[0])


def _member_names() -> dict[str, str]:
    """Every ``[[same_import]]`` member of the groups whose names decide a GPU build, by its name (knowledge layer)."""
    from whygpu.knowledge.python_layouts import same_import_groups

    return {m: g.group for g in same_import_groups() if g.gpu_by_name for m in g.members}


def _mentions(text: str) -> list[tuple[str, int, int]]:
    """The group members a text names (hyphen or underscore, in backticks or quotes), longest name first at a place."""
    names = sorted(_member_names(), key=len, reverse=True)
    rx = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n).replace(r"\-", "[-_]") for n in names) + r")(?![\w-])", re.I)
    return [(m.group(1).lower().replace("_", "-"), m.start(), m.end()) for m in rx.finditer(text)]


def said_installed_together(text: str) -> list[tuple[str, ...]]:
    """The members the writer says are installed together (two names), or that something installs beside what is there
    (one name), each a tuple of distribution names; empty where the line says neither as a fact."""
    low = text.lower()
    if not any(word in low for word in ("onnxruntime", "tensorflow", "paddle", "tf-nightly", "ort-nightly", "mxnet")) or grammar.program_line(text):
        return []
    from whygpu.explain.statements import asserted

    def said(start: int, end: int) -> bool:
        left, right = grammar.sentence_at(text, start, end)
        if _DONT.match(text, left) or grammar.supposed(text, left, right, start, end) or re.match(r"[^.!]*\?", text[start:]):
            # an instruction ("do not install X alongside Y"), a condition ("if X is pulled in, ..."), or a question, even
            # one that presupposes ("why do we need to install both tensorflow-gpu as well as tensorflow?")
            return False
        return asserted(text, start, end, build=True)

    groups = _member_names()
    out: list[tuple[str, ...]] = []
    mentions = _mentions(text)
    for i, (name, start, end) in enumerate(mentions):
        left, right = grammar.sentence_at(text, start, end)
        # Two members joined by a word of being together.
        for other, o_start, o_end in mentions[i + 1:]:
            if o_start >= right or groups[other] != groups[name] or other == name:
                continue
            between = text[end:o_start]
            joined = re.search(r"\b" + _TOGETHER + r"\b", between, re.I)
            together = joined is not None and len(between) <= 80 and not _NEGATED_VERB.search(re.split(r"\bor\b|,|;", between[: joined.start()])[-1])
            if (together or _both_installed(text, left, start, end, o_start, o_end)) and said(start, o_end):
                out.append((name, other))
            break
        # One member installed by something else, or again.
        clause = re.split(r"[,;:]|\bbut\b|\band\b|\bor\b", text[left:start])[-1]
        active = _ACTIVE.search(clause)
        passive = _PASSIVE.match(text, end, right)
        if (active or passive) and not (active and _NEGATED_VERB.search(clause)) and said(start, end):
            out.append((name,))
    return out


# --- accpairs (session 27): a GPU build and its CPU twin, each shown installed ----------------------------------------
# The members of the [[same_import]] groups whose names decide a build (knowledge/python_layouts.toml: MXNet's mxnet-cu101
# beside mxnet or mxnet-mkl, paddlepaddle-gpu beside paddlepaddle), in the forms a log shows a distribution installed
# that the other readers here do not read (pip's "Successfully installed", uv's and poetry's rows and the writer's
# "both ... and ..." are read by ``installer_output`` and ``said_installed_together``):
#   - a listing's row: `pip list` ("mxnet-cu101mkl  1.5.0"), `pip freeze` ("mxnet-cu101mkl==1.5.0"), `conda list`
#     ("mxnet-cu101mkl  1.5.0  pypi_0  pypi"), a table row ("| paddlepaddle-gpu | 2.5.1 |");
#   - the writer's words naming a variant's distribution with its version or as installed: "my mxnet version is
#     `mxnet-cu101mkl` version 1.5.0", "I installed mxnet-cu101mkl", "paddlepaddle-gpu 2.5.1 is installed". Only a
#     variant's name (with its -cu101, -gpu, -mkl part): the plain name is also the framework's ("I use MXNet 1.5" names
#     the framework, not pip's CPU package), so it is read only from a listing or a command.
# accinst (session 30): and an issue template's environment row, the distribution with the word "version" and its release after
# a colon or in brackets ("- tensorflow-gpu version [1.6.0]", "- onnxruntime-gpu: 1.17.1", "tensorflow version (1.6.0)").
# The name of such a row is a package only as a package manager spells it (lower case: "PaddlePaddle version 2.0.2" names
# the framework), and a row with an arrow is a transaction's ("tensorflow: 1.8.0-h1 --> 1.7.0-0": conda's plan, read elsewhere).
_LIST_ROW_RX = re.compile(r"^[\s>*|-]*(?P<name>[A-Za-z][\w.-]*)(?P<word>\s+version)?(?:\s*==\s*|\s+|\s*\|\s*|\s*(?P<colon>:)\s*|\s*[\[(]\s*)v?\d+\.\d+[\w.!+-]*(?:\s*[\])])?(?:\s*\|)?(?:\s+\S+){0,3}\s*\|?\s*$")


def _list_row(text: str) -> re.Match[str] | None:
    """A listing's row (_LIST_ROW_RX), less a template row whose name is not written as a package, and a transaction's row."""
    m = _LIST_ROW_RX.match(text)
    if m is None:
        return None
    if (m.group("word") or m.group("colon")) and (m.group("name") != m.group("name").lower() or "->" in text):
        return None
    return m
_VARIANT_VERSION = r"\s*[`'\"*]*\s*(?:\(|,)?\s*(?:version|ver\.?|v)?\s*(?:is\s+|:\s*|==?\s*)?v?\d+\.\d+"
_VARIANT_INSTALLED = r"(?:\b(?:installed|install|using|use|have|had|got)\s+(?:the\s+)?(?:package\s+)?[`'\"*]*\s*$)"
_VARIANT_NOT_THERE = re.compile(r"\b(?:(?:to|try(?:ing)?|tried|want(?:ed)?|wanna|how|cannot|can['’]?t|could\s*n['’]?o?t|unable\s+to|failed\s+to|fails\s+to)\s+(?:\w+\s+)?(?:re-?)?install"
                                r"|remov\w*|uninstall\w*|replac\w*|delet\w*|overwr\w*|overrid\w*)\b", re.I)
_VARIANT_PASSIVE = re.compile(r"[`'\"*]*\s*(?:\S+\s+)?(?:is|was|got|has\s+been)\s+(?:already\s+|also\s+)?installed\b", re.I)


def listing_row(text: str) -> bool:
    """acctwins (session 28): whether ``text`` is a package listing's row (pip list, pip freeze, conda list, a table): its
    place among the rows is the listing's order (by name), not the order of installing."""
    return _list_row(text) is not None


def shown_by_a_tool(text: str) -> bool:
    """accnoticed39 (session 39): whether ``text`` shows packages as a tool printed or ran them (a listing's row, an install
    command, an installer's output), not only in the writer's words ("When there is tensorflow installed, ...")."""
    return listing_row(text) or any(True for _ in install_commands(text)) or bool(installer_output(text)[0])


def twin_members(text: str, *, installed_word: bool = False) -> list[str]:
    """The distributions of the [[same_import]] groups whose names decide a build that a listing's row or the writer's words
    show installed (lower case, hyphenated); empty for any other line. ``installed_word`` (acctwins): in the writer's words
    only a name said installed ("I installed ...", "... is installed"), not one merely written with its release
    ("onnxruntime-gpu 1.17 gives only the CPU provider" names what is meant, not what the module in place is)."""
    from whygpu.knowledge.python_layouts import same_import_groups

    if len(text) > 2000 or grammar.code_comment(text):
        return []
    groups = {m: g for g in same_import_groups() if g.gpu_by_name for m in g.members}
    out: list[str] = []
    if (row := _list_row(text)) is not None and (name := row.group("name").lower().replace("_", "-")) in groups:
        out.append(name)
    if grammar.program_line(text):
        return out
    for name, start, end in _mentions(text):
        if name in out or "-" not in name or name == groups[name].group:
            continue
        versioned = re.match(_VARIANT_VERSION, text[end:end + 40], re.I) is not None
        installed = re.search(_VARIANT_INSTALLED, text[max(0, start - 40):start], re.I) is not None or _VARIANT_PASSIVE.match(text, end) is not None
        # acctwins (session 28): what is wanted ("trying to install tensorflow-gpu") or was taken away ("removed my previously
        # installed tensorflow-gpu") is not what is there.
        clause = re.split(r"[,;:]|\bbut\b|\band\b", text[max(0, start - 80):start])[-1]
        if _VARIANT_NOT_THERE.search(clause):
            continue
        if (installed or (versioned and not installed_word)) and grammar.said(text, start, end, quotes=False):
            left, _right = grammar.sentence_at(text, start, end)
            if (_DONT.match(text, left) or re.match(r"\W*(?:if|when|whether|unless|once|should|could|would|can)\b", text[left:], re.I)
                    or re.match(r"[^.!\n]*\?", text[start:])):
                continue
            out.append(name)
    return out



# --- acctwins (session 28): a package set written as pins on one line --------------------------------------------------
# Two or more requirement pins (``name==version``) on one line, joined only by separators (commas, the ideographic comma,
# semicolons, slashes, "and", spaces), after at most a short lead ("installed:", "I have", a bullet): the set a writer
# pastes of what is installed, pip freeze's rows written on one line. Not a command (``pip install a==1 b==2`` names what
# is asked for: ``install_commands`` reads it), a question, a condition, or another package's requirements ("requires
# tensorflow==2.0, ..."). A pin's version is the release installed (pip freeze writes exactly that form:
# https://pip.pypa.io/en/stable/cli/pip_freeze/).
_PIN = re.compile(r"(?<![A-Za-z0-9_.=<>~-])([A-Za-z][\w.-]*?)\s*==\s*v?(\d+(?:\.\d+)+(?:[a-z]+\d*)?(?:\.post\d+)?(?:\+[\w.]+)?)(?![\w.])")
_PIN_SEPARATOR = re.compile(r"^(?:[\s,;/|`'\"*()\[\]\u3001\uff0c\uff1b]|\band\b|&)*$", re.I)
_PIN_LEAD_NOT_SAID = re.compile(
    r"\b(?:if|when|whether|unless|should|could|would|need|needs|require[sd]?|requirements?\s+(?:is|are)|try|trying|recommend\w*|suggest\w*|instead|want|wants)\b",
    re.I)


# accnodev (session 33): the release a line shows a distribution installed at: a listing's row ("paddlepaddle-gpu   2.5.1.post117",
# conda's "onnxruntime-gpu 1.16.3 py310..."), a pin ("tensorflow-gpu==2.4.1"), pip's "Successfully installed
# onnxruntime-gpu-1.16.3", pip show's "name (1.2.3)" form.
_RELEASE = r"v?(\d+(?:\.\d+)+(?:[a-z]+\d*)?(?:\.post\d+)?(?:\+[\w.]+)?)(?![\w.])"


def member_version(text: str, name: str) -> str | None:
    """The release ``text`` shows the distribution ``name`` installed at (above), or None."""
    spelt = re.escape(name).replace(r"\-", "[-_]")
    m = re.search(r"(?<![\w.-])" + spelt + r"(?:\s*==\s*|\s*\|\s*|\s+|-(?=\d)|\s*\(\s*)" + _RELEASE, text, re.I)
    return m.group(1) if m else None


def pinned_members(text: str) -> list[tuple[str, str]]:
    """(distribution, version) for each pin of a [[same_import]] member whose names decide a build, where ``text`` is a
    package set written as two or more pins on one line (lower case, hyphenated); empty for any other line."""
    if "==" not in text or len(text) > 2000 or "?" in text or grammar.program_line(text) or grammar.code_comment(text):
        return []
    if any(c.verb in ("install", "add", "create") for c in install_commands(text)):
        return []
    pins = list(_PIN.finditer(text))
    if len(pins) < 2 or any(not _PIN_SEPARATOR.match(text[a.end():b.start()]) for a, b in itertools.pairwise(pins)):
        return []
    lead = text[:pins[0].start()]
    if len(lead) > 40 or _PIN_LEAD_NOT_SAID.search(lead) or _DONT.match(lead):
        return []
    members = _member_names()
    return [(name, m.group(2)) for m in pins if (name := m.group(1).lower().replace("_", "-")) in members]

# --- the writer's words that an install resolved to the CPU build -------------------------------------------------------
# Two forms, each the same fact (the framework's GPU build was not what got installed), read as the writer's statement
# (explain.statements.asserted; not a question, a condition, advice or a guess):
#   - a verb of installing negated, with a GPU or CUDA build of the framework, or its CUDA dependencies, as its object:
#     "doesn't pull in the CUDA dependencies", "pip install ultralytics did not install any cuda packages", "it never
#     downloads the GPU wheel", and the passive "the CUDA build of torch was not installed";
#   - the framework's CPU build named as what was installed, without the auxiliary ("torch cpu version installed",
#     "jaxlib cpu-only wheel got picked").
_GPU_BUILD = r"(?:cuda|gpu)[- ]?(?:enabled\s+)?(?:version|build|wheel|variant|dependenc(?:y|ies)|deps|packages?)s?\b"
_NOT_INSTALLED = re.compile(
    r"\b(?:doesn['’]?t|does\s+not|didn['’]?t|did\s+not|won['’]?t|will\s+not|never|fails?\s+to|failed\s+to)\s+(?:\w+\s+)?"
    r"(?:install|pull|bring|download|get|resolve|pick|fetch)(?:s|ed|ing)?\s+(?:in\s+)?(?:(?:the|any|a)\s+)?(?:[\w.+-]+\s+)?(?:" + _GPU_BUILD
    # accinstall (session 25): the GPU support itself as the object ("it doesn't install support for CUDA", "pip did not
    # install CUDA support")
    + r"|(?:cuda|gpu)\s+support\b|support\s+for\s+(?:cuda|(?:the\s+)?gpus?)\b)"
    + r"|\b(?:the\s+)?" + _GPU_BUILD + r"(?:\s+of\s+[\w.-]+)?\s+(?:is|are|was|were)(?:n['’]?t|\s+not|\s+never)\s+(?:being\s+)?(?:installed|pulled(?:\s+in)?|downloaded|resolved)\b",
    re.I)
_CPU_NAMED_INSTALLED = re.compile(
    r"\b(?:torch|pytorch|tensorflow|tf|jax|jaxlib|paddle\w*|onnxruntime)\s+\(?(?:\+?cpu|cpu[- ]only)\)?[- ](?:version|build|wheel|variant)\s+"
    r"(?:is\s+|was\s+|gets?\s+|got\s+|being\s+)?(?:installed|pulled|downloaded|chosen|picked)\b",
    re.I)


# accinstall (session 25): the installer or the requirements named as what brought the CPU build ("requirements.txt install
# cpu version of torch", "pip picked the CPU-only wheel of jaxlib", "the setup script installs the cpu build"): the install
# as the subject, the CPU build as its object.
_INSTALLER_GAVE_CPU = re.compile(
    r"\b(?:requirements(?:\.txt|\s+file)?|setup\.py|pyproject(?:\.toml)?|pip3?|uv|poetry|conda|mamba|the\s+(?:installer|install\s+script|setup(?:\s+script)?|script))"
    r"\s+(?:will\s+|would\s+|just\s+|always\s+)?(?:install|installs|installed|pulls?(?:\s+in)?|pulled(?:\s+in)?|downloads?|downloaded|gives?|gave|picks?|picked|resolves?|resolved)"
    r"\s+(?:me\s+)?(?:the\s+|a\s+)?cpu(?:[- ]only)?[- ](?:version|build|wheel|variant)s?\b",
    re.I)


# accinstall (session 25): the writer's words that the GPU came only once they installed the framework themselves after
# what installed it first ("they need to explicitly install jax after installing the toolkit to ensure the GPU is visible",
# "I had to reinstall torch separately to get the GPU working"): the build the first install brought (a dependency's plain
# requirement) was not the GPU one.
_FW = r"(?:torch|pytorch|tensorflow(?:-gpu)?|jax|jaxlib|paddle[-\w]*|onnxruntime[-\w]*|llama[-_]cpp[-_]python)(?:\[[\w,-]+\])?"
_REINSTALLED_FOR_GPU = re.compile(
    r"\b(?:need(?:s|ed)?|had|have|has)\s+to\s+(?:explicitly\s+|manually\s+|separately\s+|first\s+|also\s+)?(?:re-?)?install\s+(?:the\s+)?" + _FW
    + r"(?![\w-])(?:\s+(?:with|from)\s+(?:the\s+)?(?:cuda|gpu)[\w.-]*(?:\s+(?:index|version|build|support|wheel))?)?"
    r"\s+(?:(?:explicitly|manually|separately|again|afterwards|myself)\s+)?(?:after\s+(?:the\s+)?(?:installation\s+of\s+)?[\w.`'\"-]+(?:\s+v?[\d.]+[`'\"]*)?\s+)?"
    r"(?:to|so\s+that|in\s+order\s+to)\s+(?:\w+\s+){0,2}?(?:the\s+|my\s+)?gpus?\b",
    re.I)


# accbuild (session 26): three more forms of the same fact, each read by what it says, in any wording:
#   - the framework named as installed without its GPU support ("torch installed w/o gpu support", "pip install x installed
#     pytorch without CUDA", "tensorflow got installed with no GPU support");
#   - the installer still choosing the CPU build ("mamba still tries to install pytorch cpu", "conda keeps installing the
#     cpu version of torch", "pip insists on installing torch-cpu");
#   - an install replacing the GPU build with the CPU one ("conda install opencv replaced the CUDA-enabled pytorch with a
#     CPU-only one", "it overwrote my gpu torch with the cpu version", "the update downgraded torch to the CPU build").
_CPU_BUILD_WORDS = (r"(?:cpu(?:[- ]enabled)?[- ]only\b|non[- ]?(?:cuda|gpu)(?:[- ](?:enabled|version|build|variant|wheel))?\s+(?:(?:version|build|variant|wheel)\s+of\s+)?" + _FW + r"(?![\w-])|cpu[- ](?:version|build|variant|wheel|package|one)s?\b|[\"'“]?cpu[\"'”]?\s+(?:version\s+of\s+)?" + _FW
                    + r"(?![\w-])|" + _FW + r"\s*[-_+ ]\s*[\"'“(]?cpu\b(?![- ](?:usage|time|load|core|thread|ram|memory)))")
_INSTALLED_WITHOUT_GPU = re.compile(
    r"\b(?:(?:(?:re-?)?installs?|(?:re-?)?installed|(?:re-?)?installing|pulls?|pulled|brings?|brought|downloads?|downloaded|gives?|gave)\s+(?:in\s+)?(?:me\s+)?(?:the\s+|a\s+)?"
    + _FW + r"(?![\w-])|" + _FW + r"(?![\w-])(?:\s+(?:is|was|were|got|gets|has\s+been|had\s+been|being|been))?\s+(?:installed|downloaded|pulled\s+in))"
    r"(?:\s+(?:\d[\w.+]*|again|instead))?\s+(?:without|w/o|with\s+no|lacking)\s+(?:any\s+)?(?:gpu|cuda|nvidia)\b(?!\s+(?:toolkit|drivers?|installed)\b)"
    # and negated: "pytorch is not being installed with GPU", "torch wasn't installed with cuda support"
    r"|\b" + _FW + r"(?![\w-])\s+(?:is|was|were|has|had|got)?\s*(?:n['’]t|not|never)\s+(?:being\s+|been\s+)?(?:installed|downloaded|built|compiled)\s+with\s+(?:the\s+)?(?:gpu|cuda)\b(?!\s+(?:toolkit|drivers?)\b)",
    re.I)
_INSTALLER_STILL_CPU = re.compile(
    r"\b(?:pip3?|uv|poetry|conda|mamba|micromamba|the\s+(?:installer|solver|resolver))\s+(?:still\s+|always\s+|just\s+|now\s+)?"
    r"(?:(?:tries|tried|is\s+trying|was\s+trying|keeps?\s+trying|wants?|wanted|insists?\s+on|keeps?|kept)\s+(?:to\s+)?(?:install(?:ing)?|pull(?:ing)?(?:\s+in)?|download(?:ing)?|pick(?:ing)?|choos(?:e|ing)|resolv(?:e|ing))"
    r"|(?:is|was)\s+(?:still\s+)?(?:installing|pulling(?:\s+in)?|downloading|picking|choosing|resolving)|(?:picks|picked|chooses|chose|selects|selected)|resolves\s+to|resolved\s+to"
    # the framework between the verb and the build: "pip resolved torch to the CPU wheel", "conda picked pytorch as the cpu build"
    r"|(?:resolves|resolved|resolving|picks|picked|switches|switched)\s+" + _FW + r"\s+(?:to|as))"
    r"\s+(?:the\s+|a\s+|its\s+)?" + _CPU_BUILD_WORDS,
    re.I)
# A build named by what it lacks ("the installer put a non-CUDA torch in the environment", "a non-GPU build of tensorflow
# was installed"): the CPU build, in other words.
_NON_CUDA_NAMED = re.compile(
    r"\b(?:(?:re-?)?installed|(?:re-?)?installs|forc(?:e|es|ed|ing)|got|gets|had|has|have|kept|keeps|put|puts|ships|shipped|carried|carries|contains|contained|pulled(?:\s+in)?|pulls(?:\s+in)?|brought"
    r"|brings|gave|gives|downloaded|downloads|is|was)\s+(?:me\s+|in\s+)?(?:a|an|the|its|my)\s+non[- ]?(?:cuda|gpu)(?:[- ](?:enabled|capable|version|build|variant|wheel))?\s+(?:(?:version|build|variant|wheel)\s+of\s+)?" + _FW + r"(?![\w-])", re.I)
_REPLACED_BY_CPU = re.compile(
    r"\b(?:replac(?:ed|es|ing)|overwr(?:ote|ites|itten|iting)|swapped|swaps|downgraded|downgrades|switched)\s+(?:out\s+)?(?:my\s+|the\s+|our\s+|a\s+|its\s+)?"
    r"(?:existing\s+|installed\s+|working\s+)?(?:(?:cuda|gpu)(?:[- ](?:enabled|capable|accelerated|version\s+of|build\s+of))?\s+)?(?:[\w.+-]+\s+){0,2}?"
    r"(?:with|by|to|for)\s+(?:a\s+|the\s+|its\s+)?" + _CPU_BUILD_WORDS,
    re.I)

# accbuild (session 26): and the GPU said gone since another package was installed ("after installing opencv through conda,
# pytorch cuda is not available anymore", "after installing this package, now only the CPU shows up"): installing a package
# changes the framework only by replacing it, or installing its CPU package beside it, as a dependency; the change
# marker (anymore, no longer, now, stopped) says it worked before. Not an install of the driver, CUDA, cuDNN or the system
# (those change the machine, not the package), nor of the framework itself or an update (a newer build may need a newer
# driver). Counted over the labelled logs (bench/explain_rule_precision.py --grep): 2 logs, FRAMEWORK_CPU_BUILD 1 and
# FRAMEWORK_INSTALL_BROKEN 1 (a CPU tensorflow installed beside tensorflow-gpu), no negative.
_AFTER_INSTALLING = re.compile(
    r"\b(?:after|since|once)\s+(?:i\s+|we\s+)?(?:(?:pip|conda|mamba)[- ]?)?(?:install(?:ing|ed)|add(?:ing|ed))\s+"
    r"(?!(?:the\s+|a\s+|an\s+)?(?:new\s+|latest\s+)?(?:nvidia|drivers?|cuda|cudnn|toolkit|windows|ubuntu|kernel|os|system|wsl|docker|" + _FW + r")(?![\w-]))"
    r"[^.!?\n]{0,120}?(?:"
    r"\b(?:is|are|was|were)(?:n['’]t|\s+not)\s+(?:\w+\s+)?(?:available|detected|found|recogni[sz]ed|visible|used|working)\s+(?:any\s*more|now)\b"
    r"|\bno\s+longer\s+(?:\w+\s+)?(?:available|detected|found|recogni[sz]ed|visible|used|sees?|finds?|detects?|uses?)\b(?:\s+(?:the\s+|my\s+|any\s+)?(?:gpus?|cuda)\b)?"
    r"|\bnow\b[^.!?\n]{0,60}?\b(?:only\s+(?:the\s+)?cpu|cpu\s+only|(?:is|are)(?:n['’]t|\s+not)\s+(?:available|detected|found|used))\b"
    r"|\bstopped\s+(?:using|detecting|seeing|finding|working\s+on)\s+(?:the\s+|my\s+)?(?:gpu|cuda)\b"
    # accsaid (session 29): the framework's own GPU check said to have turned False ("torch.cuda.is_available() became False",
    # "tf.test.is_gpu_available() now returns False"): the same change, in the answer's words
    r"|\b(?:\w+\.)*\w*(?:cuda|gpu)\w*(?:\.\w+)*\(\)\s+(?:became|becomes|turned|turns|(?:now\s+)?(?:returns?|gives?|says?|is)(?:\s+now)?|started\s+(?:to\s+)?(?:return(?:ing)?|giv(?:e|ing)))\s+[`'\"]?False\b)",
    re.I)


# accinst (session 30): the same change said with any verb of changing a build and the framework as its object or subject,
# and the build it became named by what it lacks ("the update dumbed down torch to no cuda", "the launcher switched pytorch
# to a build without CUDA", "torch went back to a version with no cuda", "it reverted torch to the cpu wheel"). The fact is
# one: the framework's build changed, and what it changed to has no CUDA (a CPU build: knowledge/cpu_packages.toml). A
# bare "cpu" after a verb of switching is a device the writer chose ("I switched the model to cpu"), not a build: the target
# must be a build (its word, its +cpu tag) or the GPU support said absent ("no cuda", "without CUDA").
_LACKS_GPU = r"(?:no\s+(?:cuda|gpu)(?:\s+support)?\b|(?:(?:a|an|the|its)\s+)?(?:(?:cpu|plain|regular)\s+)?(?:version|build|wheel|variant|package|one|release)\s+(?:with\s+no|without|w/o|lacking)\s+(?:any\s+)?(?:cuda|gpus?)(?:\s+support)?\b)"
_CHANGE = (r"(?:downgrad(?:e|es|ed|ing)|dumb(?:s|ed|ing)?\s+down|switch(?:es|ed|ing)?|chang(?:e|es|ed|ing)|revert(?:s|ed|ing)?|reset(?:s|ting)?"
           r"|roll(?:s|ed|ing)?\s+back|turn(?:s|ed|ing)?|convert(?:s|ed|ing)?|(?:re-?)?install(?:s|ed|ing)?|replac(?:e|es|ed|ing)|overwr(?:ite|ites|ote|itten|iting))")
_CHANGED_TO_CPU = re.compile(
    r"\b" + _CHANGE + r"\s+(?:(?:my|the|our|its|their|your)\s+)?(?:(?:existing|installed|working|cuda|gpu)\s+)?" + _FW + r"(?![\w-])(?:\s+v?\d[\w.+]*)?"
    r"\s+(?:back\s+)?(?:to|into|with)\s+(?:(?:a|an|the|its)\s+)?(?:" + _CPU_BUILD_WORDS + r"|" + _LACKS_GPU + r")"
    # the framework as the subject: "torch went back to a version without cuda", "pytorch got switched to the cpu build"
    r"|\b" + _FW + r"(?![\w-])(?:\s+v?\d[\w.+]*)?\s+(?:became|becomes|has\s+become|turned\s+into|is\s+now|was\s+now)\s+(?:(?:again|once\s+more)\s+)?(?:(?:a|an|the|its)\s+)?(?:" + _CPU_BUILD_WORDS + r"|" + _LACKS_GPU + r")"
    r"|\b" + _FW + r"(?![\w-])(?:\s+v?\d[\w.+]*)?\s+(?:(?:has|had|have)\s+)?(?:went|goes|go|gone|is|was|got|gets|has\s+been|had\s+been|been)\s+(?:\w+\s+)?"
    r"(?:back|reverted|switched|changed|downgraded|reset|rolled\s+back|dumbed\s+down|turned)\s+(?:back\s+)?(?:to|into)\s+(?:(?:a|an|the|its)\s+)?(?:" + _CPU_BUILD_WORDS + r"|" + _LACKS_GPU + r")",
    re.I)


_IF_BEFORE = re.compile(r"\b(?:if|unless|whether|in\s+case)\b", re.I)
_OWN_FORMS = (_INSTALLED_WITHOUT_GPU, _INSTALLER_STILL_CPU, _REPLACED_BY_CPU, _CHANGED_TO_CPU, _AFTER_INSTALLING, _NON_CUDA_NAMED)
_YOU_BEFORE = re.compile(r"\byou\s+(?:will\s+|would\s+|may\s+|might\s+|probably\s+|just\s+)?$", re.I)


def said_resolved_to_cpu(text: str) -> re.Match[str] | None:
    """The writer's words that an install brought the framework's CPU build, not its GPU one (asserted), or None."""
    low = text.lower()
    if "cpu" not in low and "cuda" not in low and "gpu" not in low:
        return None
    if grammar.program_line(text):
        return None
    from whygpu.explain.statements import cpu_build_said

    for rx in (_NOT_INSTALLED, _CPU_NAMED_INSTALLED, _INSTALLER_GAVE_CPU, _REINSTALLED_FOR_GPU, _INSTALLED_WITHOUT_GPU, _INSTALLER_STILL_CPU,
               _REPLACED_BY_CPU, _CHANGED_TO_CPU, _AFTER_INSTALLING, _NON_CUDA_NAMED):
        for m in rx.finditer(text):
            if rx is _REINSTALLED_FOR_GPU and _YOU_BEFORE.search(text, max(0, m.start() - 24), m.start()):
                continue  # advice to the reader ("you need to install jax[cuda12] after ..."), not what was done
            if rx is _AFTER_INSTALLING and not re.search(r"\b(?:gpus?|cuda|cpu)\b", m.group(0), re.I):
                continue  # "after installing x, my script no longer works": not about the GPU
            if rx is _CHANGED_TO_CPU and re.search(r"[?？]\W*$", text[m.start():grammar.sentence_at(text, m.start(), m.end())[1]]):
                continue  # accinst: "torch is now a build without cuda?" asks
            if rx in _OWN_FORMS and _IF_BEFORE.search(grammar.clause_before(text[grammar.sentence_at(text, m.start(), m.end())[0]:m.start()])):
                continue  # "if torch was not installed with CUDA, reinstall it": a condition, whatever its verb
            if cpu_build_said(text, m.start(), m.end()):  # accunify (session 26): the one decision every reader of it asks
                return m
    return None


# --- a program's own list of device choices without the GPU --------------------------------------------------------------
# Python's argparse rejects a value outside an option's choices with "argument <option>: invalid choice: <value> (choose
# from <choices>)" (https://docs.python.org/3/library/argparse.html#choices). A program that offers its devices or
# execution providers as choices builds them from what its installed packages provide (an onnxruntime application lists
# onnxruntime.get_available_providers()); asked for the GPU and offering only the CPU, it answers that its packages
# have no GPU support. "Execution provider" is ONNX Runtime's own term (https://onnxruntime.ai/docs/execution-providers/),
# so such an option's answer is onnxruntime's.
_INVALID_CHOICE = re.compile(
    r"\bargument\s+(?P<option>[-\w/, ]{1,60}?):\s+invalid\s+choice:\s+['\"]?(?P<value>[^'\"\s)]{1,40})['\"]?\s+\(choose\s+from\s+(?P<choices>[^)\n]{1,300})\)",
    re.I)
_GPU_CHOICE = re.compile(r"^(?:cuda(?::\d+)?|gpu(?::\d+)?|tensorrt|trt|cuda[-_]?ep|(?:cuda|tensorrt)executionprovider)$", re.I)
_CPU_CHOICE = re.compile(r"^(?:cpu|cpuexecutionprovider)$", re.I)


def cpu_only_choices(text: str) -> tuple[str, re.Match[str]] | None:
    """("onnxruntime" or "any", the match) where a program's argparse error rejects a GPU value and offers the CPU and no
    GPU among its choices; None otherwise (a GPU among the choices, a value that is no GPU, another message)."""
    m = _INVALID_CHOICE.search(text)
    if m is None or not _GPU_CHOICE.match(m.group("value")):
        return None
    choices = [c.strip().strip("'\"") for c in m.group("choices").split(",")]
    if not any(_CPU_CHOICE.match(c) for c in choices) or any(re.search(r"cuda|gpu|tensorrt|\btrt\b", c, re.I) for c in choices):
        return None
    return ("onnxruntime" if "provider" in m.group("option").lower() else "any"), m


# --- conda's package rows in the layouts other conda front ends print ---------------------------------------------------
# A conda package is name, version and build string; its build string names the variant (the pytorch channel's
# "py3.9_cpu_0" / "py3.9_cuda11.3_cudnn8.3.2_0", conda-forge's "cpu_generic_py311h..." / "cuda118_py311h...", the
# TensorFlow selector's "gpu" / "eigen" / "mkl"). Besides `conda list`'s "name version build channel" (read in
# explain.logfacts), two more layouts show the row:
#   - mamba's and micromamba's transaction table: "+ name version build channel size" ("+" installed; "-" removed,
#     not read), the size or "Cached" last (https://mamba.readthedocs.io/en/latest/user_guide/micromamba.html);
#   - conda's older plan: "name: version-build [channel]" and, for an update or downgrade, "name: old-build --> version-build"
#     (the new one is what gets installed).
_MAMBA_ROW = re.compile(r"^\s*\+\s+([a-z_][\w.-]*)\s+(\d[\w.!+]*)\s+(\S+)\s+\S+(?:\s+(?:\d+(?:\.\d+)?\s*[KMGk]?i?B|Cached))?\s*$")
_CONDA_PLAN_ROW = re.compile(r"^\s*([a-z_][\w.-]*):\s+(?:\S+\s+-->\s+)?(\d[\w.!+]*)-(\S+?)(?:\s+[\w./-]+)?\s*$")
# accceiling (session 26): two more layouts of conda's own transaction (conda 4.4 on):
#   - the download table, "name-version | build  size  channel" under "package | build": conda prints
#     "    %-27s|%17s" % (name-version, build), so a build string of 17 characters or more touches the bar
#     ("jaxlib-0.4.27              |cpu_py312h17e8b90_0        51.3 MB  conda-forge"); conda's cli/main_*.py and
#     core/link.py (print_transaction_summary), https://github.com/conda/conda/blob/4.14.0/conda/core/link.py;
#   - the plan, "  name   channel/subdir::name-version-build", an update or a supersede written
#     "old --> channel::name-version-build" (the right side is what gets installed). The REMOVED section prints no "::".
# Neither a version nor a build string may hold "-" (conda's MatchSpec), so the last two "-" split the three.
_CONDA_PLAN_SPEC = re.compile(r"(?:^|\s)[\w./-]*::([a-z_][\w.-]*?)-(\d[\w.!+]*)-([^\s-]+)\s*$")


def conda_package_row(text: str) -> tuple[str, str, str] | None:
    """(name, version, build string) of a package that conda's transaction (its download table or its plan), a mamba
    transaction table or conda's older plan installs, or None."""
    if "-->" not in text and "+" not in text and ":" not in text and "|" not in text:
        return None
    m = _MAMBA_ROW.match(text) or _CONDA_PLAN_ROW.match(text) or _CONDA_DOWNLOAD_ROW.match(text) or _CONDA_PLAN_SPEC.search(text)
    if m is None:
        return None
    return m.group(1), m.group(2), m.group(3)


# accbuild (session 26): every layout in which conda and its front ends print a package with its build string, for the
# readers that judge a package by its build string's variant (knowledge.cpu_packages.conda_variant):
#   - conda's plan (4.6 and later) and its solver messages: "channel/subdir::name-version-build", anywhere in a line
#     ("  pyg    pyg/linux-64::pyg-2.5.0-py311_torch_2.2.0_cpu", "... it is trying to install pyg/linux-64::pyg-..."); in an
#     update, downgrade or supersede row ("old --> new") the new one only;
#   - conda's download table: "name-version | build  size  channel" ("    pyg-2.5.0  |  py311_torch_2.2.0_cpu   1.2 MB  pyg");
#   - `conda list`: "name version build channel" (https://docs.conda.io/projects/conda/en/latest/commands/list.html);
#   - mamba's transaction table and conda's older plan (conda_package_row above).
# A package file's name ("linux-64/pyg-2.5.0-py311_torch_2.2.0_cu121.tar.bz2") is not read: it names a file on a channel's
# page or one the writer wanted, not what the solver chose.
_CONDA_SPEC = re.compile(r"(?<![\w.-])(?:[\w.-]+/){0,2}[\w.-]+::([a-z0-9_][\w.-]*?)-(\d[\w.!+]*)-([\w.!+]+)(?![\w.!+-]|\.(?:tar|conda))", re.I)
_CONDA_DOWNLOAD_ROW = re.compile(r"^\s*([a-z0-9_][\w.-]*?)-(\d[\w.!+]*)\s*\|\s*(\S+)\s+\d[\d.]*\s*[KMG]i?B\b", re.I)
_CONDA_LIST_ROW = re.compile(r"^\s*([a-z0-9_][\w.-]*)\s+(\d[\w.!+]*)\s+([A-Za-z_][\w.!+]*|\d[\w.!+]*_[\w.!+]*)(?:\s+[\w./:-]+)?\s*$")


def conda_packages(text: str, *, listing: bool = True) -> list[tuple[str, str, str]]:
    """(name, version, build string) of each conda package ``text`` shows in a conda layout: conda's plan or solver spec,
    its download table, a `conda list` row (unless ``listing`` is False: then only what an install is about to put in),
    mamba's transaction table; empty for any other line."""
    # An update, downgrade or a package superseded by another channel ("old --> new"): the new one is what gets installed.
    new = text.rsplit("-->", 1)[1] if "-->" in text else text
    out = [(m.group(1), m.group(2), m.group(3)) for m in _CONDA_SPEC.finditer(new)] if "::" in new else []
    if out:
        return out
    row = conda_download_row(text)
    if row is None and listing and (m := _CONDA_LIST_ROW.match(text)) is not None:
        row = m.group(1), m.group(2), m.group(3)
    row = row or conda_package_row(text)
    return [row] if row is not None else []


def conda_download_row(text: str) -> tuple[str, str, str] | None:
    """(name, version, build string) of a row of conda's download table ("name-version | build  size  channel"), or None."""
    if "|" not in text:
        return None
    m = _CONDA_DOWNLOAD_ROW.match(text)
    return (m.group(1), m.group(2), m.group(3)) if m is not None else None


# --- what an installer's own output says it installs ---------------------------------------------------------------------
# pip: "Installing collected packages: a, b" and "Successfully installed a-1.0 b-2.0" (src/pip/_internal/commands/install.py),
# "Collecting a (from b)" for a dependency it is about to install, "Successfully uninstalled a-1.0" for one it removed;
# "Downloading a-1.0-py3-none-any.whl" for one it fetches to install (accsaid, below);
# uv: " + a==1.0" and " - a==1.0" (https://docs.astral.sh/uv/); poetry: "- Installing a (1.0)", "- Updating a (0.9 -> 1.0)",
# "- Removing a (1.0)" (https://python-poetry.org/docs/cli/#install).
_PIP_COLLECTED = re.compile(r"^\s*Installing collected packages:\s*(.+)$")
_PIP_SUCCESS = re.compile(r"^\s*Successfully (installed|uninstalled)\s+(.+)$")
_PIP_DEPENDENCY = re.compile(r"^\s*Collecting\s+([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\S*\s+\(from\s+[^)]+\)")
_UV_ROW = re.compile(r"^\s*([+-])\s+([A-Za-z0-9][\w.-]*)==\S+\s*$")
_POETRY_ROW = re.compile(r"^\s*[-•]\s+(Installing|Updating|Downgrading|Removing)\s+([A-Za-z0-9][\w.-]*)\s+\(")
# accsaid (session 29): pip's "Downloading <wheel or sdist>" and "Using cached <wheel>" for a distribution it is about to
# install: the file's name is the distribution (its "-" written "_" in a wheel), its release and tags
# (https://packaging.python.org/en/latest/specifications/binary-distribution-format/, pip's
# src/pip/_internal/network/download.py); a URL before it names the index. Not pip 23's "Downloading <wheel>.metadata"
# (the resolver reading a candidate's requirements, not an install).
_PIP_DOWNLOADING = re.compile(
    r"^\s*(?:Downloading|Using\s+cached)\s+(?:\S*/)?([A-Za-z0-9][A-Za-z0-9_.]*?)-(\d[\w.!]*(?:(?:\+|%2B)[\w.]+)?)(?:-[\w.]+)*?\.(?:whl|tar\.gz|zip)(?![\w.])(?!\.metadata)", re.I)


def installer_output(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(installed, removed): the distributions an installer's own output line says it installs (or pulls in as a
    dependency) and those it says it removed; empty tuples for any other line."""
    def names(words: list[str], versioned: bool) -> tuple[str, ...]:
        out = []
        for word in words:
            word = word.strip(" ,")
            if versioned:
                word = re.sub(r"-\d[\w.!+]*$", "", word)  # pip's "name-version"
            if _NAME.fullmatch(word):
                out.append(word.lower().replace("_", "-"))
        return tuple(out)

    if (m := _PIP_COLLECTED.match(text)) is not None:
        return names(m.group(1).split(","), False), ()
    if (m := _PIP_SUCCESS.match(text)) is not None:
        found = names(m.group(2).split(), True)
        return (found, ()) if m.group(1) == "installed" else ((), found)
    if (m := _PIP_DEPENDENCY.match(text)) is not None:
        return names([m.group(1)], False), ()
    if (m := _PIP_DOWNLOADING.match(text)) is not None:
        return names([m.group(1)], False), ()
    if (m := _UV_ROW.match(text)) is not None:
        found = names([m.group(2)], False)
        return (found, ()) if m.group(1) == "+" else ((), found)
    if (m := _POETRY_ROW.match(text)) is not None:
        found = names([m.group(2)], False)
        return ((), found) if m.group(1) == "Removing" else (found, ())
    return (), ()


# --- a Linux-only native library loaded on native Windows ----------------------------------------------------------------
# A native-Windows path (a drive letter) to a package's .so file: the package's wheel carries Linux libraries only
# (bitsandbytes before 0.43.0 prints "bin D:\...\bitsandbytes\libbitsandbytes_cpu.so", "Loading binary ...so"); which
# packages those are is the knowledge layer's (knowledge.python_layouts.linux_library_on_windows).
_WINDOWS_SO = re.compile(r"(?<![\w])[A-Za-z]:[\\/][^\s'\"`<>|]*?\.so(?:\.\d+)*(?!\w)")


def linux_library_on_windows(text: str) -> tuple[str, str] | None:
    """(package, path) where ``text`` names a native-Windows path to a Linux-only library of a package, or None."""
    if ".so" not in text:
        return None
    from whygpu.knowledge.python_layouts import linux_library_on_windows as decide

    for m in _WINDOWS_SO.finditer(text):
        row = decide(m.group(0))
        if row is not None:
            return row.package, m.group(0)
    return None
