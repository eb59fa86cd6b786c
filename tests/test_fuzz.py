"""Fuzzing every reader, the feed parser, the date reader and search with mutated real inputs (tests/fuzzing.py):
no traceback, each bad input one clear line, the good ones around it read. A few hundred inputs per target
here; benchmarks/fuzz.py runs 10,000 each."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import marsad
from fuzzing import TARGETS, Scratch, SearchTarget, html_seeds, jsonl_seeds, mutated, text_seeds
from marsad.cli import main
from reliability import SAMPLE_DIRS, assert_check_clean

# inputs per target (a few hundred in all the slow ones, trafilatura and feedparser, take ~0.1 s each on a busy machine)
EXAMPLES = {"html pages": 100, "feeds": 100, "text pages": 120, "warc files": 100, "warc after good records": 100,
            "marsad date": 100}
FUZZ = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("name", [n for n in TARGETS if n != "search queries"])
def test_mutated_inputs_give_articles_or_one_line_errors(name, tmp_path, capfd):
    strategy, target = TARGETS[name]
    scratch = Scratch(tmp_path)

    @settings(max_examples=EXAMPLES.get(name, 200), **FUZZ)
    @given(strategy())
    def run(data):
        target(scratch, data)

    run()
    assert capfd.readouterr().err == ""  # no library wrote its own lines beside Marsad's one error line


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("fuzz") / "sample.db")
    store = marsad.open_store(db)
    marsad.run([str(d) for d in SAMPLE_DIRS], store)
    store.close()
    return db


def test_search_syntax_gives_results_or_a_bad_parameter(sample_store, tmp_path):
    strategy, _ = TARGETS["search queries"]
    search = SearchTarget(sample_store)
    scratch = Scratch(tmp_path)

    @settings(max_examples=200, **FUZZ)
    @given(strategy())
    def run(query):
        search(scratch, query)

    try:
        run()
    finally:
        search.close()


def test_an_ingest_of_mutated_files_stores_the_good_ones_and_names_each_bad_one(tmp_path):
    from hypothesis import find

    folder = tmp_path / "inputs"
    folder.mkdir()
    good = [p for d in SAMPLE_DIRS[2:] for p in sorted(d.iterdir())][:6]
    for p in good:
        (folder / p.name).write_bytes(p.read_bytes())
    # a few mutated files of each kind, drawn from the strategies
    for kind, seeds in (("txt", text_seeds()), ("html", html_seeds()), ("jsonl", jsonl_seeds())):
        for n in range(4):
            data = find(mutated(seeds), lambda b, n=n: len(b) % 4 == n, settings=settings(database=None))
            (folder / f"bad-{n}.{kind}").write_bytes(data)
    db = str(tmp_path / "m.db")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", db])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for line in result.stderr.splitlines():
        if line.startswith("error: "):
            assert line[len("error: "):].startswith(str(folder)), line
    store = marsad.open_store(db)
    try:
        stored_paths = {a["path"] for a in store.iter_articles()}
    finally:
        store.close()
    assert {str(folder / p.name) for p in good} <= stored_paths
    assert_check_clean(db)


@pytest.mark.parametrize("text", ["شارك الخبر", "\u200f", "fbpx", "..."])
def test_a_jsonl_record_of_only_page_furniture_is_one_error_not_an_empty_article(text):
    # found by benchmarks/fuzz.py: such records were stored as articles without text
    import json

    from marsad.io.readers.jsonl import parse_line

    item = parse_line(3, json.dumps({"id": "x", "text": text}, ensure_ascii=False).encode(), "export.jsonl")
    assert str(item) == ('export.jsonl:line 3: no article text once the page furniture is removed from "text"; '
                         "line skipped")
