"""Screenshots of report pages in headless Chromium, 1,400 px wide, the whole page.

    python scripts/screenshots.py [--out DIR] [--open] [--max-shots 12] [PAGE.html ...]

Without pages it shoots `reports/matrix/matrix.html` and every `report.html` under
`reports/latest/` (else the newest under `reports/runs/`). DIR defaults to
`reports/runs/screenshots/` (not committed). Each page gives `DIR/<name>-NN.png`, one shot
per `--height` pixels from the top down to the end of the page (at most `--max-shots`), and
one line on stdout: its size and whether anything is wider than the window (a horizontal
scrollbar), naming the widest elements when it is; that is checked with every `<details>`
unfolded (`--open` unfolds them for the shots too). `--width` and `--height` set the
window. Exit 0 when every page fits, 1 when one overflows, 2 when Chromium is missing or
fails.

Chromium (`chromium`, `chromium-browser`, `google-chrome`, or `$CHROMIUM`) is driven
through its DevTools protocol over a pipe (`--remote-debugging-pipe`): no network, no
packages beyond the standard library.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DEFAULT_OUT = ROOT / "reports" / "runs" / "screenshots"  # reports/runs/ is not committed
TIMEOUT_S = 60.0
# The widest elements of a page that is wider than its window: tag, class, width, text.
_MEASURE = """
(() => {
  const root = document.documentElement;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > root.clientWidth + 1 && r.width > 0) {
      wide.push({tag: el.tagName.toLowerCase(), cls: el.className || '',
                 right: Math.round(r.right), text: (el.textContent || '').slice(0, 60)});
    }
  }
  wide.sort((a, b) => b.right - a.right);
  return JSON.stringify({width: root.scrollWidth, client: root.clientWidth,
                         height: root.scrollHeight, wide: wide.slice(0, 5)});
})()
"""


_OPEN = "document.querySelectorAll('details').forEach(d => d.open = true)"


class ShotError(Exception):
    """Chromium is missing or did not answer; str() is one line."""


@dataclass
class Page:
    """What one page measured, and the shots taken of it."""

    path: Path
    width: int
    client: int
    height: int
    wide: list[dict[str, Any]] = field(default_factory=list)
    shots: list[Path] = field(default_factory=list)

    @property
    def overflows(self) -> bool:
        """Is the page wider than the window (a horizontal scrollbar)?"""
        return self.width > self.client

    def line(self) -> str:
        """One line for the console."""
        head = f"{self.path}: {self.client}x{self.height} px, {len(self.shots)} shot(s)"
        if not self.overflows:
            return f"{head}, fits the window"
        widest = "; ".join(f"<{w['tag']} class={w['cls']!r}> to {w['right']} px" for w in self.wide)
        return f"{head}, WIDER than the window: {self.width} px ({widest})"


def find_browser() -> str:
    """The Chromium executable, or ShotError with one line saying how to get one."""
    for name in (os.environ.get("CHROMIUM", ""), *BROWSERS):
        if name and (found := shutil.which(name)):
            return found
    raise ShotError(
        "chromium not found: install it (Debian: apt-get install chromium) or set CHROMIUM"
    )


class Browser:
    """One headless Chromium, spoken to over the DevTools pipe (fd 3 in, fd 4 out)."""

    def __init__(self, executable: str, width: int, height: int) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="screenshots-")
        # Above fd 4, so that dup2 onto 3 and 4 in the child always copies (and clears
        # close-on-exec): dup2 of a descriptor onto itself would leave it closing on exec.
        to_child, self._write = (_high(fd) for fd in os.pipe())
        self._read, from_child = (_high(fd) for fd in os.pipe())

        def wire() -> None:  # in the child: its fd 3 reads our commands, fd 4 answers
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        args = [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--remote-debugging-pipe",
            f"--user-data-dir={self._profile.name}",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        try:
            self._proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=False,
                preexec_fn=wire,  # noqa: PLW1509 - only dup2, no threads here yet
            )
        except OSError as exc:
            raise ShotError(f"cannot start {executable}: {exc}") from exc
        finally:
            os.close(to_child)
            os.close(from_child)
        self._buffer = b""
        self._next_id = 0
        self._session = ""
        self._width, self._height = width, height

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop Chromium and remove its profile."""
        for fd in (self._write, self._read):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._profile.cleanup()

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command (to the page once attached) and wait for its answer."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if self._session and not method.startswith("Target."):
            message["sessionId"] = self._session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            answer = self._message()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise ShotError(f"chromium: {method}: {answer['error'].get('message')}")
                result: dict[str, Any] = answer.get("result", {})
                return result
        raise ShotError(f"chromium did not answer {method} in {TIMEOUT_S:.0f} s")

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise ShotError("chromium exited before answering")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def open(self, url: str) -> None:
        """Attach to a new page of the window's size and load `url` completely."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=self._width,
            height=self._height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + TIMEOUT_S
        while self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise ShotError(f"{url} did not finish loading in {TIMEOUT_S:.0f} s")
            time.sleep(0.1)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)[
            "result"
        ].get("value")

    def shot(self, top: int, height: int) -> bytes:
        """A PNG of the page from `top`, the window's width, `height` pixels high."""
        clip = {"x": 0, "y": top, "width": self._width, "height": height, "scale": 1}
        data = self.call(
            "Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True
        )["data"]
        return base64.b64decode(data)


def _high(fd: int) -> int:
    """`fd` moved to a descriptor number of at least 10 (close-on-exec)."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def measure(browser: Browser, path: Path, *, load: bool = True) -> Page:
    """Load `path` (or not: it is open) and measure it: width, height, widest elements."""
    if load:
        browser.open(path.resolve().as_uri())
    found = json.loads(browser.evaluate(_MEASURE))
    size = (int(found["width"]), int(found["client"]), int(found["height"]))
    return Page(path, *size, wide=found["wide"])


def screenshot(
    pages: list[Path],
    out: Path,
    width: int = 1400,
    height: int = 1000,
    max_shots: int = 12,
    *,
    opened: bool = False,
) -> list[Page]:
    """Measure and shoot every page into `out`; raises ShotError when Chromium fails.

    `opened` unfolds every `<details>` before the shots; the width is checked unfolded
    either way.
    """
    out.mkdir(parents=True, exist_ok=True)
    executable = find_browser()
    done: list[Page] = []
    with Browser(executable, width, height) as browser:
        for path in pages:
            page = measure(browser, path)
            if opened:
                browser.evaluate(_OPEN)
                page = measure(browser, path, load=False)
            stem = path.parent.name + "-" + path.stem if path.stem == "report" else path.stem
            for number, top in enumerate(range(0, page.height, height)):
                if number == max_shots:
                    break
                shot = out / f"{stem}-{number + 1:02d}.png"
                shot.write_bytes(browser.shot(top, min(height, page.height - top)))
                page.shots.append(shot)
            if not opened:  # what is folded must fit the window too, once unfolded
                browser.evaluate(_OPEN)
                unfolded = measure(browser, path, load=False)
                if unfolded.overflows:
                    page.width, page.wide = unfolded.width, unfolded.wide
            done.append(page)
    return done


def default_pages() -> list[Path]:
    """The matrix and every committed run's report.html (else the newest run's)."""
    pages = [ROOT / "reports" / "matrix" / "matrix.html"]
    latest = sorted((ROOT / "reports" / "latest").glob("*/report.html"))
    runs = sorted(
        (ROOT / "reports" / "runs").glob("*/report.html"), key=lambda p: p.stat().st_mtime
    )
    pages += latest or runs[-1:]
    return [p for p in pages if p.is_file()]


def main(argv: list[str] | None = None) -> int:
    """Command line: shoot the pages, print one line each; 0 fits, 1 overflows, 2 broke."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="HTML files (default: see above)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000, help="height of one shot")
    parser.add_argument("--max-shots", type=int, default=12, help="shots per page at most")
    parser.add_argument("--open", action="store_true", help="unfold every <details> first")
    args = parser.parse_args(argv)
    pages = args.pages or default_pages()
    if missing := [p for p in pages if not p.is_file()]:
        print(f"screenshots: no such page: {missing[0]}", file=sys.stderr)
        return 2
    if not pages:
        print("screenshots: no page given and none found under reports/", file=sys.stderr)
        return 2
    try:
        done = screenshot(
            pages, args.out, args.width, args.height, args.max_shots, opened=args.open
        )
    except ShotError as exc:
        print(f"screenshots: {exc}", file=sys.stderr)
        return 2
    for page in done:
        print(page.line())
    return 1 if any(p.overflows for p in done) else 0


if __name__ == "__main__":
    sys.exit(main())
