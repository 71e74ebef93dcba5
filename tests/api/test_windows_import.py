"""The HTTP app imports without ``fcntl`` (as on Windows): only the command line rebuilds."""

import subprocess
import sys

PROBE = """
import sys
sys.modules["fcntl"] = None  # as on Windows: ``import fcntl`` fails
import infrastructure.web.app
assert "infrastructure.rebuild" not in sys.modules, "the HTTP app imported the rebuild module"
"""


def test_the_http_app_imports_without_fcntl() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
