"""The History page's progress charts, apart from the scorecard's rendering: altair costs about 27 MB resident,
and a server whose candidates only practise never needs it."""

from __future__ import annotations

from typing import Any

import altair as alt

from coach.practice.annotation import COMPONENT_COLOURS
from coach.rubric import COMPONENT_NAMES, COMPONENTS

NAMES = [COMPONENT_NAMES[c] for c in COMPONENTS]
COLOURS = alt.Scale(domain=NAMES, range=[COMPONENT_COLOURS[c][1] for c in COMPONENTS])


def progress_charts(
    overall: list[dict[str, Any]], levels: list[dict[str, Any]]
) -> tuple[alt.Chart, alt.FacetChart]:
    """The overall over attempts, and one small line chart per part: readable at 50 attempts (bars grouped by
    attempt turn into slivers by a dozen), and five parts that share a level never hide each other."""
    x = alt.X("attempt:Q", title="Attempt", axis=alt.Axis(tickMinStep=1, format="d"))
    overall_chart = (
        alt.Chart(alt.Data(values=overall))
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("overall:Q", scale=alt.Scale(domain=[0, 100]), title="Overall (0-100)"),
            tooltip=["attempt:Q", "overall:Q"],
        )
    )
    level_chart = (
        alt.Chart(alt.Data(values=levels))
        .mark_line(point=alt.OverlayMarkDef(size=18), interpolate="step-after")
        .encode(
            x=x,
            y=alt.Y(
                "level:Q",
                scale=alt.Scale(domain=[0, 4]),
                axis=alt.Axis(values=[0, 2, 4]),
                title=None,
            ),
            color=alt.Color("component:N", scale=COLOURS, sort=NAMES, legend=None),
            tooltip=["attempt:Q", "component:N", "level:Q"],
        )
        .properties(height=48)
        .facet(
            row=alt.Row(
                "component:N", sort=NAMES, title=None, header=alt.Header(labelAngle=0, labelAlign="left")
            )
        )
    )
    return overall_chart, level_chart
