"""Spreadsheet-safe export cells.

A cell that starts with =, +, -, @ (or a tab or carriage return) is read as a
formula by spreadsheet programs, which lets a case description run code on the
reader's machine (CSV injection). In CSV such text gets a leading apostrophe; in
XLSX it is written as an explicit string cell, which is never evaluated.
"""

FORMELTECKEN = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """Text for a CSV cell, neutralised if it could be read as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMELTECKEN):
        return "'" + text
    return text


def ar_formelrisk(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMELTECKEN)
