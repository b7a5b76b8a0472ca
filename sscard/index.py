"""The on-disk rule index: a header and marshal blobs, read one piece at a time (sscard.indexwrite
writes it; sscard.indexrecords holds the records' plain-data forms).

Layout: MAGIC, the header's length (8 bytes), the header (marshal), then the blobs. The
header holds the stamp (sscard.freshness: the rule files' listing and times, a content
hash of those whose times cannot tell an edit, and sscard's own code), the problems and
warnings, and where each bucket of names, each region table and each gram table lies.
Every size and place in the file is checked against the file's own size before it is
read; the file itself is opened only as sscard.cachefiles allows. A lookup reads one name bucket and the regions on its path, so it costs
about the same with 300 regions or 3,000.
"""

from __future__ import annotations

import marshal
import os
import zlib

from sscard import cachefiles, freshness
from sscard.errors import Problem
from sscard.i18n import Msg
from sscard.indexrecords import bank_from, region_from, relocation, source_from
from sscard.names import current_ids, grams
from sscard.store import MemoryRules, Rules, build, light

MAGIC = b"SSCARD-INDEX\n"
BUCKETS = 128
REGION_CACHE = 1024  # regions kept decoded in one process
MAX_HEADER_BYTES = 64 * 1024 * 1024


def name_bucket(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % BUCKETS


def index_path(folder: str, paths) -> str:
    """One index file per set of data layers."""
    key = zlib.crc32(chr(0).join(os.path.abspath(str(p)) for p in paths).encode("utf-8", "surrogatepass"))
    return os.path.join(folder, f"index-{key:08x}.bin")


class NotCurrent(Exception):
    """The index is stale or from another build of sscard: rebuild it, quietly."""


class Damaged(Exception):
    """The index is not a sane sscard index: rebuild it, and say so."""


class IndexedRules(Rules):
    """Rules read lazily from the on-disk index."""

    def __init__(self, path: str, stamp, paths) -> None:
        self._paths = paths
        self._fallback: MemoryRules | None = None
        self._file = cachefiles.open_index(path)
        if self._file is None:
            raise NotCurrent("no index yet")
        try:
            total = os.fstat(self._file.fileno()).st_size
            if self._file.read(len(MAGIC)) != MAGIC:
                raise Damaged(Msg("not an sscard index"))
            size = int.from_bytes(self._file.read(8), "little")
            if not 0 < size <= min(MAX_HEADER_BYTES, total - len(MAGIC) - 8):
                raise Damaged(Msg("its header size does not fit the file"))
            try:
                header = marshal.loads(self._file.read(size))
            except (EOFError, ValueError, TypeError) as exc:
                raise Damaged(Msg("unreadable header ({error})", error=str(exc))) from None
            if not isinstance(header, dict) or not isinstance(header.get("blobs"), int):
                raise Damaged(Msg("its header is not an sscard header"))
            if len(MAGIC) + 8 + size + header["blobs"] != total:
                raise Damaged(Msg("truncated or padded"))
            if header.get("stamp") != stamp.text or not freshness.code_matches(header.get("code")):
                raise NotCurrent("stale")
            if not freshness.contents_match(header.get("digests") or {}):
                raise NotCurrent("a rule file changed within its file system's timestamp granularity")
            fix = self._fix = relocation(header.get("relocate"))
            self._stored_problems = (header["problems"], header["warnings"])  # as stored (rewrite_undigested)
            header["problems"] = [Problem.from_data(p, fix) for p in header["problems"]]
            header["warnings"] = [Problem.from_data(p, fix) for p in header["warnings"]]
        except (NotCurrent, Damaged):
            self._file.close()
            raise
        except Exception as exc:  # any other oddity of a crafted or damaged file
            self._file.close()
            raise Damaged(f"{type(exc).__name__}") from None
        self._blobs = header["blobs"]
        self.digested = set(header.get("digests") or ())  # files stamped by content as well
        self._base = len(MAGIC) + 8 + size
        self._header = header
        self.problems = header["problems"]
        self.warnings = header["warnings"]
        self.notes: list = []
        self.gazetteer = header["gazetteer"]
        self._census: dict | None = None  # read when a national fallback first asks (large: one row per place)
        self.regions = _IndexedNames(self, "region_keys")
        self.banks = _IndexedNames(self, "bank_keys")
        self._regions: dict = {}
        self._tables: dict = {}
        self._covered: dict = {}
        self._cited: dict = {}
        self._banks: dict | None = None
        self._all: list | None = None

    @property
    def census(self) -> dict:
        if self._census is None:
            try:
                self._census = self._blob(self._header["census"])
            except Exception:  # a damaged index: answer from the files instead
                return self._memory().census
        return self._census

    @census.setter
    def census(self, value: dict) -> None:
        self._census = value

    def close(self) -> None:
        self._file.close()

    def rewrite_undigested(self, folder: str, target: str) -> None:
        """Write this index again with no content hashes: its files were just proven current by them,
        and their times now vouch for them (far cheaper than parsing every rule again)."""
        problems, warnings = self._stored_problems
        header = {**self._header, "digests": {}, "problems": problems, "warnings": warnings}
        raw = marshal.dumps(header)

        def chunks():
            yield MAGIC + len(raw).to_bytes(8, "little") + raw
            self._file.seek(self._base)
            left = self._blobs
            while left:
                chunk = self._file.read(min(left, 1 << 20))
                if not chunk:
                    raise ValueError("truncated index")
                left -= len(chunk)
                yield chunk

        cachefiles.write_whole(folder, target, chunks())

    def _region_table(self, bucket: int) -> dict:
        table = self._tables.get(bucket)
        if table is None:
            table = self._tables[bucket] = self._blob(self._header["region_tables"][bucket])
        return table

    def _memory(self) -> MemoryRules:
        """A damaged index met mid-lookup: parse the files instead, once."""
        if self._fallback is None:
            self._fallback = build(self._paths)
        return self._fallback

    def region(self, rid):
        if self._fallback is not None:
            return self._fallback.region(rid)
        found = self._regions.pop(rid, None)
        if found is not None:
            self._regions[rid] = found  # most recently used last: a long batch keeps its parents
        else:
            try:
                where = self._region_table(name_bucket(rid)).get(rid)
                if where is None:
                    raise KeyError(rid)
                data = self._packed(where)
                found = region_from(data, self._fix)
                covered = data[9]  # where its covered-places table is: read only if asked
                cited = {source[0]: source_from(source, self._fix) for source in data[10]}
            except KeyError:
                raise
            except Exception:  # a damaged index: answer from the files instead
                return self._memory().region(rid)
            while len(self._regions) >= REGION_CACHE:  # a long batch over many places: keep memory flat
                oldest = next(iter(self._regions))  # the least recently used (never all at once)
                del self._regions[oldest]
                self._covered.pop(oldest, None)
            self._regions[rid] = found
            self._covered[rid] = covered
            self._cited.update(cited)
        return found

    def _bank_table(self) -> dict:
        if self._banks is None:
            try:
                self._banks = {b[0]: bank_from(b, self._fix) for b in self._blob(self._header["banks"])}
            except Exception:  # a damaged index
                self._banks = {b.id: b for b in self._memory().all_banks()}
        return self._banks

    def bank(self, bid):
        return self._memory().bank(bid) if self._fallback is not None else self._bank_table()[bid]

    def source(self, sid):
        if self._fallback is not None:
            return self._fallback.source(sid)
        found = self._cited.get(sid)  # sources cited by regions already read
        return found if found is not None else self._all_sources().get(sid)

    def _all_sources(self) -> dict:
        cached = self._tables.get("sources")
        if cached is None:
            try:
                cached = {s[0]: source_from(s, self._fix) for s in self._blob(self._header["sources"])}
            except Exception:  # a damaged index
                cached = {s.id: s for s in self._memory().all_sources()}
            self._tables["sources"] = cached
        return cached

    def covered_below(self, rid, topic):
        if self._fallback is not None:
            return self._fallback.covered_below(rid, topic)
        self.region(rid)
        covered = self._covered.get(rid)
        if covered is None:
            return ()
        if not isinstance(covered, dict):
            try:
                covered = self._covered[rid] = self._packed(covered)
            except Exception:  # a damaged index
                return self._memory().covered_below(rid, topic)
        return tuple(light(s) for s in covered.get(topic or "", ()))

    def all_regions(self):
        if self._fallback is not None:
            return self._fallback.all_regions()
        if self._all is not None:  # read once: a session (sscard shell) lists and searches often
            return list(self._all)
        try:
            ids = sorted(rid for bucket in range(BUCKETS) for rid in self._region_table(bucket))
        except Exception:  # a damaged index
            return self._memory().all_regions()
        self._all = [self.region(rid) for rid in ids]
        return list(self._all)

    def all_banks(self):
        return list(self._bank_table().values()) if self._fallback is None else self._fallback.all_banks()

    def all_sources(self):
        return list(self._all_sources().values()) if self._fallback is None else self._fallback.all_sources()

    def _raw(self, where) -> bytes:
        offset, length = where
        if not (isinstance(offset, int) and isinstance(length, int) and 0 <= offset
                and 0 <= length <= self._blobs - offset):
            raise ValueError("damaged index: a blob outside the file")
        self._file.seek(self._base + offset)
        data = self._file.read(length)
        if len(data) != length:
            raise ValueError("truncated index")
        return data

    def _blob(self, where):
        return marshal.loads(self._raw(where))

    def _packed(self, where):
        """A record written compressed (regions, their covered places, the listing rows)."""
        return marshal.loads(zlib.decompress(self._raw(where)))

    def search_table(self):
        """The search table kept at build time (sscard.searchstore), or None: then search builds one."""
        if self._fallback is not None or not isinstance(self._header.get("search"), dict):
            return None
        from sscard.searchstore import StoredTable

        return StoredTable(self._header["search"], self._blob, self._raw, self.region)

    def listing_rows(self, all_places: bool = True):
        """The `cities` rows kept at build time (sscard.listing.stored_rows), or None: every place's,
        or (all_places False) at least those listed without --all."""
        field = "cities" if all_places else "cities_listed"
        if self._fallback is None and field in self._header:
            try:
                fix = self._fix
                return [(*row[:7], fix(row[7]), *row[8:]) for row in self._packed(self._header[field])]
            except Exception:  # a damaged index: the caller reads the regions instead
                pass
        return None

    def listing_text(self, fmt: str, all_places: bool = False):
        """The `cities` listing as fmt ("plain" or "markdown") UTF-8 text kept at build time, its level cells
        marked (sscard.listing.shown_text words them), or None: then the rows are rendered."""
        from sscard.locate import bundled_data_dir

        texts = self._header.get("cities_text")
        if self._fallback is not None or not isinstance(texts, dict) or fmt not in texts or self._fix is not str:
            return None
        if self._header.get("cities_bundled") != bundled_data_dir():  # its "from" column says which is bundled
            return None
        try:
            return zlib.decompress(self._raw(texts[fmt][1 if all_places else 0]))
        except Exception:  # a damaged index: the caller renders the rows instead
            return None

    def completion_names(self):
        if self._fallback is None:
            try:
                return self._blob(self._header["names"])
            except Exception:  # a damaged index
                pass
        return self._memory().completion_names()

    def completion_bucket(self, kind: str, number: int):
        if self._fallback is not None or "completion" not in self._header:
            return None
        where = self._tables.get("completion")
        if where is None:
            where = self._tables["completion"] = self._blob(self._header["completion"])
        return self._blob(where[kind][number])


class _IndexedNames:
    """The name index, read one bucket at a time (every name only for fuzzy matching)."""

    def __init__(self, rules: IndexedRules, field: str) -> None:
        self._rules = rules
        self._field = field
        self._loaded: dict = {}

    def _bucket(self, bucket: int) -> dict:
        table = self._loaded.get(bucket)
        if table is None:
            table = self._rules._blob(self._rules._header[self._field][bucket])
            if not isinstance(table, dict):
                raise ValueError("damaged index")
            self._loaded[bucket] = table
        return table

    def _memory(self):
        rules = self._rules._memory()
        return rules.regions if self._field == "region_keys" else rules.banks

    def entries(self, key: str) -> list:
        """(id, class, former) entries of one normalized name, from its bucket."""
        try:
            return self._bucket(name_bucket(key)).get(key) or []
        except Exception:  # a damaged index: use the parsed files
            return self._memory().entries(key)

    def exact(self, text: str) -> list:
        return current_ids(self, text)

    def is_id(self, key: str) -> bool:
        try:
            if self._field == "region_keys":
                return key in self._rules._region_table(name_bucket(key))
            return key in self._rules._bank_table()
        except Exception:  # a damaged index: use the parsed files
            return self._memory().is_id(key)

    def near(self, key: str):
        """Names sharing an ASCII trigram or a character with key, from the gram buckets."""
        field = self._field.replace("keys", "grams")
        if field not in self._rules._header:
            return None
        try:
            found: dict = {}
            for gram in grams(key):
                bucket = name_bucket(gram)
                table = self._loaded.get(("g", bucket))  # gram -> where its names are
                if table is None:
                    table = self._loaded[("g", bucket)] = self._rules._blob(self._rules._header[field][bucket])
                if gram in table:
                    found.update(self._rules._blob(table[gram]))
            return found
        except Exception:  # a damaged index: the full scan still works
            return None

    def traditional(self, text: str):
        """The simplified name a name typed in traditional characters stands for (寧波 -> 宁波), from
        the table made at build time, or None (then the converter runs as for any text)."""
        field = self._field.replace("keys", "traditional")
        if field not in self._rules._header:
            return None
        try:
            bucket = name_bucket(text)
            table = self._loaded.get(("t", bucket))
            if table is None:
                table = self._loaded[("t", bucket)] = self._rules._blob(self._rules._header[field][bucket])
            found = table.get(text)
            return found if isinstance(found, str) else None
        except Exception:  # a damaged index: the converter still works
            return None

    def choices(self) -> dict:
        try:  # one blob holding every name: far cheaper than reading every bucket
            keys, owners = self._rules._blob(self._rules._header[self._field + "_all"])
            return dict(zip(keys, owners))
        except Exception:  # a damaged index: use the parsed files
            return self._memory().choices()


def join(header: dict, blobs) -> bytes:
    raw = marshal.dumps(header)
    return b"".join((MAGIC, len(raw).to_bytes(8, "little"), raw, blobs))
