"""indexer/query: the query language and the glossary."""
