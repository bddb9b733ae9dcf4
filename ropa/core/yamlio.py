"""Reading the YAML files a user (or a third party) wrote: safely, within limits, with lines.

Every YAML file of a register (organisation.yaml, taxonomy.yaml, activities.yaml, a
reviewed ``VERSION.flows.yaml``, Fides manifests) is read here and nowhere else:

- only plain data (PyYAML's safe loader: no Python objects);
- within :mod:`ropa.core.limits`: the file's size, its nesting depth and its node count with
  every alias expanded (a "billion laughs" file is refused before anything is built);
- a key given twice in one mapping is kept (the last value, as YAML loaders do) and
  reported in :attr:`YamlDocument.duplicates`, so the caller can say so;
- each key and list item keeps its line, so that :func:`validate` names file, key and line
  when a value has the wrong type;
- a number keeps the text it was written as (``str()`` of it gives ``0123``, not ``83``),
  since registers write phone numbers and ids without quotes.

Example:
    >>> from ropa.core.yamlio import parse_yaml
    >>> doc = parse_yaml("controller:\\n  name: ACME\\n  name: ACME B.V.\\n", "organisation.yaml")
    >>> doc.data
    {'controller': {'name': 'ACME B.V.'}}
    >>> doc.line(("controller", "name")), doc.duplicates[0]["key"]
    (3, 'controller.name')
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import InputError
from .limits import limit_message, limits, read_limited
from .lists import first_few

__all__ = [
    "YamlDocument",
    "YamlFloat",
    "YamlInt",
    "dotted",
    "duplicate_key_rows",
    "package_yaml",
    "parse_yaml",
    "read_yaml",
    "validate",
]

M = TypeVar("M", bound=BaseModel)

#: libyaml's safe loader when PyYAML was built with it (several times faster), else PyYAML's.
_PACKAGE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(Exception):
    def __init__(self, message: str, mark: Any = None):
        super().__init__(message)
        self.mark = mark


class YamlInt(int):
    """An integer read from YAML that remembers how it was written (``0123``, ``1_000``), so
    that a phone number or an id written without quotes is read back as the user wrote it."""

    text: str

    def __str__(self) -> str:
        return self.text


class YamlFloat(float):
    """A float read from YAML that remembers how it was written (``1.10``, ``2e3``)."""

    text: str

    def __str__(self) -> str:
        return self.text


def _remember(cls: type, value: Any, node: Any) -> Any:
    out = cls(value)
    out.text = node.value
    return out


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing documents nested deeper than ``max_yaml_depth``."""

    def __init__(self, stream: str, max_depth: int, line_key: str | None = None):
        super().__init__(stream)
        self._depth = 0
        self._max_depth = max_depth
        self._line_key = line_key

    def construct_yaml_int(self, node: Any) -> Any:
        return _remember(YamlInt, super().construct_yaml_int(node), node)

    def construct_yaml_float(self, node: Any) -> Any:
        value = super().construct_yaml_float(node)
        return _remember(YamlFloat, value, node) if value == value else value

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        mapping = super().construct_mapping(node, deep=deep)
        if self._line_key:
            mapping[self._line_key] = node.start_mark.line + 1
        return mapping

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                mark = self.peek_event().start_mark
                raise _Refused(limit_message("max_yaml_depth", "the document is nested deeper than "
                                             f"{self._max_depth} levels"), mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)


def dotted(loc: Sequence[Any]) -> str:
    """A key path as people write it: ``controller.email``, ``statements[3].lines``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class YamlDocument:
    """A YAML file's data, with the line of every key and list item, and its repeated keys.

    Attributes:
        data: the loaded value (``None`` for an empty file).
        path: the file it came from (or the name given for a text).
        lines: key path (a tuple of keys and list indexes) -> the line it stands on (1-based).
        duplicates: one dict per key given twice in a mapping: ``key`` (dotted path),
            ``line`` (the repeat, whose value is kept) and ``first_line``.
    """

    data: Any
    path: str
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    duplicates: list[dict[str, Any]] = field(default_factory=list)

    def line(self, loc: Sequence[Any]) -> int | None:
        """The line of the key path ``loc``, or of its nearest enclosing key that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand past ``max_yaml_nodes`` or ``max_yaml_depth``, or
    that refers to itself. Each node is visited once; sizes are summed over the alias graph."""
    cap, max_depth = limits().max_yaml_nodes, limits().max_yaml_depth
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            open_.discard(key)
            if size[key] > cap:
                raise _Refused(limit_message("max_yaml_nodes", "with its aliases expanded, the document "
                                             f"holds more than {cap:,} nodes"), node.start_mark)
            if depth[key] > max_depth:
                raise _Refused(limit_message("max_yaml_depth", "with its aliases expanded, the document "
                                             f"is nested deeper than {max_depth} levels"), node.start_mark)
            continue
        if key in size:
            continue
        if key in open_:
            raise _Refused("an alias refers to the mapping or list that holds it (a recursive "
                           "document)", node.start_mark)
        open_.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node) if id(k) not in size)


#: Keys that name a row of a table or a resource, used to say which rows a repeated key lost.
_ID_KEYS = ("activity_id", "recipient_id", "id", "fides_key", "key", "name")


def _summary(node: yaml.Node) -> tuple[str, int]:
    """What a value dropped by a repeated key said, in words, and how many rows (list items) it
    held: a scalar's text, or the ids of the mappings a list held."""
    if isinstance(node, yaml.ScalarNode):
        text = str(node.value)
        return repr(text if len(text) < 60 else text[:57] + "..."), 0
    if isinstance(node, yaml.SequenceNode):
        ids = []
        for item in node.value:
            found = ({k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
                     if isinstance(item, yaml.MappingNode) else {})
            key = next((found[k] for k in _ID_KEYS if isinstance(found.get(k), yaml.ScalarNode)), None)
            ids.append(str(key.value) if key is not None else f"line {item.start_mark.line + 1}")
        return f"a list of {len(ids)} ({first_few(ids)})" if ids else "an empty list", len(ids)
    if isinstance(node, yaml.MappingNode):
        return f"a mapping of {len(node.value)} keys", 0
    return "", 0


def _index(root: yaml.Node) -> tuple[dict[tuple[Any, ...], int], list[dict[str, Any]]]:
    """Lines of every key path, and the keys repeated within a mapping (aliases visited once)."""
    lines: dict[tuple[Any, ...], int] = {(): root.start_mark.line + 1}
    duplicates: list[dict[str, Any]] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            kept: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is None:
                    continue
                line = key_node.start_mark.line + 1
                if key in first:
                    said, rows = _summary(kept[key])
                    duplicates.append({"key": dotted((*loc, key)), "line": line, "first_line": first[key],
                                       "dropped": said, "dropped_rows": rows})
                first[key] = line
                lines[(*loc, key)] = line
                kept[key] = value_node  # a repeated key's earlier value is dropped: not indexed
            stack.extend((value_node, (*loc, key)) for key, value_node in kept.items())
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[(*loc, i)] = item.start_mark.line + 1
                stack.append((item, (*loc, i)))
    duplicates.sort(key=lambda d: d["line"])
    return lines, duplicates


def parse_yaml(text: str, path: str | Path, *, error: type[InputError] = InputError,
               line_key: str | None = None) -> YamlDocument:
    """Parse one YAML document within the limits; ``error`` (naming ``path``, line and column)
    for text that is not YAML, passes a limit, or holds more than one document.

    With ``line_key``, every mapping also holds its first line under that key (for readers
    that carry lines along with the data, such as the Fides importer)."""
    path = str(path)
    loader = _Loader(text, limits().max_yaml_depth, line_key)
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlDocument(None, path)
        _check_expansion(root)
        lines, duplicates = _index(root)
        data = loader.construct_document(root)
    except _Refused as exc:
        mark = exc.mark
        raise error(str(exc), path, mark.line + 1 if mark else None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise error(f"is not valid YAML: {problem}", path, mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise error(f"is not valid YAML: {exc}", path) from None
    finally:
        loader.dispose()
    return YamlDocument(data, path, lines, duplicates)


def read_yaml(path: str | Path, *, error: type[InputError] = InputError,
              line_key: str | None = None) -> YamlDocument:
    """Read and parse a YAML file (UTF-8, with or without a byte-order mark) within the limits.

    Raises:
        InputError: (of the class ``error``) the file cannot be read, is not UTF-8, is not
            YAML, or passes a limit; the message names the file, and the line where known.
    """
    path = Path(path)
    raw = read_limited(path, error)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"is not UTF-8 text (byte {exc.start} is invalid)", str(path), line) from None
    return parse_yaml(text, path, error=error, line_key=line_key)


@functools.cache
def package_yaml(name: str, package: str = "ropa.taxonomy") -> Any:
    """A YAML data file shipped with ``ropa`` (``name`` relative to ``package``, ``/`` between
    folders), read once: the value is shared by every caller and must not be changed.

    These files are ours, not input: they are read without the limits and line tracking of
    :func:`read_yaml`.

    Example:
        >>> package_yaml("words.yml")["yes"][:2]
        ['yes', 'y']
    """
    item = resources.files(package)
    for part in name.split("/"):
        item = item.joinpath(part)
    return yaml.load(item.read_text(encoding="utf-8"), Loader=_PACKAGE_LOADER)


def duplicate_key_rows(doc: YamlDocument) -> list[dict[str, Any]]:
    """Finding fields (file, row, column, evidence; severity ``high`` when list items were
    lost) for each key the document gives twice."""
    rows = []
    for d in doc.duplicates:
        row = {"file": doc.path, "row": d["line"], "column": d["key"]}
        if d.get("dropped_rows"):
            row["severity"] = "high"
            row["evidence"] = (f"{d['key']} is also given on line {d['first_line']}; that value, "
                               f"{d['dropped']}, was replaced by the one on line {d['line']}, so its "
                               f"{d['dropped_rows']} item{'s were' if d['dropped_rows'] > 1 else ' was'} not loaded")
        else:
            said = f" ({d['dropped']})" if d.get("dropped") else ""
            row["evidence"] = (f"{d['key']} is also given on line {d['first_line']}{said}; the value on "
                               f"line {d['line']} is used")
        rows.append(row)
    return rows


def _found(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {value}"
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "...'"


def _data_path(data: Any, loc: Sequence[Any]) -> tuple[Any, ...]:
    """The part of a pydantic error location that names keys and items of the data (pydantic
    adds the names of union members and validators, which the file does not hold)."""
    out: list[Any] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            node = node[part]
        elif isinstance(node, dict) and not out and isinstance(part, str) and part not in node:
            out.append(part)  # a required key that is missing: name it
            break
        else:
            continue
        out.append(part)
    return tuple(out)


def validate(doc: YamlDocument, model: type[M], *, error: type[InputError] = InputError,
             data: Any = None) -> M:
    """Validate ``doc.data`` (or ``data``) against a pydantic model.

    Raises:
        InputError: (of the class ``error``) naming the file, the first wrong key and its line,
            with every problem found (up to five) in the message.
    """
    try:
        return model.model_validate(doc.data if data is None else data)
    except ValidationError as exc:
        problems: list[str] = []
        first_line = None
        said: set[tuple[Any, ...]] = set()
        for err in exc.errors(include_url=False):
            loc = _data_path(doc.data if data is None else data, err["loc"])
            if loc in said or len(problems) == 5:
                continue  # one problem per key: the first alternative of a union says enough
            said.add(loc)
            line = doc.line(loc)
            if first_line is None:
                first_line = line
            where = f"key {dotted(loc)}" if loc else "the document"
            at = f" (line {line})" if line is not None and problems else ""
            msg = err.get("ctx", {}).get("reason") or err["msg"].removeprefix("Value error, ")
            found = f", found {_found(err['input'])}" if err["type"] not in ("missing",) else ""
            problems.append(f"{where}{at}: {msg[0].lower() + msg[1:]}{found}")
        more = len({_data_path(doc.data if data is None else data, e["loc"]) for e in exc.errors()}) - len(problems)
        tail = f"; and {more} more" if more > 0 else ""
        raise error("; ".join(problems) + tail, doc.path, first_line) from None
