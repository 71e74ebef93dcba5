"""``python -m infrastructure.cli``: the same as the ``actiontrail`` command."""

import sys

from infrastructure.cli import entry

sys.exit(entry())
