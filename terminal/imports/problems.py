"""What is wrong with an import: one :class:`RowProblem` per bad row and field.

Rows are numbered as a person counts them in the file: for CSV the line the
record starts on (the header is line 1, so the first data row is 2); for
JSON the position of the object in the list, counting from 1. A problem holds
a catalogue code and its parameters, never a value that could be personal
data (a phone number or a name is never echoed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from terminal import messages
from terminal.errors import InvalidInput

# pydantic's own error types -> our codes (our validators raise our codes directly)
_PYDANTIC_CODES = {
    "missing": "import_required",
    "extra_forbidden": "import_unknown_field",
    "string_type": "import_not_text",
    "string_too_short": "import_empty",
    "string_too_long": "import_too_long",
    "list_type": "import_not_list",
    "tuple_type": "import_not_list",
}


@dataclass(frozen=True)
class RowProblem:
    """One bad field of one row: ``row`` as counted in the file, ``field`` the column or key."""

    row: int
    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        """ "row 3, price: at most 2 decimal places" in ``lang``."""
        reason = messages.render(self.code, self.params, lang)
        return messages.render(
            "import_row_problem", {"row": self.row, "field": self.field, "reason": reason}, lang
        )

    def __str__(self) -> str:
        zh, en = self.text("zh_CN"), self.text("en")
        return zh if zh == en else f"{zh} / {en}"


class ImportRefused(InvalidInput):
    """The import found bad rows and wrote nothing; ``problems`` lists every one, in row order."""

    code = "import_refused"

    def __init__(self, source: str, problems: Sequence[RowProblem]) -> None:
        ordered = sorted(problems, key=lambda p: p.row)
        rows = len({p.row for p in ordered})
        super().__init__("import_refused", file=source, problems=len(ordered), rows=rows)
        self.source = source
        self.problems: list[RowProblem] = ordered


def problems_of(exc: ValidationError, row: int) -> list[RowProblem]:
    """Every error pydantic found in one row, as row problems (values are never echoed)."""
    out: list[RowProblem] = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"] if not isinstance(p, int)]
        name = loc[0] if loc else "-"
        kind = err["type"]
        ctx = dict(err.get("ctx") or {})
        if kind in _PYDANTIC_CODES:
            code = _PYDANTIC_CODES[kind]
            params = {"max": ctx.get("max_length", "")}
        elif kind.startswith("import_"):  # raised by our validators (PydanticCustomError)
            code, params = kind, ctx
        else:
            code, params = "import_bad_value", {"detail": str(err["msg"])}
        out.append(RowProblem(row, name, code, params))
    return out
