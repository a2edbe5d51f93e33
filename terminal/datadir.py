"""Where a till keeps everything: its data directory and the files in it.

Light on purpose (stdlib only, platformdirs when the default is asked for):
the command shell reads it before it knows which command will run.

    <data>/config.toml       the settings (see docs/configuration.md)
    <data>/store.sqlite3     the local store
    <data>/backups/          daily and manual backups, pre-restore safety copies
    <data>/keys/             key material distributed by HQ
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "POSTERM_DATA_DIR"
CONFIG_NAME = "config.toml"
STORE_NAME = "store.sqlite3"


def default_data_dir() -> Path:
    """The platform's per-user data directory for posterm (no env or CLI override)."""
    import platformdirs  # only when no directory was named: it costs a few ms to import

    return Path(platformdirs.user_data_dir("posterm", appauthor=False))


@dataclass(frozen=True)
class DataDir:
    """The layout of one terminal's data directory."""

    root: Path

    @classmethod
    def locate(cls, explicit: Path | str | None = None) -> DataDir:
        """``--data-dir`` if given, else ``$POSTERM_DATA_DIR``, else :func:`default_data_dir`."""
        if explicit is not None and str(explicit) != "":
            return cls(Path(explicit).expanduser())
        env = os.environ.get(ENV_DATA_DIR, "")
        if env:
            return cls(Path(env).expanduser())
        return cls(default_data_dir())

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def store_path(self) -> Path:
        return self.root / STORE_NAME

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"
