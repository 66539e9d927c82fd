"""``python -m copydesk.service.cli``, as the console script ``copydesk``."""

from copydesk.service.cli import main

main()
