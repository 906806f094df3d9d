"""A spaCy ``.spacy`` file written with memory flat in the number of documents.

spaCy's ``DocBin`` keeps every added document (token arrays, span groups, user data) in memory
until ``to_bytes`` packs them into one msgpack message and compresses it. An export of 100,000
articles then holds all of them at once (issue #9.15). ``StreamingDocBin`` takes the same
documents one at a time, lets a one-document ``DocBin`` do the per-document work (so what is
stored per document is exactly what spaCy stores), spills the result to temporary files, and on
``to_disk`` streams the same message through ``zlib`` in chunks. Only the string table (the
distinct strings, as ``DocBin`` needs them sorted in one list) stays in memory.

The file it writes is the one ``DocBin.to_bytes`` writes for the same documents, byte for byte
after decompression (tests/formats/test_docbin_stream.py checks it), so ``DocBin().from_disk``,
``spacy train`` and ``spacy debug data`` read it as their own.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 20
_FIELDS = ("tokens", "spaces", "lengths", "cats", "flags", "span_groups", "user_data")


def _bin_header(size: int) -> bytes:
    """The msgpack header of a ``bin`` value of ``size`` bytes (bin 8, bin 16 or bin 32)."""
    if size < 1 << 8:
        return b"\xc4" + struct.pack(">B", size)
    if size < 1 << 16:
        return b"\xc5" + struct.pack(">H", size)
    return b"\xc6" + struct.pack(">I", size)


class StreamingDocBin:
    """``add`` documents one by one, then ``to_disk`` once; the API of the ``DocBin`` it stands
    for, with ``store_user_data=True`` (what our exports use)."""

    def __init__(self, spill_dir: Path | None = None) -> None:
        from spacy.tokens import DocBin

        template = DocBin(store_user_data=True)
        self.attrs: list[Any] = list(template.attrs)
        self.version: str = template.version
        self.strings: set[str] = set()
        self.count = 0
        self._spill = tempfile.TemporaryDirectory(prefix="docbin-", dir=spill_dir)
        # Open for the bin's whole life (closed by to_disk/close), hence no context manager.
        self._files: dict[str, IO[bytes]] = {
            name: open(Path(self._spill.name) / name, "w+b")  # noqa: SIM115
            for name in _FIELDS}
        self._packer = _packer()

    def __len__(self) -> int:
        return self.count

    def add(self, doc: Any) -> None:
        """Store one document as ``DocBin.add`` would, on disk instead of in memory."""
        from spacy.tokens import DocBin

        one = DocBin(store_user_data=True)  # the default attrs, as self.attrs
        one.add(doc)
        files = self._files
        files["tokens"].write(one.tokens[0].tobytes("C"))
        files["spaces"].write(one.spaces[0].tobytes("C"))
        files["lengths"].write(struct.pack("<i", len(one.tokens[0])))
        files["cats"].write(self._packer.pack(one.cats[0]))
        files["flags"].write(self._packer.pack(one.flags[0]))
        files["span_groups"].write(self._packer.pack(one.span_groups[0]))
        files["user_data"].write(self._packer.pack(one.user_data[0]))
        self.strings.update(one.strings)
        self.count += 1

    def to_disk(self, path: Path) -> None:
        """Write the ``.spacy`` file (the spill files are removed afterwards)."""
        try:
            with open(path, "wb") as out:
                self._write(out)
        finally:
            self.close()

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._spill.cleanup()

    def _write(self, out: IO[bytes]) -> None:
        """The message ``DocBin.to_bytes`` packs, key by key in its order, compressed in chunks."""
        z = zlib.compressobj()
        pack = self._packer.pack

        def emit(data: bytes) -> None:
            out.write(z.compress(data))

        def emit_file(name: str) -> None:
            f = self._files[name]
            f.flush()
            f.seek(0)
            while chunk := f.read(CHUNK):
                emit(chunk)

        def emit_bin(name: str) -> None:
            emit(_bin_header(self._files[name].tell()))
            emit_file(name)

        def emit_list(name: str) -> None:
            emit(self._packer.pack_array_header(self.count))
            emit_file(name)

        emit(self._packer.pack_map_header(10))
        emit(pack("version") + pack(self.version) + pack("attrs") + pack(self.attrs))
        for name in ("tokens", "spaces", "lengths"):
            emit(pack(name))
            emit_bin(name)
        emit(pack("strings") + pack(sorted(self.strings)))
        for name in ("cats", "flags", "span_groups", "user_data"):
            emit(pack(name))
            emit_list(name)
        out.write(z.flush())


def _packer() -> Any:
    """The msgpack packer ``srsly.msgpack_dumps`` uses (``use_bin_type=True``)."""
    import srsly.msgpack

    return srsly.msgpack.Packer(use_bin_type=True)
