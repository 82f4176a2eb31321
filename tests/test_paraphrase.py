# ruff: noqa: E501  (a table: one prompt and its whole reading per row)
"""Paraphrases: the guide's and README's example prompts rewritten the way people write them (references,
polite forms, idioms, comparisons), each with the Scene it must give and the warnings it must show.

A Scene is compared through :func:`brief` — per layer its tag (or quoted text), role, anchor and size,
then what applies (knock-out, shape, opacity, rotation, border, shadow, margin, a text's outline, grid cell,
"next to", motions),
and the canvas colour — so one row states a whole prompt's reading.
"""

from __future__ import annotations

import dataclasses

import invariant_helpers
import pytest
from invariant_helpers import silent_phrases

from imagegen.prompt import ParseResult, parse
from imagegen.scene import Scene

TAGS = ["BG", "logo", "product", "acme"]


def _hex(colour: tuple[int, ...] | None) -> str:
    return "none" if colour is None else "#{:02x}{:02x}{:02x}".format(*colour[:3])


def brief(scene: Scene) -> str:
    """One line per layer, then the canvas colour (see the module docstring)."""
    out = []
    for lay in scene.layers:
        name = f'"{lay.text.text}"' if lay.text is not None else lay.tag
        bits = [f"{name} {lay.role.value} {lay.anchor.value} {lay.size:g}"]
        bits += ["ko"] if lay.knockout else []
        bits += [lay.shape.value] if lay.shape else []
        bits += [f"opacity {lay.opacity:g}"] if lay.opacity != 1 else []
        bits += [f"rotated {lay.rotation:g}"] if lay.rotation else []
        bits += [f"border {lay.border.width:g} {_hex(lay.border.colour)}"] if lay.border else []
        bits += ["shadow"] if lay.shadow else []
        bits += [f"margin {lay.margin:g}"] if lay.margin != 0.04 and lay.role.value != "background" else []
        if lay.text is not None and lay.text.outline is not None:  # a text's outline: its colour and width
            bits.append(f"outline {_hex(lay.text.outline)} {lay.text.outline_em:g}em")
        if lay.region is not None:
            bits.append(f"cell {lay.region.cell}" if lay.region.cell else "region")
        bits += [f"{lay.beside.side.value} {lay.beside.tag}"] if lay.beside else []
        bits += ["+".join(m.kind.value for m in lay.motions)] if lay.motions else []
        out.append(" ".join(bits))
    out.append(f"canvas {_hex(scene.canvas.background)}")
    return " | ".join(out)


# (prompt, the scene in brief, the warnings shown — "Not used: …" and "'the logo' = @logo" are quiet)
CASES = [
    (
        "Place @logo on top right and @BG as background",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "can you put @logo in the top right corner and @BG as the background",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "please put @logo at the top right, with @BG as the background",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "I want @logo in the upper right and @BG behind everything",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "I'd like @logo top right, @BG fills the whole thing",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo goes in the top right corner, @BG covers the whole canvas",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo should sit in the upper right corner, @BG full bleed",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "stick @logo in the top right, @BG as the backdrop",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    ("slap @logo at the top right on @BG", "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff", []),
    ("@logo top right over @BG", "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff", []),
    ("@logo in the top right on top of @BG", "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff", []),
    (
        "@BG in the background and the logo at the top right",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, the logo in the upper right corner",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as wallpaper, @logo at the top right",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG fills the frame, @logo in the top-right corner",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG edge to edge behind, @logo top right",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    ("@logo at the top right of @BG", "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff", []),
    (
        "Place @product in center, @logo on top right, and @BG as background",
        "BG background center 1 | product layer center 0.5 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "please put @product in the middle, @logo top right and @BG behind everything",
        "BG background center 1 | product layer center 0.5 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@product front and center, @logo in the upper right, @BG as the backdrop",
        "BG background center 1 | logo layer top-right 0.2 | product foreground center 0.6 | canvas #ffffff",
        [],
    ),
    (
        "@product dead center, @logo in the top right corner, @BG fills the canvas",
        "BG background center 1 | product layer center 0.5 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "I want @product centered, the logo at the top right and @BG as background",
        "BG background center 1 | product layer center 0.5 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@product in the middle of @BG, @logo top right",
        "BG background center 1 | product layer center 0.5 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@product centered over @BG, with @logo in the top right corner",
        "BG background center 1 | product layer center 0.5 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product in the center, @logo on the bottom right",
        "BG background center 1 | product layer center 0.5 | logo layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product in the middle and @logo in the lower right corner",
        "BG background center 1 | product layer center 0.5 | logo layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG behind everything, @product centered, the logo in the bottom right corner",
        "BG background center 1 | product layer center 0.5 | logo layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG full bleed, @product in the centre, @logo bottom-right",
        "BG background center 1 | product layer center 0.5 | logo layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product in the center, @logo on the bottom left",
        "BG background center 1 | product layer center 0.5 | logo layer bottom-left 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product in the middle, @logo in the lower left",
        "BG background center 1 | product layer center 0.5 | logo layer bottom-left 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product in the center, @logo in the corner",
        "BG background center 1 | product layer center 0.5 | logo layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product centered, @logo in the corner please",
        "BG background center 1 | product layer center 0.5 | logo layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    ("Place @BG in the center on a white background", "BG layer center 0.5 | canvas #ffffff", []),
    ("put @BG in the middle on white", "BG layer center 0.5 | canvas #ffffff", []),
    ("@BG centered on white", "BG layer center 0.5 | canvas #ffffff", []),
    ("@BG in the middle, on a white background", "BG layer center 0.5 | canvas #ffffff", []),
    ("@BG dead center on navy", "BG layer center 0.5 | canvas #000080", []),
    ("@product centered on black", "product layer center 0.5 | canvas #000000", []),
    ("@product in the center on a black background", "product layer center 0.5 | canvas #000000", []),
    ("can you put @product in the middle on a navy background", "product layer center 0.5 | canvas #000080", []),
    ("@product centered on white, with a soft shadow under it", "product layer center 0.5 shadow | canvas #ffffff", []),
    ("@product in the middle on white with a soft shadow", "product layer center 0.5 shadow | canvas #ffffff", []),
    ("@product centered with a drop shadow", "product layer center 0.5 shadow | canvas #ffffff", []),
    ("@product in the center with a shadow under it", "product layer center 0.5 shadow | canvas #ffffff", []),
    (
        "@product front and center with a subtle shadow on white",
        "product foreground center 0.6 shadow | canvas #ffffff",
        [],
    ),
    ("remove the white background of @logo", "logo layer center 0.5 ko | canvas #ffffff", []),
    (
        "remove the white background of @logo and put it at the top right",
        "logo layer top-right 0.2 ko | canvas #ffffff",
        [],
    ),
    ("@logo without its background at the top right", "logo layer top-right 0.2 ko | canvas #ffffff", []),
    ("@logo without its white background in the top right corner", "logo layer top-right 0.2 ko | canvas #ffffff", []),
    ("@logo without the background in the upper right", "logo layer top-right 0.2 ko | canvas #ffffff", []),
    ("take the background off @logo and put it in the top left", "logo layer top-left 0.2 ko | canvas #ffffff", []),
    ("cut out @logo, top left", "logo layer top-left 0.2 ko | canvas #ffffff", []),
    ("@logo cut out at the bottom right", "logo layer bottom-right 0.2 ko | canvas #ffffff", []),
    ("@logo with the background removed, bottom left", "logo layer bottom-left 0.2 ko | canvas #ffffff", []),
    ("knock out the white background of @logo, top right", "logo layer top-right 0.2 ko | canvas #ffffff", []),
    (
        "@BG as background and @logo without its background at the top right",
        "BG background center 1 | logo layer top-right 0.2 ko | canvas #ffffff",
        [],
    ),
    (
        "@BG as the background, @logo with no white background at the top right",
        "BG background center 1 | logo layer top-right 0.2 ko | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, remove the background of @logo, top right",
        "BG background center 1 | logo layer top-right 0.2 ko | canvas #ffffff",
        [],
    ),
    ("@logo with a thick black outline", "logo layer center 0.5 border 8 #000000 | canvas #ffffff", []),
    ("@logo with a thin red outline", "logo layer center 0.5 border 2 #ff0000 | canvas #ffffff", []),
    ("@logo in the center with a thick outline", "logo layer center 0.5 border 8 #000000 | canvas #ffffff", []),
    ("@logo with a thick white outline on black", "logo layer center 0.5 border 8 #ffffff | canvas #000000", []),
    ("@product with a thick border", "product layer center 0.5 border 24 #ffffff | canvas #ffffff", []),
    ("@product with a thin border in the center", "product layer center 0.5 border 4 #ffffff | canvas #ffffff", []),
    ("@product with a white border", "product layer center 0.5 border 10 #ffffff | canvas #ffffff", []),
    ("@product with a 4 px red outline", "product layer center 0.5 border 4 #ff0000 | canvas #ffffff", []),
    (
        "@product with a thick border and a drop shadow",
        "product layer center 0.5 border 24 #ffffff shadow | canvas #ffffff",
        [],
    ),
    ("@product with rounded corners in the middle", "product layer center 0.5 rounded | canvas #ffffff", []),
    ("@product as a circle in the center", "product layer center 0.5 circle | canvas #ffffff", []),
    (
        "@acme twice as big as @logo, side by side in the center on white",
        "acme layer center 1 cell (0, 0, 2, 1) | logo layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@acme twice as big as @logo, side by side",
        "acme layer center 1 cell (0, 0, 2, 1) | logo layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@acme twice the size of @logo, next to each other",
        "acme layer center 1 cell (0, 0, 2, 1) | logo layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo half the size of @product, @product in the center",
        "logo layer center 0.25 | product layer center 0.5 | canvas #ffffff",
        [],
    ),
    (
        "@logo half as big as @product, @product large in the middle",
        "logo layer center 0.3 | product layer center 0.6 | canvas #ffffff",
        [],
    ),
    (
        "@logo the same size as @product, @product small",
        "logo layer center 0.2 | product layer center 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo same size as @product, both at the bottom",
        "logo layer bottom 0.3 | product layer bottom 0.3 | canvas #ffffff",
        [],
    ),
    (
        "@product bigger than @logo, @logo small at the top",
        "product layer center 0.3 | logo layer top 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo smaller than @product, @product large",
        "logo layer center 0.4 | product layer center 0.6 | canvas #ffffff",
        [],
    ),
    (
        "@acme 3 times the size of @logo, @logo tiny",
        "acme layer center 0.3 | logo layer center 0.1 | canvas #ffffff",
        [],
    ),
    (
        "@acme three times as big as @logo, @logo tiny in the corner",
        "acme layer center 0.3 | logo layer bottom-right 0.1 | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product side by side",
        "logo layer center 0.5 cell (0, 0, 2, 1) | product layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product next to each other",
        "logo layer center 0.5 cell (0, 0, 2, 1) | product layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product next to each other on white",
        "logo layer center 0.5 cell (0, 0, 2, 1) | product layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product side by side in the middle of @BG",
        "BG background center 1 | logo layer center 0.5 cell (0, 0, 2, 1) | product layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product, side by side",
        "logo layer center 0.5 cell (0, 0, 2, 1) | product layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product in a row",
        "logo layer center 0.5 cell (0, 0, 2, 1) | product layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo, @product and @acme in a row",
        "logo layer center 0.5 cell (0, 0, 3, 1) | product layer center 0.5 cell (1, 0, 3, 1) | acme layer center 0.5 cell (2, 0, 3, 1) | canvas #ffffff",
        [],
    ),
    (
        "a row of @logo @product @acme",
        "logo layer center 0.5 cell (0, 0, 3, 1) | product layer center 0.5 cell (1, 0, 3, 1) | acme layer center 0.5 cell (2, 0, 3, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product in a column",
        "logo layer center 0.5 cell (0, 0, 1, 2) | product layer center 0.5 cell (0, 1, 1, 2) | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product stacked",
        "logo layer center 0.5 cell (0, 0, 1, 2) | product layer center 0.5 cell (0, 1, 1, 2) | canvas #ffffff",
        [],
    ),
    (
        "@logo next to @product",
        "logo layer center 0.5 cell (1, 0, 2, 1) | product layer center 0.5 cell (0, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo to the left of @product",
        "logo layer center 0.5 cell (0, 0, 2, 1) | product layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo above @product",
        "logo layer center 0.5 cell (0, 0, 1, 2) | product layer center 0.5 cell (0, 1, 1, 2) | canvas #ffffff",
        [],
    ),
    (
        "@logo below @product",
        "logo layer center 0.5 cell (0, 1, 1, 2) | product layer center 0.5 cell (0, 0, 1, 2) | canvas #ffffff",
        [],
    ),
    ("@logo and @product, both in the center", "logo layer center 0.5 | product layer center 0.5 | canvas #ffffff", []),
    ("@logo and @product both at the bottom", "logo layer bottom 0.3 | product layer bottom 0.3 | canvas #ffffff", []),
    (
        "@logo at the top and at the bottom",
        "logo layer bottom 0.3 | canvas #ffffff",
        ['@logo is placed twice ("top", then "bottom") — using bottom, the last one.'],
    ),
    (
        "@BG as background and @BG small",
        "BG background center 1 | canvas #ffffff",
        [
            "@BG is the background, which covers the whole canvas, but is also given the size \"small\" — it stays the background; to place it, drop 'background'."
        ],
    ),
    (
        "@BG as background at the top right",
        "BG background center 1 | canvas #ffffff",
        [
            "@BG is the background, which covers the whole canvas, but is also given \"top right\" — it stays the background; to place it, drop 'background'."
        ],
    ),
    ("@logo tiny at the top left", "logo layer top-left 0.1 | canvas #ffffff", []),
    ("a tiny @logo in the top left", "logo layer top-left 0.1 | canvas #ffffff", []),
    ("a small @logo at the top right", "logo layer top-right 0.2 | canvas #ffffff", []),
    ("@logo small in the upper right", "logo layer top-right 0.2 | canvas #ffffff", []),
    ("@product large in the center", "product layer center 0.6 | canvas #ffffff", []),
    ("a big @product in the middle", "product layer center 0.6 | canvas #ffffff", []),
    ("@product huge", "product layer center 0.85 | canvas #ffffff", []),
    ("@product medium sized in the center", "product layer center 0.35 | canvas #ffffff", []),
    ("@logo at 15% in the bottom right", "logo layer bottom-right 0.15 | canvas #ffffff", []),
    ("@logo 15% in the lower right corner", "logo layer bottom-right 0.15 | canvas #ffffff", []),
    ("@product half size in the middle", "product layer center 0.5 | canvas #ffffff", []),
    ("@product full width at the bottom", "product layer bottom 1 | canvas #ffffff", []),
    ("@product as wide as the canvas at the bottom", "product layer bottom 1 | canvas #ffffff", []),
    ("@product quarter size at the top", "product layer top 0.25 | canvas #ffffff", []),
    (
        "@logo at the top right, blur the background",
        "logo layer top-right 0.2 | canvas #ffffff",
        [
            'No image is the background here, so "blur" (said of "background") was ignored — say which image '
            'it is for, e.g. "blur @logo".'
        ],
    ),
    (
        "@BG as background, put a QR code at the bottom right",
        "BG background center 1 | canvas #ffffff",
        [
            'Nothing to place "at the bottom right": "QR code" is not something this app draws (it draws your uploaded images and quoted text).'
        ],
    ),
    (
        "@BG as background, add a QR code in the corner",
        "BG background center 1 | canvas #ffffff",
        [
            'Nothing to place "in the corner": "QR code" is not something this app draws (it draws your uploaded images and quoted text).'
        ],
    ),
    (
        "@BG as background, a barcode at the bottom",
        "BG background center 1 | canvas #ffffff",
        [
            'Nothing to place "at the bottom": "barcode" is not something this app draws (it draws your uploaded images and quoted text).'
        ],
    ),
    (
        "@logo top left, then a sticker at the bottom right",
        "logo layer top-left 0.2 | canvas #ffffff",
        [
            'Nothing to place "at the bottom right": "sticker" is not something this app draws (it draws your uploaded images and quoted text).'
        ],
    ),
    (
        "@logo at the top right and 'Limited offer' in yellow below the logo",
        'logo layer top-right 0.2 | "Limited offer" layer center 0.0889 below logo | canvas #ffffff',
        [],
    ),
    (
        "@logo at the top right and 'Limited offer' below @logo",
        'logo layer top-right 0.2 | "Limited offer" layer center 0.0889 below logo | canvas #ffffff',
        [],
    ),
    (
        "'Sale' in white on black, @logo at the top",
        'logo layer top 0.3 | "Sale" layer center 0.0889 | canvas #000000',
        [],
    ),
    (
        "'Sale' at the top in white, @BG as background",
        'BG background center 1 | "Sale" layer top 0.0889 | canvas #ffffff',
        [],
    ),
    (
        "@product in the center, 'New' above the product",
        'product layer center 0.5 | "New" layer center 0.0889 above product | canvas #ffffff',
        [],
    ),
    (
        "@BG as background, 'Summer sale' at the top, @logo at the bottom right",
        'BG background center 1 | logo layer bottom-right 0.2 | "Summer sale" layer top 0.0889 | canvas #ffffff',
        [],
    ),
    (
        "@BG as background with 'Summer sale' at the top and the logo at the bottom right",
        'BG background center 1 | logo layer bottom-right 0.2 | "Summer sale" layer top 0.0889 | canvas #ffffff',
        [],
    ),
    (
        "@BG is stable background and @logo is moving from left to right",
        "BG background center 1 | logo layer center 0.5 slide | canvas #ffffff",
        [],
    ),
    (
        "@BG stays still as the background and @logo moves from left to right",
        "BG background center 1 | logo layer center 0.5 slide | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @logo moving left to right",
        "BG background center 1 | logo layer center 0.5 slide | canvas #ffffff",
        [],
    ),
    ("@logo slides across @BG", "BG background center 1 | logo layer center 0.5 slide | canvas #ffffff", []),
    (
        "@logo slides across @BG from left to right",
        "BG background center 1 | logo layer center 0.5 slide | canvas #ffffff",
        [],
    ),
    (
        "@BG in the background, @logo slides from left to right across it",
        "BG background center 1 | logo layer center 0.5 slide | canvas #ffffff",
        [],
    ),
    (
        "@BG as backdrop, @logo bounces in the center 3 times over 3 seconds",
        "BG background center 1 | logo layer center 0.5 bounce | canvas #ffffff",
        [],
    ),
    (
        "@BG behind everything, @logo bounces in the middle three times over 3 seconds",
        "BG background center 1 | logo layer center 0.5 bounce | canvas #ffffff",
        [],
    ),
    (
        "Instagram story: @BG as backdrop, @product bounces at the bottom, @logo fades in",
        "BG background center 1 | product layer bottom 0.3 bounce | logo layer center 0.5 fade-in+fade-out | canvas #ffffff",
        [],
    ),
    (
        "story format, @BG fills the frame, @product bounces at the bottom and @logo fades in",
        "BG background center 1 | product layer bottom 0.3 bounce | logo layer center 0.5 fade-in+fade-out | canvas #ffffff",
        [],
    ),
    ("@BG slides in from the left over 2 seconds", "BG layer center 0.5 slide+slide | canvas #ffffff", []),
    ("@BG slides in from the left in 2 seconds", "BG layer center 0.5 slide+slide | canvas #ffffff", []),
    (
        "Instagram story: @BG in the center, spinning slowly, on a black background",
        "BG layer center 0.5 spin | canvas #000000",
        [],
    ),
    ("@BG in the middle spinning slowly on black, instagram story", "BG layer center 0.5 spin | canvas #000000", []),
    ("@logo spins slowly in the center on white", "logo layer center 0.5 spin | canvas #ffffff", []),
    (
        "@logo fades in at the top right over @BG",
        "BG background center 1 | logo layer top-right 0.2 fade-in+fade-out | canvas #ffffff",
        [],
    ),
    (
        "please make @logo fade in at the top right, @BG as background",
        "BG background center 1 | logo layer top-right 0.2 fade-in+fade-out | canvas #ffffff",
        [],
    ),
    ("@product zooms in, centered on white", "product layer center 0.5 zoom-in | canvas #ffffff", []),
    (
        "@logo in the top right corner, @product in the bottom left corner, @BG as background",
        "BG background center 1 | logo layer top-right 0.2 | product layer bottom-left 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo upper left, @product lower right, @BG behind everything",
        "BG background center 1 | logo layer top-left 0.2 | product layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo in the top right, @product bottom left, on @BG",
        "BG background center 1 | logo layer top-right 0.2 | product layer bottom-left 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo top left and @product top right, both small, @BG as background",
        "BG background center 1 | logo layer top-left 0.2 | product layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product both small at the top, @BG as background",
        "BG background center 1 | logo layer top 0.2 | product layer top 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product on the left, @logo on the right",
        "BG background center 1 | product layer left 0.3 | logo layer right 0.3 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product on the left side, @logo on the right side",
        "BG background center 1 | product layer left 0.3 | logo layer right 0.3 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product in the left half, @logo on the right",
        "BG background center 1 | product layer center 0.5 region | logo layer right 0.3 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product on the left half, @logo in the top right",
        "BG background center 1 | product layer center 0.5 region | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@product on the left half and @BG on the right half",
        "product layer center 0.5 region | BG layer center 0.5 region | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product in the center, 40% transparent",
        "BG background center 1 | product layer center 0.5 opacity 0.6 | canvas #ffffff",
        [],
    ),
    (
        "@logo 50% opacity in the center over @BG",
        "BG background center 1 | logo layer center 0.5 opacity 0.5 | canvas #ffffff",
        [],
    ),
    ("@logo rotated 15 degrees at the top right", "logo layer top-right 0.2 rotated 15 | canvas #ffffff", []),
    ("@logo tilted 15 degrees in the top right corner", "logo layer top-right 0.2 rotated 15 | canvas #ffffff", []),
    (
        "@BG fills the whole thing, @product front and center",
        "BG background center 1 | product foreground center 0.6 | canvas #ffffff",
        [],
    ),
    (
        "@BG fills the whole thing, @product front and center, @logo in the corner",
        "BG background center 1 | logo layer bottom-right 0.2 | product foreground center 0.6 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product front and center with a drop shadow",
        "BG background center 1 | product foreground center 0.6 shadow | canvas #ffffff",
        [],
    ),
    # Part 2: a thing named without an article, each in a corner, role forms (apposition, 'on @BG, …'), contradictions
    (
        "@BG as background, put QR code at bottom right",
        "BG background center 1 | canvas #ffffff",
        [
            'Nothing to place "at bottom right": "QR code" is not something this app draws (it draws your uploaded images and quoted text).'
        ],
    ),
    (
        "@logo at the top left, put QR code at bottom right",
        "logo layer top-left 0.2 | canvas #ffffff",
        [
            'Nothing to place "at bottom right": "QR code" is not something this app draws (it draws your uploaded images and quoted text).'
        ],
    ),
    (
        "@logo, add QR code in the corner",
        "logo layer center 0.5 | canvas #ffffff",
        [
            'Nothing to place "in the corner": "QR code" is not something this app draws (it draws your uploaded images and quoted text).'
        ],
    ),
    (
        "please add QR code bottom right and @logo top left",
        "logo layer top-left 0.2 | canvas #ffffff",
        [
            'Nothing to place "bottom right": "QR code" is not something this app draws (it draws your uploaded images and quoted text).'
        ],
    ),
    (
        "@logo and @product each in a corner",
        "logo layer top-left 0.2 | product layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @logo and @product one in each corner",
        "BG background center 1 | logo layer top-left 0.2 | product layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @logo and @product, one in each corner",
        "BG background center 1 | logo layer top-left 0.2 | product layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @logo, @product and @acme each in a corner",
        "BG background center 1 | logo layer top-left 0.2 | product layer top-right 0.2 | acme layer bottom-left 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product each in the top right corner",
        "logo layer top-right 0.2 | product layer top-right 0.2 | canvas #ffffff",
        [
            '"each in the top right corner" names one corner, so @logo and @product are both placed in it, one over the other — give each its own corner, or say "each in a corner".'
        ],
    ),
    (
        "@logo slides across the background @BG",
        "BG background center 1 | logo layer center 0.5 slide | canvas #ffffff",
        [],
    ),
    (
        "@logo at the top right on our backdrop image @BG",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@product centered on the background @BG",
        "BG background center 1 | product layer center 0.5 | canvas #ffffff",
        [],
    ),
    (
        "on @BG, put @logo at the top right",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "over @BG: @logo top right and @product bottom left",
        "BG background center 1 | logo layer top-right 0.2 | product layer bottom-left 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product over @BG, side by side",
        "BG background center 1 | logo layer center 0.5 cell (0, 0, 2, 1) | product layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@logo in the middle of @BG",
        "BG background center 1 | logo layer center 0.5 | canvas #ffffff",
        [],
    ),
    (
        "@logo at the bottom of @BG, small",
        "BG background center 1 | logo layer bottom 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG, the background, with @logo at the top",
        "BG background center 1 | logo layer top 0.3 | canvas #ffffff",
        [],
    ),
    (
        "our logo @logo at the top, @BG as background",
        "BG background center 1 | logo layer top 0.3 | canvas #ffffff",
        [],
    ),
    (
        "the background @BG with @logo in the top left corner",
        "BG background center 1 | logo layer top-left 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background and @BG at the top right",
        "BG background center 1 | canvas #ffffff",
        [
            "@BG is the background, which covers the whole canvas, but is also given \"top right\" — it stays the background; to place it, drop 'background'."
        ],
    ),
    # Part 3: prompts written the way marketers write (each was misread, or is kept from being misread)
    (
        "can you make @logo a bit bigger and put it top right",
        "logo layer top-right 0.35 | canvas #ffffff",
        [],
    ),
    (
        "our logo @logo in the corner",
        "logo layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG photo on the left, 'Summer sale' text on the right",
        'BG layer left 0.3 | "Summer sale" layer right 0.0889 | canvas #ffffff',
        [],
    ),
    (
        "headline 'Summer Sale' in big bold letters at the top, @BG as background",
        'BG background center 1 | "Summer Sale" layer top 0.12 | canvas #ffffff',
        [],
    ),
    (
        "put @logo in the top right corner please, and @BG behind it",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@product in the middle, nice and big, on @BG",
        "BG background center 1 | product layer center 0.6 | canvas #ffffff",
        [],
    ),
    (
        "@logo top right, not too big",
        "logo layer top-right 0.2 | canvas #ffffff",
        ['"not too big" sets no size, so the usual one is kept — say one ("small", "20 %") to choose.'],
    ),
    (
        "@logo top right, super big",
        "logo layer top-right 0.6 | canvas #ffffff",
        ['Not understood, so ignored: "super".'],
    ),
    (
        "@BG as the background, @product centred, our logo @logo small in the bottom right",
        "BG background center 1 | product layer center 0.5 | logo layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "can we have @product on the left and 'Only £9.99' on the right in red",
        'product layer left 0.3 | "Only £9.99" layer right 0.0889 | canvas #ffffff',
        [],
    ),
    (
        "I need @BG full screen with @logo in the corner and 'Shop now' at the bottom",
        'BG background center 1 | logo layer bottom-right 0.2 | "Shop now" layer bottom 0.0889 | canvas #ffffff',
        [],
    ),
    (
        "@logo at the top, centered, with some space around it",
        "logo layer top 0.3 margin 0.08 | canvas #ffffff",
        [],
    ),
    (
        "@logo at the top and in the center",
        "logo layer center 0.5 | canvas #ffffff",
        ['@logo is placed twice ("top", then "center") — using center, the last one.'],
    ),
    (
        "@BG background, make @logo white",
        "BG background center 1 | logo layer center 0.5 | canvas #ffffff",
        [
            'The colour "white" was ignored — an image keeps its own colours: say "white background" to colour the canvas, or "tinted white" to tint the image.'
        ],
    ),
    (
        "@BG as background, @logo a little smaller, top left",
        "BG background center 1 | logo layer top-left 0.1 | canvas #ffffff",
        [],
    ),
    (
        "@logo small, a bit bigger, top left",
        "logo layer top-left 0.35 | canvas #ffffff",
        [],
    ),
    (
        "@product on a white background with a soft shadow",
        "product layer center 0.5 shadow | canvas #ffffff",
        [],
    ),
    (
        "@product slightly to the left, @BG behind",
        "BG background center 1 | product layer left 0.3 | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product next to each other in the middle of @BG",
        "BG background center 1 | logo layer center 0.5 cell (0, 0, 2, 1) | product layer center 0.5 cell (1, 0, 2, 1) | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, 'SALE' huge in the middle, @logo at the bottom",
        'BG background center 1 | logo layer bottom 0.3 | "SALE" layer center 0.16 | canvas #ffffff',
        [],
    ),
    (
        "put the logo @logo on top of the photo @BG",
        "BG background center 1 | logo layer center 0.5 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background and @logo in the top left, make it smaller",
        "BG background center 1 | logo layer top-left 0.1 | canvas #ffffff",
        [],
    ),
    (
        "@logo bottom centre, @BG full bleed",
        "BG background center 1 | logo layer bottom 0.3 | canvas #ffffff",
        [],
    ),
    (
        "'50% off' in yellow on a red banner at the top, @BG as background",
        'BG background center 1 | "50% off" layer top 0.0889 | canvas #ffffff',
        [],
    ),
    (
        "@BG as background, @logo fades in at the top, 'Coming soon' below it",
        'BG background center 1 | logo layer top 0.3 fade-in+fade-out | "Coming soon" layer center 0.0889 below logo | canvas #ffffff',
        [],
    ),
    (
        "@BG as background, @product in front, @logo watermark in the corner",
        "BG background center 1 | logo layer bottom-right 0.2 opacity 0.3 | product foreground center 0.6 | canvas #ffffff",
        [],
    ),
    (
        "@product as the hero image on @BG, logo @logo in the top right",
        "BG background center 1 | logo layer top-right 0.2 | product foreground center 0.6 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background with @logo top left and 'Free shipping' bottom right",
        'BG background center 1 | logo layer top-left 0.2 | "Free shipping" layer bottom-right 0.0889 | canvas #ffffff',
        [],
    ),
    (
        "center @product on @BG and add our logo @logo top right",
        "BG background center 1 | product layer center 0.5 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo should be in the bottom left and fairly small, @BG as background",
        "BG background center 1 | logo layer bottom-left 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product in the center, a bit larger than @logo, @logo top right",
        "BG background center 1 | product layer center 0.3 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, 'New in' with a thick white outline at the top",
        'BG background center 1 | "New in" layer top 0.0889 outline #ffffff 0.12em | canvas #ffffff',
        [],
    ),
    (
        "@BG as background, @logo at the top, @product in the center, make the picture bigger",
        "BG background center 1 | logo layer top 0.3 | product layer center 0.5 | canvas #ffffff",
        ['"the picture" could be @BG or @product — write the @tag of the one you mean; "bigger" was not applied.'],
    ),
    (
        "@BG as background, @logo at the top, @product in the center, the photo on the left",
        "BG background center 1 | logo layer top 0.3 | product layer center 0.5 | canvas #ffffff",
        ['"the photo" could be @BG or @product — write the @tag of the one you mean; "on the left" was not applied.'],
    ),
    (
        "Put @product in the center and make the image large",
        "product layer center 0.6 | canvas #ffffff",
        [],
    ),
    (
        "@product centered on white with a shadow under the photo",
        "product layer center 0.5 shadow | canvas #ffffff",
        [],
    ),
    (
        "@logo top right, 'Hello' with a thin black border at the bottom",
        'logo layer top-right 0.2 | "Hello" layer bottom 0.0889 outline #000000 0.03em | canvas #ffffff',
        [],
    ),
    # Part 4: corners said in the plural, two backgrounds, the middle of an edge
    (
        "@BG as background, @logo in both top corners",
        "BG background center 1 | logo layer top 0.3 | canvas #ffffff",
        [
            '"in both top corners": @logo is one image, so it is placed at the top — to show it twice, upload it again under another tag.'
        ],
    ),
    (
        "@logo and @product in the top corners, @BG as background",
        "BG background center 1 | logo layer top-left 0.2 | product layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo and @product in the corners on @BG",
        "BG background center 1 | logo layer top-left 0.2 | product layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo, @product and @acme in the bottom corners",
        "logo layer bottom 0.3 | product layer bottom 0.3 | acme layer bottom 0.3 | canvas #ffffff",
        [
            '"in the bottom corners": @logo, @product, @acme are 3 images, but there are only 2 such corners — they are placed as said, one over another; give each its own place.'
        ],
    ),
    (
        "@BG as background, @logo behind everything",
        "BG background center 1 | logo background center 1 | canvas #ffffff",
        [
            '@BG ("background") and @logo are each the background, covering the whole canvas, so @BG is hidden under @logo — give all but one a place (e.g. "at the top right").'
        ],
    ),
    (
        "@BG as background, @product in the middle and the logo underneath it",
        "BG background center 1 | logo background center 1 | product layer center 0.5 | canvas #ffffff",
        [
            '@BG ("background") and @logo are each the background, covering the whole canvas, so @BG is hidden under @logo — give all but one a place (e.g. "at the top right").'
        ],
    ),
    (
        "put @logo in the middle of the top edge, @BG as background",
        "BG background center 1 | logo layer top 0.3 | canvas #ffffff",
        [],
    ),
    (
        "@logo top right on the photo",
        "logo layer top-right 0.2 | canvas #ffffff",
        ['"the photo" could be @BG, @product or @acme — write the @tag of the one you mean.'],
    ),
    # Part 5: a web address, the background named by its role when it is the image before
    (
        "@BG as background, put our website acme.com at the bottom",
        "BG background center 1 | canvas #ffffff",
        [
            'Nothing to place "at the bottom": "website acme.com" is not something this app draws (it draws your uploaded images and quoted text). To write "acme.com" there, put it in quotes.'
        ],
    ),
    (
        "@BG as background, make the background blurry, @product in the center",
        "BG background center 1 | product layer center 0.5 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @logo top right, price tag bottom left",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [
            'Nothing to place "bottom left": "price tag" is not something this app draws (it draws your uploaded images and quoted text).'
        ],
    ),
    (
        "use @BG for the background and @logo for the logo in the corner",
        "BG background center 1 | logo layer bottom-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo on the upper right and @product on the lower left, over @BG",
        "BG background center 1 | logo layer top-right 0.2 | product layer bottom-left 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @logo at the top, 'Big Sale' underneath the logo",
        'BG background center 1 | logo layer top 0.3 | "Big Sale" layer center 0.0889 below logo | canvas #ffffff',
        [],
    ),
    # Part 6: a lone unknown word at a clause's start is a verb said of the image before, not a thing
    (
        "@BG as background, @logo, shimmer in the corner",
        "BG background center 1 | logo layer bottom-right 0.2 | canvas #ffffff",
        ['Not understood, so ignored: "shimmer". Did you mean "shiver"?'],
    ),
    (
        "@logo top right, add barcode at the bottom",
        "logo layer top-right 0.2 | canvas #ffffff",
        [
            'Nothing to place "at the bottom": "barcode" is not something this app draws (it draws your uploaded images and quoted text).'
        ],
    ),
    (
        "@logo top right, barcode at the bottom",
        "logo layer bottom 0.3 | canvas #ffffff",
        [
            '@logo is placed twice ("top right", then "bottom") — using bottom, the last one.',
            'Not understood, so ignored: "barcode".',
        ],
    ),
    (
        "@logo top right with the image @BG behind it",
        "BG background center 1 | logo layer top-right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo slides across the photo @BG",
        "BG background center 1 | logo layer center 0.5 slide | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product center, remove the white from the product",
        "BG background center 1 | product layer center 0.5 ko | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @logo top, @product center, remove the white from @logo",
        "BG background center 1 | logo layer top 0.3 ko | product layer center 0.5 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, add a button that says Shop Now at the bottom",
        "BG background center 1 | canvas #ffffff",
        [
            '"Shop Now" was not drawn — to draw words, put them in quotes: "Shop Now".',
            '"button" is for text — @BG is an image, so it was ignored.',
            "@BG is the background, which covers the whole canvas, but is also given \"bottom\" — it stays the background; to place it, drop 'background'.",
        ],
    ),
    # Part 7: sizes said against the canvas, a bare angle
    (
        "@BG as background, @product centered, taking up most of the image",
        "BG background center 1 | product layer center 0.85 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product fills most of the frame",
        "BG background center 1 | product layer center 0.85 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @logo at the top, same width as the canvas",
        "BG background center 1 | logo layer top 1 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @product in the middle, rotated 90",
        "BG background center 1 | product layer center 0.5 rotated 90 | canvas #ffffff",
        [],
    ),
    # Part 8: "a little" says how much, never a size
    (
        "@logo in the center, a little transparent",
        "logo layer center 0.5 opacity 0.8 | canvas #ffffff",
        [],
    ),
    (
        "@BG as background, @logo in the top right, and can you make it a little transparent",
        "BG background center 1 | logo layer top-right 0.2 opacity 0.8 | canvas #ffffff",
        [],
    ),
    (
        "@logo in the center, a little to the left",
        "logo layer left 0.3 | canvas #ffffff",
        ['@logo is placed twice ("center", then "to the left") — using left, the last one.'],
    ),
    (
        "a little @logo in the center",
        "logo layer center 0.2 | canvas #ffffff",
        [],
    ),
    # Part 9: words across the top stay still; "both" of two placed images; a place beside a text
    (
        "@BG as background, 'Summer' in large letters across the top",
        'BG background center 1 | "Summer" layer top 0.12 | canvas #ffffff',
        [],
    ),
    (
        "@BG as background, 'Summer' at the top, and the logo @logo below it",
        'BG background center 1 | logo layer center 0.5 below #text1 | "Summer" layer top 0.0889 | canvas #ffffff',
        [],
    ),
    (
        "@BG as background, @product left, @logo right, both small",
        "BG background center 1 | product layer left 0.2 | logo layer right 0.2 | canvas #ffffff",
        [],
    ),
    (
        "@logo bounces a little",
        "logo layer center 0.5 bounce | canvas #ffffff",
        [],
    ),
    (
        "@logo top right, a little bit bigger",
        "logo layer top-right 0.35 | canvas #ffffff",
        [],
    ),
    # Part 10: a place or a size said of a row is named (a row fills the canvas)
    (
        "@BG as background, @logo and @product side by side at the bottom",
        "BG background center 1 | logo layer bottom 0.3 cell (0, 0, 2, 1) | product layer bottom 0.3 cell (1, 0, 2, 1) | canvas #ffffff",
        [
            '@logo and @product are laid out together across the whole canvas, each filling its cell, so "bottom" was not applied — to place them, give each its own place (e.g. "@logo bottom left, @product bottom right").'
        ],
    ),
    (
        "@BG as background, @logo and @product side by side, small, at the bottom",
        "BG background center 1 | logo layer bottom 0.2 cell (0, 0, 2, 1) | product layer bottom 0.2 cell (1, 0, 2, 1) | canvas #ffffff",
        [
            '@logo and @product are laid out together across the whole canvas, each filling its cell, so "bottom", "small" were not applied — to place them, give each its own place (e.g. "@logo bottom left, @product bottom right").'
        ],
    ),
]


def test_the_table_is_large_and_has_no_duplicates() -> None:
    prompts = [prompt for prompt, _, _ in CASES]
    assert len(prompts) >= 150 and len(set(prompts)) == len(prompts)


@pytest.mark.parametrize(("prompt", "scene", "warnings"), CASES, ids=[c[0][:60] for c in CASES])
def test_paraphrase(prompt: str, scene: str, warnings: list[str]) -> None:
    result = parse(prompt, TAGS)
    assert brief(result.scene) == scene
    assert [w.message for w in result.warnings if not w.quiet] == warnings


@pytest.mark.parametrize("prompt", [c[0] for c in CASES], ids=[c[0][:60] for c in CASES])
def test_no_place_role_or_size_is_dropped_in_silence(prompt: str) -> None:
    assert silent_phrases(prompt, TAGS) == []


def test_the_invariant_catches_a_silent_drop(monkeypatch: pytest.MonkeyPatch) -> None:
    # "blur the background" with no background image is said; without that line, "background" would be silent.
    assert silent_phrases("@logo at the top right, blur the background", TAGS) == []

    def unwarned(prompt: str, tags: list[str]) -> ParseResult:
        return dataclasses.replace(parse(prompt, tags), warnings=())

    monkeypatch.setattr(invariant_helpers, "parse", unwarned)
    assert silent_phrases("@logo at the top right, blur the background", TAGS) == ["background"]
