"""Importing products: create new SKUs, update the ones the store has.

A row names a product by ``sku``. A new SKU needs ``name``, ``category`` and
``price``; for a SKU the store already has, only the fields given change
(an empty CSV cell or a missing JSON key keeps the stored value), so a file
of ``sku,price`` updates prices. ``barcodes``, when given, replace the
product's barcodes. ``category`` is a category id or name; a name the store
does not know creates a category whose id is that name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Annotated, Any

from pydantic import AfterValidator
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from terminal.imports.problems import ImportRefused, RowProblem
from terminal.imports.rows import Counts, Row, chunks, validate
from terminal.imports.sources import Source
from terminal.imports.values import Barcodes, Flag, PriceFen, refuse, text
from terminal.store.models import Category, Product, ProductBarcode
from terminal.store.types import new_id

_SKU = re.compile(r"[A-Za-z0-9_.\-]{1,32}")
CATEGORY_ID_MAX = 36
DEFAULT_UNIT = "件"


def _sku(value: str) -> str:
    if not _SKU.fullmatch(value):
        raise refuse("import_bad_sku")
    return value


class ProductRow(Row):
    """One product as the file states it (see docs/imports.md)."""

    sku: Annotated[str, text(32), AfterValidator(_sku)]
    name: Annotated[str | None, text(100)] = None
    category: Annotated[str | None, text(64)] = None
    price: PriceFen = None
    barcodes: Barcodes = None
    unit: Annotated[str | None, text(8)] = None
    discountable: Flag = None
    earns_points: Flag = None
    active: Flag = None


PLAIN_FIELDS = ("name", "price", "unit", "discountable", "earns_points", "active")
REQUIRED_NEW = ("name", "category", "price")


class _Categories:
    """Resolves a category id or name; names the store lacks become new categories."""

    def __init__(self, session: Session) -> None:
        self.by_id: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for cat_id, name in session.execute(select(Category.id, Category.name)):
            self.by_id[cat_id] = name
            self.by_name[name].append(cat_id)
        self.new: dict[str, str] = {}

    def resolve(self, row: int, ref: str) -> str | RowProblem:
        """The category id for ``ref`` given in ``row``, or the problem with it."""
        if ref in self.by_id or ref in self.new:
            return ref
        ids = self.by_name.get(ref, [])
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            return RowProblem(row, "category", "import_category_ambiguous", {"ids": ", ".join(ids)})
        if len(ref) > CATEGORY_ID_MAX:
            return RowProblem(row, "category", "import_category_too_long", {"max": CATEGORY_ID_MAX})
        self.new[ref] = ref
        return ref


def import_products(session: Session, source: Source, *, dry_run: bool) -> Counts:
    """Check every row, then (unless ``dry_run``) write them all in ``session``.

    Raises :class:`ImportRefused` listing every problem before anything is written.
    """
    valid, problems, bad = validate(source, ProductRow)
    first_row: dict[str, int] = {}
    rows: list[tuple[int, ProductRow]] = []
    for row, item in valid:
        if item.sku in first_row:
            problems.append(
                RowProblem(row, "sku", "import_duplicate_in_file", {"first": first_row[item.sku]})
            )
            continue
        first_row[item.sku] = row
        rows.append((row, item))

    existing: dict[str, Product] = {}
    for batch in chunks(first_row):
        for known in session.scalars(select(Product).where(Product.sku.in_(batch))):
            existing[known.sku] = known
    held: dict[str, set[str]] = defaultdict(set)  # product id -> barcodes it has now
    for batch in chunks(p.id for p in existing.values()):
        for barcode, product_id in session.execute(
            select(ProductBarcode.barcode, ProductBarcode.product_id).where(
                ProductBarcode.product_id.in_(batch)
            )
        ):
            held[product_id].add(barcode)

    categories = _Categories(session)
    category_of: dict[int, str] = {}
    for row, item in rows:
        if item.sku not in existing:
            problems.extend(
                RowProblem(row, name, "import_required_new")
                for name in REQUIRED_NEW
                if getattr(item, name) is None and (row, name) not in bad
            )
        if item.category is not None:
            found = categories.resolve(row, item.category)
            if isinstance(found, RowProblem):
                problems.append(found)
            else:
                category_of[row] = found
    problems.extend(_barcode_problems(session, rows))
    if problems:
        raise ImportRefused(source.name, problems)

    counts = Counts(extra={"categories_created": len(categories.new)})
    changes: list[tuple[ProductRow, Product | None, dict[str, Any]]] = []
    for row, item in rows:
        product = existing.get(item.sku)
        wanted = {
            name: getattr(item, name) for name in PLAIN_FIELDS if getattr(item, name) is not None
        }
        if row in category_of:
            wanted["category_id"] = category_of[row]
        if product is None:
            counts.created += 1
            changes.append((item, None, wanted))
            continue
        differs = {k: v for k, v in wanted.items() if getattr(product, k) != v}
        barcodes_differ = item.barcodes is not None and set(item.barcodes) != held[product.id]
        if differs or barcodes_differ:
            counts.updated += 1
            changes.append((item, product, differs))
        else:
            counts.unchanged += 1
    if not dry_run:
        _write(session, categories.new, changes, held)
    return counts


def _barcode_problems(session: Session, rows: list[tuple[int, ProductRow]]) -> list[RowProblem]:
    """A barcode may belong to one product: refuse one listed twice or owned by another SKU.

    A barcode moves between two SKUs of the same file when the row of its
    present owner lists barcodes without it.
    """
    problems: list[RowProblem] = []
    claims: dict[str, tuple[int, str]] = {}
    listed: dict[str, set[str]] = {}
    for row, item in rows:
        if item.barcodes is None:
            continue
        listed[item.sku] = set(item.barcodes)
        for barcode in item.barcodes:
            if barcode in claims:
                problems.append(
                    RowProblem(
                        row,
                        "barcodes",
                        "import_barcode_twice",
                        {"barcode": barcode, "first": claims[barcode][0]},
                    )
                )
            else:
                claims[barcode] = (row, item.sku)
    for batch in chunks(claims):
        owned = session.execute(
            select(ProductBarcode.barcode, Product.sku)
            .join(Product, Product.id == ProductBarcode.product_id)
            .where(ProductBarcode.barcode.in_(batch))
        )
        for barcode, owner in owned:
            row, sku = claims[barcode]
            if owner != sku and not (owner in listed and barcode not in listed[owner]):
                problems.append(
                    RowProblem(
                        row, "barcodes", "import_barcode_taken", {"barcode": barcode, "sku": owner}
                    )
                )
    return problems


def _write(
    session: Session,
    new_categories: dict[str, str],
    changes: list[tuple[ProductRow, Product | None, dict[str, Any]]],
    held: dict[str, set[str]],
) -> None:
    for cat_id, name in new_categories.items():
        session.add(Category(id=cat_id, name=name))
    session.flush()
    # release barcodes first, so one moving to another product of this file is free
    for item, product, _ in changes:
        if product is not None and item.barcodes is not None:
            dropped = held[product.id] - set(item.barcodes)
            if dropped:
                session.execute(
                    delete(ProductBarcode).where(ProductBarcode.barcode.in_(sorted(dropped)))
                )
    new_barcodes: list[dict[str, str]] = []
    for item, product, values in changes:
        if product is None:
            product = Product(
                id=new_id(),
                sku=item.sku,
                unit=DEFAULT_UNIT,
                discountable=True,
                earns_points=True,
                active=True,
            )
            session.add(product)
        for name, value in values.items():
            setattr(product, name, value)
        if item.barcodes is not None:
            new_barcodes.extend(
                {"barcode": b, "product_id": product.id}
                for b in item.barcodes
                if b not in held.get(product.id, set())
            )
    session.flush()
    if new_barcodes:
        session.execute(insert(ProductBarcode), new_barcodes)
