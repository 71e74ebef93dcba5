"""The console's routes, one module per group of pages."""
