"""Reading HTML pages: Marsad and bare trafilatura side by side on the page set of tests/pageset.py.

The set (144 pages by default, 8 layouts, UTF-8 / BOM / Windows-1256 / ISO-8859-6 with and without a
declared charset, UTF-8 under a Windows-1256 <meta>) is built in a temporary folder around real texts of the labelled ANT windows
(Chouigui, Ben Khiroun & Elayeb, AJSE 46(8), 2021; read in place from ../shared). Each page is read
by Marsad's HTML reader (``marsad.io.readers.html.read_html``: bytes in) and by trafilatura with its
defaults (``trafilatura.extract`` for the text, ``bare_extraction(with_metadata=True)`` for title,
site name and date), given the page correctly decoded (so trafilatura loses nothing to decoding).

Printed: pages read, gold paragraphs found, furniture strings left in the body, title, outlet and
date+time right, per reader; per layout; the pages where Marsad finds fewer paragraphs than
trafilatura; with ``--show`` what each page missed or kept.

    python benchmarks/pages.py [--n 144] [--seed 18] [--keep DIR] [--show] [--focus]
"""
from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

import pageset  # noqa: E402  (tests/pageset.py: the marsad-free page builder and scorer)


def read_marsad(path: Path) -> pageset.Reading:
    from marsad.article import Article
    from marsad.io.readers.html import read_html

    got = next(iter(read_html(path, path.name)), None)
    if not isinstance(got, Article):
        return pageset.Reading(None)
    return pageset.Reading(got.body, got.title, got.outlet, got.published)


def read_marsad_focus(path: Path, focus: str) -> pageset.Reading:
    """Marsad with another trafilatura setting for the main text (the reader uses webpage.FOCUS)."""
    from marsad.clean.webpage import read_webpage
    from marsad.io.encoding import declared_charset, decode_bytes

    data = path.read_bytes()
    page = read_webpage(decode_bytes(data, path.name, declared_charset(data)), focus=focus)
    if page is None or len(page.body) < 100:
        return pageset.Reading(None)
    return pageset.Reading(page.body, page.title, page.outlet, page.published)


def read_trafilatura(path: Path, gold: dict) -> pageset.Reading:
    import trafilatura

    data = path.read_bytes()
    text = data.decode(gold["encoding"] if not gold["bom"] else "utf-8-sig")
    body = trafilatura.extract(text)
    meta = trafilatura.bare_extraction(text, with_metadata=True)
    if meta is None:
        return pageset.Reading(body)
    return pageset.Reading(body, meta.title, meta.sitename, meta.date)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=144)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--keep", type=Path, help="build the set in this folder and leave it there")
    ap.add_argument("--show", action="store_true", help="print what each page missed or kept")
    ap.add_argument("--no-trafilatura", action="store_true", help="score Marsad only")
    ap.add_argument("--focus", action="store_true",
                    help="also score Marsad with trafilatura's precision and recall settings for the main text")
    args = ap.parse_args()
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    tmp = None
    if args.keep:
        out = args.keep
    else:
        tmp = tempfile.TemporaryDirectory()
        out = Path(tmp.name)
    golds = pageset.build(out, SHARED, args.n, args.seed)
    readers = {"Marsad": lambda p, g: read_marsad(p)}
    if args.focus:
        readers["Marsad (precision)"] = lambda p, g: read_marsad_focus(p, "precision")
        readers["Marsad (recall)"] = lambda p, g: read_marsad_focus(p, "recall")
    if not args.no_trafilatura:
        readers["trafilatura"] = read_trafilatura
    scores: dict[str, list[pageset.PageScore]] = {}
    seconds: dict[str, float] = {}
    for name, read in readers.items():
        t0 = time.perf_counter()
        scores[name] = [pageset.score_page(g, read(out / g["file"], g)) for g in golds]
        seconds[name] = time.perf_counter() - t0
    print(f"# {len(golds)} pages (seed {args.seed}), {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{platform.machine()} Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    names = list(scores)
    sums = {n: pageset.summary(scores[n]) for n in names}
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    rows = [("pages read", "read"), ("paragraphs found", "paragraphs_found"),
            ("furniture left", "furniture_left"), ("title right", "title"), ("outlet right", "outlet"),
            ("date+time right", "published")]
    for label, key in rows:
        print(f"| {label} | " + " | ".join(f"{100 * sums[n][key]:.1f}%" for n in names) + " |")
    totals = {n: (sum(s.found for s in scores[n]), sum(s.paragraphs for s in scores[n]),
                  sum(len(s.left) for s in scores[n]), sum(s.furniture for s in scores[n])) for n in names}
    print("| paragraphs / furniture (counts) | " + " | ".join(
        f"{f:,}/{p:,} · {l:,}/{fu:,}" for f, p, l, fu in totals.values()) + " |")
    print("| seconds (whole set) | " + " | ".join(f"{seconds[n]:.1f}" for n in names) + " |")
    print()
    print("per layout, paragraphs found / furniture left:")
    for layout in pageset.LAYOUTS:
        parts = []
        for n in names:
            ss = [s for s in scores[n] if s.layout == layout]
            sm = pageset.summary(ss)
            parts.append(f"{n} {100 * sm['paragraphs_found']:.1f}% / {100 * sm['furniture_left']:.1f}% "
                         f"(title {sum(s.title for s in ss)}, outlet {sum(s.outlet for s in ss)}, "
                         f"date {sum(s.published for s in ss)} of {len(ss)})")
        print(f"  {layout:8s} " + " · ".join(parts))
    print("\nper encoding (as written / as declared), paragraphs found / furniture left, Marsad:")
    by_encoding = defaultdict(list)
    for g, sc in zip(golds, scores["Marsad"]):
        by_encoding[f"{'utf-8+BOM' if g['bom'] else g['encoding']} / {g['declared'] or 'undeclared'}"].append(sc)
    for label, ss in sorted(by_encoding.items()):
        sm = pageset.summary(ss)
        print(f"  {label:28s} {100 * sm['paragraphs_found']:.1f}% / {100 * sm['furniture_left']:.1f}% "
              f"(title {sum(s.title for s in ss)}, outlet {sum(s.outlet for s in ss)}, "
              f"date {sum(s.published for s in ss)} of {len(ss)})")
    if "trafilatura" in scores:
        fewer = [(m.file, m.found, t.found) for m, t in zip(scores["Marsad"], scores["trafilatura"])
                 if m.found < t.found]
        print(f"\npages where Marsad finds fewer paragraphs than trafilatura: {len(fewer)}")
        for f, m, t in fewer:
            print(f"  {f}: {m} < {t}")
    if args.show:
        by_file = defaultdict(dict)
        for n in names:
            for s in scores[n]:
                by_file[s.file][n] = s
        for f, per in by_file.items():
            s = per["Marsad"]
            if s.missed or s.left or not (s.title and s.outlet and s.published):
                g = next(g for g in golds if g["file"] == f)
                print(f"\n{f} [{g['encoding']}, declared {g['declared']}]: title {s.title}, outlet {s.outlet}, "
                      f"date {s.published} (gold {g['published']})")
                for p in s.missed:
                    print(f"  missed: {p[:90]}")
                for x in s.left:
                    print(f"  left:   {x[:90]}")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
