#!/usr/bin/env bash
# Debian packages the tests use: iproute2 (namespaces, veth), iputils-ping, traceroute, ethtool, procps,
# curl, frr (the native runtime's FRR routers: one FRR instance per lab node), openssl (test certificates),
# python3 with requests (the Remote Lab Python client check in tests/compat) and the Prometheus client
# library, whose text-format parser reads the broker's /metrics in tests; chromium, the headless
# browser the dashboard's browser tests drive. `npm run test:system` (and so `npm test`) runs
# this first (pretest:system): as root it installs what is missing; otherwise it says what is missing and
# carries on, since the tests that need these run only as root and skip, saying why, otherwise.
set -euo pipefail
packages=(iproute2 iputils-ping traceroute ethtool procps curl frr openssl python3 python3-requests python3-prometheus-client chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages present: ${packages[*]}"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${missing[*]} (run as root to install them; the tests that need them need root too and will skip)" >&2
  exit 0
fi
echo "installing missing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The package starts FRR on the host itself where systemd runs; labs run their own instances in their
# namespaces and need none there, so a host FRR this script brought is switched off again.
if [[ " ${missing[*]} " == *" frr "* ]] && [ -d /run/systemd/system ]; then
  systemctl disable --now frr.service || true
fi
