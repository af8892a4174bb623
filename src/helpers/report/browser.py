"""Open a report in headless Chromium and measure it: the browser test and
scripts/report_screenshots.py use this.

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON
messages ending in a NUL byte on file descriptors 3 and 4), so no port is opened and nothing
but the standard library is needed. For each width the page is loaded in a fresh tab emulating a
device of that width (a phone below 800 px: the page's viewport meta tag applies), then
measured in the page: document width and height, the viewport, every image (loaded, natural
width, width shown), the smallest font size of any text, the tables that scroll sideways inside
their frame (allowed, but worth knowing), and the errors the page raised
(uncaught exceptions, console errors, failed loads). A full-page screenshot is optional.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--disable-extensions", "--mute-audio", "--hide-scrollbars", "--remote-debugging-pipe"]

MAX_SHOT_PX = 32_000   # screenshots are cut here

# Scrolls through the page as a reader would (lazy images load when near the screen) and waits
# until every image has loaded or failed (at most 10 s).
SCROLL = """(async () => {
  const pause = ms => new Promise(r => setTimeout(r, ms));
  for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
    window.scrollTo(0, y); await pause(30);
  }
  const t0 = Date.now();
  while (Array.from(document.images).some(i => !i.complete) && Date.now() - t0 < 10000) await pause(50);
  await Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)));
  window.scrollTo(0, 0);
  await pause(100);
  return true;
})()"""

# Measured in the page after load: sizes, images, the smallest font size of visible text.
PROBE = """(() => {
  const d = document.documentElement, b = document.body;
  const imgs = Array.from(document.images).map(i => ({src: (i.currentSrc || i.src).split('/').pop().slice(0, 80),
    complete: i.complete, natural_width: i.naturalWidth, shown_width: Math.round(i.getBoundingClientRect().width)}));
  let minFont = 1e9, minFontText = '';
  const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const t = walker.currentNode, el = t.parentElement;
    if (!t.textContent.trim() || !el || !el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') continue;
    const f = parseFloat(s.fontSize);
    if (f < minFont) { minFont = f; minFontText = t.textContent.trim().slice(0, 60); }
  }
  const wide = Array.from(b.querySelectorAll('*')).filter(e => e.getBoundingClientRect().right > d.clientWidth + 1)
    .filter(e => !e.closest('.table-wrap')).slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' ? '.' + e.className : ''));
  return {viewport_width: window.innerWidth, client_width: d.clientWidth,
          scroll_width: Math.max(d.scrollWidth, b.scrollWidth), height: Math.max(d.scrollHeight, b.scrollHeight),
          images: imgs, min_font_px: minFont,
          scrolling_tables: Array.from(document.querySelectorAll('.table-wrap'))
            .filter(w => w.scrollWidth > w.clientWidth).map(w => (w.querySelector('table') || {}).id),
          min_font_text: minFontText, too_wide: wide};
})()"""


def chromium() -> str | None:
    """The Chromium executable, or None when none is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium over a DevTools pipe (a context manager)."""

    def __init__(self, exe: str | None = None, timeout: float = 60.0):
        exe = exe or chromium()
        if exe is None:
            raise FileNotFoundError("Chromium not installed (Debian: apt-get install chromium)")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="report-browser-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # move the child's ends above 4 so that placing them at 3 and 4 cannot overwrite each other
        hi_r, hi_w = _high_dup(to_chrome_r), _high_dup(from_chrome_w)
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def place():        # in the child: Chromium reads commands on fd 3, writes on fd 4
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)
        self.proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, close_fds=False, preexec_fn=place)
        os.close(hi_r)
        os.close(hi_w)
        self._buf = b""
        self._next_id = 0
        self.events: list[dict] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:   # noqa: BLE001 - closing anyway
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_chrome, self._from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    err = self.proc.stderr.read().decode(errors="replace")[-2000:] if self.proc.stderr else ""
                    raise RuntimeError(f"Chromium closed the pipe: {err}")
                self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and wait for its answer (events that arrive meanwhile are kept)."""
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self._next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, method: str, session: str, timeout: float | None = None) -> dict:
        """Wait for event `method` of tab `session` (it may have arrived already)."""
        for i, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                return self.events.pop(i)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            m = self._read(deadline)
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def open(self, url: str, width: int, height: int = 800, screenshot: str | Path | None = None,
             settle_s: float = 0.3, mobile: bool | None = None) -> dict:
        """Load `url` in a fresh tab `width` px wide, measure it (PROBE), collect its errors, and
        optionally save a full-page PNG screenshot. `mobile` (default: below 800 px) emulates a
        phone: the viewport meta tag applies, and a page too wide for it is zoomed out (its
        `viewport_width` grows). Returns the measurements with `errors`."""
        mobile = width < 800 if mobile is None else mobile
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        try:
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.send(f"{domain}.enable", session=session)
            self.send("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
                      session=session)
            self.send("Page.navigate", {"url": url}, session=session)
            self.wait_for("Page.loadEventFired", session)
            time.sleep(settle_s)
            self.send("Runtime.evaluate", {"expression": SCROLL, "awaitPromise": True}, session=session)
            result = self.send("Runtime.evaluate", {"expression": PROBE, "returnByValue": True},
                               session=session)
            state = result["result"]["value"]
            if screenshot is not None:
                shot = self.send("Page.captureScreenshot",
                                 {"format": "png", "captureBeyondViewport": True,
                                  "clip": {"x": 0, "y": 0, "width": state["client_width"],
                                           "height": min(state["height"], MAX_SHOT_PX), "scale": 1}},
                                 session=session)
                Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
                Path(screenshot).write_bytes(base64.b64decode(shot["data"]))
            state["errors"] = self._errors(session)
            state["width"], state["mobile"] = width, mobile
            return state
        finally:
            self.send("Target.closeTarget", {"targetId": target})

    def _errors(self, session: str) -> list[str]:
        out, keep = [], []
        for e in self.events:
            if e.get("sessionId") != session:
                keep.append(e)
                continue
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(p["exceptionDetails"].get("text", "exception"))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append(f"{p['entry'].get('text', '')} {p['entry'].get('url', '')}".strip())
            elif m == "Network.loadingFailed":
                out.append(f"failed to load: {p.get('errorText', '')}")
        self.events = keep
        return out


def _high_dup(fd: int) -> int:
    """A copy of `fd` numbered 10 or above, inherited by children."""
    new = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.set_inheritable(new, True)
    return new


def measure(path: str | Path, widths=(375, 600, 1400), screenshots: str | Path | None = None,
            name: str = "report", mobile: bool | None = None) -> list[dict]:
    """Open the HTML file `path` at each width; save `<screenshots>/<name>-<width>.png` when a
    folder is given. One dict of measurements per width (see Browser.open)."""
    url = Path(path).resolve().as_uri()
    out = []
    with Browser() as b:
        for w in widths:
            shot = Path(screenshots) / f"{name}-{w}.png" if screenshots is not None else None
            out.append(b.open(url, w, screenshot=shot, mobile=mobile))
    return out
