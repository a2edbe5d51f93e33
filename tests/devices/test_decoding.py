"""Decoders and the combined pipeline, measured on the hard corpus."""

from __future__ import annotations

import logging
import math
from collections import Counter

import numpy as np
import pytest

from devices import decoding
from devices.corpus import (
    CONDITIONS,
    ean13_check_digit,
    ean13_modules,
    generate,
    render_ean13,
    render_qr,
    sample,
)
from devices.decoding import (
    DEFAULT_STAGES,
    Code,
    OpenCVQRDecoder,
    PipelineDecoder,
    PyzbarDecoder,
    Stage,
    ZxingDecoder,
    get_decoder,
    normalise_symbology,
)

# decoding the whole corpus with every decoder is real work: on a loaded 2-core
# machine it has taken close to five minutes; this is a hang guard, not a target
pytestmark = pytest.mark.timeout(1200)


def rate(decoder: decoding.Decoder, corpus) -> float:
    hits = sum(any(c.text == s.truth.text for c in decoder.decode(s.image)) for s in corpus)
    return hits / len(corpus)


@pytest.fixture(scope="module")
def rates(corpus) -> dict[str, float]:
    out = {name: rate(get_decoder(name), corpus) for name in ("zxing-cpp", "opencv-qr")}
    if PyzbarDecoder.available():
        out["pyzbar"] = rate(get_decoder("pyzbar"), corpus)
    # every stage runs: what the pipeline CAN read, whatever the load on the machine
    # (the per-frame time budget is a runtime setting; its cost is measured in bench/)
    out["pipeline"] = rate(PipelineDecoder(budget_ms=math.inf), corpus)
    return out


def test_corpus_is_hard_for_every_single_decoder(rates):
    for name in ("zxing-cpp", "opencv-qr", "pyzbar"):
        if name in rates:
            assert rates[name] < 0.85, (name, rates)


def test_pipeline_reads_at_least_90_percent_of_the_hard_corpus(rates):
    assert rates["pipeline"] >= 0.90, rates


def test_pipeline_reads_at_least_as_much_as_each_single_decoder(rates):
    for _name, value in rates.items():
        assert rates["pipeline"] >= value, rates


def test_pipeline_never_misreads_a_qr(corpus):
    pipe = PipelineDecoder(budget_ms=math.inf)  # every stage: what runs must not depend on speed
    for s in corpus:
        for c in pipe.decode(s.image):
            if c.symbology == "QRCODE":
                assert c.text == s.truth.text


def test_corpus_mix_and_determinism(corpus):
    conditions = Counter(s.truth.condition for s in corpus)
    assert set(conditions) == set(CONDITIONS)
    kinds = Counter(s.truth.symbology for s in corpus)
    assert kinds["QRCODE"] > 0 and kinds["EAN13"] > 0
    again = sample(7)
    assert np.array_equal(again.image, corpus[7].image)
    assert again.truth == corpus[7].truth
    assert corpus[0].image.shape == (720, 1280, 3)
    long_qr = [s.truth.text for s in corpus if s.truth.kind == "qr_member"]
    assert long_qr and all(len(t) == 121 and t.startswith("MC1:") for t in long_qr)
    assert all(len(s.truth.quad) == 4 for s in corpus)


def test_generate_start_offsets_give_the_same_frames():
    a = list(generate(2, start=3))
    assert [s.index for s in a] == [3, 4]
    assert np.array_equal(a[0].image, sample(3).image)


def test_ean13_renderer_matches_gs1():
    assert ean13_check_digit("590123412345") == "7"
    mods = ean13_modules("5901234123457")
    assert mods.size == 95 and mods[:3].tolist() == [True, False, True]
    with pytest.raises(ValueError):
        ean13_modules("5901234123458")
    codes = ZxingDecoder().decode(render_ean13("5901234123457", 3, 100))
    assert [(c.text, c.symbology) for c in codes] == [("5901234123457", "EAN13")]


def test_each_decoder_reads_a_clean_qr_with_its_position():
    img = np.full((400, 600), 255, np.uint8)
    qr = render_qr("MC1:M12345678:ABCDEF", 6)
    img[50 : 50 + qr.shape[0], 100 : 100 + qr.shape[1]] = qr
    decoders: list[decoding.Decoder] = [ZxingDecoder(), OpenCVQRDecoder(), PipelineDecoder()]
    if PyzbarDecoder.available():
        decoders.append(PyzbarDecoder())
    for d in decoders:
        codes = d.decode(img)
        assert [(c.text, c.symbology) for c in codes] == [("MC1:M12345678:ABCDEF", "QRCODE")], d
        x, y, _w, _h = codes[0].bbox
        assert 100 <= x <= 100 + 4 * 6 + 2 and 50 <= y <= 50 + 4 * 6 + 2, (d.name, codes[0])


def test_inverted_ean13_needs_the_pipeline():
    img = 255 - render_ean13("6901234567892", 3, 120)
    assert ZxingDecoder().decode(img) == []  # zxing inverts QR codes by itself, not EAN
    codes = PipelineDecoder().decode(img)
    assert [c.text for c in codes] == ["6901234567892"]
    assert codes[0].decoder == "zxing-cpp+invert"


def test_polygon_of_a_scaled_stage_is_in_frame_pixels():
    img = np.full((720, 1280), 255, np.uint8)
    qr = render_qr("CP100001", 8)
    img[300 : 300 + qr.shape[0], 600 : 600 + qr.shape[1]] = qr
    full = PipelineDecoder([Stage("zxing-cpp")]).decode(img)[0]
    half = PipelineDecoder([Stage("zxing-cpp", "down0.5")]).decode(img)[0]
    assert half.decoder == "zxing-cpp+down0.5"
    for (x1, y1), (x2, y2) in zip(full.polygon, half.polygon, strict=True):
        assert abs(x1 - x2) <= 4 and abs(y1 - y2) <= 4


def test_budget_stops_the_cascade():
    blank = np.full((720, 1280, 3), 128, np.uint8)
    result = PipelineDecoder(budget_ms=0.001).run(blank)
    # the primary and one more stage always run
    assert result.codes == [] and result.tried == ["zxing-cpp", DEFAULT_STAGES[1].label]
    full = PipelineDecoder(budget_ms=math.inf).run(blank)
    assert full.tried == [s.label for s in DEFAULT_STAGES]


def test_missing_libzbar_is_reported_once_and_scanning_continues(monkeypatch, caplog):
    monkeypatch.setitem(decoding._zbar_state, "module", None)
    monkeypatch.setitem(decoding._zbar_state, "error", "Unable to find zbar shared library")
    monkeypatch.setattr(PipelineDecoder, "_warned_zbar", False)
    with caplog.at_level(logging.WARNING, logger="devices.decoding"):
        first = PipelineDecoder()
        second = PipelineDecoder()
    assert first.zbar_missing and second.zbar_missing
    assert not decoding.zbar_available()
    warnings = [r for r in caplog.records if "libzbar" in r.getMessage()]
    assert len(warnings) == 1
    assert all(s.decoder != "pyzbar" for s in first.stages)
    img = render_qr("M12345678", 5)
    assert [c.text for c in first.decode(img)] == ["M12345678"]
    with pytest.raises(ValueError):
        get_decoder("pyzbar")


def test_bad_frames_do_not_raise():
    for d in (ZxingDecoder(), OpenCVQRDecoder(), PipelineDecoder()):
        assert d.decode(np.zeros((1, 1), np.uint8)) == []
        assert d.decode(np.zeros((720, 1280, 4), np.uint8)) == []


def test_symbology_names_and_unknown_decoder():
    assert normalise_symbology("EAN-13") == "EAN13"
    assert normalise_symbology("QRCode") == "QRCODE"
    assert normalise_symbology("UPC-A") == "UPCA"
    assert Code("x", "QRCODE").bbox == (0, 0, 0, 0)
    with pytest.raises(ValueError):
        get_decoder("magic")
    with pytest.raises(ValueError):
        PipelineDecoder([Stage("zxing-cpp", "emboss")])


def test_cascade_resumes_where_the_previous_frame_stopped():
    img = 255 - render_ean13("6901234567892", 3, 120)  # needs the "invert" stage
    pipe = PipelineDecoder()
    labels = [s.label for s in pipe.stages]
    first = pipe.run(img, budget_ms=0.001)  # the primary and one more stage
    assert first.codes == [] and first.tried == labels[:2] and first.next_stage == 2
    at_invert = labels.index("zxing-cpp+invert")
    resumed = pipe.run(img, budget_ms=math.inf, resume_at=at_invert)
    assert resumed.tried == ["zxing-cpp", "zxing-cpp+invert"]
    assert [c.text for c in resumed.codes] == ["6901234567892"]
    assert resumed.next_stage == at_invert  # the next frame tries it right after the primary
