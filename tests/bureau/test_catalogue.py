"""The Chinese catalogue: gettext skips an entry marked fuzzy, so a user would see its English."""

from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_no_entry_is_marked_fuzzy():
    flagged = [number for number, line in enumerate(CATALOGUE.read_text().splitlines(), 1) if "fuzzy" in line]
    assert flagged == [], f"fuzzy entries at lines {flagged}: check the translation and drop the flag"
