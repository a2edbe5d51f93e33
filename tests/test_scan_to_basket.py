"""Camera to basket: a video through the real capture, decoder, classifier and checkout.

The glue the GUI will run on its worker threads, wired by hand: frames from a
video file, the scan loop with ``terminal.classifier.classify`` deciding what a code
is, and each emitted code handed to ``Checkout.scan``.
"""

from __future__ import annotations

import threading

import numpy as np
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select

from devices.camera import Camera, CameraSettings
from devices.corpus import render_ean13, render_qr
from devices.scanloop import ScanEvent, ScanLoop, accept_from_classifier
from terminal.classifier import classify
from terminal.membercodes import demo_app_key, demo_key_id, encode_dynamic
from terminal.store.models import Member, MemberKey
from tests.devices.test_camera import write_video
from tests.terminal.tillkit import barcode_of, make_till, member_no


def scene(code_img: np.ndarray) -> np.ndarray:
    frame = np.full((720, 1280, 3), 150, np.uint8)
    h, w = code_img.shape
    frame[180 : 180 + h, 320 : 320 + w] = code_img[..., None]
    return frame


def test_a_member_app_code_and_a_product_on_camera_land_in_the_basket(demo_db, tmp_path):
    seed = b"camera-test-seed-0123456789abcdef"
    mno = member_no(demo_db, "silver")
    key = demo_app_key(seed, mno)
    with demo_db.transaction() as s:
        s.add(
            MemberKey(
                key_id=demo_key_id(seed, mno),
                member_id=s.scalar(select(Member.id).where(Member.member_no == mno)),
                public_key=key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
            )
        )
    till = make_till(demo_db)
    member_code = encode_dynamic(mno, demo_key_id(seed, mno), key, till.now)
    product = barcode_of(demo_db, "SKU000300")
    frames = [scene(render_qr(member_code, 4))] * 4 + [scene(render_ean13(product, 3, 120))] * 4
    video = write_video(tmp_path / "till.avi", frames, fps=30)
    settings = CameraSettings.model_validate(
        {"source": str(video), "fps": 60, "dedupe_seconds": 30.0}
    )
    got: list[ScanEvent] = []
    done = threading.Event()

    def on_code(event: ScanEvent) -> None:
        got.append(event)
        if {e.text for e in got} >= {member_code, product}:
            done.set()

    camera = Camera(settings)
    loop = ScanLoop.from_settings(settings, camera, on_code, accept_from_classifier(classify))
    camera.start()
    loop.start()
    try:
        assert done.wait(20), [e.text for e in got]
    finally:
        loop.stop()
        camera.stop()

    co = till.checkout()
    for event in got:  # the GUI thread does this for each emitted code
        co.scan(event.text)
    assert co.member_no == mno
    assert [(line.product.sku, line.qty) for line in co.lines] == [("SKU000300", 1)]
    assert co.priced.lines[0].tier_discount > 0  # the silver-card discount applied
