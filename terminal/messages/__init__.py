"""Every message a person can read, in zh_CN and en, keyed by a stable code.

The catalogue is assembled from one module per area (``auth``, ``sales``,
``store`` …); each holds ``MESSAGES: dict[code, (zh_CN, en)]`` with
``str.format`` placeholders. A code appears in exactly one area module (a
test checks), and a test checks that every code raised in the source exists
here, so a message can never silently be missing.

Front ends choose the language: the GUI calls ``exc.text(lang)``; the command
shell prints both (``str(exc)`` is "中文 / English"), which is what a store's
support line asks the manager to read out. :func:`set_language` sets the
default for :func:`render`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from terminal.messages import (
    auth,
    config,
    devices,
    general,
    gui,
    imports,
    members,
    pricing,
    printing,
    reports,
    sales,
    shifts,
    store,
    sync,
    value,
)

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
AREAS = (
    general,
    auth,
    sales,
    pricing,
    shifts,
    members,
    store,
    config,
    printing,
    devices,
    imports,
    gui,
    value,
    sync,
    reports,
)

Entry = tuple[str, str]


def _merge() -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for area in AREAS:
        for code, entry in area.MESSAGES.items():
            merged.setdefault(code, entry)
    return merged


CATALOGUE: Mapping[str, Entry] = _merge()

_language = "zh_CN"


def set_language(lang: str) -> None:
    """Choose the language :func:`render` uses when none is given (``zh_CN`` or ``en``)."""
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    _language = lang


def language() -> str:
    return _language


@dataclass(frozen=True)
class Ref:
    """A parameter that is itself a catalogue entry (a role, a tender method...).

    ``PermissionDenied("needs_role", role=Ref("role_manager"))`` reads
    "需要店长授权" in Chinese and "needs a manager" in English.
    """

    code: str


@dataclass(frozen=True)
class Words:
    """A parameter each language says its own way but that is no catalogue entry: a rate
    (``Words("95折", "5% off")``), a tail of data names joined by each language's comma."""

    zh_CN: str
    en: str

    def render(self, lang: str | None = None) -> str:
        return self.en if (lang or _language) == "en" else self.zh_CN


@dataclass(frozen=True)
class Text:
    """A message the core builds and a front end renders later, in the language it shows.

    ``Text("px_coupon_unused", {"code": "C1", "why": Text(...)})``: parameters may be
    :class:`Ref`, :class:`Words` or :class:`Text` themselves. What is stored or printed
    renders it in Chinese (``text.render("zh_CN")``); a screen renders it in its language.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str | None = None) -> str:
        return render(self.code, self.params, lang)

    def __str__(self) -> str:
        return self.render()


class _Lenient(dict[str, Any]):
    """Format parameters that show a missing name as ``{name}`` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _localise(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {k: _param(v, lang) for k, v in params.items()}


def _param(value: Any, lang: str) -> Any:
    if isinstance(value, Ref):
        return render(value.code, None, lang)
    if isinstance(value, Text | Words):
        return value.render(lang)
    return value


def render(code: str, params: Mapping[str, Any] | None = None, lang: str | None = None) -> str:
    """The message for ``code`` in ``lang``; an unknown code is shown as itself (and logged)."""
    entry = CATALOGUE.get(code)
    if entry is None:
        log.error("message code %r is not in the catalogue", code)
        return code
    lang = lang or _language
    template = entry[LANGUAGES.index(lang)]
    try:
        return template.format_map(_Lenient(_localise(params or {}, lang)))
    except (ValueError, IndexError, AttributeError):
        log.exception("message %r could not be formatted", code)
        return template


def bilingual(code: str, params: Mapping[str, Any] | None = None) -> str:
    """Chinese first, English after the slash: one line for the command shell and logs."""
    zh, en = render(code, params, "zh_CN"), render(code, params, "en")
    return zh if zh == en else f"{zh} / {en}"
