#!/usr/bin/env bash
# Installs the Debian packages msrf builds with. Idempotent: packages already present are
# skipped, and apt is not touched at all when nothing is missing.
#
#   scripts/setup.sh            build dependencies
#   scripts/setup.sh --dev      also the tools CI uses (clang-format, clang-tidy, clang and
#                               its sanitizer runtimes for the fuzzers)
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libopencv-dev libopencv-contrib-dev
  libeigen3-dev libboost-graph-dev libtbb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  openssl ccache
  python3-dev pybind11-dev python3-numpy python3-distributed python3-pytest
)
if [[ "${1:-}" == "--dev" ]]; then
  packages+=(clang-format clang-tidy clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
