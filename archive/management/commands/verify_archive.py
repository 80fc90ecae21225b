"""Check that the archive has not been altered: ``python manage.py verify_archive``.

The archive is the office's evidence for inspections. Each record's hash covers its content and
the previous record's hash, so rewriting or removing a record breaks the chain from there on.
This command walks the whole chain, stores the result (shown to administrators on the archive
pages), and exits non-zero, naming the first broken record, when it
does not hold, so a scheduled job or an inspector can check it without opening the site."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archive.models import ArchiveCheck
from archive.services import archive_check_run


class Command(BaseCommand):
    help = "Recompute the archive's hash chain and report the first broken record, if any."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Records read per query (default 2000); memory use stays constant.",
        )

    def handle(self, *args, batch_size: int, verbosity: int, **options) -> None:
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        check = archive_check_run(source=ArchiveCheck.Source.COMMAND, batch_size=batch_size)
        if not check.is_ok:
            raise CommandError(
                ngettext(
                    "The archive chain is broken at record %(id)s (%(time)s, %(action)s): %(reason)s "
                    "%(checked)s record checked.",
                    "The archive chain is broken at record %(id)s (%(time)s, %(action)s): %(reason)s "
                    "%(checked)s records checked.",
                    check.records_checked,
                )
                % {
                    "id": check.broken_record_id,
                    "time": timezone.localtime(check.broken_at).isoformat(timespec="seconds"),
                    "action": check.broken_action,
                    "reason": check.broken_reason_text,
                    "checked": check.records_checked,
                }
            )
        if verbosity >= 1:
            message = ngettext(
                "The archive chain is intact: %(checked)s record checked.",
                "The archive chain is intact: %(checked)s records checked.",
                check.records_checked,
            )
            self.stdout.write(self.style.SUCCESS(message % {"checked": check.records_checked}))
        if verbosity >= 2 and check.last_hash:
            self.stdout.write(_("Hash of the newest record: %(hash)s") % {"hash": check.last_hash})
