"""The plan memory: every successful sub-goal's action sequence, in a chromadb PersistentClient on disk.

* :meth:`PlanMemory.add_success` writes one record at once (chromadb commits it to its SQLite log before it
  returns), so a process killed mid-run loses nothing it had already reported.
* :meth:`PlanMemory.reference_plan` answers, in this order: the sub-goal's summary plan (made once it has
  :data:`SUMMARY_EVERY` successes, and again at each further multiple) -> its most recent success -> the nearest
  neighbour by embedding of the sub-goal text with its context (with the cosine distance).
* Summaries come from a ``summarizer`` callable (the LLM planner passes one in) or, by default, from the most
  frequent action-name sequence among the successes.

Embeddings are computed here (``memory_store.embedding``, offline) and handed to chromadb explicitly: the
collections have no embedding function of their own, so chromadb never tries to download its default model.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from memory_store.data_dir import chosen_by, file_error, make_dir, resolve_data_dir
from memory_store.embedding import MiniLMEmbedder, get_embedder

log = logging.getLogger(__name__)

SUMMARY_EVERY = 5
CONTEXT_WEIGHT = 0.2  # share of the context in a record's vector (see embed_subgoals)
RECORDS = "gitm_plan_records"
REFERENCES = "gitm_reference_plans"
CHROMA_DB = "chroma.sqlite3"  # chromadb's PersistentClient keeps everything but the vector index here
SQLITE_HEADER = b"SQLite format 3\x00"

Summarizer = Callable[[str, list["PlanRecord"]], list[dict[str, Any]]]


def subgoal_key(subgoal: Any) -> str:
    """Canonical text of a sub-goal: 'Mine  Iron_Ore ' -> 'mine iron_ore'. Accepts the decomposer's SubGoal too."""
    if not isinstance(subgoal, str):
        action, obj = getattr(subgoal, "action", None), getattr(subgoal, "object", None)
        if action is None or obj is None:
            raise TypeError(f"a sub-goal is text or has .action and .object, got {subgoal!r}")
        subgoal = f"{action} {obj}"
    key = " ".join(subgoal.strip().lower().split())
    if not key:
        raise ValueError("empty sub-goal")
    return key


def _normalize_actions(actions: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for a in actions:
        if not isinstance(a, Mapping) or not a.get("name"):
            raise ValueError(f"an action is a mapping with a 'name', got {a!r}")
        item: dict[str, Any] = {"name": str(a["name"]), "args": dict(a.get("args") or {})}
        if a.get("expectation") is not None:
            item["expectation"] = a["expectation"]
        out.append(item)
    return out


def context_text(context: Mapping[str, Any] | None) -> str:
    """A short sentence of the context that goes into the embedding (the sub-goal text dominates it)."""
    if not context:
        return ""
    parts = []
    if context.get("biome"):
        parts.append(f"in {context['biome']}")
    if context.get("y") is not None:
        parts.append(f"at y {context['y']}")
    inv = context.get("inventory") or {}
    if isinstance(inv, Mapping) and inv:
        top = sorted(inv.items(), key=lambda kv: (-_num(kv[1]), kv[0]))[:8]
        parts.append("holding " + ", ".join(f"{n} {k}" for k, n in top))
    return " ".join(parts)


def _num(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return 0.0


def embedding_text(subgoal: str, context: Mapping[str, Any] | None = None) -> str:
    """The document stored beside a record's vector (for people; the vector is :func:`embed_subgoals`)."""
    ctx = context_text(context)
    return f"{subgoal}. {ctx}" if ctx else subgoal


def embed_subgoals(
    embedder: MiniLMEmbedder, items: list[tuple[str, Mapping[str, Any] | None]]
) -> np.ndarray:
    """One unit vector per (sub-goal, context): CONTEXT_WEIGHT of the context's embedding, the rest the sub-goal's.

    Embedding "sub-goal. context" as one sentence let a long inventory outweigh the sub-goal (measured: with a
    mismatched context 'make a wooden stick' came out nearer 'mine deepslate_iron_ore' than 'craft stick'), so
    the two are embedded apart and mixed with the sub-goal dominating.
    """
    subgoal_vecs = embedder.embed([sg for sg, _ in items])
    ctx_texts = [context_text(ctx) for _, ctx in items]
    with_ctx = [i for i, t in enumerate(ctx_texts) if t]
    if with_ctx:
        ctx_vecs = embedder.embed([ctx_texts[i] for i in with_ctx])
        for row, i in enumerate(with_ctx):
            subgoal_vecs[i] = (1 - CONTEXT_WEIGHT) * subgoal_vecs[i] + CONTEXT_WEIGHT * ctx_vecs[row]
    norms = np.linalg.norm(subgoal_vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1e-12
    return subgoal_vecs / norms


@dataclass
class PlanRecord:
    """One success: the sub-goal, the actions that achieved it and the context they worked in."""

    subgoal: str
    actions: list[dict[str, Any]]
    context: dict[str, Any] = field(default_factory=dict)
    outcome: str = "success"
    ticks: int | None = None
    created_at: float = field(default_factory=time.time)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        self.subgoal = subgoal_key(self.subgoal)
        self.actions = _normalize_actions(self.actions)
        self.context = dict(self.context or {})

    @property
    def action_names(self) -> tuple[str, ...]:
        return tuple(a["name"] for a in self.actions)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PlanRecord:
        known = {k: d[k] for k in ("subgoal", "actions", "context", "outcome", "ticks", "created_at", "id") if k in d}
        return cls(**known)


@dataclass
class ReferencePlan:
    """What the memory proposes for a sub-goal, and where it comes from."""

    subgoal: str  # the sub-goal asked about
    actions: list[dict[str, Any]]
    source: str  # "summary" | "exact" | "nearest"
    matched_subgoal: str  # the sub-goal whose plan this is (differs from `subgoal` for "nearest")
    distance: float = 0.0  # cosine distance of the match (0 for an exact sub-goal)
    successes: int = 0  # successes stored for matched_subgoal
    method: str | None = None  # for summaries: "llm" or "most_frequent"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def most_frequent_plan(subgoal: str, records: list[PlanRecord]) -> list[dict[str, Any]]:
    """The default summarizer: the most frequent action-name sequence (ties: the most recent); its latest actions."""
    if not records:
        raise ValueError(f"no successes to summarize for '{subgoal}'")
    counts = Counter(r.action_names for r in records)
    latest = {r.action_names: r for r in sorted(records, key=lambda r: r.created_at)}
    best = max(counts, key=lambda seq: (counts[seq], latest[seq].created_at))
    return [dict(a) for a in latest[best].actions]


def store_problem(path: Path) -> str | None:
    """Why the chromadb store in folder `path` is corrupt (its SQLite file truncated, garbled, or failing SQLite's
    quick check), else None: also when it is missing or only busy or read-only, which chromadb reports itself."""
    db = path / CHROMA_DB
    try:
        with db.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError:  # missing (a new store), or unreadable: not corrupt
        return None
    if not head:
        return f"{CHROMA_DB} is empty: truncated"
    if head != SQLITE_HEADER:
        return f"{CHROMA_DB} is not an SQLite database"
    try:
        # mode=rw: never creates a file; rolls back a hot journal left by a kill, as chromadb would
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
        try:
            rows = con.execute("PRAGMA quick_check(1)").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        if (getattr(e, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return f"{CHROMA_DB}: {e}"
        return None  # locked by another run, or read-only: not corrupt
    if rows != [("ok",)]:
        return f"{CHROMA_DB}: {rows[0][0] if rows else 'no answer to SQLite quick_check'}"
    return None


def _move_aside(path: Path, origin: str) -> Path:
    """Rename the folder `path` to `<name>.corrupt-<time>` beside it; returns the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        path.rename(aside)
    except OSError as e:
        raise file_error(e, path, origin) from None
    return aside


class PlanMemory:
    """Successful plans per sub-goal in a chromadb PersistentClient at `path`."""

    def __init__(
        self,
        path: str | Path,
        summarizer: Summarizer | None = None,
        embedder: MiniLMEmbedder | None = None,
        summary_every: int = SUMMARY_EVERY,
        origin: str | None = None,
    ):
        """`origin`: what chose `path` (e.g. '--data-dir X'), named when the folder cannot be used. A corrupt
        store is moved aside (kept for inspection) and a fresh one started; `warning` then says so in one line."""
        import chromadb
        from chromadb.config import Settings

        self.path = Path(path).expanduser()
        origin = origin or f"the memory folder {self.path}"
        make_dir(self.path, origin)
        self.summarizer = summarizer
        self.summary_every = summary_every
        self._embedder = embedder
        self.warning: str | None = None
        # runs sharing the store (a sweep with --memory) check and open it one at a time: else one could take the
        # empty file another is creating for truncated, and move a fresh store aside
        lock_path = self.path.with_name(f".{self.path.name}.lock")
        try:
            lock = open(lock_path, "w")  # noqa: SIM115 - closed by the with below
        except OSError as e:
            raise file_error(e, lock_path, origin) from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            problem = store_problem(self.path)
            if problem:
                aside = _move_aside(self.path, origin)
                make_dir(self.path, origin)
                self.warning = (f"plan memory {self.path} is corrupt ({problem}): moved aside to {aside} (kept for "
                                "inspection), starting a fresh one")
            self._client = chromadb.PersistentClient(
                path=str(self.path), settings=Settings(anonymized_telemetry=False, allow_reset=False)
            )
        self._open_collections()

    @classmethod
    def open_default(cls, data_dir: str | Path | None = None, **kw: Any) -> PlanMemory:
        """The memory in `data_dir` (default: :func:`memory_store.data_dir.default_data_dir`), folder ``memory/``."""
        return cls(resolve_data_dir(data_dir) / "memory", origin=chosen_by(data_dir), **kw)

    def _open_collections(self) -> None:
        cfg = {"hnsw": {"space": "cosine"}}
        self._records = self._client.get_or_create_collection(RECORDS, embedding_function=None, configuration=cfg)
        self._refs = self._client.get_or_create_collection(REFERENCES, embedding_function=None, configuration=cfg)

    @property
    def embedder(self) -> MiniLMEmbedder:
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    # writing ----------------------------------------------------------------------------------------------
    def add_success(self, record: PlanRecord, summarize: bool = True) -> PlanRecord:
        """Store one success now; summarize the sub-goal when its count reaches a multiple of `summary_every`."""
        if record.outcome != "success":
            raise ValueError(f"only successes are stored, got outcome '{record.outcome}'")
        self._write_records([record])
        if summarize and self.summary_every > 0:
            n = self.count(record.subgoal)
            if n >= self.summary_every and n % self.summary_every == 0:
                self.summarize(record.subgoal)
        return record

    def _write_records(self, records: list[PlanRecord]) -> None:
        if not records:
            return
        vectors = embed_subgoals(self.embedder, [(r.subgoal, r.context) for r in records])
        self._records.upsert(
            ids=[r.id for r in records],
            embeddings=vectors,
            documents=[embedding_text(r.subgoal, r.context) for r in records],
            metadatas=[
                {
                    "subgoal": r.subgoal,
                    "created_at": float(r.created_at),
                    "n_actions": len(r.actions),
                    "record": json.dumps(r.to_dict(), sort_keys=True, default=str),
                }
                for r in records
            ],
        )

    def summarize(self, subgoal: Any, summarizer: Summarizer | None = None) -> ReferencePlan | None:
        """Merge the sub-goal's successes into its reference plan (stored); None if it has none."""
        key = subgoal_key(subgoal)
        records = self.records(key)
        if not records:
            return None
        fn = summarizer or self.summarizer
        method = "most_frequent"
        actions: list[dict[str, Any]] | None = None
        if fn is not None:
            try:
                actions = _normalize_actions(fn(key, records))
                method = "llm"
                if not actions:
                    raise ValueError("the summarizer returned no actions")
            except Exception as e:  # an LLM's failure must not lose the successes: fall back
                log.warning("summarizer failed for '%s' (%s); using the most frequent sequence", key, e)
                actions, method = None, "most_frequent"
        if actions is None:
            actions = most_frequent_plan(key, records)
        meta = {
            "subgoal": key,
            "method": method,
            "successes": len(records),
            "created_at": time.time(),
            "actions": json.dumps(actions, sort_keys=True, default=str),
            "sources": json.dumps([r.id for r in records]),
        }
        self._refs.upsert(ids=[key], embeddings=self.embedder.embed([key]), documents=[key], metadatas=[meta])
        return ReferencePlan(key, actions, "summary", key, 0.0, len(records), method)

    def clear(self) -> None:
        """Forget everything."""
        for name in (RECORDS, REFERENCES):
            try:
                self._client.delete_collection(name)
            except Exception:  # already gone
                pass
        self._open_collections()

    # reading ----------------------------------------------------------------------------------------------
    def records(self, subgoal: Any | None = None) -> list[PlanRecord]:
        """The successes stored for a sub-goal (all when None), oldest first."""
        where = {"subgoal": subgoal_key(subgoal)} if subgoal is not None else None
        got = self._records.get(where=where, include=["metadatas"])
        out = [PlanRecord.from_dict(json.loads(m["record"])) for m in got["metadatas"] or []]
        return sorted(out, key=lambda r: (r.created_at, r.id))

    def count(self, subgoal: Any | None = None) -> int:
        if subgoal is None:
            return self._records.count()
        return len(self._records.get(where={"subgoal": subgoal_key(subgoal)}, include=[])["ids"])

    def subgoals(self) -> dict[str, int]:
        """Sub-goal -> number of successes stored, most frequent first."""
        got = self._records.get(include=["metadatas"])
        counts = Counter(m["subgoal"] for m in got["metadatas"] or [])
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def summary(self, subgoal: Any) -> ReferencePlan | None:
        """The stored summary plan of a sub-goal, if it has one."""
        key = subgoal_key(subgoal)
        got = self._refs.get(ids=[key], include=["metadatas"])
        if not got["ids"]:
            return None
        m = got["metadatas"][0]
        return ReferencePlan(key, json.loads(m["actions"]), "summary", key, 0.0, int(m["successes"]), m["method"])

    def summaries(self) -> list[ReferencePlan]:
        got = self._refs.get(include=["metadatas"])
        return sorted(
            (
                ReferencePlan(m["subgoal"], json.loads(m["actions"]), "summary", m["subgoal"], 0.0,
                              int(m["successes"]), m["method"])
                for m in got["metadatas"] or []
            ),
            key=lambda p: p.subgoal,
        )

    def reference_plan(
        self, subgoal: Any, context: Mapping[str, Any] | None = None, max_distance: float | None = None
    ) -> ReferencePlan | None:
        """Summary of the exact sub-goal -> its most recent success -> the nearest neighbour (within max_distance)."""
        key = subgoal_key(subgoal)
        ref = self.summary(key)
        if ref is not None:
            return ref
        exact = self.records(key)
        if exact:
            return ReferencePlan(key, exact[-1].actions, "exact", key, 0.0, len(exact))
        nearest = self.nearest(key, context, k=1)
        if not nearest:
            return None
        record, distance = nearest[0]
        if max_distance is not None and distance > max_distance:
            return None
        ref = self.summary(record.subgoal)
        actions = ref.actions if ref is not None else record.actions
        return ReferencePlan(
            key, actions, "nearest", record.subgoal, distance, self.count(record.subgoal), ref.method if ref else None
        )

    def nearest(
        self, subgoal: Any, context: Mapping[str, Any] | None = None, k: int = 3
    ) -> list[tuple[PlanRecord, float]]:
        """The k stored successes nearest to the sub-goal (+ context) by cosine distance, one per sub-goal."""
        total = self._records.count()
        if total == 0:
            return []
        vec = embed_subgoals(self.embedder, [(subgoal_key(subgoal), context)])
        n = min(total, max(k * 8, 16))  # several per sub-goal may come first: keep one each
        got = self._records.query(query_embeddings=vec, n_results=n, include=["metadatas", "distances"])
        out: list[tuple[PlanRecord, float]] = []
        seen: set[str] = set()
        for m, d in zip(got["metadatas"][0], got["distances"][0], strict=True):
            if m["subgoal"] in seen:
                continue
            seen.add(m["subgoal"])
            out.append((PlanRecord.from_dict(json.loads(m["record"])), float(d)))
            if len(out) == k:
                break
        return out

    # export / import --------------------------------------------------------------------------------------
    def export(self, path: str | Path) -> int:
        """Write every record then every summary as JSON lines; returns the number of lines."""
        lines = [{"type": "record", **r.to_dict()} for r in self.records()]
        lines += [{"type": "summary", **p.to_dict()} for p in self.summaries()]
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for line in lines:
                f.write(json.dumps(line, sort_keys=True, default=str) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        return len(lines)

    def import_(self, path: str | Path) -> int:
        """Add the records and summaries of an export (same ids are replaced, so importing twice is harmless)."""
        records: list[PlanRecord] = []
        summaries: list[dict[str, Any]] = []
        with Path(path).open(encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                if not raw.strip():
                    continue
                try:
                    d = json.loads(raw)
                    kind = d.pop("type", "record")
                    if kind == "record":
                        records.append(PlanRecord.from_dict(d))
                    elif kind == "summary":
                        d["subgoal"] = subgoal_key(d["subgoal"])
                        d["actions"] = _normalize_actions(d["actions"])
                        summaries.append(d)
                    else:
                        raise ValueError(f"unknown line type '{kind}'")
                except (ValueError, KeyError, TypeError) as e:
                    raise ValueError(f"{path}:{n}: not a gitm memory line: {e}") from None
        for start in range(0, len(records), 256):
            self._write_records(records[start : start + 256])
        for s in summaries:
            meta = {
                "subgoal": s["subgoal"],
                "method": s.get("method") or "most_frequent",
                "successes": int(s.get("successes") or 0),
                "created_at": time.time(),
                "actions": json.dumps(s["actions"], sort_keys=True, default=str),
                "sources": "[]",
            }
            self._refs.upsert(
                ids=[s["subgoal"]], embeddings=self.embedder.embed([s["subgoal"]]), documents=[s["subgoal"]],
                metadatas=[meta],
            )
        return len(records) + len(summaries)
