"""One entry point for every kind of import: permission, dispatch, audit."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.orm import Session

from terminal import audit
from terminal.auth import Actor, Permission, authorize
from terminal.errors import InvalidInput
from terminal.imports.members import import_members
from terminal.imports.products import import_products
from terminal.imports.rewards import import_rewards
from terminal.imports.rules import import_coupons, import_promotions
from terminal.imports.sources import Source, format_of, read_file
from terminal.pii import MemberVault

log = logging.getLogger(__name__)

Kind = Literal["products", "members", "promotions", "coupons", "rewards"]
KINDS: tuple[Kind, ...] = ("products", "members", "promotions", "coupons", "rewards")
"""Every kind :func:`run_import` takes (``posterm import`` offers them all)."""
TABULAR: tuple[Kind, ...] = ("products", "members")
"""Kinds that may come as CSV; promotions, coupons and rewards are JSON only."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did, or with ``dry_run`` what it would do; ``extra`` holds kind-specific
    counts (``categories_created``; ``coupons_created``, ``coupons_updated``)."""

    kind: Kind
    source: str
    rows: int
    created: int
    updated: int
    unchanged: int
    extra: Mapping[str, int]
    dry_run: bool


def _check_kind(kind: str, fmt: str, name: str) -> None:
    if kind not in KINDS:
        raise InvalidInput("import_unknown_kind", kind=kind, kinds=", ".join(KINDS))
    if fmt == "csv" and kind not in TABULAR:
        raise InvalidInput("import_json_only", kind=kind, file=name)


def read_import_file(kind: str, path: Path) -> Source:
    """Read ``path`` (``.csv`` or ``.json``) for an import of ``kind``.

    Prices in product files are read exactly (JSON numbers as ``Decimal``);
    promotion and coupon files are read as plain JSON, so a fractional amount
    there reaches the pricing schema as a float and is refused by it.
    """
    path = Path(path)
    _check_kind(kind, format_of(path), path.name)
    return read_file(path, exact_numbers=kind in TABULAR)


def run_import(
    session: Session,
    kind: str,
    source: Source,
    *,
    actor: Actor,
    vault: MemberVault | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
    terminal_id: str | None = None,
) -> ImportResult:
    """Import ``source`` as ``kind`` in the caller's (write) transaction.

    Needs IMPORT_DATA (managers and admins). Every row is checked first; if
    any is bad, :class:`~terminal.imports.problems.ImportRefused` lists every
    problem and nothing has been written. With ``dry_run`` the rows are
    checked and counted and nothing is written either way. A real import is
    audited as ``data_imported`` (kind, file name, counts; never row data).
    Members need the ``vault`` their personal data is encrypted with.
    """
    authorize(actor, Permission.IMPORT_DATA)
    _check_kind(kind, source.format, source.name)
    if not source.rows and not source.problems:
        raise InvalidInput("import_no_rows", file=source.name)
    now = now or datetime.now(UTC)
    if kind == "products":
        counts = import_products(session, source, dry_run=dry_run)
    elif kind == "members":
        if vault is None:
            raise ValueError("importing members needs the member vault")
        counts = import_members(session, source, vault, dry_run=dry_run, now=now)
    elif kind == "promotions":
        counts = import_promotions(session, source, dry_run=dry_run, now=now)
    elif kind == "rewards":
        counts = import_rewards(session, source, dry_run=dry_run, now=now)
    else:
        counts = import_coupons(session, source, dry_run=dry_run, now=now)
    result = ImportResult(
        kind=kind,  # type: ignore[arg-type]  # checked by _check_kind
        source=source.name,
        rows=len(source.rows),
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        extra=dict(counts.extra),
        dry_run=dry_run,
    )
    if not dry_run:
        details: dict[str, Any] = {
            "file": source.name,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            **result.extra,
        }
        audit.record(
            session,
            "data_imported",
            user_id=actor.user_id,
            terminal_id=terminal_id,
            target=kind,
            **details,
        )
        session.flush()
    log.info(
        "%s %s from %s: %d created, %d updated, %d unchanged",
        "checked" if dry_run else "imported",
        kind,
        source.name,
        result.created,
        result.updated,
        result.unchanged,
    )
    return result
