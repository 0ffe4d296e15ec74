#!/usr/bin/env bash
# make messages: refresh the English catalogues from the Chinese source strings of the whole
# project: django.po (Python and templates) and djangojs.po (gettext() in the static scripts,
# served by the JavaScript catalogue at /i18n/js/), then compile them. Translate the new empty
# msgstr entries in zhijia/locale/en/LC_MESSAGES/*.po afterwards.
set -euo pipefail
cd "$(dirname "$0")/../zhijia"
export ZHIJIA_DATA_DIR=${ZHIJIA_DATA_DIR:-$(mktemp -d)}
../.venv/bin/django-admin makemessages --settings=zhijia.settings -l en --no-obsolete \
    --no-location --ignore 'static/*'
../.venv/bin/django-admin makemessages --settings=zhijia.settings -d djangojs -l en \
    --no-obsolete --no-location --ignore '*.min.js'
../.venv/bin/django-admin compilemessages --settings=zhijia.settings -v 0
for po in locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/djangojs.po; do
    untranslated=$(msgattrib --untranslated "$po" | grep -c '^msgid ' || true)
    # A fuzzy entry (msgmerge's guess from a similar string) is not used: translate it too.
    fuzzy=$(msgattrib --only-fuzzy "$po" | grep -c '^msgid ' || true)
    echo "messages: zhijia/$po, ${untranslated} untranslated entries, ${fuzzy} fuzzy"
done
