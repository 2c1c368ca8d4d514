"""`python -m aigovkg` runs the command line."""

from .cli import app

app(prog_name="aigovkg")
