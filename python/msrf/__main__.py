"""`python3 -m msrf bench-ethz`: the ETHZ Shape Classes protocol of `msrf bench ethz`, its
images spread over a Dask cluster.

    python3 -m msrf bench-ethz --root ../shared/datasets/ethz-dev --out OUT
    python3 -m msrf bench-ethz --root DIR --out OUT --scheduler tcp://host:8786

Each image is one task that runs every method with every class's model on it (the image and
its edge map are read, and the forest's map found, once for all models), on a worker that
sees the dataset at the same path. The scores, `summary.json`, `detections.json`,
`curves.png` and `contours.png` are those of `msrf bench ethz` with the same options: the
same functions make them, from the same detections. Exit code 0, or 2 with one line on bad
input.
"""

import argparse
import os
import sys
import time
import uuid

from . import DetectOptions, _msrf
from .batch import _in_worker_bootstrap, _limit_threads, _Progress


def _detect_image(root, classes, index, edges, options_json, methods, max_detections):
    _limit_threads()
    return _msrf._ethz_detect_image(root, classes, index, edges, options_json, methods,
                                    max_detections)


def bench_ethz(root, out, scheduler=None, workers=None, classes=(), methods=("msrf",),
               edges="berkeley", config=None, max_detections=5, progress=None):
    """Runs the benchmark; writes its files into `out` and returns the table. Called from a
    script without a `__main__` guard, the worker processes' import of it returns "" at once
    (as msrf.batch.detect_many does)."""
    from distributed import Client, LocalCluster, as_completed

    if not scheduler and _in_worker_bootstrap():
        return ""

    typed_root, root = root, os.path.abspath(root)  # workers may run elsewhere
    classes = list(classes)
    options_json = ""
    if config is not None:
        with open(config, encoding="utf-8") as f:
            options_json = DetectOptions.from_json(f.read())._as_json()
    found_classes, images = _msrf._ethz_dataset(root, classes, list(methods))
    os.makedirs(out, exist_ok=True)
    own = None
    if scheduler:
        client = Client(scheduler)
    else:
        own = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                           processes=True, dashboard_address=":0")
        client = Client(own)
    try:
        start = time.perf_counter()
        batch = uuid.uuid4().hex
        futures = [client.submit(_detect_image, root, classes, i, edges, options_json,
                                 list(methods), max_detections, key=f"msrf-ethz-{batch}-{i}",
                                 pure=False)
                   for i in range(len(images))]
        index = {f.key: i for i, f in enumerate(futures)}
        per_image = [None] * len(images)
        bar = _Progress(len(images), progress)
        for future in as_completed(futures):
            per_image[index[future.key]] = future.result()
            bar.step()
        seconds = time.perf_counter() - start
    finally:
        client.close()
        if own is not None:
            own.close()
    runs = []
    for m, name in enumerate(methods):
        by_class = {k: [] for k in found_classes}
        for image_runs in per_image:
            run_name, image_by_class = image_runs[m]
            assert run_name == name
            for klass, detections in image_by_class.items():
                by_class[klass].extend(detections)
        runs.append((name, seconds, by_class))
    # The files name the images under the root as typed, as `msrf bench ethz` does.
    return _msrf._ethz_write(typed_root, classes, edges, runs, os.path.abspath(out))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m msrf",
                                     description="msrf's benchmarks over a Dask cluster")
    commands = parser.add_subparsers(dest="command", required=True)
    ethz = commands.add_parser("bench-ethz", help="the ETHZ Shape Classes protocol",
                               description=__doc__.split("\n\n")[0])
    ethz.add_argument("--root", required=True, help="the dataset (ETHZ v1.2 layout)")
    ethz.add_argument("--out", required=True, help="folder for summary.json and the rest")
    ethz.add_argument("--scheduler", help="a Dask scheduler's address; default: a "
                      "LocalCluster of one single-threaded worker process per core")
    ethz.add_argument("--workers", type=int, help="worker processes of the LocalCluster")
    ethz.add_argument("--classes", default="", help="comma-separated classes (default all)")
    ethz.add_argument("--methods", default="msrf", help="comma-separated: msrf,ghough,chamfer")
    ethz.add_argument("--edges", default="berkeley",
                      choices=["berkeley", "auto", "forest", "canny"])
    ethz.add_argument("--config", help="msrf's options as JSON, as `msrf detect --config`")
    ethz.add_argument("--max-detections", type=int, default=5)
    args = parser.parse_args(argv)
    try:
        if args.max_detections < 1 or args.max_detections > 1000:
            raise ValueError("--max-detections must be in [1, 1000]")
        if args.workers is not None and args.workers < 1:
            raise ValueError("--workers must be at least 1")
        table = bench_ethz(args.root, args.out, scheduler=args.scheduler, workers=args.workers,
                           classes=[c for c in args.classes.split(",") if c],
                           methods=[m for m in args.methods.split(",") if m], edges=args.edges,
                           config=args.config, max_detections=args.max_detections)
    except (ValueError, OSError) as error:
        print(f"python3 -m msrf {args.command}: error: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(table)
    print(f"-> {os.path.join(args.out, 'summary.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
