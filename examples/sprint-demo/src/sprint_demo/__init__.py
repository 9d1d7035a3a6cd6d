"""A tiny project locked by sprintlock."""
