"""The colours that carry a meaning, in one place: accident grades and risk levels.

Every output takes them from here: the charts, the risk maps (interactive, static, the big screen's
SVG) and the meeting pack. The big screen draws on a dark background, so its grade badges use a
lighter variant (dark text on them) and its regions without data a dark grey.
"""

from __future__ import annotations

# Accident grades (domain.grading), and 重特大 (major and above) where the two top grades are one bar.
GRADE_COLOURS = {
    "general": "#9aa5b1",
    "larger": "#e67e22",
    "major": "#c0392b",
    "extraordinary": "#7b1f1f",
    "major_plus": "#9b2226",
}
GRADE_COLOURS_ON_DARK = {"larger": "#f5a524", "major": "#f87171", "extraordinary": "#e879f9"}

# Risk levels (analytics.risk LEVELS: 重大 / 较大 / 一般 / 低风险), and a region without data.
LEVEL_COLOURS = {"red": "#d7191c", "orange": "#f08c00", "yellow": "#f5d000", "blue": "#2b83ba"}
NO_DATA_COLOUR = "#c8c8c8"
NO_DATA_COLOUR_ON_DARK = "#3b4760"
