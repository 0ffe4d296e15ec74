# SQLite: the full-text index holds each word with its entry's type in front instead of a type
# column (zhijia.core.search_sql), so bm25() no longer counts the type column's rows at every
# search: made again and refilled from core_searchentry. Nothing changes on PostgreSQL.

from django.db import migrations

from zhijia.core import search_sql


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0013_search_vector_type"),
    ]

    operations = [
        migrations.RunPython(search_sql.migration_rebuild, search_sql.migration_rebuild),
    ]
