"""``python -m infrastructure.cli``: the same as the ``actiontrail`` command."""

import sys

from infrastructure.cli import main

sys.exit(main())
