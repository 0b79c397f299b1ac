"""The cost of calling msrf from Python over the C++ call itself, on the bundled example.

    PYTHONPATH=build/python /usr/bin/python3 python/benchmarks/call_overhead.py [--runs 20]

Per run: the wall time of msrf.detect against the total time the C++ Detect reports for the
same call (DetectSummary::timing.total_ms); the difference is what the module adds (array
views, options, releasing the GIL, the result objects). Medians are printed, and the time
detections_to_json takes.
"""

import argparse
import pathlib
import statistics
import time

import msrf

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=0, help="0: all cores")
    args = parser.parse_args()
    msrf.set_threads(args.threads)
    image = msrf.read_image(ROOT / "datasets" / "examples" / "vase_scene.png")
    model = msrf.Model.load(ROOT / "datasets" / "examples" / "vase.json")
    msrf.detect(image, model)  # untimed: the forest and the allocator warm up
    wall, inner, to_json = [], [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        found = msrf.detect(image, model)
        wall.append((time.perf_counter() - start) * 1e3)
        inner.append(found.summary["timing"]["total_ms"])
        start = time.perf_counter()
        msrf.detections_to_json(found)
        to_json.append((time.perf_counter() - start) * 1e3)
    overhead = [w - i for w, i in zip(wall, inner)]
    print(f"msrf.detect, bundled example, {args.runs} runs, threads {msrf._msrf._max_threads()}:")
    print(f"  wall {statistics.median(wall):.1f} ms, C++ Detect {statistics.median(inner):.1f} ms, "
          f"Python over C++ {statistics.median(overhead):.2f} ms "
          f"({100 * statistics.median(overhead) / statistics.median(inner):.2f}%)")
    print(f"  detections_to_json {statistics.median(to_json):.2f} ms")


if __name__ == "__main__":
    main()
