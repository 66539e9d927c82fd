from __future__ import annotations

from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

from copydesk.models.checks.ner import news_ner_tagger

TEXTS = [
    "В понедельник Сергей Лавров сказал, что переговоры в Идлибе не закончились.",
    "Президент Турции Реджеп Тайип Эрдоган встретился с Владимиром Путиным в Сочи.",
    "Компания «Газпром» сообщила о росте поставок в Германию и Францию.",
]


def test_lean_tagger_finds_the_spans_natashas_does():
    lean, stock, segmenter = news_ner_tagger(), NewsNERTagger(NewsEmbedding()), Segmenter()
    for text in TEXTS:
        spans = []
        for tagger in (lean, stock):
            doc = Doc(text)
            doc.segment(segmenter)
            doc.tag_ner(tagger)
            spans.append([(s.start, s.stop, s.type) for s in doc.spans])
        assert spans[0] == spans[1] and spans[0]
    words = lean.infer.encoder.words_vocab
    stock_words = stock.infer.encoder.words_vocab
    assert (words.pad_id, words.unk_id) == (stock_words.pad_id, stock_words.unk_id)
    for word in ["москва", "лавров", "zzqx", "<pad>"]:
        assert words.encode(word) == stock_words.encode(word)
