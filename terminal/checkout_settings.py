"""What the checkout needs to know about this till, and the store's business day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from terminal.classifier import ScaleFormat
from terminal.pricing.model import PricingConfig

if TYPE_CHECKING:
    from terminal.config import TerminalConfig


def business_day(at: datetime, tz: ZoneInfo, day_start: time = time(0, 0)) -> date:
    """The store's business day of an instant.

    The instant is taken to the store's local time, then moved back by
    ``day_start`` (wall-clock), so with a 04:00 start a sale at 02:30 local
    belongs to the previous day.
    """
    if at.tzinfo is None:
        raise ValueError("business_day needs an aware datetime")
    local = at.astimezone(tz)
    return (local - timedelta(hours=day_start.hour, minutes=day_start.minute)).date()


@dataclass(frozen=True)
class CheckoutSettings:
    """This terminal's id and the config's rules for selling, taken together."""

    terminal_id: str
    receipt_prefix: str
    tz: ZoneInfo
    pricing: PricingConfig = field(default_factory=PricingConfig)
    business_day_start: time = time(0, 0)
    points_expiry: str = "end_of_next_year"
    offline_redeem_limit: int = 20_000
    receipt_footer: str = ""
    cancel_basket_role: str = "supervisor"
    cash_movement_role: str = "cashier"
    min_pin_length: int = 4
    scale_formats: tuple[ScaleFormat, ...] = (ScaleFormat(),)
    used_coupon_on_return: str = "deduct"  # or "absorb", see terminal/issued_coupons.py

    @classmethod
    def from_config(cls, config: TerminalConfig, terminal_id: str) -> CheckoutSettings:
        """The settings of this till as its config file states them."""
        return cls(
            terminal_id=terminal_id,
            receipt_prefix=f"{config.store.code}{config.terminal.code}-",
            tz=ZoneInfo(config.store.timezone),
            pricing=PricingConfig(
                points_per_yuan=config.pricing.points_per_yuan,
                redeem_cap_bp=config.pricing.redeem_cap_bp,
                rounding=config.pricing.rounding,
            ),
            business_day_start=config.store.day_start,
            points_expiry=config.points.expiry,
            offline_redeem_limit=config.points.offline_redeem_limit,
            receipt_footer=config.receipt.footer,
            cancel_basket_role=config.security.cancel_basket_role,
            cash_movement_role=config.security.cash_movement_role,
            min_pin_length=config.security.min_pin_length,
            scale_formats=tuple(
                ScaleFormat(prefix, digits, value, check)  # type: ignore[arg-type]
                for prefix, digits, value, check in config.value.scale_formats()
            ),
            used_coupon_on_return=config.value.used_coupon_on_return,
        )

    def business_day(self, at: datetime) -> date:
        """The store's business day of an instant (a day may start after midnight)."""
        return business_day(at, self.tz, self.business_day_start)
