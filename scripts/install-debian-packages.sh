#!/usr/bin/env bash
# Installs the Debian packages the test suite needs beyond Node (chromium, nginx, glewlwyd),
# and only those that are missing. The one place the repo calls apt-get:
# - waits for the dpkg lock (another apt run, unattended-upgrades) instead of failing;
# - a policy-rc.d for the duration, so no package starts its own daemon (the tests run their
#   own nginx on their own ports and stop it by pid; a system nginx would take port 80);
# - a package that is missing and cannot be installed ends the run with one line naming it
#   (apt's own output goes to a log file, named in that line).
# - PACKAGE=VERSION pins a version, with apt's wildcards (`glewlwyd=2.7.*`): that version is
#   installed when the package is missing, and checked when it is there (another version
#   fails with one line naming both: it is not up- or downgraded behind anyone's back).
# Usage: scripts/install-debian-packages.sh PACKAGE[=VERSION]...   (exit 0: all installed)
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 PACKAGE..." >&2
  exit 2
fi

installed_version() { # the version of an installed package, empty when it is not installed
  if [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = 'install ok installed' ]; then
    dpkg-query -W -f='${Version}' "$1"
  fi
}

# Fails when a pinned package is installed in another version; prints nothing otherwise.
check_pins() {
  local spec package pin version
  for spec in "$@"; do
    package=${spec%%=*}
    [ "$package" = "$spec" ] && continue
    pin=${spec#*=}
    version=$(installed_version "$package")
    # shellcheck disable=SC2053 # the pin is a glob on purpose
    if [ -n "$version" ] && [[ $version != $pin ]]; then
      echo "missing prerequisite: $package $pin (installed: $version; install that version yourself)" >&2
      exit 1
    fi
  done
}

check_pins "$@"
missing=()
for spec in "$@"; do
  [ -z "$(installed_version "${spec%%=*}")" ] && missing+=("$spec")
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
for spec in "${missing[@]}"; do
  if ! apt-cache policy "${spec%%=*}" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    "${apt[@]}" update >>"$log" 2>&1 || true
    break
  fi
done
if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
  echo "missing prerequisite: ${missing[*]} (apt-get install failed: see $log)" >&2
  exit 1
fi
check_pins "$@"
