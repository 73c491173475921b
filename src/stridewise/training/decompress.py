"""Bounded decompression: never inflate more than a limit, whatever the headers claim."""

from __future__ import annotations

import zlib


class TooBig(Exception):
    """The data inflates past the allowed size (or past the allowed ratio)."""


class NotGzip(Exception):
    """The bytes are not a readable gzip stream."""


def gunzip_bounded(data: bytes, max_bytes: int, max_ratio: float) -> bytes:
    """Inflate a gzip member, stopping as soon as the output passes ``max_bytes`` or
    ``max_ratio`` times the input size. Raises TooBig or NotGzip."""
    limit = min(max_bytes, int(max(len(data), 1) * max_ratio))
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = bytearray()
    view = memoryview(data)
    step = 64 * 1024
    try:
        for pos in range(0, len(data), step):
            out += inflater.decompress(view[pos : pos + step], limit + 1 - len(out))
            if len(out) > limit:
                raise TooBig
            while inflater.unconsumed_tail:
                out += inflater.decompress(inflater.unconsumed_tail, limit + 1 - len(out))
                if len(out) > limit:
                    raise TooBig
            if inflater.eof:
                break
        out += inflater.flush()
    except zlib.error as exc:
        raise NotGzip(str(exc)) from exc
    if len(out) > limit:
        raise TooBig
    if not inflater.eof:
        raise NotGzip("truncated gzip stream")
    return bytes(out)
