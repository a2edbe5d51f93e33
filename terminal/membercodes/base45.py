"""Base45 (RFC 9285), strict: only the canonical encoding of some bytes decodes.

Base45 text is made of the 45 characters of the QR alphanumeric mode, so a QR
code holds it at 5.5 bits a character (base32 would need 8 % more characters,
base64 falls back to byte mode at 8 bits). Every 2 bytes become 3 characters
``c d e`` with ``n = c + 45*d + 2025*e``; a trailing odd byte becomes 2.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


class Base45Error(ValueError):
    """Not the canonical Base45 encoding of any byte string."""


def b45encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        e, rest = divmod(n, 2025)
        d, c = divmod(rest, 45)
        out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (ALPHABET[c], ALPHABET[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Decode ``text``; refuse anything that is not exactly what :func:`b45encode` makes.

    Refused: characters outside the alphabet (lower case included), a length
    of 1 modulo 3, and chunks whose value overflows 2 bytes (or 1 byte for a
    trailing pair), which would otherwise alias another encoding.
    """
    if len(text) % 3 == 1:
        raise Base45Error("bad length")
    try:
        values = [_VALUE[ch] for ch in text]
    except KeyError as exc:
        raise Base45Error("character outside the Base45 alphabet") from exc
    out = bytearray()
    full = len(values) - len(values) % 3
    for i in range(0, full, 3):
        n = values[i] + 45 * values[i + 1] + 2025 * values[i + 2]
        if n > 0xFFFF:
            raise Base45Error("chunk out of range")
        out += n.to_bytes(2, "big")
    if full < len(values):
        n = values[full] + 45 * values[full + 1]
        if n > 0xFF:
            raise Base45Error("chunk out of range")
        out.append(n)
    return bytes(out)
