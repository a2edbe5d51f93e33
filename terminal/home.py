"""The open till: data directory, config and store, opened together.

CLI commands, scripts and the GUI all start from :meth:`TerminalHome.open`, so they
agree on where the data lives, read the same validated config, keep the data
private (umask 077, folder 0700, files 0600), hold the store's lock, refuse a
damaged store the same way, and take the daily backup (on a thread, after the
store is open, so the login prompt never waits for a copy).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.config import DataDir, TerminalConfig, load_config, local_tz
from terminal.config_render import ensure_config
from terminal.errors import StateError, StoreError
from terminal.files import make_private, private_umask
from terminal.store.database import Database
from terminal.store.models import Store, Terminal

if TYPE_CHECKING:  # loaded where used: a till's login prompt needs none of them
    from terminal import backup
    from terminal.checkout_settings import CheckoutSettings
    from terminal.pii import MemberVault

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TerminalHome:
    """One terminal's data directory, validated config and open store."""

    data: DataDir
    config: TerminalConfig
    db: Database
    daily_backup: backup.DailyBackup | None = None

    @classmethod
    def open(
        cls,
        data_dir: Path | None,
        *,
        create: bool = False,
        now: datetime | None = None,
        auto_backup: bool = True,
    ) -> TerminalHome:
        """Open the till in ``data_dir`` (None: ``$POSTERM_DATA_DIR`` or the platform default).

        With ``create``, a missing config file is written with defaults and a
        missing store is created (migrated, empty). Without it, a missing store
        is refused. A store that needs a schema upgrade is first copied to
        ``backups/pre-upgrade-*``. The daily automatic backup (``[backup] auto``)
        starts on a thread once the store is open; ``auto_backup=False`` skips it
        (``posterm backup`` and ``restore`` do their own copying). ``now``
        (aware) is for tests.
        """
        private_umask()
        data = DataDir.locate(data_dir)
        existed = data.store_path.exists()
        if not existed and not create:
            raise StoreError("not_initialised", root=data.root)
        config = ensure_config(data) if create else load_config(data.config_path)
        make_private(data.root, data.backups_dir, data.keys_dir, data.root / "logs")
        db = Database(data.store_path, migrate=False)
        try:
            local_now = (now or datetime.now(local_tz(config))).astimezone(local_tz(config))
            if existed and db.schema_revision() is not None and db.needs_migration():
                from terminal import backup

                stamp = local_now.strftime("%Y%m%d-%H%M%S")
                rev = db.schema_revision()
                backup.copy_store(
                    data.store_path, data.backups_dir / f"pre-upgrade-{rev}-{stamp}.sqlite3"
                )
            db.migrate()
            daily = None
            if config.backup.auto and auto_backup and existed:
                from terminal import backup

                daily = backup.DailyBackup(data, local_now, config.backup.keep).start()
        except BaseException:
            db.close()
            raise
        return cls(data=data, config=config, db=db, daily_backup=daily)

    def settings(self) -> CheckoutSettings:
        """What the checkout needs: this terminal's id and the config's rules."""
        from terminal.checkout_settings import CheckoutSettings

        with self.db.sessions() as session:
            return CheckoutSettings.from_config(self.config, self.terminal_row(session).id)

    def vault(self) -> MemberVault:
        """The key holder for members' personal data (created on first use)."""
        from terminal.pii import MemberVault

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
            "no_terminal_row", code=self.config.terminal.code, path=self.data.store_path
        )

    def store_row(self, session: Session) -> Store:
        """The Store row (the one matching ``[store] code`` if there are several)."""
        rows = list(session.scalars(select(Store)))
        matching = [r for r in rows if r.code == self.config.store.code]
        if matching:
            return matching[0]
        if len(rows) == 1:
            return rows[0]
        raise StateError("no_store_row", code=self.config.store.code, path=self.data.store_path)

    def close(self) -> None:
        """Stop an unfinished daily backup (retried on the next start) and close the store."""
        if self.daily_backup is not None:
            self.daily_backup.stop()
        self.db.close()
