"""The handling form prints on one A4 page: Chromium renders it to PDF and the pages are counted."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.opinions.handling_case import build_three_round_case

pytestmark = [pytest.mark.browser]

CSS = Path(settings.BASE_DIR) / "static" / "css" / "opinions.css"


def _page_count(pdf: bytes) -> int:
    # Chromium writes each page as an uncompressed "/Type /Page" dictionary ("/Pages" is the tree).
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def test_three_rounds_and_long_texts_print_on_one_a4_page(browser, client_as, cast, travel, tmp_path):
    demand = build_three_round_case(cast, travel)
    html = client_as("supervisor").get(reverse("opinions:demand-print", args=[demand.pk])).content.decode()
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        # The page alone, without a live server: its one stylesheet is added from the file.
        page.set_content(html.replace('<link rel="stylesheet"', '<link rel="x-ignored"'))
        page.add_style_tag(path=str(CSS))
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        (tmp_path / "form.pdf").write_bytes(pdf)
        assert _page_count(pdf) == 1
        # Nothing sticks out on the right: every cell ends inside the 180 mm printable width
        # (A4's 210 mm less the two 15 mm @page margins; 96 CSS px per inch).
        page.emulate_media(media="print")
        page.set_viewport_size({"width": round(180 / 25.4 * 96), "height": 1000})
        widest = page.evaluate(
            "Math.max(...[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right))"
        )
        assert widest <= 180 / 25.4 * 96
        assert page.evaluate("document.documentElement.scrollWidth") <= round(180 / 25.4 * 96)
    finally:
        context.close()
