"""What the HTTP API and the web console share: the app that mounts both (``app.create_app``),
the services as a dependency, downloads, the client's address, the reading of a malformed id and
a query's parameters (``query_parameters``).

``infrastructure.http`` and ``infrastructure.console`` are independent siblings (an import-linter
contract says so): each imports this package, neither the other.
"""
