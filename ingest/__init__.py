"""`python -m ingest`: validate the knowledge base and build the search index."""

from ingest.build import IngestFailed, IngestReport, plan, run_ingest

__all__ = ["IngestFailed", "IngestReport", "plan", "run_ingest"]
