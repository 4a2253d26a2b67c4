"""Errors a user can act on: the CLI prints them as one line, never as a traceback."""

from bot_bridge.errors import BridgeError
from knowledge.errors import KnowledgeError
from memory_store.data_dir import DataDirError


class GitmError(Exception):
    """Base of every error the agent's own packages report to a user in one line."""

    exit_code = 2


# what `gitm` prints as one line: ours and those of the packages below us (unknown item, no node, no server,
# a data folder that cannot be used)
USER_ERRORS = (GitmError, KnowledgeError, BridgeError, DataDirError)
