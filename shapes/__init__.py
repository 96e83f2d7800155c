"""torkg: shapes."""
