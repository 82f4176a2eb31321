"""The JSON bodies of the API, and their translation: JSON -> RenderRequest, Understood/Output/Asset -> JSON.

Every value that decides what a file looks like is parsed by the engine (sizes by the prompt's canvas
words, formats by their records, limits by the service); these models only carry them.
"""

from __future__ import annotations

from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from imagegen.export import OutputFormat
from imagegen.export.formats import all_suffixes, tunable_names
from imagegen.library import BrandKit, SlotKind, TemplateInfo
from imagegen.limits import Limits
from imagegen.prompt import BrandWords, parse_canvas_size
from imagegen.prompt.explain import describe_scene
from imagegen.render.text import fit_text
from imagegen.service import Overrides, RenderRequest, Understood
from imagegen.service.sizes import parse_sizes
from imagegen.store.session import Asset, Output, Session

#: Follow-up edits one request may carry (each is parsed like a prompt).
MAX_EDITS = 20


class OptionsBody(BaseModel):
    """The app's Advanced options and a brand kit: what every render request may add to its prompt or template."""

    model_config = ConfigDict(extra="forbid")

    format: str | None = Field(
        None, description=f"One of {all_suffixes(', ')} (the dot may be left out); default: PNG or GIF."
    )
    size: str | None = Field(None, description='Canvas, "1200x628" or a canvas word ("story"); default: the prompt\'s.')
    sizes: list[str] | str | None = Field(
        None, description='One file per size, the design re-flowed: ["instagram", "story"] or "instagram,story".'
    )
    fps: float | None = Field(None, description="Frames per second of an animation; default: the prompt's.")
    duration: float | None = Field(None, description="Seconds an animation lasts; default: the prompt's.")
    edits: list[str] = Field(default_factory=list, max_length=MAX_EDITS, description="Follow-up edits, in order.")
    quality: int = Field(90, ge=1, le=100, description=f"1-100, for {tunable_names()}.")
    brand: str | None = Field(
        None,
        description="A brand kit by name (GET /kits/), as the command line's --brand NAME: its colours and fonts are "
        "words of the prompt, its images become the session's tags (a tag it has already is kept). Left out: the "
        "app's kit, as in the app's sessions (none when the app has none); \"\": no kit.",
    )

    def settings(self, limits: Limits) -> dict[str, object]:
        """The RenderRequest fields these options set (the engine parses each value).

        :raise PromptError, LimitError, RenderError: a size or format that cannot be used (the engine's words).
        """
        return {
            "fmt": OutputFormat.from_suffix(self.format) if self.format else None,
            "sizes": tuple(parse_sizes(self.sizes, limits=limits)) if self.sizes else (),
            "overrides": Overrides(
                size=parse_canvas_size(self.size, limits=limits) if self.size else None,
                duration_s=self.duration,
                fps=self.fps,
            ),
            "edits": tuple(self.edits),
            "quality": self.quality,
        }


class _Prompt(BaseModel):
    prompt: str = Field(description="The prompt, naming images by @tag, as typed in the app.")


class RenderBody(OptionsBody, _Prompt):  # the prompt first in the docs: fields come base class first
    """What ``generate`` and ``explain`` take: the app's prompt box and its Advanced options."""

    def request(self, limits: Limits, brand: BrandWords | None = None) -> RenderRequest:
        """The RenderRequest the app would make from the same prompt and options (read with ``brand``)."""
        return RenderRequest(self.prompt, brand=brand, **self.settings(limits))  # type: ignore[arg-type]


class _Template(BaseModel):
    template: str = Field(description="The template's name (GET /templates/), any case.")
    values: dict[str, str] = Field(
        default_factory=dict,
        alias="set",
        description='Slot -> value: words for a text slot ({"headline": "Winter Sale"}), the tag of one of the '
        'session\'s images for an image slot ({"product": "@shoe"}). A slot left out keeps the saved one.',
    )


class TemplateBody(OptionsBody, _Template):  # the template and its slots first in the docs
    """A saved template rendered in a session: its slots set as the command line's --set does."""


class TagBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str = Field(description="The image: its id, its upload name, its stored name or its current tag.")
    tag: str = Field(description="The new tag (letters, digits, _ and -; unique in the session).")


class TagsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tags: dict[str, str] = Field(description="Image (as in /tag/) -> new tag; all or nothing, swaps allowed.")


class NoticeOut(BaseModel):
    message: str
    kind: str = Field(description="warning, note or scaling (how an image is enlarged or cropped).")


class ChangeOut(BaseModel):
    edit: str
    lines: list[str]


class TargetOut(BaseModel):
    width: int
    height: int
    format: str
    label: str = Field(description='The size\'s label when several sizes were asked for ("story"), else "".')


class ExplainOut(BaseModel):
    """How a request is understood, before any pixel (the lines under the app's prompt box)."""

    lines: list[str]
    mostly_not_understood: bool = Field(description="Much of the prompt was not understood (the app warns).")
    warnings: list[NoticeOut]
    changes: list[ChangeOut]
    targets: list[TargetOut]

    @classmethod
    def of(cls, understood: Understood) -> ExplainOut:
        return cls(**_understood_fields(understood))


class ImageOut(BaseModel):
    id: str
    tag: str
    name: str = Field(description="The file name it was uploaded as.")
    file: str = Field(description="Its stored name, for /uploads/{name}.")
    width: int
    height: int
    has_alpha: bool
    source_format: str
    bytes: int
    animated: bool
    plain_background: bool = Field(description="Opaque with a one-colour border (the app offers to remove it).")
    url: str

    @classmethod
    def of(cls, session: Session, asset: Asset) -> ImageOut:
        return cls(
            id=asset.id,
            tag=asset.tag,
            name=asset.original_name,
            file=asset.file,
            width=asset.width,
            height=asset.height,
            has_alpha=asset.has_alpha,
            source_format=asset.source_format,
            bytes=asset.bytes,
            animated=asset.animated,
            plain_background=asset.plain_background is not None,
            url=f"/session/{session.id}/uploads/{asset.file}",
        )


class OutputOut(BaseModel):
    id: str
    name: str
    format: str
    bytes: int
    frames: int
    prompt: str
    edits: list[str]
    created: float
    url: str

    @classmethod
    def of(cls, session: Session, output: Output) -> OutputOut:
        return cls(
            id=output.id,
            name=output.file,
            format=output.format,
            bytes=output.bytes,
            frames=output.frames,
            prompt=output.prompt,
            edits=list(output.edits),
            created=output.created,
            url=f"/session/{session.id}/output/{output.file}",
        )


class GenerateOut(ExplainOut):
    """What a render made: the first file's name, every file, and the lines about it."""

    name: str
    outputs: list[OutputOut]

    @classmethod
    def made(cls, session: Session, understood: Understood, outputs: list[Output]) -> GenerateOut:
        made = [OutputOut.of(session, o) for o in outputs]
        return cls(name=made[0].name, outputs=made, **_understood_fields(understood))


class SessionOut(BaseModel):
    id: str
    created: float
    last_active: float
    expires_at: float
    app_link: str = Field(description="Opens this session in the Streamlit app (prefix the app's address).")
    bytes_used: int
    images: list[ImageOut]
    outputs: list[OutputOut]

    @classmethod
    def of(cls, session: Session, app_url: str = "") -> SessionOut:
        manifest, info = session.manifest(), session.info()
        return cls(
            id=info.id,
            created=info.created,
            last_active=info.last_active,
            expires_at=info.expires_at,
            app_link=f"{app_url.rstrip('/')}/?s={session.id}",
            bytes_used=session.bytes_used(),
            images=[ImageOut.of(session, a) for a in manifest.assets],
            outputs=[OutputOut.of(session, o) for o in manifest.outputs],
        )


class RefusedOut(BaseModel):
    error: str
    kind: str


class DuplicateOut(BaseModel):
    error: str
    image: ImageOut


class UploadOut(BaseModel):
    """Each file succeeds or fails on its own, as in the app."""

    added: list[ImageOut]
    duplicates: list[DuplicateOut]
    errors: list[RefusedOut]


class TagsOut(BaseModel):
    images: list[ImageOut]


def _understood_fields(understood: Understood) -> dict[str, object]:
    return {
        "lines": describe_scene(understood.scene, fit_text),
        "mostly_not_understood": understood.parsed.mostly_not_understood,
        "warnings": [NoticeOut(message=n.message, kind=n.kind.value) for n in understood.notices],
        "changes": [ChangeOut(edit=edit, lines=list(lines)) for edit, lines in understood.changes],
        "targets": [
            TargetOut(width=t.scene.canvas.width, height=t.scene.canvas.height, format=t.fmt.value, label=t.label)
            for t in understood.targets
        ],
    }


class SlotOut(BaseModel):
    name: str = Field(description='As --set / "set" names it: "headline", "text2", "product".')
    kind: str = Field(description="text (words) or image (a picture, given by a session's tag).")
    saved: str = Field(description="A text slot's saved words; an image slot's saved picture (its SHA-256).")
    picture: str | None = Field(None, description="An image slot's saved picture (its URL); null for a text slot.")


class TemplateOut(BaseModel):
    name: str
    prompt: str = Field(description="The prompt it was made from.")
    saved: float = Field(description="When it was saved (seconds since the epoch).")
    slots: list[SlotOut]
    thumbnail: str | None = Field(description="A small WebP of its first frame (320 px a side), or null.")

    @classmethod
    def of(cls, info: TemplateInfo) -> TemplateOut:
        base = f"/templates/{quote(info.name, safe='')}"
        return cls(
            name=info.name,
            prompt=info.prompt,
            saved=info.saved,
            slots=[
                SlotOut(
                    name=s.name,
                    kind=s.kind.value,
                    saved=s.saved,
                    picture=f"{base}/images/{quote(s.name, safe='')}" if s.kind is SlotKind.IMAGE else None,
                )
                for s in info.slots
            ],
            thumbnail=f"{base}/thumbnail" if info.thumbnail else None,
        )


class TemplatesOut(BaseModel):
    templates: list[TemplateOut] = Field(description="Newest first.")


class KitColourOut(BaseModel):
    name: str = Field(description='As said in a prompt: "brand blue".')
    code: str = Field(description='"#0055A4".')


class KitFontOut(BaseModel):
    name: str = Field(description='As said in a prompt: "Acme Sans" ("in Acme Sans").')
    family: str = Field(description="The family name inside the font file.")
    default: bool = Field(description="Every text that names no other family uses it.")


class KitWordOut(BaseModel):
    words: list[str] = Field(description="The phrases the prompt understands for it.")
    meaning: str
    example: str


class KitOut(BaseModel):
    name: str = Field(description='Give it as "brand" to explain, generate or a template render.')
    colours: list[KitColourOut]
    fonts: list[KitFontOut]
    images: list[str] = Field(description="Its images' tags: a session that names the kit has them (@acme).")
    words: list[KitWordOut] = Field(description="Every word it adds to the prompt (as the Prompt guide lists them).")
    default: bool = Field(description="The app's kit: used when a request names no brand, as in the app.")

    @classmethod
    def of(cls, kit: BrandKit, *, default: bool = False) -> KitOut:
        return cls(
            name=kit.name,
            default=default,
            colours=[KitColourOut(name=c.name, code=c.code) for c in kit.colours],
            fonts=[KitFontOut(name=f.name, family=f.family, default=f.key == kit.default_font) for f in kit.fonts],
            images=[tag for tag, _path in kit.images],
            words=[KitWordOut(words=list(e.said), meaning=e.meaning, example=e.example) for e in kit.words().entries],
        )


class KitsOut(BaseModel):
    kits: list[KitOut] = Field(
        description="The app's own kit (its repository's brand/ folder) first, then those saved in the library "
        "(python -m imagegen kit save DIR), by name."
    )


class TemplateRenderOut(GenerateOut):
    """A template rendered in the session: what generate answers, and the session's tags it gave new pictures."""

    replaced: list[str] = Field(
        description="Tags whose earlier picture in the session now holds the template's (or the one set for it)."
    )
