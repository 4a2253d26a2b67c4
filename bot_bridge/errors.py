"""The body's and the world's errors a user can act on (no node, a bot that cannot join, a server that fails)."""


class BridgeError(Exception):
    exit_code = 2
