"""The JSON bodies of the API, and their translation: JSON -> RenderRequest, Understood/Output/Asset -> JSON.

Every value that decides what a file looks like is parsed by the engine (sizes by the prompt's canvas
words, formats by their records, limits by the service); these models only carry them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from imagegen.export import OutputFormat
from imagegen.export.formats import all_suffixes, tunable_names
from imagegen.limits import Limits
from imagegen.prompt import parse_canvas_size
from imagegen.prompt.explain import describe_scene
from imagegen.render.text import fit_text
from imagegen.service import Overrides, RenderRequest, Understood
from imagegen.service.sizes import parse_sizes
from imagegen.store.session import Asset, Output, Session

#: Follow-up edits one request may carry (each is parsed like a prompt).
MAX_EDITS = 20


class RenderBody(BaseModel):
    """What ``generate`` and ``explain`` take: the app's prompt box and its Advanced options."""

    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(description="The prompt, naming images by @tag, as typed in the app.")
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

    def request(self, limits: Limits) -> RenderRequest:
        """The RenderRequest the app would make from the same prompt and options.

        :raise PromptError, LimitError, RenderError: a size or format that cannot be used (the engine's words).
        """
        fmt = OutputFormat.from_suffix(self.format) if self.format else None
        size = parse_canvas_size(self.size, limits=limits) if self.size else None
        sizes = tuple(parse_sizes(self.sizes, limits=limits)) if self.sizes else ()
        overrides = Overrides(size=size, duration_s=self.duration, fps=self.fps)
        return RenderRequest(
            self.prompt, edits=tuple(self.edits), overrides=overrides, fmt=fmt, sizes=sizes, quality=self.quality
        )


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
