"""Finding products by what the cashier typed or scanned."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from terminal.classifier import classify
from terminal.errors import InvalidInput, NotFound
from terminal.pii import normalise_phone
from terminal.pricing.model import ProductInfo
from terminal.store.models import Product, ProductBarcode


def find_product(session: Session, code: str) -> Product:
    """The active product with this barcode or SKU.

    An unknown or inactive code raises :class:`NotFound` with a message for the
    cashier; nothing is added to any basket. The message repeats what was
    typed, unless it could be personal data (a phone number typed at the wrong
    prompt, a name): those are never echoed.
    """
    code = code.strip()
    if not code:
        raise NotFound("empty_code")
    product = session.scalar(
        select(Product).join(ProductBarcode).where(ProductBarcode.barcode == code)
    ) or session.scalar(select(Product).where(Product.sku == code))
    if product is None:
        if _echoable(code):
            raise NotFound("unknown_barcode", code=code)
        raise NotFound("not_a_product_code")
    if not product.active:
        raise NotFound("product_inactive", name=product.name)
    return product


def _echoable(code: str) -> bool:
    """Whether a refusal may repeat ``code``: ASCII, short, and not a phone number."""
    if classify(code).kind == "product":
        return True
    if not code.isascii() or len(code) > 32:
        return False
    try:
        normalise_phone(code)
    except InvalidInput:
        return True
    return False


def product_info(product: Product) -> ProductInfo:
    """The pricing engine's view of a product."""
    return ProductInfo(
        product_id=product.id,
        sku=product.sku,
        name=product.name,
        category_id=product.category_id,
        price=product.price,
        discountable=product.discountable,
        earns_points=product.earns_points,
    )


def products_by_sku(session: Session, skus: set[str]) -> dict[str, Product]:
    if not skus:
        return {}
    rows = session.scalars(
        select(Product).where(Product.sku.in_(skus)).options(selectinload(Product.barcodes))
    )
    return {p.sku: p for p in rows}
