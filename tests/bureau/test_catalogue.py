"""The Chinese catalogue: one English word used for two things gets a context, so each reads right."""

from django.utils import translation
from django.utils.translation import gettext

from archive.exports import HEADER
from publicity.models import MediaOutlet


def test_the_print_button_prints_and_the_outlet_kind_is_print_media():
    with translation.override("zh-hans"):
        assert gettext("Print") == "打印"
        assert str(MediaOutlet.Kind.PRINT.label) == "纸媒"


def test_the_archive_export_names_its_first_column_as_the_record_number():
    with translation.override("zh-hans"):
        assert str(HEADER[0]) == "档案编号"
