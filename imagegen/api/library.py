"""The team library over HTTP: the saved templates (their slots and thumbnails) and brand kits, a template
rendered in a session with its slots set, and a kit named for a session's explain and generate.

Everything is the service's (:mod:`imagegen.service.library`), as for the app and the command line: which
kit a name means, what a kit adds to a session, how a slot is filled.
"""

from __future__ import annotations

import io
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response
from PIL import Image

from imagegen.api.errors import NotFoundError
from imagegen.api.schemas import KitOut, KitsOut, TemplateOut, TemplatesOut
from imagegen.library import BrandKit, list_templates, load_template
from imagegen.library.store import blob
from imagegen.library.templates import SlotKind, find_slot
from imagegen.prompt import BrandWords
from imagegen.service.library import brand_words, equip, requested_kit, saved_kits
from imagegen.store.session import Session


def library_url(request: Request) -> str | None:
    return request.app.state.settings.library_url


def templates(request: Request) -> TemplatesOut:
    """Every saved template, newest first: its prompt, its slots (kind and saved value) and a thumbnail URL."""
    return TemplatesOut(templates=[TemplateOut.of(info) for info in list_templates(library_url(request))])


def template(name: str, request: Request) -> TemplateOut:
    """One template by its name (any case); 404 names the ones there are."""
    return TemplateOut.of(load_template(name, library_url(request)).info)


def thumbnail(name: str, request: Request) -> Response:
    """The template's thumbnail: a WebP of its first frame, 320 px on its longer side, as saved."""
    url = library_url(request)
    info = load_template(name, url).info
    data = blob(info.thumbnail, url) if info.thumbnail else None
    if not data:
        raise NotFoundError(f"The template '{info.name}' has no thumbnail — save it again to make one.")
    return Response(data, media_type="image/webp")


def slot_image(name: str, slot: str, request: Request) -> Response:
    """The picture saved for an image slot of the template (the file as it was given), e.g. to show what a
    slot left out keeps."""
    saved = load_template(name, library_url(request))
    chosen = find_slot(saved.slots, slot, saved.name)
    if chosen.kind is SlotKind.TEXT:
        raise NotFoundError(f"{chosen.label} is a text slot, with no picture: its saved words are “{chosen.saved}”.")
    data = saved.images.get(chosen.layer, b"")
    if not data:
        raise NotFoundError(f"The template '{saved.name}' has lost the picture of {chosen.label}.")
    return Response(data, media_type=picture_type(data))


def picture_type(data: bytes) -> str:
    """The MIME type of a saved picture, by its content (PNG, JPEG, WebP, GIF or BMP, as uploads are)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return Image.MIME.get(image.format or "", "application/octet-stream")
    except (OSError, ValueError):
        return "application/octet-stream"


def kits(request: Request) -> KitsOut:
    """The brand kits: the app's own (its repository folder, when it has one) and those saved in the library,
    with their colours, fonts, images and the words they add; ``default`` marks the one used when a request
    names none."""
    url, app = library_url(request), app_kit(request)
    default = requested_kit(None, url, app=app)
    found = [default] if default is not None and isinstance(app, Path) else []
    found += [kit for kit in saved_kits(url) if not found or kit.name != found[0].name]
    return KitsOut(kits=[KitOut.of(kit, default=default is not None and kit.name == default.name) for kit in found])


def app_kit(request: Request) -> Path | str | None:
    return request.app.state.settings.app_kit


def named_kit(name: str | None, request: Request) -> BrandKit | None:
    """The kit ``brand`` names: a saved kit or the app's own by its name; left out, the app's kit (as in the
    app's sessions); "" none. Never a folder on the server: a client names kits, not the server's files.

    :raise UnknownKitError: no kit by that name (404, naming the kits there are).
    """
    return requested_kit(name, library_url(request), app=app_kit(request))


def equipped(session: Session, kit: BrandKit | None, request: Request) -> BrandWords | None:
    """What the session's prompts are read with: the kit's words and the team's fonts; the kit's images are
    put into the session first (as the app does), so its tags are the session's."""
    equip(session, kit)
    return brand_words(kit, library_url(request))
