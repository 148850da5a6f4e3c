"""HTTP API (FastAPI): lands with the retrieval-API issue; the CLI is the interface until then."""
