"""Grammar through a LanguageTool server: the server's manager and the rule policy."""
