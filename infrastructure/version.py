"""The installed package's version, as ``--version`` and the OpenAPI document give it."""

PACKAGE = "actiontrail"


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # only when asked (CLI start-up)

    try:
        return version(PACKAGE)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"
