"""The terminal's settings: the ``config.toml`` schema, reading and upgrading it.

Where the file lives is :mod:`terminal.datadir`; how a refusal points at the
right line is :mod:`terminal.config_locator`; writing the file is
:mod:`terminal.config_render`. The config is validated strictly (unknown keys
and wrong types are refused, not guessed at), and every refusal names the
file, the dotted key and the line it is written on.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from terminal.config_locator import _DECODE_POS, ConfigError, _refusal, key_lines
from terminal.datadir import CONFIG_NAME, ENV_DATA_DIR, STORE_NAME, DataDir, default_data_dir

# --- the settings -------------------------------------------------------------------------

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_EXPIRY = re.compile(r"^(end_of_next_year|days:([1-9]\d{0,4}))$")


class _Section(BaseModel):
    # strict: TOML is typed, so "5" for a number or 1 for a boolean is a typo
    # to report, not something to coerce silently.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class StoreSection(_Section):
    code: str = Field("S001", min_length=1, max_length=16, description="门店编码 / store code")
    name: str = Field("门店", min_length=1, max_length=100, description="门店名称 / store name")
    address: str = Field("", max_length=200, description="门店地址 / address on receipts")
    timezone: str = Field(
        "Asia/Shanghai", description="IANA 时区 / IANA time zone, e.g. Asia/Shanghai"
    )
    business_day_start: str = Field(
        "00:00",
        description="营业日开始时间 HH:MM / local time a business day starts (04:00 = "
        "sales before 4 am count for the previous day)",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError('must be an IANA time zone such as "Asia/Shanghai"') from exc
        return value

    @field_validator("business_day_start")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError('must be a time "HH:MM" between "00:00" and "23:59"')
        return value

    @property
    def day_start(self) -> time:
        hours, minutes = self.business_day_start.split(":")
        return time(int(hours), int(minutes))


class TerminalSection(_Section):
    code: str = Field(
        "T01", min_length=1, max_length=16, description="收银机编号 / terminal code in the store"
    )


Rounding = Literal["none", "drop_fen", "round_jiao", "drop_jiao"]


class PricingSection(_Section):
    points_per_yuan: int = Field(
        100, ge=1, le=100_000, description="多少积分抵 1 元 / points redeemed for 1 yuan"
    )
    redeem_cap_bp: int = Field(
        5000,
        ge=0,
        le=10_000,
        description="积分抵扣上限（基点）/ max share of the payable paid in points, basis "
        "points (5000 = 50%)",
    )
    rounding: Rounding = Field(
        "none",
        description="应付金额抹零 / rounding of the payable: none | drop_fen | round_jiao | "
        "drop_jiao",
    )


class PointsSection(_Section):
    expiry: str = Field(
        "end_of_next_year",
        description='积分有效期 / points lot expiry: "end_of_next_year" or "days:N"',
    )
    offline_redeem_limit: int = Field(
        20_000,
        ge=0,
        description="离线时每单最多可用积分 / max points redeemable per sale while HQ is "
        "unreachable",
    )

    @field_validator("expiry")
    @classmethod
    def _expiry(cls, value: str) -> str:
        if not _EXPIRY.match(value):
            raise ValueError('must be "end_of_next_year" or "days:N" with N a whole number >= 1')
        return value

    @property
    def expiry_days(self) -> int | None:
        """N for ``days:N``; None for ``end_of_next_year``."""
        return int(self.expiry.split(":", 1)[1]) if self.expiry.startswith("days:") else None


class ReceiptSection(_Section):
    footer: str = Field(
        "谢谢惠顾，欢迎再次光临", max_length=200, description="小票页脚 / receipt footer"
    )
    # The paper width is [printer] paper, which the layout and the printer both read.
    # Still accepted so that older files load; used when [printer] sets no paper.
    paper: Literal["58mm", "80mm"] | None = Field(
        None,
        description="已改到 [printer] paper / moved to [printer] paper",
        json_schema_extra={"moved_to": "printer.paper"},
    )


class SecuritySection(_Section):
    lockout_attempts: int = Field(
        5, ge=1, le=100, description="PIN 连续错误几次后锁定 / wrong PINs before lockout"
    )
    lockout_minutes: int = Field(5, ge=1, le=1440, description="锁定分钟数 / lockout minutes")
    idle_lock_minutes: int = Field(
        10, ge=0, le=1440, description="无操作自动锁屏分钟数，0 为不锁 / idle lock, 0 = never"
    )
    min_pin_length: int = Field(
        4,
        ge=4,
        le=8,
        description="新密码最少位数（建议 6）/ digits a new PIN needs at least (6 recommended)",
    )
    cancel_basket_role: Literal["cashier", "supervisor", "manager", "admin"] = Field(
        "supervisor",
        description="可直接取消整单的最低角色 / least role that may cancel a basket with lines "
        "without an approval",
    )
    cash_movement_role: Literal["cashier", "supervisor", "manager", "admin"] = Field(
        "cashier",
        description="可直接存取现金的最低角色 / least role that may put cash in or take it out "
        "without an approval",
    )


class ValueSection(_Section):
    scale_prefix: str = Field(
        "2",
        pattern=r"^[0-9]{1,2}$",
        description="称重码前缀 / prefix of the scale barcodes that carry a weight",
    )
    scale_price_prefix: str = Field(
        "",
        pattern=r"^([0-9]{1,2})?$",
        description="带金额称重码前缀，空为不用 / prefix of scale barcodes that carry a price; "
        '"" = none',
    )
    scale_plu_digits: int = Field(5, ge=4, le=6, description="称重码 PLU 位数 / PLU digits")
    scale_value_check: bool = Field(
        False,
        description="称重码数值前有校验位 / a price or weight verifier digit before the value",
    )
    used_coupon_on_return: Literal["deduct", "absorb"] = Field(
        "deduct",
        description="退货后已使用的返券 / a return-issued coupon already used: deduct its value "
        "from the refund | absorb it",
    )

    @model_validator(mode="after")
    def _fits(self) -> ValueSection:
        for prefix in (self.scale_prefix, self.scale_price_prefix):
            if not prefix:
                continue
            digits = 12 - len(prefix) - self.scale_plu_digits - int(self.scale_value_check)
            if not 4 <= digits <= 6 or (self.scale_value_check and digits not in (4, 5)):
                raise ValueError(
                    "prefix, PLU digits and verifier digit leave the value no 4-5 digits "
                    "(4-6 without a verifier digit)"
                )
        if self.scale_prefix == self.scale_price_prefix:
            raise ValueError("the weight and the price barcodes need different prefixes")
        return self

    def scale_formats(self) -> list[tuple[str, int, str, bool]]:
        """(prefix, PLU digits, weight | price, verifier digit) of each scale barcode format."""
        out = [(self.scale_prefix, self.scale_plu_digits, "weight", self.scale_value_check)]
        if self.scale_price_prefix:
            out.append(
                (self.scale_price_prefix, self.scale_plu_digits, "price", self.scale_value_check)
            )
        return out


class BackupSection(_Section):
    keep: int = Field(14, ge=1, le=3650, description="自动备份保留天数 / days to keep backups")
    auto: bool = Field(True, description="每天首次启动时自动备份 / daily backup on first open")


class UiSection(_Section):
    language: Literal["zh_CN", "en"] = Field(
        "zh_CN", description="界面语言 / screen language: zh_CN | en"
    )
    customer_display: bool = Field(
        False, description="顾客显示屏窗口 / open the customer-facing window (second screen)"
    )


class HqSection(_Section):
    url: str | None = Field(
        None,
        description="总部地址，登记时默认使用 / HQ base URL, the default for enrolment, "
        "e.g. https://hq.example.com",
    )

    @field_validator("url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value  # `url = ""` is how a file says "no HQ"

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        parts = urlsplit(value)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or any(ch.isspace() for ch in value)
        ):
            raise ValueError(
                'must be an http:// or https:// address, e.g. "https://hq.example.com"'
            )
        return value


CONFIG_VERSION = 2
"""The format version this program writes; older files are upgraded when read."""


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Files written before versions existed: the keys are already version 1's."""
    return data


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """``[hq] token_file`` is gone: the HQ credential is sealed in the store at enrolment."""
    hq = data.get("hq")
    if isinstance(hq, dict) and "token_file" in hq:
        data = {**data, "hq": {k: v for k, v in hq.items() if k != "token_file"}}
    return data


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1, 1: _v1_to_v2}
"""``from_version -> step``: one step per version, applied in order, so a setting
renamed in a later version never breaks a till installed with an older file
(after Picard's ``config_upgrade``). A step takes and returns the raw TOML data."""


def upgrade_data(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """Bring raw config data written by any older version up to :data:`CONFIG_VERSION`."""
    version = data.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        return data  # validation names the bad key and its line
    if version > CONFIG_VERSION:
        raise ConfigError("config_too_new", path=path, version=version)
    data = {k: v for k, v in data.items() if k != "version"}
    while version < CONFIG_VERSION:
        data = UPGRADES[version](data)
        version += 1
    return {"version": CONFIG_VERSION, **data}


class TerminalConfig(_Section):
    """All settings of one terminal; every key has a default."""

    version: int = Field(
        CONFIG_VERSION, description="配置格式版本，请勿修改 / format version, do not edit"
    )
    store: StoreSection = StoreSection()
    terminal: TerminalSection = TerminalSection()
    pricing: PricingSection = PricingSection()
    points: PointsSection = PointsSection()
    receipt: ReceiptSection = ReceiptSection()
    security: SecuritySection = SecuritySection()
    backup: BackupSection = BackupSection()
    hq: HqSection = HqSection()
    ui: UiSection = UiSection()
    value: ValueSection = ValueSection()
    # Device tables are kept as raw TOML data: their fields belong to the devices
    # package (terminal/ must not import it); whoever opens the device validates
    # the table with its model through :func:`device_section`.
    printer: dict[str, Any] = Field(
        default_factory=dict,
        description="收据打印机 / receipt printer: fields in devices/printer/settings.py "
        "(PrinterSettings)",
    )
    camera: dict[str, Any] = Field(
        default_factory=dict,
        description="扫码摄像头 / code-scanning camera: fields in devices/camera.py "
        "(CameraSettings)",
    )


DeviceTable = Literal["printer", "camera"]
"""The ``config.toml`` tables whose fields are defined by the devices package."""

DEVICE_TABLES: tuple[DeviceTable, ...] = ("printer", "camera")

M = TypeVar("M", bound=BaseModel)


# --- loading ------------------------------------------------------------------------------


def parse_config(text: str, path: Path) -> TerminalConfig:
    """Validate TOML ``text`` (read from ``path``, named in errors) into a config."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        pos = _DECODE_POS.search(message)
        line = int(pos.group(1)) if pos else None
        detail = _DECODE_POS.sub("", message)
        where = f" line {line}" if line else ""
        column = f" (column {pos.group(2)})" if pos else ""
        raise ConfigError(
            "config_not_toml", path=path, line=line, where=f"{where}", detail=f"{detail}{column}"
        ) from exc
    except RecursionError:
        raise ConfigError(
            "config_not_toml", path=path, line=None, where="", detail="nested too deeply"
        ) from None
    data = upgrade_data(data, path)
    try:
        return TerminalConfig.model_validate(data)
    except ValidationError as exc:
        raise _refusal(exc, data, key_lines(text), path, TerminalConfig) from None


def device_section(config: TerminalConfig, path: Path, name: DeviceTable, model: type[M]) -> M:
    """Validate the raw ``[name]`` table of ``config`` with the devices package's ``model``.

    ``path`` is the ``config.toml`` the config was loaded from: it is named in
    errors and re-read for line numbers. A problem raises the same
    :class:`ConfigError` as :func:`load_config` (file, dotted key such as
    ``printer.port``, line, value, what is expected); an empty or missing table
    gives the model's defaults. The model's own config (strictness, extra keys)
    decides what is accepted. Example::

        settings = device_section(config, data.config_path, "printer", PrinterSettings)
    """
    if name not in DEVICE_TABLES:
        raise ValueError(f"{name!r} is not a device table; expected one of {DEVICE_TABLES}")
    data: dict[str, Any] = getattr(config, name)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _refusal(
            exc, data, _lines_for(path, name, data), Path(path), model, (name,)
        ) from None


def _lines_for(path: Path, name: str, data: dict[str, Any]) -> dict[str, int]:
    """Key lines of ``path``, or none if it no longer holds the table ``data`` came from."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        if tomllib.loads(text).get(name, {}) != data:
            return {}  # edited since it was loaded: its lines would point at the wrong keys
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return {}
    return key_lines(text)


def load_config(path: Path) -> TerminalConfig:
    """Read and validate ``config.toml``; a missing file is an error, not the defaults.

    A till that silently ran on defaults because its config was moved would
    price and round differently from what the store set up.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("config_missing", path=path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            "config_not_utf8", path=path, detail=f"{exc.reason} at byte {exc.start}"
        ) from None
    except OSError as exc:
        raise ConfigError("config_unreadable", path=path, why=exc.strerror) from None
    return parse_config(text, path)


# --- time helpers -----------------------------------------------------------------------


def local_tz(config: TerminalConfig) -> ZoneInfo:
    """The store's time zone."""
    return ZoneInfo(config.store.timezone)


__all__ = [
    "CONFIG_NAME",
    "DEVICE_TABLES",
    "ENV_DATA_DIR",
    "STORE_NAME",
    "BackupSection",
    "ConfigError",
    "DataDir",
    "DeviceTable",
    "HqSection",
    "PointsSection",
    "PricingSection",
    "ReceiptSection",
    "SecuritySection",
    "StoreSection",
    "TerminalConfig",
    "TerminalSection",
    "UiSection",
    "default_data_dir",
    "device_section",
    "load_config",
    "local_tz",
    "parse_config",
]
