"""The body and the world; imports only `knowledge`.

- `actions/`: one record per bot action (name, arguments and their checks, time limit, the sub-goal kinds that may
  use it) and the typed results; `skills/<action>.js` is each action's JavaScript skill, `skills/actions.js` the
  dispatcher that finds it by name.
- `body.py`: `Body.act(name, **args)`, the single door to the Mineflayer bot (validate, run, reconnect).
- `bot.py`, `node_env.py`: the bot through JSPyBridge, and node with the lock-file install of our node packages.
- `server.py`, `server/`: the embedded flying-squid world with our survival plugins (one capability per file).
"""
