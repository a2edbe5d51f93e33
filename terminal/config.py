"""The terminal's data directory and its ``config.toml``.

Everything a till keeps lives under one data directory (default: the
platform's user data dir for ``posterm``; ``POSTERM_DATA_DIR`` or
``--data-dir`` override it)::

    <data>/config.toml       this file's settings (see docs/configuration.md)
    <data>/store.sqlite3     the local store
    <data>/backups/          daily and manual backups, pre-restore safety copies
    <data>/keys/             key material distributed by HQ

The config is validated strictly (unknown keys and wrong types are refused,
not guessed at), and every refusal names the file, the dotted key and the line
it is written on, because the person fixing it is looking at the file in an
editor, usually on the phone with support.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
import tomlkit
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from terminal.errors import PosError
from terminal.files import atomic_write_text

ENV_DATA_DIR = "POSTERM_DATA_DIR"
CONFIG_NAME = "config.toml"
STORE_NAME = "store.sqlite3"


class ConfigError(PosError):
    """``config.toml`` is missing, not valid TOML, or holds a value the terminal refuses.

    ``path``, ``line`` (1-based, None when unknown) and ``key`` (dotted) describe
    the first problem; ``problems`` lists every problem as one line each.
    """

    code = "config_invalid"

    def __init__(
        self,
        code: str,
        /,
        *,
        path: Path | None = None,
        line: int | None = None,
        key: str | None = None,
        problems: list[str] | None = None,
        **params: Any,
    ) -> None:
        # the problems are technical lines (file, line, key, value): the same in
        # every language, so they are a parameter, not catalogue text
        problems = problems or []
        super().__init__(code, path=str(path or ""), problems="; ".join(problems), **params)
        self.path = path
        self.line = line
        self.key = key
        self.problems = problems or [str(self)]


# --- data directory ---------------------------------------------------------------------


def default_data_dir() -> Path:
    """The platform's per-user data directory for posterm (no env or CLI override)."""
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
    url: str | None = Field(None, description="总部地址 / HQ base URL, e.g. https://hq.example.com")
    token_file: str | None = Field(
        None,
        description="总部令牌文件 / file holding this terminal's HQ token (relative: in the "
        "data directory)",
    )

    @field_validator("url", "token_file", mode="before")
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


CONFIG_VERSION = 1
"""The format version this program writes; older files are upgraded when read."""


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Files written before versions existed: the keys are already version 1's."""
    return data


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1}
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


# --- loading and error messages ------------------------------------------------------------

_DECODE_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY_PART = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
_ASSIGN = re.compile(rf"^\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")


def _split_key(key: str) -> list[str]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.\s]+", key)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def key_lines(text: str) -> dict[str, int]:
    """Map dotted keys (and table names) to the 1-based line they are first written on.

    A small line scanner rather than a full parser: it only has to point a person
    at the right line of a file that tomllib already accepted.
    """
    lines: dict[str, int] = {}
    table: list[str] = []
    in_multiline: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_multiline is not None:
            if in_multiline in raw:
                in_multiline = None
            continue
        header = _HEADER.match(raw)
        if header:
            table = _split_key(header.group(1))
            lines.setdefault(".".join(table), number)
            continue
        assign = _ASSIGN.match(raw)
        if assign:
            dotted = ".".join([*table, *_split_key(assign.group(1))])
            lines.setdefault(dotted, number)
            rest = raw[assign.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_multiline = quote
    return lines


def _line_of(lines: dict[str, int], dotted: str) -> int | None:
    """The line of ``dotted``, or of its nearest enclosing table/inline table."""
    parts = dotted.split(".")
    while parts:
        found = lines.get(".".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None


def _field_bounds(loc: tuple[Any, ...], root: type[BaseModel]) -> tuple[Any, Any]:
    """The ``ge``/``le`` bounds of the field at ``loc`` (relative to ``root``)."""
    model: Any = root
    info = None
    for part in loc:
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None, None
        info = fields[part]
        model = info.annotation
    lower = upper = None
    for meta in info.metadata if info is not None else []:
        lower = getattr(meta, "ge", lower)
        upper = getattr(meta, "le", upper)
    return lower, upper


def _toml_value(value: Any) -> str:
    try:
        return tomlkit.item(value).as_string().strip()
    except Exception:  # an odd value (e.g. a nested table): repr is fine for a message
        return repr(value)


def _expectation(error: Any, root: type[BaseModel], prefix: tuple[str, ...] = ()) -> str:
    """What the value at ``error["loc"]`` must be; ``loc`` is relative to ``root``.

    ``prefix`` is where ``root``'s data sits in the file (empty for the whole config).
    """
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        lower, upper = _field_bounds(loc, root)
        if lower is not None and upper is not None:
            return f"must be between {lower} and {upper}"
        if lower is not None:
            return f"must be at least {lower}"
        if upper is not None:
            return f"must be at most {upper}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number (no quotes, no decimal point)"
    if kind in ("string_type",):
        return 'must be text in double quotes, e.g. "abc"'
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a table [{'.'.join(str(p) for p in (*prefix, *loc))}]"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "value_error":
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def _known_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every dotted key ``model`` accepts, each starting with ``prefix``."""
    keys: list[str] = []
    for name, info in model.model_fields.items():
        dotted = f"{prefix}{name}"
        keys.append(dotted)
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            keys.extend(_known_keys(info.annotation, f"{dotted}."))
    return keys


def _describe(
    error: Any,
    data: dict[str, Any],
    lines: dict[str, int],
    root: type[BaseModel],
    prefix: tuple[str, ...] = (),
) -> tuple[str, int | None, str]:
    """One validation error as (message, line, dotted key).

    ``root`` is the model that was validated and ``data`` what it was given;
    ``prefix`` is where that data sits in the file (``("printer",)`` for a device
    table, empty for the whole config), so keys and lines are the file's.
    """
    loc = tuple(str(p) for p in error["loc"])
    dotted = ".".join((*prefix, *loc))
    line = _line_of(lines, dotted) if dotted else None
    where = f"line {line}: " if line is not None else ""
    if error["type"] == "extra_forbidden":
        known = _known_keys(root, "".join(f"{p}." for p in prefix))
        candidates = [k for k in known if k.count(".") == dotted.count(".")]
        hint = difflib.get_close_matches(dotted, candidates, n=1)
        did_you_mean = f' (did you mean "{hint[0]}"?)' if hint else ""
        return f'{where}unknown key "{dotted}"{did_you_mean}', line, dotted
    value: Any = data
    for part in loc:
        value = value.get(part) if isinstance(value, dict) else None
    # a whole-table problem (loc empty, e.g. a model validator) shows no value
    shown = f" = {_toml_value(value)}" if value is not None and loc else ""
    return f"{where}{dotted}{shown}: {_expectation(error, root, prefix)}", line, dotted


def _refusal(
    exc: ValidationError,
    data: dict[str, Any],
    lines: dict[str, int],
    path: Path,
    root: type[BaseModel],
    prefix: tuple[str, ...] = (),
) -> ConfigError:
    """The :class:`ConfigError` listing every problem of ``exc``, first line first."""
    described = [_describe(err, data, lines, root, prefix) for err in exc.errors()]
    described.sort(key=lambda item: (item[1] is None, item[1] or 0))
    problems = [f"{path} {msg}" if line else f"{path}: {msg}" for msg, line, _ in described]
    return ConfigError(
        "config_invalid",
        path=path,
        line=described[0][1],
        key=described[0][2] or None,
        problems=problems,
    )


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
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
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


# --- writing ------------------------------------------------------------------------------

_HEADER_COMMENT = [
    "posterm 收银终端配置 / posterm terminal configuration",
    "每个键的说明见 docs/configuration.md / every key is described in docs/configuration.md",
    "改动后运行 `posterm config check` 检查 / run `posterm config check` after editing",
]


# Shown commented out in a file whose device table is empty. The values are the
# devices package's defaults (devices/printer/settings.py, devices/camera.py),
# written out here because terminal/ must not import devices/.
_DEVICE_EXAMPLES: dict[str, list[str]] = {
    "printer": [
        "[printer]",
        'connection = "file"          # usb | serial | network | file | cups',
        'file_path = "/dev/usb/lp0"   # file: device node or file to write to',
        'paper = "80mm"               # 58mm (32 columns) | 80mm (48 columns)',
        'text_mode = "gb18030"        # gb18030: printer\'s Chinese font | image: raster',
        'profile = "default"          # python-escpos printer profile, e.g. "TM-T20II"',
        "cash_drawer_pin = 2          # drawer kick connector pin: 2 | 5",
        "usb_vendor_id = 0x0416       # usb: vendor id (lsusb)",
        "usb_product_id = 0x5011      # usb: product id (lsusb)",
        'serial_port = "/dev/ttyUSB0" # serial: device',
        "baudrate = 19200             # serial: speed",
        'host = "192.168.1.50"        # network: printer IP address or host name',
        "port = 9100                  # network: raw TCP port",
        'cups_printer = "receipt"     # cups: raw queue name',
    ],
    "camera": [
        "[camera]",
        "source = 0                   # device index, or a video file path, or an rtsp:// URL",
        "width = 1280                 # requested frame size, 0 = the camera's default",
        "height = 720",
        "fps = 30                     # 0 = the camera's default",
    ],
}

_DEVICE_COMMENTS: dict[str, str] = {
    "printer": "收据打印机 / receipt printer; keys: devices/printer/settings.py (PrinterSettings)",
    "camera": "扫码摄像头 / code-scanning camera; keys: devices/camera.py (CameraSettings)",
}


def render_config(config: TerminalConfig, *, comments: bool = True) -> str:
    """The config as TOML text; with ``comments`` every key is preceded by its description.

    The device tables (``[printer]``, ``[camera]``) are written as they are; an
    empty one is shown as a commented-out example (with ``comments``) or left out.
    """
    doc = tomlkit.document()
    if comments:
        for line in _HEADER_COMMENT:
            doc.add(tomlkit.comment(line))
        doc.add(tomlkit.nl())
    if comments:
        doc.add(tomlkit.comment(str(TerminalConfig.model_fields["version"].description)))
    doc.add("version", config.version)
    for section_name in TerminalConfig.model_fields:
        if section_name in DEVICE_TABLES or section_name == "version":
            continue
        section: BaseModel = getattr(config, section_name)
        table = tomlkit.table()
        for key, info in type(section).model_fields.items():
            value = getattr(section, key)
            extra = info.json_schema_extra
            moved = isinstance(extra, dict) and "moved_to" in extra
            if value is None and moved:
                continue  # a key that moved is written only where a file still has it
            if comments and info.description:
                table.add(tomlkit.comment(info.description))
            if value is None:
                # TOML has no null: an unset optional key is shown commented out
                if comments:
                    table.add(tomlkit.comment(f'{key} = ""'))
                continue
            table.add(key, value)
        doc.add(section_name, table)
    parts = [tomlkit.dumps(doc)]
    for name in DEVICE_TABLES:
        raw: dict[str, Any] = getattr(config, name)
        if raw:
            device = tomlkit.document()
            device.add(name, tomlkit.item(raw))
            comment = f"# {_DEVICE_COMMENTS[name]}\n" if comments else ""
            parts.append(comment + tomlkit.dumps(device).lstrip("\n"))
        elif comments:
            lines = [_DEVICE_COMMENTS[name], *_DEVICE_EXAMPLES[name]]
            parts.append("".join(f"# {line}\n" for line in lines))
    return "\n".join(part if part.endswith("\n") else part + "\n" for part in parts)


def save_config(path: Path, config: TerminalConfig) -> None:
    """Write ``config`` as commented TOML, atomically (temp file + ``os.replace``)."""
    atomic_write_text(Path(path), render_config(config))


def ensure_config(data_dir: DataDir | Path, **store_defaults: Any) -> TerminalConfig:
    """Load ``<data>/config.toml``, writing a commented default file on first run.

    ``store_defaults`` (code, name, address, timezone, business_day_start) fill
    the ``[store]`` table of a new file; an existing file is never rewritten.
    """
    data = data_dir if isinstance(data_dir, DataDir) else DataDir(Path(data_dir))
    if data.config_path.exists():
        return load_config(data.config_path)
    try:
        config = TerminalConfig(store=StoreSection(**store_defaults))
    except ValidationError as exc:
        problems = [
            f"store.{'.'.join(str(p) for p in err['loc'])}: "
            f"{_expectation(err, StoreSection, ('store',))}"
            for err in exc.errors()
        ]
        raise ConfigError("store_settings_invalid", problems=problems) from None
    for directory in (data.root, data.backups_dir, data.keys_dir):
        directory.mkdir(parents=True, exist_ok=True)
    save_config(data.config_path, config)
    return config


# --- time helpers -----------------------------------------------------------------------


def local_tz(config: TerminalConfig) -> ZoneInfo:
    """The store's time zone."""
    return ZoneInfo(config.store.timezone)


__all__ = [
    "DEVICE_TABLES",
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
    "default_data_dir",
    "device_section",
    "ensure_config",
    "load_config",
    "local_tz",
    "parse_config",
    "render_config",
    "save_config",
]
