"""Telling a person exactly where ``config.toml`` is wrong: file, line, dotted key, why.

The person fixing it is looking at the file in an editor, usually on the
phone with support, so every refusal names the line and the key, says what
the value must be, and suggests the key they probably meant.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import BaseModel, ValidationError

from terminal.errors import PosError


class ConfigError(PosError):
    """``config.toml`` is missing, not valid TOML, or holds a value the terminal refuses.

    ``path``, ``line`` (1-based, None when unknown) and ``key`` (dotted) describe
    the first problem; ``problems`` lists every problem as one line each.
    """

    code = "config_invalid"

    def __init__(
        self,
        code: str,
        /,
        *,
        path: Path | None = None,
        line: int | None = None,
        key: str | None = None,
        problems: list[str] | None = None,
        **params: Any,
    ) -> None:
        # the problems are technical lines (file, line, key, value): the same in
        # every language, so they are a parameter, not catalogue text
        problems = problems or []
        super().__init__(code, path=str(path or ""), problems="; ".join(problems), **params)
        self.path = path
        self.line = line
        self.key = key
        self.problems = problems or [str(self)]


_DECODE_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY_PART = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
_ASSIGN = re.compile(rf"^\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")


def _split_key(key: str) -> list[str]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.\s]+", key)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def key_lines(text: str) -> dict[str, int]:
    """Map dotted keys (and table names) to the 1-based line they are first written on.

    A small line scanner rather than a full parser: it only has to point a person
    at the right line of a file that tomllib already accepted.
    """
    lines: dict[str, int] = {}
    table: list[str] = []
    in_multiline: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_multiline is not None:
            if in_multiline in raw:
                in_multiline = None
            continue
        header = _HEADER.match(raw)
        if header:
            table = _split_key(header.group(1))
            lines.setdefault(".".join(table), number)
            continue
        assign = _ASSIGN.match(raw)
        if assign:
            dotted = ".".join([*table, *_split_key(assign.group(1))])
            lines.setdefault(dotted, number)
            rest = raw[assign.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_multiline = quote
    return lines


def _line_of(lines: dict[str, int], dotted: str) -> int | None:
    """The line of ``dotted``, or of its nearest enclosing table/inline table."""
    parts = dotted.split(".")
    while parts:
        found = lines.get(".".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None


def _field_bounds(loc: tuple[Any, ...], root: type[BaseModel]) -> tuple[Any, Any]:
    """The ``ge``/``le`` bounds of the field at ``loc`` (relative to ``root``)."""
    model: Any = root
    info = None
    for part in loc:
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None, None
        info = fields[part]
        model = info.annotation
    lower = upper = None
    for meta in info.metadata if info is not None else []:
        lower = getattr(meta, "ge", lower)
        upper = getattr(meta, "le", upper)
    return lower, upper


def _toml_value(value: Any) -> str:
    try:
        return tomlkit.item(value).as_string().strip()
    except Exception:  # an odd value (e.g. a nested table): repr is fine for a message
        return repr(value)


def _expectation(error: Any, root: type[BaseModel], prefix: tuple[str, ...] = ()) -> str:
    """What the value at ``error["loc"]`` must be; ``loc`` is relative to ``root``.

    ``prefix`` is where ``root``'s data sits in the file (empty for the whole config).
    """
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        lower, upper = _field_bounds(loc, root)
        if lower is not None and upper is not None:
            return f"must be between {lower} and {upper}"
        if lower is not None:
            return f"must be at least {lower}"
        if upper is not None:
            return f"must be at most {upper}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number (no quotes, no decimal point)"
    if kind in ("string_type",):
        return 'must be text in double quotes, e.g. "abc"'
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a table [{'.'.join(str(p) for p in (*prefix, *loc))}]"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "value_error":
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def _known_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every dotted key ``model`` accepts, each starting with ``prefix``."""
    keys: list[str] = []
    for name, info in model.model_fields.items():
        dotted = f"{prefix}{name}"
        keys.append(dotted)
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            keys.extend(_known_keys(info.annotation, f"{dotted}."))
    return keys


def _describe(
    error: Any,
    data: dict[str, Any],
    lines: dict[str, int],
    root: type[BaseModel],
    prefix: tuple[str, ...] = (),
) -> tuple[str, int | None, str]:
    """One validation error as (message, line, dotted key).

    ``root`` is the model that was validated and ``data`` what it was given;
    ``prefix`` is where that data sits in the file (``("printer",)`` for a device
    table, empty for the whole config), so keys and lines are the file's.
    """
    loc = tuple(str(p) for p in error["loc"])
    dotted = ".".join((*prefix, *loc))
    line = _line_of(lines, dotted) if dotted else None
    where = f"line {line}: " if line is not None else ""
    if error["type"] == "extra_forbidden":
        known = _known_keys(root, "".join(f"{p}." for p in prefix))
        candidates = [k for k in known if k.count(".") == dotted.count(".")]
        hint = difflib.get_close_matches(dotted, candidates, n=1)
        did_you_mean = f' (did you mean "{hint[0]}"?)' if hint else ""
        return f'{where}unknown key "{dotted}"{did_you_mean}', line, dotted
    value: Any = data
    for part in loc:
        value = value.get(part) if isinstance(value, dict) else None
    # a whole-table problem (loc empty, e.g. a model validator) shows no value
    shown = f" = {_toml_value(value)}" if value is not None and loc else ""
    return f"{where}{dotted}{shown}: {_expectation(error, root, prefix)}", line, dotted


def _refusal(
    exc: ValidationError,
    data: dict[str, Any],
    lines: dict[str, int],
    path: Path,
    root: type[BaseModel],
    prefix: tuple[str, ...] = (),
) -> ConfigError:
    """The :class:`ConfigError` listing every problem of ``exc``, first line first."""
    described = [_describe(err, data, lines, root, prefix) for err in exc.errors()]
    described.sort(key=lambda item: (item[1] is None, item[1] or 0))
    problems = [f"{path} {msg}" if line else f"{path}: {msg}" for msg, line, _ in described]
    return ConfigError(
        "config_invalid",
        path=path,
        line=described[0][1],
        key=described[0][2] or None,
        problems=problems,
    )
