"""The knowledge base's errors: a user can act on them (the CLI prints them as one line)."""


class KnowledgeError(Exception):
    exit_code = 2


class UnknownItemError(KnowledgeError):
    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown item or goal '{name}'.{hint}")
