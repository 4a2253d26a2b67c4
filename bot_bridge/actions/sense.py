"""The body's own sense: observe (the planner does not plan with it)."""

from __future__ import annotations

from .base import Arg, action


@action("observe", "what the bot sees: inventory, position, nearby blocks and mobs", limit_s=10, planner=False,
        body_args=(Arg("radius", "number", False, "how far to look (blocks)"),))
def observe(kb, a, inv):
    return {"radius": int(a.get("radius", 32))}
