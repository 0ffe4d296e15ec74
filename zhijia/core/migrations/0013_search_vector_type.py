# PostgreSQL: search_vector gains the entry's type as a lexeme (zhijia.core.search_sql), so the
# GIN index finds one type's matches alone; the column and its index are made again. Nothing
# changes on SQLite.

from django.db import migrations

from zhijia.core import search_sql


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0012_figure_value_queued_stamp"),
    ]

    operations = [
        migrations.RunPython(search_sql.migration_rebuild_vector, migrations.RunPython.noop),
    ]
