"""Messages of the devices area: code -> (zh_CN, en). See :mod:`terminal.messages`."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
