# The SQLite full-text index gains the entries' type as a column (zhijia.core.search_sql):
# made again and refilled from core_searchentry. Nothing changes on PostgreSQL.

from django.db import migrations

from zhijia.core import search_sql


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_figure_cache"),
    ]

    operations = [
        migrations.RunPython(search_sql.migration_rebuild, search_sql.migration_rebuild),
    ]
