#!/usr/bin/env bash
# Installs the Debian packages the test suite needs beyond Node (chromium, nginx), and only
# those that are missing. The one place the repo calls apt-get:
# - waits for the dpkg lock (another apt run, unattended-upgrades) instead of failing;
# - a policy-rc.d for the duration, so no package starts its own daemon (the tests run their
#   own nginx on their own ports and stop it by pid; a system nginx would take port 80);
# - a package that is missing and cannot be installed ends the run with one line naming it
#   (apt's own output goes to a log file, named in that line).
# Usage: scripts/install-debian-packages.sh PACKAGE...   (exit 0: all installed)
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 PACKAGE..." >&2
  exit 2
fi

missing=()
for package in "$@"; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != 'install ok installed' ]; then
    missing+=("$package")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing prerequisite: ${missing[*]} (no apt-get on this machine: install it yourself)" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing prerequisite: ${missing[*]} (run 'sudo $0 ${missing[*]}' once)" >&2
  exit 1
fi

log=$(mktemp -t install-debian-packages.XXXXXX.log)
# 10 minutes: an unattended upgrade holding the lock is waited for, a stuck one is not.
apt=(apt-get -o DPkg::Lock::Timeout=600 -y -q)
export DEBIAN_FRONTEND=noninteractive

policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  # Exit status 101 = "action forbidden": invoke-rc.d starts no service while this exists.
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

echo "Installing Debian packages: ${missing[*]} (apt's output: $log)"
# The package lists may be empty (a fresh machine) or old: refresh them once when apt knows
# no candidate for one of the packages.
for package in "${missing[@]}"; do
  if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    "${apt[@]}" update >>"$log" 2>&1 || true
    break
  fi
done
if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
  echo "missing prerequisite: ${missing[*]} (apt-get install failed: see $log)" >&2
  exit 1
fi
