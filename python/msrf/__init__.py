"""msrf: find the contours of a target shape in cluttered images with multiscale random fields
(Latecki, Lu, Sobel, Bai, NIPS 2008).

    import cv2
    import msrf

    model = msrf.Model.load("vase.json")          # or Model.from_mask(mask), ...
    image = cv2.imread("scene.png")               # uint8 gray, BGR or BGRA
    for d in msrf.detect(image, model):
        print(d.score, d.box)                     # best first
    cv2.imwrite("overlay.png", msrf.draw_overlay(image, detections))

Arrays are read in place when C-contiguous (any other layout is copied once). The GIL is
released while msrf works, so several Python threads can call it at once; each call also
uses all cores (msrf.set_threads caps them). Bad input raises ValueError (or TypeError for
what is not an array, FileNotFoundError for a missing file) with the message the command line
prints. msrf.batch.detect_many spreads many images over a Dask cluster.
"""

import os
import tempfile

from . import _msrf
from ._msrf import Detection
from ._options import DetectOptions, FragmentOptions

__version__ = _msrf.__version__
build_id = _msrf.build_id

__all__ = [
    "Detection",
    "DetectionList",
    "DetectOptions",
    "Fragment",
    "FragmentList",
    "FragmentOptions",
    "Model",
    "detect",
    "detections_to_json",
    "draw_overlay",
    "fragments",
    "read_edge_map",
    "read_image",
    "set_threads",
]


def _options_json(kind, options, overrides):
    if options is None and not overrides:
        return ""
    if options is None:
        options = kind()
    elif isinstance(options, dict):
        options = kind(options)
    elif not isinstance(options, kind):
        raise TypeError(f"options: expected msrf.{kind.__name__} or a dict, got "
                        f"{type(options).__name__}")
    if overrides:
        options = options.copy().update(**overrides)
    return options._as_json()


class Model:
    """A target shape: a closed outline resampled to `num_points` points, with its parts.

    Made from a file (`Model.load`: a model written by `msrf model` or `Model.save`, a polygon
    JSON, an outline drawing or a mask), a mask array, a drawing array or a polygon.
    """

    __slots__ = ("_model",)

    def __init__(self, model):
        if not isinstance(model, _msrf._Model):
            raise TypeError("use Model.load, Model.from_mask, Model.from_drawing or "
                            "Model.from_polygon")
        self._model = model

    @classmethod
    def load(cls, path, num_points=128, line_threshold=128, max_gap=3):
        """A model file: JSON (a model or {"polygon": [[x, y], ...]}) or an image (an outline
        drawing of dark lines on white, or a bright mask on black), as `msrf model` and
        `msrf detect --model` read it. `num_points` (16-4096) resamples the outline; for
        drawings, pixels darker than `line_threshold` are lines and gaps up to `max_gap`
        pixels are bridged (`msrf::ShapeModelOptions`)."""
        return cls(_msrf._Model.load(os.fspath(path), num_points, line_threshold, max_gap))

    @classmethod
    def from_mask(cls, mask, num_points=128, name="model"):
        """The outer outline of the one shape in `mask` (uint8 or bool, HxW; inside = above
        half its brightest value: 0/1, 0/255, True, or a JPEG of one), traced at sub-pixel
        precision, smoothed, and made simple where legs or a handle pass closer than the
        points' spacing. Holes are ignored and specks dropped; a mask of two or more shapes
        raises ValueError (docs/models.md)."""
        if getattr(mask, "dtype", None) is not None and mask.dtype == bool:
            mask = mask.view("uint8")
        return cls(_msrf._Model.from_mask(mask, num_points, name))

    @classmethod
    def from_drawing(cls, drawing, num_points=128, name="model", line_threshold=128,
                     max_gap=3):
        """An outline drawn in thin dark lines on white (uint8, HxW); where the lines run off
        the frame, the frame closes them. Options as for `load`."""
        return cls(_msrf._Model.from_drawing(drawing, num_points, name, line_threshold,
                                             max_gap))

    @classmethod
    def from_polygon(cls, points, num_points=128, name="model"):
        """A closed polygon: N x 2 numbers (x, y), at least 3 distinct points, not crossing
        itself."""
        return cls(_msrf._Model.from_polygon(points, num_points, name))

    def save(self, path):
        """Writes the model as `msrf model` does (JSON); all or nothing."""
        path = os.fspath(path)
        text = self._model.to_json()
        folder = os.path.dirname(os.path.abspath(path))
        handle, temporary = tempfile.mkstemp(prefix=".msrf-", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def to_json(self):
        return self._model.to_json()

    def preview(self):
        """A picture of the model (BGR uint8): the outline, its parts' corners, the centroid."""
        return self._model.preview()

    @property
    def name(self):
        return self._model.name

    @name.setter
    def name(self, value):
        self._model.name = str(value)

    @property
    def points(self):
        """The outline, N x 2 float64 (x, y), model pixels."""
        return self._model.points

    @property
    def drawn(self):
        """Per outline edge (point i to i + 1): False where the frame closed the drawing."""
        return self._model.drawn

    @property
    def perimeter(self):
        return self._model.perimeter

    @property
    def bbox(self):
        """(x1, y1, x2, y2) of the outline."""
        return self._model.bbox

    def __len__(self):
        return len(self._model.points)

    def __reduce__(self):
        return (Model, (self._model,))

    def __repr__(self):
        return f"msrf.Model(name={self.name!r}, points={len(self)})"


def _detection_repr(d):
    x1, y1, x2, y2 = d.box
    return (f"msrf.Detection(score={d.score:.4f}, box=({x1:.1f}, {y1:.1f}, {x2:.1f}, {y2:.1f}), "
            f"model={d.model_name!r})")


Detection.__repr__ = _detection_repr


class DetectionList(list):
    """The detections of one `detect` call, best first (a list of Detection), with the call's
    `summary` (fragments, candidates, hypotheses, timing) and its JSON (`to_json`)."""

    def __init__(self, run):
        super().__init__(run.detections())
        self.run = run

    @property
    def summary(self):
        return self.run.summary

    def to_json(self, pretty=False, timing=False):
        return detections_to_json(self, pretty=pretty, timing=timing)


def detect(image, model, edges=None, options=None, **overrides):
    """Finds `model` in `image`; the detections, best first (a DetectionList).

    image: uint8, gray HxW, BGR HxWx3 or BGRA HxWx4 (as cv2 reads it).
    model: an msrf.Model, or a list of them: then one pass over the image shares the
        pyramid, edges and fragments, and the result is a list of DetectionList, one per
        model, each what detect() with that model alone gives.
    edges: None (msrf's own boundaries), or an edge-strength map HxW to group instead
        (float32/float64 in [0, 1], uint8 or uint16 scaled to [0, 1]), e.g. a Berkeley map.
    options: msrf.DetectOptions (or a dict shaped like its to_dict()); defaults when None.
    overrides: fields to change for this call, by name (max_detections=3, stretches=[1.0],
        seed=7) or by section (verify={"max_stretch": 1.2}).

    A Detection has score, box (x1, y1, x2, y2), coverage, support, fit, surround,
    transform (scale, angle_deg, tx, ty), stretch, contours (the grouped fragments, float32
    N x 2 each), model_arcs (the model's stretch each contour traces), outline (the placed
    model, N x 2) and fragments (ids). The same inputs, options and seed give the same
    detections, whatever the thread count. detections_to_json gives the JSON of
    `msrf detect`.
    """
    if isinstance(model, (list, tuple)):
        if not model:
            raise ValueError("model: an empty list; give at least one msrf.Model")
        for m in model:
            if not isinstance(m, Model):
                raise TypeError(f"model: expected msrf.Model objects, got {type(m).__name__}")
        text = _options_json(DetectOptions, options, overrides)
        runs = _msrf._detect_models(image, [m._model for m in model], edges, text)
        return [DetectionList(run) for run in runs]
    if not isinstance(model, Model):
        raise TypeError(f"model: expected an msrf.Model, got {type(model).__name__}")
    text = _options_json(DetectOptions, options, overrides)
    return DetectionList(_msrf._detect(image, model._model, edges, text))


def _run_and_indices(detections):
    if isinstance(detections, DetectionList):
        return detections.run, [d.index for d in detections]
    detections = list(detections)
    if not detections:
        raise ValueError("detections: an empty list; pass the list detect() returned")
    for d in detections:
        if not isinstance(d, Detection):
            raise TypeError(f"detections: expected msrf.Detection, got {type(d).__name__}")
    run = detections[0].run
    if any(d.run is not run for d in detections):
        raise ValueError("detections: they come from different detect() calls")
    return run, [d.index for d in detections]


def detections_to_json(detections, pretty=False, timing=False):
    """The JSON `msrf detect` writes for these detections (the list detect() returned, or
    some of its detections): byte for byte that of `msrf detect --no-timing` for the same
    image, model and options (`--pretty` with pretty=True; timings with timing=True)."""
    run, indices = _run_and_indices(detections)
    return run.to_json(indices, bool(timing), bool(pretty))


def draw_overlay(image, detections):
    """The image, dimmed, with each detection's grouped contour, placed model, box and score
    (as `msrf detect --overlay` draws it); BGR uint8."""
    if isinstance(detections, DetectionList) or len(detections) > 0:
        run, indices = _run_and_indices(detections)
        return run.draw(image, indices)
    return _msrf._draw_nothing(image)


class Fragment:
    """A contour fragment: `points` (its edge chain, level-0 pixels, float32 N x 2),
    `resampled` (at a constant arc-length step), `level`, `parent` (the fragment at the next
    level it runs along, or -1), `length`, `closed`."""

    __slots__ = ("id", "level", "parent", "length", "closed", "points", "resampled")

    def __init__(self, values):
        for key in self.__slots__:
            setattr(self, key, values[key])

    def __repr__(self):
        return (f"msrf.Fragment(id={self.id}, level={self.level}, parent={self.parent}, "
                f"length={self.length:.1f})")


class FragmentList(list):
    """The fragments of every level (a list of Fragment) and their JSON (`to_json`, as
    `msrf fragments --no-timing` writes it)."""

    def __init__(self, fragments, text):
        super().__init__(Fragment(f) for f in fragments)
        self._text = text

    def to_json(self):
        return self._text


def fragments(image, edges=None, options=None, **overrides):
    """The multiscale contour fragments of `image` (what detect groups), as a FragmentList.
    `edges`, `options` (msrf.FragmentOptions or a dict) and `overrides` as for detect."""
    text = _options_json(FragmentOptions, options, overrides)
    found, json_text = _msrf._fragments(image, edges, text)
    return FragmentList(found, json_text)


def read_image(path, max_pixels=40_000_000):
    """An image file as `msrf detect` reads it: BGR uint8 HxWx3 (gray files too), refusing
    images of more than `max_pixels` pixels."""
    return _msrf._read_image(os.fspath(path), int(max_pixels))


def read_edge_map(path):
    """An edge map file (8 or 16 bit, or float TIFF) as `msrf detect --edges` reads it: float32
    HxW in [0, 1]."""
    return _msrf._read_edge_map(os.fspath(path))


def set_threads(threads):
    """Caps the threads each msrf call uses (0: all cores). Call it before work starts, not
    while another thread is inside msrf. Results do not depend on it."""
    _msrf._set_threads(int(threads))
