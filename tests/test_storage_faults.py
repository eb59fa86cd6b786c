"""Storage faults: a full disk, PostgreSQL restarted under an ingest, two ingests on one database at once.
Each ends with a clear message or waits with one; the database stays intact (`marsad check`); a rerun completes."""
from __future__ import annotations

import json
import resource
import subprocess
import time

import pytest

from pgserver import article_ids, running_server
from reliability import SAMPLE_DIRS, assert_check_clean, marsad_cmd


def window(shared, tmp_path, n: int = 120):
    """The first ``n`` articles of ant-stories dev as a JSONL file of this test's, and their ids."""
    lines = (shared / "data" / "ant-stories" / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    path = tmp_path / "dev-part.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, [json.loads(line)["id"] for line in lines]


def test_a_full_disk_stops_ingest_with_a_clear_error_and_the_rerun_completes(shared, tmp_path):
    source, ids = window(shared, tmp_path)
    db = tmp_path / "m.db"
    subprocess.run(marsad_cmd("ingest", str(SAMPLE_DIRS[1]), "--db", str(db)), check=True, capture_output=True)
    limit = db.stat().st_size + 300_000  # the database may grow by 300 KB, then the disk is "full"

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    cmd = marsad_cmd("ingest", str(source), "--db", str(db), "--batch-size", "20")
    full = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=small_disk, timeout=300)
    assert full.returncode == 1
    assert full.stderr.endswith(
        f"Error: {db}: cannot write to the database (disk I/O error): is the disk full, or a file-size limit "
        "reached?; the batch being written was not kept and everything stored before stays (`marsad check` "
        "verifies it); free some space, then run the same command again to go on where it stopped\n"), full.stderr
    assert "Traceback" not in full.stderr
    stored = set(article_ids(str(db)))
    assert 7 < len(stored) < 7 + len(ids)
    assert_check_clean(str(db))
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert set(article_ids(str(db))) >= set(ids) and len(article_ids(str(db))) == 7 + len(ids)
    assert_check_clean(str(db))


def test_two_ingests_of_one_file_at_once_store_it_once_the_second_waiting_with_a_message(shared, tmp_path,
                                                                                         store_url):
    source, ids = window(shared, tmp_path, 250)  # long enough that the two runs meet
    cmd = marsad_cmd("ingest", str(source), "--db", store_url, "--batch-size", "20")
    runs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errs = [p.communicate(timeout=300)[1] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], errs
    waited = [e for e in errs if "waiting for it to finish" in e]
    assert len(waited) == 1, errs
    assert waited[0].startswith("another Marsad run is writing to "), waited[0]
    assert "waiting for it to finish (Ctrl-C stops)\n" in waited[0]
    assert "already in the database: 1 files" in waited[0]
    assert sorted(article_ids(store_url)) == sorted(ids)
    assert_check_clean(store_url)


@pytest.fixture()
def own_pg_server():
    """A PostgreSQL server of this test's own, since it restarts it."""
    with running_server() as server:
        yield server


def test_postgresql_restarted_under_an_ingest_stops_it_cleanly_and_the_rerun_completes(shared, tmp_path,
                                                                                       own_pg_server):
    source, ids = window(shared, tmp_path)
    url = own_pg_server.new_database()
    cmd = marsad_cmd("ingest", str(source), "--db", url, "--batch-size", "10")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(article_ids(url) or []) < 30 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before the server could be restarted"
    own_pg_server.restart()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert f"Error: {url}: lost the connection to PostgreSQL (" in err
    assert ("the batch being written was not kept and everything stored before stays (`marsad check` verifies it); "
            "run the same command again once the server is back\n") in err
    assert_check_clean(url)
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert sorted(article_ids(url)) == sorted(ids)
    assert_check_clean(url)
