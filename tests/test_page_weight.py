"""What the page costs on the wire: its files under one content-hashed prefix, cached for a year
and gzipped once; the HTML asked for again on each load (304 when unchanged); answers to reads
gzipped, answers to writes (where the tokens travel) never; old and foreign URLs 404."""

from __future__ import annotations

import gzip
import re

import pytest

from app.api.routers.pages import STATIC_DIR
from app.api.static_assets import IMMUTABLE, StaticTree, accepts_gzip

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}
PLOTLY = "vendor/plotly/plotly-basic.min.js"


def prefix_of(client) -> str:
    return client.app.state.static_tree.prefix


def raw_get(client, url: str, headers: dict):
    """The bytes as they came over the wire: httpx would gunzip them."""
    with client.stream("GET", url, headers=headers) as response:
        return response, b"".join(response.iter_raw())


def test_a_static_file_is_gzipped_when_asked_and_sent_as_it_is_when_not(client):
    url = f"{prefix_of(client)}/{PLOTLY}"
    on_disk = (STATIC_DIR / PLOTLY).read_bytes()
    zipped, wire = raw_get(client, url, GZIP)
    assert zipped.status_code == 200 and zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(wire) == on_disk
    assert len(wire) < 420_000 < 1_100_000 < len(on_disk)  # the bundle is 1.19 MB, 0.40 MB gzipped
    assert int(zipped.headers["content-length"]) == len(wire)
    assert "accept-encoding" in zipped.headers["vary"].lower()
    for refuses in (IDENTITY, {"Accept-Encoding": "gzip;q=0, identity"}):
        plain, wire = raw_get(client, url, refuses)
        assert "content-encoding" not in plain.headers and wire == on_disk
    assert plain.headers["content-type"].startswith("text/javascript")


def test_fonts_are_sent_as_they_are_already_compressed(client):
    font = next(name for name in client.app.state.static_tree.assets if name.endswith(".woff2"))
    response, wire = raw_get(client, f"{prefix_of(client)}/{font}", GZIP)
    assert response.status_code == 200 and response.headers["content-type"] == "font/woff2"
    assert "content-encoding" not in response.headers and wire == (STATIC_DIR / font).read_bytes()
    assert response.headers["cache-control"] == IMMUTABLE


def test_a_hashed_url_is_immutable_and_revalidates_to_304(client):
    url = f"{prefix_of(client)}/app.js"
    first = client.get(url)
    assert first.headers["cache-control"] == "public, max-age=31536000, immutable"
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["cache-control"] == IMMUTABLE


def test_the_html_is_not_cached_and_an_unchanged_page_costs_a_304(client):
    page = client.get("/", headers=GZIP)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
    assert page.headers["content-encoding"] == "gzip"
    etag = page.headers["etag"]
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/", headers={"If-None-Match": 'W/"something-else"'}).status_code == 200


def test_every_file_the_html_names_is_under_the_hash_and_answers(client):
    page = client.get("/").text
    urls = re.findall(r'(?:src|href)="(/[^"]*)"', page)
    assert len(urls) >= 10 and all(u.startswith(prefix_of(client) + "/") for u in urls)
    assert "?v=" not in page
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_an_unknown_hash_and_the_old_unhashed_urls_404(client):
    tree = client.app.state.static_tree.tree_hash
    other = ("0" if tree[0] != "0" else "1") + tree[1:]
    for url in (f"/static/{other}/app.js", "/static/app.js", "/static/lib/store.js", "/vendor/plotly.min.js"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/static/{tree}/no-such-file.js").status_code == 404
    assert client.get(f"/static/{tree}/../pyproject.toml").status_code == 404


def test_katex_fonts_resolve_under_the_same_prefix(client):
    """KaTeX's stylesheet names its fonts by relative URLs, which stay under the tree's hash."""
    css = client.get(f"{prefix_of(client)}/vendor/katex/katex.min.css").text
    fonts = set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css))
    assert fonts and {f"vendor/katex/{font}" for font in fonts} <= set(client.app.state.static_tree.assets)


def test_a_json_read_is_gzipped_and_a_write_that_carries_the_token_is_not(client):
    created = client.post("/api/sessions", json={}, headers=GZIP)
    assert created.status_code == 201 and "token" in created.json()
    assert "content-encoding" not in created.headers  # BREACH: no compressed answer holds a secret
    grid, wire = raw_get(client, f"/api/sessions/{created.json()['id']}/grid", GZIP)
    assert grid.status_code == 200 and grid.headers["content-encoding"] == "gzip"
    assert len(gzip.decompress(wire)) > 2 * len(wire)
    plain = client.get(f"/api/sessions/{created.json()['id']}/grid", headers=IDENTITY)
    assert "content-encoding" not in plain.headers


def test_the_tree_hash_follows_every_file(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "app.js").write_text('import "./lib/a.js";')
    (tmp_path / "lib" / "a.js").write_text("export const a = 1;")
    (tmp_path / ".hidden").write_text("left out")
    before = StaticTree(tmp_path)
    assert set(before.assets) == {"app.js", "lib/a.js"} and re.fullmatch(r"[0-9a-f]{12}", before.tree_hash)
    (tmp_path / "lib" / "a.js").write_text("export const a = 2;")
    assert StaticTree(tmp_path).tree_hash != before.tree_hash
    assert before.assets["lib/a.js"].body == b"export const a = 1;"  # served as read, until restarted


@pytest.mark.parametrize(
    "header, accepted",
    [
        ("gzip, deflate, br, zstd", True),
        ("gzip;q=0.5", True),
        ("GZIP", True),
        ("*", True),
        ("identity", False),
        ("gzip;q=0, *", False),
        ("br", False),
        ("", False),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header, accepted):
    assert accepts_gzip(header) is accepted
