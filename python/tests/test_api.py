"""The module msrf: results equal to the command line's, options, models, bad input, threads."""

import json
import threading

import numpy as np
import pytest

import msrf
from conftest import ETHZ, EXAMPLE_IMAGE, EXAMPLE_MODEL, disc_mask, run_cli


def test_detect_gives_the_command_lines_json_on_the_bundled_example(example, tmp_path):
    image, _, found = example
    out = tmp_path / "cli.json"
    run_cli("detect", EXAMPLE_IMAGE, "--model", EXAMPLE_MODEL, "--out", out, "--no-timing")
    assert len(found) > 0
    assert msrf.detections_to_json(found) == out.read_text()
    run_cli("detect", EXAMPLE_IMAGE, "--model", EXAMPLE_MODEL, "--out", out, "--no-timing",
            "--pretty")
    assert found.to_json(pretty=True) == out.read_text()
    best = found[0]
    x1, y1, x2, y2 = best.box
    assert x1 < x2 and y1 < y2
    assert best.score == max(d.score for d in found)
    assert all(c.dtype == np.float32 and c.ndim == 2 and c.shape[1] == 2 for c in best.contours)
    assert len(best.contours) == len(best.model_arcs) == len(best.fragments)
    assert set(best.transform) == {"scale", "angle_deg", "tx", "ty"}
    assert best.outline.shape == (128, 2)


def test_detect_with_options_gives_the_command_lines_json(example, tmp_path):
    image, model, _ = example
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"detect": {"max_detections": 2, "stretches": [1.0]},
                                  "verify": {"max_stretch": 1.2}}))
    out = tmp_path / "cli.json"
    run_cli("detect", EXAMPLE_IMAGE, "--model", EXAMPLE_MODEL, "--out", out, "--no-timing",
            "--config", config)
    options = msrf.DetectOptions(max_detections=2, stretches=[1.0])
    options.verify.max_stretch = 1.2
    found = msrf.detect(image, model, options=options)
    assert len(found) <= 2
    assert msrf.detections_to_json(found) == out.read_text()
    # The same through keyword overrides and through a dict.
    again = msrf.detect(image, model, max_detections=2, stretches=[1.0],
                        verify={"max_stretch": 1.2})
    assert msrf.detections_to_json(again) == out.read_text()
    assert msrf.detections_to_json(msrf.detect(image, model, options=options.to_dict())) == \
        out.read_text()


def test_detect_with_several_models_gives_each_what_it_gives_alone(example):
    image, model, found = example
    wedge = msrf.Model.from_polygon([(0, 0), (60, 10), (70, 80), (10, 60)], name="wedge")
    both = msrf.detect(image, [model, wedge])
    assert isinstance(both, list) and len(both) == 2
    assert msrf.detections_to_json(both[0]) == msrf.detections_to_json(found)
    assert msrf.detections_to_json(both[1]) == msrf.detections_to_json(msrf.detect(image, wedge))
    with pytest.raises(ValueError, match="empty list"):
        msrf.detect(image, [])
    with pytest.raises(TypeError, match="msrf.Model"):
        msrf.detect(image, [model, "vase.json"])


@pytest.mark.skipif(not (ETHZ / "Swans" / "aal.jpg").exists(),
                    reason="the ETHZ dev data (../shared/datasets/ethz-dev) is absent")
@pytest.mark.parametrize("name,model_file", [("Swans/aal", "swan.tif"),
                                             ("Mugs/apple", "mug.tif")])
def test_detect_gives_the_command_lines_json_on_ethz_images(name, model_file, tmp_path):
    image_path = ETHZ / f"{name}.jpg"
    edges_path = ETHZ / f"{name}_edges.tif"
    model_path = ETHZ / "models" / model_file
    out = tmp_path / "cli.json"
    run_cli("detect", image_path, "--model", model_path, "--edges", edges_path, "--out", out,
            "--no-timing")
    found = msrf.detect(msrf.read_image(image_path), msrf.Model.load(model_path),
                        edges=msrf.read_edge_map(edges_path))
    assert msrf.detections_to_json(found) == out.read_text()


def test_options_match_dump_config_and_check_each_field():
    dumped = json.loads(run_cli("detect", "--dump-config").stdout)
    options = msrf.DetectOptions()
    assert options.to_dict() == dumped
    for section, fields in dumped.items():
        for key, value in fields.items():
            assert getattr(getattr(options, section), key) == value
    assert msrf.FragmentOptions().to_dict() == json.loads(
        run_cli("fragments", "--dump-config").stdout)

    options.verify.max_stretch = 1.2
    options.detect.max_detections = 3
    assert options.to_dict()["verify"]["max_stretch"] == 1.2
    assert msrf.DetectOptions.from_dict(options.to_dict()) == options
    assert msrf.DetectOptions.from_json(options.to_json()) == options

    with pytest.raises(ValueError, match=r"verify\.support_tolerance must be in"):
        options.verify.support_tolerance = -1
    assert options.verify.support_tolerance == dumped["verify"]["support_tolerance"]
    with pytest.raises(ValueError, match=r"detect\.max_detections"):
        msrf.DetectOptions(max_detections=0)
    with pytest.raises(ValueError, match=r"edges\.method"):
        options.edges.method = "sobel"
    with pytest.raises(ValueError, match=r"detect\.mirror"):
        options.detect.mirror = "yes"
    with pytest.raises(AttributeError, match=r"unknown key 'verify\.no_such_field'"):
        options.verify.no_such_field = 1
    with pytest.raises(ValueError, match="unknown option 'no_such_field'"):
        msrf.DetectOptions(no_such_field=1)
    with pytest.raises(ValueError, match=r"detect\.stretches must be finite"):
        msrf.DetectOptions(stretches=[float("nan")])
    with pytest.raises(ValueError, match=r"detect\.seed: must be an integer"):
        msrf.DetectOptions(seed=-1)
    with pytest.raises(ValueError, match=r"verify\.max_stretch: object is not a number"):
        msrf.DetectOptions(max_stretch=object())
    with pytest.raises(ValueError, match="max_iterations' is in sections relaxation, icm"):
        msrf.DetectOptions(max_iterations=3)


def test_models_from_arrays_files_and_polygons(tmp_path):
    disc = msrf.Model.from_mask(disc_mask(), num_points=64, name="disc")
    assert disc.name == "disc" and disc.points.shape == (64, 2)
    x1, y1, x2, y2 = disc.bbox
    assert 78 <= x2 - x1 <= 82 and 78 <= y2 - y1 <= 82
    assert msrf.Model.from_mask(disc_mask() > 0).points.shape == (128, 2)

    drawing = np.full((120, 120), 255, np.uint8)
    drawing[20:100, 20] = drawing[20:100, 99] = drawing[20, 20:100] = drawing[99, 20:100] = 0
    square = msrf.Model.from_drawing(drawing)
    assert square.drawn.all()
    with pytest.raises(ValueError, match="num_points"):
        msrf.Model.from_drawing(drawing, num_points=8)
    with pytest.raises(ValueError, match="max_gap"):
        msrf.Model.from_drawing(drawing, max_gap=50)

    triangle = msrf.Model.from_polygon([[0, 0], [100, 0], [50, 80]], name="triangle")
    path = tmp_path / "triangle.json"
    triangle.save(path)
    back = msrf.Model.load(path)
    assert back.name == "triangle"
    np.testing.assert_allclose(back.points, triangle.points, atol=1e-3)
    run_cli("detect", EXAMPLE_IMAGE, "--model", path, "--out", tmp_path / "out.json")


def test_a_noisy_mask_of_thin_legs_close_together_gives_a_model_detect_runs_on(tmp_path):
    # A body and two pairs of legs 4 px wide, 2 px apart at the top, their feet 1 px apart;
    # the background speckled up to 30 and the inside down to 225, as JPEG leaves a mask.
    y, x = np.mgrid[:160, :200]
    inside = ((x - 100) / 70.0) ** 2 + ((y - 60) / 25.0) ** 2 <= 1
    for left in (50, 140):
        inside |= (y >= 75) & (y < 150) & (x >= left + (y - 75) * 2 // 75) & \
            (x < left + 4 + (y - 75) * 2 // 75)
        inside |= (y >= 75) & (y < 150) & (x >= left + 6) & (x < left + 10)
    noise = np.random.default_rng(5).integers(0, 31, inside.shape)
    mask = np.where(inside, 255 - noise, noise).astype(np.uint8)
    model = msrf.Model.from_mask(mask, name="legs")
    assert model.points.shape == (128, 2)
    x1, y1, x2, y2 = model.bbox
    assert 136 <= x2 - x1 <= 146 and 108 <= y2 - y1 <= 118
    path = tmp_path / "legs.json"
    model.save(path)
    run_cli("detect", EXAMPLE_IMAGE, "--model", path, "--out", tmp_path / "out.json")
    with pytest.raises(ValueError, match="the mask holds 2 separate shapes"):
        msrf.Model.from_mask(np.hstack([mask, mask]))


def test_bad_input_raises_the_libraries_message(example, tmp_path):
    image, model, _ = example
    with pytest.raises(ValueError, match="dtype float64, expected uint8"):
        msrf.detect(image.astype(np.float64), model)
    with pytest.raises(ValueError, match="dimensions"):
        msrf.detect(image[0, :, 0], model)
    with pytest.raises(ValueError, match="dimensions"):
        msrf.detect(image[None], model)
    with pytest.raises(ValueError, match="2 channels"):
        msrf.detect(image[:, :, :2], model)
    with pytest.raises(ValueError, match="empty"):
        msrf.detect(np.zeros((0, 10), np.uint8), model)
    with pytest.raises(TypeError, match="expected a numpy array"):
        msrf.detect([[1, 2], [3, 4]], model)
    with pytest.raises(TypeError, match="msrf.Model"):
        msrf.detect(image, "vase.json")

    edges = np.zeros(image.shape[:2], np.float32)
    edges[100, 100:200] = 1
    bad = edges.copy()
    bad[5, 5] = np.nan
    with pytest.raises(ValueError, match="edges: the edge map has NaN or infinite values"):
        msrf.detect(image, model, edges=bad)
    bad = edges.copy()
    bad[5, 5] = -0.5
    with pytest.raises(ValueError, match="edges: the edge map has negative values"):
        msrf.detect(image, model, edges=bad)
    with pytest.raises(ValueError, match="edges: the edge map is 10x10 but the image is 512x384"):
        msrf.detect(image, model, edges=np.ones((10, 10), np.float32))
    with pytest.raises(ValueError, match="edges: the edge map is empty"):
        msrf.detect(image, model, edges=np.zeros(image.shape[:2], np.uint8))
    with pytest.raises(ValueError, match="dtype int64"):
        msrf.detect(image, model, edges=np.zeros(image.shape[:2], np.int64))

    with pytest.raises(ValueError, match="2 distinct points; a closed shape needs at least 3"):
        msrf.Model.from_polygon([[0, 0], [10, 0]])
    with pytest.raises(ValueError, match="N x 2"):
        msrf.Model.from_polygon([1, 2, 3])
    not_a_model = tmp_path / "not_a_model.json"
    not_a_model.write_text('{"hello": 1}')
    with pytest.raises(ValueError, match="not_a_model.json"):
        msrf.Model.load(not_a_model)
    with pytest.raises(FileNotFoundError, match="no_such_file"):
        msrf.Model.load(tmp_path / "no_such_file.json")
    with pytest.raises(ValueError, match="mask"):
        msrf.Model.from_mask(np.zeros((50, 50), np.uint8))
    with pytest.raises(FileNotFoundError, match="no_such_image"):
        msrf.read_image(tmp_path / "no_such_image.png")


def test_read_only_and_non_contiguous_arrays_give_the_same_detections(example):
    image, model, found = example
    expected = msrf.detections_to_json(found)
    read_only = image.copy()
    read_only.flags.writeable = False
    assert msrf.detections_to_json(msrf.detect(read_only, model)) == expected
    fortran = np.asfortranarray(image)
    assert not fortran.flags.c_contiguous
    assert msrf.detections_to_json(msrf.detect(fortran, model)) == expected
    # A view with a step: every pixel of a twice-as-wide array.
    wide = np.zeros((image.shape[0], image.shape[1] * 2, 3), np.uint8)
    wide[:, ::2] = image
    assert msrf.detections_to_json(msrf.detect(wide[:, ::2], model)) == expected
    bgra = np.dstack([image, np.full(image.shape[:2], 255, np.uint8)])
    assert len(msrf.detect(bgra, model)) > 0
    gray = np.ascontiguousarray(image[:, :, 1])
    assert len(msrf.detect(gray, model)) >= 0


def test_the_gil_is_released_while_detect_runs(example):
    """Another Python thread finishes its work while a detect call is still inside msrf.
    Without the GIL released, it could only run before the call or after it returned."""
    image, model, _ = example
    inside = threading.Event()
    state = {"detect_done": False, "other_saw_detect_done": None}

    def run_detect():
        inside.set()
        msrf.detect(image, model)
        state["detect_done"] = True

    def other():
        inside.wait()
        total = sum(range(1000))  # pure Python work, holding the GIL
        assert total == 499500
        state["other_saw_detect_done"] = state["detect_done"]

    a = threading.Thread(target=run_detect)
    b = threading.Thread(target=other)
    a.start()
    b.start()
    a.join()
    b.join()
    assert state["detect_done"]
    assert state["other_saw_detect_done"] is False


def test_calls_from_several_threads_equal_serial_calls(example):
    image, model, found = example
    flipped = np.ascontiguousarray(image[:, ::-1])
    expected = [msrf.detections_to_json(found),
                msrf.detections_to_json(msrf.detect(flipped, model))]
    results = [None, None]

    def work(i, picture):
        results[i] = msrf.detections_to_json(msrf.detect(picture, model))

    threads = [threading.Thread(target=work, args=(0, image)),
               threading.Thread(target=work, args=(1, flipped))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == expected


def test_fragments_and_overlay(example, tmp_path):
    image, _, found = example
    fragments = msrf.fragments(image, options=msrf.FragmentOptions(), forest_scales=[1.0])
    out = tmp_path / "fragments.json"
    run_cli("fragments", EXAMPLE_IMAGE, "--out", out, "--no-timing", "--forest-scales", "1")
    assert fragments.to_json() == out.read_text()
    assert len(fragments) == json.loads(out.read_text())["trees"]["fragments"]
    assert all(f.points.dtype == np.float32 and f.points.shape[1] == 2 for f in fragments)

    overlay = msrf.draw_overlay(image, found)
    # As `msrf detect --overlay` draws it: small images are enlarged for legibility.
    scale = overlay.shape[0] // image.shape[0]
    assert scale >= 1 and overlay.shape == (image.shape[0] * scale, image.shape[1] * scale, 3)
    assert overlay.dtype == np.uint8
    nothing = msrf.draw_overlay(image, [])
    assert nothing.shape == overlay.shape and not np.array_equal(overlay, nothing)
    assert not np.array_equal(msrf.draw_overlay(image, found[:1]), overlay)
    with pytest.raises(ValueError, match="the detections are of a 512x384 image"):
        msrf.draw_overlay(image[:100], found)


def test_help_and_stub_describe_the_api():
    assert "Finds `model` in `image`" in msrf.detect.__doc__
    assert "BGR" in msrf.detect.__doc__
    import pathlib
    stub = pathlib.Path(msrf.__file__).with_name("__init__.pyi")
    text = stub.read_text()
    for name in msrf.__all__:
        assert name in text, name
