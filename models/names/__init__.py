"""Names: transliteration, glossaries, known places and the names a document uses."""
