"""Validating a Source's rows with a pydantic row model, collecting every problem."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from terminal.imports.problems import RowProblem, problems_of
from terminal.imports.sources import Source

M = TypeVar("M", bound=BaseModel)

CHUNK = 500  # rows per "IN (...)" lookup: well below SQLite's variable limit


@dataclass
class Counts:
    """What an import did (or, in a dry run, would do) with its rows."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    extra: dict[str, int] = field(default_factory=dict)


class Row(BaseModel):
    """Base of every row model: unknown fields are refused, never guessed at."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def validate(
    source: Source, model: type[M]
) -> tuple[list[tuple[int, M]], list[RowProblem], set[tuple[int, str]]]:
    """Each row as ``(row number, model)``, the problems found, and the ``(row, field)`` pairs
    that had one.

    A row with bad fields is validated again without them, so checks across
    rows (a SKU or phone given twice) still see its good fields and a person
    learns every problem in one go; the caller writes nothing when there is
    any problem. A row whose key field itself is bad is left out. Unknown CSV
    columns are reported once, on the header line, and then left out of every
    row (JSON rows report unknown keys each).
    """
    problems = list(source.problems)
    known = set(model.model_fields)
    unknown: set[str] = set()
    if source.columns is not None:
        header = source.header_row or 1
        for column in source.columns:
            if column and column not in known and column not in unknown:
                unknown.add(column)
                problems.append(RowProblem(header, column, "import_unknown_column"))
    rows: list[tuple[int, M]] = []
    bad: set[tuple[int, str]] = set()
    for row in source.rows:
        values = {k: v for k, v in row.values.items() if k not in unknown}
        try:
            rows.append((row.row, model.model_validate(values)))
            continue
        except ValidationError as exc:
            found = problems_of(exc, row.row)
        problems.extend(found)
        bad.update((p.row, p.field) for p in found)
        fields = {p.field for p in found}
        try:
            partial = {k: v for k, v in values.items() if k not in fields}
            rows.append((row.row, model.model_validate(partial)))
        except ValidationError:
            pass
    return rows, problems, bad


def chunks(items: Iterable[str]) -> Iterable[list[str]]:
    """``items`` in lists of at most :data:`CHUNK`."""
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


__all__ = ["CHUNK", "Counts", "Row", "chunks", "validate"]
