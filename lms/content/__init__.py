"""The content subsystem: schema, loading, validation, rendering, search folding and export of course files."""
