"""torkg: api."""
