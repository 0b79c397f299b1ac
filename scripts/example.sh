#!/usr/bin/env bash
# The main job on the bundled example: builds msrf, then finds the multiscale contour
# fragments of datasets/examples/shapes.png. Writes out/example/fragments.json and
# out/example/overlay.png.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/build.sh"
mkdir -p "$root/out/example"
"$root/build/bin/msrf" fragments "$root/datasets/examples/shapes.png" \
  --out "$root/out/example/fragments.json" --overlay "$root/out/example/overlay.png"
echo "overlay: $root/out/example/overlay.png"
