#!/usr/bin/env bash
# The editor test drives Debian's Chromium (browser downloads such as `npx playwright
# install` are not possible here), or the browser CHROMIUM_PATH names. Installs Debian's
# when neither is there; needs root, as CI runs.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
	echo "Chromium is missing: install Debian's chromium package (apt-get install chromium), or set CHROMIUM_PATH, and run again." >&2
	exit 1
fi
echo "[editor] installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
