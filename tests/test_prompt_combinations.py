"""Combinatorial fuzz: 1-4 clauses of random vocabulary phrases (placeholders filled in) never reach the
user as an internal parser problem.

CI runs a seeded sample (``IMAGEGEN_FUZZ_PROMPTS``, default 4,000); the documented long run is
``IMAGEGEN_FUZZ_PROMPTS=50000 python -m pytest tests/test_prompt_combinations.py`` (0 internal errors).
"""

from __future__ import annotations

import os
import random

import pytest

from imagegen.errors import ImagegenError
from imagegen.prompt import parse
from imagegen.prompt.vocabulary import VOCABULARY, entries

pytestmark = pytest.mark.adversarial

TAGS = ["BG", "logo", "product"]
PROMPTS = int(os.environ.get("IMAGEGEN_FUZZ_PROMPTS", "4000"))
_PHRASES = [phrase for entry in VOCABULARY for phrase in entry.words]
_POSITIONS = [phrase for entry in entries("position") for phrase in entry.words]
_NUMBERS = ["0", "1", "2", "3.5", "-20", "15", "50", "100", "250", "1080", "99999", "three", "0.5"]
_COLOURS = ["#fff", "#ff0066", "#12345678", "rgb(0, 0, 0)", "rgba(255, 0, 0, 0.5)", "#zzz", "rgb(999, 1, 2)"]
_COLOUR_WORDS = ["white", "black", "red", "navy", "#00ff00", "#fff", "notacolour"]
_GLUE = [", ", " and ", " then ", ". ", "; ", " while ", " ", ", then after that "]


def _fill(phrase: str, rng: random.Random) -> str:
    words = []
    for word in phrase.split():
        if word in ("A", "B"):
            word = rng.choice(_POSITIONS)
        elif word == "N" or word.startswith("N"):
            word = word.replace("N", rng.choice(_NUMBERS), 1)
        elif word == "@tag":
            word = "@" + rng.choice(TAGS)
        elif word == "C":
            word = rng.choice(_COLOUR_WORDS)
        elif word.startswith("#") or word.startswith("rgb"):
            word = rng.choice(_COLOURS)
        words.append(word)
    return " ".join(words)


def _clause(rng: random.Random) -> str:
    parts = [_fill(rng.choice(_PHRASES), rng) for _ in range(rng.randint(1, 3))]
    tag = "@" + rng.choice(TAGS)
    parts.insert(rng.randint(0, len(parts)), tag)
    return " ".join(parts)


def prompts(count: int, seed: int = 20261129) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        clauses = [_clause(rng) for _ in range(rng.randint(1, 4))]
        out.append("".join(c + rng.choice(_GLUE) for c in clauses[:-1]) + clauses[-1])
    return out


def test_random_clauses_of_vocabulary_never_reach_the_user_as_a_parser_bug() -> None:
    internal: list[tuple[str, BaseException | None]] = []
    for prompt in prompts(PROMPTS):
        try:
            parse(prompt, TAGS)
        except ImagegenError as exc:
            if "internal parser problem" in str(exc):
                internal.append((prompt, exc.__cause__))
    assert internal == [], f"{len(internal)} of {PROMPTS} prompts hit a parser bug, e.g. {internal[:3]}"


def test_the_generator_fills_every_placeholder() -> None:
    for prompt in prompts(300):
        assert not {"A", "B", "C", "@tag"} & set(prompt.split()), prompt


def test_two_paths_beside_a_non_sliding_motion_are_both_reported() -> None:
    # Was "internal parser problem": the path loop rebound the name of its own helper.
    result = parse("@logo spins from the top from the left", TAGS)
    assert [w.word for w in result.warnings if not w.quiet] == ["from the top", "from the left"]
