"""Case files: a client profile with targets and notes, stored on this machine (SQLite)."""
