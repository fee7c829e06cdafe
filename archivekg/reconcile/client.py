"""A client of any reconciliation service (Reconciliation Service API 0.1/0.2): ours, another
archivekg, Wikidata's, GND's.

It reads the service manifest, sends query batches by POST (``queries=``, as the specification
requires every service to accept) in the batch size the manifest announces, and checks what
comes back: every query answered, every candidate with an id, a name and a score.  Anything
else — no answer within the timeout, an HTTP error, JSON that is not a result batch — is a
``ServiceError`` that names the service and what went wrong.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from archivekg import __version__
from archivekg.errors import ArchiveKGError

DEFAULT_BATCH = 10
USER_AGENT = f"archivekg/{__version__} (reconciliation client)"


class ServiceError(ArchiveKGError):
    """The reconciliation service could not be reached or gave an answer we cannot read."""

    exit_code = 2


@dataclass(frozen=True)
class RemoteCandidate:
    id: str
    name: str
    score: float
    match: bool
    description: str | None
    types: tuple[str, ...]
    features: tuple[tuple[str, Any], ...]
    reason: str | None                      # archivekg's services say why a candidate came up


class Service:
    def __init__(self, url: str, *, timeout: float = 30.0):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ServiceError(f"--service must be an http(s) URL of a reconciliation service, not {url!r}")
        self.url, self.timeout = url, timeout
        self.manifest = self._manifest()

    # ---------------------------------------------------------------- the manifest
    def _manifest(self) -> dict:
        found = self._request(None)
        if not isinstance(found, dict):
            raise ServiceError(f"{self.url} answered a manifest that is not a JSON object")
        missing = [key for key in ("name", "identifierSpace", "schemaSpace") if not isinstance(found.get(key), str)]
        if missing:
            raise ServiceError(f"{self.url} is not a reconciliation service: its manifest has no "
                               f"{', '.join(missing)}")
        return found

    @property
    def name(self) -> str:
        return self.manifest["name"]

    @property
    def identifier_space(self) -> str:
        return self.manifest["identifierSpace"]

    @property
    def batch_size(self) -> int:
        size = self.manifest.get("batchSize")
        return size if isinstance(size, int) and not isinstance(size, bool) and size > 0 else DEFAULT_BATCH

    def default_types(self) -> list[dict]:
        found = self.manifest.get("defaultTypes") or []
        return [t for t in found if isinstance(t, dict) and isinstance(t.get("id"), str)]

    def iri(self, candidate_id: str) -> str:
        """The IRI of a candidate: its id in the service's identifier space (an id that is an
        IRI already stays as it is)."""
        if urllib.parse.urlsplit(candidate_id).scheme in ("http", "https"):
            return candidate_id
        return self.identifier_space + candidate_id

    # ---------------------------------------------------------------- queries
    def reconcile(self, queries: dict[str, dict]) -> dict[str, list[RemoteCandidate]]:
        """Candidates for each query, sent in batches of the service's size."""
        answers: dict[str, list[RemoteCandidate]] = {}
        keys = list(queries)
        for start in range(0, len(keys), self.batch_size):
            batch = {key: queries[key] for key in keys[start:start + self.batch_size]}
            found = self._request({"queries": json.dumps(batch, ensure_ascii=False)})
            if not isinstance(found, dict):
                raise ServiceError(f"{self.url} answered a query batch with something that is not a "
                                   "JSON object of results")
            for key in batch:
                answers[key] = self._candidates(found, key)
        return answers

    def _candidates(self, found: dict, key: str) -> list[RemoteCandidate]:
        entry = found.get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("result"), list):
            raise ServiceError(f"{self.url} gave no result for query {key!r}")
        candidates = []
        for number, item in enumerate(entry["result"]):
            if not (isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("name"), str)
                    and isinstance(item.get("score"), (int, float)) and not isinstance(item.get("score"), bool)):
                raise ServiceError(f"{self.url}: candidate {number} of query {key!r} lacks an id, a name "
                                   f"or a numeric score: {json.dumps(item, ensure_ascii=False)[:200]}")
            types = tuple(t.get("id", "") if isinstance(t, dict) else str(t) for t in item.get("type") or [])
            features = tuple((f["id"], f.get("value")) for f in item.get("features") or []
                             if isinstance(f, dict) and isinstance(f.get("id"), str))
            description = item.get("description")
            reason = item.get("reason")
            candidates.append(RemoteCandidate(
                item["id"], item["name"], float(item["score"]), item.get("match") is True,
                description if isinstance(description, str) else None, types, features,
                reason if isinstance(reason, str) else None))
        return candidates

    # ---------------------------------------------------------------- HTTP
    def _request(self, form: dict[str, str] | None) -> Any:
        data = urllib.parse.urlencode(form).encode("utf-8") if form is not None else None
        request = urllib.request.Request(self.url, data=data, method="POST" if data else "GET", headers={
            "Accept": "application/json", "User-Agent": USER_AGENT,
            **({"Content-Type": "application/x-www-form-urlencoded"} if data else {})})
        what = "query batch" if form else "manifest"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace").strip()
            raise ServiceError(f"{self.url} answered the {what} with HTTP {exc.code} {exc.reason}"
                               f"{': ' + detail if detail else ''}") from None
        except TimeoutError:
            raise ServiceError(f"{self.url} did not answer the {what} within {self.timeout:g} s "
                               "(--timeout)") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise ServiceError(f"{self.url} did not answer the {what} within {self.timeout:g} s "
                                   "(--timeout)") from None
            raise ServiceError(f"cannot reach the reconciliation service at {self.url}: {reason}") from None
        except OSError as exc:
            raise ServiceError(f"cannot reach the reconciliation service at {self.url}: {exc}") from None
        try:
            return json.loads(body)
        except ValueError:
            raise ServiceError(f"{self.url} answered the {what} with something that is not JSON: "
                               f"{body[:120].decode('utf-8', 'replace')!r}") from None
