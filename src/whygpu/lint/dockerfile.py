"""Dockerfiles, read with ``dockerfile-parse`` into stages, installs, environment settings and copies."""

from __future__ import annotations

import io
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from whygpu.lint.interface import FileKind, FileLinter, Location, ParsedFile, ParseProblem, Source
from whygpu.lint.packages import Dependencies, PackageSpec, parse_conda_spec, parse_pip_arguments
from whygpu.lint.shell import split_commands


@dataclass(frozen=True)
class EnvSetting:
    """An environment variable set in the image: by ``ENV``, by ``RUN export``, or in a shell start-up file."""

    name: str
    value: str
    location: Location
    how: str  # "ENV" | "RUN export" | "startup file"
    target: str = ""  # the start-up file written, e.g. ~/.bashrc


@dataclass(frozen=True)
class Copy:
    """A ``COPY``/``ADD`` of files from the build context (or another stage) into the image."""

    sources: tuple[str, ...]
    destination: str
    location: Location
    from_stage: str | None = None


@dataclass
class Stage:
    """One ``FROM`` stage and what its instructions do."""

    index: int
    base: str  # the image as written after ARG substitution (may name an earlier stage)
    name: str | None
    location: Location
    parent: int | None = None  # index of the earlier stage this one is built ``FROM``
    pip: Dependencies = field(default_factory=Dependencies)
    conda: Dependencies = field(default_factory=Dependencies)
    apt: list[PackageSpec] = field(default_factory=list)
    env: list[EnvSetting] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    # Files a conda command reads (``conda env create -f environment.yml``), as written.
    conda_files: list[tuple[str, Location]] = field(default_factory=list)
    cuda_installers: list[Location] = field(default_factory=list)  # NVIDIA runfile installs


@dataclass
class DockerfileModel(ParsedFile):
    """A parsed Dockerfile: its stages in order; the last one is the image that runs."""

    stages: list[Stage] = field(default_factory=list)

    @property
    def final(self) -> Stage | None:
        """The last stage: the image that runs."""
        return self.stages[-1] if self.stages else None

    def lineage(self, stage: Stage | None = None) -> list[Stage]:
        """The stage and every earlier stage it is built ``FROM``, root first."""
        stage = stage or self.final
        chain: list[Stage] = []
        seen: set[int] = set()
        while stage is not None and stage.index not in seen:
            seen.add(stage.index)
            chain.append(stage)
            stage = self.stages[stage.parent] if stage.parent is not None else None
        return list(reversed(chain))

    def runtime_stages(self) -> list[Stage]:
        """Stages whose work reaches the final image: its lineage and stages it copies from."""
        chain = self.lineage()
        result = list(chain)
        for stage in chain:
            for copy in stage.copies:
                if copy.from_stage is None:
                    continue
                for other in self.stages:
                    if other not in result and copy.from_stage in (other.name, str(other.index)):
                        result.extend(s for s in self.lineage(other) if s not in result)
        return result

    @property
    def base_image(self) -> tuple[str, Location] | None:
        """The external image the final stage starts from, with the ``FROM`` line."""
        chain = self.lineage()
        return (chain[0].base, chain[0].location) if chain else None


# The Dockerfile grammar (https://docs.docker.com/reference/dockerfile/#overview).
_INSTRUCTIONS = frozenset({
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
    "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
})
_STARTUP_FILE = re.compile(r"(^|/)(\.bashrc|\.bash_profile|\.profile|bash\.bashrc|profile|environment|\.zshrc)$|/etc/profile\.d/")
_RUNFILE = re.compile(r"cuda_\d+\.\d+(\.\d+)?_\d+(\.\d+)*_linux(_[a-z0-9]+)?\.run")
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


class DockerfileLinter(FileLinter):
    """Reads ``Dockerfile``, ``*.Dockerfile``, ``Dockerfile.*`` and ``Containerfile``."""

    kind = FileKind.DOCKERFILE

    def wants(self, path: PurePosixPath) -> bool:
        """True when a file with this name may be of this kind."""
        name = path.name
        lower = name.lower()
        return (
            lower in ("dockerfile", "containerfile")
            or lower.endswith(".dockerfile")
            or (lower.startswith("dockerfile.") and not lower.endswith((".dockerignore", ".md", ".txt")))
        )

    def parse(self, source: Source) -> DockerfileModel:
        """This file's model; syntax errors become parse problems."""
        return parse_dockerfile(source)


def parse_dockerfile(source: Source) -> DockerfileModel:
    """The Dockerfile's stages; a missing ``FROM`` or an unreadable line becomes a parse problem."""
    from dockerfile_parse import DockerfileParser

    model = DockerfileModel(source)
    try:
        text = expand_heredocs(source.text)
        parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")), env_replace=False)
        structure = parser.structure
    except Exception as exc:
        model.problems.append(ParseProblem(source.location(1), f"not a valid Dockerfile: {exc}"))
        return model
    variables: dict[str, str] = {}
    stage: Stage | None = None
    for item in structure:
        instruction = str(item.get("instruction", "")).upper()
        value = str(item.get("value", ""))
        start = int(item.get("startline", 0)) + 1
        end = int(item.get("endline", start - 1)) + 1
        location = source.location(start)
        if instruction == "COMMENT":
            continue
        if instruction not in _INSTRUCTIONS:
            model.problems.append(ParseProblem(location, f"unknown instruction {instruction}: docker build stops here"))
            continue
        if instruction == "ARG":
            for name, default in _assignments(value, allow_bare=True):
                if name not in variables and default is not None:
                    variables[name] = default
            continue
        if instruction == "FROM":
            stage = _new_stage(model, value, variables, location)
            continue
        if stage is None:
            if instruction not in ("", "PARSER_DIRECTIVE"):
                model.problems.append(ParseProblem(location, f"{instruction} before the first FROM: a Dockerfile must start with FROM (after ARG)"))
            continue
        if instruction == "ENV":
            for name, env_value in _assignments(value, allow_bare=False):
                resolved = _substitute(env_value or "", variables)
                variables[name] = resolved
                stage.env.append(EnvSetting(name, resolved, location, "ENV"))
        elif instruction == "RUN":
            _read_run(stage, value, source, start, end, variables)
        elif instruction in ("COPY", "ADD"):
            copy = _read_copy(value, location)
            if copy is not None:
                stage.copies.append(copy)
    if not model.stages and not model.problems:
        model.problems.append(ParseProblem(source.location(1), "no FROM instruction: not a Dockerfile, or an empty one"))
    return model


# A heredoc word as BuildKit reads it: ``<<EOF``, ``<<-EOF``, ``<<"EOF"``, ``<<'EOF'``; never ``<<<`` (a here-string).
# https://docs.docker.com/reference/dockerfile/#here-documents
_HEREDOC = re.compile(r"(?<![<\w])(\d*)<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\3(?![\w<])")
_DIRECTIVE = re.compile(r"^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(\S*)\s*$")
_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ash", "/bin/sh", "/bin/bash", "/usr/bin/env"})


def escape_character(text: str) -> str:
    """The line-continuation character: a backslash unless a ``# escape=`` parser directive at the top says a backtick."""
    for line in text.split("\n"):
        match = _DIRECTIVE.match(line.strip())
        if not match:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("`", "\\"):
            return match.group(2)
    return "\\"


def _continues(line: str, escape: str) -> bool:
    return line.rstrip().endswith(escape)


def _is_script(before: str) -> bool:
    """True when a heredoc's body is the commands themselves: ``RUN <<EOF`` or a shell reading it (``bash <<EOF``)."""
    words = before.split()
    while words and words[0].startswith("--"):  # RUN --mount=... flags
        words = words[1:]
    if words and words[0].upper() == "RUN":
        words = words[1:]
    while words and words[0].startswith("--"):
        words = words[1:]
    tail = re.split(r"&&|\|\||;|\|", " ".join(words))[-1].split()
    return not tail or (tail[0] in _SHELLS and all(w.startswith("-") or w in _SHELLS for w in tail[1:]))


def expand_heredocs(text: str) -> str:
    """Rewrite what dockerfile-parse cannot read the way BuildKit does, keeping every line's number.

    Heredocs on any line of a RUN, COPY or ADD (also one continued from the line above, several on
    one line, ``<<-``, quoted delimiters) are consumed as BuildKit consumes them: a script body (``RUN
    <<EOF``, ``bash <<EOF``) becomes continued command lines, any other body (a file's content, a
    Python program) becomes comment lines. Blank lines inside a continuation (accepted by docker
    build with a warning) become comment lines too.
    """
    escape = escape_character(text)
    lines = text.split("\n")
    out: list[str] = []
    instruction = ""  # the instruction the current line belongs to
    continuing = False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if continuing and not stripped:
            out.append("#")
            i += 1
            continue
        if stripped.startswith("#"):
            out.append(line)
            i += 1
            continue
        if not continuing:
            instruction = stripped.split(None, 1)[0].upper() if stripped else ""
        matches = list(_HEREDOC.finditer(line)) if instruction in ("RUN", "COPY", "ADD") and "<<" in line else []
        if not matches:
            out.append(line)
            continuing = _continues(line, escape)
            i += 1
            continue
        # The bodies follow the line, one after another, in the order their words appear.
        j = i + 1
        body_lines: list[str | None] = []  # in file order: a command line, or None for any other line
        for match in matches:
            strip_tabs, delimiter = match.group(2) == "-", match.group(4)
            script = instruction == "RUN" and _is_script(line[: match.start()])
            while j < len(lines) and (lines[j].lstrip("\t") if strip_tabs else lines[j]).rstrip("\r").rstrip() != delimiter:
                command = (lines[j].lstrip("\t") if strip_tabs else lines[j]).rstrip("\r").rstrip()
                body_lines.append(command if script and command and not command.lstrip().startswith("#") else None)
                j += 1
            if j < len(lines):
                body_lines.append(None)  # the delimiter line
                j += 1
        header = _HEREDOC.sub("", line).rstrip()
        header_continues = _continues(header, escape)
        if header_continues:
            header = header.rstrip()[:-1].rstrip()
        last = max((k for k, c in enumerate(body_lines) if c is not None), default=-1)
        out.append(header + (f" ; {escape}" if last >= 0 else (f" {escape}" if header_continues else "")))
        for k, entry in enumerate(body_lines):
            if entry is None or k > last:
                out.append("#")
            elif k == last:
                body_line = entry[:-1] if entry.endswith("\\") else entry
                out.append(body_line + (f" {escape}" if header_continues else ""))
            elif entry.endswith("\\"):
                out.append(entry[:-1] + f" {escape}")  # the shell's own continuation
            else:
                out.append(entry + f" ; {escape}")
        continuing = header_continues
        i = j
    return "\n".join(out)


def _new_stage(model: DockerfileModel, value: str, variables: dict[str, str], location: Location) -> Stage:
    words = [w for w in value.split() if not w.startswith("--")]
    base = _substitute(words[0], variables) if words else ""
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    parent = None
    for earlier in model.stages:
        if earlier.name and earlier.name.lower() == base.lower():
            parent = earlier.index
    stage = Stage(index=len(model.stages), base=base, name=name, location=location, parent=parent)
    model.stages.append(stage)
    return stage


def _substitute(text: str, variables: dict[str, str]) -> str:
    """Expand ``$VAR``, ``${VAR}``, ``${VAR:-default}`` and ``${VAR:+alt}`` as Docker does."""

    def replace(match: re.Match[str]) -> str:
        """A variable reference replaced by its value, as Docker expands it."""
        name = match.group(1) or match.group(4)
        operator, operand = match.group(2), match.group(3)
        value = variables.get(name, "")
        if operator == "-":
            return value or operand or ""
        if operator == "+":
            return (operand or "") if value else ""
        return value if name in variables else match.group(0)

    return _VAR.sub(replace, text)


def _assignments(value: str, *, allow_bare: bool) -> list[tuple[str, str | None]]:
    """``K=V K2="v 2"`` or the legacy ``K value`` form of ENV; ``ARG NAME`` has no default."""
    try:
        words = shlex.split(value, posix=True)
    except ValueError:
        words = value.split()
    if not words:
        return []
    if "=" not in words[0]:
        if allow_bare:
            return [(words[0], None)]
        return [(words[0], " ".join(words[1:]))]
    result: list[tuple[str, str | None]] = []
    for word in words:
        if "=" in word:
            name, _, val = word.partition("=")
            result.append((name, val))
        elif allow_bare:
            result.append((word, None))
    return result


def _read_copy(value: str, location: Location) -> Copy | None:
    text = value.strip()
    from_stage = None
    words: list[str]
    if text.startswith("["):
        try:
            words = [str(w) for w in json.loads(text)]
        except (ValueError, TypeError):
            return None
    else:
        try:
            words = shlex.split(text, posix=True)
        except ValueError:
            words = text.split()
    plain: list[str] = []
    for word in words:
        if word.startswith("--from="):
            from_stage = word.split("=", 1)[1]
        elif word.startswith("--"):
            continue
        else:
            plain.append(word)
    if len(plain) < 2:
        return None
    return Copy(tuple(plain[:-1]), plain[-1], location, from_stage)


def _read_run(stage: Stage, value: str, source: Source, start: int, end: int, variables: dict[str, str]) -> None:
    text = value.strip()
    if text.startswith("["):
        try:
            words = [str(w) for w in json.loads(text)]
        except (ValueError, TypeError):
            words = []
        if len(words) >= 3 and words[0].endswith("sh") and words[1] == "-c":
            commands = split_commands(words[2])
        else:
            commands = [words] if words else []
    else:
        commands = split_commands(_substitute(text, variables))
    for words in commands:
        _read_command(stage, words, source, start, end)


def _line_of(source: Source, start: int, end: int, needle: str) -> Location:
    """The line of a RUN instruction that contains ``needle`` (a continued RUN spans lines)."""
    lines = source.lines
    for number in range(start, min(end, len(lines)) + 1):
        if needle and needle in lines[number - 1]:
            column = lines[number - 1].find(needle) + 1
            return source.location(number, column)
    return source.location(start)


def _strip_prefix(words: list[str]) -> list[str]:
    """Drop ``sudo``, ``env``, ``VAR=x`` prefixes and ``conda run -n env``."""
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("sudo", "env", "time", "nohup", "exec", "command") or (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", word) and i + 1 < len(words)):
            i += 1
            continue
        break
    return words[i:]


def _read_command(stage: Stage, words: list[str], source: Source, start: int, end: int) -> None:
    words = _strip_prefix(words)
    if not words:
        return
    program = PurePosixPath(words[0]).name
    rest = words[1:]
    # python -m pip install ... / uv pip install ... / conda run -n env pip install ...
    if re.match(r"^python(\d(\.\d+)?)?$", program) and rest[:2] == ["-m", "pip"]:
        program, rest = "pip", rest[2:]
    elif program == "uv" and rest[:1] == ["pip"]:
        program, rest = "pip", rest[1:]
    elif program in ("conda", "mamba", "micromamba") and rest[:1] == ["run"]:
        inner = rest[1:]
        while inner and inner[0].startswith("-"):
            inner = inner[2:] if inner[0] in ("-n", "--name", "-p", "--prefix") else inner[1:]
        _read_command(stage, inner, source, start, end)
        return
    if re.match(r"^pip(\d(\.\d+)?)?$", program) and rest[:1] == ["install"]:
        _read_pip(stage, rest[1:], source, start, end)
    elif program in ("conda", "mamba", "micromamba"):
        _read_conda(stage, rest, source, start, end)
    elif program in ("apt-get", "apt", "yum", "dnf", "microdnf", "apk") and "install" in rest:
        for word in rest[rest.index("install") + 1 :]:
            if word.startswith("-") or "$" in word:
                continue
            location = _line_of(source, start, end, word)
            name = word.split("=", 1)[0]
            stage.apt.append(PackageSpec(name=name.lower(), raw=word, location=location, manager="apt"))
    elif program == "export":
        for word in rest:
            if "=" in word:
                name, _, val = word.partition("=")
                stage.env.append(EnvSetting(name, val, _line_of(source, start, end, name + "="), "RUN export"))
    elif program in ("echo", "printf", "tee", "cat"):
        _read_startup_write(stage, program, rest, source, start, end)
    # Running NVIDIA's runfile installer (``sh cuda_12.1.0_530.30.02_linux.run``) installs a toolkit.
    runner_args = rest if program in ("sh", "bash") else words[:1]
    for word in runner_args:
        found = _RUNFILE.search(word)
        if found:
            stage.cuda_installers.append(_line_of(source, start, end, found.group(0)))
            break


def _read_pip(stage: Stage, args: list[str], source: Source, start: int, end: int) -> None:
    anchor = source.location(start)
    deps = parse_pip_arguments(args, anchor)
    # Point each package at the line of the RUN that names it.
    for spec in deps.packages:
        stage.pip.packages.append(_relocate(spec, _line_of(source, start, end, spec.raw.split("[")[0].split("=")[0])))
    for index in deps.indexes:
        stage.pip.indexes.append(type(index)(index.url, index.option, _line_of(source, start, end, index.url)))
    for path, _ in deps.includes:
        stage.pip.includes.append((path, _line_of(source, start, end, path)))


def _relocate(spec: PackageSpec, location: Location) -> PackageSpec:
    from dataclasses import replace

    return replace(spec, location=location)


def _read_conda(stage: Stage, args: list[str], source: Source, start: int, end: int) -> None:
    if not args:
        return
    if args[0] == "env" and len(args) > 1 and args[1] in ("create", "update"):
        for i, word in enumerate(args):
            if word in ("-f", "--file") and i + 1 < len(args):
                stage.conda_files.append((args[i + 1], _line_of(source, start, end, args[i + 1])))
            elif word.startswith("--file="):
                path = word.split("=", 1)[1]
                stage.conda_files.append((path, _line_of(source, start, end, path)))
        return
    if args[0] not in ("install", "create", "update"):
        return
    i = 1
    channels: list[str] = []
    while i < len(args):
        word = args[i]
        if word in ("-c", "--channel") and i + 1 < len(args):
            channels.append(args[i + 1])
            i += 2
            continue
        if word in ("-n", "--name", "-p", "--prefix", "--override-channels") or word.startswith("--"):
            if word in ("-n", "--name", "-p", "--prefix", "--file"):
                if word == "--file" and i + 1 < len(args):
                    stage.conda_files.append((args[i + 1], _line_of(source, start, end, args[i + 1])))
                i += 2
            else:
                i += 1
            continue
        if word.startswith("-"):
            i += 1
            continue
        if "$" not in word:
            location = _line_of(source, start, end, word.split("=")[0].split("::")[-1])
            parsed = parse_conda_spec(word, location)
            if isinstance(parsed, PackageSpec):
                if parsed.channel is None and channels:
                    from dataclasses import replace

                    parsed = replace(parsed, channel=channels[0])
                stage.conda.packages.append(parsed)
        i += 1


def _read_startup_write(stage: Stage, program: str, args: list[str], source: Source, start: int, end: int) -> None:
    """``echo 'export LD_LIBRARY_PATH=...' >> ~/.bashrc``: a setting only interactive shells read."""
    target = ""
    payload: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word in (">>", ">") and i + 1 < len(args):
            target = args[i + 1]
            i += 2
            continue
        if program == "tee" and not word.startswith("-"):
            target = word
        payload.append(word)
        i += 1
    if not target or not _STARTUP_FILE.search(target):
        return
    text = " ".join(payload)
    for match in re.finditer(r"(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\S*)", text):
        name = match.group(1)
        stage.env.append(EnvSetting(name, match.group(2), _line_of(source, start, end, name), "startup file", target))
