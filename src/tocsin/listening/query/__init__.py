"""The listening query language: boolean queries that decide which posts mention a brand.

Write queries as in social-listening tools (``docs/query-language.md`` is the reference),
compile them once, and match posts against one query or a whole :class:`QuerySet`.

Example::

    from tocsin.listening.query import MatchablePost, QuerySet, compile_query

    complaints = compile_query('(acme OR @acme) AND (refund* OR "never arrived") -job*')
    complaints.matches(MatchablePost("@acme my parcel never arrived"))        # True

    brands = QuerySet({"acme": "acme OR @acme", "globex": "globex OR #globex"})
    brands.match(MatchablePost("globex beats acme", lang="en"))               # ['acme', 'globex']
"""

from tocsin.listening.query.compiler import CompiledQuery, compile_query
from tocsin.listening.query.defaults import brand_default_query
from tocsin.listening.query.document import MatchablePost
from tocsin.listening.query.errors import QueryError
from tocsin.listening.query.matcher import QuerySet
from tocsin.listening.query.text import normalise, tokenize

__all__ = [
    "CompiledQuery",
    "MatchablePost",
    "QueryError",
    "QuerySet",
    "brand_default_query",
    "compile_query",
    "normalise",
    "tokenize",
]
