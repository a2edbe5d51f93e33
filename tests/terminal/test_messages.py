"""The message catalogue: every code raised exists, in both languages, exactly once."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from terminal import messages
from terminal.errors import InvalidInput, PosError
from terminal.messages import Ref

ROOT = Path(__file__).resolve().parents[2]
ERROR_CLASSES = {
    "PosError",
    "NotFound",
    "InvalidInput",
    "PermissionDenied",
    "StateError",
    "StoreError",
    "StoreCorrupt",
    "MemberKeysError",
    "DecryptError",
    "MemberCodeRefused",
    "ConfigError",
    "RestoreRefused",
    "SyncError",
}
CODED_TEXT = {
    "Text",  # a coded line the core builds and a screen renders (the pricing explanation)
    "explain",  # PricingState.explain("px_...", ...)
    "Ref",
}


def raised_codes() -> dict[str, list[str]]:
    """Code -> where, for every ``SomeError("code", ...)`` call in the source."""
    found: dict[str, list[str]] = {}
    for package in ("terminal", "ui", "sync"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                first = node.args[0]
                if name not in ERROR_CLASSES | CODED_TEXT:
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if isinstance(first, ast.Constant):
                    found.setdefault(str(first.value), []).append(where)
                elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                    # f"coupon_{reason}": a family of codes; its prefix must name some
                    prefix = str(first.values[0].value)
                    if not any(code.startswith(prefix) for code in messages.CATALOGUE):
                        found.setdefault(f"{prefix}*", []).append(where)
                elif not isinstance(first, ast.Name | ast.Attribute):  # a code held in a variable
                    found.setdefault(f"<not a code: {ast.unparse(first)[:40]}>", []).append(where)
    return found


def test_every_raised_code_is_in_the_catalogue() -> None:
    missing = {
        code: where for code, where in raised_codes().items() if code not in messages.CATALOGUE
    }
    assert missing == {}


def test_every_refusal_names_its_own_code() -> None:
    """No raise site falls back to its class's default code (``invalid``, ``state`` …):
    a front end could not tell such refusals apart, nor translate them."""
    bare = []
    for package in ("terminal", "ui", "sync"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or node.args:
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in ERROR_CLASSES:
                    bare.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)[:60]}")
    assert bare == []


def test_no_code_is_defined_twice() -> None:
    seen: dict[str, str] = {}
    twice = []
    for area in messages.AREAS:
        for code in area.MESSAGES:
            if code in seen:
                twice.append((code, seen[code], area.__name__))
            seen[code] = area.__name__
    assert twice == []


def test_both_languages_name_the_same_parameters() -> None:
    def fields(template: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(template) if f}

    for code, (zh, en) in messages.CATALOGUE.items():
        assert zh.strip() and en.strip(), code
        assert fields(zh) == fields(en), code


def test_errors_render_in_each_language_and_bilingually() -> None:
    exc = InvalidInput("bad_pin", min=4, max=8)
    assert exc.text("zh_CN") == "密码须为4至8位数字"
    assert exc.text("en") == "a PIN is 4 to 8 digits"
    assert str(exc) == "密码须为4至8位数字 / a PIN is 4 to 8 digits"
    assert exc.code == "bad_pin"


def test_parameters_that_are_catalogue_entries_follow_the_language() -> None:
    exc = PosError("needs_approval", role=Ref("role_manager"), permission=Ref("perm_reports"))
    assert exc.text("zh_CN") == "需要店长授权（报表）"
    assert exc.text("en") == "needs manager approval (reports)"


def test_an_unknown_code_shows_itself_rather_than_crash() -> None:
    assert messages.render("no_such_code_anywhere") == "no_such_code_anywhere"


def test_set_language_refuses_what_it_does_not_have() -> None:
    with pytest.raises(ValueError):
        messages.set_language("fr")


def test_the_store_s_and_every_other_refusal_are_one_family() -> None:
    """A front end catches PosError once and shows its words: the store's failures too."""
    from sync.errors import SyncError
    from terminal.backup import RestoreRefused
    from terminal.config_locator import ConfigError
    from terminal.errors import StoreCorrupt, StoreError
    from terminal.imports.problems import ImportRefused
    from terminal.membercodes.errors import MemberCodeRefused
    from terminal.pii import DecryptError, MemberKeysError

    for cls in (
        StoreError,
        StoreCorrupt,
        RestoreRefused,
        ConfigError,
        ImportRefused,
        MemberCodeRefused,
        MemberKeysError,
        DecryptError,
        SyncError,
    ):
        assert issubclass(cls, PosError), cls
    corrupt = StoreCorrupt("store_corrupt", path="/data/store.sqlite3", problem="page 7")
    assert corrupt.text("en").startswith("the local store /data/store.sqlite3 is corrupt (page 7)")
    assert corrupt.text("zh_CN").startswith("本地数据库 /data/store.sqlite3 已损坏（page 7）")
