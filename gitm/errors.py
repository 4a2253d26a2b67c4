"""Errors a user can act on: the CLI prints them as one line, never as a traceback."""


class GitmError(Exception):
    """Base of every error gitm reports to a user in one line."""

    exit_code = 2


class UnknownItemError(GitmError):
    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown item or goal '{name}'.{hint}")
