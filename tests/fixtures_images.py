"""Image files built in code for tests: no binary blobs in the repository.

Everything returns ``bytes`` (an upload) or a Pillow image. Hand-written containers (PNG chunks, GIF
blocks) let tests make files Pillow would never write: a 50,000 x 50,000 PNG in a few KB, a GIF with
thousands of frames, headers of formats we refuse.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence

from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RED = (255, 0, 0)
GREEN = (0, 255, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)
EXIF_ORIENTATION = 0x0112


def encode(image: Image.Image, fmt: str = "PNG", **params: object) -> bytes:
    """``image`` saved as ``fmt`` into memory."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def solid_png(size: tuple[int, int] = (8, 8), color: tuple[int, ...] = RED, mode: str = "RGB") -> bytes:
    """A one-colour PNG."""
    return encode(Image.new(mode, size, color))


def corner_image(
    size: tuple[int, int] = (60, 30), corner: tuple[int, int, int] = RED, rest: tuple[int, int, int] = BLUE
) -> Image.Image:
    """``rest`` everywhere except a ``corner``-coloured block in the top-left (a third of each side)."""
    image = Image.new("RGB", size, rest)
    image.paste(corner, (0, 0, max(1, size[0] // 3), max(1, size[1] // 3)))
    return image


def with_orientation(image: Image.Image, orientation: int, fmt: str = "PNG", **params: object) -> bytes:
    """``image`` saved with an EXIF Orientation tag (1-8); PNG keeps pixels exact."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    return encode(image, fmt, exif=exif.tobytes(), **params)


# --- PNG by hand ---------------------------------------------------------------------------------------
def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk with a correct CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_by_hand(
    width: int,
    height: int,
    *,
    extra_chunks: Sequence[bytes] = (),
    zero_bytes: int | None = None,
    bit_depth: int = 8,
    color_type: int = 2,
) -> bytes:
    """A PNG whose IHDR says ``width`` x ``height``, with an IDAT of zeros (filter 0, black pixels).

    :param zero_bytes: how many zero bytes to compress into the IDAT; by default the exact amount for
        an image of at most 64 rows, so a huge header costs a few KB (the decoder never gets that far).
    """
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row = 1 + (width * channels * bit_depth + 7) // 8
    if zero_bytes is None:
        zero_bytes = row * min(height, 64)
    compressor = zlib.compressobj(9)
    block = bytes(min(zero_bytes, 1 << 20))
    idat = b""
    left = zero_bytes
    while left > 0:
        idat += compressor.compress(block[: min(left, len(block))])
        left -= len(block)
    idat += compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + png_chunk(b"IHDR", ihdr)
        + b"".join(extra_chunks)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A decompression bomb: a huge IHDR and a tiny IDAT; a few KB on disk."""
    return png_by_hand(width, height, zero_bytes=1 << 20)


# --- GIF by hand ---------------------------------------------------------------------------------------
def _lzw_plain(indices: Sequence[int], min_code_size: int = 2) -> bytes:
    """LZW data that never grows its table: a clear code before every pixel keeps codes at a fixed width."""
    clear, end = 1 << min_code_size, (1 << min_code_size) + 1
    width = min_code_size + 1
    codes = [c for index in indices for c in (clear, index)] + [end]
    bits = 0
    nbits = 0
    out = bytearray()
    for code in codes:
        bits |= code << nbits
        nbits += width
        while nbits >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    if nbits:
        out.append(bits & 0xFF)
    blocks = b"".join(bytes([len(out[i : i + 255])]) + bytes(out[i : i + 255]) for i in range(0, len(out), 255))
    return bytes([min_code_size]) + blocks + b"\x00"


def animated_gif(
    frames: int, size: tuple[int, int] = (8, 8), first: tuple[int, int, int] = RED, rest: tuple[int, int, int] = BLUE
) -> bytes:
    """A looping GIF of ``frames`` full frames: the first in ``first``, every later one in ``rest``.

    Written block by block (Pillow would diff and merge identical frames), so 5,000 frames take ~0.2 MB.
    """
    width, height = size
    palette = bytes(first) + bytes(rest) + bytes(6)  # 4 entries: flag bits 0b001
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0b1000_0001, 0, 0) + palette
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"

    def frame(index: int) -> bytes:
        control = b"\x21\xf9\x04" + struct.pack("<BHB", 0b0000_0100, 2, 0) + b"\x00"
        descriptor = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
        return control + descriptor + _lzw_plain([index] * (width * height))

    later = frame(1)
    return header + loop + frame(0) + later * (frames - 1) + b"\x3b"


# --- other formats, only their first bytes ---------------------------------------------------------------
def tiff_header() -> bytes:
    """A minimal little-endian TIFF: header + an IFD with width/height (enough to be recognised)."""
    entries = [(256, 3, 1, 4), (257, 3, 1, 4), (258, 3, 1, 8), (262, 3, 1, 1)]
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries) + bytes(4)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + bytes(16)


def psd_header() -> bytes:
    """Photoshop: '8BPS', version 1, 3 channels, 4x4, 8 bits, RGB."""
    return b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 4, 4, 8, 3) + bytes(64)


def eps_header() -> bytes:
    return b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 4 4\nshowpage\n%%EOF\n"


def pdf_header() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def svg_document() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'


def html_document() -> bytes:
    return b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>"


# --- one file per colour mode --------------------------------------------------------------------------
def mode_uploads() -> dict[str, tuple[bytes, tuple[int, int, int, int]]]:
    """Mode -> (file bytes that open in that mode, the RGBA expected at pixel (0, 0))."""
    palette_image = Image.new("P", (4, 4), 1)
    palette_image.putpalette([0, 255, 0, 255, 0, 0] + [0] * 762)
    palette_image.putpixel((1, 1), 0)
    sixteen = Image.new("I;16", (4, 4), 32896)  # 32896 / 257 = 128
    one_bit = Image.new("1", (4, 4), 1)
    return {
        "RGB": (solid_png((4, 4), (10, 200, 30)), (10, 200, 30, 255)),
        "RGBA": (solid_png((4, 4), (10, 200, 30, 100), "RGBA"), (10, 200, 30, 100)),
        "L": (encode(Image.new("L", (4, 4), 77)), (77, 77, 77, 255)),
        "LA": (encode(Image.new("LA", (4, 4), (128, 64))), (128, 128, 128, 64)),
        "1": (encode(one_bit), (255, 255, 255, 255)),
        "P": (encode(palette_image, transparency=1), (255, 0, 0, 0)),
        "I;16": (encode(sixteen), (128, 128, 128, 255)),
        "CMYK": (encode(Image.new("CMYK", (4, 4), (0, 255, 255, 0)), "JPEG", quality=100), (255, 0, 0, 255)),
    }
