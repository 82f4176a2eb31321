"""A template's slots: the images and quoted texts of a Scene, named so that a new version can fill them.

Image slots are named by their tag (``{product}``), text slots by their order: the first quoted text is
``{headline}``, the next ``{text2}``, ``{text3}``… Filling a slot replaces that image or those words and
nothing else; a slot left out keeps what was saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from imagegen.errors import TemplateError, did_you_mean, suggest
from imagegen.prompt.texts import text_words
from imagegen.scene import Scene
from imagegen.store.tags import tag_key


class SlotKind(StrEnum):
    IMAGE = "image"
    TEXT = "text"


@dataclass(frozen=True)
class Slot:
    name: str  # "product", "headline": how a user and a CSV column name it
    kind: SlotKind
    layer: str  # the Scene's tag, or a text layer's id (#text1)
    saved: str  # a text's words; an image's blob SHA-256

    @property
    def label(self) -> str:
        return f"{{{self.name}}}"

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind.value, "layer": self.layer, "saved": self.saved}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Slot:
        return cls(data["name"], SlotKind(data["kind"]), data["layer"], data["saved"])


def image_tags(scene: Scene) -> list[str]:
    """Every image the Scene draws (layers, then slides), in order, once."""
    tags = [layer.tag for layer in scene.layers if not layer.is_text]
    if scene.slideshow is not None:
        tags += scene.slideshow.tags
    return list(dict.fromkeys(tags))


def slots_of(scene: Scene, image_shas: Mapping[str, str]) -> tuple[Slot, ...]:
    """The slots of ``scene``: each image (its saved blob from ``image_shas``, by tag), then each text."""
    slots = [Slot(tag, SlotKind.IMAGE, tag, image_shas[tag]) for tag in image_tags(scene)]
    texts = [layer for layer in scene.layers if layer.text is not None]
    for number, layer in enumerate(texts, 1):
        assert layer.text is not None
        slots.append(Slot("headline" if number == 1 else f"text{number}", SlotKind.TEXT, layer.tag, layer.text.text))
    return tuple(slots)


def find_slot(slots: tuple[Slot, ...], name: str, template: str) -> Slot:
    """The slot called ``name`` (ignoring case and braces).

    :raise TemplateError: naming the close one and every slot the template has.
    """
    wanted = tag_key(name.strip().strip("{}").removeprefix("@"))
    for slot in slots:
        if tag_key(slot.name) == wanted:
            return slot
    close = suggest(wanted, [s.name for s in slots])
    listed = ", ".join(s.label for s in slots) or "none"
    hint = did_you_mean(close and "{" + close + "}")
    asked = name.strip().strip("{}")
    raise TemplateError(f"The template '{template}' has no slot {{{asked}}}.{hint} Its slots: {listed}.")


def fill_texts(scene: Scene, slots: tuple[Slot, ...], texts: Mapping[str, str], template: str) -> Scene:
    """``scene`` with each text slot named in ``texts`` holding those words.

    :raise TemplateError: an unknown slot, an image slot given words, or a slot given no words.
    """
    by_layer: dict[str, str] = {}
    for name, words in texts.items():
        slot = find_slot(slots, name, template)
        if slot.kind is SlotKind.IMAGE:
            raise TemplateError(f"{slot.label} is an image slot — give it a picture (an image file), not words.")
        drawn = text_words(words)  # as the prompt reads a quoted text: " / " breaks the line
        if not drawn:
            raise TemplateError(
                f"The slot {slot.label} is empty — give it some words, or leave it out to keep the saved "
                f"“{slot.saved}”."
            )
        by_layer[slot.layer] = drawn
    layers = tuple(
        replace(layer, text=replace(layer.text, text=by_layer[layer.tag]))
        if layer.text is not None and layer.tag in by_layer
        else layer
        for layer in scene.layers
    )
    return replace(scene, layers=layers)


def image_slot(slots: tuple[Slot, ...], name: str, template: str) -> Slot:
    """The image slot called ``name``. :raise TemplateError: unknown, or a text slot."""
    slot = find_slot(slots, name, template)
    if slot.kind is SlotKind.TEXT:
        raise TemplateError(
            f"{slot.label} is a text slot — give it words (its saved text is “{slot.saved}”), not a file."
        )
    return slot
