"""The indexer's top-level modules: build, bad files, the index reader and store, dump, serve."""
