"""Names: glossaries, the names a document uses, one spelling per name, garbled names."""
