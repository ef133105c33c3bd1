#!/usr/bin/env bash
# Machine set-up the test suite needs, done by the project itself (idempotent, quiet when all is there):
#  - Debian's chromium for the browser tests (test tools' own browser downloads fail offline);
#  - Debian's poppler-utils (pdftoppm), so the export test renders the note PDF's pages to images;
#  - Debian's caddy, so a browser test can sign in through the shipped deploy/Caddyfile (loopback only);
#  - axe-core (npm, pinned by tests/web/a11y/package-lock.json) for the accessibility tests;
#  - PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answering, started if they are installed but down.
set -u

say() { printf 'ensure-system: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi
}

ensure_chromium() {
    command -v chromium >/dev/null 2>&1 && return 0
    command -v apt-get >/dev/null 2>&1 || { say "chromium missing and no apt-get: browser tests will skip"; return 0; }
    say "installing Debian's chromium for the browser tests"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
        || { as_root apt-get update -q >/dev/null 2>&1 \
             && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1; } \
        || say "could not install chromium: browser tests will skip"
}

ensure_caddy() {
    command -v caddy >/dev/null 2>&1 && return 0
    command -v apt-get >/dev/null 2>&1 || { say "caddy missing and no apt-get: the proxy sign-in test will skip"; return 0; }
    say "installing Debian's caddy for the proxy sign-in test"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends caddy >/dev/null 2>&1 \
        || say "could not install caddy: the proxy sign-in test will skip"
    # Debian starts a caddy service on :80; the test runs its own on loopback ports only.
    as_root systemctl disable --now caddy >/dev/null 2>&1 || true
}

ensure_poppler() {
    command -v pdftoppm >/dev/null 2>&1 && return 0
    command -v apt-get >/dev/null 2>&1 || { say "pdftoppm missing and no apt-get: the PDF page test will skip"; return 0; }
    say "installing Debian's poppler-utils for the PDF page test"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends poppler-utils >/dev/null 2>&1 \
        || { as_root apt-get update -q >/dev/null 2>&1 \
             && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends poppler-utils \
                >/dev/null 2>&1; } \
        || say "could not install poppler-utils: the PDF page test will skip"
}

ensure_axe() {
    # axe-core for the accessibility tests, pinned by tests/web/a11y/package-lock.json (node_modules is git-ignored)
    local dir
    dir="$(cd "$(dirname "$0")/.." && pwd)/tests/web/a11y"
    [ -f "$dir/node_modules/axe-core/axe.min.js" ] && return 0
    command -v npm >/dev/null 2>&1 || { say "npm missing: the accessibility tests will skip"; return 0; }
    say "installing axe-core for the accessibility tests (npm ci in tests/web/a11y)"
    (cd "$dir" && npm ci --no-audit --no-fund --silent >/dev/null 2>&1) \
        || say "could not install axe-core: the accessibility tests will fail"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_postgres() {
    port_open 5432 && return 0
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        say "PostgreSQL is down; starting it"
        as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >/dev/null 2>&1
    fi
    port_open 5432 || say "PostgreSQL does not answer on 127.0.0.1:5432: the PostgreSQL store tests will fail"
}

ensure_redis() {
    port_open 6379 && return 0
    if command -v redis-server >/dev/null 2>&1; then
        say "Redis is down; starting it"
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1
        sleep 1
    fi
    port_open 6379 || say "Redis does not answer on 127.0.0.1:6379: the Redis tests will fail"
}

ensure_chromium
ensure_poppler
ensure_caddy
ensure_axe
ensure_postgres
ensure_redis
exit 0
