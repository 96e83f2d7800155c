"""torkg: ingest."""
