"""torkg: a knowledge graph of migration-governance Terms of Reference."""

__version__ = "0.1.0"
