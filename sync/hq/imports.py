"""``posterm-hq import KIND FILE``: catalogue, members and rules loaded with the till's importer.

HQ holds no till tables, only the latest state of each row it owns
(``hq_entity``). To import with exactly the code a till uses
(:mod:`terminal.imports`: the same file formats, row checks, messages and
all-or-nothing rule), HQ builds a *scratch till store*: a temporary SQLite
store made by the terminal's own code (``initialise_store``), loaded with
HQ's current rows the import refers to (categories and tiers for products
and members, products for promotions...) through the till's own feed
writer (:func:`sync.engine.apply`). The importer runs there. If it finds a
bad row, every problem is reported (row, field, reason) and HQ is not
touched. Otherwise the rows the import created, changed or removed in the
scratch store are published to the feed in the caller's HQ transaction
(one transaction: all of them or none).

Besides the till's kinds (``products``, ``members``, ``promotions``,
``coupons``, ``rewards``), HQ imports what only HQ hands out:
``categories``, ``tiers`` and ``member-keys`` (members' app public keys),
checked with the same row machinery (:func:`terminal.imports.rows.validate`).

Members' personal data (name, phone, birthday) is checked as at the till
but, as with ``import-store``, never published: the feed leaves out
:data:`sync.protocol.PRIVATE_COLUMNS` (they would be sealed with one till's
keys). For the same reason a phone can only be checked against the other
rows of the file, not against members HQ already has. Consents the importer
records stay in the scratch store (they are not an entity HQ sends down).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from sqlalchemy import delete, or_, select, text
from sqlalchemy.orm import Session

from sync import engine as till_feed
from sync import rows
from sync.hq import feed
from sync.hq.models import HqEntity
from sync.protocol import FEED_ENTITIES, Change
from terminal import imports as till_imports
from terminal.auth import Actor
from terminal.errors import InvalidInput
from terminal.imports.problems import ImportRefused, RowProblem
from terminal.imports.rows import Counts, Row, validate
from terminal.imports.sources import Source, format_of, read_file
from terminal.imports.values import refuse
from terminal.imports.values import text as text_field
from terminal.initialise import initialise_store
from terminal.membercodes import key_id_for
from terminal.pii import MemberVault
from terminal.store.database import Database
from terminal.store.models import Category, Member, MemberKey, Tier, User

HQ_KINDS = ("categories", "tiers", "member-keys")
"""Kinds only HQ imports (a till gets these rows from HQ, never from a file)."""
KINDS: tuple[str, ...] = (*till_imports.KINDS, *HQ_KINDS)
TABULAR: tuple[str, ...] = (*till_imports.TABULAR, *HQ_KINDS)

REFERENCES: dict[str, tuple[str, ...]] = {
    "products": ("category", "product", "product_barcode"),
    "members": ("tier", "member"),
    "promotions": ("category", "tier", "product", "promotion"),
    "coupons": ("category", "tier", "product", "member", "coupon_definition", "coupon"),
    "rewards": ("category", "tier", "product", "coupon_definition", "reward"),
    "categories": ("category",),
    "tiers": ("tier",),
    "member-keys": ("tier", "member", "member_key"),
}
"""What the scratch store is loaded with for each kind: the rows the import may change,
and every row those refer to (parents before children, as the feed ranks them)."""

_SCRATCH_STORE = "HQ"
_SCRATCH_TERMINAL = "HQ"


@dataclass
class HqImportResult:
    """What an import did at HQ: the importer's counts and the feed rows published."""

    kind: str
    source: str
    rows: int
    created: int
    updated: int
    unchanged: int
    extra: dict[str, int]
    published: dict[str, int] = field(default_factory=dict)
    """Rows published to the feed per entity (changed or new); ``<entity> removed`` for
    rows the import removed (e.g. a barcode a product no longer has)."""
    dry_run: bool = False


def read_source(kind: str, path: Path) -> Source:
    """The rows of ``path`` for an import of ``kind`` (refused: unknown kind, CSV for JSON-only)."""
    path = Path(path)
    fmt = format_of(path)
    if kind not in KINDS:
        raise InvalidInput("import_unknown_kind", kind=kind, kinds=", ".join(KINDS))
    if fmt == "csv" and kind not in TABULAR:
        raise InvalidInput("import_json_only", kind=kind, file=path.name)
    return read_file(path, exact_numbers=kind in till_imports.TABULAR)


def import_file(
    session: Session, kind: str, path: Path, *, dry_run: bool = False
) -> HqImportResult:
    """Import ``path`` as ``kind`` into HQ's feed, in ``session``'s transaction.

    Raises :class:`~terminal.imports.ImportRefused` (every bad row) or
    :class:`~terminal.errors.InvalidInput` (the file itself) having changed nothing.
    """
    return import_source(session, kind, read_source(kind, path), dry_run=dry_run)


def import_source(
    session: Session, kind: str, source: Source, *, dry_run: bool = False
) -> HqImportResult:
    """Import rows already read (see :func:`import_file`)."""
    if kind not in KINDS:
        raise InvalidInput("import_unknown_kind", kind=kind, kinds=", ".join(KINDS))
    entities = REFERENCES[kind]
    with tempfile.TemporaryDirectory(prefix="posterm-hq-import-") as folder:
        till = _scratch_store(Path(folder) / "scratch.sqlite3")
        try:
            _load(session, till, entities)
            before = _snapshot(till, entities)
            vault = MemberVault.ephemeral()
            with till.transaction() as scratch:
                scratch.execute(
                    text("PRAGMA defer_foreign_keys = ON")
                )  # a parent later in the file
                actor = _actor(scratch)
                counts = _run(scratch, kind, source, actor, vault, dry_run)
            after = before if dry_run else _snapshot(till, entities)
        finally:
            till.close()
    result = HqImportResult(
        kind=kind,
        source=source.name,
        rows=len(source.rows),
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        extra=dict(counts.extra),
        dry_run=dry_run,
    )
    if not dry_run:
        result.published = _publish(session, entities, before, after)
    return result


def _scratch_store(path: Path) -> Database:
    """An empty till store, as ``posterm init`` makes it (its default tiers included)."""
    db = Database(path, hold_lock=False, check=False)
    initialise_store(
        db,
        store_code=_SCRATCH_STORE,
        store_name="HQ import",
        address="",
        timezone="Asia/Shanghai",
        terminal_code=_SCRATCH_TERMINAL,
        admin_username="hq-import",
        admin_name="HQ import",
        admin_pin=str(secrets.randbelow(10**8)).zfill(8),
    )
    return db


def _actor(scratch: Session) -> Actor:
    """The scratch store's admin: the importer asks for IMPORT_DATA; HQ staff have it."""
    user = scratch.scalars(select(User).limit(1)).one()
    return Actor(
        user_id=user.id, username=user.username, display_name=user.display_name, role=user.role
    )


def _load(session: Session, till: Database, entities: tuple[str, ...]) -> None:
    """Write HQ's live rows of ``entities`` into the scratch store, as a till's pull would."""
    found = session.execute(
        select(HqEntity.entity, HqEntity.key, HqEntity.data)
        .where(HqEntity.entity.in_(entities), HqEntity.deleted.is_(False))
        .order_by(HqEntity.rank, HqEntity.entity, HqEntity.key)
    ).all()
    changes = [
        Change(seq=n, entity=entity, key=key, op="upsert", data=data)
        for n, (entity, key, data) in enumerate(found, start=1)
    ]
    with till.transaction() as scratch:
        scratch.execute(text("PRAGMA defer_foreign_keys = ON"))
        tiers = [c.data for c in changes if c.entity == "tier"]
        if tiers:
            # a till keeps the default tiers of `posterm init` until HQ sends one of the same
            # code, or of the same rank (ranks are unique): so does the scratch store
            scratch.execute(
                delete(Tier).where(
                    or_(
                        Tier.code.in_([t.get("code") for t in tiers]),
                        Tier.rank.in_([t.get("rank") for t in tiers]),
                    )
                )
            )
        till_feed.apply(scratch, changes)


def _snapshot(till: Database, entities: tuple[str, ...]) -> dict[str, dict[str, dict[str, Any]]]:
    """Each entity's rows as feed data, by key."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    with till.sessions() as scratch:
        for entity in entities:
            table = rows.table_of(entity)
            out[entity] = {}
            for row in scratch.execute(table.select()):
                values = dict(row._mapping)
                out[entity][rows.key_of(entity, values)] = rows.to_json(entity, values)
    return out


def _publish(
    session: Session,
    entities: tuple[str, ...],
    before: dict[str, dict[str, dict[str, Any]]],
    after: dict[str, dict[str, dict[str, Any]]],
) -> dict[str, int]:
    """Publish what the import changed (parents first); the counts per entity."""
    published: dict[str, int] = {}
    for entity in sorted(entities, key=FEED_ENTITIES.__getitem__):
        old, new = before[entity], after[entity]
        changed = [(key, data) for key, data in new.items() if old.get(key) != data]
        gone = [(key, old[key]) for key in old if key not in new]
        feed.publish_many(session, entity, changed)
        feed.publish_many(session, entity, gone, deleted=True)
        if changed:
            published[entity] = len(changed)
        if gone:
            published[f"{entity} removed"] = len(gone)
    return published


def _run(
    scratch: Session, kind: str, source: Source, actor: Actor, vault: MemberVault, dry_run: bool
) -> Counts:
    if kind in HQ_KINDS:
        if not source.rows and not source.problems:
            raise InvalidInput("import_no_rows", file=source.name)
        return _HQ_IMPORTERS[kind](scratch, source, dry_run)
    result = till_imports.run_import(
        scratch,
        kind,
        source,
        actor=actor,
        vault=vault,
        dry_run=dry_run,
        now=datetime.now(UTC),
    )
    return Counts(result.created, result.updated, result.unchanged, dict(result.extra))


# --- categories -------------------------------------------------------------------------


class CategoryRow(Row):
    """One category: ``id`` (what products and promotions name), ``name``, optional ``parent``."""

    id: Annotated[str, text_field(36)]
    name: Annotated[str | None, text_field(64)] = None
    parent: Annotated[str | None, text_field(36)] = None


def import_categories(scratch: Session, source: Source, dry_run: bool) -> Counts:
    valid, problems, bad = validate(source, CategoryRow)
    held = {c.id: c for c in scratch.scalars(select(Category))}
    in_file = {item.id for _, item in valid}
    items = _first_of_each(valid, "id", problems)
    for row, item in items:
        if item.id not in held and item.name is None and (row, "name") not in bad:
            problems.append(RowProblem(row, "name", "import_required_new"))
        if item.parent is not None:
            if item.parent == item.id:
                problems.append(RowProblem(row, "parent", "import_category_own_parent"))
            elif item.parent not in held and item.parent not in in_file:
                problems.append(
                    RowProblem(row, "parent", "import_unknown_reference", {"values": item.parent})
                )
    if problems:
        raise ImportRefused(source.name, problems)
    counts = Counts()
    for _, item in items:
        category = held.get(item.id)
        if category is None:
            counts.created += 1
            if not dry_run:
                category = Category(id=item.id, name=item.name)
                scratch.add(category)
                held[item.id] = category
        elif (item.name is None or item.name == category.name) and (
            item.parent is None or item.parent == category.parent_id
        ):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        if not dry_run and category is not None:
            if item.name is not None:
                category.name = item.name
            if item.parent is not None:
                category.parent_id = item.parent
    if not dry_run:
        scratch.flush()
    return counts


# --- tiers ------------------------------------------------------------------------------


class TierRow(Row):
    """One tier; points and basis points are whole numbers (``discount_bp`` 500 = 5 %)."""

    code: Annotated[str, text_field(16)]
    name: Annotated[str | None, text_field(32)] = None
    rank: Annotated[int | None, Field(ge=0, le=1000)] = None
    threshold_points: Annotated[int | None, Field(ge=0)] = None
    discount_bp: Annotated[int | None, Field(ge=0, le=10_000)] = None
    points_multiplier_bp: Annotated[int | None, Field(ge=0, le=100_000)] = None


_TIER_FIELDS = ("name", "rank", "threshold_points", "discount_bp", "points_multiplier_bp")


def import_tiers(scratch: Session, source: Source, dry_run: bool) -> Counts:
    valid, problems, bad = validate(source, TierRow)
    held = {t.code: t for t in scratch.scalars(select(Tier))}
    items = _first_of_each(valid, "code", problems)
    final_rank = {code: tier.rank for code, tier in held.items()}
    for row, item in items:
        if item.code not in held:
            problems.extend(
                RowProblem(row, name, "import_required_new")
                for name in ("name", "rank")
                if getattr(item, name) is None and (row, name) not in bad
            )
        if item.rank is not None:
            final_rank[item.code] = item.rank
    holder: dict[int, str] = {}
    for code, rank in final_rank.items():
        holder.setdefault(rank, code)
    for row, item in items:
        if item.rank is not None and holder[item.rank] != item.code:
            problems.append(
                RowProblem(row, "rank", "import_rank_taken", {"code": holder[item.rank]})
            )
    if problems:
        raise ImportRefused(source.name, problems)
    counts = Counts()
    wanted: list[tuple[Tier | None, TierRow, dict[str, Any]]] = []
    for _, item in items:
        tier = held.get(item.code)
        values = {n: getattr(item, n) for n in _TIER_FIELDS if getattr(item, n) is not None}
        if tier is None:
            counts.created += 1
        elif all(getattr(tier, n) == v for n, v in values.items()):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        wanted.append((tier, item, values))
    if dry_run:
        return counts
    # ranks are unique: move the changed ones out of the way first, so two tiers may swap
    for n, (tier, _, values) in enumerate(wanted, start=1):
        if tier is not None and "rank" in values:
            tier.rank = -n
    scratch.flush()
    for tier, item, values in wanted:
        if tier is None:
            scratch.add(Tier(code=item.code, **values))
        else:
            for name, value in values.items():
                setattr(tier, name, value)
    scratch.flush()
    return counts


# --- member app keys --------------------------------------------------------------------

_KEY_ID = re.compile(r"[0-9a-f]{12,32}")


def _public_key(value: Any) -> bytes:
    """An Ed25519 public key: 64 hex characters or the base64 of its 32 raw bytes."""
    if not isinstance(value, str):
        raise refuse("import_not_text")
    value = value.strip()
    raw: bytes | None = None
    if re.fullmatch(r"[0-9A-Fa-f]{64}", value):
        raw = bytes.fromhex(value)
    else:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raw = None
    if raw is None or len(raw) != 32:
        raise refuse("import_bad_public_key")
    return raw


def _key_id(value: Any) -> str:
    if not isinstance(value, str) or not _KEY_ID.fullmatch(value.strip().lower()):
        raise refuse("import_bad_key_id")
    return value.strip().lower()


def _time(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            at = datetime.fromisoformat(value.strip())
        except ValueError:
            at = None
        if at is not None and at.tzinfo is not None:
            return at.astimezone(UTC)
    raise refuse("import_bad_time")


class MemberKeyRow(Row):
    """A member app's public key; ``key_id`` defaults to the one the app derives from it."""

    member_no: Annotated[str, text_field(20)]
    public_key: Annotated[bytes, BeforeValidator(_public_key)]
    key_id: Annotated[str | None, BeforeValidator(_key_id)] = None
    revoked_at: Annotated[datetime | None, BeforeValidator(_time)] = None


def import_member_keys(scratch: Session, source: Source, dry_run: bool) -> Counts:
    valid, problems, _bad = validate(source, MemberKeyRow)
    numbered = [
        (row, item.model_copy(update={"key_id": item.key_id or key_id_for(item.public_key)}))
        for row, item in valid
    ]
    items = _first_of_each(numbered, "key_id", problems)
    members = {
        no: (member_id, status)
        for member_id, no, status in scratch.execute(
            select(Member.id, Member.member_no, Member.status).where(
                Member.member_no.in_({item.member_no.upper() for _, item in items})
            )
        )
    }
    held = {
        k.key_id: k
        for k in scratch.scalars(
            select(MemberKey).where(MemberKey.key_id.in_({i.key_id for _, i in items}))
        )
    }
    plan: list[tuple[MemberKeyRow, str, MemberKey | None]] = []
    for row, item in items:
        found = members.get(item.member_no.upper())
        if found is None or found[1] == "erased":
            problems.append(
                RowProblem(row, "member_no", "import_unknown_member", {"no": item.member_no})
            )
            continue
        key = held.get(str(item.key_id))
        if key is not None and (key.member_id != found[0] or key.public_key != item.public_key):
            problems.append(RowProblem(row, "key_id", "import_key_taken"))
            continue
        plan.append((item, found[0], key))
    if problems:
        raise ImportRefused(source.name, problems)
    counts = Counts()
    for item, member_id, key in plan:
        if key is None:
            counts.created += 1
            if not dry_run:
                scratch.add(
                    MemberKey(
                        key_id=item.key_id,
                        member_id=member_id,
                        public_key=item.public_key,
                        revoked_at=item.revoked_at,
                    )
                )
        elif item.revoked_at is not None and key.revoked_at != item.revoked_at:
            counts.updated += 1
            if not dry_run:
                key.revoked_at = item.revoked_at
        else:
            counts.unchanged += 1
    if not dry_run:
        scratch.flush()
    return counts


def _first_of_each(
    valid: list[tuple[int, Any]], key: str, problems: list[RowProblem]
) -> list[tuple[int, Any]]:
    """The rows whose ``key`` has not come before; a problem for each repeat."""
    first: dict[Any, int] = {}
    out = []
    for row, item in valid:
        value = getattr(item, key)
        if value in first:
            problems.append(
                RowProblem(row, key, "import_duplicate_in_file", {"first": first[value]})
            )
            continue
        first[value] = row
        out.append((row, item))
    return out


_HQ_IMPORTERS: dict[str, Callable[[Session, Source, bool], Counts]] = {
    "categories": import_categories,
    "tiers": import_tiers,
    "member-keys": import_member_keys,
}
