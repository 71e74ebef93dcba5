"""Tests of the recorders against the library's own expectations."""
