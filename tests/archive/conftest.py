import pytest
from django.db import connection

from archive.models import ArchiveRecord

TABLE = ArchiveRecord._meta.db_table


@pytest.fixture
def tamper(db):
    """``tamper(sql, params)`` runs raw SQL on the archive table with its triggers switched off,
    as someone with the table owner's rights could, and switches them back on afterwards."""

    def run(sql: str, params: list | None = None) -> None:
        with connection.cursor() as cursor:
            # The test's own inserts left deferred foreign-key checks pending, and PostgreSQL
            # will not alter a table with pending trigger events: run those checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE "{TABLE}" DISABLE TRIGGER ALL')
            try:
                cursor.execute(sql, params)
            finally:
                cursor.execute(f'ALTER TABLE "{TABLE}" ENABLE TRIGGER ALL')
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    return run
