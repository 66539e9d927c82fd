"""Grammar through LanguageTool: the server and its clients, the rule policy, the matches."""
