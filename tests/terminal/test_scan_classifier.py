"""The scan classifier: one table of what scanners hand the till."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.classifier import (
    COUPON_PATTERN,
    ScaleCode,
    ScaleFormat,
    classify,
    clean,
    gtin_check_digit,
    parse_scale,
    scale_barcode,
    value_check_digit,
)
from terminal.demo import ean13
from terminal.membercodes import demo_app_key, demo_key_id, encode_dynamic

DYNAMIC = encode_dynamic(
    "M00000001",
    demo_key_id(b"s", "M00000001"),
    demo_app_key(b"s", "M00000001"),
    datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
)

TABLE = [
    # text, kind, value, symbology
    ("M00000001", "member_static", "M00000001", None),
    ("M00000001\r\n", "member_static", "M00000001", None),
    ("  M12345678\t", "member_static", "M12345678", None),
    ("\ufeffM12345678", "member_static", "M12345678", None),
    ("M1234567", "unknown", "M1234567", None),
    ("M123456789", "unknown", "M123456789", None),
    ("m00000001", "unknown", "m00000001", None),
    (DYNAMIC, "member_dynamic", DYNAMIC, None),
    (DYNAMIC + "\n", "member_dynamic", DYNAMIC, None),
    ("MC1:DAMAGED", "member_dynamic", "MC1:DAMAGED", None),  # verify says "malformed"
    ("MC2:ABC", "member_dynamic", "MC2:ABC", None),
    ("CP100001", "coupon", "CP100001", None),
    ("CP950001", "coupon", "CP950001", None),
    ("CPDAIRY50001", "coupon", "CPDAIRY50001", None),
    ("CP1", "unknown", "CP1", None),
    ("cp100001", "unknown", "cp100001", None),
    (ean13("69", 1), "product", ean13("69", 1), "ean13"),
    (ean13("69", 520), "product", ean13("69", 520), "ean13"),
    ("6900000000010", "unknown", "6900000000010", None),  # bad check digit
    ("4006381333931", "product", "4006381333931", "ean13"),
    ("96385074", "product", "96385074", "ean8"),
    ("96385075", "unknown", "96385075", None),
    ("036000291452", "product", "036000291452", "upca"),
    ("036000291453", "unknown", "036000291453", None),
    ("SKU000001", "product", "SKU000001", "sku"),
    ("SKU00001", "unknown", "SKU00001", None),
    ("S001T01-00000042", "receipt", "S001T01-00000042", None),
    ("S001T01-0000042", "unknown", "S001T01-0000042", None),
    ("\u0669\u0669\u0669\u0669\u0669\u0669\u0669\u0669", "unknown", "\u0669" * 8, None),
    ("", "unknown", "", None),
    ("   \r\n", "unknown", "", None),
    ("hello world", "unknown", "hello world", None),
]


@pytest.mark.parametrize(("text", "kind", "value", "symbology"), TABLE)
def test_classify_table(text: str, kind: str, value: str, symbology: str | None) -> None:
    scanned = classify(text)
    assert (scanned.kind, scanned.value, scanned.symbology) == (kind, value, symbology)


def test_overlong_input_is_unknown() -> None:
    assert classify("M00000001" + " " * 600).kind == "unknown"
    assert classify("9" * 513).kind == "unknown"


def test_coupon_pattern_is_a_module_constant() -> None:
    assert COUPON_PATTERN.fullmatch("CP100001")


def test_clean_keeps_inner_spaces() -> None:
    assert clean("\x1dMC1:A B\r\n") == "MC1:A B"


@given(st.text(max_size=600))
def test_classify_never_raises(text: str) -> None:
    assert classify(text).kind in {
        "member_static",
        "member_dynamic",
        "coupon",
        "product",
        "receipt",
        "unknown",
    }


@pytest.mark.parametrize(
    "module", ["terminal.classifier", "terminal.membercodes", "ui.cli.membercode_cmds"]
)
def test_modules_import_on_their_own(module: str) -> None:
    """No import cycle between the classifier and the member-code parser."""
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)


# --- scale barcodes (称重码) ------------------------------------------------------------


def test_price_verifier_digits_follow_gs1():
    # GS1 General Specifications 7.9.3 worked examples: 2875 -> 9, 14685 -> 6
    assert value_check_digit("2875") == 9
    assert value_check_digit("14685") == 6


def test_scale_barcodes_carry_plu_and_weight_or_price():
    weight = ScaleFormat("2", 5, "weight")
    price = ScaleFormat("22", 5, "price", value_check=True)  # 22 + PLU + check + 4 digits
    label = scale_barcode(weight, "00101", 532)
    assert label == "2001010005328" and classify(label).kind == "product"
    assert parse_scale(label, (weight,)) == ScaleCode("00101", "weight", 532)
    priced = scale_barcode(price, "00042", 1999)
    assert len(priced) == 13 and priced.startswith("2200042")
    assert parse_scale(priced, (price, weight)) == ScaleCode("00042", "price", 1999)
    # a wrong verifier digit with a right EAN check digit is a misread, not another price
    body = priced[:7] + str((int(priced[7]) + 1) % 10) + priced[8:12]
    misread = body + str(gtin_check_digit(body))
    assert parse_scale(misread, (price,)) == ScaleCode("00042", "price", 1999, valid=False)
    assert parse_scale(label[:-1] + "0", (weight,)) is None  # EAN check digit wrong
    assert parse_scale(ean13("69", 1), (weight,)) is None  # another prefix: a product


def test_scale_formats_must_fit_thirteen_digits():
    with pytest.raises(ValueError):
        ScaleFormat("21", 6, "price", value_check=True)  # leaves 3 value digits
    with pytest.raises(ValueError):
        ScaleFormat("x")
