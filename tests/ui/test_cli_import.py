"""A store without HQ: `posterm init`, `posterm import` of the samples, a sale, `product find`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from terminal import auth, shifts
from terminal.checkout import Checkout, Tender
from terminal.home import TerminalHome
from terminal.store.models import AuditEvent, Product, Sale
from tests.conftest import DEMO_NOW
from tests.ui.clikit import ADMIN_PIN, cli, init_till, one_error
from ui.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
SAMPLE_FILES = [
    ("products", "products.csv"),
    ("members", "members.csv"),
    ("promotions", "promotions.json"),
    ("coupons", "coupons.json"),
]


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory as `posterm init` leaves it: no products, members or promotions."""
    return init_till(tmp_path / "data", monkeypatch)


def import_(monkeypatch: pytest.MonkeyPatch, data: Path, kind: str, path: Path, *extra: str) -> int:
    argv = ["import", kind, str(path), "--user", "9001", "--data-dir", str(data), *extra]
    return cli(monkeypatch, f"{ADMIN_PIN}\n", *argv)


def products(data: Path) -> int:
    till = TerminalHome.open(data)
    try:
        with till.db.sessions() as s:
            return s.scalar(select(func.count()).select_from(Product)) or 0
    finally:
        till.close()


def test_the_samples_make_a_fresh_store_that_sells(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for kind, name in SAMPLE_FILES:
        assert import_(monkeypatch, data, kind, SAMPLES / name) == 0, capsys.readouterr().err
        out = capsys.readouterr().out
        assert f"imported {name}" in out and " 0 updated" in out
    till = TerminalHome.open(data)
    try:
        with till.db.transaction() as s:
            cashier = auth.login(s, "9001", ADMIN_PIN, now=DEMO_NOW)
            shifts.open_shift(
                s,
                terminal_id=till.terminal_row(s).id,
                actor=cashier,
                opening_float=0,
                now=DEMO_NOW,
            )
        checkout = Checkout(
            till.db, till.settings(), cashier, clock=lambda: DEMO_NOW, vault=till.vault()
        )
        checkout.add("6970000000079")  # 伊利 纯牛奶 250ml×12, 55.00, 乳制品
        checkout.attach_member("M10000003")  # gold: 5 % tier discount
        priced = checkout.apply_coupon("CPDAIRY0001")  # issued to M10000003
        rules = {a.rule_id for a in priced.adjustments}
        assert {"P-DAIRY", "CD-DAIRY5"} <= rules
        # 55.00 - 10 % = 49.50; gold 5 % = 2.48 (half-up); coupon 5.00 -> 42.02
        assert priced.payable == 4202
        sale = checkout.pay([Tender("cash", 5000)])
        assert sale.receipt_no == "S012T01-00000001" and sale.change == 798
        assert sale.points_earned > 0
        with till.db.sessions() as s:
            assert s.scalar(select(Sale.payable).where(Sale.id == sale.sale_id)) == 4202
            audits = s.scalars(
                select(AuditEvent.target).where(AuditEvent.action == "data_imported")
            ).all()
        assert sorted(audits) == ["coupons", "members", "products", "promotions"]
    finally:
        till.close()


def test_product_find_by_name_barcode_and_sku(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert import_(monkeypatch, data, "products", SAMPLES / "products.csv") == 0
    capsys.readouterr()
    d = ["--data-dir", str(data)]
    assert main(["product", "find", "牛奶", *d]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "SKU100007 | 6970000000079 | 伊利 纯牛奶 250ml×12 | ¥55.00 | 在售 active",
        "SKU100009 | 6970000000093 | 光明 低脂牛奶 1L | ¥15.80 | 在售 active",
    ]
    assert main(["product", "find", "69012341", *d]) == 0  # an EAN-8 of a product with two
    assert "SKU100003 | 69012341,6970000000031 | 元气森林" in capsys.readouterr().out
    assert main(["product", "find", "sku100018", *d]) == 0
    assert "¥650.00" in capsys.readouterr().out
    assert main(["product", "find", "1", "--limit", "2", *d]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4 and "more match; use --limit" in out[-1]
    for argv, needle in (
        (["product", "find", "萝卜"], "no product matches"),
        (["product", "find", "  "], "give part of a product name"),
        (["product", "find", "a", "--limit", "0"], "the limit must be 1 to 1000"),
    ):
        assert main([*argv, *d]) == 2
        assert needle in one_error(capsys)


def test_a_bad_file_lists_every_problem_and_imports_nothing(
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "products.csv"
    bad.write_text(
        "sku,name,category,price,barcodes\n"
        "SKU1,苹果,生鲜,12.50,6970000000017\n"
        "SKU2,梨,生鲜,12.505,\n"
        "SKU3,桃,生鲜,3,6970000000018\n",
        encoding="utf-8",
    )
    assert import_(monkeypatch, data, "products", bad) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "posterm: products.csv: 第 3 行 price：最多两位小数（精确到分） / "
        "row 3, price: at most 2 decimal places (fen)",
        "posterm: products.csv: 第 4 行 barcodes：条码 6970000000018 校验位错误 / "
        "row 4, barcodes: 6970000000018 has a wrong check digit",
        "posterm: products.csv：2 行共 2 处错误，未导入任何数据 / "
        "products.csv: 2 problems in 2 rows; nothing was imported",
    ]
    assert products(data) == 0
    # the same file as a dry run, after the fix: checked, counted, not written
    bad.write_text("sku,name,category,price\nSKU1,苹果,生鲜,12.50\n", encoding="utf-8")
    assert import_(monkeypatch, data, "products", bad, "--dry-run") == 0
    assert "dry run of products.csv (1 rows), nothing written: would be 1 created" in (
        capsys.readouterr().out
    )
    assert products(data) == 0
    assert import_(monkeypatch, data, "products", tmp_path / "missing.csv") == 2
    assert "cannot read" in one_error(capsys)
    assert import_(monkeypatch, data, "promotions", bad) == 2
    assert "promotions are imported from JSON files only" in one_error(capsys)


def test_importing_needs_a_manager_or_admin(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(data)]
    add = ["user", "add", "1001", "--name", "小李", "--role", "cashier", "--user", "9001", *d]
    assert cli(monkeypatch, f"{ADMIN_PIN}\n1111\n1111\n", *add) == 0
    argv = ["import", "products", str(SAMPLES / "products.csv"), "--user", "1001", *d]
    assert cli(monkeypatch, "1111\n", *argv) == 2
    assert "needs manager approval (import data)" in one_error(capsys)
    assert products(data) == 0
    assert import_(monkeypatch, data, "products", SAMPLES / "products.csv") == 0
    capsys.readouterr()
    argv[4] = "9001"
    assert cli(monkeypatch, "0000\n", *argv) == 2  # a wrong PIN
    assert "wrong username or PIN" in one_error(capsys)
    assert cli(monkeypatch, "", *argv) == 2  # no PIN at all (input closed)
    assert "standard input is closed" in one_error(capsys)
