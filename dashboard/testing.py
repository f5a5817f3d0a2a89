"""Helpers for driving the app from outside, shared by tests/ and bench/ (not used by the app).

Headless Chromium here is Debian's /usr/bin/chromium (never a browser Playwright downloads),
started with flags that work offline, as root, with software WebGL.
"""

from __future__ import annotations

import os
import socket

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",  # software WebGL; without it MapLibre falls back noisily
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
