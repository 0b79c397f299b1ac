"""Many images over a Dask cluster: `detect_many`.

    from dask.distributed import Client
    import msrf, msrf.batch

    model = msrf.Model.load("mug.json")
    results = msrf.batch.detect_many(["a.jpg", "b.jpg"], model)        # a local cluster
    results = msrf.batch.detect_many(paths, model, client=Client("tcp://host:8786"))
    for r in results:                        # in input order
        print(r.source, r.error or r.detections[0]["score"] if r.detections else None)

Each image is one Dask task. A worker that dies mid-batch loses nothing: Dask runs its
images again on another worker. An image that fails (unreadable, bad edge map) gives an
ImageResult with `error` set; the rest go on. Results equal those of `msrf.detect` on one
machine, for any cluster: the JSON is byte for byte that of `msrf detect --no-timing`.
"""

import json
import os
import sys
import threading
import uuid

from . import DetectOptions, Model, _options_json, detect, detections_to_json, read_edge_map
from . import read_image, set_threads

__all__ = ["ImageResult", "detect_many"]


class ImageResult:
    """One image's outcome: `source` (its path, or its index for an array), `json` (the text
    `msrf detect --no-timing` writes), `detections` (that JSON's list: score, box, contours,
    ...) and `error` (None, or the one-line message of what went wrong)."""

    __slots__ = ("source", "json", "detections", "error")

    def __init__(self, source, json_text=None, error=None):
        self.source = source
        self.json = json_text
        self.detections = json.loads(json_text)["detections"] if json_text else []
        self.error = error

    @property
    def ok(self):
        return self.error is None

    def __eq__(self, other):
        return (isinstance(other, ImageResult) and self.source == other.source and
                self.json == other.json and self.error == other.error)

    def __repr__(self):
        if self.error is not None:
            return f"ImageResult({self.source!r}, error={self.error!r})"
        return f"ImageResult({self.source!r}, {len(self.detections)} detection(s))"


_threads_lock = threading.Lock()
_threads_set = False


def _limit_threads():
    """Once per worker process: msrf uses as many threads as the worker runs tasks, so that
    the processes of one machine do not oversubscribe its cores."""
    global _threads_set
    with _threads_lock:
        if _threads_set:
            return
        try:
            from distributed import get_worker
            set_threads(get_worker().state.nthreads)
        except (ImportError, ValueError, AttributeError):
            pass
        _threads_set = True


def _detect_one(item, model, edges, options_json, max_pixels):
    """A task: detections of one image (a path or an array) as the CLI's JSON, or its error."""
    _limit_threads()
    source = item if isinstance(item, str) else None
    try:
        image = read_image(item, max_pixels) if source is not None else item
        edge_map = read_edge_map(edges) if isinstance(edges, str) else edges
        options = DetectOptions.from_json(options_json) if options_json else None
        found = detect(image, model, edges=edge_map, options=options)
        return None, detections_to_json(found)
    except (ValueError, TypeError, OSError) as error:
        message = str(error)
        if source is not None and source not in message:
            message = f"{source}: {message}"
        return message, None


class _Progress:
    """A bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, total, enabled):
        self.total, self.done = total, 0
        self.enabled = enabled if enabled is not None else sys.stderr.isatty()
        self._draw()

    def step(self):
        self.done += 1
        self._draw()

    def _draw(self):
        if not self.enabled or self.total == 0:
            return
        width = 30
        filled = width * self.done // self.total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                         "images")
        if self.done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _in_worker_bootstrap():
    """True while a process that multiprocessing starts (a local Dask worker) imports the
    caller's script again: a script without an `if __name__ == "__main__":` guard runs its
    top-level code there too, and must not start another cluster from it."""
    import multiprocessing
    return bool(getattr(multiprocessing.current_process(), "_inheriting", False))


def detect_many(images, model, client=None, edges=None, options=None, progress=None,
                max_pixels=40_000_000, **overrides):
    """Detects `model` in every image over a Dask cluster; one ImageResult per image, in input
    order.

    images: paths (read on the workers, which must see them) or uint8 arrays, or a mix.
    model: an msrf.Model or a model file's path.
    client: a dask.distributed.Client; when None, a LocalCluster of one single-threaded worker
        process per core is started for the call and closed after it.
    edges: None, or one edge map per image (paths or arrays), as `msrf.detect`'s `edges`.
    options, overrides: as for msrf.detect.
    progress: a bar on stderr; by default when stderr is a terminal.

    A script that starts its own cluster (client=None) should call this under
    `if __name__ == "__main__":`, Python's rule for programs that start processes: the worker
    processes import the script again. Without the guard it still works: in that import this
    call returns an empty list at once, and the script's other top-level code runs there too.
    """
    from distributed import Client, LocalCluster, as_completed

    if client is None and _in_worker_bootstrap():
        return []

    items = [os.fspath(i) if isinstance(i, (str, os.PathLike)) else i for i in images]
    if not isinstance(model, Model):
        model = Model.load(model)
    if edges is not None:
        edges = [os.fspath(e) if isinstance(e, (str, os.PathLike)) else e for e in edges]
        if len(edges) != len(items):
            raise ValueError(f"edges: {len(edges)} edge maps for {len(items)} images")
    options_json = _options_json(DetectOptions, options, overrides)
    own = None
    if client is None:
        own = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=":0")
        client = Client(own)
    try:
        batch = uuid.uuid4().hex
        futures = client.map(
            _detect_one, items, [model] * len(items),
            edges if edges is not None else [None] * len(items),
            [options_json] * len(items), [max_pixels] * len(items),
            key=[f"msrf-detect-{batch}-{i}" for i in range(len(items))], pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results = [None] * len(items)
        bar = _Progress(len(items), progress)
        for future in as_completed(futures):
            error, text = future.result()
            i = index[future.key]
            source = items[i] if isinstance(items[i], str) else i
            results[i] = ImageResult(source, text, error)
            bar.step()
        return results
    finally:
        if own is not None:
            client.close()
            own.close()
