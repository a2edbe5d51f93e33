"""The scan classifier: one table of what scanners hand the till."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.classifier import COUPON_PATTERN, classify, clean
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
