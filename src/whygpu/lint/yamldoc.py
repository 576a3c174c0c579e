"""YAML read with PyYAML's safe composer into plain data plus the line of every key and item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A hostile file can make an alias bomb; a real conda or job file has a few hundred nodes.
MAX_NODES = 200_000

Path_ = tuple[Any, ...]


class YamlError(Exception):
    """The YAML did not parse; carries the 1-based line and column where PyYAML stopped."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class YamlDoc:
    """The first document of a YAML file as plain data, with ``positions[path] = (line, column)``."""

    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def line_of(self, *path: Any, default: int = 1) -> int:
        """The line of the value at ``path`` (keys and list indexes), else of its nearest parent."""
        key: Path_ = tuple(path)
        while True:
            if key in self.positions:
                return self.positions[key][0]
            if not key:
                return default
            key = key[:-1]

    def column_of(self, *path: Any) -> int:
        """The column of the value at ``path``, else of its nearest parent."""
        key: Path_ = tuple(path)
        while key and key not in self.positions:
            key = key[:-1]
        return self.positions.get(key, (1, 1))[1]

    def get(self, *path: Any) -> Any:
        """The value at ``path``, or None when any step is missing or of the wrong type."""
        node = self.data
        for step in path:
            if isinstance(node, dict) and not isinstance(step, int):
                node = node.get(step)
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                node = node[step]
            else:
                return None
        return node


def load_yaml(text: str) -> YamlDoc:
    """Parse ``text``; raises ``YamlError`` with a position for any syntax error or oversized file."""
    import yaml

    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            # A multi-document file: the first document is the one Azure ML and conda read.
            return _first_of_many(text)
        raise _error(exc) from None
    except yaml.YAMLError as exc:
        raise _error(exc) from None
    except (RecursionError, MemoryError):
        raise YamlError("the YAML is nested too deeply to read") from None
    doc = YamlDoc(None)
    if node is None:
        return doc
    counter = [0]
    try:
        doc.data = _convert(node, (), doc.positions, counter)
    except RecursionError:
        raise YamlError("the YAML is nested too deeply to read") from None
    return doc


def _first_of_many(text: str) -> YamlDoc:
    import yaml

    try:
        for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
            if node is None:
                continue
            doc = YamlDoc(None)
            doc.data = _convert(node, (), doc.positions, [0])
            return doc
    except yaml.YAMLError as exc:
        raise _error(exc) from None
    except RecursionError:
        raise YamlError("the YAML is nested too deeply to read") from None
    return YamlDoc(None)


def _error(exc: Exception) -> YamlError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}, {problem}" if context else str(problem)
    if mark is not None:
        return YamlError(message, mark.line + 1, mark.column + 1)
    return YamlError(message)


def _convert(node: Any, path: Path_, positions: dict[Path_, tuple[int, int]], counter: list[int]) -> Any:
    import yaml

    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise YamlError(f"the YAML has more than {MAX_NODES} nodes (an alias bomb?)")
    positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                key = str(key)
            if key == "<<" and isinstance(value_node, yaml.MappingNode):
                merged = _convert(value_node, path, positions, counter)
                for merged_key, merged_value in merged.items():
                    result.setdefault(merged_key, merged_value)
                continue
            child = (*path, key)
            positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _convert(value_node, child, positions, counter)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), positions, counter) for i, item in enumerate(node.value)]
    return _scalar(node)


_LOADER: list[Any] = []


def _scalar_loader() -> Any:
    """One idle SafeLoader whose scalar constructors are reused for every file."""
    import yaml

    if not _LOADER:
        _LOADER.append(yaml.SafeLoader(""))
    return _LOADER[0]


def _scalar(node: Any) -> Any:
    """A scalar as the safe loader would make it (int, float, bool, None or str); odd tags stay strings."""
    import yaml

    tag = node.tag
    value = node.value
    if tag == "tag:yaml.org,2002:str" or not isinstance(value, str):
        return value if isinstance(value, str) else str(value)
    try:
        constructor = yaml.SafeLoader.yaml_constructors.get(tag)
        if constructor is None or tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"):
            return value
        result = constructor(_scalar_loader(), node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return value
    return result if isinstance(result, (int, float, bool, str)) or result is None else value
