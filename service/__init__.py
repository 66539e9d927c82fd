"""The ways into copydesk: the command line now; HTTP and batch jobs build on the same engine."""
