#!/usr/bin/env bash
# Installs a Debian package that some tests need when its program is missing:
#   bot/ops/install-debian-package.sh /usr/bin/chromium chromium "les tests du navigateur"
#   bot/ops/install-debian-package.sh /usr/sbin/nginx nginx "les tests de la grappe (make run-cluster)"
# Playwright's own browser download cannot work here, so the browser tests drive Debian's
# Chromium; the cluster's load balancer is Debian's nginx. Without root or apt-get, the tests
# that need the program are skipped with this reason. Services are not started by the install.
program=$1 package=$2 purpose=$3
[ -x "$program" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> Installation de $package (paquet Debian) pour $purpose"
    # policy-rc.d 101: the package's service (nginx on port 80) is not started by the install.
    own_policy=false
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=true
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
    status=$?
    $own_policy && rm -f /usr/sbin/policy-rc.d
    [ $status = 0 ] && exit 0
fi
echo "$program est absent et n'a pas pu être installé : $purpose seront ignorés." >&2
exit 0
