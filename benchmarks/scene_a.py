"""Scene A for the render benchmark: deterministic input images and the scene, built without the parser.

Canvas 1080x1080, 24 fps. Background: a 1600x1200 photo-like JPEG (smooth gradient, soft blobs and
per-pixel noise), static, cover-fit. Logo: 400x400 RGBA circle with a white mark and transparent
corners, scaled to 270 px (size 0.25), sliding across the top from off-canvas left to off-canvas
right. Product: 800x800 RGBA with soft edges, scaled to 432 px (size 0.4), bouncing at the bottom
centre. Scene A + headline (:func:`scene_a_text`) adds a text layer: "Summer Sale -50%", white bold
sans with a black outline and a soft shadow, dropping in from above to the centre (ease-out).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from imagegen.render import RenderPlan
from imagegen.render.placement import place
from imagegen.scene import Anchor, Canvas, Easing, Layer, Motion, MotionKind, Role, Scene, TextSpec, Timing

CANVAS = 1080
FPS = 24
NOISE_SIGMA = 5.0  # per-pixel noise of the "photo", in 8-bit levels (a clean phone photo is ~2-6)


def photo(width: int = 1600, height: int = 1200, seed: int = 1) -> Image.Image:
    """A photo-like RGB image: a smooth diagonal gradient, a few soft colour blobs and sensor noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    rgb = np.stack([40 + 150 * x / width, 70 + 110 * y / height, 190 - 120 * (x + y) / (width + height)], axis=-1)
    for cx, cy, radius, colour in ((0.3, 0.35, 260, (60, -30, -40)), (0.75, 0.7, 340, (-40, 40, 30))):
        weight = np.exp(-((x - cx * width) ** 2 + (y - cy * height) ** 2) / (2 * radius**2))
        rgb += weight[..., None] * np.array(colour, np.float32)
    rgb += rng.normal(0, NOISE_SIGMA, rgb.shape).astype(np.float32)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def logo(side: int = 400) -> Image.Image:
    """A coloured disc with a white mark; the corners are transparent."""
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, side - 9, side - 9), fill=(225, 40, 60, 255))
    draw.polygon([(side * 0.3, side * 0.3), (side * 0.72, side * 0.5), (side * 0.3, side * 0.7)], fill="white")
    return image


def product(side: int = 800) -> Image.Image:
    """A rounded "bottle" with a two-tone body and soft (blurred) alpha edges."""
    body = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(body)
    draw.rounded_rectangle(
        (side * 0.3, side * 0.12, side * 0.7, side * 0.92), radius=side // 10, fill=(30, 90, 170, 255)
    )
    draw.rectangle((side * 0.3, side * 0.45, side * 0.7, side * 0.62), fill=(250, 200, 60, 255))
    draw.rounded_rectangle(
        (side * 0.43, side * 0.04, side * 0.57, side * 0.14), radius=side // 40, fill=(40, 40, 40, 255)
    )
    alpha = body.getchannel("A").filter(ImageFilter.GaussianBlur(side / 80))
    body.putalpha(alpha)
    return body


def write_inputs(folder: Path) -> dict[str, Path]:
    """Write the three input files (JPEG background, PNG logo and product); returns tag -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"BG": folder / "bg.jpg", "logo": folder / "logo.png", "product": folder / "product.png"}
    if not all(p.exists() for p in paths.values()):
        photo().save(paths["BG"], "JPEG", quality=92)
        logo().save(paths["logo"])
        product().save(paths["product"])
    return paths


def scene_a(frames: int = 48) -> Scene:
    """Scene A with ``frames`` frames at 24 fps (48 = 2 s)."""
    slide = Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT, enters=True, exits=True)
    bounce = Motion(MotionKind.BOUNCE, repeats=2)
    return Scene(
        layers=(
            Layer("BG", role=Role.BACKGROUND),
            Layer("logo", anchor=Anchor.TOP, size=0.25, motions=(slide,)),
            Layer("product", anchor=Anchor.BOTTOM, size=0.4, motions=(bounce,)),
        ),
        canvas=Canvas(CANVAS, CANVAS),
        timing=Timing(duration_s=frames / FPS, fps=FPS),
    )


HEADLINE = "Summer Sale -50%"


def scene_a_text(frames: int = 48) -> Scene:
    """Scene A plus an animated headline (a text layer), same canvas and timing."""
    base = scene_a(frames)
    drop = Motion(MotionKind.SLIDE, from_anchor=Anchor.TOP, enters=True, easing=Easing.EASE_OUT)
    headline = Layer(
        "headline",
        anchor=Anchor.CENTER,
        size=0.1,
        text=TextSpec(HEADLINE, outline=(0, 0, 0, 255), shadow=(0, 0, 0, 140)),
        motions=(drop,),
    )
    return Scene(layers=(*base.layers, headline), canvas=base.canvas, timing=base.timing)


def still_scene() -> Scene:
    """The three layers at rest: background, logo top right, product in the centre."""
    return Scene(
        layers=(
            Layer("BG", role=Role.BACKGROUND),
            Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.25),
            Layer("product", anchor=Anchor.CENTER, size=0.4),
        ),
        canvas=Canvas(CANVAS, CANVAS),
    )


def layout_spec(plan: RenderPlan, inputs: dict[str, Path]) -> dict:
    """Where each moving sprite's top-left corner is in every frame, from our own motion maths.

    The baselines draw exactly these positions, so PSNR against our frames measures encoding, not a
    different reading of the motion.
    """
    from imagegen.render.motion import transform_at

    scene = plan.scene
    moving = [layer for layer in scene.layers if layer.animated]
    # the static background the baselines draw first (a photo fading in over another is a moving layer)
    background = next((layer for layer in scene.layers if layer.role is Role.BACKGROUND and not layer.animated), None)
    layers = []
    for layer, sprite in zip(moving, plan.sprites, strict=True):
        # the baselines get the sprite we draw (trimmed to its visible mark, scaled; a text rasterised)
        # as a file: the upload itself has margins and another size
        inputs = {**inputs, layer.tag: inputs["BG"].parent / f"{layer.tag}-sprite.png"}
        sprite.save(inputs[layer.tag])
        placement = place(layer, sprite.size, scene.canvas)
        cx, cy = placement.centre
        positions, opacities = [], []
        for t in plan.times():
            move = transform_at(layer, placement, scene.canvas, t)
            positions.append((round(cx + move.dx - sprite.width / 2), round(cy + move.dy - sprite.height / 2)))
            opacities.append(move.opacity * layer.opacity)
        layers.append(
            {"path": str(inputs[layer.tag]), "size": list(sprite.size), "positions": positions, "opacities": opacities}
        )
    return {
        "canvas": [scene.canvas.width, scene.canvas.height],
        "fps": scene.timing.fps,
        "durations_ms": plan.durations(),
        "background": str(inputs[background.tag if background is not None else "BG"]),
        "layers": layers,
    }


def write_spec(plan: RenderPlan, inputs: dict[str, Path], path: Path) -> Path:
    path.write_text(json.dumps(layout_spec(plan, inputs)))
    return path


# --- the slideshow scene ---------------------------------------------------------------------------

SLIDE_S = 2.0
CROSSFADE_S = 0.5


def write_slides(folder: Path) -> dict[str, Path]:
    """Three photo-like JPEGs of different sizes and aspect ratios (cover-fit crops each differently)."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {"one": (1600, 1200, 11), "two": (1200, 1600, 12), "three": (2000, 1125, 13)}
    paths = {tag: folder / f"slide-{tag}.jpg" for tag in sizes}
    for tag, (width, height, seed) in sizes.items():
        if not paths[tag].exists():
            photo(width, height, seed).save(paths[tag], "JPEG", quality=92)
    return paths


def slideshow_scene() -> Scene:
    """Three photos, 2 s each, 0.5 s crossfades (the last one back into the first: a seamless loop), 6 s."""
    from imagegen.scene import Slide, Slideshow, Transition

    show = Slideshow(
        tuple(Slide(tag, SLIDE_S) for tag in ("one", "two", "three")), Transition.CROSSFADE, transition_s=CROSSFADE_S
    )
    return Scene(layers=(), canvas=Canvas(CANVAS, CANVAS), timing=Timing(3 * SLIDE_S, FPS), slideshow=show)


def write_slideshow_spec(inputs: dict[str, Path], path: Path) -> Path:
    """What the baselines draw: each slide's file and start, the crossfade length, the canvas and fps."""
    scene = slideshow_scene()
    assert scene.slideshow is not None
    slides, start = [], 0.0
    for slide in scene.slideshow.slides:
        slides.append({"path": str(inputs[slide.tag]), "start": start, "seconds": slide.seconds})
        start += slide.seconds
    spec = {
        "canvas": [scene.canvas.width, scene.canvas.height],
        "fps": scene.timing.fps,
        "seconds": scene.timing.duration_s,
        "crossfade": scene.slideshow.transition_s,
        "slides": slides,
    }
    path.write_text(json.dumps(spec))
    return path
