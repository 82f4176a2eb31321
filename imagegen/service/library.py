"""Brand kits and templates for a request: a kit's images and words, a template filled and rendered,
any output saved as a template with its images and a thumbnail.

The storage is :mod:`imagegen.library`; this module is where a kit or a template becomes images and a
:class:`RenderRequest`, the same for the app and the command line.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import logging
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from imagegen.errors import ImagegenError, TagError, TemplateError
from imagegen.library import (
    BrandKit,
    Template,
    TemplateInfo,
    load_kit,
    load_template,
    repository_kit_dir,
    save_template,
)
from imagegen.library.fonts import team_fonts
from imagegen.library.kit import KIT_FILE
from imagegen.library.store import check_files, kit_names, load_saved_kit
from imagegen.library.templates import Slot, SlotKind, fill_texts, find_slot, image_slot, image_tags
from imagegen.limits import LIMITS, Limits
from imagegen.prompt import BrandWords
from imagegen.render import ImageSource, render_still
from imagegen.scene import Scene
from imagegen.service.pipeline import open_images, sizes_of, understand
from imagegen.service.request import RenderRequest, Understood
from imagegen.service.sizes import resize
from imagegen.store.assets import add_image, remove_image, set_tag, tag_map
from imagegen.store.images import decode_image, stored_form
from imagegen.store.session import Asset, Output, Session
from imagegen.store.tags import tag_key

log = logging.getLogger(__name__)

THUMB_SIDE = 320
ENV_KIT_NAME = "IMAGEGEN_BRAND_KIT"  # a kit saved in the library, the app's when the repository has none


def kit_words(kit: BrandKit | None) -> BrandWords | None:
    return kit.words() if kit is not None else None


def find_kit(ref: str | Path | None, url: str | None = None, *, folders: bool = True) -> BrandKit | None:
    """The kit ``ref`` names: with ``folders``, a kit folder (its brand.toml) unless it is no folder and a kit
    saved in the library has that name; else only a saved kit's name. None for no ``ref``.

    :raise UnknownKitError: no saved kit by that name (naming the kits there are); :raise BrandKitError: a
        folder that is no kit.
    """
    if ref is None or not str(ref).strip():
        return None
    if folders:
        folder = Path(ref)
        if folder.is_dir() or str(ref) not in kit_names(url):
            return load_kit(folder)
    return load_saved_kit(str(ref).strip(), url)


def saved_kits(url: str | None = None) -> list[BrandKit]:
    """Every kit saved in the library, by name (each unpacked once under the data folder)."""
    return [load_saved_kit(name, url) for name in kit_names(url)]


def app_kit(app_dir: Path, secret_name: object = None) -> Path | str | None:
    """The kit a deploy of the app uses in every session: its folder (``IMAGEGEN_BRAND_DIR``, else ``brand/``
    beside the app when it has a brand.toml), else the name of a kit saved in the library
    (``IMAGEGEN_BRAND_KIT``, else ``brand_kit`` in the app's secrets: ``secret_name``); None: no kit."""
    folder = repository_kit_dir(app_dir)
    if folder is not None:
        return folder
    name = os.environ.get(ENV_KIT_NAME, "").strip() or str(secret_name or "").strip()
    return name or None


def load_app_kit(source: Path | str | None, url: str | None = None) -> BrandKit | None:
    """The kit :func:`app_kit` names, loaded (a folder's is re-read when its brand.toml changes).

    :raise BrandKitError: the folder is no kit; :raise UnknownKitError: no saved kit by that name.
    """
    if source is None:
        return None
    if isinstance(source, str):
        return load_saved_kit(source, url)
    try:
        stamp = (source / KIT_FILE).stat().st_mtime
    except OSError:
        stamp = 0.0
    return _folder_kit(str(source), stamp)


@functools.lru_cache(maxsize=8)
def _folder_kit(folder: str, _stamp: float) -> BrandKit:
    return load_kit(Path(folder))


def requested_kit(name: str | None, url: str | None = None, *, app: Path | str | None = None) -> BrandKit | None:
    """The kit a request names: a saved kit's name, or the app's own kit by its name (never a folder path: a
    client names kits, not the server's files). Not named (None): the app's kit, as every app session has
    it (one that cannot be loaded is logged and left out); named "": no kit.

    :raise UnknownKitError: no kit by that name (naming the kits there are).
    """
    if name is None:
        try:
            return load_app_kit(app, url)
        except ImagegenError as exc:
            log.warning("the app's brand kit is not used: %s", exc)
            return None
    if not name.strip():
        return None
    folder_kit = None
    if isinstance(app, Path):
        try:
            folder_kit = load_app_kit(app, url)
        except ImagegenError as exc:
            log.warning("the app's brand kit is not used: %s", exc)
    if folder_kit is not None and folder_kit.name == name.strip():
        return folder_kit
    return load_saved_kit(name.strip(), url, also=(folder_kit.name,) if folder_kit else ())


def brand_words(kit: BrandKit | None, url: str | None = None) -> BrandWords | None:
    """What a prompt is read with: the kit's words and the team's uploaded fonts (None when neither).

    A library that cannot be reached is logged: the kit still works without the team's fonts.
    """
    try:
        fonts = tuple((font.name, font.key) for font in team_fonts(url))
    except ImagegenError as exc:
        log.warning("team fonts not used: %s", exc)
        fonts = ()
    return with_team_fonts(kit_words(kit), fonts)


@functools.lru_cache(maxsize=16)
def with_team_fonts(base: BrandWords | None, fonts: tuple[tuple[str, str], ...]) -> BrandWords | None:
    """``base`` with the team's fonts (name, key) after its own; one value per kit and font list, so the
    compiled phrases are reused from request to request."""
    if not fonts:
        return base
    if base is None:
        return BrandWords(fonts=fonts)
    return dataclasses.replace(base, fonts=(*base.fonts, *fonts))


def equip(session: Session, kit: BrandKit | None) -> tuple[str, ...]:
    """Put the kit's images into ``session`` as uploads tagged as in the kit, except a tag the session has
    already (its own picture wins). :return: the tags added. A file that cannot be added is logged."""
    if kit is None:
        return ()
    have = {tag_key(asset.tag) for asset in session.manifest().assets}
    added: list[str] = []
    for tag, path in kit.images:
        if tag_key(tag) in have:
            continue
        try:
            add_image(session, f"{tag}{path.suffix}", path.read_bytes())
        except (ImagegenError, OSError) as exc:
            log.warning("brand image @%s not added: %s", tag, exc)
            continue
        added.append(tag)
    return tuple(added)


def with_kit_images(kit: BrandKit | None, paths: Mapping[str, Path]) -> dict[str, Path]:
    """The kit's images (``@acme``), then the caller's: an image given with the same tag wins."""
    given = {tag.casefold() for tag in paths}
    kept = {tag: path for tag, path in (kit.images if kit else ()) if tag.casefold() not in given}
    return {**kept, **paths}


def thumbnail(scene: Scene, images: Mapping[str, ImageSource], *, limits: Limits = LIMITS) -> bytes:
    """A small WebP of the scene's first frame (at most 320 px a side, the layout re-flowed to it; WebP keeps
    transparency at a tenth of a PNG's bytes, and an optimised PNG took 1.3 s of a 1.5 s save)."""
    width, height = scene.canvas.width, scene.canvas.height
    scale = THUMB_SIDE / max(width, height)
    small = resize(scene, (max(16, round(width * scale)), max(16, round(height * scale))))
    buffer = io.BytesIO()
    render_still(small, images, limits=limits).save(buffer, "WEBP", quality=82)
    return buffer.getvalue()


def save_as_template(
    name: str,
    prompt: str,
    scene: Scene,
    files: Mapping[str, bytes],
    *,
    url: str | None = None,
    limits: Limits = LIMITS,
) -> TemplateInfo:
    """Save an output's ``scene`` as template ``name``: the file of each image it draws (tag -> bytes, as
    uploaded), a thumbnail rendered from them, its texts as slots.

    :raise TemplateError: a bad or taken name, an image without its file; nothing is saved then.
    """
    check_files(name, scene, files)  # before any pixel is decoded for the thumbnail
    images = decoded(files, limits)
    return save_template(name, prompt, scene, files, thumbnail=thumbnail(scene, images, limits=limits), url=url)


def decoded(files: Mapping[str, bytes], limits: Limits = LIMITS) -> dict[str, Image.Image]:
    """Image bytes by tag, decoded with the upload rules."""
    return {tag: stored_form(decode_image(f"{tag}.png", data, limits)) for tag, data in files.items()}


@dataclass(frozen=True)
class FilledTemplate:
    """A template with its slots filled: the request to render and the images it draws."""

    template: Template
    request: RenderRequest
    images: dict[str, Image.Image]


def fill_template(
    template: Template | str,
    *,
    images: Mapping[str, Path | bytes] | None = None,
    texts: Mapping[str, str] | None = None,
    url: str | None = None,
    limits: Limits = LIMITS,
    **request: object,
) -> FilledTemplate:
    """``template`` (or its name) with image slots given new files and text slots new words; a slot left
    out keeps the saved one. ``request``: further :class:`RenderRequest` fields (fmt, sizes, overrides…).

    :raise TemplateError: an unknown slot, an empty one, or a slot given the wrong kind of thing.
    """
    if isinstance(template, str):
        template = load_template(template, url)
    scene = fill_texts(template.scene, template.slots, texts or {}, template.name)
    saved = decoded(template.images, limits)
    for name, given in (images or {}).items():
        slot = image_slot(template.slots, name, template.name)
        if isinstance(given, bytes):
            saved[slot.layer] = decoded({slot.layer: given}, limits)[slot.layer]
        else:
            saved[slot.layer] = open_images({slot.layer: Path(given)}, limits=limits)[slot.layer]
    missing = [s.label for s in template.slots if s.kind is SlotKind.IMAGE and s.layer not in saved]
    if missing:
        raise TemplateError(f"The template '{template.name}' lost the image of {missing[0]} — give it one.")
    return FilledTemplate(template, RenderRequest(template.prompt, scene=scene, **request), saved)  # type: ignore[arg-type]


def save_output(session: Session, output: Output, name: str, *, url: str | None = None) -> TemplateInfo:
    """Save a session's output as template ``name``: its Scene (as rendered, edits included), its prompt and
    the session's files of the images it draws.

    :raise TemplateError: a bad or taken name, or an image no longer in the session.
    """
    scene = Scene.from_json(output.scene_json)
    by_key = {tag.casefold(): path for tag, path in tag_map(session).items()}
    files = {tag: by_key[tag.casefold()].read_bytes() for tag in image_tags(scene) if tag.casefold() in by_key}
    return save_as_template(name, output.prompt, scene, files, url=url, limits=session.store.limits)


def open_in_session(
    session: Session,
    template: Template,
    *,
    texts: Mapping[str, str] | None = None,
    images: Mapping[str, bytes] | None = None,
    keep: Collection[str] = (),
    **request: object,
) -> tuple[RenderRequest, tuple[str, ...]]:
    """``template`` with its slots filled, its images put into ``session`` under the template's tags, ready
    for :func:`imagegen.service.outputs.understand`. ``keep``: image slots whose picture is the one the
    session holds under that tag already. ``request``: further :class:`RenderRequest` fields.

    :return: the request, and the tags whose earlier image in the session was replaced (other content under
        the same tag), for the caller to say so.
    :raise TemplateError: an unknown or empty slot; :raise UploadError: a given image cannot be used.
    """
    limits = session.store.limits
    held = tag_map(session)
    kept = {image_slot(template.slots, name, template.name).layer for name in keep}
    given: dict[str, Path | bytes] = {**(images or {})}
    given.update({layer: _held(held, layer) for layer in kept})
    filled = fill_template(template, images=given, texts=texts, limits=limits, **request)
    chosen = {**template.images}
    for name, data in (images or {}).items():
        chosen[image_slot(template.slots, name, template.name).layer] = data
    assets = {asset.tag.casefold(): asset for asset in session.manifest().assets}
    replaced: list[str] = []
    for tag, data in chosen.items():
        if tag in kept:
            continue
        present = assets.get(tag.casefold())
        if present is not None and present.sha256 == hashlib.sha256(data).hexdigest():
            continue
        if present is not None:
            remove_image(session, present.id)
            replaced.append(present.tag)
        added = add_image(session, f"{tag}.png", data)
        if added.tag != tag:
            set_tag(session, added.id, tag)
    return filled.request, tuple(replaced)


def _held(held: Mapping[str, Path], tag: str) -> Path:
    return next(path for name, path in held.items() if tag_key(name) == tag_key(tag))


def fill_in_session(
    session: Session, template: Template | str, values: Mapping[str, str], *, url: str | None = None, **request: object
) -> tuple[RenderRequest, tuple[str, ...]]:
    """``template`` (or its name) rendered in ``session`` with ``values`` by slot: words for a text slot, the
    tag of one of the session's images for an image slot (``@shoe`` or ``shoe``), as ``--set`` does.

    :return: the request and the tags whose earlier image was replaced (see :func:`open_in_session`).
    :raise UnknownTemplateError: no such template; :raise TemplateError: an unknown or empty slot;
        :raise TagError: an image slot given a tag the session does not hold.
    """
    template = load_template(template, url) if isinstance(template, str) else template
    texts, chosen = _slot_values(session, template, values)
    images: dict[str, bytes] = {}
    keep: list[str] = []
    for slot, asset in chosen.items():
        if tag_key(asset.tag) == tag_key(slot.layer):
            keep.append(slot.name)  # the session's own @product for {product}: used as it is
        else:
            images[slot.name] = (session.uploads / asset.file).read_bytes()
    return open_in_session(session, template, texts=texts, images=images, keep=keep, **request)


def understand_in_session(
    session: Session,
    template: Template | str,
    values: Mapping[str, str],
    *,
    url: str | None = None,
    kit: BrandKit | None = None,
    **request: object,
) -> Understood:
    """What :func:`fill_in_session` (then :func:`equip` with ``kit``) would render, understood, with nothing put
    into the session: its images as they would be then (an edit may name any of them).

    :raise UnknownTemplateError, TemplateError, TagError: as :func:`fill_in_session`.
    """
    template = load_template(template, url) if isinstance(template, str) else template
    limits = session.store.limits
    texts, chosen = _slot_values(session, template, values)
    images = {slot.name: session.uploads / asset.file for slot, asset in chosen.items()}
    filled = fill_template(template, images=images, texts=texts, limits=limits, **request)
    sizes = {asset.tag: (asset.width, asset.height) for asset in session.manifest().assets}
    for tag, path in kit.images if kit else ():
        if tag_key(tag) not in {tag_key(t) for t in sizes}:
            with Image.open(path) as picture:  # its header: the size, as the upload would have it
                sizes[tag] = picture.size
    filled_keys = {tag_key(tag) for tag in filled.images}
    sizes = {tag: size for tag, size in sizes.items() if tag_key(tag) not in filled_keys}
    return understand(filled.request, {**sizes, **sizes_of(filled.images)}, limits=limits)


def _slot_values(
    session: Session, template: Template, values: Mapping[str, str]
) -> tuple[dict[str, str], dict[Slot, Asset]]:
    """``values`` split by slot kind: (words by slot name, the session's image chosen for each image slot)."""
    texts: dict[str, str] = {}
    images: dict[Slot, Asset] = {}
    assets = session.manifest().assets
    for name, value in values.items():
        slot = find_slot(template.slots, name, template.name)
        if slot.kind is SlotKind.TEXT:
            texts[name] = value
        else:
            images[slot] = _session_image(assets, slot.label, value)
    return texts, images


def _session_image(assets: tuple[Asset, ...], label: str, value: str) -> Asset:
    """The session's image tagged ``value`` (with or without its @, any case).

    :raise TagError: none, naming the session's tags.
    """
    wanted = tag_key(value.strip().removeprefix("@"))
    for asset in assets:
        if tag_key(asset.tag) == wanted:
            return asset
    bare = value.strip().removeprefix("@")[:40]
    tags = ", ".join(f"@{a.tag}" for a in assets)
    if bare and not value.strip().startswith("@") and len(bare.split()) > 1:  # words, not a tag
        raise TagError(
            f"{label} is an image slot — give it one of the session's images by its tag "
            f'({tags or "none yet; upload one"}), not words ("{bare}").'
        )
    said = f"no image @{bare}" if bare else "no image named"
    if not assets:
        raise TagError(f"{label} is an image slot, and this session has {said} — it has no images yet; upload one.")
    raise TagError(f"{label} is an image slot, and this session has {said} — give it one of its images: {tags}.")
