"""Loading products, members, promotions, coupons and rewards from files into the local store.

A store without HQ gets its catalogue, members and rules this way; HQ's
server reuses the same code. Nothing here knows about the command line: the
caller reads a :class:`Source` (:func:`read_import_file`, or builds one from
rows it got elsewhere), opens a write transaction and calls
:func:`run_import`. Every row is validated (pydantic models, the pricing
schema for rules); every bad row is reported with its row number, field and
reason (:class:`ImportRefused`), and nothing is written unless every row is
good. The file formats are documented in ``docs/imports.md``.
"""

from terminal.imports.problems import ImportRefused, RowProblem
from terminal.imports.service import (
    KINDS,
    TABULAR,
    ImportResult,
    Kind,
    read_import_file,
    run_import,
)
from terminal.imports.sources import Source, SourceRow, parse_csv, parse_json

__all__ = [
    "KINDS",
    "TABULAR",
    "ImportRefused",
    "ImportResult",
    "Kind",
    "RowProblem",
    "Source",
    "SourceRow",
    "parse_csv",
    "parse_json",
    "read_import_file",
    "run_import",
]
