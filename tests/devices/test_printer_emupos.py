"""Printing to emupos, a real ESC/POS printer simulator, over TCP.

emupos (PyPI, Python >= 3.13) runs as its own process from its own venv
(``scripts/emupos.sh setup``); a session fixture starts it on free ports and the
tests read back what it rendered (text dump and PNG) and drive its faults
(paper out, off-line) through its control API, as a person would at the printer.
Skipped, with the reason, when emupos is not installed.

emupos ignores FS & (Kanji mode), so its text dump shows GB18030 bytes as
code-page glyphs; the Chinese text itself is checked in the byte-level tests.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from devices.printer import PrinterSettings, ReceiptPrinter, print_document
from tests.devices.test_printer_render import DOC, doc, needs_cjk_font

ROOT = Path(__file__).resolve().parents[2]
DEVICE = "front"


def emupos_binary() -> str | None:
    for candidate in (
        os.environ.get("EMUPOS", ""),
        str(ROOT / ".venv-emupos" / "bin" / "emupos"),
        shutil.which("emupos") or "",
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Emupos:
    port: int
    api: str
    log: Path

    def call(self, method: str, path: str) -> bytes:
        req = urllib.request.Request(f"{self.api}/api/v1{path}", method=method)
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.read()

    def receipts(self) -> list[dict]:
        return json.loads(self.call("GET", f"/devices/{DEVICE}/receipts"))

    def fault(self, name: str, on: bool) -> None:
        self.call("PUT" if on else "DELETE", f"/devices/{DEVICE}/faults/{name}")

    def state(self) -> dict:
        return json.loads(self.call("GET", f"/devices/{DEVICE}"))["state"]

    def wait_new_receipt(self, before: int, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.receipts()
            if len(found) > before:
                return max(found, key=lambda r: r["completed_at"])["id"]
            time.sleep(0.05)
        raise AssertionError(f"emupos rendered no receipt; log:\n{self.log.read_text()}")

    def text(self, receipt_id: str) -> str:
        return self.call("GET", f"/devices/{DEVICE}/receipts/{receipt_id}/text").decode()

    def image(self, receipt_id: str) -> Image.Image:
        return Image.open(
            BytesIO(self.call("GET", f"/devices/{DEVICE}/receipts/{receipt_id}/image"))
        )

    def printer(self, **kw) -> ReceiptPrinter:
        return ReceiptPrinter(
            PrinterSettings(
                connection="network",
                host="127.0.0.1",
                port=self.port,
                timeout_seconds=3,
                status_timeout_seconds=1,
                profile="TM-T20II",
                **kw,
            )
        )


@pytest.fixture(scope="session")
def emupos_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emupos]:
    binary = emupos_binary()
    if binary is None:
        pytest.skip(
            "emupos is not installed (needs Python 3.13): run scripts/emupos.sh setup, "
            "or point $EMUPOS at the emupos executable"
        )
    work = tmp_path_factory.mktemp("emupos")
    port, api_port = free_port(), free_port()
    (work / "emupos.yaml").write_text(
        "schema: 1\n"
        f"api: {{ host: 127.0.0.1, port: {api_port} }}\n"
        "devices:\n"
        f"  - id: {DEVICE}\n"
        "    type: printer\n"
        "    profile: epson-tm-t20iii\n"
        "    connections:\n"
        f"      - tcp: {{ port: {port} }}\n"
        "    job_idle_timeout_ms: 500\n"
        "    receipts_dir: ./receipts\n"
    )
    log = work / "emupos.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [binary, "run", "--config", str(work / "emupos.yaml")],
            cwd=work,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Emupos(port, f"http://127.0.0.1:{api_port}", log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                server.call("GET", "/health")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.skip(f"emupos did not start: {log.read_text()[-2000:]}")
                time.sleep(0.1)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def emupos(emupos_server: Emupos) -> Iterator[Emupos]:
    for fault in ("paper-out", "offline", "cover-open", "paper-near-end"):
        emupos_server.fault(fault, False)
    emupos_server.call("POST", f"/devices/{DEVICE}/drawer/close")
    yield emupos_server
    for fault in ("paper-out", "offline"):
        emupos_server.fault(fault, False)


def codes(img: Image.Image) -> set[tuple[str, str]]:
    return {(r.format.name, r.text) for r in zxingcpp.read_barcodes(img)}


def test_receipt_prints_on_emupos_with_qr_barcode_and_cut(emupos):
    before = len(emupos.receipts())
    out = print_document(emupos.printer(), DOC)
    assert out.ok, out
    assert out.status.online is True and out.status.paper == "ok"
    rid = emupos.wait_new_receipt(before)
    info = next(r for r in emupos.receipts() if r["id"] == rid)
    assert info["boundary"] == "cut" and info["width_dots"] == 576
    text = emupos.text(rid)
    assert "S001T01-00000001" in text
    assert "[qr S001T01-00000001]" in text
    assert "[barcode CODE128 S001T01-00000001]" in text
    assert "26.49" in text and "3.51" in text
    # emupos shows each GB18030 byte as one glyph: two per CJK character, so the
    # dump's line length is the display width, and no line is wider than the paper
    assert all(len(line) <= 48 for line in text.splitlines()), text
    assert emupos.state()["drawer"] == "closed"  # a receipt never opens the drawer
    found = codes(emupos.image(rid))
    assert ("QRCode", "S001T01-00000001") in found
    assert ("Code128", "S001T01-00000001") in found


def test_58mm_receipt_fits_its_barcode(emupos):
    before = len(emupos.receipts())
    assert print_document(emupos.printer(paper="58mm"), doc()).ok
    rid = emupos.wait_new_receipt(before)
    printed = [x for x in emupos.text(rid).splitlines() if not x.startswith("[")]  # no [qr …]
    assert all(len(line) <= 32 for line in printed), printed
    assert ("Code128", "S001T01-00000001") in codes(emupos.image(rid))  # fits 58 mm


def test_the_drawer_opens_during_paper_out_and_the_retried_receipt_leaves_it_shut(emupos, demo_db):
    """Seen on a till: paper ran out at a cash sale, the drawer stayed shut (no change for
    the customer) and popped open when the old receipt was retried later."""
    from terminal.tenders import Tender
    from tests.terminal.tillkit import make_till
    from ui.printing import after_sale, print_waiting

    till = make_till(demo_db)
    co = till.checkout()
    co.add("SKU000200", 2)
    result = co.pay([Tender("cash", co.quote().payable + 1000)])
    printer = emupos.printer()
    emupos.fault("paper-out", True)
    before = len(emupos.receipts())
    lines = after_sale(demo_db, printer, result.sale_id)
    assert emupos.state()["drawer"] == "open"  # the change can be given now
    assert len(lines) == 1 and "缺纸" in lines[0]  # the receipt waits for paper
    emupos.fault("paper-out", False)
    emupos.call("POST", f"/devices/{DEVICE}/drawer/close")
    [attempt] = print_waiting(demo_db, printer, retry_failed=True)
    assert attempt.delivery.ok and not attempt.copy  # it never reached the printer before
    rid = emupos.wait_new_receipt(before)
    assert result.receipt_no in emupos.text(rid)
    assert emupos.state()["drawer"] == "closed"


def test_image_mode_receipt_on_emupos(emupos):
    needs_cjk_font()
    before = len(emupos.receipts())
    assert print_document(emupos.printer(text_mode="image"), DOC).ok
    rid = emupos.wait_new_receipt(before)
    img = emupos.image(rid)
    img.save(emupos.log.parent / "image-mode.png")
    assert ("QRCode", "S001T01-00000001") in codes(img)


@pytest.mark.parametrize(
    "fault,code,words",
    [("paper-out", "printer_paper_out", "缺纸"), ("offline", "printer_offline", "离线")],
)
def test_fault_leaves_the_job_failed_then_reprint_succeeds(emupos, demo_db, fault, code, words):
    from terminal import print_jobs
    from terminal.messages import render
    from terminal.tenders import Tender
    from tests.terminal.tillkit import make_till
    from ui.printing import print_waiting

    till = make_till(demo_db)
    co = till.checkout()
    co.add("SKU000200", 2)
    result = co.pay([Tender("cash", co.quote().payable + 1000)])
    with demo_db.sessions() as s:
        [job] = print_jobs.jobs_for_sale(s, result.sale_id)
        job_id = job.id

    emupos.fault(fault, True)
    before = len(emupos.receipts())
    [attempt] = print_waiting(demo_db, emupos.printer())
    assert not attempt.delivery.ok and attempt.delivery.code == code
    with demo_db.sessions() as s:
        job = print_jobs.get(s, job_id)
        assert job.status == "failed" and job.last_error == code
        assert words in render(job.last_error, lang="zh_CN")
        assert "重打" in render(job.last_error, lang="zh_CN")
    emupos.fault(fault, False)
    # emupos prints what it held during a fault as soon as the fault clears, within the
    # call that clears it (our connection was closed before): nothing came out, so it held
    # nothing of ours. No sleep: the count is read once the fault is cleared.
    assert len(emupos.receipts()) == before
    [attempt] = print_waiting(demo_db, emupos.printer(), retry_failed=True)
    assert attempt.delivery.ok and not attempt.copy
    rid = emupos.wait_new_receipt(before)
    assert result.receipt_no in emupos.text(rid)
    assert len(emupos.receipts()) == before + 1  # exactly one copy came out
    with demo_db.sessions() as s:
        assert print_jobs.get(s, job_id).status == "printed"


def test_printer_switched_off_is_not_connected():
    out = print_document(
        ReceiptPrinter(PrinterSettings(connection="network", host="127.0.0.1", port=free_port())),
        DOC,
    )
    assert not out.ok and out.code == "printer_not_connected"
