"""Risks, analyses and the register's versions are reached through the access door only
(docs/behorighet.md), not the administration; the scale is a setting."""
