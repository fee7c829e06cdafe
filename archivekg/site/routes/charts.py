"""Charts drawn from the graph: the resettlement figures (families and people) by place of
origin, for each plan the rows belong to.  The query is the example query marked
``chart: resettlement`` in examples.yaml, so the chart and "run this query" never differ."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from archivekg.site.render import examples, iris, pages, sparql
from archivekg.site.render.labels import Labels, Link

bp = pages.blueprint("charts")

AKG = iris.ONTOLOGY_NS
WIDTH, LABEL_WIDTH, ROW, TOP = 960, 230, 30, 40
PANEL_GAP = 30


@dataclass
class Bar:
    origin: Link
    families: int | None
    people: int | None
    rows: int
    y: float = 0
    families_width: float = 0
    people_width: float = 0


@dataclass
class Plan:
    link: Link | None
    status: list[str]
    bars: list[Bar] = field(default_factory=list)
    height: int = 0
    panel_width: float = 0
    families_x: float = 0
    people_x: float = 0

    @property
    def families_total(self) -> int:
        return sum(b.families or 0 for b in self.bars)

    @property
    def people_total(self) -> int:
        return sum(b.people or 0 for b in self.bars)


def layout(plan: Plan) -> None:
    plan.panel_width = (WIDTH - LABEL_WIDTH - PANEL_GAP) / 2
    plan.families_x = LABEL_WIDTH
    plan.people_x = LABEL_WIDTH + plan.panel_width + PANEL_GAP
    usable = plan.panel_width - 50          # room for the number after the bar
    most_families = max([b.families or 0 for b in plan.bars] + [1])
    most_people = max([b.people or 0 for b in plan.bars] + [1])
    for index, bar in enumerate(plan.bars):
        bar.y = TOP + index * ROW
        bar.families_width = (bar.families or 0) / most_families * usable
        bar.people_width = (bar.people or 0) / most_people * usable
    plan.height = TOP + len(plan.bars) * ROW + 10


@bp.get("/charts/resettlement")
def resettlement():
    example = examples.for_chart("resettlement")
    found = pages.cached("chart-resettlement", lambda: sparql.select(example.body))
    labels = Labels()
    for row in found:
        labels.want(row["plan"], row["origin"], row["status"])
    labels.resolve()
    plans: dict[str, Plan] = {}
    for row in found:
        key = row["plan"].value if row["plan"] is not None else ""
        plan = plans.setdefault(key, Plan(labels.link(row["plan"]) if row["plan"] is not None else None, []))
        status = labels.label(row["status"].value) if row["status"] is not None else None
        if status and status not in plan.status:
            plan.status.append(status)
        origin = row["origin"].value
        bar = next((b for b in plan.bars if b.origin.iri == origin), None)
        if bar is None:
            plan.bars.append(Bar(labels.link(row["origin"]), sparql.integer(row["families"]),
                                 sparql.integer(row["people"]), sparql.integer(row["rows"]) or 0))
        else:                                   # the same origin under two statuses
            bar.families = (bar.families or 0) + (sparql.integer(row["families"]) or 0)
            bar.people = (bar.people or 0) + (sparql.integer(row["people"]) or 0)
            bar.rows += sparql.integer(row["rows"]) or 0
    ordered = sorted(plans.values(), key=lambda p: (p.link is None, p.link.label if p.link else ""))
    for plan in ordered:
        plan.bars.sort(key=lambda b: (-(b.people or 0), -(b.families or 0), b.origin.label))
        layout(plan)
    return pages.page("chart.html", title="Resettlement figures by origin", plans=ordered,
                     query_href=url_for("query_page.query", query=example.query), example=example,
                     width=WIDTH, label_width=LABEL_WIDTH)
