"""The open till: data directory, config and store, opened together.

CLI commands, scripts and the GUI all start from :meth:`TerminalHome.open`, so they
agree on where the data lives, read the same validated config, take the daily
backup before touching the store, and refuse a corrupt store the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal import backup
from terminal.checkout_settings import CheckoutSettings
from terminal.config import DataDir, TerminalConfig, ensure_config, load_config, local_tz
from terminal.errors import PosError, StateError, StoreCorrupt
from terminal.pii import MemberVault
from terminal.store.database import Database
from terminal.store.models import Store, Terminal

log = logging.getLogger(__name__)

NOT_INITIALISED = (
    "数据目录未初始化，请先运行 posterm demo 或 posterm init / data dir not initialised"
)


@dataclass(frozen=True)
class TerminalHome:
    """One terminal's data directory, validated config and open store."""

    data: DataDir
    config: TerminalConfig
    db: Database

    @classmethod
    def open(
        cls,
        data_dir: Path | None,
        *,
        create: bool = False,
        now: datetime | None = None,
    ) -> TerminalHome:
        """Open the till in ``data_dir`` (None: ``$POSTERM_DATA_DIR`` or the platform default).

        With ``create``, a missing config file is written with defaults and a
        missing store is created (migrated, empty). Without it, a missing store
        is refused. The daily automatic backup runs before the store is opened
        when ``[backup] auto`` is on; ``now`` (aware) is for tests.
        """
        data = DataDir.locate(data_dir)
        if not data.store_path.exists() and not create:
            raise PosError(f"{NOT_INITIALISED} ({data.root})", code="not_initialised")
        config = ensure_config(data) if create else load_config(data.config_path)
        if config.backup.auto:
            local_now = (now or datetime.now(local_tz(config))).astimezone(local_tz(config))
            try:
                backup.auto_backup(data, local_now, config.backup.keep)
            except StoreCorrupt:
                pass  # Database() below refuses the store with the standard message
            except (PosError, OSError) as exc:
                # A failed backup (disk full, permissions) must not stop the
                # till from selling; it is logged and retried on the next open.
                log.warning("automatic backup failed: %s", exc)
        db = Database(data.store_path)
        return cls(data=data, config=config, db=db)

    def settings(self) -> CheckoutSettings:
        """What the checkout needs: this terminal's id and the config's rules."""
        with self.db.sessions() as session:
            return CheckoutSettings.from_config(self.config, self.terminal_row(session).id)

    def vault(self) -> MemberVault:
        """The key holder for members' personal data (created on first use)."""
        return MemberVault.from_data_dir(self.data)

    def terminal_row(self, session: Session) -> Terminal:
        """This till's Terminal row (the one matching ``[terminal] code`` if there are several)."""
        rows = list(session.scalars(select(Terminal)))
        matching = [r for r in rows if r.code == self.config.terminal.code]
        if matching:
            return matching[0]
        if len(rows) == 1:
            return rows[0]
        raise StateError(
            f"找不到本机终端记录 / no terminal row for code {self.config.terminal.code!r} "
            f"in {self.data.store_path}"
        )

    def store_row(self, session: Session) -> Store:
        """The Store row (the one matching ``[store] code`` if there are several)."""
        rows = list(session.scalars(select(Store)))
        matching = [r for r in rows if r.code == self.config.store.code]
        if matching:
            return matching[0]
        if len(rows) == 1:
            return rows[0]
        raise StateError(
            f"找不到门店记录 / no store row for code {self.config.store.code!r} "
            f"in {self.data.store_path}"
        )

    def close(self) -> None:
        self.db.close()
