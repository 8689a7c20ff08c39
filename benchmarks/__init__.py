"""Benchmarks: one script per question, each with a `main()` that prints a table."""
