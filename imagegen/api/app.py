"""The routes: each opens the session named in its path and calls what the Streamlit app calls.

Sessions are the app's (the same store folder, so ``?s=<id>`` opens an API session in the app and an app
session's id works here); renders take their turn in the process's one render queue, and a client is
refused (429) rather than queued when the line is already long, so it cannot crowd out the browser users.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, File, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response

from imagegen.api import errors, library
from imagegen.api.body import BodyLimit
from imagegen.api.errors import NotFoundError, RenderFailedError, UnauthorizedError
from imagegen.api.schemas import (
    DuplicateOut,
    ExplainOut,
    GenerateOut,
    ImageOut,
    RefusedOut,
    RenderBody,
    SessionOut,
    TagBody,
    TagsBody,
    TagsOut,
    TemplateBody,
    TemplateRenderOut,
    UploadOut,
)
from imagegen.errors import RenderError, SessionError, TagError, UploadError
from imagegen.export import OutputFormat
from imagegen.library import load_template
from imagegen.prompt.brand import speaking
from imagegen.service import Understood
from imagegen.service.library import brand_words, equip, fill_in_session, understand_in_session
from imagegen.service.outputs import understand, write_outputs
from imagegen.service.queue import RenderQueue, shared_queue
from imagegen.store.assets import add_images, set_tags
from imagegen.store.images import ALLOWED_LABEL, check_file_bytes, display_name
from imagegen.store.session import Asset, Manifest, Output, Session, SessionStore

log = logging.getLogger(__name__)

#: A JSON body (a prompt, edits, tags) is small; anything larger is refused before it is read.
JSON_BODY_BYTES = 1024 * 1024
#: Files one upload request may carry at the largest size each (the request's body limit follows).
FILES_PER_REQUEST = 10


@dataclass(frozen=True)
class ApiSettings:
    """How the API runs: its store and queue (the process's own by default), the token, the line length.

    :param max_waiting: renders allowed to wait in line when this request arrives; past that it is refused
        with 429. The app's users are never refused: they wait, told their place in line.
    :param app_url: the Streamlit app's address, so a session's ``app_link`` opens it ("" = a path only).
    :param library_url: the team library's database, as the command line's ``--db`` (None: the environment's
        ``IMAGEGEN_DATABASE_URL``, else SQLite in the data folder).
    :param app_kit: the app's brand kit, used when a request names none (a folder, or a saved kit's name;
        see :func:`imagegen.service.library.app_kit`).
    """

    store: SessionStore = field(default_factory=SessionStore)
    queue: RenderQueue = field(default_factory=shared_queue)
    token: str | None = None
    max_waiting: int = 4
    app_url: str = ""
    library_url: str | None = None
    app_kit: Path | str | None = None


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or ApiSettings()
    app = FastAPI(
        title="imagegen API",
        summary="Sessions, uploads, tags and renders: the imagegen app's service, over HTTP.",
        version="1",
        dependencies=[Depends(_authorised)],
    )
    app.state.settings = settings
    errors.install(app)
    upload_bytes = settings.store.limits.max_file_bytes * FILES_PER_REQUEST + JSON_BODY_BYTES
    app.add_middleware(
        BodyLimit, limit_for=lambda path: upload_bytes if path.startswith("/upload/") else JSON_BODY_BYTES
    )
    routes = (
        ("/session/create/", create_session, "POST", 201),
        ("/session/{session_id}/", get_session, "GET", 200),
        ("/session/{session_id}/", delete_session, "DELETE", 200),
        ("/upload/{session_id}/", upload, "POST", 201),
        ("/session/{session_id}/tag/", tag, "POST", 200),
        ("/session/{session_id}/tags/batch/", tags_batch, "POST", 200),
        ("/session/{session_id}/generate/", generate, "POST", 201),
        ("/session/{session_id}/explain/", explain, "POST", 200),
        ("/session/{session_id}/uploads/{name}", upload_file, "GET", 200),
        ("/session/{session_id}/output/{name}", output_file, "GET", 200),
        ("/session/{session_id}/template/", render_template, "POST", 201),
        ("/session/{session_id}/template/explain/", explain_template, "POST", 200),
        ("/templates/", library.templates, "GET", 200),
        ("/templates/{name}", library.template, "GET", 200),
        ("/templates/{name}/thumbnail", library.thumbnail, "GET", 200),
        ("/templates/{name}/images/{slot}", library.slot_image, "GET", 200),
        ("/kits/", library.kits, "GET", 200),
    )
    for path, endpoint, method, status in routes:
        app.add_api_route(path, endpoint, methods=[method], status_code=status)
    return app


def _settings(request: Request) -> ApiSettings:
    return request.app.state.settings


def _authorised(request: Request) -> None:
    """With a token configured, every route needs ``Authorization: Bearer <token>`` (docs stay open)."""
    token = _settings(request).token
    if not token:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), token.encode()):
        raise UnauthorizedError("This API needs a token: send the header 'Authorization: Bearer <token>'.")


def _session(session_id: str, request: Request) -> Session:
    """The live session ``session_id`` (touched, as the app does); unknown, malformed or expired: 404."""
    try:
        return _settings(request).store.open(session_id)
    except SessionError as exc:
        raise NotFoundError(str(exc)) from None


Settings = Annotated[ApiSettings, Depends(_settings)]
Open = Annotated[Session, Depends(_session)]


# --- sessions ------------------------------------------------------------------------------------------
def create_session(settings: Settings) -> SessionOut:
    """A new empty session; its ``app_link`` opens it in the Streamlit app."""
    return SessionOut.of(settings.store.create(), settings.app_url)


def get_session(session: Open, settings: Settings) -> SessionOut:
    """The session's images (with tags) and outputs, and when it expires if left idle."""
    return SessionOut.of(session, settings.app_url)


def delete_session(session: Open, settings: Settings) -> dict[str, str]:
    """Delete the session and every file in it (as the app's *New session*)."""
    settings.store.delete(session.id)
    return {"deleted": session.id}


# --- images and tags -----------------------------------------------------------------------------------
def upload(
    session: Open,
    files: Annotated[list[UploadFile], File(description=f"One or many images ({ALLOWED_LABEL}).")],
) -> Response:
    """Add images; each file is checked, stored and tagged (from its name) on its own, as in the app.

    201 when at least one was added; when none was, the first refusal's status (413 too large, 415 not an
    image, 400 damaged) with every refusal listed.
    """
    limits = session.store.limits
    readable: list[tuple[str, bytes]] = []
    refused: list[UploadError] = []
    for item in files:
        name = item.filename or ""
        try:
            check_file_bytes(display_name(name), item.size or 0, limits)  # before reading it into memory
        except UploadError as exc:
            refused.append(exc)
            continue
        readable.append((name, item.file.read()))
    result = add_images(session, readable, refuse_duplicates=True)
    refused += result.errors
    body = UploadOut(
        added=[ImageOut.of(session, a) for a in result.added],
        duplicates=[DuplicateOut(error=str(d), image=ImageOut.of(session, d.existing)) for d in result.duplicates],
        errors=[RefusedOut(**errors.error_body(e)) for e in refused],
    )
    if not result.added and refused:
        return errors.error_response(refused[0], **body.model_dump(include={"added", "duplicates", "errors"}))
    return JSONResponse(body.model_dump(), status_code=201 if result.added else 200)


def tag(session: Open, body: TagBody) -> TagsOut:
    """Give one image a new tag (the same rules as the app's tag box)."""
    return _retag(session, {body.file: body.tag})


def tags_batch(session: Open, body: TagsBody) -> TagsOut:
    """Give several images new tags at once: all or nothing, and two tags may be swapped."""
    if not body.tags:
        raise TagError('No tags given — send {"tags": {"<image>": "<new tag>", ...}}.')
    return _retag(session, body.tags)


def _retag(session: Session, wanted: dict[str, str]) -> TagsOut:
    manifest = session.manifest()
    by_id: dict[str, str] = {}
    for ref, new_tag in wanted.items():
        by_id[_asset(manifest, ref).id] = new_tag
    changed = set_tags(session, by_id)
    return TagsOut(images=[ImageOut.of(session, a) for a in changed])


def _asset(manifest: Manifest, ref: str) -> Asset:
    """The image ``ref`` names: its id, stored name, tag (any case) or upload name (when only one has it)."""
    for asset in manifest.assets:
        if ref in (asset.id, asset.file, asset.thumb) or ref.lower() == asset.tag.lower():
            return asset
    named = [a for a in manifest.assets if a.original_name == display_name(ref)]
    if len(named) == 1:
        return named[0]
    if named:
        ids = ", ".join(a.id for a in named)
        raise TagError(f"{len(named)} images were uploaded as {named[0].original_name}; name one by its id ({ids}).")
    raise NotFoundError(f"No image {ref[:80]!r} in this session — use an id, tag or file name from the session.")


# --- renders -------------------------------------------------------------------------------------------
def explain(session: Open, body: RenderBody, request: Request) -> ExplainOut:
    """How the prompt (with the options, edits and brand kit) is understood, and every warning; nothing renders.

    A named ``brand`` kit gives the session its images (as the app does), so its tags are understood.
    """
    words = library.equipped(session, library.named_kit(body.brand, request), request)
    with speaking(words):
        return ExplainOut.of(understand(session, body.request(session.store.limits, words)))


def generate(session: Open, body: RenderBody, settings: Settings, request: Request) -> GenerateOut:
    """Render the prompt into the session's outputs (it shows in the app's History), in the render queue.

    429 when too many renders are waiting already (nothing started; try again after ``Retry-After``).
    """
    words = library.equipped(session, library.named_kit(body.brand, request), request)
    with speaking(words):
        understood = understand(session, body.request(session.store.limits, words))  # a bad prompt never waits
        with settings.queue.turn(max_waiting=settings.max_waiting):
            outputs = _write(session, understood)
        return GenerateOut.made(session, understood, outputs)


def render_template(session: Open, body: TemplateBody, settings: Settings, request: Request) -> TemplateRenderOut:
    """Render a saved template in the session with some slots set (as ``render --template NAME --set``).

    Its pictures go into the session under its tags (as the app's *Open*): an image slot set to one of the
    session's images gets that picture, the others the saved ones; ``replaced`` names the tags whose earlier
    picture was replaced. The output is the session's like any other (History, *Change it*).
    """
    kit = library.named_kit(body.brand, request)
    words = brand_words(kit, settings.library_url)
    template = load_template(body.template, settings.library_url)
    options = {"brand": words, **body.settings(session.store.limits)}
    with speaking(words):
        # Every check first, with nothing changed: a refused request changes nothing and never waits in line.
        understand_in_session(session, template, body.values, kit=kit, **options)
        with settings.queue.turn(max_waiting=settings.max_waiting):
            filled, replaced = fill_in_session(session, template, body.values, **options)
            equip(session, kit)
            understood = understand(session, filled)
            outputs = _write(session, understood)
        made = GenerateOut.made(session, understood, outputs)
    return TemplateRenderOut(**made.model_dump(), replaced=list(replaced))


def explain_template(session: Open, body: TemplateBody, settings: Settings, request: Request) -> ExplainOut:
    """How the template with these slots set would be understood, and every warning: the same checks as
    ``/template/`` (slots, the session's tags, the kit), with nothing rendered and nothing put into the session."""
    kit = library.named_kit(body.brand, request)
    words = brand_words(kit, settings.library_url)
    with speaking(words):
        understood = understand_in_session(
            session,
            body.template,
            body.values,
            url=settings.library_url,
            kit=kit,
            brand=words,
            **body.settings(session.store.limits),
        )
        return ExplainOut.of(understood)


def _write(session: Session, understood: Understood) -> list[Output]:
    """The files of ``understood`` (the caller holds its turn in the render queue)."""
    try:
        return write_outputs(session, understood)
    except RenderError as exc:  # understood, so not the request's fault: the writing failed
        log.exception("session %s: render failed", session.id[:8])
        raise RenderFailedError(f"{exc} Nothing was saved.") from exc


# --- files ---------------------------------------------------------------------------------------------
def upload_file(session: Open, name: str) -> FileResponse:
    """An uploaded image as the session stores it (a PNG), by its stored name, tag, id or upload name."""
    asset = _asset(session.manifest(), name)
    stored = asset.thumb if name == asset.thumb else asset.file
    return FileResponse(_file(session, session.uploads, stored), media_type="image/png")


def output_file(session: Open, name: str) -> FileResponse:
    """A rendered file of the session, by its name (or id), as the app's download button gives it."""
    output = next((o for o in session.manifest().outputs if name in (o.file, o.id)), None)
    if output is None:
        raise NotFoundError(f"No output {name[:80]!r} in this session.")
    fmt = OutputFormat(output.format)
    return FileResponse(_file(session, session.outputs, output.file), media_type=fmt.mime, filename=output.file)


def _file(session: Session, folder: Path, name: str) -> Path:
    """A plain file in the folder (never through a link); gone meanwhile: 404."""
    try:
        return session.path_of(folder, name)
    except SessionError as exc:
        raise NotFoundError(str(exc)) from None
