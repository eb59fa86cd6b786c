"""Paths given by the user → the input files to read, with their reader."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, UnsupportedInput
from .readers import READERS, Reader, reader_for


@dataclass
class Source:
    path: Path
    shown: str        # the path as the user will recognise it in messages and output
    reader: Reader
    size: int

    def key(self) -> str:
        """sha1 of the file's bytes: a second ingest of the same file is recognised, wherever it lies."""
        h = hashlib.sha1()
        with open(self.path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()


def find_sources(paths: list[str]) -> tuple[list[Source], list[InputError], list[str]]:
    """Files under ``paths`` (folders walked recursively, sorted), errors, and files passed over.

    A file named on the command line that Marsad cannot read is an error; inside a
    folder, files of other kinds (a README, a labels file) are passed over and listed.
    """
    sources: list[Source] = []
    errors: list[InputError] = []
    ignored: list[str] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file()
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            for f in files:
                reader = reader_for(f)
                if reader is None:
                    if not _is_documentation(f):
                        ignored.append(str(f))
                    continue
                sources.append(Source(f, str(f), reader, f.stat().st_size))
        elif p.is_file():
            reader = reader_for(p)
            if reader is None:
                errors.append(UnsupportedInput("not a kind of file Marsad reads", given,
                                               hint=f"readable: {', '.join(sorted(READERS))}"))
            else:
                sources.append(Source(p, given, reader, p.stat().st_size))
        else:
            errors.append(InputError("no such file or folder", given, hint="check the path"))
    return sources, errors, ignored


def _is_documentation(path: Path) -> bool:
    """README, LICENSE and Markdown files beside the articles are passed over silently."""
    name = path.name.lower()
    return name.endswith(".md") or name.startswith(("readme", "license", "licence", "provenance"))
