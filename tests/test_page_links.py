"""A page link carrying a class's points must reach the page: the page allows up to MAX_LINK_CHARS
characters of points in its address (static/lib/points_link.js), and the server's HTTP parser
(uvicorn over h11) may refuse a request head over 16 KiB (h11's max_incomplete_event_size, for a
head that arrives in pieces, as on a slow network), the browser's headers included."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
H11_HEAD_LIMIT = 16 * 1024
BROWSER_HEADERS = {  # what Chrome sends with a page load, about 700 bytes
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "Accept-Language": "en-GB,en;q=0.9,fr;q=0.8,de;q=0.7",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "none",
    "Upgrade-Insecure-Requests": "1",
}


def max_link_chars() -> int:
    source = (ROOT / "static/lib/points_link.js").read_text()
    return int(re.search(r"export const MAX_LINK_CHARS = (\d+);", source).group(1))


def test_the_longest_points_link_the_page_makes_is_served(live_server):
    settings = "dataset=points&n_samples=200&noise=&classes=8&train_fraction=0.800995&data_seed=0&hidden=1024"
    settings += "&activation=tanh&init_scale=fan_in&label_smoothing=0&seed=4294967295&learning_rate=0.001"
    settings += (
        "&optimizer=momentum&beta1=0.9&lam=0.001&batch_size=5000&steps_per_second=10000&grid=200&fps=60"
    )
    query = f"{settings}&points={'A' * max_link_chars()}"
    reply = httpx.get(f"{live_server.url}/?{query}", headers=BROWSER_HEADERS)
    assert reply.status_code == 200
    head = len(f"GET /?{query} HTTP/1.1\r\n") + sum(len(k) + len(v) + 4 for k, v in BROWSER_HEADERS.items())
    assert head < H11_HEAD_LIMIT * 0.6, "room to spare for headers we did not think of"
