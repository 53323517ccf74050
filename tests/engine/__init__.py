"""indexer/engine and indexer/search: the index, ranking, facets, snippets and the search JSON."""
