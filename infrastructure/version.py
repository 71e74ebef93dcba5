"""The installed package's version, as ``--version`` and the OpenAPI document give it."""

from importlib.metadata import PackageNotFoundError, version

PACKAGE = "actiontrail"


def package_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"
