"""Rows to import, whatever they were read from.

The importer works on a :class:`Source`: a name (the file name, shown in
messages and the audit trail), the rows as plain dicts, each with the row
number a person would count in the file, and for tabular input the column
names. :func:`parse_csv` and :func:`parse_json` make one from text;
:func:`read_file` from a file. HQ's server can build a Source from an upload
the same way.

CSV: UTF-8 with or without a byte-order mark, comma separated, a header row
naming the columns; quoted cells may hold commas and line breaks. Empty rows
are skipped, and an empty cell means "not given". A row is numbered by the
line it starts on, the header being line 1.

JSON: a list of objects; the n-th object is row n. A ``null`` value means
"not given". Numbers with a fraction are read as ``Decimal`` from their text
when ``exact_numbers`` is set (prices), so ``12.50`` is never a binary float.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from terminal.errors import InvalidInput
from terminal.imports.problems import RowProblem

Format = Literal["csv", "json"]


@dataclass(frozen=True)
class SourceRow:
    """One row: ``row`` as counted in the file, ``values`` without the cells left empty."""

    row: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Source:
    """What to import: its name, its rows, the CSV header (None for JSON), and shape problems."""

    name: str
    format: Format
    rows: list[SourceRow]
    columns: tuple[str, ...] | None = None
    header_row: int | None = None
    problems: list[RowProblem] = field(default_factory=list)


def parse_csv(text: str, name: str) -> Source:
    """Rows of a CSV text with a header row (a leading BOM is dropped)."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: tuple[str, ...] | None = None
    header_line = 0
    rows: list[SourceRow] = []
    problems: list[RowProblem] = []
    last = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if columns is None:
                columns = tuple(cell.strip() for cell in record)
                header_line = start
                problems.extend(_header_problems(columns, header_line))
                continue
            if len(record) > len(columns):
                problems.append(
                    RowProblem(start, "-", "import_extra_cells", {"columns": len(columns)})
                )
            values = {
                column: cell.strip()
                for column, cell in zip(columns, record, strict=False)
                if column and cell.strip()
            }
            rows.append(SourceRow(start, values))
    except csv.Error as exc:
        raise InvalidInput(
            "import_bad_csv", file=name, line=reader.line_num, detail=str(exc)
        ) from None
    if columns is None:
        raise InvalidInput("import_no_rows", file=name)
    return Source(name, "csv", rows, columns, header_line, problems)


def _header_problems(columns: Sequence[str], line: int) -> list[RowProblem]:
    problems = []
    seen: set[str] = set()
    for column in columns:
        if not column:
            problems.append(RowProblem(line, "-", "import_blank_column"))
        elif column in seen:
            problems.append(RowProblem(line, column, "import_duplicate_column"))
        seen.add(column)
    return problems


def parse_json(text: str, name: str, *, exact_numbers: bool = True) -> Source:
    """Rows of a JSON list of objects (a leading BOM is dropped)."""
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(text, parse_float=Decimal) if exact_numbers else json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "import_bad_json", file=name, line=exc.lineno, column=exc.colno, detail=exc.msg
        ) from None
    except RecursionError:
        raise InvalidInput("import_too_deep", file=name) from None
    if not isinstance(data, list):
        raise InvalidInput("import_json_not_list", file=name)
    rows: list[SourceRow] = []
    problems: list[RowProblem] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(RowProblem(index, "-", "import_not_object"))
            continue
        rows.append(SourceRow(index, {k: v for k, v in item.items() if v is not None}))
    return Source(name, "json", rows, problems=problems)


def format_of(path: Path) -> Format:
    """``csv`` or ``json`` from the file name's extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "json"
    raise InvalidInput("import_unknown_format", file=path.name)


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (BOM or not), or a refusal naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput("import_not_utf8", file=name, line=line) from None


def read_file(path: Path, *, exact_numbers: bool = True) -> Source:
    """The rows of a ``.csv`` or ``.json`` file; the Source is named after the file."""
    path = Path(path)
    fmt = format_of(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput("import_cannot_read", file=str(path), detail=exc.strerror) from None
    text = decode(data, path.name)
    if fmt == "csv":
        return parse_csv(text, path.name)
    return parse_json(text, path.name, exact_numbers=exact_numbers)
