"""The bundle's ``.tar.gz``: a tar stream compressed in independent pieces, so pieces can be made apart and joined.

The tar inside is exactly what ``tarfile`` writes (PAX headers, members in the order given, the two
zero blocks and the padding to a whole record at the end). The gzip around it is one member whose
deflate stream is a run of segments, each compressed on its own and ended on a byte boundary, as
``pigz --independent`` writes them: every top-level entry of the bundle (a node's directory, ``plan/``,
``README.md``) is a segment, and so is the data of a file the bundle repeats in every node (the apply
engine), which is then compressed once and its bytes reused. A segment's bytes depend on its content
alone, so the archive is the same whether one process compressed it all or several compressed its
parts; ``gzip -d``, ``tar`` and Python's ``tarfile`` read it as any other.
"""

from __future__ import annotations

import functools
import struct
import tarfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

# zlib's fastest level: a 10,000-node bundle (1 GB of text) compresses in a third of level 6's time, to an archive
# a fifth larger (285 MB instead of 242); the compressing is the largest part of writing it
COMPRESS_LEVEL = 1
ARCHIVE_MTIME = 946684800  # 2000-01-01T00:00:00Z: fixed, so archives hash the same; tar warns on 0
# gzip's header as Python's GzipFile(compresslevel=1, mtime=0) writes it: no name, "fastest" in the extra flags,
# OS unknown
GZIP_HEADER = struct.pack("<BBBBLBB", 0x1F, 0x8B, 8, 0, 0, 4, 255)

Member = tuple[str, bytes, int]  # archive path, data, mode


def _deflate(data: bytes) -> bytes:
    """One segment: raw deflate of ``data`` alone, ended on a byte boundary without ending the stream."""
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def tar_header(path: str, size: int, mode: int) -> bytes:
    """The member's header block(s), as ``tarfile`` writes them in PAX format (owner root, the fixed time)."""
    if len(path) <= _NAME_LENGTH and path.isascii() and size < _LARGEST_SIZE:
        return _ustar_header(path, size, mode)
    info = tarfile.TarInfo(path)  # a long or non-ASCII name, or a huge file: a PAX extended header first
    info.size, info.mode, info.mtime = size, mode, ARCHIVE_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info.tobuf(tarfile.PAX_FORMAT, tarfile.ENCODING, "surrogateescape")


_NAME_LENGTH = 100
_LARGEST_SIZE = 8**11  # what 11 octal digits hold
# The fields after the name and before the size: mode, uid, gid; after it: mtime, the checksum as spaces, the
# type (a regular file), no link, the magic, owner and group names, no device numbers, no prefix.
_AFTER_SIZE = (b"%011o\0" % ARCHIVE_MTIME + b" " * 8 + tarfile.REGTYPE + bytes(100) + tarfile.POSIX_MAGIC
               + b"root".ljust(32, b"\0") * 2 + bytes(8 + 8 + 155 + 12))


# The checksum is the sum of the header's bytes with its own field as eight spaces, as _AFTER_SIZE holds it:
# what follows the size is the same in every header, so its sum is taken once.
_AFTER_SIZE_SUM = sum(_AFTER_SIZE)


def _ustar_header(path: str, size: int, mode: int) -> bytes:
    """A plain ustar header, byte for byte what ``TarInfo.tobuf(PAX_FORMAT)`` makes when no PAX header is needed:
    it builds a large dict per member, and a bundle has one member per file of every node."""
    name = path.encode("ascii")
    numbers = b"%07o\0" % (mode & 0o7777) + b"0000000\0" * 2 + b"%011o\0" % size  # mode, uid, gid, size
    checksum = sum(name) + sum(numbers) + _AFTER_SIZE_SUM
    block = name.ljust(_NAME_LENGTH, b"\0") + numbers + _AFTER_SIZE
    return block[:148] + b"%06o\0" % checksum + block[155:]


def _padding(size: int) -> bytes:
    return bytes(-size % tarfile.BLOCKSIZE)


@dataclass(slots=True)
class Piece:
    """Compressed segments of a stretch of the tar stream, with the CRC-32 and length of what they hold; ``segments``
    are the compressed bytes in order, as the compressor gave them (a segment may come in several parts)."""

    segments: list[bytes] = field(default_factory=list)
    crc: int = 0
    size: int = 0


class _Segment:
    """A segment being compressed into a piece. Small parts (a header, a node's short files) are gathered and
    compressed together, in one call rather than one each; a large file is compressed as it comes, never copied
    into a buffer with its neighbours first (the plan tables are a hundred megabytes)."""

    GATHER = 1 << 20  # bytes gathered at most before they are compressed

    __slots__ = ("_compressor", "_gathered", "_pending", "_piece")

    def __init__(self, piece: Piece) -> None:
        self._piece = piece
        self._compressor = None
        self._pending: list[bytes] = []
        self._gathered = 0

    def add(self, data: bytes) -> None:
        if len(data) >= self.GATHER:
            self._compress()
            self._compress_part(data)
            return
        self._pending.append(data)
        self._gathered += len(data)
        if self._gathered >= self.GATHER:
            self._compress()

    def end(self) -> None:
        """End the segment on a byte boundary, without ending the stream; the next ``add`` starts another."""
        self._compress()
        if self._compressor is not None:
            self._piece.segments.append(self._compressor.flush(zlib.Z_SYNC_FLUSH))
            self._compressor = None

    def _compress(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            self._gathered = 0
            self._compress_part(data)

    def _compress_part(self, data: bytes) -> None:
        if self._compressor is None:
            self._compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
        piece = self._piece
        compressed = self._compressor.compress(data)
        if compressed:
            piece.segments.append(compressed)
        piece.crc = zlib.crc32(data, piece.crc)
        piece.size += len(data)


class TarGzSegments:
    """Compresses groups of tar members into segments; ``shared`` are the sha256s of contents compressed once."""

    def __init__(self, shared: Iterable[str] = ()):
        self.shared = frozenset(shared)
        self._reused: dict[str, tuple[bytes, int, int]] = {}

    def group(self, members: Iterable[tuple[str, bytes, int, str]], piece: Piece) -> None:
        """Add the members of one top-level entry (path, data, mode, sha256 of data) to ``piece``."""
        segment = _Segment(piece)
        for path, data, mode, digest in members:
            segment.add(tar_header(path, len(data), mode))
            if digest in self.shared:
                segment.end()
                compressed, crc, size = self._reused_segment(digest, data)
                piece.segments.append(compressed)
                piece.crc = crc32_combine(piece.crc, crc, size)
                piece.size += size
            else:
                segment.add(data)
                if len(data) % tarfile.BLOCKSIZE:
                    segment.add(_padding(len(data)))
        segment.end()

    def _reused_segment(self, digest: str, data: bytes) -> tuple[bytes, int, int]:
        """The shared content's segment, with the CRC-32 and length of what it holds (the data and its padding)."""
        reused = self._reused.get(digest)
        if reused is None:
            padded = data + _padding(len(data))
            reused = self._reused[digest] = (_deflate(padded), zlib.crc32(padded), len(padded))
        return reused


def write_tar_gz(out: BinaryIO, pieces: Iterable[Piece]) -> None:
    """The archive: gzip's header, the pieces in order, the end of the tar stream, CRC-32 and length."""
    out.write(GZIP_HEADER)
    crc, size = 0, 0
    for piece in pieces:
        for segment in piece.segments:
            out.write(segment)
        crc, size = crc32_combine(crc, piece.crc, piece.size), size + piece.size
    # tarfile closes with two zero blocks and pads the archive to a whole record
    end = bytes(2 * tarfile.BLOCKSIZE)
    end += bytes(-(size + len(end)) % tarfile.RECORDSIZE)
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    out.write(compressor.compress(end) + compressor.flush(zlib.Z_FINISH))
    crc, size = zlib.crc32(end, crc), size + len(end)
    out.write(struct.pack("<LL", crc, size & 0xFFFFFFFF))


# --- CRC-32 of two pieces joined, from the CRC-32 of each (zlib's crc32_combine) ---------------------

_POLY = 0xEDB88320


def _multiply(a: int, b: int) -> int:
    """a * b modulo the CRC-32 polynomial, in its reflected bit order."""
    m, product = 1 << 31, 0
    while True:
        if a & m:
            product ^= b
            if not a & (m - 1):
                return product
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


def _powers() -> list[int]:
    """x^(2^n) modulo the polynomial, n = 0..31."""
    out, p = [], 1 << 30  # x^1
    for _ in range(32):
        out.append(p)
        p = _multiply(p, p)
    return out


_X2N = _powers()


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B, from ``crc1`` of A, ``crc2`` of B and B's length in bytes."""
    return _multiply(_shift(length2), crc1) ^ crc2


@functools.lru_cache(maxsize=256)
def _shift(length: int) -> int:
    """x^(8 * length) modulo the polynomial, what A's CRC is multiplied by when ``length`` bytes follow it; kept,
    since a shared file follows in every node with the same length."""
    p, k, n = 1 << 31, 3, length  # k = 3 starts at x^(2^3) for one byte
    while n:
        if n & 1:
            p = _multiply(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return p
