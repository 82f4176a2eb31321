"""A session's images and their tags: add (each file on its own), remove, tag, batch-tag, tag map.

Decoding happens outside the session lock (it is the slow part); files are written under generated names
and only then recorded in the manifest, so a failure never leaves a half-recorded image, and a refused
file never changes what the session already holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from imagegen.errors import SessionError, TagError, UploadError, UploadTooLargeError
from imagegen.files import format_bytes
from imagegen.store.cleanup import DEFAULT_TOLERANCE, flat_border, knock_out
from imagegen.store.images import UNNAMED, DecodedImage, decode_image, display_name, stored_form, thumbnail
from imagegen.store.session import Asset, Manifest, Session
from imagegen.store.tags import auto_tag, validate_tag

log = logging.getLogger(__name__)


class DuplicateUploadError(UploadError):
    """The session already holds a file with exactly these bytes; it was not added again."""

    def __init__(self, name: str, existing: Asset) -> None:
        super().__init__(f"{name} is already uploaded as @{existing.tag}; it was not added again.")
        self.existing = existing


@dataclass(frozen=True)
class AddResult:
    """What happened to each file of one upload: the kept ones, the duplicates and one error per refused file."""

    added: tuple[Asset, ...]
    errors: tuple[UploadError, ...]
    duplicates: tuple[DuplicateUploadError, ...] = ()


def add_images(session: Session, files: Iterable[tuple[str, bytes]], *, refuse_duplicates: bool = False) -> AddResult:
    """Add several uploads; each succeeds or fails on its own.

    :param refuse_duplicates: a file whose exact bytes the session holds already (from an earlier upload
        or earlier in this batch) is not added again but reported in ``duplicates`` (the app does this).
    """
    added: list[Asset] = []
    errors: list[UploadError] = []
    duplicates: list[DuplicateUploadError] = []
    for filename, data in files:
        try:
            added.append(add_image(session, filename, data, refuse_duplicate=refuse_duplicates))
        except DuplicateUploadError as exc:
            duplicates.append(exc)
        except UploadError as exc:
            errors.append(exc)
    return AddResult(tuple(added), tuple(errors), tuple(duplicates))


def add_image(session: Session, filename: str, data: bytes, *, refuse_duplicate: bool = False) -> Asset:
    """Validate, store and auto-tag one upload.

    :raise DuplicateUploadError: with ``refuse_duplicate``, when the session holds these exact bytes
        already (its content hash); the session is unchanged.
    :raise UploadError: the file is refused; the session is unchanged.
    :raise SessionExpiredError: the session went away meanwhile.
    """
    limits = session.store.limits
    decoded = decode_image(filename, data, limits)
    name = display_name(filename)
    asset_id = secrets.token_hex(8)
    png, thumb = _encode(decoded)
    digest = hashlib.sha256(data).hexdigest()
    with session.edit() as draft:
        manifest = draft.manifest
        existing = next((a for a in manifest.assets if a.sha256 == digest), None)
        if refuse_duplicate and existing is not None:
            raise DuplicateUploadError(name, existing)
        if session.uploads.is_symlink() or not session.uploads.is_dir():
            # Only someone with access to the data folder can plant this; never write through it.
            raise SessionError("This session's uploads folder is not a plain folder; start a new session.")
        _check_session_room(name, manifest, session, len(png) + len(thumb))
        files = (session.uploads / f"{asset_id}.png", session.uploads / f"{asset_id}.thumb.png")
        try:
            _write_upload(name, files[0], png, session)
            _write_upload(name, files[1], thumb, session)
            # A name with nothing usable left gets the numbered fallback (Image1...), not the placeholder.
            tag_source = "" if name == UNNAMED else name
            tag, next_number = auto_tag(tag_source, [a.tag for a in manifest.assets], manifest.next_image_number)
            asset = Asset(
                id=asset_id,
                tag=tag,
                original_name=name,
                file=files[0].name,
                thumb=files[1].name,
                width=decoded.size[0],
                height=decoded.size[1],
                has_alpha=decoded.has_alpha,
                source_format=decoded.source_format,
                bytes=len(data),
                added=session.store.clock(),
                sha256=digest,
                animated=decoded.animated,
                plain_background=_plain_background(decoded),
            )
            draft.manifest = replace(manifest, assets=(*manifest.assets, asset), next_image_number=next_number)
        except BaseException:
            for path in files:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            raise
    log.info("session %s: added %s as @%s", session.id[:8], name, tag)
    return asset


def remove_image(session: Session, asset_id: str) -> Asset:
    """Remove an image and its tag; returns what was removed."""
    with session.lock():  # re-entrant: the files go after the manifest is saved, under the same lock
        with session.edit() as draft:
            asset = draft.manifest.asset(asset_id)
            draft.manifest = replace(draft.manifest, assets=tuple(a for a in draft.manifest.assets if a.id != asset_id))
        for name in (asset.file, asset.thumb, asset.original_file):
            if name is None:
                continue
            with contextlib.suppress(FileNotFoundError):
                (session.uploads / name).unlink()
    return asset


def _plain_background(decoded: DecodedImage) -> tuple[int, int, int] | None:
    border = None if decoded.has_alpha else flat_border(decoded.image)
    return None if border is None else border.colour


def remove_background(
    session: Session, asset_id: str, *, tolerance: int = DEFAULT_TOLERANCE, inside: bool = False
) -> Asset:
    """Knock out the plain background of an uploaded image; the tag stays, the original is kept for undo.

    :param inside: also the background colour the mark encloses (the triangle inside an "A").
    :raise SessionError: the image is gone, or has no plain background to remove (nothing changes).
    :raise UploadError: the cleaned copy could not be stored (the session keeps the original).
    """
    asset = session.manifest().asset(asset_id)
    if asset.plain_background is None:
        raise SessionError(f"@{asset.tag} has no plain background to remove; nothing was changed.")
    with Image.open(session.uploads / asset.file) as stored:
        # ``everywhere`` on an opaque image = the border's region plus every enclosed one
        cleaned = knock_out(stored, asset.plain_background, tolerance, everywhere=inside)
    if cleaned is stored or cleaned.mode != "RGBA":
        raise SessionError(f"@{asset.tag}: no pixel of its background colour touches the border; nothing changed.")
    return _replace_pixels(session, asset, cleaned, original_file=asset.file, plain_background=None)


def restore_original(session: Session, asset_id: str) -> Asset:
    """Undo :func:`remove_background`: the image as uploaded is back under the same tag."""
    asset = session.manifest().asset(asset_id)
    if asset.original_file is None:
        raise SessionError(f"@{asset.tag} is already the image as uploaded; nothing was changed.")
    with Image.open(session.uploads / asset.original_file) as original:
        original.load()
        border = flat_border(original)
    thumb = io.BytesIO()
    thumbnail(original).save(thumb, format="PNG", optimize=True)
    thumb_name = f"{asset.id}.{secrets.token_hex(4)}.thumb.png"
    with session.lock():  # re-entrant: the old files go after the manifest is saved
        _write_upload(asset.original_name, session.uploads / thumb_name, thumb.getvalue(), session)
        with session.edit() as draft:
            current = draft.manifest.asset(asset_id)
            restored = replace(
                current,
                file=asset.original_file,
                thumb=thumb_name,
                has_alpha=original.mode == "RGBA",
                plain_background=None if border is None else border.colour,
                original_file=None,
            )
            assets = tuple(restored if a.id == asset_id else a for a in draft.manifest.assets)
            draft.manifest = replace(draft.manifest, assets=assets)
        for name in (current.file, current.thumb):
            with contextlib.suppress(FileNotFoundError):
                (session.uploads / name).unlink()
    return restored


def _replace_pixels(session: Session, asset: Asset, image: Image.Image, **changes: object) -> Asset:
    """Store ``image`` as the asset's pixels under new file names, then switch the manifest to them."""
    png, thumb = io.BytesIO(), io.BytesIO()
    image.save(png, format="PNG", compress_level=1)
    thumbnail(image).save(thumb, format="PNG", optimize=True)
    stem = f"{asset.id}.{secrets.token_hex(4)}"
    files = (session.uploads / f"{stem}.png", session.uploads / f"{stem}.thumb.png")
    with session.lock():
        limits = session.store.limits
        used = session.bytes_used() + png.tell() + thumb.tell()
        if used > limits.max_session_bytes:
            raise UploadError(
                f"{asset.original_name}: the cleaned copy would take the session to {format_bytes(used)}, over the"
                f" {format_bytes(limits.max_session_bytes)} limit; remove some images or outputs first."
            )
        try:
            _write_upload(asset.original_name, files[0], png.getvalue(), session)
            _write_upload(asset.original_name, files[1], thumb.getvalue(), session)
            with session.edit() as draft:
                current = draft.manifest.asset(asset.id)
                updated = replace(current, file=files[0].name, thumb=files[1].name, has_alpha=True, **changes)
                assets = tuple(updated if a.id == asset.id else a for a in draft.manifest.assets)
                draft.manifest = replace(draft.manifest, assets=assets)
        except BaseException:
            for path in files:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            raise
        with contextlib.suppress(FileNotFoundError):
            (session.uploads / current.thumb).unlink()
    log.info("session %s: knocked out the background of @%s", session.id[:8], current.tag)
    return updated


def set_tag(session: Session, asset_id: str, tag: str) -> Asset:
    """Give one image a new tag (validated; unique ignoring case)."""
    return set_tags(session, {asset_id: tag})[0]


def set_tags(session: Session, mapping: Mapping[str, str]) -> tuple[Asset, ...]:
    """Assign several tags at once, all or nothing.

    Tags are checked against the session *after* the whole batch applies, so swapping two tags works.

    :raise TagError: naming the first bad tag; nothing is changed.
    """
    with session.edit() as draft:
        manifest = draft.manifest
        unknown = [asset_id for asset_id in mapping if asset_id not in {a.id for a in manifest.assets}]
        if unknown:
            raise TagError(f"No image with id {unknown[0]!r} in this session; nothing was changed.")
        new_assets = _retagged(manifest, mapping)
        draft.manifest = replace(manifest, assets=new_assets)
    changed = set(mapping)
    return tuple(a for a in new_assets if a.id in changed)


def tag_map(session: Session) -> dict[str, Path]:
    """Tag (as displayed) -> stored normalised PNG, for the renderer."""
    manifest = session.manifest()
    return {a.tag: session.uploads / a.file for a in manifest.assets}


def thumb_map(session: Session) -> dict[str, Path]:
    """Tag (as displayed) -> the stored 256x256 thumbnail (letterboxed on transparency), for palettes."""
    manifest = session.manifest()
    return {a.tag: session.uploads / a.thumb for a in manifest.assets if a.thumb}


def tags(session: Session) -> list[str]:
    return [a.tag for a in session.manifest().assets]


def _retagged(manifest: Manifest, mapping: Mapping[str, str]) -> tuple[Asset, ...]:
    final = {a.id: mapping.get(a.id, a.tag) for a in manifest.assets}
    by_id = {a.id: a for a in manifest.assets}
    cleaned: dict[str, str] = {}
    for asset_id, tag in mapping.items():
        others = [t for other_id, t in final.items() if other_id != asset_id]
        try:
            cleaned[asset_id] = validate_tag(tag, others)
        except TagError as exc:
            name = by_id[asset_id].original_name
            raise TagError(f"{name}: {exc} Nothing was changed.") from exc
        final[asset_id] = cleaned[asset_id]
    return tuple(replace(a, tag=cleaned.get(a.id, a.tag)) for a in manifest.assets)


def _encode(decoded: DecodedImage) -> tuple[bytes, bytes]:
    """The normalised PNG (fast compression: it is a working copy) and a small thumbnail."""
    image_buffer, thumb_buffer = io.BytesIO(), io.BytesIO()
    stored_form(decoded).save(image_buffer, format="PNG", compress_level=1)
    thumbnail(decoded.image).save(thumb_buffer, format="PNG", optimize=True)
    return image_buffer.getvalue(), thumb_buffer.getvalue()


def _write_upload(name: str, path: Path, data: bytes, session: Session) -> None:
    try:
        session.write_file(path, data)
    except SessionError:
        raise
    except OSError as exc:
        # e.g. disk full: the caller removes what was written; the session keeps what it had.
        raise UploadError(
            f"{name}: could not be saved ({exc.strerror or exc}); the session is unchanged — try again later."
        ) from exc


def _check_session_room(name: str, manifest: Manifest, session: Session, extra: int) -> None:
    limits = session.store.limits
    if len(manifest.assets) >= limits.max_images_per_session:
        raise UploadError(
            f"{name}: this session already holds {limits.max_images_per_session} images, the most allowed;"
            " remove one first."
        )
    used = session.bytes_used()
    if used + extra > limits.max_session_bytes:
        raise UploadTooLargeError(
            f"{name}: the session would use {format_bytes(used + extra)}, over the"
            f" {format_bytes(limits.max_session_bytes)} limit per session; remove some images or outputs first."
        )
