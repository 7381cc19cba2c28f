"""Every object of a PDF file as a viewer could see it, and what in them a viewer would run.

A viewer finds objects through the cross-reference table, but repairs a damaged file by
scanning its body for ``N G obj``, and an incremental update may redefine any object. So this
reads the file the way a repair does: every ``N G obj`` in the bytes is parsed (pypdf's object
parser), every object stream found is decoded and its objects parsed too, and every definition
of every object is judged, not only the one the table names. Names are read decoded (pypdf turns
``/J#61vaScript`` into ``/JavaScript``) and the values that decide what an action does (``/S``,
``/Type``, ``/Subtype``, ``/FT``) are judged after following indirect references.

Every stream is decoded under a budget (``DecodeBudget``): output per stream, in total, and
compared with its encoded size. Decoding stops at the first limit crossed, so no stream is ever
inflated without a bound; a file that crosses one is a decompression bomb. Image codecs (JPEG,
JPEG 2000, CCITT, JBIG2) are not decoded: their data is only drawn, never parsed as objects.

An object the parser cannot read is not skipped: its bytes are searched for the names of
active content instead, so malformed syntax a lenient viewer might still accept hides nothing.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf._utils import read_non_whitespace
from pypdf.filters import ASCII85Decode, ASCIIHexDecode, LZWDecode, RunLengthDecode
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    read_object,
)

_WS = rb"[\x00\t\n\f\r ]"
_OBJECT_HEADER = re.compile(rb"(?<![0-9])(\d{1,10})" + _WS + rb"+(\d{1,5})" + _WS + rb"+obj(?![A-Za-z])")
_TRAILER = re.compile(rb"trailer" + _WS + rb"*(?=<<)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_MAX_RESOLVE_DEPTH = 16

# What a finding is about; pdfcheck turns each into the words a person reads.
JAVASCRIPT = "javascript"
LAUNCH = "launch"
REMOTE_GOTO = "remote_goto"
OUTSIDE = "outside"
EMBEDDED_FILE = "embedded_file"
XFA = "xfa"
RICH_MEDIA = "rich_media"
BOMB = "bomb"
UNREADABLE = "unreadable"

_ACTIONS: dict[str, str] = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/GoToR": REMOTE_GOTO,
    "/GoToE": REMOTE_GOTO,
    "/URI": OUTSIDE,
    "/SubmitForm": OUTSIDE,
    "/ImportData": OUTSIDE,
    "/Rendition": RICH_MEDIA,
    "/Movie": RICH_MEDIA,
    "/Sound": RICH_MEDIA,
    "/RichMediaExecute": RICH_MEDIA,
    "/GoTo3DView": RICH_MEDIA,
}
_ANNOTATIONS: dict[str, str] = {
    "/FileAttachment": EMBEDDED_FILE,
    "/RichMedia": RICH_MEDIA,
    "/Screen": RICH_MEDIA,
    "/Movie": RICH_MEDIA,
    "/Sound": RICH_MEDIA,
    "/3D": RICH_MEDIA,
}
_KEYS: dict[str, str] = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,  # the document-level JavaScript name tree
    "/EmbeddedFiles": EMBEDDED_FILE,
    "/EF": EMBEDDED_FILE,
    "/Collection": EMBEDDED_FILE,  # a portfolio: a PDF that is a folder of files
    "/XFA": XFA,
    "/RichMediaContent": RICH_MEDIA,
}
# For bytes the parser could not read: the same names, as tokens.
_TOKENS = re.compile(
    rb"/(JavaScript|JS|Launch|GoToR|GoToE|URI|SubmitForm|ImportData|EmbeddedFiles?|EF|FileAttachment|"
    rb"Collection|XFA|RichMedia\w*|Rendition|Movie|Sound|3D|GoTo3DView)(?=[\x00\t\n\f\r ()<>\[\]{}/%]|$)"
)
_TOKEN_FINDINGS: dict[bytes, str] = {
    b"JavaScript": JAVASCRIPT,
    b"JS": JAVASCRIPT,
    b"Launch": LAUNCH,
    b"GoToR": REMOTE_GOTO,
    b"GoToE": REMOTE_GOTO,
    b"URI": OUTSIDE,
    b"SubmitForm": OUTSIDE,
    b"ImportData": OUTSIDE,
    b"EmbeddedFile": EMBEDDED_FILE,
    b"EmbeddedFiles": EMBEDDED_FILE,
    b"EF": EMBEDDED_FILE,
    b"FileAttachment": EMBEDDED_FILE,
    b"Collection": EMBEDDED_FILE,
    b"XFA": XFA,
}
_OPAQUE_FILTERS = {"/DCTDecode", "/DCT", "/JPXDecode", "/CCITTFaxDecode", "/CCF", "/JBIG2Decode", "/Crypt"}


class BombError(Exception):
    """A stream would inflate past the budget."""


class _UnreadableError(Exception):
    """Data a viewer must decode to find objects (an object stream) cannot be decoded."""


@dataclass(frozen=True)
class DecodeBudget:
    """How far streams may inflate while a file is read: per stream, in total, and by ratio.

    A legitimate scan stays far below these: a 600 dpi colour A4 page is about 100 MB raw, and
    image codecs are not decoded at all. Deflate alone cannot pass about 1,030:1, so a larger
    stream beyond ``max_ratio`` is made of nested filters, which only a bomb needs.
    """

    per_stream: int = 160 * 1024 * 1024
    total: int = 320 * 1024 * 1024
    max_ratio: int = 500
    ratio_from: int = 32 * 1024 * 1024
    """Below this output size, the ratio is not judged (a blank page compresses very well)."""


@dataclass
class Scan:
    """What the scanner found: the findings, and facts the checker needs about the file."""

    findings: set[str] = field(default_factory=set)
    signature_fields: int = 0
    images: int = 0
    hand_marks: int = 0
    """Ink and stamp annotations: how viewers let a person sign or stamp on screen."""
    encrypted: bool = False
    objects: int = 0


class _Objects:
    """Every definition of every object, found by scanning; parsed on first use.

    It is also the ``pdf`` pypdf's parser asks when a stream's ``/Length`` is an indirect reference.
    """

    strict = False

    def __init__(self, data: bytes, budget: DecodeBudget):
        self.data = data
        self.budget = budget
        self.decoded = 0
        self.offsets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for match in _OBJECT_HEADER.finditer(data):
            self.offsets[(int(match[1]), int(match[2]))].append(match.end())
        self.parsed: dict[int, Any] = {}
        self.in_stream: dict[tuple[int, int], list[Any]] = defaultdict(list)
        self.unreadable: list[bytes] = []
        self._busy: set[int] = set()

    def at(self, offset: int) -> Any:
        """The object whose body starts at ``offset``; ``None`` (and its bytes kept aside) when unreadable."""
        if offset in self.parsed:
            return self.parsed[offset]
        if offset in self._busy:  # a /Length that points into its own stream
            return None
        self._busy.add(offset)
        try:
            obj = self.parse(self.data, offset)
        except Exception:  # noqa: BLE001 - any parser failure: judge the raw bytes instead
            end = self.data.find(b"endobj", offset)
            self.unreadable.append(self.data[offset : end if end >= 0 else len(self.data)])
            obj = None
        finally:
            self._busy.discard(offset)
        self.parsed[offset] = obj
        return obj

    def parse(self, data: bytes, offset: int) -> Any:
        """The object written at ``offset`` of ``data`` (whitespace before it skipped), with pypdf's parser."""
        stream = io.BytesIO(data)
        stream.seek(offset)
        read_non_whitespace(stream)
        stream.seek(-1, io.SEEK_CUR)
        return read_object(stream, self)

    def get_object(self, ref: Any) -> Any:
        """pypdf's hook to follow a reference (for a stream's ``/Length``, among others)."""
        return self.resolve(ref)

    def definitions(self, ref: IndirectObject) -> Iterator[Any]:
        key = (ref.idnum, ref.generation)
        for offset in self.offsets.get(key, ()):
            if (obj := self.at(offset)) is not None:
                yield obj
        yield from self.in_stream.get(key, ())

    def resolve(self, value: Any) -> Any:
        """A direct value: the last definition of what an indirect reference points to."""
        for _ in range(_MAX_RESOLVE_DEPTH):
            if not isinstance(value, IndirectObject):
                return value
            found = list(self.definitions(value))
            if not found:
                return None
            value = found[-1]
        return None

    def resolve_all(self, value: Any, depth: int = 0) -> Iterator[Any]:
        """Every direct value a reference may stand for (a viewer may take any definition)."""
        if not isinstance(value, IndirectObject):
            yield value
        elif depth < _MAX_RESOLVE_DEPTH:
            for found in self.definitions(value):
                yield from self.resolve_all(found, depth + 1)

    def every(self) -> Iterator[Any]:
        """Each definition in the body, the objects inside object streams, and each trailer."""
        for offsets in list(self.offsets.values()):
            for offset in offsets:
                if (obj := self.at(offset)) is not None:
                    yield obj
        for match in _TRAILER.finditer(self.data):
            try:
                yield self.parse(self.data, match.end())
            except Exception:  # noqa: BLE001
                end = self.data.find(b"startxref", match.end())
                self.unreadable.append(self.data[match.end() : end if end >= 0 else len(self.data)])

    # -- streams --------------------------------------------------------------------

    def decode(self, stream: StreamObject, *, keep: bool) -> bytes:
        """The stream's data through its filters, within the budget; image codecs end the chain.

        With ``keep`` false only the size is counted (the last stage's output is dropped as it comes).
        """
        filters = self.resolve(stream.get("/Filter"))
        names = [self.resolve(f) for f in filters] if isinstance(filters, ArrayObject) else [filters]
        names = [str(n) for n in names if isinstance(n, NameObject)]
        data: bytes = stream._data  # the encoded bytes as they are in the file
        encoded = max(len(data), 1)
        for position, name in enumerate(names):
            if name in _OPAQUE_FILTERS:
                break
            last = position == len(names) - 1
            data = self._stage(name, data, encoded, keep=keep or not last)
        return data

    def _stage(self, name: str, data: bytes, encoded: int, *, keep: bool) -> bytes:
        if name in ("/FlateDecode", "/Fl"):
            return self._inflate(data, encoded, keep=keep)
        try:
            if name in ("/ASCIIHexDecode", "/AHx"):
                out = ASCIIHexDecode.decode(data)
            elif name in ("/ASCII85Decode", "/A85"):
                out = ASCII85Decode.decode(data)
            elif name in ("/LZWDecode", "/LZW"):
                out = LZWDecode.decode(data)  # bounded by pypdf's own output limit
            elif name in ("/RunLengthDecode", "/RL"):
                out = RunLengthDecode.decode(data)  # bounded by pypdf's own output limit
            else:
                return data  # a filter no viewer knows: the data stays opaque
        except Exception as exc:  # pypdf's limits raise LimitReachedError
            if "limit" in type(exc).__name__.lower() or "maximum" in str(exc).lower():
                raise BombError from exc
            raise _UnreadableError from exc
        self._count(len(out), encoded)
        return out

    def _inflate(self, data: bytes, encoded: int, *, keep: bool) -> bytes:
        inflater = zlib.decompressobj()
        chunks: list[bytes] = []
        produced = 0
        pending = data
        step = 1024 * 1024
        try:
            while not inflater.eof:
                out = inflater.decompress(pending, step)  # never more than ``step`` bytes at once
                pending = inflater.unconsumed_tail
                if not out and not pending:
                    break
                produced += len(out)
                self._count(len(out), encoded, produced)
                if keep:
                    chunks.append(out)
        except zlib.error as exc:
            if not keep:
                return b""  # a damaged image or page: nothing to find in it, and nothing inflated
            raise _UnreadableError from exc
        return b"".join(chunks)

    def _count(self, added: int, encoded: int, produced: int | None = None) -> None:
        produced = added if produced is None else produced
        self.decoded += added
        b = self.budget
        if produced > b.per_stream or self.decoded > b.total:
            raise BombError
        if produced > b.ratio_from and produced > b.max_ratio * encoded:
            raise BombError

    def open_object_stream(self, stream: StreamObject) -> None:
        """Parse the objects an object stream holds, so they are judged like any other."""
        count, first = self.resolve(stream.get("/N")), self.resolve(stream.get("/First"))
        if not isinstance(count, int) or not isinstance(first, int):
            return
        content = self.decode(stream, keep=True)
        header = content[:first].split()
        pairs = [(int(header[i]), int(header[i + 1])) for i in range(0, min(len(header), 2 * count) - 1, 2)]
        for number, relative in pairs:
            position = first + relative
            try:
                self.in_stream[(number, 0)].append(self.parse(content, position))
            except Exception:  # noqa: BLE001
                self.unreadable.append(content[position : position + 64 * 1024])


def scan(data: bytes, budget: DecodeBudget | None = None) -> Scan:
    """Judge every object of ``data``. Raises ``BombError`` when a stream passes the budget."""
    objects = _Objects(data, budget or DecodeBudget())
    result = Scan()
    seen_streams: set[int] = set()
    # Object streams first: their objects join the index before anything is judged.
    tops = list(objects.every())
    for obj in tops:
        if isinstance(obj, StreamObject) and "/First" in obj and "/N" in obj:
            seen_streams.add(id(obj))
            try:
                objects.open_object_stream(obj)
            except (_UnreadableError, ValueError, IndexError):
                result.findings.add(UNREADABLE)
    everything = tops + [o for defs in list(objects.in_stream.values()) for o in defs]
    result.objects = len(everything)
    for obj in everything:
        _walk(obj, objects, result)
        if isinstance(obj, StreamObject) and id(obj) not in seen_streams:
            try:
                objects.decode(obj, keep=False)
            except _UnreadableError:
                pass  # a damaged stream of a page or image: a viewer draws less; nothing runs
    for raw in objects.unreadable:
        decoded = _NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), raw)
        for token in _TOKENS.finditer(decoded):
            result.findings.add(_TOKEN_FINDINGS.get(token[1], RICH_MEDIA))  # the rest name media
    return result


def _walk(obj: Any, objects: _Objects, result: Scan) -> None:
    """Judge one object and the direct objects nested in it (each indirect one is judged on its own)."""
    stack = [obj]
    depth_guard = 0
    while stack and depth_guard < 1_000_000:
        depth_guard += 1
        item = stack.pop()
        if isinstance(item, DictionaryObject):  # streams are dictionaries too
            _judge(item, objects, result)
            stack.extend(dict.values(item))  # raw values: references stay references
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))


def _names(d: DictionaryObject, key: str, objects: _Objects) -> set[str]:
    if key not in d:
        return set()
    return {str(v) for v in objects.resolve_all(dict.__getitem__(d, key)) if isinstance(v, NameObject)}


def _judge(d: DictionaryObject, objects: _Objects, result: Scan) -> None:
    for key, finding in _KEYS.items():
        if key in d:
            result.findings.add(finding)
    for action in _names(d, "/S", objects):
        if action in _ACTIONS:
            result.findings.add(_ACTIONS[action])
    types, subtypes = _names(d, "/Type", objects), _names(d, "/Subtype", objects)
    if "/EmbeddedFile" in types:
        result.findings.add(EMBEDDED_FILE)
    for subtype in subtypes:
        if subtype in _ANNOTATIONS:
            result.findings.add(_ANNOTATIONS[subtype])
    if "/Image" in subtypes:
        result.images += 1
    if subtypes & {"/Ink", "/Stamp"}:
        result.hand_marks += 1
    if "/Sig" in _names(d, "/FT", objects) or "/Sig" in types or "/ByteRange" in d:
        result.signature_fields += 1
    if "/Encrypt" in d and ("/Root" in d or "/XRef" in types):
        result.encrypted = True
