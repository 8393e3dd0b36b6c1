"""HTML pages: one router per area of the sidebar (auth, posts, settings, shell placeholders)."""
