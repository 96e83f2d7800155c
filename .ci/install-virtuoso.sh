#!/usr/bin/env bash
# Install Debian's OpenLink Virtuoso 7 (virtuoso-opensource-7) for the remote-store tests and
# benchmark, without prompts and without leaving the system service running.
#
# The tests never use the packaged service: tests/virtuoso.py starts its own `virtuoso-t` on
# loopback with a temporary database. So the DBA password question is preseeded blank, which
# makes the package disable its daemon, and a policy-rc.d (when none exists) stops the package
# from starting it during installation at all.
#
# Idempotent: does nothing when virtuoso-t and isql-vt are already installed.
# Usage: bash .ci/install-virtuoso.sh   (as root, or with sudo available)
set -euo pipefail

if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
    echo "install-virtuoso: $(virtuoso-t -? 2>&1 | head -n 2 | tail -n 1 || true) already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-virtuoso: run as root (or install sudo)" >&2; exit 1; }
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
# A blank DBA password: the package then disables its own daemon (we start our own instances).
$SUDO debconf-set-selections <<'SEL'
virtuoso-opensource-7 virtuoso-opensource-7/dba-password password
virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password
virtuoso-opensource-7 virtuoso-opensource-7/register-odbc-dsn boolean false
virtuoso-opensource-7 virtuoso-opensource/primary-server select virtuoso-opensource-7
SEL

# Keep invoke-rc.d from starting the packaged service during installation.
POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=0
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    ADDED_POLICY=1
fi
cleanup() { if [ "$ADDED_POLICY" = 1 ]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT

if ! apt-cache show virtuoso-opensource-7 >/dev/null 2>&1; then
    $SUDO apt-get update -q
fi
$SUDO apt-get install -y -q --no-install-recommends virtuoso-opensource-7 || {
    # a stale package list (404 on a superseded version): refresh once and retry
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends virtuoso-opensource-7
}

# Belt and braces: the packaged service must not run (it would hold ports 1111/8890).
if [ -x /etc/init.d/virtuoso-opensource-7 ]; then
    $SUDO /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true
fi

command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null
echo "install-virtuoso: installed $(dpkg-query -W -f='${Package} ${Version}' virtuoso-opensource-7)"
