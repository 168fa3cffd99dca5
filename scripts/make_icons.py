#!/usr/bin/env python3
"""Draws the lab's app icons into icons/ (the web app manifest lists them): standard library only.

    python3 scripts/make_icons.py [--out icons]

The design is the favicon's blue circle (#1a5fb4) made into a cookie: a bite out of its upper
right and four light chips. `icon-192.png` and `icon-512.png` are the cookie on a transparent
background (purpose "any"); `icon-maskable-512.png` fills the square with the page background
(#f7f7f5) and keeps the cookie inside the central circle of radius 40% that every mask shape
leaves visible (purpose "maskable"). The output is deterministic; commit what it writes.
"""
import argparse
import math
import os
import struct
import zlib

BLUE = (0x1A, 0x5F, 0xB4)
LIGHT = (0xF7, 0xF7, 0xF5)

# The cookie in units of the icon's side: (x, y, radius), y downwards.
COOKIE = (0.5, 0.5, 0.46)
BITE = (0.86, 0.17, 0.17)
CHIPS = [(0.36, 0.36, 0.06), (0.60, 0.50, 0.055), (0.38, 0.66, 0.05), (0.64, 0.74, 0.045)]


def circle(x, y, c):
    """Signed distance from (x, y) to the circle c = (cx, cy, r): negative inside."""
    return math.hypot(x - c[0], y - c[1]) - c[2]


def coverage(d, pixel):
    """How much of a pixel a shape covers, from its signed distance (antialiased edge)."""
    return min(1.0, max(0.0, 0.5 - d / pixel))


def draw(size, scale, background):
    """RGBA rows of the icon: the cookie drawn at `scale` of the full design, centred."""
    pixel = 1.0 / size
    rows = []
    for j in range(size):
        row = bytearray()
        for i in range(size):
            # Pixel centre in design units, shrunk around the centre by `scale`.
            x = 0.5 + ((i + 0.5) / size - 0.5) / scale
            y = 0.5 + ((j + 0.5) / size - 0.5) / scale
            p = pixel / scale
            cookie = coverage(max(circle(x, y, COOKIE), -circle(x, y, BITE)), p)
            chip = max(coverage(circle(x, y, c), p) for c in CHIPS) * cookie
            # The chips over the cookie over the background (straight alpha).
            rgb = [BLUE[k] * (1 - chip) + LIGHT[k] * chip for k in range(3)]
            if background is None:
                alpha = cookie
            else:
                rgb = [background[k] * (1 - cookie) + rgb[k] * cookie for k in range(3)]
                alpha = 1.0
            row += bytes(round(v) for v in rgb) + bytes([round(alpha * 255)])
        rows.append(bytes(row))
    return rows


def png(size, rows):
    """A truecolour-with-alpha PNG, each row with filter 0 (none)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


ICONS = [
    # name, side, scale of the design, background
    ("icon-192.png", 192, 1.0, None),
    ("icon-512.png", 512, 1.0, None),
    # The cookie's radius, 0.46 of the design, becomes 0.46 * 0.8 = 0.368 < 0.4 of the side.
    ("icon-maskable-512.png", 512, 0.8, LIGHT),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "icons"))
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    for name, size, scale, background in ICONS:
        data = png(size, draw(size, scale, background))
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"{name}: {size}x{size}, {len(data):,} B")


if __name__ == "__main__":
    main()
