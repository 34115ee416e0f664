#!/usr/bin/env bash
# Installs the Debian packages redthread needs and PyPI cannot provide.
#   scripts/system-deps.sh        what installing redthread needs (PyICU builds against ICU;
#                                 Tesseract reads scanned documents)
#   scripts/system-deps.sh bench  and what the benchmarks need (wrk, PostgreSQL)
#   scripts/system-deps.sh test   and what the test suite needs (PostgreSQL; Chromium for
#                                 the browser tests, driven by Playwright; Java 17 for the
#                                 Spark engine's tests, unless a java is on the PATH)
# Installs only what is missing; prints what to install when it cannot (not root, not Debian).
set -euo pipefail

packages=(pkg-config libicu-dev g++ tesseract-ocr)
if [[ "${1:-}" == "bench" ]]; then
  packages+=(postgresql wrk)   # the API bench: a load generator, and the team store
fi
if [[ "${1:-}" == "test" ]]; then
  packages+=(postgresql chromium chromium-driver)
  command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jre-headless)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "redthread needs these system packages (Debian names): ${missing[*]}" >&2
  echo "install their equivalents with your package manager and run again." >&2
  exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "redthread needs: apt-get install ${missing[*]} (run it as root, then run again)" >&2
    exit 1
  fi
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
