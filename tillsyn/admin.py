"""IVO's tillsyn is reached through the case pages only, not the administration."""
