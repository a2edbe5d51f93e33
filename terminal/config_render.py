"""Writing ``config.toml``: every key with its description, device tables as examples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomlkit
from pydantic import BaseModel, ValidationError

from terminal.config import DEVICE_TABLES, StoreSection, TerminalConfig, load_config
from terminal.config_locator import ConfigError, _expectation
from terminal.datadir import DataDir
from terminal.files import atomic_write_text

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
