#!/usr/bin/env python3
"""Checks that a PNG screenshot is not blank, with no library beyond the standard one.

Usage: png_check.py FILE.png [NAME]   exit 0 and one line of figures, or exit 1 when blank.

Decodes 8-bit RGB/RGBA PNGs (what Chromium writes): chunks, zlib, the five scanline filters.
A picture is "not blank" when at least 1% of its pixels are not near-white and it has at least
3 distinct colours (a chart has axes, text and coloured series; an error page or an empty
document does not).
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def main():
    path = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else path
    width, height, bpp, rows = decode(path)
    inked, colours = 0, set()
    for line in rows:
        for x in range(0, len(line), bpp):
            r, g, b = line[x], line[x + 1], line[x + 2]
            if len(colours) < 64:
                colours.add((r, g, b))
            if r < 235 or g < 235 or b < 235:
                inked += 1
    share = inked / (width * height)
    verdict = "ok" if share >= 0.01 and len(colours) >= 3 else "BLANK"
    print(f"render-svg: {name}: {path} {width}x{height}, {share * 100:.1f}% non-white, {len(colours)}{'+' if len(colours) == 64 else ''} colours: {verdict}")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
