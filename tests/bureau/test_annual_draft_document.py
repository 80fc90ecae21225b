"""The draft 年度工作总结 as an official document (GB/T 9704): opened with python-docx and checked for
the page, the fonts and sizes, the indent and line spacing, the numbered headings, the 落款, and
counts that name every kind. The figures are a dict written by hand (the draft reads nothing else)."""

import io
import re

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.annual.draft import write_annual_draft


def _row(**counts):
    row = dict.fromkeys(
        ("received", "replied", "replied_on_time", "completed", "overdue", "called_back", "satisfied"), 0
    )
    row.update(counts)
    return row | {"reply_rate": None, "on_time_rate": None, "completion_rate": None, "satisfaction": None}


# 2025 as written here: 3 demands (2 complaints, 1 consultation) — so suggestion, criticism, praise
# and other are 0; 1 report by a city web outlet — national, provincial and county 0, print, TV and
# new media 0; 5 tasks (1 special report, 2 assignments, 2 other); 7 archive records, 2 of posts,
# 1 of demands, 0 publicity, 1 duty: 3 other.
FIGURES = {
    "year": 2025,
    "is_final": True,
    "as_of": "2026-01-01T00:30:00+08:00",
    "organisation": {
        "chain": [{"area": "网络舆情工作", "overall": "王局长", "lead": "李副局长", "executor": "张主任"}],
        "team": 6,
        "departments": ["办公室", "宣传科"],
        "spokespeople": ["李副局长", "张主任"],
        "sections": [{"site": "官网", "name": "政务公开", "owner": "赵敏"}],
        "equipment": [{"kind": "computer", "count": 6, "online": 6}, {"kind": "camera", "count": 6, "online": 0}],
        "trainings": 2,
        "training_hours": 8.0,
    },
    "demands": {
        "total": _row(received=3, replied=3, replied_on_time=2, completed=2, called_back=2, satisfied=2)
        | {"reply_rate": 1.0, "on_time_rate": 0.6667, "completion_rate": 0.6667, "satisfaction": 1.0},
        "by_kind": [_row(received=2) | {"key": "complaint"}, _row(received=1) | {"key": "consultation"}],
        "by_channel": [_row(received=3) | {"key": "12345热线"}],
        "by_department": [],
        "by_period": [],
    },
    "posts": {
        "total": {"found": 40, "relevant": 12, "handled": 12, "taken_down": 1},
        "taken_down_by_category": [{"name": "赌博", "count": 1}],
        "by_period": [],
    },
    "publicity": {
        "published": 45,
        "quota": None,
        "quotas": [],
        "outlets": [{"name": "县融媒体中心", "level": "city", "kind": "web", "reports": 1}],
        "reports": 1,
        "reports_by_level": {"city": 1},
        "disclosures": 0,
        "published_by_month": [0] * 12,
    },
    "duty": {
        "total": {
            "shifts": 10,
            "understaffed_shifts": 0,
            "assignments": 10,
            "on_time": 9,
            "late": 1,
            "missed": 0,
            "pending": 0,
            "on_time_rate": None,
        },
        "by_period": [],
    },
    "tasks": {
        "total": {
            "received": 5,
            "special_reports": 1,
            "assignments": 2,
            "other": 2,
            "handled": 5,
            "on_time": 5,
            "overdue": 0,
        },
        "by_period": [],
        "incidents": 0,
        "incidents_by_level": {},
    },
    "archive": {
        "total": 7,
        "by_action": [
            {"action": "opinions.post.found", "count": 2},
            {"action": "opinions.demand.received", "count": 1},
            {"action": "assignments.shift.signed_in", "count": 1},
            {"action": "bureau.person.created", "count": 3},
        ],
        "by_month": [0] * 12,
    },
}


@pytest.fixture
def draft(settings):
    settings.BUREAU_NAME = "某县文广新局"
    buffer = io.BytesIO()
    write_annual_draft(figures=FIGURES, stream=buffer)  # Chinese, the default
    buffer.seek(0)
    return docx.Document(buffer)


def _east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def _texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def test_a4_portrait_with_the_official_margins(draft):
    section = draft.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # Word stores twentieths of a point: 37 mm is kept as 2098 twips, within 0.05 mm.
    margins = (section.top_margin.mm, section.bottom_margin.mm, section.left_margin.mm, section.right_margin.mm)
    assert [round(value, 1) for value in margins] == [37.0, 35.0, 28.0, 26.0]


def test_title_in_xiaobiaosong_size_two_centred(draft):
    title = draft.paragraphs[0]
    assert title.text == "2025年度网络舆情与网络宣传工作总结"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [(run.font.size, _east_asian(run)) for run in title.runs] == [(Pt(22), "方正小标宋简体")]


def test_body_in_fangsong_size_three_indented_two_characters_on_a_fixed_line(draft):
    texts = _texts(draft)
    body = [p for p in draft.paragraphs if p.text.startswith(("参与此项工作", "全年受理群众诉求", "已答复3件"))]
    assert len(body) == 3
    for paragraph in body:
        assert [(run.font.size, _east_asian(run)) for run in paragraph.runs] == [(Pt(16), "仿宋_GB2312")]
        assert paragraph.paragraph_format.first_line_indent == Pt(32)  # two characters of 16 pt
        assert paragraph.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert 28 <= paragraph.paragraph_format.line_spacing.pt <= 29
    # Every paragraph of the body, headings included, is size 3 (the title is the only size 2).
    sizes = {run.font.size for paragraph in draft.paragraphs[1:] for run in paragraph.runs}
    assert sizes == {Pt(16)}
    assert texts.count("2025年度网络舆情与网络宣传工作总结") == 1


def test_fonts_name_their_fallbacks(draft):
    font_table = next(p for p in draft.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    blob = font_table.blob.decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="华文中宋"/>' in blob
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in blob


def test_sections_numbered_as_the_seeds(draft):
    headings = [text for text in _texts(draft) if re.match(r"^[一二三四五六七八九十]+、", text)]
    assert [heading[:2] for heading in headings] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    subheadings = [text for text in _texts(draft) if re.match(r"^（[一二三四五六七八九十]+）", text)]
    assert subheadings == [
        "（一）值班与网上巡查",
        "（二）群众诉求办理",
        "（一）（由办公室填写）",
        "（二）（由办公室填写）",
        "（三）（由办公室填写）",
    ]
    by_text = {p.text: p for p in draft.paragraphs}
    assert _east_asian(by_text["二、网络舆情处置"].runs[0]) == "黑体"
    assert _east_asian(by_text["（一）值班与网上巡查"].runs[0]) == "楷体_GB2312"


def test_signature_right_aligned_with_the_bureau_and_the_date_in_chinese(draft):
    name, day = draft.paragraphs[-2], draft.paragraphs[-1]
    assert (name.text, day.text) == ("某县文广新局", "2026年1月1日")  # as_of, local time
    assert name.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_every_kind_is_counted_other_included_even_at_zero(draft):
    text = "\n".join(_texts(draft))
    assert "按类别计：投诉2件、建议0件、咨询1件、批评0件、表扬0件、其他0件；" in text
    assert (
        "按媒体级别计：国家级0次、省级0次、市级1次、县级0次；按媒体类型计：纸媒0次、网络1次、电视0次、新媒体0次。"
        in text
    )
    assert "舆情专报1件、舆情交办2件、其他任务2件" in text
    assert "值班和交办任务1条、其他工作3条" in text


def test_no_spaces_around_names_and_numbers(draft):
    text = "\n".join(_texts(draft))
    assert "王局长负总责，李副局长牵头组织，张主任抓具体落实" in text
    assert "网络发言人为李副局长、张主任，" in text
    assert "已答复3件" in text
    # No space next to a Chinese character or full-width punctuation anywhere in the body.
    cjk = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
    assert re.findall(rf"{cjk} +| +{cjk}", text) == []


def test_the_note_for_the_office_is_in_the_header_not_the_body(draft):
    assert draft.sections[0].header.paragraphs[0].text.startswith("本稿于")
    assert not any(text.startswith("本稿于") for text in _texts(draft))


def test_pages_are_numbered_at_the_foot(draft):
    footer = draft.sections[0].footer.paragraphs[0]
    assert footer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert footer._element.xpath("./w:fldSimple/@w:instr") == ["PAGE"]
    # "— ", the field (its placeholder "1", which Word replaces), " —".
    assert footer._element.xpath(".//w:t/text()") == ["— ", "1", " —"]
