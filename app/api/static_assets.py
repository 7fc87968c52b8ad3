"""The page's files (static/) under one content-hashed prefix, /static/<tree>/<path>, where <tree>
is a hash of the whole tree. A browser keeps every file a year without asking again (immutable):
any change to any file gives every file a new URL. One hash for the tree, not one per file,
because the page's ES modules import each other by relative paths, which then stay inside the
version they were loaded from, with nothing to rewrite.

The tree is read once, on the first request for the page: a file edited afterwards is served as
it was until the server restarts. A text file is gzipped once, on its first request, in the event
loop, and kept: thirty students asking for the plotly bundle at once cost one compression (0.1 s
of the loop, once) and never thirty. Fonts (woff2) and images are compressed already and are sent
as they are."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

TREE_HASH_LENGTH = 12
IMMUTABLE = "public, max-age=31536000, immutable"
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
MEDIA_TYPES = {".js": "text/javascript", ".woff2": "font/woff2", ".md": "text/markdown"}
GZIP_LEVEL = 9  # once per file per server, so the smallest bytes are worth the 30 ms


@dataclass
class Asset:
    """One file: its bytes, media type and strong ETag (a hash of the bytes)."""

    body: bytes
    media_type: str
    etag: str

    @property
    def compressible(self) -> bool:
        return self.media_type.startswith(TEXT_TYPES)

    @cached_property
    def gzipped(self) -> bytes:
        """The gzipped bytes, made on first use and kept (mtime 0: the same bytes every time)."""
        return gzip.compress(self.body, compresslevel=GZIP_LEVEL, mtime=0)


def media_type_of(path: Path) -> str:
    guessed = MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith(TEXT_TYPES) else guessed


class StaticTree:
    """Every file under `root` (hidden files and folders left out), read and hashed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @cached_property
    def assets(self) -> dict[str, Asset]:
        assets = {}
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root)
            if not path.is_file() or any(part.startswith((".", "__pycache__")) for part in relative.parts):
                continue
            body = path.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            assets[relative.as_posix()] = Asset(body, media_type_of(path), etag)
        return assets

    @cached_property
    def tree_hash(self) -> str:
        """A hash of every file's path and bytes: what the URLs' version is."""
        h = hashlib.sha256()
        for name, asset in self.assets.items():
            h.update(f"{name}\0{asset.etag}\n".encode())
        return h.hexdigest()[:TREE_HASH_LENGTH]

    @property
    def prefix(self) -> str:
        """The URL every page file is under: /static/<tree hash>."""
        return f"/static/{self.tree_hash}"


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header lets us answer in gzip ("gzip;q=0" says no)."""
    offered = {}
    for item in accept_encoding.lower().split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        offered[name.strip()] = q
    return offered.get("gzip", offered.get("*", 0.0)) > 0
