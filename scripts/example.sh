#!/usr/bin/env bash
# The main job on the bundled example: builds msrf, then finds the bundled vase
# (datasets/examples/vase.json) in a cluttered scene (datasets/examples/vase_scene.png, made
# by `msrf synth --target datasets/examples/vase.json --seed 4`). Writes
# out/example/detections.json, out/example/overlay.png and out/example/contours.svg.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/build.sh"
mkdir -p "$root/out/example"
"$root/build/bin/msrf" detect "$root/datasets/examples/vase_scene.png" \
  --model "$root/datasets/examples/vase.json" \
  --out "$root/out/example/detections.json" --overlay "$root/out/example/overlay.png" \
  --svg "$root/out/example/contours.svg"
echo "overlay: $root/out/example/overlay.png"
