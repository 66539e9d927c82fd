"""The ways into copydesk: the command line, the HTTP API and editor's page, batch jobs, state.

Routes, commands and jobs are thin: they parse, call `copydesk.models` or
`copydesk.eval`, and map the result (or the error) to a response, an exit code or a file.
"""
