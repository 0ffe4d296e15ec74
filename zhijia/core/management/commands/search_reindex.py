"""`zhijia manage search_reindex [--type T ...]`: rebuild the global search's entries of the
declared record types (zhijia.core.searchables) from their records: after a restore made by
other means, a bulk load, or a change of what a module indexes."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhijia.core import searchables


class Command(BaseCommand):
    help = "Rebuild the search entries of every declared record type (or of --type ones)."

    def add_arguments(self, parser):
        parser.add_argument("--type", action="append", dest="types", help="e.g. org.member")

    def handle(self, *args, types=None, **options):
        known = {s.type for s in searchables.declared()}
        unknown = sorted(set(types or ()) - known)
        if unknown:
            raise CommandError(
                f"unknown record types: {', '.join(unknown)}; known: {sorted(known)}"
            )
        for type_key, count in searchables.reindex(types).items():
            self.stdout.write(f"{type_key}: {count}")
