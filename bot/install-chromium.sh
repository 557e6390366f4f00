#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing. Playwright's own browser
# download cannot work here; the tests drive /usr/bin/chromium. Without root or apt-get, the
# browser tests are skipped with this reason.
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> Installation de Chromium (paquet Debian) pour les tests du navigateur"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "Chromium (/usr/bin/chromium) est absent et n'a pas pu être installé : les tests du navigateur seront ignorés." >&2
exit 0
