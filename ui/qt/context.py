"""What every screen of the GUI till works with, opened once at start-up.

A composition object, not a model: it holds the open store and the things
wired to it (settings, the member-data vault, the printer), and the logged-in
cashier with their basket. Every rule is in the objects it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from terminal import auth
from terminal.checkout import Checkout
from terminal.checkout_settings import CheckoutSettings
from terminal.home import TerminalHome
from terminal.pii import MemberVault
from terminal.status import TillStatus, status

if TYPE_CHECKING:
    from collections.abc import Callable

    from devices.printer import ReceiptPrinter
    from sync.agent import SyncAgent


@dataclass
class AppContext:
    """The open till as the GUI sees it."""

    home: TerminalHome
    settings: CheckoutSettings
    vault: MemberVault
    printer: ReceiptPrinter | None = None
    status: TillStatus = field(default_factory=lambda: status)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    cashier: auth.Actor | None = None
    checkout: Checkout | None = None
    sync_agent: SyncAgent | None = None
    """The background sync agent, once this till is enrolled (stopped when the app ends)."""

    @classmethod
    def open(cls, home: TerminalHome, *, printer: ReceiptPrinter | None = None) -> AppContext:
        return cls(home=home, settings=home.settings(), vault=home.vault(), printer=printer)

    @property
    def lockout(self) -> tuple[int, int]:
        security = self.home.config.security
        return security.lockout_attempts, security.lockout_minutes

    def start_selling(self, cashier: auth.Actor) -> Checkout:
        """The cashier logged in: their basket (empty) from now on."""
        self.cashier = cashier
        self.checkout = Checkout(
            self.home.db,
            self.settings,
            cashier,
            clock=self.clock,
            vault=self.vault,
            hq_reachable=self.status.hq_reachable,  # what the sync agent last found
        )
        return self.checkout

    def stop_selling(self) -> None:
        self.cashier = None
        self.checkout = None
