"""indexer/ingest: file -> Report (sources, clean, segment, metadata, grades, sections)."""
