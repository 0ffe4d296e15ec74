#!/usr/bin/env bash
# make messages: refresh the English catalogue from the Chinese source strings of the whole
# project (Python and templates), then compile it. Translate the new empty msgstr entries in
# zhijia/locale/en/LC_MESSAGES/django.po afterwards.
set -euo pipefail
cd "$(dirname "$0")/../zhijia"
export ZHIJIA_DATA_DIR=${ZHIJIA_DATA_DIR:-$(mktemp -d)}
../.venv/bin/django-admin makemessages --settings=zhijia.settings -l en --no-obsolete \
    --no-location --ignore 'static/*'
../.venv/bin/django-admin compilemessages --settings=zhijia.settings -v 0
untranslated=$(msgattrib --untranslated locale/en/LC_MESSAGES/django.po | grep -c '^msgid ' || true)
echo "messages: zhijia/locale/en/LC_MESSAGES/django.po, ${untranslated} untranslated entries"
