"""`python -m ingest`: validate the knowledge base and build the search index."""

from ingest.pipeline import IngestFailed, IngestReport, plan, run_ingest

__all__ = ["IngestFailed", "IngestReport", "plan", "run_ingest"]
