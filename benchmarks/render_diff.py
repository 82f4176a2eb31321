"""Does a renderer change alter any output? Random scenes rendered by this tree and by a git revision, compared.

    python benchmarks/render_diff.py main --scenes 400 [--seed 1]

The scenes come from the fuzz test's strategies (tests/test_render_fuzz.py) plus shapes, borders, shadows,
texts, fades and slideshows of every transition on clear, half-clear and opaque canvases; every scene is
rendered by both versions (each in its own process, the revision's ``imagegen`` from ``git archive``) and its
frames (pixels, dirty box, duration), still, base and palette sprites hashed. Prints the scenes that differ
(none, for a change meant to keep every pixel). A scene that fails must fail the same way in both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import subprocess
import sys
import tarfile
import tempfile
import warnings
from dataclasses import replace
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def make_scenes(count: int, seed: int) -> list:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    warnings.filterwarnings("ignore")  # hypothesis: .example() outside a test
    import test_render_fuzz as fuzz

    from imagegen.scene import Anchor, Border, Motion, MotionKind, Shadow, Shape, Slide, Slideshow, TextSpec, Transition

    rnd = random.Random(seed)
    scenes = []
    backgrounds = [None, (255, 255, 255, 255), (10, 20, 30, 128), (40, 80, 120, 255)]
    for _ in range(count):
        scene = fuzz.scenes.example()  # hypothesis draws these afresh each run; --seed fixes the rest
        layers = []
        for layer in scene.layers:
            if rnd.random() < 0.3:
                layer = replace(layer, shape=rnd.choice(list(Shape)))
            if rnd.random() < 0.3:
                colour = (rnd.randrange(256), 0, 200, rnd.choice([255, 100]))
                layer = replace(layer, border=Border(rnd.uniform(0, 6), colour))
            if rnd.random() < 0.3:
                layer = replace(layer, shadow=Shadow(rnd.uniform(-5, 5), rnd.uniform(-5, 5), rnd.uniform(0, 4)))
            if rnd.random() < 0.3:
                kind = rnd.choice([MotionKind.FADE_IN, MotionKind.FADE_OUT])
                fade = Motion(kind, start=rnd.random() * 0.5, end=0.5 + rnd.random() * 0.5)
                layer = replace(layer, motions=(*layer.motions, fade))
            if rnd.random() < 0.15:
                text = TextSpec(rnd.choice(["Sale -50%", "Hi", "नमस्ते"]), outline=rnd.choice([None, (0, 0, 0, 255)]))
                layer = replace(layer, tag=f"t{len(layers)}", text=text)
            layers.append(layer)
        scene = replace(scene, layers=tuple(layers), canvas=replace(scene.canvas, background=rnd.choice(backgrounds)))
        if rnd.random() < 0.3:
            slides = tuple(Slide(rnd.choice("abc"), rnd.uniform(0.3, 1.0)) for _ in range(rnd.randint(2, 3)))
            transition, direction = rnd.choice(list(Transition)), rnd.choice(list(Anchor))
            show = Slideshow(slides, transition, direction, rnd.uniform(0.05, 0.4), cover=rnd.random() < 0.5)
            scene = replace(scene, slideshow=show)
        scenes.append(scene)
    return scenes


def child(code: Path, scenes_file: Path) -> None:
    """Hash every scene's output with the ``imagegen`` under ``code``; print a JSON list."""
    sys.path[:0] = [str(code), str(ROOT / "tests")]
    import numpy as np
    from test_render_fuzz import IMAGES

    import imagegen
    from imagegen.render import prepare

    assert Path(imagegen.__file__).is_relative_to(code), imagegen.__file__
    out = []
    for scene in pickle.loads(scenes_file.read_bytes()):
        try:
            plan = prepare(scene, IMAGES)
            digest = hashlib.sha256()
            for frame in plan.frames():
                digest.update(frame.image.tobytes())
                digest.update(repr((frame.dirty, frame.duration_ms)).encode())
            for image in (plan.still(), plan.base, *plan.sprites):
                digest.update(np.asarray(image).tobytes())
            out.append(digest.hexdigest())
        except Exception as exc:  # a failure is an outcome to compare
            out.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps(out))


def run(code: Path, scenes_file: Path) -> list[str]:
    command = [sys.executable, __file__, "--child", str(code), str(scenes_file)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision", nargs="?", default="main")
    parser.add_argument("--scenes", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        old = Path(folder) / "old"
        command = ["git", "archive", args.revision, "imagegen"]
        archive = subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
            tar.extractall(old, filter="data")
        scenes = make_scenes(args.scenes, args.seed)
        scenes_file = Path(folder) / "scenes.pkl"
        scenes_file.write_bytes(pickle.dumps(scenes))
        before, after = run(old, scenes_file), run(ROOT, scenes_file)
    differ = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    failed = sum(":" in outcome for outcome in after)
    print(f"{len(scenes)} scenes ({failed} refused alike by both), {len(differ)} differ from {args.revision}")
    for index in differ[:10]:
        print(f"  scene {index}: {scenes[index]}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
