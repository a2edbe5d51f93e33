"""The importer (terminal/imports): every kind of bad row, all-or-nothing, dry run, updates,
exact prices, personal data encrypted at rest, permissions and audit, on real SQLite stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from terminal import auth, members
from terminal.errors import InvalidInput, NotFound, PermissionDenied
from terminal.imports import (
    ImportRefused,
    ImportResult,
    parse_csv,
    parse_json,
    read_import_file,
    run_import,
)
from terminal.imports.sources import decode
from terminal.initialise import initialise_store
from terminal.pii import MemberVault
from terminal.store.database import Database
from terminal.store.models import (
    AuditEvent,
    Category,
    Coupon,
    CouponDefinitionRow,
    Member,
    MemberConsent,
    OutboxRow,
    Product,
    ProductBarcode,
    PromotionRow,
)
from tests.conftest import DEMO_NOW

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

# valid GS1 codes: EAN-13, EAN-8 and UPC-A
EAN_A, EAN_B, EAN_C = "6970000000017", "6970000000024", "6970000000031"
EAN8, UPCA = "69012341", "042100005264"

PRODUCTS_HEADER = "sku,name,category,price,barcodes,unit,discountable,earns_points,active"


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", CHEAP)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A store as `posterm init` leaves it: store, terminal, default tiers, one admin."""
    database = Database(tmp_path / "store.sqlite3")
    initialise_store(
        database,
        store_code="S012",
        store_name="测试店",
        address="",
        timezone="Asia/Shanghai",
        terminal_code="T01",
        admin_username="9001",
        admin_name="管理员",
        admin_pin="9999",
    )
    yield database
    database.close()


@pytest.fixture
def admin(db: Database) -> auth.Actor:
    with db.transaction() as s:
        return auth.login(s, "9001", "9999", now=DEMO_NOW)


@pytest.fixture
def vault() -> MemberVault:
    return MemberVault.ephemeral()


def add_user(db: Database, admin: auth.Actor, username: str, role: str) -> auth.Actor:
    with db.transaction() as s:
        user = auth.create_user(
            s, username=username, display_name=role, role=role, pin="1234", by=admin
        )
        return auth.actor_of(user)


def csv_rows(*lines: str, name: str = "products.csv") -> Any:
    return parse_csv("\n".join(lines) + "\n", name)


def json_rows(items: Any, name: str = "items.json", *, exact: bool = True) -> Any:
    return parse_json(json.dumps(items, ensure_ascii=False), name, exact_numbers=exact)


def run(
    db: Database,
    kind: str,
    source: Any,
    actor: auth.Actor,
    vault: MemberVault | None = None,
    *,
    now: datetime = DEMO_NOW,
    **kw: Any,
) -> ImportResult:
    with db.transaction() as s:
        return run_import(s, kind, source, actor=actor, vault=vault, now=now, **kw)


def refused(db: Database, kind: str, source: Any, actor: auth.Actor, **kw: Any) -> ImportRefused:
    with pytest.raises(ImportRefused) as info:
        run(db, kind, source, actor, **kw)
    return info.value


def triples(exc: ImportRefused) -> set[tuple[int, str, str]]:
    return {(p.row, p.field, p.code) for p in exc.problems}


def count(db: Database, model: Any) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def product(db: Database, sku: str) -> tuple[Product, set[str]]:
    with db.sessions() as s:
        row = s.scalars(select(Product).where(Product.sku == sku)).one()
        codes = set(
            s.scalars(select(ProductBarcode.barcode).where(ProductBarcode.product_id == row.id))
        )
        return row, codes


GOOD_PRODUCTS = (
    PRODUCTS_HEADER,
    f"SKU000001,苹果,生鲜,12.50,{EAN_A},份,是,是,是",
    f"SKU000002,香烟,烟草,650,{EAN_B}|{EAN8},条,否,否,是",
    f"SKU000003,香蕉,生鲜,7.5,{UPCA},,,,",
)


# --- products ------------------------------------------------------------------------------


def test_products_import_with_exact_prices_categories_and_barcodes(
    db: Database, admin: auth.Actor
) -> None:
    result = run(db, "products", csv_rows(*GOOD_PRODUCTS), admin)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.extra == {"categories_created": 2}
    apple, codes = product(db, "SKU000001")
    assert (apple.name, apple.price, apple.unit, apple.category_id) == ("苹果", 1250, "份", "生鲜")
    assert codes == {EAN_A}
    tobacco, codes = product(db, "SKU000002")
    assert (tobacco.price, tobacco.discountable, tobacco.earns_points) == (65000, False, False)
    assert codes == {EAN_B, EAN8}
    banana, codes = product(db, "SKU000003")
    assert (banana.price, banana.unit, banana.discountable, banana.active) == (
        750,
        "件",
        True,
        True,
    )
    assert codes == {UPCA}
    with db.sessions() as s:
        assert sorted(s.scalars(select(Category.name))) == ["烟草", "生鲜"]


def test_every_bad_product_row_is_reported_and_nothing_is_written(
    db: Database, admin: auth.Actor
) -> None:
    run(db, "products", csv_rows(PRODUCTS_HEADER, f"SKU900000,已有,生鲜,1.00,{EAN_C},,,,"), admin)
    before = count(db, Product)
    source = csv_rows(
        PRODUCTS_HEADER + ",prcie",  # line 1: an unknown column
        f"SKU000001,苹果,生鲜,12.505,{EAN_A},,,,,",  # 2: three decimals
        "SKU000002,梨,生鲜,-1,,,,,,",  # 3: negative
        "SKU000003,桃,生鲜,abc,123,,,,,",  # 4: not an amount; not a GTIN
        "bad sku,李,生鲜,1,6970000000018,,,,,",  # 5: sku; wrong check digit
        "SKU000006,,,,,,,,,",  # 6: a new product without name, category, price
        "SKU000001,重复,生鲜,1,,,,,,",  # 7: the sku of row 2 again
        f"SKU000008,杏,生鲜,1,{EAN_A},,maybe,,,",  # 8: barcode of row 2; a bad flag
        f"SKU000009,枣,生鲜,1,{EAN_C},,,,,",  # 9: barcode of SKU900000 in the store
        "SKU000010,柿,生鲜,1,,,,,,,x",  # 10: more cells than columns
        "SKU000011,柚,生鲜,1000000,,,,,,",  # 11: too expensive
    )
    exc = refused(db, "products", source, admin)
    assert triples(exc) == {
        (1, "prcie", "import_unknown_column"),
        (2, "price", "import_price_decimals"),
        (3, "price", "import_negative_price"),
        (4, "price", "import_bad_price"),
        (4, "barcodes", "import_bad_barcode"),
        (5, "sku", "import_bad_sku"),
        (5, "barcodes", "import_barcode_check_digit"),
        (6, "name", "import_required_new"),
        (6, "category", "import_required_new"),
        (6, "price", "import_required_new"),
        (7, "sku", "import_duplicate_in_file"),
        (8, "barcodes", "import_barcode_twice"),
        (8, "discountable", "import_bad_flag"),
        (9, "barcodes", "import_barcode_taken"),
        (10, "-", "import_extra_cells"),
        (11, "price", "import_price_too_high"),
    }
    assert [p.row for p in exc.problems] == sorted(p.row for p in exc.problems)
    assert exc.code == "import_refused"
    text = [str(p) for p in exc.problems]
    assert (
        "第 2 行 price：最多两位小数（精确到分） / row 2, price: at most 2 decimal places"
        in (text[1])
    )
    assert any("belongs to product SKU900000" in t for t in text)
    assert any("repeats row 2" in t for t in text)
    assert count(db, Product) == before  # all or nothing
    assert count(db, Category) == 1


def test_one_bad_row_keeps_the_good_ones_out(db: Database, admin: auth.Actor) -> None:
    audits = count(db, AuditEvent)
    exc = refused(db, "products", csv_rows(*GOOD_PRODUCTS, "SKU000004,x,生鲜,1.001,,,,,"), admin)
    assert triples(exc) == {(5, "price", "import_price_decimals")}
    assert count(db, Product) == 0 and count(db, Category) == 0
    assert count(db, AuditEvent) == audits


def test_dry_run_checks_and_counts_but_writes_nothing(db: Database, admin: auth.Actor) -> None:
    audits = count(db, AuditEvent)
    result = run(db, "products", csv_rows(*GOOD_PRODUCTS), admin, dry_run=True)
    assert (result.created, result.dry_run, result.extra) == (3, True, {"categories_created": 2})
    assert count(db, Product) == 0 and count(db, Category) == 0
    assert count(db, AuditEvent) == audits
    exc = refused(
        db, "products", csv_rows(PRODUCTS_HEADER, "SKU1,x,y,-1,,,,,"), admin, dry_run=True
    )
    assert triples(exc) == {(2, "price", "import_negative_price")}


def test_re_import_updates_only_what_changed_and_moves_barcodes(
    db: Database, admin: auth.Actor
) -> None:
    run(db, "products", csv_rows(*GOOD_PRODUCTS), admin)
    again = run(db, "products", csv_rows(*GOOD_PRODUCTS), admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    # a price file: only the columns given change
    prices = run(db, "products", csv_rows("sku,price", "SKU000001,13.00", "SKU000003,7.50"), admin)
    assert (prices.created, prices.updated, prices.unchanged) == (0, 1, 1)
    apple, codes = product(db, "SKU000001")
    assert (apple.price, apple.name, codes) == (1300, "苹果", {EAN_A})
    # EAN8 moves from SKU000002 to SKU000001 in one file; a new product in a known category
    moved = run(
        db,
        "products",
        csv_rows(
            "sku,name,category,price,barcodes,active",
            f"SKU000001,,,,{EAN_A}|{EAN8},",
            f"SKU000002,,,,{EAN_B},否",
            f"SKU000004,西瓜,生鲜,20,{EAN_C},",
        ),
        admin,
    )
    assert (moved.created, moved.updated, moved.extra) == (1, 2, {"categories_created": 0})
    assert product(db, "SKU000001")[1] == {EAN_A, EAN8}
    tobacco, codes = product(db, "SKU000002")
    assert codes == {EAN_B} and not tobacco.active
    assert product(db, "SKU000004")[0].category_id == "生鲜"
    assert count(db, Category) == 2


def test_categories_by_id_or_name(db: Database, admin: auth.Actor) -> None:
    with db.transaction() as s:
        s.add_all(
            [
                Category(id="C03", name="乳制品"),
                Category(id="C1", name="重名"),
                Category(id="C2", name="重名"),
            ]
        )
    result = run(
        db,
        "products",
        csv_rows("sku,name,category,price", "A1,牛奶,C03,5", "A2,酸奶,乳制品,6", "A3,面包,烘焙,7"),
        admin,
    )
    assert result.extra == {"categories_created": 1}
    assert [product(db, s)[0].category_id for s in ("A1", "A2", "A3")] == ["C03", "C03", "烘焙"]
    exc = refused(db, "products", csv_rows("sku,name,category,price", "A4,x,重名,1"), admin)
    assert triples(exc) == {(2, "category", "import_category_ambiguous")}


def test_prices_are_exact_from_text_and_json_numbers(db: Database, admin: auth.Actor) -> None:
    items = [
        {"sku": "J1", "name": "a", "category": "c", "price": "12.50"},
        {"sku": "J2", "name": "b", "category": "c", "price": 12.5},
        {"sku": "J3", "name": "c", "category": "c", "price": 12},
        {"sku": "J4", "name": "d", "category": "c", "price": 0.1},
        {"sku": "J5", "name": "e", "category": "c", "price": 1.15},
    ]
    run(db, "products", json_rows(items), admin)
    assert [product(db, f"J{i}")[0].price for i in range(1, 6)] == [1250, 1250, 1200, 10, 115]
    # a float that a JSON parser already rounded is refused, never guessed
    item = {"sku": "J9", "name": "f", "category": "c", "price": 1.15}
    exc = refused(db, "products", json_rows([item], exact=False), admin)
    assert triples(exc) == {(1, "price", "import_float_price")}
    exc = refused(
        db,
        "products",
        json_rows(
            [
                {"sku": "J1", "price": 12.505},
                {"sku": "J2", "price": True},
                {"sku": "J3", "price": -1},
                {"sku": "J4", "price": "1,200.00"},
            ]
        ),
        admin,
    )
    assert triples(exc) == {
        (1, "price", "import_price_decimals"),
        (2, "price", "import_bad_price"),
        (3, "price", "import_negative_price"),
        (4, "price", "import_bad_price"),
    }


def test_json_products_rows_are_counted_from_one(db: Database, admin: auth.Actor) -> None:
    items: list[Any] = [
        {"sku": "J1", "name": "a", "category": "c", "price": "1", "barcodes": [EAN_A]},
        "not an object",
        {"sku": "J3", "name": "c", "category": "c", "price": "1", "barcodes": [6970000000024]},
        {"sku": "J4", "name": "d", "category": "c", "price": "1", "colour": "red"},
        {"sku": "J5", "name": None, "category": "c", "price": "1"},  # null: not given
    ]
    exc = refused(db, "products", json_rows(items), admin)
    assert triples(exc) == {
        (2, "-", "import_not_object"),
        (3, "barcodes", "import_barcode_not_text"),
        (4, "colour", "import_unknown_field"),
        (5, "name", "import_required_new"),
    }


def test_csv_bom_quotes_blank_lines_and_line_numbers(db: Database, admin: auth.Actor) -> None:
    text = (
        "\ufeffsku,name,category,price\r\n"
        '"A1","多行\r\n名称",生鲜,1\r\n'  # the record spans lines 2-3; no line breaks in names
        "\r\n"  # line 4: blank, skipped
        'A2,"梨, 大",生鲜,1.234\r\n'  # line 5
    )
    exc = refused(db, "products", parse_csv(decode(text.encode(), "p.csv"), "p.csv"), admin)
    assert triples(exc) == {
        (2, "name", "import_control_chars"),
        (5, "price", "import_price_decimals"),
    }
    with pytest.raises(InvalidInput) as info:
        decode(b"sku\nA1\n" + b"\xff\xfe\n", "bad.csv")
    assert info.value.code == "import_not_utf8" and info.value.params["line"] == 3


# --- members -------------------------------------------------------------------------------

MEMBERS_HEADER = "member_no,phone,name,birthday,tier,referrer,marketing"
PEOPLE = [("M10000001", "13912345678", "欧阳娜娜"), ("M10000002", "13800138000", "王小明")]


def members_csv(*lines: str) -> Any:
    return csv_rows(MEMBERS_HEADER, *lines, name="members.csv")


def test_members_import_encrypts_like_registration(
    db: Database, admin: auth.Actor, vault: MemberVault, tmp_path: Path
) -> None:
    source = members_csv(
        f"{PEOPLE[0][0]},+86 139-1234-5678,{PEOPLE[0][2]},2-29,gold,,是",
        f"{PEOPLE[1][0]},{PEOPLE[1][1]},{PEOPLE[1][2]},,,M10000001,",
    )
    result = run(db, "members", source, admin, vault)
    assert (result.created, result.updated) == (2, 0)
    with db.sessions() as s:
        found = members.find_by_phone(s, vault, "13912345678")
        assert (found.member_no, found.tier_code) == ("M10000001", "gold")
        assert vault.decrypt_field("name", found.id, found.name_enc) == "欧阳娜娜"
        assert vault.decrypt_field("birthday", found.id, found.birthday_enc) == "02-29"
        last4 = members.find_by_last4(s, vault, "8000")
        assert [m.member_no for m in last4.matches] == ["M10000002"]
        second = s.scalars(select(Member).where(Member.member_no == "M10000002")).one()
        assert (second.tier_code, second.referrer_no, second.birthday_enc) == (
            "normal",
            "M10000001",
            None,
        )
        consents = s.execute(
            select(MemberConsent.kind, MemberConsent.granted, MemberConsent.text_version)
            .where(MemberConsent.member_id == found.id)
            .order_by(MemberConsent.kind)
        ).all()
        assert consents == [
            ("data_processing", True, "import:members.csv"),
            ("marketing", True, "import:members.csv"),
        ]
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "data_imported")).one()
    assert audit.target == "members" and audit.user_id == admin.user_id
    assert audit.details["file"] == "members.csv" and audit.details["created"] == 2
    assert count(db, OutboxRow) == 0  # HQ loads the same file itself
    # nothing personal in clear: not in the store file, its WAL, nor the audit trail
    files = [tmp_path / "store.sqlite3", tmp_path / "store.sqlite3-wal"]
    raw = b"".join(p.read_bytes() for p in files if p.exists())
    for _no, phone, name in PEOPLE:
        assert name.encode() not in raw and name.encode("utf-16-le") not in raw
        assert phone.encode() not in raw and phone[3:].encode() not in raw
        assert phone not in json.dumps(audit.details, ensure_ascii=False)
    db.close()
    raw = (tmp_path / "store.sqlite3").read_bytes()
    for _no, phone, name in PEOPLE:
        assert name.encode() not in raw and phone.encode() not in raw


def test_every_bad_member_row_is_reported_without_personal_data(
    db: Database, admin: auth.Actor, vault: MemberVault
) -> None:
    run(db, "members", members_csv("M20000000,13700000000,老会员,,,,"), admin, vault)
    source = members_csv(
        "M10000001,1391234567,张三,,,,",  # 2: phone one digit short
        "M10000002,13900000002,,13-01,platinum,,",  # 3: no name (new); bad birthday; tier
        "M10000003,13900000003,李四,02-30,,M10000003,",  # 4: bad day; refers to itself
        "M10000004,13900000003,王五,,,M99999999,",  # 5: phone of row 4; unknown referrer
        "M10000005,13700000000,赵六,,,,",  # 6: the phone of M20000000
        "M10000004,13900000006,钱七,,,,",  # 7: member_no of row 5 again
        "10000008,13900000008,孙八,,,,maybe",  # 8: member_no; marketing flag
        "M10000009,,周九,,,,",  # 9: no phone (new)
    )
    exc = refused(db, "members", source, admin, vault=vault)
    assert triples(exc) == {
        (2, "phone", "import_bad_phone"),
        (3, "name", "import_required_new"),
        (3, "birthday", "import_bad_birthday"),
        (3, "tier", "import_unknown_tier"),
        (4, "birthday", "import_bad_birthday"),
        (4, "referrer", "import_self_referrer"),
        (5, "phone", "import_phone_twice"),
        (5, "referrer", "import_unknown_referrer"),
        (6, "phone", "import_phone_taken"),
        (7, "member_no", "import_duplicate_in_file"),
        (8, "member_no", "import_bad_member_no"),
        (8, "marketing", "import_bad_flag"),
        (9, "phone", "import_required_new"),
    }
    lines = [str(p) for p in exc.problems] + [str(exc)]
    assert any("this phone belongs to member M20000000" in line for line in lines)
    assert any("the same phone as row 4" in line for line in lines)
    for line in lines:
        for secret in ("1391234567", "13900000003", "13700000000", "张三", "李四", "老会员"):
            assert secret not in line
    assert count(db, Member) == 1


def test_member_re_import_updates_personal_data_and_marketing_consent(
    db: Database, admin: auth.Actor, vault: MemberVault
) -> None:
    first = members_csv("M10000001,13912345678,欧阳娜娜,,,,否", "M10000002,13800138000,王小明,,,,")
    run(db, "members", first, admin, vault)
    assert run(db, "members", first, admin, vault).unchanged == 2
    changed = members_csv("M10000001,13911112222,,05-01,silver,,是")
    result = run(db, "members", changed, admin, vault, now=DEMO_NOW + timedelta(days=1))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    with db.sessions() as s:
        member = members.find_by_phone(s, vault, "13911112222")
        assert member.member_no == "M10000001" and member.tier_code == "silver"
        assert vault.decrypt_field("name", member.id, member.name_enc) == "欧阳娜娜"  # kept
        assert vault.decrypt_field("birthday", member.id, member.birthday_enc) == "05-01"
        with pytest.raises(NotFound):
            members.find_by_phone(s, vault, "13912345678")
        marketing = s.scalars(
            select(MemberConsent.granted)
            .where(MemberConsent.member_id == member.id, MemberConsent.kind == "marketing")
            .order_by(MemberConsent.at, MemberConsent.id)
        ).all()
    assert marketing == [False, True]
    # an erased member is not brought back by an import
    with db.transaction() as s:
        members.erase_member(s, vault, "M10000002", actor=admin, reason="request")
    exc = refused(
        db, "members", members_csv("M10000002,13800138000,王小明,,,,"), admin, vault=vault
    )
    assert triples(exc) == {(2, "member_no", "import_member_erased")}


# --- promotions and coupons --------------------------------------------------------------------


def promotion(**kw: Any) -> dict[str, Any]:
    return {"id": "P1", "kind": "percent_off", "name": "9折", "percent_off_bp": 1000, **kw}


def test_promotions_validated_by_the_pricing_schema_and_the_store(
    db: Database, admin: auth.Actor
) -> None:
    run(db, "products", csv_rows(*GOOD_PRODUCTS), admin)
    items = [
        promotion(id="P1", categories=["生鲜"]),
        promotion(id="P2", percent_off_bp=20000),  # 2: out of range
        {"id": "P3", "kind": "amount_off", "name": "减", "amount": 8.5},  # 3: a float
        promotion(id="P4", skus=["SKU999999"], categories=["文具"]),  # 4: unknown sku, category
        {"id": "P5", "kind": "gift", "name": "赠", "min_qty": 2, "gift_sku": "NOPE"},  # 5
        promotion(id="P1"),  # 6: the id of row 1
        {"id": "P7", "kind": "bogus", "name": "x"},  # 7: no such kind
        promotion(id="P8", tiers=["gold", "vip"]),  # 8: unknown tier
    ]
    source = parse_json(
        json.dumps(items, ensure_ascii=False), "promotions.json", exact_numbers=False
    )
    exc = refused(db, "promotions", source, admin)
    assert triples(exc) == {
        (2, "percent_off_bp", "import_rule_invalid"),
        (3, "amount", "import_rule_invalid"),
        (4, "skus", "import_unknown_reference"),
        (4, "categories", "import_unknown_reference"),
        (5, "gift_sku", "import_unknown_reference"),
        (6, "id", "import_duplicate_in_file"),
        (7, "kind", "import_rule_invalid"),
        (8, "tiers", "import_unknown_reference"),
    }
    assert "must be between 1 and 10000" in str(exc.problems[0])
    assert count(db, PromotionRow) == 0
    ok = [promotion(id="P1", categories=["生鲜"]), promotion(id="P2", skus=["SKU000001"])]
    assert run(db, "promotions", json_rows(ok, exact=False), admin).created == 2
    ok[1]["percent_off_bp"] = 500
    again = run(db, "promotions", json_rows(ok, exact=False), admin)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    with db.sessions() as s:
        assert s.get(PromotionRow, "P2").body["percent_off_bp"] == 500  # type: ignore[union-attr]
    with pytest.raises(InvalidInput) as info:
        run(db, "promotions", csv_rows("id,kind", "P1,percent_off"), admin)
    assert info.value.code == "import_json_only"


def test_coupons_issued_to_members_by_member_number(
    db: Database, admin: auth.Actor, vault: MemberVault
) -> None:
    run(db, "members", members_csv("M10000001,13912345678,欧阳娜娜,,,,"), admin, vault)
    definition = {"id": "CD-10", "kind": "amount_off", "name": "10元券", "value": 1000}
    items = [
        {**definition, "coupons": [{"code": "CP10A0001", "member_no": "M10000001"}, "CP10A0002"]},
        {
            "id": "CD-5",
            "kind": "amount_off",
            "name": "5元券",
            "value": 500,
            "coupons": [
                "CP5A0001",
                {"code": "CP10A0001"},
                {"code": "cp-bad"},
                {"code": "CP5A0003", "member_no": "M99999999"},
                {"code": "CP5A0004", "member": "M10000001"},
            ],
        },
        {"id": "CD-X", "kind": "amount_off", "name": "x", "value": 0.5},
    ]
    exc = refused(db, "coupons", json_rows(items, "coupons.json", exact=False), admin)
    assert triples(exc) == {
        (2, "coupons[2].code", "import_duplicate_in_file"),
        (2, "coupons[3].code", "import_bad_coupon_code"),
        (2, "coupons[4].member_no", "import_unknown_member"),
        (2, "coupons[5].member", "import_unknown_field"),
        (3, "value", "import_rule_invalid"),
    }
    assert count(db, Coupon) == 0 and count(db, CouponDefinitionRow) == 0
    result = run(db, "coupons", json_rows(items[:1], "coupons.json", exact=False), admin)
    assert (result.created, result.extra["coupons_created"]) == (1, 2)
    with db.sessions() as s:
        bound = s.get(Coupon, "CP10A0001")
        member_id = s.scalar(select(Member.id).where(Member.member_no == "M10000001"))
        assert bound is not None and bound.member_id == member_id
        assert s.get(Coupon, "CP10A0002").member_id is None  # type: ignore[union-attr]
    # a code of another definition, and re-binding a used coupon, are refused
    with db.transaction() as s:
        s.get(Coupon, "CP10A0001").status = "redeemed"  # type: ignore[union-attr]
    clash = [
        {
            "id": "CD-5",
            "kind": "amount_off",
            "name": "5元券",
            "value": 500,
            "coupons": ["CP10A0002"],
        },
        {**definition, "coupons": ["CP10A0001"]},
    ]
    exc = refused(db, "coupons", json_rows(clash, exact=False), admin)
    assert triples(exc) == {
        (1, "coupons[1].code", "import_coupon_other_definition"),
        (2, "coupons[1].code", "import_coupon_used"),
    }
    rebind = [{**definition, "coupons": [{"code": "CP10A0002", "member_no": "M10000001"}]}]
    result = run(db, "coupons", json_rows(rebind, exact=False), admin)
    assert (result.unchanged, result.extra["coupons_updated"]) == (1, 1)


# --- permission, audit, files ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["cashier", "supervisor"])
def test_importing_needs_a_manager_or_admin(db: Database, admin: auth.Actor, role: str) -> None:
    actor = add_user(db, admin, "1001", role)
    with pytest.raises(PermissionDenied):
        run(db, "products", csv_rows(*GOOD_PRODUCTS), actor)
    with pytest.raises(PermissionDenied):
        run(db, "products", csv_rows(*GOOD_PRODUCTS), actor, dry_run=True)
    assert count(db, Product) == 0
    manager = add_user(db, admin, "3001", "manager")
    assert run(db, "products", csv_rows(*GOOD_PRODUCTS), manager).created == 3
    with db.sessions() as s:
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "data_imported")).one()
    assert audit.user_id == manager.user_id
    assert audit.details == {
        "file": "products.csv",
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "categories_created": 2,
    }


def test_file_level_refusals(db: Database, admin: auth.Actor, tmp_path: Path) -> None:
    cases = {
        "a.txt": (b"sku\n", "import_unknown_format"),
        "b.json": (b'{"sku": "A"}', "import_json_not_list"),
        "c.json": (b'[{"sku": "A",}]', "import_bad_json"),
        "d.csv": (b"", "import_no_rows"),
        "e.csv": (b'sku,name\n"A1,x\n', "import_bad_csv"),
        # nested 100,000 deep: was a RecursionError traceback
        "f.json": (b"[" * 100_000 + b"]" * 100_000, "import_too_deep"),
        "g.json": (b'[{"sku": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]", "import_too_deep"),
    }
    for name, (content, code) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InvalidInput) as info:
            read_import_file("products", path)
        assert info.value.code == code, name
    with pytest.raises(InvalidInput) as info:
        read_import_file("coupons", tmp_path / "d.csv")
    assert info.value.code == "import_json_only"
    with pytest.raises(InvalidInput) as info:
        run(db, "products", json_rows([]), admin)
    assert info.value.code == "import_no_rows"


def test_samples_import_cleanly(db: Database, admin: auth.Actor, vault: MemberVault) -> None:
    files = {
        "products": "products.csv",
        "members": "members.csv",
        "promotions": "promotions.json",
        "coupons": "coupons.json",
        "rewards": "rewards.json",
    }
    for kind, name in files.items():
        result = run(db, kind, read_import_file(kind, SAMPLES / name), admin, vault)
        assert result.created > 0 and result.updated == 0, kind
        again = run(db, kind, read_import_file(kind, SAMPLES / name), admin, vault)
        assert again.created == again.updated == 0 and again.unchanged == result.created, kind


# --- any input: a list of problems, never a crash ---------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["12.50", "-1", "M10000001", "13912345678", EAN_A, "CP10A0001", "生鲜"]),
)
_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner)
)
_FIELDS = {
    "products": ["sku", "name", "category", "price", "barcodes", "unit", "active", "extra"],
    "members": ["member_no", "phone", "name", "birthday", "tier", "referrer", "marketing"],
    "promotions": ["id", "kind", "name", "skus", "categories", "percent_off_bp", "gift_sku"],
    "coupons": ["id", "kind", "name", "value", "coupons", "categories", "min_spend"],
}


@pytest.mark.parametrize("kind", sorted(_FIELDS))
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_json_rows_give_problems_never_a_crash(
    db: Database, admin: auth.Actor, vault: MemberVault, kind: str, data: st.DataObject
) -> None:
    rows = data.draw(
        st.lists(
            st.dictionaries(st.sampled_from(_FIELDS[kind]), _values, max_size=6) | _values,
            min_size=1,
            max_size=4,
        )
    )
    text = json.dumps(rows, default=str)
    source = parse_json(text, f"{kind}.json", exact_numbers=kind in ("products", "members"))
    try:
        with db.transaction() as s:
            run_import(s, kind, source, actor=admin, vault=vault, now=DEMO_NOW, dry_run=True)
    except ImportRefused as exc:
        assert exc.problems and all(p.row >= 1 for p in exc.problems)
        for problem in exc.problems:
            assert problem.text("en") and problem.text("zh_CN")


def test_rules_with_values_of_the_wrong_shape(db: Database, admin: auth.Actor) -> None:
    items = [
        promotion(id="P1", skus=5),
        promotion(id="P2", categories="生鲜"),
        {"id": "P3", "kind": "gift", "name": "赠", "min_qty": 2, "gift_sku": 5},
        promotion(id="P4", tiers=1),
    ]
    exc = refused(db, "promotions", json_rows(items, exact=False), admin)
    assert {(p.row, p.field) for p in exc.problems} == {
        (1, "skus"), (2, "categories"), (3, "gift_sku"), (4, "tiers")}  # fmt: skip
    definition = {"id": "CD", "kind": "amount_off", "name": "券", "value": 100}
    items = [
        {**definition, "coupons": 5},
        {
            **definition,
            "id": "CD2",
            "coupons": [5, {"code": 5}, {"code": "CP10A0001", "member_no": 7}],
        },
    ]
    exc = refused(db, "coupons", json_rows(items, exact=False), admin)
    assert triples(exc) == {
        (1, "coupons", "import_not_list"),
        (2, "coupons[1].code", "import_bad_coupon_code"),
        (2, "coupons[2].code", "import_bad_coupon_code"),
        (2, "coupons[3].member_no", "import_bad_member_no"),
    }


# --- rewards (积分兑换) ------------------------------------------------------------------------


def test_rewards_catalogue_imported_with_bad_rows_named_by_row_and_field(
    db: Database, admin: auth.Actor
) -> None:
    from terminal.store.models import RewardRow

    run(db, "products", csv_rows(*GOOD_PRODUCTS), admin)
    coupon = {"id": "CD-R10", "kind": "amount_off", "name": "10元券", "value": 1000}
    run(db, "coupons", json_rows([coupon], exact=False), admin)
    noodle = {"id": "RW-1", "kind": "product", "name": "500积分换苹果", "sku": "SKU000001"}
    items = [
        {**noodle, "points": 500},
        {**noodle, "id": "RW-2", "points": -5},  # 2: points must be positive
        {**noodle, "id": "RW-3", "points": 100, "sku": "SKU999999"},  # 3: no such product
        {
            "id": "RW-4",
            "kind": "coupon",
            "name": "券",
            "points": 800,
            "coupon_id": "CD-NOPE",
            "valid_days": 30,
        },  # 4: no such coupon definition
        {"id": "RW-5", "kind": "coupon", "name": "券", "points": 800, "coupon_id": "CD-R10"},
        {**noodle, "points": 100},  # 6: the id of row 1
        {**noodle, "id": "RW-7", "points": 100, "tiers": ["vip"]},  # 7: unknown tier
        {**noodle, "id": "RW-8", "points": 100, "money": 1.5},  # 8: money as a float
    ]
    exc = refused(db, "rewards", json_rows(items, "rewards.json", exact=False), admin)
    assert triples(exc) == {
        (2, "points", "import_rule_invalid"),
        (3, "sku", "import_unknown_reference"),
        (4, "coupon_id", "import_unknown_reference"),
        (5, "valid_days", "import_rule_invalid"),
        (6, "id", "import_duplicate_in_file"),
        (7, "tiers", "import_unknown_reference"),
        (8, "money", "import_rule_invalid"),
    }
    lines = [str(p) for p in exc.problems]
    assert any("row 3, sku" in line and "SKU999999" in line for line in lines), lines
    assert count(db, RewardRow) == 0  # nothing written while any row is bad
    good = [items[0], {**items[4], "valid_days": 30}]
    result = run(db, "rewards", json_rows(good, "rewards.json", exact=False), admin)
    assert (result.kind, result.created) == ("rewards", 2)
    good[0] = {**good[0], "points": 600}
    again = run(db, "rewards", json_rows(good, exact=False), admin)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    with db.sessions() as s:
        assert s.get(RewardRow, "RW-1").body["points"] == 600  # type: ignore[union-attr]
    with pytest.raises(InvalidInput) as info:
        run(db, "rewards", csv_rows("id,kind", "RW-1,product"), admin)
    assert info.value.code == "import_json_only"
