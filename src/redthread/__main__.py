"""Allow ``python -m redthread``."""

from redthread.cli import app

app(prog_name="redthread")
