"""Picture adjustments and effects: one record per :class:`~imagegen.scene.Adjust` kind.

Each works on a layer's fitted RGBA sprite at its drawn size (after scaling: blurring a large source
before shrinking it wastes work, and blurring before enlarging hides the softness), once per layer,
never per frame. Colour changes keep the alpha channel; a blur works on premultiplied colour so a
logo's transparent surroundings do not bleed dark into its edge. Overlays, gradients and vignettes
cover only the layer's own pixels. A glow is drawn under the layer (see :mod:`.treatments`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

from imagegen.scene import RGBA, Adjust, Easing, Effect, Layer, Motion, MotionKind, Scene, Shadow

Apply = Callable[[Image.Image, Effect, float], Image.Image]  # (RGBA sprite, effect, scale) -> RGBA sprite

SEPIA_DARK, SEPIA_LIGHT = (38, 24, 10), (255, 238, 200)


@dataclass(frozen=True)
class EffectRecord:
    """How one kind is drawn, and its amount when the prompt gives none."""

    apply: Apply
    default_amount: float | None = None


def _rgb_then_alpha(image: Image.Image, change: Callable[[Image.Image], Image.Image]) -> Image.Image:
    """``change`` applied to the colour channels, the alpha channel kept as it was."""
    alpha = image.getchannel("A")
    changed = change(image.convert("RGB")).convert("RGB")
    changed.putalpha(alpha)
    return changed


def _amount(effect: Effect) -> float:
    record = EFFECTS[effect.kind]
    return float(effect.amount if effect.amount is not None else record.default_amount or 0.0)


def _blur(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
    radius = _amount(effect) * scale
    if radius <= 0:
        return image
    premultiplied = image.convert("RGBa").filter(ImageFilter.GaussianBlur(radius))
    return premultiplied.convert("RGBA")


def _sharpen(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
    percent = round(100 * _amount(effect))
    mask = ImageFilter.UnsharpMask(radius=max(1.0, 2 * scale), percent=percent, threshold=2)
    return _rgb_then_alpha(image, lambda rgb: rgb.filter(mask))


def _enhance(kind: type[ImageEnhance._Enhance]) -> Apply:
    def apply(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
        factor = _amount(effect)
        return _rgb_then_alpha(image, lambda rgb: kind(rgb).enhance(factor))

    return apply


def _colorized(dark: RGBA | tuple[int, int, int], light: RGBA | tuple[int, int, int], mid: RGBA | None = None) -> Apply:
    def apply(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
        middle = None if mid is None else mid[:3]
        return _rgb_then_alpha(
            image, lambda rgb: ImageOps.colorize(ImageOps.grayscale(rgb), dark[:3], light[:3], middle)
        )

    return apply


def _sepia(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
    return _colorized(SEPIA_DARK, SEPIA_LIGHT)(image, effect, scale)


def _tint(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
    """Shadows stay dark and highlights light; the mid-tones take the colour."""
    colour = effect.colour or (0, 85, 164, 255)
    return _colorized((0, 0, 0), (255, 255, 255), colour)(image, effect, scale)


def _duotone(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
    return _colorized(effect.colour or (0, 0, 128, 255), effect.colour2 or (255, 192, 203, 255))(image, effect, scale)


def _invert(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
    return _rgb_then_alpha(image, ImageOps.invert)


def _over(image: Image.Image, colour: RGBA, weight: np.ndarray) -> Image.Image:
    """``colour`` laid over the layer's own pixels with ``weight`` (0-1 per pixel) x its alpha."""
    pixels = np.asarray(image.convert("RGBA"), dtype=np.float32)
    share = (colour[3] / 255.0) * weight[..., None]
    pixels[..., :3] = pixels[..., :3] * (1.0 - share) + np.asarray(colour[:3], np.float32) * share
    return Image.fromarray(np.rint(pixels).clip(0, 255).astype(np.uint8), "RGBA")


def _overlay(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
    return _over(image, effect.colour or (0, 0, 0, 102), np.ones((image.height, image.width), np.float32))


def _scrim(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
    """A gradient from ``side``: the colour at that edge, fading smoothly to nothing ``amount`` of the way in."""
    width, height = image.size
    side = effect.side or "bottom"
    across = height if side in ("top", "bottom") else width
    reach = max(1.0, _amount(effect) * across)
    distance = np.arange(across, dtype=np.float32)
    if side in ("bottom", "right"):
        distance = distance[::-1]
    ramp = np.clip(1.0 - distance / reach, 0.0, 1.0)
    ramp = ramp * ramp * (3 - 2 * ramp)  # smoothstep: no visible edge where the gradient ends
    weight = np.broadcast_to(ramp[:, None] if side in ("top", "bottom") else ramp[None, :], (height, width))
    return _over(image, effect.colour or (0, 0, 0, 191), weight)


def _vignette(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
    width, height = image.size
    y, x = np.ogrid[0:height, 0:width]
    dx, dy = (x - (width - 1) / 2) / max(1.0, width / 2), (y - (height - 1) / 2) / max(1.0, height / 2)
    radius = np.sqrt(dx * dx + dy * dy) / np.sqrt(2.0)
    weight = np.clip((radius - 0.35) / 0.65, 0.0, 1.0) ** 1.5
    strength = min(1.0, max(0.0, _amount(effect)))
    return _over(image, (0, 0, 0, round(255 * strength)), weight.astype(np.float32))


def _glow(image: Image.Image, effect: Effect, scale: float) -> Image.Image:
    return image  # drawn under the layer by treatments.decorate, with the room it needs


def glow_shadow(effect: Effect) -> Shadow:
    """A glow is a shadow that is not offset: the layer's shape, blurred, in the glow's colour."""
    colour = effect.colour or (255, 255, 255, 255)
    return Shadow(dx=0.0, dy=0.0, blur=_amount(effect), colour=(*colour[:3], 230))


EFFECTS: dict[Adjust, EffectRecord] = {
    Adjust.BLUR: EffectRecord(_blur, 8.0),
    Adjust.SHARPEN: EffectRecord(_sharpen, 1.0),
    Adjust.BRIGHTNESS: EffectRecord(_enhance(ImageEnhance.Brightness), 0.7),
    Adjust.CONTRAST: EffectRecord(_enhance(ImageEnhance.Contrast), 1.3),
    Adjust.SATURATION: EffectRecord(_enhance(ImageEnhance.Color), 0.5),
    Adjust.SEPIA: EffectRecord(_sepia),
    Adjust.TINT: EffectRecord(_tint),
    Adjust.DUOTONE: EffectRecord(_duotone),
    Adjust.INVERT: EffectRecord(_invert),
    Adjust.OVERLAY: EffectRecord(_overlay),
    Adjust.SCRIM: EffectRecord(_scrim, 0.45),
    Adjust.VIGNETTE: EffectRecord(_vignette, 0.6),
    Adjust.GLOW: EffectRecord(_glow, 16.0),
}
"""One record per kind; a test checks every kind has one and a describing vocabulary row."""


def split_fades(scene: Scene) -> Scene:
    """A layer whose effects change over time, drawn as two: the layer with its lasting effects, and above
    it a copy with the changing ones too, fading in ("darkens") or out ("comes into focus"). A blend of
    the two is exact for brightness and colour (both are linear in the pixels) and a soft dissolve for a
    blur; each copy is still drawn once, never per frame."""
    if not any(effect.fade for layer in scene.layers for effect in layer.effects):
        return scene
    layers: list[Layer] = []
    for layer in scene.layers:
        fading = [effect for effect in layer.effects if effect.fade]
        if not fading:
            layers.append(layer)
            continue
        lasting = tuple(effect for effect in layer.effects if not effect.fade)
        layers.append(replace(layer, effects=lasting))
        for effect in fading:  # one copy each: "darkens" and "comes into focus" may run together
            kind = MotionKind.FADE_IN if effect.fade == "in" else MotionKind.FADE_OUT
            changing = replace(effect, fade=None)
            layers.append(
                replace(layer, effects=(*lasting, changing), motions=(*layer.motions, Motion(kind, Easing.EASE_IN_OUT)))
            )
    return replace(scene, layers=tuple(layers))


def apply_effects(image: Image.Image, effects: tuple[Effect, ...], scale: float = 1.0) -> Image.Image:
    """``image`` (RGBA, at ``scale`` x canvas pixels) with each effect applied in order."""
    if not effects:
        return image
    image = image.convert("RGBA")
    for effect in effects:
        image = EFFECTS[effect.kind].apply(image, effect, scale)
    return image
