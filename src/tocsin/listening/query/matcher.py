"""Match each post against many named queries at once: brands, competitors, campaigns.

A :class:`QuerySet` tokenises a post once, then tries only the queries it could match: every
query is filed under its trigger terms (see :mod:`~tocsin.listening.query.compiler`), so a
post is tested against the queries filed under one of its tokens, plus the few queries that
have no trigger terms.  On a firehose where most posts mention no brand, most posts are
decided by one set intersection.

Example::

    brands = QuerySet({
        "acme": 'acme OR @acme OR "acme corp"',
        "globex": "globex OR #globexfail",
    })
    brands.match(MatchablePost("Switching from Globex to ACME Corp"))   # ['acme', 'globex']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from tocsin.listening.query.compiler import CompiledQuery, compile_query
from tocsin.listening.query.document import Document, DocumentBuilder, MatchablePost
from tocsin.listening.query.errors import QueryError


class QuerySet:
    """Named compiled queries, and which of them a post matches.

    Names come back in the order the queries were given.  A malformed query raises
    :class:`QueryError` whose ``name`` says which one it was.  The set is immutable: build a
    new one when the queries change (compiling 1,000 queries takes well under a second).
    """

    __slots__ = ("_always", "_builder", "_index", "_keys", "_names", "_predicates", "_queries")

    def __init__(self, queries: Mapping[str, str | CompiledQuery]) -> None:
        compiled: dict[str, CompiledQuery] = {}
        for name, query in queries.items():
            if isinstance(query, CompiledQuery):
                compiled[name] = query
                continue
            try:
                compiled[name] = compile_query(query)
            except QueryError as error:
                raise error.located(query=query, name=name) from None
        self._queries = compiled
        self._names = tuple(compiled)
        self._predicates = tuple(query.predicate for query in compiled.values())
        index: dict[str, list[int]] = {}
        always: list[int] = []
        for number, query in enumerate(compiled.values()):
            if query.triggers is None:
                always.append(number)
            else:
                for key in query.triggers:
                    index.setdefault(key, []).append(number)
        self._index = {key: tuple(numbers) for key, numbers in index.items()}
        self._keys = frozenset(index)
        self._always = tuple(always)
        self._builder = DocumentBuilder(
            wildcards=(wildcard for query in compiled.values() for wildcard in query.wildcards)
        )

    def __len__(self) -> int:
        return len(self._names)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def __getitem__(self, name: str) -> CompiledQuery:
        return self._queries[name]

    @property
    def untriggered(self) -> tuple[str, ...]:
        """Names of queries tried on every post (they have no trigger terms): keep it short."""
        return tuple(self._names[number] for number in self._always)

    def match(self, post: MatchablePost) -> list[str]:
        """The names of the queries ``post`` matches, in the set's order."""
        return self._match(self._builder.build(post))

    def match_batch(self, posts: Iterable[MatchablePost]) -> list[list[str]]:
        """:meth:`match` for each post, in order."""
        build, match = self._builder.build, self._match
        return [match(build(post)) for post in posts]

    def explain(self, post: MatchablePost) -> dict[str, list[str]]:
        """For each query ``post`` matches, the terms that made it match."""
        return {name: self._queries[name].explain(post) for name in self.match(post)}

    def _match(self, document: Document) -> list[str]:
        hits = self._keys & document.tokens
        if not hits:
            if not self._always:
                return []
            candidates: Iterable[int] = self._always
        else:
            index = self._index
            chosen = set(self._always)
            for key in hits:
                chosen.update(index[key])
            candidates = sorted(chosen)
        predicates, names = self._predicates, self._names
        return [names[number] for number in candidates if predicates[number](document)]
