"""Barcode and QR decoding of camera frames: single decoders and the combined pipeline.

Three decoders sit behind one small interface, :class:`Decoder`:

* :class:`ZxingDecoder` (zxing-cpp) — the primary: reads the most, fastest, QR and
  EAN/UPC in one call, inverted (dark-mode) QR codes included;
* :class:`PyzbarDecoder` (pyzbar / libzbar0) — optional: if libzbar is missing the
  pipeline still works and says so once (log warning + :attr:`PipelineDecoder.zbar_missing`);
* :class:`OpenCVQRDecoder` (OpenCV's QR detector) — QR codes only.

:class:`PipelineDecoder` runs the primary on the full-resolution frame and only
when that finds nothing tries cheap preprocessing variants (inverted, CLAHE,
sharpened, a second scale) and the other decoders, in an order measured on the
corpus (see ``docs/scanning.md``), until one reads or the per-frame time budget
is spent. :func:`get_decoder` is the factory.

Symbology names are normalised to upper case without punctuation, as pyzbar
spells them: ``QRCODE``, ``EAN13``, ``EAN8``, ``UPCA``, ``UPCE``, ``CODE128``…

Only stdlib, numpy, OpenCV, zxing-cpp and (optionally) pyzbar.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

log = logging.getLogger(__name__)

Point = tuple[int, int]


@dataclass(frozen=True)
class Code:
    """One decoded code: its text, symbology, where it is in the frame (polygon in frame
    pixels, usually four corners) and which decoder/stage read it."""

    text: str
    symbology: str
    polygon: tuple[Point, ...] = ()
    decoder: str = ""

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        """``(x, y, width, height)`` of the polygon; zeros when the position is unknown."""
        if not self.polygon:
            return (0, 0, 0, 0)
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def normalise_symbology(name: str) -> str:
    """``"EAN-13"`` -> ``"EAN13"``, ``"QRCode"`` -> ``"QRCODE"``, ``"UPC-A"`` -> ``"UPCA"``."""
    return "".join(ch for ch in name.upper() if ch.isalnum())


def to_gray(image: np.ndarray) -> np.ndarray:
    """A contiguous 8-bit single-channel view of a BGR, BGRA or gray frame."""
    if image.ndim == 2:
        gray = image
    elif image.shape[2] == 4:
        gray = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    else:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if gray.dtype != np.uint8:
        gray = np.clip(gray, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(gray)


class Decoder(ABC):
    """Reads codes from one frame. ``decode`` takes a BGR or gray ``uint8`` frame."""

    name: str = "decoder"

    @classmethod
    def available(cls) -> bool:
        """Whether this decoder can run on this machine."""
        return True

    @abstractmethod
    def decode(self, image: np.ndarray) -> list[Code]:
        """All codes found in ``image`` (empty when none); never raises on a bad frame."""


# --- zxing-cpp ------------------------------------------------------------------------------


TILL_FORMATS = ("QRCode", "EAN13", "EAN8", "UPCA", "Code128")  # the classifier takes no UPC-E
"""What a till scans: member and coupon QR codes, product barcodes, receipt barcodes.

Searching only these instead of every symbology zxing-cpp knows reads the same
codes on the corpus at a third of the time (median 12.5 -> 4.7 ms, p95 98 ->
16 ms on hard frames).
"""


class ZxingDecoder(Decoder):
    """zxing-cpp ``read_barcodes`` (rotations, downscale, inverted QR) for ``formats``.

    ``formats``: names from :data:`TILL_FORMATS` by default; ``"all"`` for
    every symbology (``posterm scan-file`` diagnosing an unexpected code).
    """

    name = "zxing-cpp"

    def __init__(self, *, formats: Any = TILL_FORMATS, try_invert: bool = True) -> None:
        import zxingcpp

        self._zx = zxingcpp
        self._formats = (
            None
            if formats in (None, "all")
            else tuple(
                getattr(zxingcpp.BarcodeFormat, f) if isinstance(f, str) else f for f in formats
            )
        )
        self._try_invert = try_invert

    def decode(self, image: np.ndarray) -> list[Code]:
        gray = to_gray(image)
        kwargs: dict[str, Any] = {"try_invert": self._try_invert}
        if self._formats is not None:
            kwargs["formats"] = self._formats
        try:
            results = self._zx.read_barcodes(gray, **kwargs)
        except Exception:  # a bad frame must not stop the scan loop
            log.debug("zxing-cpp failed on a frame", exc_info=True)
            return []
        codes = []
        for r in results:
            if not r.valid or not r.text:
                continue
            pos = r.position
            poly = tuple(
                (int(p.x), int(p.y))
                for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
            )
            sym = normalise_symbology(str(r.format))
            codes.append(Code(r.text, sym, poly, self.name))
        return codes


# --- pyzbar ---------------------------------------------------------------------------------

_ZBAR_LOCK = threading.Lock()
_zbar_state: dict[str, Any] = {}


def _load_zbar() -> Any | None:
    """The ``pyzbar.pyzbar`` module, or None when pyzbar or libzbar0 is missing."""
    with _ZBAR_LOCK:
        if "module" not in _zbar_state:
            try:
                from pyzbar import pyzbar

                _zbar_state["module"] = pyzbar
            except (ImportError, OSError) as exc:  # pyzbar raises ImportError without libzbar
                _zbar_state["module"] = None
                _zbar_state["error"] = str(exc)
        return _zbar_state["module"]


def zbar_available() -> bool:
    """Whether pyzbar and the libzbar shared library can be loaded."""
    return _load_zbar() is not None


class PyzbarDecoder(Decoder):
    """pyzbar (libzbar0): QR and 1D codes. Construct only when :meth:`available`."""

    name = "pyzbar"

    @classmethod
    def available(cls) -> bool:
        return zbar_available()

    def __init__(self) -> None:
        module = _load_zbar()
        if module is None:
            raise RuntimeError(f"pyzbar/libzbar is not available: {_zbar_state.get('error')}")
        self._zbar = module

    def decode(self, image: np.ndarray) -> list[Code]:
        gray = to_gray(image)
        try:
            results = self._zbar.decode(gray)
        except Exception:
            log.debug("pyzbar failed on a frame", exc_info=True)
            return []
        codes = []
        for r in results:
            try:
                text = r.data.decode("utf-8")
            except UnicodeDecodeError:
                text = r.data.decode("latin-1")
            if not text:
                continue
            poly = tuple((int(p.x), int(p.y)) for p in r.polygon)
            codes.append(Code(text, normalise_symbology(r.type), poly, self.name))
        return codes


# --- OpenCV ---------------------------------------------------------------------------------


class OpenCVQRDecoder(Decoder):
    """OpenCV's QR detector (``QRCodeDetectorAruco`` where available — it finds more on
    camera frames than the classic ``QRCodeDetector``), multi-code: QR codes only.
    Not thread-safe; one per thread."""

    name = "opencv-qr"

    def __init__(self) -> None:
        factory = getattr(cv2, "QRCodeDetectorAruco", None) or cv2.QRCodeDetector
        self._detector = factory()

    def decode(self, image: np.ndarray) -> list[Code]:
        gray = to_gray(image)
        try:
            ok, texts, points, _ = self._detector.detectAndDecodeMulti(gray)
        except cv2.error:  # OpenCV asserts on some degenerate detections
            return []
        if not ok or points is None:
            return []
        codes = []
        for text, quad in zip(texts, points, strict=False):
            if text:
                poly = tuple((int(x), int(y)) for x, y in np.asarray(quad).reshape(-1, 2))
                codes.append(Code(text, "QRCODE", poly, self.name))
        return codes


# --- the pipeline ---------------------------------------------------------------------------


def _invert(gray: np.ndarray) -> np.ndarray:
    return cv2.bitwise_not(gray)


_CLAHE = threading.local()


def _clahe(gray: np.ndarray) -> np.ndarray:
    clahe = getattr(_CLAHE, "obj", None)
    if clahe is None:
        clahe = _CLAHE.obj = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
    return clahe.apply(gray)


def _sharpen(gray: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return cv2.addWeighted(gray, 2.0, blurred, -1.0, 0)


def _denoise(gray: np.ndarray) -> np.ndarray:
    return cv2.medianBlur(gray, 3)


def _upscale(gray: np.ndarray) -> np.ndarray:
    return cv2.resize(gray, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)


def _downscale(gray: np.ndarray) -> np.ndarray:
    if min(gray.shape[:2]) < 4:
        return gray
    return cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)


# name -> (preprocess, scale factor of the result relative to the frame)
PREPROCESS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], float]] = {
    "gray": (lambda g: g, 1.0),
    "invert": (_invert, 1.0),
    "clahe": (_clahe, 1.0),
    "sharpen": (_sharpen, 1.0),
    "denoise": (_denoise, 1.0),
    "up1.5": (_upscale, 1.5),
    "down0.5": (_downscale, 0.5),
}


@dataclass(frozen=True)
class Stage:
    """One attempt of the pipeline: a decoder (by name) on a preprocessed frame."""

    decoder: str  # "zxing-cpp", "pyzbar" or "opencv-qr"
    preprocess: str = "gray"

    @property
    def label(self) -> str:
        return self.decoder if self.preprocess == "gray" else f"{self.decoder}+{self.preprocess}"


# The order measured on the corpus (bench/bench_decode.py --stages): each stage is
# kept only because it reads frames the ones before it missed. See docs/scanning.md.
DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage("zxing-cpp"),  # the primary, at full resolution
    Stage("zxing-cpp", "down0.5"),  # blur and noise average out at half size
    Stage("pyzbar", "down0.5"),
    Stage("zxing-cpp", "invert"),  # zxing inverts QR by itself, not 1D codes
    Stage("zxing-cpp", "clahe"),  # glare, low contrast, smeared bars
    Stage("pyzbar"),
    Stage("zxing-cpp", "up1.5"),  # small codes
    Stage("zxing-cpp", "sharpen"),
    Stage("pyzbar", "invert"),
    Stage("pyzbar", "clahe"),
)

DEFAULT_BUDGET_MS = 150.0


@dataclass
class DecodeResult:
    """What one pipeline run did: the codes, the stages tried, milliseconds spent."""

    codes: list[Code]
    tried: list[str] = field(default_factory=list)
    ms: float = 0.0
    next_stage: int = 0  # where a later frame should resume the cascade (0: from the top)


class PipelineDecoder(Decoder):
    """The primary decoder first; preprocessing and the other decoders only when it reads
    nothing, stage by stage, until a code is read or ``budget_ms`` is spent.

    Stages whose decoder is unavailable (pyzbar without libzbar0) are skipped; that is
    logged once and shown by :attr:`zbar_missing`.
    """

    name = "pipeline"
    _warned_zbar = False

    def __init__(
        self, stages: Sequence[Stage] = DEFAULT_STAGES, *, budget_ms: float = DEFAULT_BUDGET_MS
    ) -> None:
        self.budget_ms = budget_ms
        self.zbar_missing = False
        self._decoders: dict[str, Decoder] = {"zxing-cpp": ZxingDecoder()}
        names = {s.decoder for s in stages}
        if "opencv-qr" in names:
            self._decoders["opencv-qr"] = OpenCVQRDecoder()
        if "pyzbar" in names:
            if PyzbarDecoder.available():
                self._decoders["pyzbar"] = PyzbarDecoder()
            else:
                self.zbar_missing = True
                if not PipelineDecoder._warned_zbar:
                    PipelineDecoder._warned_zbar = True
                    log.warning(
                        "pyzbar/libzbar0 not available (%s): scanning continues without it",
                        _zbar_state.get("error", "unknown"),
                    )
        for s in stages:
            if s.preprocess not in PREPROCESS:
                raise ValueError(f"unknown preprocess step {s.preprocess!r}")
        self.stages = tuple(s for s in stages if s.decoder in self._decoders)
        self._cost: dict[str, float] = {}  # stage label -> running mean of its ms

    def decode(self, image: np.ndarray) -> list[Code]:
        return self.run(image).codes

    def run(
        self, image: np.ndarray, *, budget_ms: float | None = None, resume_at: int = 0
    ) -> DecodeResult:
        """Decode ``image`` and say which stages were tried and how long it took.

        The primary and the next stage always run, the rest while ``budget_ms``
        lasts. With ``resume_at`` > 0 the cascade continues
        from that stage instead of the second one: the scan loop spreads the cascade
        over consecutive frames (a code held in view looks alike from frame to frame)
        so that every frame gets the primary quickly. ``next_stage`` of the result is
        where to resume: after a read, the stage that read (so consecutive frames of a
        hard code agree, as product barcodes must); else the first stage not tried.
        """
        start = time.perf_counter()
        budget = self.budget_ms if budget_ms is None else budget_ms
        gray = to_gray(image)
        cache: dict[str, np.ndarray] = {"gray": gray}
        tried: list[str] = []
        n = len(self.stages)
        first = resume_at if 0 < resume_at < n else 1
        order = [0, *range(first, n)]
        for k, i in enumerate(order):
            stage = self.stages[i]
            # the primary and one more stage always run, so the cascade moves on; a later
            # stage runs only if its usual cost still fits in the budget
            elapsed = (time.perf_counter() - start) * 1000
            if k > 1 and elapsed + self._cost.get(stage.label, 0.0) >= budget:
                return DecodeResult([], tried, elapsed, i)
            fn, scale = PREPROCESS[stage.preprocess]
            img = cache.get(stage.preprocess)
            if img is None:
                img = cache[stage.preprocess] = fn(gray)
            tried.append(stage.label)
            t_stage = time.perf_counter()
            codes = self._decoders[stage.decoder].decode(img)
            ms = (time.perf_counter() - t_stage) * 1000
            self._cost[stage.label] = 0.8 * self._cost.get(stage.label, ms) + 0.2 * ms
            if codes:
                out = [
                    Code(
                        c.text,
                        c.symbology,
                        tuple((round(x / scale), round(y / scale)) for x, y in c.polygon),
                        stage.label,
                    )
                    for c in codes
                ]
                # the next frame starts with the stage that read this one (after the primary)
                return DecodeResult(out, tried, (time.perf_counter() - start) * 1000, i)
        return DecodeResult([], tried, (time.perf_counter() - start) * 1000, 0)


def get_decoder(kind: str = "pipeline", **kwargs: Any) -> Decoder:
    """The decoder by name: ``"pipeline"`` (default), ``"zxing-cpp"``, ``"pyzbar"``,
    ``"opencv-qr"``. Raises ``ValueError`` for an unknown or unavailable one."""
    if kind == "pipeline":
        return PipelineDecoder(**kwargs)
    if kind == "zxing-cpp":
        return ZxingDecoder(**kwargs)
    if kind == "opencv-qr":
        return OpenCVQRDecoder()
    if kind == "pyzbar":
        if not PyzbarDecoder.available():
            raise ValueError("pyzbar/libzbar0 is not available on this machine")
        return PyzbarDecoder()
    raise ValueError(f"unknown decoder {kind!r}")


IMAGE_CANNOT_READ = "image_cannot_read"
IMAGE_NOT_AN_IMAGE = "image_not_an_image"


class UnreadableImage(ValueError):
    """An image file that does not exist or cannot be read as an image.

    ``code`` (:data:`IMAGE_CANNOT_READ` or :data:`IMAGE_NOT_AN_IMAGE`) names the
    message a front end shows from the catalogue; ``str()`` is for the log.
    """

    def __init__(self, code: str, path: Path, detail: str = "") -> None:
        self.code, self.path, self.detail = code, path, detail
        super().__init__(f"{path}: {code}" + (f" ({detail})" if detail else ""))


def load_image(path: str | Path) -> np.ndarray:
    """Read an image file as BGR; :class:`UnreadableImage` when that is impossible."""
    p = Path(path)
    try:
        data = np.fromfile(p, dtype=np.uint8)  # also handles non-ASCII paths on Windows
    except OSError as exc:
        raise UnreadableImage(IMAGE_CANNOT_READ, p, str(exc.strerror or exc)) from exc
    img = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if img is None:
        raise UnreadableImage(IMAGE_NOT_AN_IMAGE, p)
    return img
