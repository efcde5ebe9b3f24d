"""The database copy of the course content: versions, links, module reads and search."""
