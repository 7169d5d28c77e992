"""A node's GBIF figures for a year, as ``newsnode stats`` took them from the GBIF API.

A *snapshot* (``_data/gbif/<year>.json``) holds every query sent, the part
of the API's answer used, and when it was retrieved. Builds read snapshots
only, never the network: :func:`read_snapshot` checks one and
:func:`figures_of` turns it into :class:`Figures`, the numbers a report
prints. The query names (:data:`RECORDS`...) are the one contract between
the command that writes a snapshot and the report that reads it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SNAPSHOT_FOLDER = "_data/gbif"
FORMAT = 1
NEWEST = 8
"""How many of the year's newest datasets a report names."""

# The queries of a snapshot, by name.
RECORDS = "records"
"""Occurrence records published (count), by kingdom (facet ``kingdomKey``)."""
RECORDS_BY_DATASET = "records_by_dataset"
"""Occurrence records published, by dataset (facet ``datasetKey``)."""
RECORDS_ABOUT = "records_about"
"""Occurrence records about the country, whoever published them."""
RECORDS_OF_YEAR = "records_of_year"
"""Occurrence records published of events in the year."""
DOWNLOADS = "downloads"
"""Downloads by users in the country, by year and month, in the year."""
LITERATURE = "literature"
"""Peer-reviewed papers of the year that use GBIF data."""
NODE = "node"
"""The GBIF node named in ``newsnode_gbif``, for its country."""
PUBLISHERS = "publishers"
"""The publishing organisations."""
DATASETS = "datasets"
"""The datasets each organisation publishes (one query per organisation)."""

KINGDOMS = {
    "0": "incertae sedis", "1": "Animalia", "2": "Archaea", "3": "Bacteria",
    "4": "Chromista", "5": "Fungi", "6": "Plantae", "7": "Protozoa", "8": "Viruses",
}  # fmt: skip
"""GBIF Backbone kingdom keys."""


class SnapshotError(ValueError):
    """A snapshot, or an answer of the API, that is not what a report can read."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line
        """The line of the file the problem is on, where it is known."""


@dataclass(frozen=True)
class Dataset:
    """A dataset the node's publishers registered."""

    key: str
    title: str
    doi: str
    registered: dt.date
    publisher: str

    @property
    def url(self) -> str:
        """Its DOI as a link, else its page on GBIF.org."""
        return (
            f"https://doi.org/{self.doi}"
            if self.doi
            else f"https://www.gbif.org/dataset/{self.key}"
        )


@dataclass(frozen=True)
class Figures:
    """The figures of one snapshot: totals when retrieved, and the year's own."""

    year: int
    node: dict[str, str]
    name: str
    """The organisation's title, or the country's code."""
    api: str
    retrieved: dt.datetime
    records: int
    records_about: int | None
    """``None`` when the node is an organisation, not a country."""
    records_of_year: int
    papers_of_year: int
    downloads_of_year: int | None
    """``None`` when the node is an organisation, not a country."""
    datasets: int
    datasets_of_year: int
    publishers: int
    kingdoms: tuple[tuple[str, int], ...]
    """Records by kingdom, the largest first."""
    growth: tuple[tuple[int, int, int], ...]
    """``(year, datasets, records)``: the totals at the end of each year up to the
    report's, counting the datasets registered by then and the records they hold now."""
    newest: tuple[Dataset, ...]
    """The datasets registered in the year, newest first (at most :data:`NEWEST`)."""


def snapshot_path(srcdir: str | Path, year: int) -> Path:
    """Where the snapshot of *year* lives in a source tree."""
    return Path(srcdir, SNAPSHOT_FOLDER, f"{year}.json")


def read_snapshot(path: Path) -> Figures:
    """The figures of the snapshot at *path*.

    Raises :class:`SnapshotError` (with the line, for unreadable JSON) or
    :class:`OSError`.
    """
    try:
        snapshot = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SnapshotError(f"is not UTF-8 text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"is not valid JSON: {exc.msg}", exc.lineno) from None
    return figures_of(snapshot)


def figures_of(snapshot: object) -> Figures:
    """The figures of a snapshot; :class:`SnapshotError` says what is wrong with it."""
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise SnapshotError(f"is not a snapshot of format {FORMAT} written by newsnode stats")
    year = snapshot.get("year")
    if not isinstance(year, int):
        raise SnapshotError("has no year")
    answers: dict[str, list[dict[str, Any]]] = {}
    for query in expect(snapshot, "queries", list):
        if not isinstance(query, dict) or not isinstance(query.get("name"), str):
            raise SnapshotError("has a query without a name")
        answers.setdefault(query["name"], []).append(expect(query, "answer", dict))
    records = one(answers, RECORDS)
    by_dataset = facet(one(answers, RECORDS_BY_DATASET), "DATASET_KEY")
    datasets = registered_datasets(answers)
    node = expect(snapshot, "node", dict)
    about, downloads = answers.get(RECORDS_ABOUT), answers.get(DOWNLOADS)
    publishers = every_result(answers, PUBLISHERS)
    return Figures(
        year=year,
        node={str(k): str(v) for k, v in node.items()},
        name=str(node.get("country") or (publishers[0].get("title") if publishers else "")),
        api=str(snapshot.get("api", "")),
        retrieved=moment(expect(snapshot, "retrieved", str)),
        records=count(records),
        records_about=count(about[0]) if about else None,
        records_of_year=count(one(answers, RECORDS_OF_YEAR)),
        papers_of_year=count(one(answers, LITERATURE)),
        downloads_of_year=sum(monthly(downloads[0]).get(str(year), {}).values())
        if downloads
        else None,
        datasets=len(datasets),
        datasets_of_year=sum(d.registered.year == year for d in datasets),
        publishers=len(publishers),
        kingdoms=tuple(
            sorted(
                (
                    (KINGDOMS.get(name, name), n)
                    for name, n in facet(records, "KINGDOM_KEY").items()
                ),
                key=lambda item: -item[1],
            )
        ),
        growth=growth(datasets, by_dataset, year),
        newest=tuple(
            sorted(
                (d for d in datasets if d.registered.year == year),
                key=lambda d: (d.registered, d.key),
                reverse=True,
            )[:NEWEST]
        ),
    )


def check_answer(name: str, answer: object) -> None:
    """Raise :class:`SnapshotError` unless *answer* is what query *name* must answer."""
    if not isinstance(answer, dict):
        raise SnapshotError("the answer is not a JSON object")
    if name in (NODE, PUBLISHERS, DATASETS):
        for item in results(answer):
            expect(item, "key", str)
        if name == DATASETS:
            for item in results(answer):
                dataset_of(item, "")
    elif name == DOWNLOADS:
        monthly(answer)
    else:
        count(answer)
    if name == RECORDS:
        facet(answer, "KINGDOM_KEY")
    if name == RECORDS_BY_DATASET:
        facet(answer, "DATASET_KEY")


def one(answers: dict[str, list[dict[str, Any]]], name: str) -> dict[str, Any]:
    found = answers.get(name)
    if not found:
        raise SnapshotError(f"has no answer to the query {name!r}")
    return found[0]


def expect(holder: dict[str, Any], key: str, kind: type) -> Any:
    value = holder.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise SnapshotError(f"{key!r} is not a {kind.__name__}: {value!r:.80}")
    return value


def count(answer: dict[str, Any]) -> int:
    value = expect(answer, "count", int)
    if value < 0:
        raise SnapshotError(f"'count' is negative: {value}")
    return int(value)


def results(answer: dict[str, Any]) -> list[dict[str, Any]]:
    items = expect(answer, "results", list)
    if not all(isinstance(item, dict) for item in items):
        raise SnapshotError("'results' holds something that is not a JSON object")
    return items


def monthly(answer: dict[str, Any]) -> dict[str, dict[str, int]]:
    """A download statistics answer: ``{year: {month: downloads}}``."""
    if not all(
        isinstance(months, dict)
        and all(isinstance(n, int) and not isinstance(n, bool) for n in months.values())
        for months in answer.values()
    ):
        raise SnapshotError("the download statistics are not counts by year and month")
    return answer


def facet(answer: dict[str, Any], field: str) -> dict[str, int]:
    """The counts of facet *field* of an occurrence search answer."""
    for found in expect(answer, "facets", list):
        if isinstance(found, dict) and found.get("field") == field:
            counts = expect(found, "counts", list)
            try:
                return {str(c["name"]): int(c["count"]) for c in counts}
            except (TypeError, KeyError, ValueError):
                raise SnapshotError(f"the facet {field} has counts without name or count") from None
    raise SnapshotError(f"has no facet {field}")


def moment(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise SnapshotError(f"{text!r} is not an ISO 8601 date and time") from None


def dataset_of(item: dict[str, Any], publisher: str) -> Dataset:
    return Dataset(
        key=expect(item, "key", str),
        title=str(item.get("title") or item["key"]),
        doi=str(item.get("doi") or ""),
        registered=moment(expect(item, "created", str)).date(),
        publisher=publisher,
    )


def registered_datasets(answers: dict[str, list[dict[str, Any]]]) -> list[Dataset]:
    """Every dataset of the node's publishers, once (a dataset has one publisher)."""
    titles = {
        item["key"]: str(item.get("title") or "") for item in every_result(answers, PUBLISHERS)
    }
    found: dict[str, Dataset] = {}
    for item in every_result(answers, DATASETS) if DATASETS in answers else []:
        publisher = titles.get(str(item.get("publishingOrganizationKey")), "")
        dataset = dataset_of(item, publisher)
        found.setdefault(dataset.key, dataset)
    return list(found.values())


def every_result(answers: dict[str, list[dict[str, Any]]], name: str) -> list[dict[str, Any]]:
    """The results of every page of a paged query."""
    one(answers, name)
    return [item for answer in answers[name] for item in results(answer)]


def growth(
    datasets: list[Dataset], by_dataset: dict[str, int], year: int
) -> tuple[tuple[int, int, int], ...]:
    if not datasets:
        return ()
    new = Counter(d.registered.year for d in datasets)
    records: Counter[int] = Counter()
    for d in datasets:
        records[d.registered.year] += by_dataset.get(d.key, 0)
    rows, total, held = [], 0, 0
    for each in range(min(new), year + 1):
        total, held = total + new[each], held + records[each]
        rows.append((each, total, held))
    return tuple(rows)
