"""One module per measure of issue 12's table; ``benchmarks.all`` runs them all."""
