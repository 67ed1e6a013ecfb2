"""Bar charts as SVG, drawn on the server from report rows.

Charts are for the eye only: every chart stands next to a table with the same figures,
which is what screen readers and text extraction use, so the SVG is marked as an image
with a short label pointing to that table. They are readable in black and white: one
dark fill, values written at each bar, no meaning carried by colour.

The drawing itself is shared with the start page's figures: `kvalitet.lib.diagram`.
"""

from kvalitet.lib.diagram import liggande, staende, tal_text

__all__ = ["liggande", "staende", "tal_text"]
