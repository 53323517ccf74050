"""webapp: pages, state, security and the served app."""
