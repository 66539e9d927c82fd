"""State: stored glossaries and editor feedback, in SQLite by default or PostgreSQL by URL."""
