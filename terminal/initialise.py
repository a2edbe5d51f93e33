"""Setting up a new till: the store and terminal rows, default tiers, the first admin.

Everything else (catalogue, members, promotions) reaches a real till from HQ;
until then it can sell nothing, but managers can log in, configure it and
add users.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal import auth
from terminal.errors import StateError
from terminal.store.database import Database
from terminal.store.models import Store, Terminal, Tier

# code, name, rank, threshold points, discount bp, points multiplier bp
# (HQ owns tiers and replaces these on the first sync)
DEFAULT_TIERS = [
    ("normal", "普通", 0, 0, 0, 10_000),
    ("silver", "银卡", 1, 2_000, 200, 12_000),
    ("gold", "金卡", 2, 10_000, 500, 15_000),
    ("diamond", "钻石", 3, 50_000, 800, 20_000),
]


def initialise_store(
    db: Database,
    *,
    store_code: str,
    store_name: str,
    address: str,
    timezone: str,
    terminal_code: str,
    admin_username: str,
    admin_name: str,
    admin_pin: str,
) -> None:
    """Create the store, this terminal, the default tiers and the first admin, in one go.

    Refuses a store that already holds a store row: initialising twice would
    give one till two identities.
    """
    with db.transaction() as session:
        if session.scalar(select(Store.id).limit(1)) is not None:
            raise StateError("store_not_empty")
        store = Store(code=store_code, name=store_name, address=address, timezone=timezone)
        session.add(store)
        session.flush()
        session.add(Terminal(store_id=store.id, code=terminal_code, name=terminal_code))
        add_default_tiers(session)
        auth.create_user(
            session,
            username=admin_username,
            display_name=admin_name,
            role="admin",
            pin=admin_pin,
            by=None,
        )


def add_default_tiers(session: Session) -> None:
    """The four default tiers (普通 / 银卡 / 金卡 / 钻石)."""
    for code, name, rank, threshold, disc, mult in DEFAULT_TIERS:
        session.add(
            Tier(
                code=code,
                name=name,
                rank=rank,
                threshold_points=threshold,
                discount_bp=disc,
                points_multiplier_bp=mult,
            )
        )
