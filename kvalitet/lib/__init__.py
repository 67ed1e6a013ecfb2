"""Pure helpers that import no app."""
