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

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from terminal import messages

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
I18N = RESOURCES / "i18n"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}

_translators: list[QTranslator] = []


def install(lang: str) -> str:
    """Switch the screens and the core's messages to ``lang``; returns the language used.

    Qt's own texts (OK, Cancel, Close on dialog buttons, the line edit's menu)
    come from Qt's ``qtbase`` translation shipped with PySide6.
    """
    if lang not in LANGUAGES:
        lang = "zh_CN"
    app = QCoreApplication.instance()
    if app is not None:
        for old in _translators:
            app.removeTranslator(old)
    _translators.clear()
    if lang != "en" and app is not None:
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in ((f"posterm_{lang}", str(I18N)), (f"qtbase_{lang}", qt_dir)):
            translator = QTranslator()
            if translator.load(name, folder):
                app.installTranslator(translator)
                _translators.append(translator)
            else:
                log.warning("no translation file %s in %s", name, folder)
    messages.set_language(lang)
    return lang


def language() -> str:
    return messages.language()
