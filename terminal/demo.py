"""A realistic demo store: catalogue, members, promotions, coupons and users.

Deterministic for a given seed, so tests, screenshots and benchmarks see the
same store. Bulk rows go in through Core inserts in batches, which loads the
benchmark's 100,000 products and 1,000,000 members in reasonable time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select

from terminal import auth
from terminal.classifier import ScaleFormat, gtin_check_digit, scale_barcode
from terminal.demo_people import demo_person_columns
from terminal.errors import InvalidInput, StateError
from terminal.initialise import DEFAULT_TIERS, add_default_tiers
from terminal.ledger import expiry_for
from terminal.membercodes import install_demo_keys
from terminal.pii import MemberVault
from terminal.store.database import Database
from terminal.store.models import (
    Category,
    Coupon,
    CouponDefinitionRow,
    Member,
    PointsEntry,
    Product,
    ProductBarcode,
    PromotionRow,
    RewardRow,
    Store,
    StoredValueEntry,
    Terminal,
)
from terminal.store.types import new_id
from terminal.stored_value import set_pay_pin

TIER_WEIGHTS = [55, 25, 15, 5]

# category id, name, (brand list), (item, spec, price range in fen)
CATALOGUE: list[tuple[str, str, list[str], list[tuple[str, str, int, int]]]] = [
    (
        "C01",
        "饮料",
        ["农夫山泉", "康师傅", "统一", "可口可乐", "百事", "元气森林", "王老吉"],
        [
            ("饮用水", "550ml", 150, 300),
            ("绿茶", "500ml", 300, 450),
            ("冰红茶", "500ml", 300, 450),
            ("气泡水", "480ml", 450, 650),
            ("凉茶", "310ml", 350, 500),
            ("橙汁", "1L", 900, 1500),
        ],
    ),
    (
        "C02",
        "零食",
        ["乐事", "旺旺", "三只松鼠", "良品铺子", "好丽友", "奥利奥"],
        [
            ("薯片", "70g", 650, 900),
            ("雪饼", "84g", 500, 800),
            ("每日坚果", "25g×7", 3900, 5900),
            ("牛肉干", "100g", 2500, 3900),
            ("派", "6枚", 990, 1490),
            ("夹心饼干", "97g", 590, 890),
        ],
    ),
    (
        "C03",
        "乳制品",
        ["伊利", "蒙牛", "光明", "君乐宝"],
        [
            ("纯牛奶", "250ml×12", 4500, 6500),
            ("酸奶", "200g", 450, 750),
            ("低脂牛奶", "1L", 1290, 1890),
            ("奶酪棒", "500g", 3990, 5990),
        ],
    ),
    (
        "C04",
        "粮油",
        ["金龙鱼", "福临门", "鲁花", "十月稻田"],
        [
            ("大米", "5kg", 3990, 6990),
            ("花生油", "5L", 9990, 15990),
            ("挂面", "1kg", 790, 1290),
            ("面粉", "2.5kg", 1690, 2590),
        ],
    ),
    (
        "C05",
        "日用",
        ["清风", "维达", "蓝月亮", "立白", "妙洁"],
        [
            ("抽纸", "3层×6包", 1990, 2990),
            ("洗衣液", "2kg", 2990, 4990),
            ("洗洁精", "1.5kg", 990, 1690),
            ("保鲜袋", "100只", 690, 1290),
        ],
    ),
    (
        "C06",
        "个护",
        ["舒肤佳", "高露洁", "海飞丝", "云南白药", "妮维雅"],
        [
            ("沐浴露", "720ml", 3490, 4990),
            ("牙膏", "120g", 990, 2490),
            ("洗发水", "400ml", 3990, 5990),
            ("润肤乳", "400ml", 4990, 7990),
        ],
    ),
    (
        "C07",
        "生鲜",
        ["本地", "有机", "精选"],
        [
            ("苹果", "约1kg", 990, 1990),
            ("香蕉", "约1kg", 590, 990),
            ("西红柿", "约500g", 390, 790),
            ("鸡蛋", "30枚", 2290, 3290),
        ],
    ),
    (
        "C08",
        "酒水",
        ["青岛", "雪花", "燕京", "张裕"],
        [("啤酒", "500ml", 450, 990), ("干红葡萄酒", "750ml", 8900, 19900)],
    ),
    (
        "C09",
        "冷冻",
        ["思念", "三全", "湾仔码头"],
        [("水饺", "1kg", 1990, 3290), ("汤圆", "500g", 1290, 1990), ("馄饨", "500g", 1590, 2490)],
    ),
    ("C10", "烟草礼品", ["中华", "玉溪"], [("香烟", "条", 45000, 65000)]),
]

# Goods sold by weight (散装称重): SKU, PLU, name, price per kg in fen, VAT code.
WEIGHED: list[tuple[str, str, str, int, str]] = [
    ("SKU900101", "00101", "散装 红富士苹果", 1280, "9"),
    ("SKU900102", "00102", "散装 香蕉", 698, "9"),
    ("SKU900103", "00103", "散装 西红柿", 598, "exempt"),
    ("SKU900104", "00104", "散装 五常大米", 998, "9"),
    ("SKU900105", "00105", "散装 开心果", 8800, "13"),
]
WEIGHED_CATEGORY = ("C11", "散装称重")
SCALE = ScaleFormat()  # the demo scales: "2" + 5-digit PLU + 5-digit grams + check digit
DEMO_PAY_PIN = "123456"
"""Payment PIN (支付密码) of the demo members who hold stored value (M00000001, M00000002)."""


def demo_vat(cat_id: str, item: str) -> str:
    """The VAT rate code of a demo product: food staples, dairy and fruit 9 %, fresh
    vegetables and eggs exempt in retail (蔬菜、鲜活蛋免征), everything else 13 %."""
    if item in ("西红柿", "鸡蛋"):
        return "exempt"
    if cat_id in ("C03", "C04", "C07"):
        return "9"
    return "13"


def scale_label(sku: str, grams: int) -> str:
    """The scale barcode of ``grams`` of a demo weighed product (what the store's scale prints)."""
    plu = next(plu for s, plu, *_ in WEIGHED if s == sku)
    return scale_barcode(SCALE, plu, grams)


DEMO_USERS = [
    # username, display name, role, PIN
    ("1001", "收银员 小李", "cashier", "1111"),
    ("2001", "主管 王姐", "supervisor", "2222"),
    ("3001", "店长 张经理", "manager", "3333"),
    ("9001", "管理员", "admin", "9999"),
]


MIN_MEMBERS, MAX_MEMBERS = 1, 5_000_000
MAX_PRODUCTS = 1_000_000


@dataclass(frozen=True)
class DemoSummary:
    store_code: str
    terminal_code: str
    products: int
    members: int
    promotions: int
    coupons: int
    users: list[tuple[str, str, str, str]]


def ean13(prefix: str, n: int) -> str:
    """An EAN-13 with a valid check digit: ``prefix`` padded with ``n`` to 12 digits."""
    body = f"{prefix}{n:0{12 - len(prefix)}d}"
    return body + str(gtin_check_digit(body))


def _products(rng: random.Random, count: int) -> Iterator[dict[str, Any]]:
    """Product rows: cycling through categories, brands and items, with spec variants."""
    i = 0
    variant = 0
    while True:
        for cat_id, _cat, brands, items in CATALOGUE:
            for brand in brands:
                for item, spec, lo, hi in items:
                    if i >= count:
                        return
                    name = f"{brand} {item} {spec}" + (f" {variant + 1}号" if variant else "")
                    price = rng.randrange(lo, hi + 1, 10)
                    yield {
                        "id": new_id(),
                        "sku": f"SKU{i + 1:06d}",
                        "name": name,
                        "category_id": cat_id,
                        "price": price,
                        "unit": "件",
                        # tobacco never discounted nor earning, as Chinese retail practice
                        "discountable": cat_id != "C10",
                        "earns_points": cat_id != "C10",
                        "active": True,
                        "sold_by": "unit",
                        "vat": demo_vat(cat_id, item),
                    }
                    i += 1
        variant += 1


def _batches(rows: Iterator[dict[str, Any]], size: int = 20_000) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def demo_promotions(products: int, today: date) -> list[dict[str, Any]]:
    """One promotion of each kind, valid from this year to the end of next year."""
    frm = f"{today.year}-01-01T00:00:00+08:00"
    to = f"{today.year + 1}-12-31T23:59:59+08:00"
    window = {"valid_from": frm, "valid_to": to}
    return [
        {
            "id": "P-SPECIAL",
            "kind": "special_price",
            "name": "特价 农夫山泉饮用水",
            "skus": [_sku_of(products, "饮用水")],
            "price": 100,
            "priority": 10,
            **window,
        },
        {
            "id": "P-FLASH",
            "kind": "special_price",
            "name": "限时秒杀 每日坚果",
            "skus": [_sku_of(products, "每日坚果")],
            "price": 2990,
            "limit_qty": 2,
            "time_from": "18:00",
            "time_to": "20:00",
            "priority": 20,
            "exclusive": True,
            # 会员每人每天限享 1 次: members only, once a business day
            "limits": {"per_member_day": 1},
            **window,
        },
        {
            "id": "P-DAIRY-PCT",
            "kind": "percent_off",
            "name": "乳制品 9折",
            "categories": ["C03"],
            "percent_off_bp": 1000,
            "priority": 5,
            **window,
        },
        {
            "id": "P-FROZEN-AMT",
            "kind": "amount_off",
            "name": "冷冻食品 每件减2元",
            "categories": ["C09"],
            "amount": 200,
            "priority": 5,
            **window,
        },
        {
            "id": "P-BEER-B2G1",
            "kind": "buy_x_get_y",
            "name": "啤酒 买二送一",
            "categories": ["C08"],
            "buy": 2,
            "get": 1,
            "priority": 5,
            **window,
        },
        {
            "id": "P-GIFT",
            "kind": "gift",
            "name": "买粮油满2件 赠挂面",
            "categories": ["C04"],
            "min_qty": 2,
            "gift_sku": _sku_of(products, "挂面"),
            "gift_qty": 1,
            "priority": 5,
            **window,
        },
        {
            "id": "P-MANJIAN",
            "kind": "threshold",
            "name": "满100减10",
            "min_spend": 10000,
            "amount": 1000,
            "repeat": True,
            "max_repeats": 5,
            "priority": 5,
            **window,
        },
        {
            "id": "P-MEMBER-DAY",
            "kind": "points_multiplier",
            "name": "周三会员日 双倍积分",
            "multiplier_bp": 20000,
            "weekdays": [3],
            "member_only": True,
            "priority": 5,
            **window,
        },
        {
            "id": "P-BIRTHDAY",
            "kind": "points_multiplier",
            "name": "生日月 积分1.5倍",
            "multiplier_bp": 15000,
            "birthday_month_only": True,
            "member_only": True,
            "priority": 5,
            **window,
        },
        {
            "id": "P-YOGURT-2ND",
            "kind": "nth_item",
            "name": "酸奶 第二件半价",
            "skus": [_sku_of(products, "蒙牛 酸奶")],
            "n": 2,
            "percent_off_bp": 5000,
            "same_product": True,
            "priority": 5,
            **window,
        },
        {
            "id": "P-SNACK-3FOR2",
            "kind": "nth_item",
            "name": "零食 买三免一",
            "categories": ["C02"],
            "n": 3,
            "percent_off_bp": 10_000,
            "priority": 5,
            **window,
        },
        {
            "id": "P-EGGS-LIMIT",
            "kind": "special_price",
            "name": "鸡蛋特价 每人限购2件 限量500份",
            "skus": [_sku_of(products, "鸡蛋")],
            "price": 1590,
            "limits": {"per_member_units": 2, "quota": 500},
            "priority": 10,
            **window,
        },
        {
            "id": "P-CARE-RETURN",
            "kind": "coupon_issue",
            "name": "个护满100返10元券",
            "categories": ["C06"],
            "min_spend": 10_000,
            "coupon_id": "CD-RET10",
            "starts_after_days": 1,
            "valid_days": 30,
            "priority": 5,
            **window,
        },
        {
            "id": "P-TOPUP-500",
            "kind": "topup_bonus",
            "name": "充500送50",
            "min_amount": 50_000,
            "bonus": 5000,
            **window,
        },
        {
            "id": "P-TOPUP-1000",
            "kind": "topup_bonus",
            "name": "充1000送120",
            "min_amount": 100_000,
            "bonus": 12_000,
            **window,
        },
    ]


def demo_rewards(products: int, today: date) -> list[dict[str, Any]]:
    """The rewards catalogue (积分兑换): a product for points, points plus money, a coupon."""
    window = {
        "valid_from": f"{today.year}-01-01T00:00:00+08:00",
        "valid_to": f"{today.year + 1}-12-31T23:59:59+08:00",
    }
    return [
        {
            "id": "RW-NOODLE",
            "kind": "product",
            "name": "500积分换挂面",
            "sku": _sku_of(products, "挂面"),
            "points": 500,
            **window,
        },
        {
            "id": "RW-OIL",
            "kind": "product",
            "name": "2000积分+19.90元换花生油",
            "sku": _sku_of(products, "花生油"),
            "points": 2000,
            "money": 1990,
            **window,
        },
        {
            "id": "RW-COUPON10",
            "kind": "coupon",
            "name": "800积分换10元券",
            "points": 800,
            "coupon_id": "CD-R10",
            "valid_days": 30,
            **window,
        },
    ]


def demo_coupon_definitions(today: date) -> list[dict[str, Any]]:
    to = f"{today.year + 1}-12-31T23:59:59+08:00"
    frm = f"{today.year}-01-01T00:00:00+08:00"
    return [
        {
            "id": "CD-10",
            "kind": "amount_off",
            "name": "满50减10元券",
            "value": 1000,
            "min_spend": 5000,
            "valid_from": frm,
            "valid_to": to,
        },
        {
            "id": "CD-95",
            "kind": "percent_off",
            "name": "满100享95折券",
            "percent_off_bp": 500,
            "min_spend": 10000,
            "max_discount": 2000,
            "valid_from": frm,
            "valid_to": to,
        },
        {
            "id": "CD-DAIRY5",
            "kind": "amount_off",
            "name": "乳制品5元券",
            "value": 500,
            "min_spend": 2000,
            "categories": ["C03"],
            "stackable": True,
            "valid_from": frm,
            "valid_to": to,
        },
        # issued by the till, never printed in advance: no demo codes of these
        {
            "id": "CD-RET10",
            "kind": "amount_off",
            "name": "返券 满50减10元",
            "value": 1000,
            "min_spend": 5000,
        },
        {
            "id": "CD-R10",
            "kind": "amount_off",
            "name": "积分兑换 满30减10元券",
            "value": 1000,
            "min_spend": 3000,
        },
    ]


ISSUED_ONLY = ("CD-RET10", "CD-R10")


def build_demo(
    db: Database,
    *,
    products: int = 520,
    members: int = 1000,
    seed: int = 2026,
    now: datetime | None = None,
    store_code: str = "S001",
    terminal_code: str = "T01",
    vault: MemberVault | None = None,
    app_key_seed: bytes | None = None,
) -> DemoSummary:
    """Fill an empty store with the demo data; refuses a store that already has data.

    With a ``vault``, members get realistic personal data (Chinese names,
    unique mobile numbers, birthdays), encrypted and blind-indexed; a separate
    random stream keeps everything else identical with or without it. With an
    ``app_key_seed``, every member gets a member-app key (the demo holds the
    private halves, derived from the seed) so dynamic QR codes can be shown.
    """
    check_sizes(products, members)
    rng = random.Random(seed)
    people_rng = random.Random(seed + 1)
    now = now or datetime.now(UTC)
    today = now.date()
    with db.transaction() as session:
        if session.query(Store).first() is not None:
            raise StateError("store_not_empty")
        store = Store(
            code=store_code,
            name="鲜果生活超市 人民路店",
            address="上海市黄浦区人民路100号",
            timezone="Asia/Shanghai",
        )
        session.add(store)
        session.flush()
        session.add(Terminal(store_id=store.id, code=terminal_code, name="1号收银台"))
        add_default_tiers(session)
        for cat_id, cat_name, _b, _i in CATALOGUE:
            session.add(Category(id=cat_id, name=cat_name))
        session.add(Category(id=WEIGHED_CATEGORY[0], name=WEIGHED_CATEGORY[1]))
        session.flush()
        users = []
        admin: auth.Actor | None = None
        for username, display, role, pin in reversed(DEMO_USERS):
            user = auth.create_user(
                session, username=username, display_name=display, role=role, pin=pin, by=admin
            )
            if admin is None:
                admin = auth.Actor(user.id, user.username, user.display_name, user.role)
            users.append((username, display, role, pin))
    with db.engine.begin() as conn:
        n = 0
        for batch in _batches(_products(rng, products)):
            conn.execute(insert(Product), batch)
            conn.execute(
                insert(ProductBarcode),
                [
                    {"barcode": ean13("69", n + k + 1), "product_id": row["id"]}
                    for k, row in enumerate(batch)
                ],
            )
            n += len(batch)
        conn.execute(
            insert(Product),
            [
                {
                    "id": new_id(),
                    "sku": sku,
                    "name": name,
                    "category_id": WEIGHED_CATEGORY[0],
                    "price": per_kg,
                    "unit": "kg",
                    "discountable": True,
                    "earns_points": True,
                    "active": True,
                    "sold_by": "weight",
                    "plu": plu,
                    "vat": vat,
                }
                for sku, plu, name, per_kg, vat in WEIGHED
            ],
        )
        promotions = demo_promotions(products, today)
        for body in promotions:
            conn.execute(
                insert(PromotionRow),
                [{"id": body["id"], "body": body, "active": True, "updated_at": now}],
            )
        defs = demo_coupon_definitions(today)
        conn.execute(
            insert(CouponDefinitionRow),
            [{"id": d["id"], "body": d, "updated_at": now} for d in defs],
        )
        conn.execute(
            insert(RewardRow),
            [
                {"id": r["id"], "body": r, "active": True, "updated_at": now}
                for r in demo_rewards(products, today)
            ],
        )
        coupon_rows = [
            {
                "code": f"CP{d['id'][3:]}{k:04d}",
                "definition_id": d["id"],
                "member_id": None,
                "status": "issued",
            }
            for d in defs
            if d["id"] not in ISSUED_ONLY
            for k in range(1, 51)
        ]
        conn.execute(insert(Coupon), coupon_rows)
        expiry = expiry_for(today, "end_of_next_year")

        def member_rows() -> Iterator[dict[str, Any]]:
            for k in range(1, members + 1):
                tier = rng.choices([t[0] for t in DEFAULT_TIERS], TIER_WEIGHTS)[0]
                row: dict[str, Any] = {
                    "id": new_id(),
                    "member_no": f"M{k:08d}",
                    "tier_code": tier,
                    "status": "active",
                    "created_at": now,
                }
                if vault is not None:
                    row.update(demo_person_columns(vault, row["id"], row["member_no"], people_rng))
                yield row

        first = True
        for batch in _batches(member_rows()):
            conn.execute(insert(Member), batch)
            if first:  # the first members hold stored value (储值) paid in at HQ
                first = False
                conn.execute(
                    insert(StoredValueEntry),
                    [
                        {
                            "id": new_id(),
                            "member_id": row["id"],
                            "kind": "opening",
                            "bucket": bucket,
                            "amount": amount,
                            "origin": "hq",
                            "reason": "HQ opening balance",
                            "created_at": now,
                        }
                        for row in batch[:10]
                        for bucket, amount in (("principal", 50_000), ("bonus", 5000))
                    ],
                )
            if app_key_seed is not None:
                install_demo_keys(conn, app_key_seed, batch, created_at=now)
            conn.execute(
                insert(PointsEntry),
                [
                    {
                        "id": new_id(),
                        "member_id": row["id"],
                        "kind": "opening",
                        "points": rng.randrange(10, 20_001, 10),
                        "expires_on": expiry,
                        "reason": "HQ opening balance",
                        "origin": "hq",
                        "created_at": now,
                    }
                    for row in batch
                ],
            )
    with db.transaction() as session:  # two members can pay by balance with their own PIN
        for member_no in ("M00000001", "M00000002")[:members]:
            member_id = session.scalar(select(Member.id).where(Member.member_no == member_no))
            if member_id is not None:
                set_pay_pin(session, member_id, DEMO_PAY_PIN, now)
    return DemoSummary(
        store_code,
        terminal_code,
        products,
        members,
        len(promotions),
        len(coupon_rows),
        list(reversed(users)),
    )


_PROMOTED = ("饮用水", "每日坚果", "挂面", "蒙牛 酸奶", "鸡蛋", "花生油")
"""Products the demo promotions name: the catalogue must be long enough to hold them."""


def _sku_of(products: int, keyword: str) -> str:
    """The SKU of the first demo product whose name holds ``keyword``."""
    for row in _products(random.Random(0), products):
        if keyword in row["name"]:
            return row["sku"]
    raise InvalidInput("demo_too_few_products", min=min_products(), max=MAX_PRODUCTS)


def check_sizes(products: int, members: int) -> None:
    """Refuse a demo too small for its promotions or absurdly large, before anything is made."""
    if not MIN_MEMBERS <= members <= MAX_MEMBERS:
        raise InvalidInput("demo_members_range", min=MIN_MEMBERS, max=MAX_MEMBERS)
    if not min_products() <= products <= MAX_PRODUCTS:
        raise InvalidInput("demo_too_few_products", min=min_products(), max=MAX_PRODUCTS)


def min_products() -> int:
    """The smallest demo catalogue that holds every product a demo promotion names."""
    last = 0
    for keyword in _PROMOTED:
        for i, row in enumerate(_products(random.Random(0), 10_000), start=1):
            if keyword in row["name"]:
                last = max(last, i)
                break
    return last
