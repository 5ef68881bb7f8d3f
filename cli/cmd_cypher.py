"""Subcommands (filled in by their issue)."""
