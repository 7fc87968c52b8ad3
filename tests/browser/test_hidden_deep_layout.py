"""The two views that take a hidden layer, Hidden space and Hidden unit, on a deep run (?hidden=4,3)
at a projector's size and a phone's: the layer select is where a student sees it before the
picture (on a phone, above it; at a projector, at the top of the column beside it), both in the
window, and the picture is big enough to read. Screenshots: test-output/hidden-deep-*.png."""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS, new_context, open_page
from .dashboard import Dashboard

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # two sizes, two views each

BOXES = """([select, picture]) => [select, picture].map(sel => {
  const r = document.querySelector(sel).getBoundingClientRect();
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height};
})"""


def boxes(page, select: str, picture: str) -> tuple[dict, dict]:
    return tuple(page.evaluate(BOXES, [select, picture]))


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 720)])
def test_the_layer_select_comes_before_the_picture_in_both_views(
    browser, recorder, live_server, width, height
):
    page = open_page(new_context(browser, width, height), recorder)
    Dashboard(page, live_server).open("?hidden=4,3")
    SCREENSHOTS.mkdir(exist_ok=True)

    page.click("#tab-hidden")
    page.wait_for_selector("#tab-body-hidden[data-layer='1'][data-step]")
    page.select_option("#hidden-layer", "2")
    page.wait_for_selector("#tab-body-hidden[data-layer='2']")
    page.locator("#hidden-layer").scroll_into_view_if_needed()
    select, picture = boxes(page, "#hidden-layer", "#hidden-canvas")
    check_before(select, picture, width)
    assert picture["width"] >= min(300, width - 60) and picture["height"] >= 120, picture
    page.screenshot(path=str(SCREENSHOTS / f"hidden-deep-space-{width}x{height}.png"))

    page.click("#tab-unit")
    page.wait_for_selector("#tab-body-unit[data-step]")
    page.select_option("#unit-layer", "2")
    page.wait_for_selector("#tab-body-unit[data-layer='2']")
    page.locator("#unit-layer").scroll_into_view_if_needed()
    select, picture = boxes(page, "#unit-layer", "#tab-body-unit canvas")
    check_before(select, picture, width)
    page.screenshot(path=str(SCREENSHOTS / f"hidden-deep-unit-{width}x{height}.png"))


def check_before(select: dict, picture: dict, width: int) -> None:
    """On a phone the select is above the picture; wider, above it or beside it at its top."""
    assert 0 <= select["left"] and select["right"] <= width, select
    if width < 700:
        assert select["bottom"] <= picture["top"] + 1, (select, picture)
    else:
        assert select["top"] <= picture["top"] + 40, (select, picture)
