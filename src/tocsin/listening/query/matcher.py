"""Match each post against many named queries at once: brands, competitors, campaigns.

A :class:`QuerySet` tokenises a post once, then tries only the queries it could match: every
query is filed under the tokens of one of its clauses (see
:mod:`~tocsin.listening.query.compiler`) and, when it has another, under that clause's tokens
too, so a post is tested only against the queries it hits two clauses of, plus the few queries
that require nothing.  On a firehose where most posts mention no brand, most posts are
decided by one set intersection.

Example::

    brands = QuerySet({
        "acme": 'acme OR @acme OR "acme corp"',
        "globex": "globex OR #globexfail",
    })
    brands.match(MatchablePost("Switching from Globex to ACME Corp"))   # ['acme', 'globex']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

from tocsin.listening.query.compiler import CompiledQuery, compile_query, trigger_cost
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
        self._always, self._index = _file(list(compiled.values()))
        self._keys = frozenset(self._index)
        filed = self._keys.union(*(entry[1] for entry in self._index.values()))
        self._builder = DocumentBuilder(
            wildcards=(wildcard for query in compiled.values() for wildcard in query.wildcards),
            eager=filed,  # the patterns queries are filed under must be resolved to find them
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
        return self._match(self._builder.build(post, complete=False))

    def match_batch(self, posts: Iterable[MatchablePost]) -> list[list[str]]:
        """:meth:`match` for each post, in order."""
        build, match = self._builder.build, self._match
        return [match(build(post, complete=False)) for post in posts]

    def explain(self, post: MatchablePost) -> dict[str, list[str]]:
        """For each query ``post`` matches, the terms that made it match."""
        return {name: self._queries[name].explain(post) for name in self.match(post)}

    def _match(self, document: Document) -> list[str]:
        tokens = document.tokens
        hits = self._keys & tokens
        if not hits:
            if not self._always:
                return []
            candidates: Iterable[int] = self._always
        else:
            index = self._index
            chosen = set(self._always)
            for key in hits:
                direct, second_keys, by_second = index[key]
                chosen.update(direct)
                if second_keys:
                    for second in second_keys & tokens:
                        chosen.update(by_second[second])
            candidates = sorted(chosen)
        if not document.complete:
            self._builder.complete(document)
        predicates, names = self._predicates, self._names
        return [names[number] for number in candidates if predicates[number](document)]


#: Queries filed under one token: those to try whenever it is present, and those to try when
#: one of the second tokens is present too (second token → queries).
_Entry = tuple[tuple[int, ...], frozenset[str], dict[str, tuple[int, ...]]]


def _file(queries: list[CompiledQuery]) -> tuple[tuple[int, ...], dict[str, _Entry]]:
    """File each query under the tokens of its cheapest clause, then of its second cheapest.

    Costs count how many queries use a token, so a word shared by many queries (a campaign's
    ``friday``) files them less readily than a brand's own name; and a query with two clauses
    is tried only on posts that hit both.  Returns the numbers of the queries without clauses
    (tried on every post) and the index.
    """
    usage = Counter(key for query in queries for clause in query.clauses for key in clause)
    always: list[int] = []
    direct: dict[str, list[int]] = {}
    second: dict[str, dict[str, list[int]]] = {}
    for number, query in enumerate(queries):
        if not query.clauses:
            always.append(number)
            continue
        ranked = sorted(query.clauses, key=lambda clause: trigger_cost(clause, usage))
        for key in ranked[0]:
            if len(ranked) == 1:
                direct.setdefault(key, []).append(number)
            else:
                by_second = second.setdefault(key, {})
                for other in ranked[1]:
                    by_second.setdefault(other, []).append(number)
    index: dict[str, _Entry] = {}
    for key in direct.keys() | second.keys():
        filed = {other: tuple(numbers) for other, numbers in second.get(key, {}).items()}
        index[key] = (tuple(direct.get(key, ())), frozenset(filed), filed)
    return tuple(always), index
