"""What sold: by category, and the top and bottom products.

Lines of sales and of returns both count (a return's lines are negative), so
every figure is net of returns. ``units`` counts pieces of goods sold by the
unit and ``grams`` the weight of goods sold by weight; ``paid`` is what the
lines brought in (after every discount, points included), ``share`` its part
of the period's paid total in basis points.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, case, func, literal_column, select
from sqlalchemy.orm import Session

from terminal.auth import Actor
from terminal.reports.base import Column, Period, Table, ratio_bp, require_reports
from terminal.store.models import Category, Product, SaleLine

_units = func.sum(case((SaleLine.sold_by == "unit", SaleLine.qty), else_=0))
_grams = func.sum(case((SaleLine.sold_by == "weight", SaleLine.qty), else_=0))


LONG = 31
"""Periods longer than this many days read lines product by product (see :func:`lines_in`)."""


def lines_in(period: Period) -> Any:
    """Lines of the period's sales and returns (only those have lines), without the sale.

    A long period is summed in ``ix_sale_line_product_report``'s order (product
    first), which needs no sort for the per-product sums; the unary ``+`` keeps
    SQLite from choosing the day-first index instead, which a short period uses.
    """
    if period.days > LONG:
        day = literal_column("+sale_line.business_day", Date)
        return day.between(period.first, period.last)
    return SaleLine.business_day.between(period.first, period.last)


def categories(session: Session, actor: Actor, period: Period) -> Table:
    """Per category: units, grams, list price, discounts, paid and share of paid."""
    require_reports(actor)
    per_product = (
        select(
            SaleLine.product_id.label("product_id"),
            _units.label("units"),
            _grams.label("grams"),
            func.sum(SaleLine.gross).label("gross"),
            func.sum(SaleLine.gross - SaleLine.paid).label("discounts"),
            func.sum(SaleLine.paid).label("paid"),
        )
        .where(lines_in(period))
        .group_by(SaleLine.product_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Category.id,
            Category.name,
            func.sum(per_product.c.units),
            func.sum(per_product.c.grams),
            func.sum(per_product.c.gross),
            func.sum(per_product.c.discounts),
            func.sum(per_product.c.paid),
        )
        .select_from(per_product)
        .join(Product, Product.id == per_product.c.product_id)
        .join(Category, Category.id == Product.category_id)
        .group_by(Category.id, Category.name)
    ).all()
    total = sum(int(r[6] or 0) for r in rows)
    out = [
        {
            "category": name,
            "category_id": cat_id,
            "units": int(units or 0),
            "grams": int(grams or 0),
            "gross": int(gross or 0),
            "discounts": int(discounts or 0),
            "paid": int(paid or 0),
            "share": ratio_bp(int(paid or 0), total),
        }
        for cat_id, name, units, grams, gross, discounts, paid in rows
    ]
    out.sort(key=lambda r: (-r["paid"], r["category_id"]))
    columns = (
        Column("category", "rpt_col_category", "text"),
        Column("units", "rpt_col_units"),
        Column("grams", "rpt_col_grams"),
        Column("gross", "rpt_col_gross", "fen"),
        Column("discounts", "rpt_col_discounts", "fen"),
        Column("paid", "rpt_col_paid", "fen"),
        Column("share", "rpt_col_share", "bp"),
    )
    return Table("categories", "rpt_title_categories", columns, out, period)


PRODUCT_COLUMNS = (
    Column("sku", "rpt_col_sku", "text"),
    Column("product", "rpt_col_product", "text"),
    Column("units", "rpt_col_units"),
    Column("grams", "rpt_col_grams"),
    Column("paid", "rpt_col_paid", "fen"),
)


def _product_rows(session: Session, period: Period) -> list[dict[str, Any]]:
    per_product = (
        select(
            SaleLine.product_id.label("product_id"),
            _units.label("units"),
            _grams.label("grams"),
            func.sum(SaleLine.paid).label("paid"),
        )
        .where(lines_in(period))
        .group_by(SaleLine.product_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Product.sku, Product.name, per_product.c.units, per_product.c.grams, per_product.c.paid
        ).join(per_product, Product.id == per_product.c.product_id)
    ).all()
    return [
        {
            "sku": sku,
            "product": name,
            "units": int(units or 0),
            "grams": int(grams or 0),
            "paid": int(paid or 0),
        }
        for sku, name, units, grams, paid in rows
    ]


def top_bottom(
    session: Session, actor: Actor, period: Period, limit: int = 10
) -> tuple[Table, Table]:
    """The ``limit`` products that brought in most, and least, among those sold (ties by SKU)."""
    require_reports(actor)
    rows = _product_rows(session, period)
    rows.sort(key=lambda r: (-r["paid"], r["sku"]))
    top = rows[:limit]
    bottom = sorted(rows, key=lambda r: (r["paid"], r["sku"]))[:limit]
    return (
        Table("top_products", "rpt_title_top", PRODUCT_COLUMNS, top, period),
        Table("bottom_products", "rpt_title_bottom", PRODUCT_COLUMNS, bottom, period),
    )
