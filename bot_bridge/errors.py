"""The body's and the world's errors a user can act on (no node, a bot that cannot join, a server that fails)."""


class BridgeError(Exception):
    exit_code = 2


class ServerGone(BridgeError):
    """The server the bot plays on is gone: the embedded server's process died, or another server stayed
    unreachable for the whole reconnect window. Not a game failure: the terrain and the action are not to blame."""


class BridgeGone(BridgeError):
    """The bridge's node process (JSPyBridge's, which runs the bot) ended: no call can reach the bot any more, and
    the bridge cannot start another in this process. Not a disconnect: reconnecting cannot help."""


def interrupt_in(err: BaseException) -> KeyboardInterrupt | None:
    """The KeyboardInterrupt `err` is, or was raised while handling: a Ctrl-C that lands inside a lock's wait can
    come out as another error (threading's "release unlocked lock" RuntimeError), with the interrupt as its
    context. Such an error is the interrupt, never a failure of its own."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [err]
    while todo:
        at = todo.pop()
        if at is None or id(at) in seen:
            continue
        if isinstance(at, KeyboardInterrupt):
            return at
        seen.add(id(at))
        todo += [at.__cause__, at.__context__]
    return None
