"""The quantity prefix at the scan field: ``3*CODE``; member-app codes hold ``*`` themselves."""

from __future__ import annotations

import pytest

from terminal.errors import InvalidInput
from terminal.scan_input import split_quantity


def test_a_quantity_before_a_code() -> None:
    assert split_quantity("3*6901234567892") == (3, "6901234567892")
    assert split_quantity(" SKU000300\r\n") == (1, "SKU000300")


def test_a_member_app_code_with_a_star_in_its_base45_is_not_a_quantity() -> None:
    code = "MC1:H%CZT0:W4000700DK0.SH*FP7T8:IO5%QRV9RJGRIJ87L+CRN7SUW8U*UW%C65P8K4F"
    assert split_quantity(code) == (1, code)


@pytest.mark.parametrize("text", ["0*SKU000300", "x*SKU000300", "10000*SKU000300"])
def test_a_bad_quantity_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        split_quantity(text)
    assert refused.value.code == "bad_qty"
