"""Getting posts in: feeds fetched over HTTP, parsed items, tables uploaded by people."""
