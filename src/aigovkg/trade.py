"""Trade statistics of the Data Cube as tables, a weighted network and a plot.

The Korea-ASEAN context layer (data/statistics/) holds Korea's trade with each ASEAN member,
China and Japan as W3C Data Cube observations. Researchers want them next to the governance
data: as a tidy DataFrame, as a partner-by-period table (`aigovkg trade`), as a networkx graph
whose nodes are the same party IRIs as the summit co-signature graph (so the two can be
overlaid or joined), and as a plot. Everything here reads the built graph through SPARQL files
in queries/app/trade/ and never prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd

from .errors import AigovkgError
from .namespaces import CONCEPT, ORGANISATION
from .resolve import resolve
from .version import __version__

if TYPE_CHECKING:
    from .api import KnowledgeGraph

QUERY_KIND = "app/trade"
PLOT_NAME = "kr-asean-trade"
# Column order of the table: the seed table's own order (May 2024, May 2023, year 2023).
FLOW_ORDER = {"export": 0, "import": 1, "total": 2, "balance": 3}


def observations(kg: KnowledgeGraph) -> pd.DataFrame:
    """Every trade observation, one row each, values as floats (USD million in this data)."""
    frame = kg.frame(QUERY_KIND, "trade-observations")
    if not frame.empty:
        frame["value"] = frame["value"].astype(float)
    return frame


def asean_members(kg: KnowledgeGraph) -> list[str]:
    """IRIs of the parties the graph records as ASEAN members (empty until memberships exist)."""
    return sorted(kg.frame(QUERY_KIND, "trade-asean-members")["member"].tolist())


def trade_table(
    kg: KnowledgeGraph,
    period: str | None = None,
    partner: str | None = None,
) -> pd.DataFrame:
    """Partners as rows, "<period> <flow>" as columns, values in USD million.

    `period` is a reference-period notation ("2024-05", "2023"); `partner` an ISO code, slug or
    English label ("VN", "asean", "world", "Viet Nam"). An unknown name raises with the known ones.
    """
    frame = observations(kg)
    if period is not None:
        if period not in set(frame["period"]):
            known = ", ".join(sorted(set(frame["period"])))
            raise AigovkgError(f"no trade observations for period '{period}' (known: {known})")
        frame = frame[frame["period"] == period]
    if partner is not None:
        selected = frame["partner"] == resolve(kg, partner)
        if not selected.any():
            known = ", ".join(sorted(set(frame["partnerCode"])))
            raise AigovkgError(f"no trade observations for partner '{partner}' (known: {known})")
        frame = frame[selected]
    frame = frame.assign(column=frame["period"] + " " + frame["flow"])
    # Latest period first (2024-05, 2023-05, 2023), then export, import, total, balance.
    columns = sorted(set(frame["column"]), key=lambda c: FLOW_ORDER.get(c.split()[1], 9))
    columns = sorted(columns, key=lambda c: c.split()[0], reverse=True)
    table = frame.pivot_table(
        index=["partnerCode", "partnerLabel"], columns="column", values="value", aggfunc="first"
    )
    return table.reindex(columns=columns).reset_index()


@dataclass(frozen=True)
class SumCheck:
    """One internal consistency check of the trade table and how far it is off."""

    check: str
    partner: str
    period: str
    expected: float
    printed: float

    @property
    def difference(self) -> float:
        return self.printed - self.expected


def internal_sums(frame: pd.DataFrame, members: list[str]) -> list[SumCheck]:
    """Export + import against total for every partner and period, and the sum of the given
    ASEAN members against the ASEAN row for every period and flow; all checks, mismatched or not.

    `frame` is the tidy frame of `observations` restricted to one dataset; `members` are party
    IRIs. Rounded tables differ by a unit or so: callers decide the tolerance.
    """
    checks: list[SumCheck] = []
    key = ["partner", "period"]
    by_flow = frame.pivot_table(index=key, columns="flow", values="value", aggfunc="first")
    if {"export", "import", "total"} <= set(by_flow.columns):
        complete = by_flow.dropna(subset=["export", "import", "total"])
        for (partner, period), row in complete.iterrows():
            checks.append(
                SumCheck(
                    "export + import = total",
                    partner,
                    period,
                    row["export"] + row["import"],
                    row["total"],
                )
            )
    asean = str(ORGANISATION["asean"])
    of_members = frame[frame["partner"].isin(members)]
    of_asean = frame[frame["partner"] == asean]
    for (period, flow), group in of_members.groupby(["period", "flow"]):
        printed = of_asean[(of_asean["period"] == period) & (of_asean["flow"] == flow)]
        if printed.empty or group["partner"].nunique() != len(members):
            continue
        checks.append(
            SumCheck(
                f"sum of members = ASEAN ({flow})",
                asean,
                period,
                float(group["value"].sum()),
                float(printed["value"].iloc[0]),
            )
        )
    return checks


def trade_network(
    kg: KnowledgeGraph,
    period: str = "2023",
    flow: str = "total",
    include_aggregates: bool = False,
) -> nx.Graph:
    """Reporter-partner trade as a weighted undirected graph keyed on party IRIs.

    Node keys are the IRI strings the summit co-signature graph uses, so
    `nx.compose(cosignature, trade)` overlays the two. Edge weight is the trade value (USD
    million) for `period` and `flow`. Aggregates (all partners, ASEAN as a whole) are left out
    unless asked for, since they double count their members.
    """
    frame = observations(kg)
    frame = frame[(frame["period"] == period) & (frame["flow"] == flow)]
    graph = nx.Graph(period=period, flow=flow, unit="USD million")
    for row in frame.itertuples(index=False):
        aggregate = row.partner.startswith(str(CONCEPT)) or row.partner.startswith(
            str(ORGANISATION)
        )
        if aggregate and not include_aggregates:
            continue
        graph.add_node(row.reporter)
        graph.add_node(row.partner, label=row.partnerLabel or row.partnerCode)
        graph.add_edge(
            row.reporter,
            row.partner,
            weight=float(row.value),
            period=period,
            flow=flow,
            source=row.source,
            observation=row.observation,
        )
    return graph


def plot_korea_asean_trade(kg: KnowledgeGraph, out_dir: Path | None = None) -> dict[str, Path]:
    """Korea's trade with each ASEAN member (2023 total; May 2024 exports and imports) as
    PNG and SVG in dist/plots/; returns the written paths by format. Drawn and saved like the
    analysis plots (aigovkg.analysis.plots: headless Figure, CJK fonts, reproducible SVG)."""
    from matplotlib.figure import Figure

    from .analysis.plots import save, style

    frame = observations(kg)
    members = asean_members(kg)
    countries = frame[frame["partner"].str.contains("/id/country/") & (frame["partnerCode"] != "")]
    if members:
        countries = countries[countries["partner"].isin(members)]
    else:  # before memberships are in the graph: the members listed in the seed table
        countries = countries[~countries["partnerCode"].isin(["CN", "JP"])]
    year = countries[(countries["period"] == "2023") & (countries["flow"] == "total")]
    year = year.sort_values("value")
    may = countries[countries["period"] == "2024-05"].pivot_table(
        index="partnerLabel", columns="flow", values="value", aggfunc="first"
    )
    may = may.reindex(year["partnerLabel"])
    with style():
        figure = Figure(figsize=(12, 5.5))
        left, right = figure.subplots(1, 2, sharey=True)
        left.barh(year["partnerLabel"], year["value"], color="#3b6ea5")
        left.set_title("Total trade, 2023")
        left.set_xlabel("USD million")
        positions = range(len(may))
        right.barh([p - 0.2 for p in positions], may["export"], height=0.4, label="Korea's exports")
        right.barh([p + 0.2 for p in positions], may["import"], height=0.4, label="Korea's imports")
        right.set_title("May 2024")
        right.set_xlabel("USD million")
        right.legend(loc="lower right")
        figure.suptitle(
            "Korea's trade with ASEAN members (Korea Customs Service via ASEAN-Korea Centre, "
            f"May 2024 issue; aigovkg {__version__})"
        )
        figure.tight_layout()
    paths = save(figure, out_dir or kg.tree.dist / "plots", PLOT_NAME)
    return {path.suffix.removeprefix("."): path for path in paths}
