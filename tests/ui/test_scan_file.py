"""``posterm scan-file``: the command module driven through its own argparse parser."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.corpus import render_ean13, render_qr
from ui.cli import scan_cmds as cli_scan


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="posterm")
    cli_scan.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def images(tmp_path: Path) -> dict[str, Path]:
    qr = np.full((400, 400), 255, np.uint8)
    code = render_qr("MC1:M12345678:20261123:ABCDEFGHIJ", 6)
    qr[40 : 40 + code.shape[0], 40 : 40 + code.shape[1]] = code
    ean = render_ean13("6901234567892", 3, 120)
    paths = {
        "qr": tmp_path / "member.png",
        "ean": tmp_path / "product.jpg",
        "blank": tmp_path / "blank.png",
    }
    cv2.imwrite(str(paths["qr"]), qr)
    cv2.imwrite(str(paths["ean"]), ean)
    cv2.imwrite(str(paths["blank"]), np.full((100, 100, 3), 200, np.uint8))
    return paths


def test_json_lines(images, capsys):
    status = run(["scan-file", "--json", str(images["qr"]), str(images["ean"]),
                  str(images["blank"])])  # fmt: skip
    assert status == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["file"] for line in lines] == [str(images[k]) for k in ("qr", "ean", "blank")]
    assert lines[0]["codes"] == [
        {"symbology": "QRCODE", "text": "MC1:M12345678:20261123:ABCDEFGHIJ"}
    ]
    assert lines[1]["codes"] == [{"symbology": "EAN13", "text": "6901234567892"}]
    assert lines[2]["codes"] == []
    assert all(type(line["ms"]) is float and round(line["ms"], 1) == line["ms"] for line in lines)


def test_plain_output(images, capsys):
    assert run(["scan-file", str(images["qr"]), str(images["blank"])]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{images['qr']}\tQRCODE\tMC1:M12345678:")
    assert out[0].endswith(" ms")
    assert "no code found" in out[1]


def test_unreadable_file_one_line_on_stderr_exit_2(images, tmp_path, capsys):
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image")
    missing = tmp_path / "missing.png"
    status = run(["scan-file", "--json", str(junk), str(missing), str(images["qr"])])
    assert status == 2
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert len(err) == 2
    assert err[0].startswith("posterm: ") and "junk.png" in err[0]
    assert "missing.png" in err[1]
    # in words from the catalogue, in both languages
    assert err[0].endswith("该文件不是可识别的图片 / not an image that can be read")
    assert err[1].endswith("无法读取该文件 / the file cannot be read")
    # the readable file is still decoded
    assert len(captured.out.splitlines()) == 1


def test_single_decoder_choice(images, capsys):
    assert run(["scan-file", "--json", "--decoder", "zxing-cpp", str(images["ean"])]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["codes"][0]["text"] == "6901234567892"
