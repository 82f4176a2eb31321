"""The team library over HTTP: the saved templates (their slots and thumbnails) and brand kits, a template
rendered in a session with its slots set, and a kit named for a session's explain and generate.

Everything is the service's (:mod:`imagegen.service.library`), as for the app and the command line: which
kit a name means, what a kit adds to a session, how a slot is filled.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from imagegen.api.errors import NotFoundError
from imagegen.api.schemas import KitOut, KitsOut, TemplateOut, TemplatesOut
from imagegen.library import BrandKit, list_templates, load_template
from imagegen.library.store import blob
from imagegen.prompt import BrandWords
from imagegen.service.library import brand_words, equip, find_kit, saved_kits
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


def kits(request: Request) -> KitsOut:
    """The brand kits saved in the library: their colours, fonts, images and the words they add."""
    return KitsOut(kits=[KitOut.of(kit) for kit in saved_kits(library_url(request))])


def named_kit(name: str | None, request: Request) -> BrandKit | None:
    """The saved kit ``brand`` names (None for none). Never a folder on the server: a client names saved kits.

    :raise UnknownKitError: no saved kit by that name (404, naming the kits there are).
    """
    return find_kit(name, library_url(request), folders=False)


def equipped(session: Session, kit: BrandKit | None, request: Request) -> BrandWords | None:
    """What the session's prompts are read with: the kit's words and the team's fonts; the kit's images are
    put into the session first (as the app does), so its tags are the session's."""
    equip(session, kit)
    return brand_words(kit, library_url(request))
