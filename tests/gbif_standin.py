"""A loopback stand-in of the GBIF API, answering as the real one does.

Its organisations, datasets and nodes are real records of the API
(``tests/fixtures/gbif-api/``), given to one country (``ZA``) and to 2020–2022;
searches answer with the real answers' shape (``offset``, ``limit``,
``endOfRecords``, ``count``, ``results``, ``facets``). Every request is kept in
:attr:`GbifStandIn.requests`, so a test can prove that a build asked nothing.
"""

from __future__ import annotations

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "gbif-api"
COUNTRY = "ZA"
KINGDOMS = {"1": 0.6, "6": 0.3, "5": 0.07, "0": 0.03}
"""Share of the records of each kingdom (Animalia, Plantae, Fungi, incertae sedis)."""


def recorded(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["response"]["body"]


class GbifStandIn:
    """The API at :attr:`url` until :meth:`stop`; :attr:`scale` grows or shrinks its totals.

    ``mode``: ``"ok"``; ``"nonsense"`` (a count that is not a number);
    ``"html"`` (an HTML page, as a proxy's error page); ``"error"`` (HTTP 500).
    """

    def __init__(self, page_size: int = 1000) -> None:
        self.page_size = page_size
        self.mode = "ok"
        self.scale = 1.0
        self.requests: list[str] = []
        organizations = recorded("organizations_limit.json")["results"]
        self.organizations = [dict(o, country=COUNTRY) for o in organizations[:2]]
        self.organizations.append(organizations[2])  # of another country
        datasets = recorded("datasets_limit_1.json")["results"]
        extra = dict(copy.deepcopy(datasets[0]), key="9d1e0a1f-0000-4000-8000-000000000001",
                     title="Atlas of the fynbos bees", doi="10.15468/example1")  # fmt: skip
        placed = [
            (datasets[0], 0, "2021-03-15T08:00:00.000+00:00", 700_000),
            (datasets[1], 0, "2020-06-01T08:00:00.000+00:00", 500_000),
            (datasets[2], 1, "2021-09-30T08:00:00.000+00:00", 200_000),
            (extra, 1, "2022-02-01T08:00:00.000+00:00", 100_000),
        ]
        self.datasets = []
        self.records = {}
        for record, owner, created, records in placed:
            self.datasets.append(
                dict(record, created=created,
                     publishingOrganizationKey=self.organizations[owner]["key"])
            )  # fmt: skip
            self.records[record["key"]] = records
        nodes = recorded("nodes_limit.json")["results"]
        self.nodes = {n["key"]: n for n in nodes}
        self.country_node = nodes[0]["key"]
        self.nodes[self.country_node] = dict(nodes[0], country=COUNTRY, title="SANBI-GBIF")
        self.literature = recorded("literature_search_facet.json")
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> GbifStandIn:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                standin.requests.append(self.path)
                if standin.mode == "error":
                    return self.send(500, b'{"error": "maintenance"}')
                if standin.mode == "html":
                    return self.send(200, b"<html>Bad gateway</html>", "text/html")
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                answer = standin.answer(parts.path.removeprefix("/v1/"), query)
                if answer is None:
                    return self.send(404, b'{"error": "not found"}')
                self.send(200, json.dumps(answer).encode())

            def send(self, status: int, body: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: object) -> None:
                pass

        return Handler

    def answer(self, path: str, query: dict[str, str]) -> Any:
        parts = path.strip("/").split("/")
        if path == "occurrence/search":
            return self.occurrences(query)
        if path == "literature/search":
            count = {"2020": 35, "2021": 42}.get(query.get("year", ""), 0)
            return dict(self.literature, count=count, limit=0, results=[], facets=[])
        if path == "occurrence/download/statistics/downloadsByUserCountry":
            year = query["fromDate"][:4]
            return {year: {str(m): (90 if year == "2020" else 100) + m for m in range(1, 13)}}
        if parts[0] == "node" and len(parts) == 2:
            return self.nodes.get(parts[1])
        if path == "organization":
            found = [o for o in self.organizations if o.get("country") == query.get("country")]
            return self.page(found, query)
        if parts[0] == "organization" and len(parts) == 2:
            return next((o for o in self.organizations if o["key"] == parts[1]), None)
        if parts[0] == "organization" and parts[2:] == ["publishedDataset"]:
            found = [d for d in self.datasets if d["publishingOrganizationKey"] == parts[1]]
            return self.page(found, query)
        return None

    def page(self, items: list[dict], query: dict[str, str]) -> dict[str, Any]:
        offset = int(query.get("offset", 0))
        limit = min(int(query.get("limit", 20)), self.page_size)
        chosen = items[offset : offset + limit]
        return {"offset": offset, "limit": limit, "count": len(items),
                "endOfRecords": offset + len(chosen) >= len(items), "results": chosen}  # fmt: skip

    def occurrences(self, query: dict[str, str]) -> dict[str, Any]:
        org = query.get("publishingOrg")
        owned = {
            d["key"] for d in self.datasets if org is None or d["publishingOrganizationKey"] == org
        }
        by_dataset = {k: int(n * self.scale) for k, n in self.records.items() if k in owned}
        total = sum(by_dataset.values())
        if "country" in query:
            total = int(3_200_000 * self.scale)
        elif "year" in query:
            total = {"2020": 100_000, "2021": 120_000}.get(query["year"], 0)
        facets = []
        if query.get("facet") == "kingdomKey":
            counts = [{"name": k, "count": int(total * share)} for k, share in KINGDOMS.items()]
            facets.append({"field": "KINGDOM_KEY", "counts": counts})
        if query.get("facet") == "datasetKey":
            counts = [{"name": k, "count": n} for k, n in by_dataset.items()]
            facets.append({"field": "DATASET_KEY", "counts": counts})
        count: object = "many" if self.mode == "nonsense" else total
        return {"offset": 0, "limit": 0, "endOfRecords": False, "count": count,
                "results": [], "facets": facets}  # fmt: skip
