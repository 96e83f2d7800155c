#!/usr/bin/env bash
# Install the browser assets of the torkg pages: the YASGUI SPARQL editor (@zazuko/yasgui, pinned
# in package.json / package-lock.json) into node_modules/, from the npm registry. The server serves
# node_modules/@zazuko/yasgui/build/ at /static/vendor/yasgui/; nothing is committed.
# Idempotent: does nothing when the pinned version is already installed. Needs node and npm
# (Debian: apt-get install nodejs npm).
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(node -p "require('./package-lock.json').packages['node_modules/@zazuko/yasgui'].version" 2>/dev/null || echo "?")
have=$(node -p "require('./node_modules/@zazuko/yasgui/package.json').version" 2>/dev/null || echo "none")
if [ -f node_modules/@zazuko/yasgui/build/yasgui.min.js ] && [ "$want" = "$have" ]; then
    echo "install-web: @zazuko/yasgui $have already installed"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "install-web: npm is not installed; install Node.js and npm (Debian: apt-get install nodejs npm) and rerun" >&2
    exit 1
fi
npm ci --no-audit --no-fund --ignore-scripts
echo "install-web: installed @zazuko/yasgui $(node -p "require('./node_modules/@zazuko/yasgui/package.json').version")"
