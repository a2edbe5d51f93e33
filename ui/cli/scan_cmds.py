"""``posterm scan-file [--json] IMAGE...``: decode image files with the scanning pipeline.

Per image: the codes found (symbology and text) and the milliseconds the decode took.
With ``--json`` one JSON object per line::

    {"file": "a.png", "codes": [{"symbology": "QRCODE", "text": "..."}], "ms": 12.3}

A file that cannot be read gives one line on stderr (``posterm: <file>: <why>``); the
other files are still decoded and the exit status is 2. Exit 0 otherwise (also when
an image holds no code: that is a result, not an error).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from devices.decoding import UnreadableImage, get_decoder, load_image
from terminal.messages import bilingual

DECODERS = ("pipeline", "zxing-cpp", "pyzbar", "opencv-qr")


def register(subparsers: Any) -> None:
    """Add the ``scan-file`` command to an argparse ``subparsers`` object."""
    p = subparsers.add_parser(
        "scan-file",
        description="Decode QR codes and barcodes in image files with the camera's pipeline.",
    )
    p.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, ...)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument(
        "--decoder",
        choices=DECODERS,
        default="pipeline",
        help="decoder to use (default: the combined pipeline)",
    )
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    """Run ``scan-file``; returns the exit status."""
    try:
        decoder = get_decoder(getattr(args, "decoder", "pipeline"))
    except ValueError as exc:
        print(f"posterm: {exc}", file=sys.stderr)
        return 2
    status = 0
    for name in args.images:
        try:
            image = load_image(name)
        except UnreadableImage as exc:
            print(f"posterm: {exc.path}: {bilingual(exc.code)}", file=sys.stderr)
            status = 2
            continue
        start = time.perf_counter()
        codes = decoder.decode(image)
        ms = round((time.perf_counter() - start) * 1000, 1)
        if args.json:
            record = {
                "file": name,
                "codes": [{"symbology": c.symbology, "text": c.text} for c in codes],
                "ms": ms,
            }
            print(json.dumps(record, ensure_ascii=False))
        elif codes:
            for c in codes:
                print(f"{name}\t{c.symbology}\t{c.text}\t{ms} ms")
        else:
            print(f"{name}\t-\t(no code found)\t{ms} ms")
        sys.stdout.flush()
    return status
