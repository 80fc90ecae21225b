"""Before one unsigned briefing per period and kind (and one unsigned 专报 per event) is enforced
(0013): a double click or a second drafting used to make a second, identical draft. Each such
duplicate that nobody edited or submitted is deleted; the one kept is the one with work in it (the
submitted one, else an edited one, else the first drafted). A duplicate that someone has worked on
is never deleted here: the migration stops and names the briefings, for a person to decide.

Reverse: nothing to do (the deleted drafts were copies of the kept one, from the same data)."""

from django.db import migrations
from django.db.models import Count


def _keep_first(rows):
    return sorted(rows, key=lambda row: (row.state != "submitted", row.editor_count == 0, row.pk))


def delete_untouched_duplicates(apps, schema_editor):
    Briefing = apps.get_model("reports", "Briefing")
    unsigned = Briefing.objects.exclude(state="signed").annotate(editor_count=Count("editors"))
    groups: dict[tuple, list] = {}
    for row in unsigned.order_by("pk"):
        key = ("event", row.event_id) if row.event_id is not None else ("period", row.kind, row.first, row.last)
        groups.setdefault(key, []).append(row)
    stuck = []
    for rows in groups.values():
        if len(rows) < 2:
            continue
        _kept, *others = _keep_first(rows)
        for row in others:
            if row.state == "draft" and row.editor_count == 0:
                row.delete()
            else:
                stuck.append(row.pk)
    if stuck:
        raise RuntimeError(
            "Briefings with the same period (or event) that have been edited or submitted: "
            f"{sorted(stuck)}. Keep one of each, delete the others in the admin shell, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0011_briefing_returns")]

    operations = [migrations.RunPython(delete_untouched_duplicates, migrations.RunPython.noop)]
