"""The web application and the yente-compatible matching API (``redthread serve``)."""
