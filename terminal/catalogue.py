"""Finding products by what the cashier typed or scanned."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from terminal.classifier import ScaleFormat, classify, parse_scale
from terminal.errors import InvalidInput, NotFound
from terminal.money import GRAMS_PER_KG, mul_div_half_up
from terminal.pii import normalise_phone
from terminal.pricing.model import ProductInfo
from terminal.store.models import Product, ProductBarcode

MAX_GRAMS = 99_999
"""The heaviest line a scale label or a keyed weight may carry (99.999 kg)."""


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


@dataclass(frozen=True)
class Scanned:
    """A product found from a scan, and what a scale label said about it.

    ``qty`` is the quantity the scan carries (grams for a weighed product,
    units for a counted one), None when it carries none; ``label_amount`` the
    price printed on a scale label for a weighed product.
    """

    product: Product
    qty: int | None = None
    label_amount: int | None = None


def find_scanned(session: Session, code: str, scale: tuple[ScaleFormat, ...] = ()) -> Scanned:
    """The product a scanned or typed code names, reading scale barcodes (称重码) first.

    A weight label gives the grams (the product must be sold by weight); a
    price label gives the amount printed, and the grams it stands for at the
    product's price per kg (half-up) — or, for a product sold by the unit, the
    number of units, which must come out whole.
    """
    label = parse_scale(code, scale)
    if label is None:
        return Scanned(find_product(session, code))
    if not label.valid:
        raise InvalidInput("scale_check_failed")
    product = session.scalar(select(Product).where(Product.plu == label.plu))
    if product is None:
        raise NotFound("unknown_plu", plu=label.plu)
    if not product.active:
        raise NotFound("product_inactive", name=product.name)
    if label.amount <= 0:
        raise InvalidInput("scale_zero", name=product.name)
    weighed = product.sold_by == "weight"
    if label.value == "weight":
        if not weighed:
            raise InvalidInput("scale_not_weighed", name=product.name)
        return Scanned(product, check_grams(label.amount))
    if weighed:
        if product.price <= 0:
            raise InvalidInput("scale_price_mismatch", name=product.name)
        grams = max(1, mul_div_half_up(label.amount, GRAMS_PER_KG, product.price))
        return Scanned(product, check_grams(grams), label.amount)
    if product.price <= 0 or label.amount % product.price:
        raise InvalidInput("scale_price_mismatch", name=product.name)
    return Scanned(product, label.amount // product.price)


def check_grams(grams: int) -> int:
    if not isinstance(grams, int) or isinstance(grams, bool) or not 1 <= grams <= MAX_GRAMS:
        raise InvalidInput("bad_weight", max=MAX_GRAMS)
    return grams


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
        sold_by=product.sold_by,
        vat=product.vat,
    )


def products_by_sku(session: Session, skus: set[str]) -> dict[str, Product]:
    if not skus:
        return {}
    rows = session.scalars(
        select(Product).where(Product.sku.in_(skus)).options(selectinload(Product.barcodes))
    )
    return {p.sku: p for p in rows}


SEARCH_LIMIT_MAX = 1000


@dataclass(frozen=True)
class ProductSearch:
    """Products matching a search, at most the limit asked for; ``total`` counts every match."""

    products: list[Product]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.products)


def search_products(session: Session, text: str, *, limit: int = 20) -> ProductSearch:
    """Products (active or not) whose name holds ``text``, or whose barcode or SKU is ``text``.

    Exact barcode and SKU matches come first (SKUs compared without regard to
    case), then the others by SKU. Barcodes are loaded with the products.
    """
    query = text.strip()
    if not query:
        raise InvalidInput("product_find_empty")
    if not 1 <= limit <= SEARCH_LIMIT_MAX:
        raise InvalidInput("product_find_limit", max=SEARCH_LIMIT_MAX)
    exact = or_(
        func.upper(Product.sku) == query.upper(),
        Product.id.in_(select(ProductBarcode.product_id).where(ProductBarcode.barcode == query)),
    )
    matches = or_(exact, Product.name.contains(query, autoescape=True))
    total = session.scalar(select(func.count()).select_from(Product).where(matches)) or 0
    rows = session.scalars(
        select(Product)
        .where(matches)
        .order_by(case((exact, 0), else_=1), Product.sku)
        .limit(limit)
        .options(selectinload(Product.barcodes))
    ).all()
    return ProductSearch(list(rows), total)
