"""Receipt printer settings: which connection, which printer profile, how wide, how Chinese is sent.

The terminal's config file holds these under ``[printer]`` (see ``docs/printing.md``);
the caller validates that table with :class:`PrinterSettings` and hands the model to
:class:`~devices.printer.service.ReceiptPrinter`. Nothing here opens a device.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Connection = Literal["usb", "serial", "network", "file", "cups"]
Paper = Literal["58mm", "80mm"]
TextMode = Literal["gb18030", "image"]
Font = Literal["a", "b"]
DrawerCommand = Literal["realtime", "esc_p"]

PAPER_COLUMNS: dict[str, dict[str, int]] = {
    "58mm": {"a": 32, "b": 42},
    "80mm": {"a": 48, "b": 64},
}
"""Columns across the printable width: font A is 12 dots wide, font B 9 (python-escpos's
profiles say the same, e.g. POS-5890: 32 / 42). A Chinese character takes two columns."""

PAPER_DOTS: dict[str, int] = {"58mm": 384, "80mm": 576}
"""Printable width in dots at 203 dpi."""


class PrinterSettings(BaseModel):
    """How to reach the receipt printer and how to print on it.

    Only the fields of the chosen ``connection`` matter; the others keep their defaults.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    connection: Connection = Field("file", description="usb | serial | network | file | cups")
    # usb
    usb_vendor_id: int = Field(0, ge=0, le=0xFFFF, description="USB vendor id, e.g. 0x0416")
    usb_product_id: int = Field(0, ge=0, le=0xFFFF, description="USB product id, e.g. 0x5011")
    usb_in_ep: int = Field(0x82, ge=0, le=0xFF, description="USB IN endpoint (lsusb -v)")
    usb_out_ep: int = Field(0x01, ge=0, le=0xFF, description="USB OUT endpoint (lsusb -v)")
    # serial
    serial_port: str = Field("/dev/ttyUSB0", description="serial device")
    baudrate: int = Field(19200, ge=1200, le=921600, description="serial speed")
    # network
    host: str = Field("", description="printer IP address or host name")
    port: int = Field(9100, ge=1, le=65535, description="raw TCP port (JetDirect)")
    timeout_seconds: float = Field(5.0, gt=0, le=120, description="connect/send timeout")
    status_timeout_seconds: float = Field(
        1.0, gt=0, le=30, description="how long to wait for a DLE EOT status reply"
    )
    # file
    file_path: str = Field("/dev/usb/lp0", description="device node or file to write to")
    # cups
    cups_printer: str = Field("", description="CUPS queue name (raw queue)")
    # printing
    profile: str = Field("default", description="python-escpos printer profile, e.g. TM-T20II")
    paper: Paper = Field(
        "80mm",
        description="the store's paper width, for the layout and the printer: "
        "58mm (32 columns, font B 42) | 80mm (48 columns, font B 64)",
    )
    font: Font = Field("a", description="a (12-dot columns) | b (9-dot columns: more per line)")
    text_mode: TextMode = Field(
        "gb18030",
        description="gb18030: the printer's Chinese font (FS &); image: text rendered as raster",
    )
    font_path: str = Field("", description="CJK TrueType/OpenType font for image mode; empty: find")
    cash_drawer_pin: Literal[2, 5] = Field(2, description="drawer kick connector pin")
    drawer_command: DrawerCommand = Field(
        "realtime",
        description="realtime: DLE DC4 pulse, opens even while the printer is out of paper | "
        "esc_p: ESC p, for printers without DLE DC4 (waits behind a paper-out)",
    )
    native_qr: bool = Field(True, description="GS ( k QR codes (else rendered as an image)")

    @model_validator(mode="after")
    def _check_connection(self) -> PrinterSettings:
        if self.connection == "usb" and not (self.usb_vendor_id and self.usb_product_id):
            raise ValueError("usb needs usb_vendor_id and usb_product_id")
        if self.connection == "network" and not self.host:
            raise ValueError("network needs host")
        if self.connection == "cups" and not self.cups_printer:
            raise ValueError("cups needs cups_printer")
        if self.font == "b" and self.text_mode == "gb18030":
            # an unknown profile is for `posterm config check` to name; a known one
            # without font B cannot print this layout (python-escpos's printer
            # database loads here, only for this combination)
            from escpos.capabilities import CAPABILITIES

            profile = CAPABILITIES["profiles"].get(self.profile)
            if profile is not None and "1" not in (profile.get("fonts") or {}):
                raise ValueError(
                    f"profile {self.profile!r} has no font b; use font a or image mode"
                )
        return self

    @property
    def columns(self) -> int:
        """Columns across the paper in the configured font."""
        return PAPER_COLUMNS[self.paper][self.font]

    @property
    def dots(self) -> int:
        """Printable width in dots."""
        return PAPER_DOTS[self.paper]

    def describe(self) -> str:
        """Where the printer is, for logs and the settings screen."""
        match self.connection:
            case "usb":
                return f"USB {self.usb_vendor_id:04x}:{self.usb_product_id:04x}"
            case "serial":
                return f"serial {self.serial_port} @ {self.baudrate}"
            case "network":
                return f"network {self.host}:{self.port}"
            case "file":
                return f"file {self.file_path}"
            case _:
                return f"CUPS {self.cups_printer}"
