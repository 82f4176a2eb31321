"""Load test: N concurrent users in one Chromium (one browser context each) against `streamlit run app.py`.

Each user uploads its own three images (a background in a colour no other user has), picks PNG in the
Advanced options and renders a still, picks GIF and renders an animation, downloads both, checks the
pixels (the background colour must be the user's own: anything else is cross-talk) and closes its tab.
A download that the browser cancels is retried up to three times.

    python benchmarks/load.py --users 12             # 12 users at once on a fresh server
    python benchmarks/load.py --users 12 --waves 4   # 4 waves of 12 users on one server
    python benchmarks/load.py --users 1 4 8          # a fresh server per N

Prints one table row per wave: downloads that arrived on the first click, p50/p95 click-to-preview and
click-to-download, downloads that failed after three tries, cross-talk, server errors in its log, and the
server's RSS: its peak during the wave and ``--settle`` seconds (15 by default) after the wave's last tab
closed; above the rows, the cold RSS (server started, no user yet).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STILL_PROMPT = "Place @product in center, @logo on top right, and @background as background"
GIF_PROMPT = "@background is stable background and @logo is moving from left to right"
TRIES = 3
COLOUR_TOLERANCE = 12


def user_colour(index: int) -> tuple[int, int, int]:
    """A background colour per user, 40 apart on some channel from every other user's (125 of them)."""
    return (30 + 40 * (index % 5), 30 + 40 * (index // 5 % 5), 30 + 40 * (index // 25 % 5))


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def user_images(index: int) -> list[dict[str, object]]:
    """The user's three uploads: a flat background in its own colour, a red logo disc, a noisy photo."""
    rng = np.random.default_rng(index)
    logo = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((0, 0, 99, 99), fill="red")
    ramp = np.linspace(40, 210, 200)[None, :, None] + rng.normal(0, 6, (200, 200, 3))
    product = Image.fromarray(np.clip(ramp, 0, 255).astype(np.uint8), "RGB")
    files = [
        ("background.png", Image.new("RGB", (400, 300), user_colour(index))),
        ("logo.png", logo),
        ("product.png", product),
    ]
    return [{"name": name, "mimeType": "image/png", "buffer": _png(image)} for name, image in files]


@dataclass
class UserResult:
    first_try: int = 0
    downloads: int = 0
    failed: int = 0
    cross_talk: int = 0
    errors: list[str] = field(default_factory=list)
    to_preview: list[float] = field(default_factory=list)
    to_download: list[float] = field(default_factory=list)
    positions_seen: list[str] = field(default_factory=list)
    closed_at: float = 0.0  # time.monotonic() when the user's tab was closed


def _colour_close(got: tuple[int, ...], want: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= COLOUR_TOLERANCE for a, b in zip(got[:3], want, strict=True))


@dataclass(frozen=True)
class Patience:
    """How a user retries: clicks per download, and how long each click may take to start a download."""

    tries: int = TRIES
    download_timeout_s: float = 60.0


async def _download(page, label: str, result: UserResult, patience: Patience) -> bytes | None:  # type: ignore[no-untyped-def]
    """Click the first button named ``label``; retry a failed download (counted) up to ``patience.tries``."""
    button = page.get_by_role("button", name=re.compile(label)).first
    for attempt in range(patience.tries):
        started = time.perf_counter()
        try:
            async with page.expect_download(timeout=patience.download_timeout_s * 1000) as info:
                await button.click()
            download = await info.value
            path = await download.path()
            data = Path(path).read_bytes()
        except Exception as exc:  # Playwright raises on a cancelled or failed download
            result.errors.append(f"{label} try {attempt + 1}: {str(exc).splitlines()[0][:120]}")
            await page.wait_for_timeout(500)
            continue
        result.to_download.append(time.perf_counter() - started)
        result.downloads += 1
        result.first_try += attempt == 0
        return data
    result.failed += 1
    return None


STILL_FORMAT = "PNG — lossless still"  # the labels of the Advanced options' format picker
ANIMATION_FORMAT = "GIF — animation that plays everywhere"


async def _choose_format(page, label: str) -> None:  # type: ignore[no-untyped-def]
    """Pick ``label`` in the Advanced options' Format box, opening the expander when it is closed."""
    from playwright.async_api import expect

    picker = page.get_by_role("combobox", name="Format")
    details = page.locator("details", has_text="Advanced options")
    for _ in range(60):  # while a rerun redraws the page the box may be missing for a moment
        if await picker.is_visible():
            break
        if await details.get_attribute("open") is None:  # a click on an open expander would close it
            await details.get_by_text("Advanced options", exact=True).click()
        await page.wait_for_timeout(500)
    option = page.get_by_role("option", name=label)
    for _ in range(10):  # a rerun that redraws the page closes an open list: open it again
        await picker.click()
        try:
            await option.click(timeout=5_000)
            break
        except Exception:  # Playwright's TimeoutError: the list closed before the click
            await page.keyboard.press("Escape")
    await expect(picker).to_have_value(label)


async def _render(page, prompt: str, label: str, result: UserResult) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_label("Prompt")
    await box.fill(prompt)
    await box.press("Control+Enter")
    await page.get_by_text("How this prompt is understood").wait_for(timeout=60_000)
    started = time.perf_counter()
    await page.get_by_role("button", name="Generate").click()
    status = page.get_by_text(re.compile(r"render(s)? ahead of you"))
    download = page.get_by_role("button", name=re.compile(label)).first
    while not await download.is_visible():
        for text in await status.all_text_contents():  # never waits: the status may be gone already
            if "ahead of you" in text and (not result.positions_seen or result.positions_seen[-1] != text):
                result.positions_seen.append(text)
        if time.perf_counter() - started > 300:
            raise TimeoutError(f"no {label} button after 300 s")
        await page.wait_for_timeout(100)
    await page.locator("img[src*='/media/']").first.wait_for(timeout=60_000)
    result.to_preview.append(time.perf_counter() - started)


async def _slow_media(route, delay_s: float) -> None:  # type: ignore[no-untyped-def]
    await asyncio.sleep(delay_s)
    await route.continue_()


async def run_user(  # type: ignore[no-untyped-def]
    browser, url: str, index: int, media_delay_s: float = 0.0, patience: Patience = Patience()
) -> UserResult:
    """One user's whole visit, in its own browser context (its own Streamlit session).

    :param media_delay_s: hold every ``/media/`` request (previews, downloads) this long, as a slow
        network would: a download must still arrive.
    """
    result = UserResult()
    step = "open the app"
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    try:
        if media_delay_s:
            await context.route("**/media/**", lambda route: _slow_media(route, media_delay_s))
        page = await context.new_page()
        page.set_default_timeout(120_000)
        await page.goto(url)
        await page.get_by_role("heading", name="Images & tags").wait_for()
        step = "upload"
        await page.locator("input[type=file]").set_input_files(user_images(index))
        await page.get_by_text("Added 3 images").wait_for()
        step = "go to Compose"
        await page.get_by_role("link", name="Compose").click()
        await page.get_by_role("heading", name="Compose").wait_for()
        want = user_colour(index)

        step = "choose PNG"
        await _choose_format(page, STILL_FORMAT)
        step = "render the still"
        await _render(page, STILL_PROMPT, r"^Download PNG \(", result)
        step = "download the still"
        still = await _download(page, r"^Download PNG \(", result, patience)
        if still is not None:
            image = Image.open(io.BytesIO(still)).convert("RGB")
            result.cross_talk += not _colour_close(image.getpixel((20, 1060)), want)

        step = "choose GIF"
        await _choose_format(page, ANIMATION_FORMAT)
        step = "render the GIF"
        await _render(page, GIF_PROMPT, r"^Download GIF \(", result)
        step = "download the GIF"
        gif = await _download(page, r"^Download GIF \(", result, patience)
        if gif is not None:
            image = Image.open(io.BytesIO(gif))
            result.cross_talk += image.n_frames < 2 or not _colour_close(
                image.convert("RGB").getpixel((20, 1060)), want
            )
    except Exception as exc:
        if os.environ.get("IMAGEGEN_LOAD_DEBUG"):
            print(f"user {index} failed at {step}: {exc}\nthe page says:\n{(await page.inner_text('body'))[:1200]}")
            await page.screenshot(path=f"{tempfile.gettempdir()}/imagegen-load-user{index}.png", full_page=True)
        result.errors.append(f"user {index}, {step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
        result.failed += 1
    finally:
        await context.close()  # closes the tab: Streamlit sees the websocket go away
        result.closed_at = time.monotonic()
    return result


async def chatter(browser, url: str, stop: asyncio.Event) -> int:  # type: ignore[no-untyped-def]
    """Another session that reruns its script over and over until ``stop`` (returns how many times).

    Streamlit cleans up media files each time any session's rerun ends, so this makes every other user's
    download meet that cleanup while it is in flight.
    """
    context = await browser.new_context()
    reruns = 0
    try:
        page = await context.new_page()
        await page.goto(url)
        await page.get_by_role("heading", name="Images & tags").wait_for()
        while not stop.is_set():  # each page switch is a rerun
            await page.get_by_role("link", name="Prompt guide").click()
            await page.get_by_role("heading", name="Prompt guide").wait_for()
            await page.get_by_role("link", name="Images & tags").click()
            await page.get_by_role("heading", name="Images & tags").wait_for()
            reruns += 2
    finally:
        await context.close()
    return reruns


async def run_users(
    url: str,
    count: int,
    *,
    first_index: int = 0,
    chromium: str = CHROMIUM,
    media_delay_s: float = 0.0,
    with_chatter: bool = False,
    patience: Patience = Patience(),
) -> list[UserResult]:
    """``count`` users at once, each in its own browser context of one Chromium (see ``run_user`` and
    ``chatter``)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        try:
            stop = asyncio.Event()
            noise = asyncio.create_task(chatter(browser, url, stop)) if with_chatter else None
            users = [run_user(browser, url, first_index + i, media_delay_s, patience) for i in range(count)]
            results = list(await asyncio.gather(*users))
            stop.set()
            if noise is not None:
                await noise
            return results
        finally:
            await browser.close()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """Samples a process's RSS every ``every_s`` seconds in a thread; keeps the peak (``reset`` starts a
    new one, e.g. per wave)."""

    def __init__(self, pid: int, every_s: float = 0.2) -> None:
        self.pid, self.every_s, self.peak = pid, every_s, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def reset(self) -> None:
        self.peak = rss_mb(self.pid)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self._stop.wait(self.every_s)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class Server:
    """`streamlit run app.py` on ``port`` with its own session folder; stopped on exit."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._data = tempfile.TemporaryDirectory(prefix="imagegen-load-")
        self._log = Path(self._data.name) / "streamlit.log"

    def __enter__(self) -> Server:
        command = [
            sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
            "--server.port", str(self.port), "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        ]  # fmt: skip
        env = {**os.environ, "IMAGEGEN_DATA_DIR": str(Path(self._data.name) / "sessions"), "PYTHONUNBUFFERED": "1"}
        with self._log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(self._log.read_text())
        with urllib.request.urlopen(self.url, timeout=10):  # the first page load imports the app's modules
            pass
        return self

    def log_lines(self, pattern: str) -> list[str]:
        return [line for line in self._log.read_text(errors="replace").splitlines() if re.search(pattern, line)]

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._data.cleanup()


def _pct(values: list[float], q: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]:.1f}"


def settle_after_last_close(results: list[UserResult], settle_s: float) -> None:
    """Sleep until ``settle_s`` seconds after the last of these users closed its tab."""
    last_close = max(r.closed_at for r in results)
    time.sleep(max(0.0, last_close + settle_s - time.monotonic()))


@dataclass(frozen=True)
class Wave:
    """One wave's users and the server's RSS: peak while they were there, and ``settle_s`` after they left."""

    label: str
    results: list[UserResult]
    peak_mb: float
    after_mb: float
    server_errors: int


def header(settle_s: float) -> str:
    return (
        f"{'wave':>5} {'users':>5} {'first try':>9} {'preview p50/p95 s':>17} {'download p50/p95 s':>18} "
        f"{'failed':>6} {'cross-talk':>10} {'errors':>6} {'most ahead':>10} {'RSS peak MB':>11} "
        f"{f'RSS +{settle_s:.0f} s MB':>12}"
    )


def row(wave: Wave) -> str:
    results = wave.results
    first = sum(r.first_try for r in results)
    previews = [t for r in results for t in r.to_preview]
    downloads = [t for r in results for t in r.to_download]
    return (
        f"{wave.label:>5} {len(results):>5} {f'{first}/{2 * len(results)}':>9} "
        f"{_pct(previews, 0.5) + ' / ' + _pct(previews, 0.95):>17} "
        f"{_pct(downloads, 0.5) + ' / ' + _pct(downloads, 0.95):>18} {sum(r.failed for r in results):>6} "
        f"{sum(r.cross_talk for r in results):>10} {wave.server_errors:>6} {_most_ahead(results):>10} "
        f"{wave.peak_mb:>11.0f} {wave.after_mb:>12.0f}"
    )


def _most_ahead(results: list[UserResult]) -> str:
    """The longest line any user was shown ("N renders ahead of you"); "-" when nobody waited."""
    found = (re.search(r"(\d+) renders? ahead", text) for r in results for text in r.positions_seen)
    counts = [int(match.group(1)) for match in found if match]
    return str(max(counts)) if counts else "-"


SERVER_ERRORS = r"Traceback|ERROR|Exception"


def run_waves(port: int, users: int, waves: int, settle_s: float, late_s: float = 0.0) -> list[str]:
    """``waves`` waves of ``users`` users at once on one fresh server; the table's lines (printed as they
    come). ``late_s``: read the RSS once more that long after the last wave's last tab closed."""
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    with Server(port) as server:
        time.sleep(1)
        say(f"cold RSS {rss_mb(server.process.pid):.0f} MB (server started, no user yet)")
        say(header(settle_s))
        errors_before = 0
        afters: list[float] = []
        with RssSampler(server.process.pid) as sampler:
            for wave in range(waves):
                sampler.reset()
                results = asyncio.run(run_users(server.url, users, first_index=wave * users))
                peak = sampler.peak
                settle_after_last_close(results, settle_s)
                afters.append(rss_mb(server.process.pid))
                errors = len(server.log_lines(SERVER_ERRORS))
                say(row(Wave(str(wave + 1), results, peak, afters[-1], errors - errors_before)))
                errors_before = errors
                for error in [e for r in results for e in r.errors][:5]:
                    print("   ", error, file=sys.stderr, flush=True)
            if late_s > settle_s:
                settle_after_last_close(results, late_s)
                say(f"RSS {late_s:.0f} s after the last tab closed: {rss_mb(server.process.pid):.0f} MB")
        if waves > 1:
            say(f"after-wave RSS, wave 1 -> wave {waves}: {afters[-1] - afters[0]:+.0f} MB")
        for line in server.log_lines(SERVER_ERRORS)[:20]:
            print("   ", line, file=sys.stderr)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[12], help="users at once (a fresh server per N)")
    parser.add_argument("--waves", type=int, default=1, help="waves of --users users, one after the other")
    parser.add_argument("--port", type=int, default=8660)
    parser.add_argument("--settle", type=float, default=15.0, help="read RSS this long after the last tab closed")
    parser.add_argument("--late", type=float, default=0.0, help="and read it again this long after (0: not)")
    args = parser.parse_args()
    for users in args.users:
        run_waves(args.port, users, args.waves, args.settle, args.late)


if __name__ == "__main__":
    main()
