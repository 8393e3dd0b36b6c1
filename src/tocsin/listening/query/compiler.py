"""Compile a syntax tree into a predicate over documents, once, and say what can trigger it.

Compiling turns each node into a closure over a :class:`Document`: a term is a set look-up,
an ``AND``/``OR`` of plain terms one subset/disjointness test, a phrase a look-up of its words
followed, only when they are all present, by a check of their positions.

It also computes what a matching post must contain, as *clauses*: sets of tokens such that a
post missing every token of one clause cannot match.  A term is one clause, a phrase one per
word, ``AND`` and ``NEAR`` collect their children's clauses, ``OR`` unites one clause of each
child into a single clause, ``NOT`` requires nothing.  The cheapest clause is the query's
*trigger terms*; :class:`~tocsin.listening.query.QuerySet` files queries under two clauses.

Example::

    query = compile_query('(acme OR @acme) AND (refund* OR "customer service") -job*')
    query.triggers                 # frozenset({'acme', '@acme'})
    query.matches(MatchablePost("@ACME where is my refund??"))   # True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from tocsin.listening.query.document import Document, DocumentBuilder, MatchablePost, Positions
from tocsin.listening.query.errors import QueryError
from tocsin.listening.query.parser import And, Near, Node, Not, Or, Phrase, Term, Wildcard, parse
from tocsin.listening.query.text import WildcardPattern, field_token

Predicate = Callable[[Document], bool]
Span = tuple[int, int]
SpanFinder = Callable[[Positions], list[Span]]

#: Trigger cost of a field that most posts carry (``lang:en``): avoid it when a word is there.
_COMMON_FIELD_COST = 1000
_SHORT_WORD_COST = 20


class CompiledQuery:
    """A query compiled once; call :meth:`matches` as often as needed.

    ``terms`` are the query's searched-for pieces as written (excluded ones are in
    ``excluded_terms``).  ``clauses`` are token sets a matching post hits every one of (empty
    when none is known); ``triggers`` is the cheapest of them, or ``None`` if there is none (the
    query must then be tried on every post).
    """

    __slots__ = (
        "_builder",
        "_leaves",
        "clauses",
        "excluded_terms",
        "predicate",
        "root",
        "terms",
        "text",
        "triggers",
        "wildcards",
    )

    def __init__(self, text: str, root: Node) -> None:
        self.text = text
        self.root = root
        positive: list[str] = []
        excluded: list[str] = []
        leaves: list[tuple[str, Predicate]] = []
        for leaf, negated in _leaves(root, negated=False):
            shown = text[leaf.start : leaf.end]
            (excluded if negated else positive).append(shown)
            if not negated:
                leaves.append((shown, _predicate(leaf)))
        self.terms = tuple(dict.fromkeys(positive))
        self.excluded_terms = tuple(dict.fromkeys(excluded))
        self.clauses = tuple(_clauses(root))
        self.triggers = min(self.clauses, key=trigger_cost) if self.clauses else None
        patterns = sorted({node.pattern for node in _walk(root) if isinstance(node, Wildcard)})
        self.wildcards = tuple(WildcardPattern.from_pattern(pattern) for pattern in patterns)
        self.predicate = _predicate(root)
        self._leaves = tuple(leaves)
        self._builder = DocumentBuilder(wildcards=self.wildcards)

    def __repr__(self) -> str:
        return f"CompiledQuery({self.text!r})"

    def matches(self, post: MatchablePost) -> bool:
        """Whether ``post`` matches the query."""
        return self.predicate(self._builder.build(post))

    def explain(self, post: MatchablePost) -> list[str]:
        """The query's terms (as written) found in ``post``, to show why it matched.

        Excluded terms are never listed; a ``NEAR`` or a phrase is listed whole.  The list says
        which terms were found, not whether the post matched: use :meth:`matches` for that.
        """
        document = self._builder.build(post)
        return list(dict.fromkeys(shown for shown, found in self._leaves if found(document)))


def compile_query(text: str) -> CompiledQuery:
    """Parse and compile ``text``; raises :class:`QueryError` if the query is malformed."""
    root = parse(text)
    if not any(not negated for _, negated in _leaves(root, negated=False)):
        raise QueryError(
            "the query only excludes terms: add at least one term to look for",
            root.start,
            query=text,
            length=root.end - root.start,
        )
    return CompiledQuery(text, root)


def _walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, And | Or):
        for item in node.items:
            yield from _walk(item)
    elif isinstance(node, Not):
        yield from _walk(node.operand)
    elif isinstance(node, Near):
        yield from _walk(node.left)
        yield from _walk(node.right)


def _leaves(node: Node, *, negated: bool) -> Iterator[tuple[Node, bool]]:
    """Terms, wildcards, phrases and whole NEARs, each with whether an odd number of NOTs
    covers it."""
    if isinstance(node, And | Or):
        for item in node.items:
            yield from _leaves(item, negated=negated)
    elif isinstance(node, Not):
        yield from _leaves(node.operand, negated=not negated)
    else:
        yield node, negated


def _key(node: Term | Wildcard) -> str:
    return node.key if isinstance(node, Term) else node.pattern


def _predicate(node: Node) -> Predicate:
    if isinstance(node, Term | Wildcard):
        key = _key(node)
        return lambda document: key in document.tokens
    if isinstance(node, Not):
        inner = _predicate(node.operand)
        return lambda document: not inner(document)
    if isinstance(node, Phrase):
        return _phrase_predicate(node)
    if isinstance(node, Near):
        return _near_predicate(node)
    keys = frozenset(_key(item) for item in node.items if isinstance(item, Term | Wildcard))
    others = tuple(_predicate(item) for item in node.items if not isinstance(item, Term | Wildcard))
    return _and(keys, others) if isinstance(node, And) else _or(keys, others)


def _and(keys: frozenset[str], others: tuple[Predicate, ...]) -> Predicate:
    def all_of(document: Document) -> bool:
        if not keys <= document.tokens:
            return False
        return all(check(document) for check in others)

    return all_of


def _or(keys: frozenset[str], others: tuple[Predicate, ...]) -> Predicate:
    def any_of(document: Document) -> bool:
        if not keys.isdisjoint(document.tokens):
            return True
        return any(check(document) for check in others)

    return any_of


def _phrase_predicate(node: Phrase) -> Predicate:
    words = frozenset(node.words)
    spans = _spans(node)
    title_only = node.title_only
    if title_only:
        words = frozenset(field_token("title", word) for word in node.words)

    def phrase(document: Document) -> bool:
        if not words <= document.tokens:
            return False
        return bool(spans(document.positions(title_only=title_only)))

    return phrase


def _near_predicate(node: Near) -> Predicate:
    left, right, spans = _predicate(node.left), _predicate(node.right), _spans(node)

    def near(document: Document) -> bool:
        return left(document) and right(document) and bool(spans(document.positions()))

    return near


def _spans(node: Node) -> SpanFinder:
    """Where ``node`` occurs, as (first, last) positions; only positional nodes reach here."""
    if isinstance(node, Term):
        key = node.key
        return lambda positions: [(p, p) for p in positions.get(key, ())]
    if isinstance(node, Wildcard):
        wildcard = WildcardPattern.from_pattern(node.pattern)
        return lambda positions: [
            (p, p) for token, where in positions.items() if wildcard.matches(token) for p in where
        ]
    if isinstance(node, Phrase):
        return _phrase_spans(node.words)
    if isinstance(node, Or):
        finders = [_spans(item) for item in node.items]
        return lambda positions: [span for finder in finders for span in finder(positions)]
    if isinstance(node, Near):
        return _near_spans(_spans(node.left), _spans(node.right), node.distance, node.ordered)
    raise AssertionError(f"not positional: {node!r}")  # pragma: no cover - parser refuses it


def _phrase_spans(words: tuple[str, ...]) -> SpanFinder:
    last = len(words) - 1

    def find(positions: Positions) -> list[Span]:
        following = [set(positions.get(word, ())) for word in words[1:]]
        return [
            (start, start + last)
            for start in positions.get(words[0], ())
            if all(start + offset in where for offset, where in enumerate(following, 1))
        ]

    return find


def _near_spans(left: SpanFinder, right: SpanFinder, distance: int, ordered: bool) -> SpanFinder:
    def find(positions: Positions) -> list[Span]:
        found: list[Span] = []
        lefts = left(positions)
        rights = right(positions) if lefts else []
        for first, last in lefts:
            for start, end in rights:
                if last < start:
                    close = start - last - 1 <= distance
                elif end < first:
                    close = not ordered and first - end - 1 <= distance
                else:
                    close = False  # overlapping: the same words cannot stand for both sides
                if close:
                    found.append((min(first, start), max(last, end)))
        return found

    return find


def _clauses(node: Node) -> list[frozenset[str]]:
    """What any matching post must contain, in conjunctive normal form: at least one token of
    every clause.  An empty list means no such requirement is known."""
    if isinstance(node, Term | Wildcard):
        return [frozenset({_key(node)})]
    if isinstance(node, Phrase):
        words = [field_token("title", w) if node.title_only else w for w in node.words]
        return [frozenset({word}) for word in dict.fromkeys(words)]
    if isinstance(node, Not):
        return []
    if isinstance(node, Near):
        return _unique([*_clauses(node.left), *_clauses(node.right)])
    children = [_clauses(item) for item in node.items]
    if isinstance(node, And):
        return _unique([clause for child in children for clause in child])
    if any(not child for child in children):
        return []
    return [frozenset().union(*(min(child, key=trigger_cost) for child in children))]


def _unique(clauses: list[frozenset[str]]) -> list[frozenset[str]]:
    return list(dict.fromkeys(clauses))


def trigger_cost(clause: frozenset[str], usage: Mapping[str, int] | None = None) -> int:
    """How costly ``clause`` is as the key a query is filed under: the more posts are likely
    to contain one of its tokens, the costlier.

    Without statistics on posts, the guesses are: fields most posts carry (``lang:``,
    ``platform:``) are very costly, one- and two-letter words costly, and, in a query set,
    a token used by many queries (``refund``, ``friday``) more likely than a brand's name.
    """
    total = 0
    for key in clause:
        if key.startswith(("lang:", "platform:")):
            cost = _COMMON_FIELD_COST
        else:
            cost = _SHORT_WORD_COST if len(key) <= 2 else 1
        total += cost * (usage.get(key, 1) if usage is not None else 1)
    return total
