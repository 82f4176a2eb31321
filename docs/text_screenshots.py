"""Render the README's text screenshots (docs/text-latin.png, text-hindi.png, text-arabic.png) with the engine.

    python docs/text_screenshots.py

Each is one prompt over a smooth photo-like background made in code, parsed, explained and rendered
exactly as the app does it (the explanation lines are printed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

from imagegen.export import OutputFormat, export  # noqa: E402
from imagegen.prompt import parse  # noqa: E402
from imagegen.prompt.explain import describe_scene  # noqa: E402
from imagegen.render import prepare  # noqa: E402
from imagegen.render.text import fit_text, text_warnings  # noqa: E402

PROMPTS = {
    "text-latin": '800x800, @BG as background, "Summer Sale -50%" huge at the top, heavy, with a black outline,'
    ' "Shop now" uppercase on a red pill at the bottom',
    "text-hindi": '800x800, @BG as background, "दिवाली सेल" huge in yellow at the top with a drop shadow,'
    ' "५०% तक की छूट / आज ही खरीदें" in the center, "शुभ दीपावली" on a white rounded box at the bottom',
    "text-arabic": '800x800, @BG as background, "تخفيضات الصيف" huge at the top with a black outline,'
    ' "خصم 50% على كل شيء" in the center, "تسوق الآن" on a red pill at the bottom',
}


def backdrop(size: int = 800) -> Image.Image:
    """A smooth sunset-like gradient with two soft blobs (small as a PNG, busy enough to test contrast)."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    rgb = np.stack([60 + 160 * y, 40 + 60 * x, 140 - 90 * y], axis=-1)
    for cx, cy, colour in ((0.25, 0.3, (80, 20, -40)), (0.8, 0.75, (-30, 40, 60))):
        rgb += np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 0.03)[..., None] * np.array(colour, np.float32)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def main() -> None:
    for name, prompt in PROMPTS.items():
        result = parse(prompt, ["BG"])
        print(f"{name}: {prompt}")
        for line in describe_scene(result.scene, fit_text):
            print(f"  {line}")
        for warning in [*(w.message for w in result.warnings), *text_warnings(result.scene)]:
            print(f"  warning: {warning}")
        export(prepare(result.scene, {"BG": backdrop()}), DOCS / f"{name}.png", OutputFormat.PNG)


if __name__ == "__main__":
    main()
