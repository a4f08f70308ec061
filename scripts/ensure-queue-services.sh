#!/usr/bin/env bash
# The queue-mode test runs n8n with PostgreSQL (its database) and Redis (its queue) on
# loopback, from Debian's packages. Installs them when missing; needs root, as CI runs.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
	echo "Queue mode needs ${missing[*]}: install them (apt-get install ${missing[*]}) and run again." >&2
	exit 1
fi
echo "[queue] installing Debian's ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
# Debian starts the services it installs; the test starts its own on other ports.
service redis-server stop >/dev/null 2>&1 || true
service postgresql stop >/dev/null 2>&1 || true
