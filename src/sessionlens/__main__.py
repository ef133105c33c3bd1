"""`python -m sessionlens` runs the CLI."""

from sessionlens.cli import main

main()
