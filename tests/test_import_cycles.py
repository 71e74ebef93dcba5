"""No import circle anywhere in our packages: each module's imports form a tree of layers
(import-linter's contracts say which way; this says no module comes back to itself)."""

import grimp

PACKAGES = ("domain", "application", "projections", "infrastructure")


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Each import ``a -> b`` whose ``b`` leads back to ``a``, as the circle ``a, b, ..., a``."""
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                cycles.append([importer, *back])
    return cycles


def test_no_module_imports_itself_round_a_circle() -> None:
    # Imports inside functions and under ``TYPE_CHECKING`` count: a deferred import is still a
    # circle, only hidden.
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=False)

    assert import_cycles(graph) == []


def test_a_circle_is_found() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.b", "a.c"):
        graph.add_module(module)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.b")

    assert import_cycles(graph) == [["a.b", "a.c", "a.b"], ["a.c", "a.b", "a.c"]]
