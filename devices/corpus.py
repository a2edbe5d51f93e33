"""A deterministic corpus of camera-like frames with ground truth, for tests and benches.

Each frame is a 1280×720 BGR scene (cluttered background, a card or phone screen
carrying one code) with one *primary* hard condition and the mild defects every
cheap till camera adds (slight defocus, sensor noise, JPEG compression). Codes:

* member app codes shaped like the real ones: ``MC1:`` and 117 Base45
  characters (121 in all, QR version 5, error correction M), see
  docs/member-codes.md;
* short QR payloads (card numbers ``M12345678``, coupons ``CP100001``);
* EAN-13 product barcodes (rendered here from the GS1 tables, no writer needed).

The mix (:data:`CONDITIONS`) is hard on purpose: no single decoder reads all of
it. Everything is generated from ``seed`` and the frame index, so frame *i* is
the same on every machine and in every run, whatever ``n`` is.

Only stdlib, numpy, OpenCV and segno (the project's QR writer, imported only when a
QR code is rendered).
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np

WIDTH, HEIGHT = 1280, 720
DEFAULT_SEED = 20261123

# primary condition -> weight in the mix (see docs/scanning.md)
CONDITIONS: dict[str, int] = {
    "perspective": 10,
    "motion_blur": 12,
    "gaussian_blur": 10,
    "noise": 10,
    "glare": 10,
    "low_light": 12,
    "low_contrast": 8,
    "jpeg": 8,
    "dark_mode": 10,
    "small": 10,
}

# code kind -> weight
KINDS: dict[str, int] = {"qr_member": 45, "qr_short": 20, "ean13": 35}

_ALNUM = string.digits + string.ascii_uppercase
_BASE45 = string.digits + string.ascii_uppercase + " $%*+-./:"  # RFC 9285 alphabet


@dataclass(frozen=True)
class Truth:
    """What a frame holds: the code's text, its symbology, how it was made hard, and
    where the code is (four corners, clockwise from top-left, in frame pixels)."""

    text: str
    symbology: str  # "QRCODE" or "EAN13"
    condition: str
    kind: str
    quad: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Sample:
    """One corpus frame and its ground truth."""

    index: int
    image: np.ndarray  # HxWx3 uint8, BGR
    truth: Truth

    @property
    def name(self) -> str:
        return f"frame{self.index:04d}-{self.truth.condition}-{self.truth.kind}"


# --- code rendering -------------------------------------------------------------------------

_EAN_L = ["0001101", "0011001", "0010011", "0111101", "0100011",
          "0110001", "0101111", "0111011", "0110111", "0001011"]  # fmt: skip
_EAN_PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
               "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]  # fmt: skip


def ean13_check_digit(body12: str) -> str:
    """The GS1 mod-10 check digit for 12 digits."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return str((10 - total % 10) % 10)


def ean13_modules(code: str) -> np.ndarray:
    """The 95 modules of an EAN-13 symbol (True = bar) for a 13-digit string."""
    if len(code) != 13 or not code.isdigit() or ean13_check_digit(code[:12]) != code[12]:
        raise ValueError(f"not a valid EAN-13: {code!r}")
    bits = "101"
    parity = _EAN_PARITY[int(code[0])]
    for digit, p in zip(code[1:7], parity, strict=True):
        left = _EAN_L[int(digit)]
        bits += left if p == "L" else "".join("1" if c == "0" else "0" for c in left)[::-1]
    bits += "01010"
    for digit in code[7:]:
        bits += "".join("1" if c == "0" else "0" for c in _EAN_L[int(digit)])
    bits += "101"
    return np.array([c == "1" for c in bits], dtype=bool)


def render_ean13(code: str, module_px: int, height_px: int, quiet: int = 10) -> np.ndarray:
    """Grayscale image (bars 0, spaces 255) of an EAN-13 with ``quiet`` modules each side."""
    mods = np.concatenate([np.zeros(quiet, bool), ean13_modules(code), np.zeros(quiet, bool)])
    row = np.where(mods, 0, 255).astype(np.uint8).repeat(module_px)
    pad = module_px * 4
    img = np.full((height_px + 2 * pad, row.size), 255, np.uint8)
    img[pad : pad + height_px, :] = row
    return img


def render_qr(text: str, module_px: int, error: str = "m", quiet: int = 4) -> np.ndarray:
    """Grayscale image (modules 0, light 255) of a QR code with ``quiet`` modules border."""
    import segno  # the project's QR writer; only the corpus needs it, not the scanner

    qr = segno.make_qr(text, error=error)
    matrix = np.array([list(row) for row in qr.matrix], dtype=bool)
    matrix = np.pad(matrix, quiet, constant_values=False)
    img = np.where(matrix, 0, 255).astype(np.uint8)
    return img.repeat(module_px, axis=0).repeat(module_px, axis=1)


# --- payloads -------------------------------------------------------------------------------


def _payload(rng: np.random.Generator, kind: str) -> tuple[str, str]:
    if kind == "ean13":
        body = "69" + "".join(rng.choice(list(string.digits), 10))  # 69x: GS1 China
        return body + ean13_check_digit(body), "EAN13"
    if kind == "qr_short":
        if rng.random() < 0.5:
            return "M" + "".join(rng.choice(list(string.digits), 8)), "QRCODE"
        return "CP" + "".join(rng.choice(list(_ALNUM), int(rng.integers(6, 12)))), "QRCODE"
    # the member app's dynamic code as docs/member-codes.md defines it: "MC1:" and
    # 117 Base45 characters (78 bytes: key id, member number, step, signature),
    # 121 in all, QR version 5 at error correction M
    body = "".join(rng.choice(list(_BASE45), 117))
    return f"MC1:{body}", "QRCODE"


# --- scene ----------------------------------------------------------------------------------


def _background(rng: np.random.Generator) -> np.ndarray:
    """A cluttered counter: low-frequency shading, some boxes and lines, colour cast."""
    low = rng.uniform(40, 200, size=(6, 10, 3)).astype(np.float32)
    img = cv2.resize(low, (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC)
    for _ in range(int(rng.integers(4, 12))):
        x, y = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
        w, h = int(rng.integers(40, 400)), int(rng.integers(20, 300))
        colour = tuple(float(c) for c in rng.uniform(20, 235, 3))
        cv2.rectangle(img, (x, y), (x + w, y + h), colour, -1)
    for _ in range(int(rng.integers(3, 10))):
        p1 = (int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT)))
        p2 = (int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT)))
        cv2.line(img, p1, p2, tuple(float(c) for c in rng.uniform(0, 255, 3)), 2)
    # some text-like clutter (digits and bars fool barcode finders)
    img = np.clip(img, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(2, 6))):
        org = (int(rng.integers(0, WIDTH - 200)), int(rng.integers(30, HEIGHT)))
        txt = "".join(rng.choice(list(_ALNUM), int(rng.integers(4, 12))))
        cv2.putText(img, txt, org, cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.6, 1.6)),
                    (float(rng.uniform(0, 80)),) * 3, 2)  # fmt: skip
    return img.astype(np.float32)


def _motion_kernel(length: int, angle_deg: float) -> np.ndarray:
    k = np.zeros((length, length), np.float32)
    k[length // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle_deg, 1.0)
    turned: np.ndarray = cv2.warpAffine(k, rot, (length, length))
    return turned / max(float(turned.sum()), 1e-6)


def _place(
    rng: np.random.Generator, code_img: np.ndarray, target_w: float, tilt: float
) -> tuple[np.ndarray, np.ndarray]:
    """Perspective transform taking ``code_img`` to a quad in the frame, and that quad."""
    h, w = code_img.shape[:2]
    scale = target_w / w
    tw, th = w * scale, h * scale
    margin = 20 + 0.75 * max(tw, th)
    cx = float(rng.uniform(margin, WIDTH - margin)) if 2 * margin < WIDTH else WIDTH / 2
    cy = float(rng.uniform(margin, HEIGHT - margin)) if 2 * margin < HEIGHT else HEIGHT / 2
    angle = (
        float(rng.uniform(-np.pi, np.pi)) if rng.random() < 0.5 else float(rng.uniform(-0.35, 0.35))
    )
    base = np.array([[-tw / 2, -th / 2], [tw / 2, -th / 2], [tw / 2, th / 2], [-tw / 2, th / 2]])
    jitter = rng.uniform(-tilt, tilt, size=(4, 2)) * np.array([tw, th])
    pts = base + jitter
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    dst = (pts @ rot.T + np.array([cx, cy])).astype(np.float32)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return cv2.getPerspectiveTransform(src, dst), dst


def _frame(index: int, seed: int) -> Sample:
    rng = np.random.default_rng([seed, index])
    kind = str(rng.choice(list(KINDS), p=np.array(list(KINDS.values())) / sum(KINDS.values())))
    condition = str(
        rng.choice(
            list(CONDITIONS), p=np.array(list(CONDITIONS.values())) / sum(CONDITIONS.values())
        )
    )
    text, symbology = _payload(rng, kind)

    # module size in the final frame (pixels)
    if condition == "small":
        module = (
            float(rng.uniform(1.7, 2.3)) if symbology == "QRCODE" else float(rng.uniform(1.3, 1.8))
        )
    else:
        module = (
            float(rng.uniform(2.6, 5.0)) if symbology == "QRCODE" else float(rng.uniform(2.2, 3.6))
        )
    src_px = 4  # render finer than the target and let the warp resample
    if symbology == "QRCODE":
        code = render_qr(text, src_px, error="m")
        modules_wide = code.shape[1] / src_px
    else:
        code = render_ean13(text, src_px, height_px=int(src_px * 95 * 0.45))
        modules_wide = code.shape[1] / src_px
    target_w = module * modules_wide

    # carrier: the code on a card (paper) or a screen; dark mode inverts it
    dark = condition == "dark_mode"
    pad = int(code.shape[1] * 0.08)
    carrier = np.pad(code, pad, constant_values=255)
    if dark:
        carrier = 255 - carrier
    lo, hi = (
        (20.0, float(rng.uniform(170, 235)))
        if not dark
        else (float(rng.uniform(15, 45)), float(rng.uniform(160, 225)))
    )
    carrier = (lo + carrier.astype(np.float32) / 255.0 * (hi - lo)).astype(np.float32)
    if condition == "low_contrast":
        mid = float(rng.uniform(110, 170))
        span = float(rng.uniform(22, 38))
        carrier = mid - span / 2 + (carrier - lo) / (hi - lo) * span

    tilt = (
        float(rng.uniform(0.08, 0.16))
        if condition == "perspective"
        else float(rng.uniform(0.0, 0.06))
    )
    target_carrier_w = target_w * carrier.shape[1] / code.shape[1]
    matrix, quad_c = _place(rng, carrier, target_carrier_w, tilt)
    scene = _background(rng)
    warped = cv2.warpPerspective(carrier, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(
        np.ones(carrier.shape, np.float32), matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR
    )
    tint = rng.uniform(0.85, 1.0, 3).astype(np.float32)
    img = scene * (1 - mask[..., None]) + (warped[..., None] * tint) * mask[..., None]
    code_corners = np.array(
        [[pad, pad], [pad + code.shape[1], pad], [pad + code.shape[1], pad + code.shape[0]],
         [pad, pad + code.shape[0]]], np.float32)  # fmt: skip
    quad = cv2.perspectiveTransform(code_corners[None], matrix)[0]
    del quad_c

    img = _degrade(rng, img, condition, quad, symbology)
    truth = Truth(
        text=text,
        symbology=symbology,
        condition=condition,
        kind=kind,
        quad=tuple((round(float(x), 1), round(float(y), 1)) for x, y in quad),
    )
    return Sample(index=index, image=img, truth=truth)


def _degrade(
    rng: np.random.Generator, img: np.ndarray, condition: str, quad: np.ndarray, symbology: str
) -> np.ndarray:
    img = img.astype(np.float32)
    # optics: every camera is slightly soft
    sigma = float(rng.uniform(0.5, 0.9))
    if condition == "gaussian_blur":
        sigma = float(rng.uniform(0.9, 1.5))
    img = cv2.GaussianBlur(img, (0, 0), sigma)
    if condition == "motion_blur":
        length = int(rng.integers(3, 7 if symbology == "QRCODE" else 6))
        img = cv2.filter2D(img, -1, _motion_kernel(length, float(rng.uniform(0, 180))))
    if condition == "glare":
        cx, cy = quad.mean(axis=0) + rng.uniform(-0.3, 0.3, 2) * (quad.max(0) - quad.min(0))
        rad = float(np.ptp(quad[:, 0])) * float(rng.uniform(0.25, 0.45))
        yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
        blob = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * rad**2))
        img = img + blob[..., None] * float(rng.uniform(120, 220))
    gain, noise = 1.0, float(rng.uniform(2, 6))
    if condition == "low_light":
        gain, noise = float(rng.uniform(0.12, 0.25)), float(rng.uniform(2.5, 5))
    if condition == "noise":
        noise = float(rng.uniform(15, 28))
    img = img * gain + rng.normal(0, noise, img.shape).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    quality = int(rng.integers(8, 16)) if condition == "jpeg" else int(rng.integers(60, 90))
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    decoded = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    assert decoded is not None
    return decoded


# --- public ---------------------------------------------------------------------------------


def generate(n: int, seed: int = DEFAULT_SEED, start: int = 0) -> Iterator[Sample]:
    """Frames ``start .. start+n-1`` of the corpus for ``seed`` (each one independent)."""
    for i in range(start, start + n):
        yield _frame(i, seed)


def sample(index: int, seed: int = DEFAULT_SEED) -> Sample:
    """Frame ``index`` of the corpus for ``seed``."""
    return _frame(index, seed)


def write_corpus(directory: Path, n: int, seed: int = DEFAULT_SEED, ext: str = ".png") -> Path:
    """Write ``n`` frames as image files plus ``truth.jsonl`` (one line per frame) into
    ``directory``; returns the path of ``truth.jsonl``."""
    directory.mkdir(parents=True, exist_ok=True)
    manifest = directory / "truth.jsonl"
    with manifest.open("w", encoding="utf-8") as out:
        for s in generate(n, seed):
            path = directory / f"{s.name}{ext}"
            if not cv2.imwrite(str(path), s.image):
                raise OSError(f"cannot write {path}")
            out.write(json.dumps({"file": path.name, **asdict(s.truth)}, ensure_ascii=False))
            out.write("\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """``python -m devices.corpus DIR [N] [SEED]``: write a corpus to look at."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m devices.corpus DIR [N] [SEED]", file=sys.stderr)
        return 2
    n = int(args[1]) if len(args) > 1 else 120
    seed = int(args[2]) if len(args) > 2 else DEFAULT_SEED
    print(write_corpus(Path(args[0]), n, seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
