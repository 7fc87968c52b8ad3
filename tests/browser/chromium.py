"""Debian's chromium, driven by Playwright: the launch flags in one place, for the browser tests
and bench/page_fps.py. `playwright install` cannot download browsers here (nor in CI), so the
system's /usr/bin/chromium is used, headless, with every background request it would make off."""

from __future__ import annotations

import os
import shutil

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The chromium binary: $BPV_CHROMIUM, else /usr/bin/chromium, else whatever is on PATH."""
    for candidate in (os.environ.get("BPV_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def launch(playwright, *extra_args: str):
    path = chromium_path()
    if path is None:
        raise RuntimeError(
            "chromium not found: install Debian's chromium (make chromium) or set BPV_CHROMIUM"
        )
    return playwright.chromium.launch(executable_path=path, args=[*CHROMIUM_ARGS, *extra_args])
