# PostgreSQL: a b-tree on core_searchentry (target_type, id), so a type's newest matches are
# found without reading every match (zhijia.core.search_sql). Nothing changes on SQLite.

from django.db import migrations

from zhijia.core import search_sql


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_figure_value_valid_until"),
    ]

    operations = [
        # Going back leaves the index (drop_search_schema removes it with the rest).
        migrations.RunPython(search_sql.migration_forward, migrations.RunPython.noop),
    ]
