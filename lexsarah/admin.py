"""Lex Sarah cases are not in the administration: they are reached through the access
door only (docs/behorighet.md). Their cause areas are the core's list."""
