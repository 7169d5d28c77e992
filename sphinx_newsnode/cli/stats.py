"""``newsnode stats YEAR``: take the node's GBIF figures of a year into a snapshot.

The queries are sent through pygbif's request function (its user agent, its
check that the answer is JSON). Each is retried on a timeout, a lost
connection or a server error, and each answer is checked before the next
query: an unreachable API, an error or an answer that is not what the
report reads ends the command with one clear line, and the previous
snapshot stays as it was (the new one is written whole, then moved into
place).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_newsnode.model.gbif import (
    DATASETS,
    DOWNLOADS,
    FORMAT,
    LITERATURE,
    NODE,
    PUBLISHERS,
    RECORDS,
    RECORDS_ABOUT,
    RECORDS_BY_DATASET,
    RECORDS_OF_YEAR,
    SnapshotError,
    check_answer,
    figures_of,
    snapshot_path,
)

if TYPE_CHECKING:
    from collections.abc import Callable

GBIF_API = "https://api.gbif.org/v1/"
PAGE = 1000
"""Organisations and datasets asked for at a time (the registry's largest page)."""
RETRIES = 3
BACKOFF = 2.0
"""Seconds before the first retry; doubled before each next one."""
_COUNTRY = re.compile(r"[A-Z]{2}")
_KEY = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


class StatsError(Exception):
    """Why the figures could not be taken; the snapshot is left untouched."""


@dataclass
class Client:
    """Sends the queries of one snapshot and keeps each with the part of its answer used."""

    api: str
    timeout: float
    say: Callable[[str], None]
    queries: list[dict[str, Any]] = field(default_factory=list)

    def get(self, name: str, path: str, params: dict[str, Any], keep: Callable) -> dict[str, Any]:
        """The answer to ``GET api/path?params``, checked and recorded under *name*."""
        import requests
        from pygbif.gbifutils import NoResultException, gbif_GET

        url = self.api + path
        shown = requests.Request("GET", url, params=params).prepare().url or url
        for attempt in range(1, RETRIES + 1):
            try:
                answer = gbif_GET(url, params, timeout=self.timeout)
                break
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem = f"no answer ({type(exc).__name__})"
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else 0
                problem = f"HTTP {status}"
                if status < 500 and status != 429:
                    raise StatsError(f"{shown} answered {problem}") from None
            except NoResultException:
                raise StatsError(f"{shown} did not answer with JSON") from None
            except ValueError:
                raise StatsError(f"{shown} answered with invalid JSON") from None
            if attempt == RETRIES:
                raise StatsError(f"{shown}: {problem} after {RETRIES} attempts") from None
            self.say(f"  {problem}; trying again")
            time.sleep(BACKOFF * 2 ** (attempt - 1))
        try:
            kept = keep(answer)
            check_answer(name, kept)
        except (SnapshotError, KeyError, TypeError, AttributeError) as exc:
            why = f"no {exc}" if isinstance(exc, KeyError) else str(exc)
            raise StatsError(f"{shown} answered something else than expected: {why}") from None
        self.queries.append({"name": name, "url": shown, "answer": kept})
        self.say(f"[{len(self.queries)}] {shown}")
        return kept

    def pages(self, name: str, path: str, params: dict[str, Any], keep: Callable) -> list[dict]:
        """Every result of a paged registry list."""
        found: list[dict[str, Any]] = []
        while True:
            answer = self.get(name, path, {**params, "limit": PAGE, "offset": len(found)}, keep)
            found.extend(answer["results"])
            if answer["endOfRecords"] or not answer["results"]:
                return found


def counted(answer: dict[str, Any]) -> dict[str, Any]:
    """What a report reads of a search: the count and the facets."""
    kept: dict[str, Any] = {"count": answer["count"]}
    if "facets" in answer:
        kept["facets"] = [
            {"field": f.get("field"), "counts": f.get("counts")} for f in answer["facets"]
        ]
    return kept


def listed(*fields: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What a report reads of a registry list: *fields* of each result."""

    def keep(answer: dict[str, Any]) -> dict[str, Any]:
        return {
            "count": answer.get("count"),
            "endOfRecords": bool(answer.get("endOfRecords", True)),
            "results": [{f: item.get(f) for f in fields} for item in answer["results"]],
        }

    return keep


def whole(answer: dict[str, Any]) -> dict[str, Any]:
    return answer


def node_filter(node: dict[str, Any]) -> tuple[str, str]:
    """The node of ``newsnode_gbif``: ``("country", "ZA")``, ``("organization", key)``..."""
    chosen = [k for k in ("country", "organization", "node") if node.get(k)]
    if len(chosen) != 1:
        raise StatsError(
            'newsnode_gbif in conf.py names the node by one of "country" (its ISO code, '
            '"ZA"), "organization" or "node" (a GBIF key): '
            f"{node or 'it is not set'!r}"
        )
    kind, value = chosen[0], str(node[chosen[0]])
    if kind == "country" and not _COUNTRY.fullmatch(value.upper()):
        raise StatsError(f"newsnode_gbif: {value!r} is not a two-letter ISO country code")
    if kind != "country" and not _KEY.fullmatch(value):
        raise StatsError(f"newsnode_gbif: {value!r} is not a GBIF key (a UUID)")
    return kind, value.upper() if kind == "country" else value.lower()


def take(client: Client, node: dict[str, Any], year: int) -> dict[str, Any]:
    """Send every query of *year*'s figures; the snapshot."""
    kind, value = node_filter(node)
    if kind == "node":
        answer = client.get(NODE, f"node/{value}", {}, listed_one("key", "title", "country"))
        country = answer["results"][0].get("country")
        if not isinstance(country, str) or not _COUNTRY.fullmatch(country):
            raise StatsError(
                f"the GBIF node {value} is not a country's node; name an "
                '"organization" in newsnode_gbif instead'
            )
        kind, value = "country", country
    by_country = kind == "country"
    publishing = {"publishingCountry": value} if by_country else {"publishingOrg": value}
    search = "occurrence/search"
    client.get(RECORDS, search, {**publishing, "limit": 0, "facet": "kingdomKey",
                                 "facetLimit": 20}, counted)  # fmt: skip
    client.get(RECORDS_BY_DATASET, search, {**publishing, "limit": 0, "facet": "datasetKey",
                                            "facetLimit": 100000}, counted)  # fmt: skip
    client.get(RECORDS_OF_YEAR, search, {**publishing, "year": year, "limit": 0}, counted)
    researchers = (
        {"countriesOfResearcher": value} if by_country else {"publishingOrganizationKey": value}
    )
    papers = {**researchers, "year": year, "peerReview": "true", "limit": 0}
    client.get(LITERATURE, "literature/search", papers, counted)
    if by_country:
        client.get(RECORDS_ABOUT, search, {"country": value, "limit": 0}, counted)
        client.get(DOWNLOADS, "occurrence/download/statistics/downloadsByUserCountry",
                   {"userCountry": value, "fromDate": f"{year}-01", "toDate": f"{year}-12"},
                   whole)  # fmt: skip
        publishers = client.pages(
            PUBLISHERS, "organization", {"country": value}, listed("key", "title")
        )
    else:
        publishers = client.get(
            PUBLISHERS, f"organization/{value}", {}, listed_one("key", "title")
        )["results"]
    for publisher in publishers:
        client.pages(
            DATASETS,
            f"organization/{publisher['key']}/publishedDataset",
            {},
            listed("key", "title", "doi", "created", "type", "publishingOrganizationKey"),
        )
    return {
        "about": (
            f"GBIF figures for the node report of {year}, taken by `newsnode stats {year}`: "
            "every query sent, the part of the answer the report uses, and when. Builds "
            "read this file and never the network; take it again to update it."
        ),
        "format": FORMAT,
        "year": year,
        "node": {kind: value},
        "api": client.api,
        "retrieved": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "queries": client.queries,
    }


def listed_one(*fields: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What a report reads of one registry entry, kept as a list of one."""
    return lambda answer: listed(*fields)({"results": [answer]})


def write_snapshot(path: Path, snapshot: dict[str, Any]) -> None:
    """Write *snapshot* whole beside *path*, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def stats(srcdir: Path, node: dict[str, Any], year: int, api: str, timeout: float) -> Path:
    """Take *year*'s figures from *api* into the project's snapshot; its path."""
    try:
        import pygbif  # noqa: F401 (the transport of every query)
    except ImportError:
        raise StatsError("it needs pygbif: pip install 'sphinx-newsnode[gbif]'") from None
    api = api if api.endswith("/") else api + "/"
    if not api.startswith(("http://", "https://")):
        raise StatsError(f"--api {api!r} is not an http(s) address")
    client = Client(api, timeout, lambda line: print(line, file=sys.stderr))
    snapshot = take(client, node, year)
    try:
        figures_of(snapshot)
    except SnapshotError as exc:  # answers each fine, together not a snapshot
        raise StatsError(f"the answers do not make a snapshot: {exc}") from None
    path = snapshot_path(srcdir, year)
    write_snapshot(path, snapshot)
    return path
