"""The body's and the world's errors a user can act on (no node, a bot that cannot join, a server that fails)."""


class BridgeError(Exception):
    exit_code = 2


class ServerGone(BridgeError):
    """The server the bot plays on is gone: the embedded server's process died, or another server stayed
    unreachable for the whole reconnect window. Not a game failure: the terrain and the action are not to blame."""
