#!/usr/bin/env bash
# Installs the system packages mpjava builds against (Debian): Cap'n Proto 0.9.2,
# a C++ toolchain, CMake, pkg-config, a JDK and Maven. Idempotent: does nothing
# when everything is already there, runs `apt-get update` at most once.
set -euo pipefail

packages=(capnproto libcapnp-dev g++ cmake pkg-config make maven default-jdk-headless util-linux)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "ci/install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
