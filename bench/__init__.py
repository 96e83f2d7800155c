"""Benchmarks of torkg: ingestion, queries and checks at growing corpus sizes (``python -m bench.run``).

See ``bench/README.md`` for what is measured, how, and the latest results.
"""
