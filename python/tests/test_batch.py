"""msrf.batch.detect_many on a Dask LocalCluster: equal to serial runs, bad images reported,
a worker killed mid-batch."""

import os
import signal
import threading

import numpy as np
import pytest

import msrf
import msrf.batch
from conftest import EXAMPLE_IMAGE, EXAMPLE_MODEL, run_cli

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
