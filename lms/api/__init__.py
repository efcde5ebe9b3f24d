"""The JSON API under /api/v1 (OpenAPI 3.1, token-only) and the administrators' API token pages."""
