#!/usr/bin/env bash
# Edge nodes on this machine: makes a private CA and certificates (openssl), starts three
# `msrf node serve` processes on loopback, runs `msrf detect` on the bundled scene with and
# without `--nodes`, compares the two JSON files byte for byte, then kills one node and runs
# again. Everything goes to out/edge-demo/; the nodes are stopped at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/build.sh"
msrf="$root/build/bin/msrf"
out="$root/out/edge-demo"
rm -rf "$out" && mkdir -p "$out" && cd "$out"

# A private CA; the nodes' certificate names 127.0.0.1 and localhost; one client certificate.
key="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
openssl req -x509 $key -days 7 -subj "/CN=msrf demo CA" -keyout ca.key -out ca.pem 2>/dev/null
openssl req $key -subj "/CN=localhost" -keyout node.key -out node.csr 2>/dev/null
echo "subjectAltName=IP:127.0.0.1,DNS:localhost" > san.ext
openssl x509 -req -days 7 -in node.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -extfile san.ext -out node.pem 2>/dev/null
openssl req $key -subj "/CN=msrf coordinator" -keyout client.key -out client.csr 2>/dev/null
openssl x509 -req -days 7 -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out client.pem 2>/dev/null
openssl rand -hex 24 > token && chmod 600 token *.key

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
nodes=""
for i in 1 2 3; do
  "$msrf" node serve --listen 127.0.0.1:0 --cert node.pem --key node.key --ca ca.pem \
    --token-file token --threads 1 > "node$i.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q "listening on" "node$i.log" && break; sleep 0.1; done
  address=$(sed -n 's/.*listening on \([^ ]*\).*/\1/p' "node$i.log")
  echo "node $i: $address"
  nodes="$nodes${nodes:+, }{\"address\": \"$address\"}"
done
cat > nodes.json <<JSON
{"ca": "ca.pem", "cert": "client.pem", "key": "client.key", "token_file": "token",
 "deadline_ms": 5000, "nodes": [$nodes]}
JSON

scene="$root/datasets/examples/vase_scene.png"
model="$root/datasets/examples/vase.json"
"$msrf" detect "$scene" --model "$model" --no-timing --out local.json
"$msrf" detect "$scene" --model "$model" --no-timing --out remote.json --nodes nodes.json
cmp local.json remote.json && echo "three nodes: same JSON as the local run"

{ kill -9 "${pids[1]}"; wait "${pids[1]}"; } 2>/dev/null || true
"$msrf" detect "$scene" --model "$model" --no-timing --out degraded.json --nodes nodes.json
cmp local.json degraded.json && echo "one node killed: same JSON as the local run"
