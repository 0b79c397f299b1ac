"""msrf.batch.detect_many on a Dask LocalCluster: equal to serial runs, bad images reported,
a worker killed mid-batch."""

import os
import signal
import threading

import numpy as np
import pytest

import msrf
import msrf.batch
from conftest import ETHZ, EXAMPLE_IMAGE, EXAMPLE_MODEL, run_cli

distributed = pytest.importorskip("distributed")  # python3-distributed (scripts/setup.sh)


@pytest.fixture(scope="module")
def scenes(tmp_path_factory):
    """Six drawn scenes with the vase in them (msrf synth), as paths."""
    folder = tmp_path_factory.mktemp("scenes")
    paths = []
    for seed in range(1, 7):
        path = folder / f"scene{seed}.png"
        run_cli("synth", "--target", EXAMPLE_MODEL, "--seed", seed, "--out", path,
                "--width", 320, "--height", 240)
        paths.append(str(path))
    return paths


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        with distributed.Client(local) as client:
            yield client


def serial(paths, model, **options):
    return [msrf.detections_to_json(msrf.detect(msrf.read_image(p), model, **options))
            for p in paths]


def test_detect_many_on_two_workers_equals_serial_runs(scenes, cluster):
    model = msrf.Model.load(EXAMPLE_MODEL)
    image = msrf.read_image(EXAMPLE_IMAGE)
    results = msrf.batch.detect_many(scenes + [image], model, client=cluster, stretches=[1.0])
    expected = serial(scenes, model, stretches=[1.0])
    expected.append(msrf.detections_to_json(msrf.detect(image, model, stretches=[1.0])))
    assert [r.source for r in results] == scenes + [len(scenes)]
    assert all(r.ok for r in results), [r.error for r in results]
    assert [r.json for r in results] == expected
    assert any(r.detections for r in results)


def test_an_unreadable_image_gives_an_error_entry_and_the_rest_go_on(scenes, cluster, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    missing = str(tmp_path / "missing.png")
    model = msrf.Model.load(EXAMPLE_MODEL)
    items = [scenes[0], str(broken), missing, np.zeros((10, 10, 2), np.uint8), scenes[1]]
    results = msrf.batch.detect_many(items, model, client=cluster, stretches=[1.0])
    assert [r.ok for r in results] == [True, False, False, False, True]
    assert "broken.png" in results[1].error
    assert "missing.png" in results[2].error
    assert "2 channels" in results[3].error
    assert [results[0].json, results[4].json] == serial(scenes[:2], model, stretches=[1.0])


def test_a_worker_killed_mid_batch_loses_no_image(scenes, tmp_path):
    """SIGKILL to the worker process busy with an image: Dask runs its images again on the
    other worker (or the restarted one), and every result equals the serial run's."""
    model = msrf.Model.load(EXAMPLE_MODEL)
    items = scenes * 2
    expected = serial(items, model)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        with distributed.Client(local) as client:
            pids = client.run(os.getpid)
            killed = threading.Event()
            victims = []

            def kill_a_busy_worker():
                # Wait until some worker holds a task, then kill that worker's process.
                while not killed.is_set():
                    busy = [w for w, tasks in client.processing().items() if tasks]
                    if busy:
                        os.kill(pids[busy[0]], signal.SIGKILL)
                        victims.append(pids[busy[0]])
                        killed.set()
                        return
                    threading.Event().wait(0.05)

            killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
            killer.start()
            results = msrf.batch.detect_many(items, model, client=client)
            killed.set()
            killer.join()
            assert len(victims) == 1, "no worker was busy while the batch ran"
            assert victims[0] not in client.run(os.getpid).values()
    assert all(r.ok for r in results), [r.error for r in results]
    assert [r.json for r in results] == expected


def test_detect_many_starts_its_own_cluster_and_takes_a_model_path(scenes):
    results = msrf.batch.detect_many(scenes[:2], str(EXAMPLE_MODEL), stretches=[1.0])
    assert [r.json for r in results] == serial(scenes[:2], msrf.Model.load(EXAMPLE_MODEL),
                                                stretches=[1.0])


def _without_times(value):
    """summary.json without what differs between runs: timings and the root as typed."""
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items()
                if "seconds" not in k and k != "root"}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


@pytest.mark.skipif(not (ETHZ / "models" / "swan.tif").exists(),
                    reason="the ETHZ dev data (../shared/datasets/ethz-dev) is absent")
def test_bench_ethz_over_dask_writes_the_figures_of_msrf_bench_ethz(tmp_path):
    """A small dataset in the ETHZ layout (links to three images each of two classes): the
    protocol over a LocalCluster of 2 workers scores as `msrf bench ethz` does."""
    import json
    import subprocess
    import sys

    root = tmp_path / "ethz"
    (root / "models").mkdir(parents=True)
    for klass, model in (("Applelogos", "applelogo"), ("Swans", "swan")):
        (root / "models" / f"{model}.tif").symlink_to(ETHZ / "models" / f"{model}.tif")
        (root / klass).mkdir()
        stems = sorted(p.stem for p in (ETHZ / klass).glob("*.jpg"))[:3]
        for source in (ETHZ / klass).iterdir():
            if any(source.name.startswith(stem + s) for stem in stems for s in ("_", ".")):
                (root / klass / source.name).symlink_to(source)
    run_cli("bench", "ethz", "--root", root, "--out", tmp_path / "cli", "--methods", "msrf")
    result = subprocess.run(
        [sys.executable, "-m", "msrf", "bench-ethz", "--root", str(root), "--out",
         str(tmp_path / "dask"), "--workers", "2"],
        capture_output=True, text=True, check=False, env=os.environ)
    assert result.returncode == 0, result.stderr
    cli = json.loads((tmp_path / "cli" / "summary.json").read_text())
    dask = json.loads((tmp_path / "dask" / "summary.json").read_text())
    assert cli["images"] == 6
    assert _without_times(dask) == _without_times(cli)
    assert (tmp_path / "dask" / "detections.json").read_text() == \
        (tmp_path / "cli" / "detections.json").read_text()
    for name in ("curves.png", "contours.png"):
        assert (tmp_path / "dask" / name).stat().st_size > 0

    bad = subprocess.run([sys.executable, "-m", "msrf", "bench-ethz", "--root",
                          str(tmp_path / "missing"), "--out", str(tmp_path / "x")],
                         capture_output=True, text=True, check=False, env=os.environ)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "missing" in bad.stderr


def test_a_script_without_a_main_guard_still_runs_its_batch(tmp_path):
    """Worker processes import the calling script again; detect_many must not start a
    cluster of its own from that import (it would never finish starting)."""
    import subprocess
    import sys

    script = tmp_path / "batch.py"
    script.write_text(
        "import msrf, msrf.batch\n"
        f"model = msrf.Model.load({str(EXAMPLE_MODEL)!r})\n"
        f"results = msrf.batch.detect_many([{str(EXAMPLE_IMAGE)!r}, 'no_such.png'], model,\n"
        "                                  stretches=[1.0])\n"
        "for r in results:\n"
        "    print(r.ok, r.error, len(r.detections))\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=300, check=False, env=os.environ, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert lines[0].startswith("True None ") and int(lines[0].split()[-1]) > 0
    assert lines[1] == "False no_such.png: no such file 0"
