"""Shared fixtures: the bundled example, the command line, drawn images."""

import os
import pathlib
import shutil
import subprocess

import numpy as np
import pytest

import msrf

SOURCE = pathlib.Path(os.environ.get("MSRF_SOURCE_DIR",
                                     pathlib.Path(__file__).resolve().parents[2]))
EXAMPLE_IMAGE = SOURCE / "datasets" / "examples" / "vase_scene.png"
EXAMPLE_MODEL = SOURCE / "datasets" / "examples" / "vase.json"
ETHZ = pathlib.Path(os.environ.get("MSRF_ETHZ_DIR", SOURCE.parent / "shared" / "datasets" /
                                   "ethz-dev"))


def cli():
    path = os.environ.get("MSRF_CLI") or shutil.which("msrf")
    if not path:
        pytest.fail("the msrf command line is needed: set MSRF_CLI (ctest does)")
    return path


def run_cli(*args):
    result = subprocess.run([cli(), *map(str, args)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="session")
def example():
    """(image, model, its detections) of the bundled example."""
    image = msrf.read_image(EXAMPLE_IMAGE)
    model = msrf.Model.load(EXAMPLE_MODEL)
    return image, model, msrf.detect(image, model)


def disc_mask(size=120, radius=40):
    y, x = np.mgrid[:size, :size]
    return ((x - size / 2) ** 2 + (y - size / 2) ** 2 <= radius ** 2).astype(np.uint8) * 255
