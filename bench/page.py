"""Page-weight benchmark: `python -m bench.page` (part of `make bench`).

Starts the app (on the served index) and loads the public page in Debian's headless Chromium
with DevTools network emulation of Chrome's "Fast 3G" profile (562.5 ms latency, about
1.44 Mbit/s down, 675 kbit/s up, no cache). Prints the first-load transfer size (bytes on the
wire, by kind) and the time until the question box can be typed in. Figures only.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from collections import Counter

import httpx

from assistant.config import ROOT

FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 1_440_000 / 8, "uploadThroughput": 675_000 / 8}
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ASSISTANT_PORT": str(port)}
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the app did not start")


def measure(url: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    sizes: Counter[str] = Counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", FAST_3G)
        kinds: dict[str, str] = {}
        cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e.get("type", "Other")))
        def finished(event: dict) -> None:
            sizes[kinds.get(event["requestId"], "Other")] += event["encodedDataLength"]

        cdp.on("Network.loadingFinished", finished)
        start = time.perf_counter()
        page.goto(url + "/", wait_until="commit")
        page.locator("#question textarea").wait_for(state="visible", timeout=180_000)
        page.wait_for_function("() => !document.querySelector('#question textarea').disabled")
        interactive = time.perf_counter() - start
        page.wait_for_load_state("load", timeout=180_000)
        page.wait_for_timeout(5_000)  # late fonts and icons; Gradio's open event stream never goes idle
        browser.close()
    by_kind = {k: v / 1024 for k, v in sizes.items()}
    return {"interactive_s": interactive, "total_kb": sum(sizes.values()) / 1024, **by_kind}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page", description=__doc__)
    parser.add_argument("--url", help="an app that is already running (default: start one)")
    args = parser.parse_args(argv)
    process = None
    url = args.url
    if not url:
        port = free_port()
        process = start_app(port)
        url = f"http://127.0.0.1:{port}"
    try:
        figures = measure(url)
    finally:
        if process is not None:
            process.terminate()
    kinds = ", ".join(f"{k} {v:.0f} KB" for k, v in figures.items() if k not in ("interactive_s", "total_kb"))
    sys.stdout.write(
        f"first load on emulated Fast 3G: {figures['total_kb']:.0f} KB transferred ({kinds}); "
        f"question box ready after {figures['interactive_s']:.1f} s\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
