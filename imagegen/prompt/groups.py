"""Images laid out together: grids, rows and columns named in a prompt, "@a next to @b" pairs, and the
region each grouped image gets (spacing kept in the units said; the renderer works out the pixels).
"""

from __future__ import annotations

from imagegen.prompt.clauses import Segment
from imagegen.prompt.facts import LayerFacts
from imagegen.prompt.said import Group, Said, TagState
from imagegen.scene import Anchor, Fit, Region, Role, Side, grid_regions

DEFAULT_GAP = 20.0
"""Pixels between images placed next to each other or in a grid, unless the prompt says."""


def group(so_far: Said, seg: Segment, subject: str, sharers: list[str], facts: LayerFacts) -> None:
    """Grids, rows and "side by side": the subject, the tags sharing its words, and bare tags after it."""
    layout = facts.layout
    row = layout.beside is not None and layout.beside[0] is None
    if layout.grid is not None or row:
        columns, rows = layout.grid if layout.grid is not None else (None, 1)
        open_group = so_far.open_group
        same = open_group is not None and (open_group.columns, open_group.rows) == (columns, rows)
        member = open_group is not None and subject in open_group.members
        # "grid of @a, @b and @c": the bare tags after it repeat its words, and "…, 3 by 1 grid" said
        # after it refines it: both are the same grid.
        group = open_group if same or member else None
        if group is None:
            group = Group(columns, rows)
            so_far.groups.append(group)
        group.columns, group.rows = columns, rows
        if row and not sharers and seg.tag is None and len(so_far.clause_tags) > 1:
            for tag in so_far.clause_tags:  # "@a twice as big as @b, side by side": the images just named
                group.add(tag)
        elif row and not sharers and so_far.subjects and so_far.subjects[-1] != subject:
            group.add(so_far.subjects[-1])  # "@BG, @product side by side" said after the other image
        for tag in [*sharers, subject]:
            group.add(tag)
        so_far.open_group = group
    elif so_far.open_group is not None and seg.tag is not None and seg.bare:
        so_far.open_group.add(seg.tag)
    elif seg.tag is not None:
        so_far.open_group = None


def pair_up(so_far: Said) -> None:
    """ "@a next to @b" with neither placed anywhere: the two share the canvas (whole images, a gap)."""
    for tag, s in so_far.states.items():
        if s.layout.beside is None or s.group is not None:
            continue
        side, target = s.layout.beside
        other = so_far.states.get(target)
        if other is None or other.group is not None or _anchored(s) or _anchored(other):
            continue
        first, second = (tag, target) if side in (Side.LEFT_OF, Side.ABOVE) else (target, tag)
        across = side in (Side.LEFT_OF, Side.RIGHT_OF)
        group = Group(None if across else 1, 1 if across else None, [first, second], Fit.CONTAIN)
        so_far.groups.append(group)
        s.layout.beside = None


def regions(so_far: Said) -> dict[str, Region]:
    """Each grouped tag's cell and each region with its padding, spacing kept in the units so_far (the
    renderer works out the pixels for each canvas; the service says where they leave no room)."""
    found: dict[str, Region] = {}
    for group in so_far.groups:
        members = [tag for tag in group.members if tag not in found]
        if len(members) < 2:
            names = ", ".join(so_far.shown(t) for t in members) or "nothing"
            so_far.notes.add(f"A grid or row needs two or more images; it has {names} — it was ignored.")
            continue
        states = [so_far.states[tag] for tag in members]
        gap = next((s.layout.gap for s in states if s.layout.gap is not None), DEFAULT_GAP)
        pixels, share = next((padding(s) for s in states if padding(s) != (0.0, 0.0)), (0.0, 0.0))
        cells = grid_regions(
            len(members), columns=group.columns, rows=group.rows, gap=gap, margin=pixels, margin_share=share
        )
        for tag, cell in zip(members, cells, strict=True):
            found[tag] = cell
            so_far.states[tag].group = group
        _unplaced(so_far, members, states)
    for tag, s in so_far.states.items():
        if tag not in found and s.layout.region is not None:
            found[tag] = s.layout.region.inset(*padding(s))
    return found


def _unplaced(so_far: Said, members: list[str], states: list[TagState]) -> None:
    """ "@logo and @product side by side at the bottom": a row or grid fills the canvas, so a place said of
    its images is not applied — said once, with what works."""
    # "side by side in the middle" is what a row is; any other place or a size is not applied
    placed = [s for s in states if (s.anchor is not None and s.anchor is not Anchor.CENTER) or s.layout.region]
    places = [s.anchor_text or s.layout.region_text for s in placed]
    said = list(dict.fromkeys([*places, *(s.size_text for s in states if s.size is not None and s.size_text)]))
    if not said:
        return
    listed = ", ".join(f'"{words}"' for words in said)
    names = " and ".join(so_far.shown(tag) for tag in members)
    so_far.notes.add(
        f"{names} are laid out together across the whole canvas, each filling its cell, so {listed} "
        f"{'was' if len(said) == 1 else 'were'} not applied — to place them, "
        f'give each its own place (e.g. "{so_far.shown(members[0])} bottom left, {so_far.shown(members[-1])} '
        'bottom right").',
        said[0],
    )


def _anchored(s: TagState) -> bool:
    return s.anchor is not None or s.layout.region is not None or s.role is Role.BACKGROUND


def padding(s: TagState) -> tuple[float, float]:
    """The padding said for a tag: (pixels, share of the shorter side) ("40 px padding", "5 % margin")."""
    if s.layout.margin_px is not None:
        return s.layout.margin_px, 0.0
    if s.margin is not None:
        return 0.0, s.margin
    return 0.0, 0.0
