"""The one error a listening query can raise, with the place of the problem.

Example::

    try:
        compile_query('acme AND (refund OR')
    except QueryError as error:
        print(error.caret())
    # acme AND (refund OR
    #                  ^^
    # 'OR' needs a term on its right, found the end (character 17)
"""

from __future__ import annotations


class QueryError(ValueError):
    """A malformed query: ``message`` says what is wrong and how to fix it.

    ``position`` is the 0-based index of the offending character in ``query`` and ``length``
    how many characters the problem covers (at least one), so a form can underline it.
    ``name`` is set when the query belongs to a :class:`~tocsin.listening.query.QuerySet`.
    """

    def __init__(
        self,
        message: str,
        position: int,
        *,
        query: str = "",
        length: int = 1,
        name: str | None = None,
    ) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position
        self.query = query
        self.length = max(1, length)
        self.name = name

    def __str__(self) -> str:
        where = f"{self.message} (character {self.position})"
        return f"query {self.name!r}: {where}" if self.name is not None else where

    def caret(self) -> str:
        """The query on one line and ``^`` marks under the problem on the next.

        Tabs and line breaks are shown as spaces so the marks stay aligned; the last line
        repeats the message.
        """
        line = "".join(" " if ch in "\t\r\n\v\f" else ch for ch in self.query)
        marks = " " * self.position + "^" * min(self.length, max(1, len(line) - self.position))
        return f"{line}\n{marks}\n{self}"

    def located(self, *, query: str, name: str | None = None) -> QueryError:
        """The same error, attached to the query text (and name) it was found in."""
        return QueryError(
            self.message, self.position, query=query, length=self.length, name=name or self.name
        )
