"""natasha's news NER tagger, loaded lean: the same network, vectors and spans.

``NewsNERTagger(NewsEmbedding())`` reads the whole embedding (its 250,000-word
vocabulary, counts and similarity tables, of which the tagger reads only the quantised
vectors) and keeps the tagger's own 250,000-word vocabulary as a Python dict: 141 MB
resident after loading. Here the vectors are read alone from the embedding's file and
the tagger's vocabulary is packed (`copydesk.models.packed`): 37 MB.
"""

from __future__ import annotations

from gzip import decompress
from types import SimpleNamespace

import numpy as np
from natasha.data import NEWS_EMBEDDING, NEWS_NER
from natasha.ner import NERTagger
from navec.meta import Meta
from navec.navec import META, PQ_
from navec.tar import Tar
from slovnet.api import NER
from slovnet.const import PAD, SHAPE, TAG, UNK, WORD
from slovnet.exec.encoders import TagEncoder
from slovnet.exec.infer import NERInfer, TagDecoder
from slovnet.exec.model import NER as NERModel
from slovnet.exec.pack import Pack, vocab_name

from copydesk.models.packed import PackedWords

BATCH_SIZE = 8  # slovnet's default


class PackedVocab:
    """slovnet's `Vocab` of words, for encoding only: ``encode`` gives the same ids."""

    def __init__(self, items: list[str]) -> None:
        self.words = PackedWords([item.encode("utf-8", "surrogatepass") for item in items])
        self.unk_id = self._id(UNK)
        self.pad_id = self._id(PAD)

    def _id(self, item: str) -> int | None:
        at = self.words.position(item)
        return at if at >= 0 else None

    def encode(self, item: str) -> int | None:
        at = self.words.position(item)
        return at if at >= 0 else self.unk_id

    def __len__(self) -> int:
        return len(self.words)


def _vectors(path: str) -> SimpleNamespace:
    """The embedding's id and quantised vectors (`navec.pq.PQ.from_file`'s layout), as
    slovnet's navec injection reads them: ``meta.id``, ``pq.indexes``, ``pq.codes``."""
    with Tar(path) as tar:
        meta = Meta.from_file(tar.load(META))
        Meta.check_protocol(meta.protocol)
        file = tar.load(PQ_)
        vectors, _dim, qdim, centroids = np.frombuffer(file.read(16), np.uint32)
        indexes = np.frombuffer(file.read(int(vectors) * int(qdim)), np.uint8)
        codes = np.frombuffer(file.read(), np.float32).reshape(int(qdim), int(centroids), -1)
    pq = SimpleNamespace(indexes=indexes.reshape(int(vectors), int(qdim)), codes=codes)
    return SimpleNamespace(meta=meta, pq=pq)


def news_ner_tagger(ner_path: str = NEWS_NER, embedding_path: str = NEWS_EMBEDDING) -> NERTagger:
    """natasha's `NewsNERTagger` (`slovnet.api.NER.load`, then the embedding injected)."""
    with Pack(ner_path) as pack:
        pack.load_meta().check_protocol()
        model = pack.load_model(NERModel)
        arrays = dict(pack.load_arrays(model.weights))
        words = PackedVocab(decompress(pack.read(vocab_name(WORD))).decode("utf8").splitlines())
        shapes = pack.load_vocab(SHAPE)
        tags = pack.load_vocab(TAG)
    model = model.inject_arrays(arrays)
    infer = NERInfer(model, TagEncoder(words, shapes, BATCH_SIZE), TagDecoder(tags))
    tagger = NERTagger.__new__(NERTagger)
    NER.__init__(tagger, infer, BATCH_SIZE)
    tagger.navec(_vectors(embedding_path))
    return tagger
