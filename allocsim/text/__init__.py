"""Plain-text renderings of results for the terminal (pure: results in, strings out)."""
