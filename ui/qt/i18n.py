"""The GUI's languages: Qt translations for the screens, the core catalogue for messages.

Screen texts are written in English in the code (``self.tr("Pay")``) and
translated by ``resources/i18n/posterm_zh_CN.qm`` (built from the ``.ts``
source by ``pyside6-lrelease``); Simplified Chinese is the default. Messages
from the core (refusals, reasons) come from :mod:`terminal.messages` in the
same language, so one switch changes both.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from terminal import messages

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
I18N = RESOURCES / "i18n"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}

_translator: QTranslator | None = None


def install(lang: str) -> str:
    """Switch the screens and the core's messages to ``lang``; returns the language used."""
    global _translator
    if lang not in LANGUAGES:
        lang = "zh_CN"
    app = QCoreApplication.instance()
    if _translator is not None and app is not None:
        app.removeTranslator(_translator)
        _translator = None
    if lang != "en" and app is not None:
        translator = QTranslator()
        if translator.load(str(I18N / f"posterm_{lang}.qm")):
            app.installTranslator(translator)
            _translator = translator
        else:
            log.warning("no translation file for %s in %s", lang, I18N)
    messages.set_language(lang)
    return lang


def language() -> str:
    return messages.language()
