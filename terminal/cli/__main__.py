"""``python -m terminal.cli``: the same as the ``posterm`` command."""

import sys

from terminal.cli import main

sys.exit(main())
