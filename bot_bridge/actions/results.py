"""What the body reports: one action's result, and an observation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ActionResult:
    """What one action did. `reason` is for a planner to act on when ok is False."""

    action: str
    ok: bool
    reason: str = ""
    delta: dict[str, int] = field(default_factory=dict)  # inventory change
    inventory: dict[str, int] = field(default_factory=dict)  # after the action
    pos: tuple[float, float, float] | None = None
    y: int | None = None
    biome: str | None = None
    age: int | None = None  # world age (ticks) at the end
    ticks: int = 0  # game ticks the action took
    wall_s: float = 0.0
    died: int = 0
    details: dict[str, Any] = field(default_factory=dict)  # action-specific extras (missing, needTool, found...)

    @classmethod
    def from_js(cls, action: str, raw: dict[str, Any]) -> ActionResult:
        known = {"action", "ok", "reason", "delta", "inventory", "pos", "y", "biome", "age", "ticks", "wallMs", "died"}
        pos = raw.get("pos")
        return cls(
            action=action,
            ok=bool(raw.get("ok")),
            reason=str(raw.get("reason") or ""),
            delta={k: int(v) for k, v in (raw.get("delta") or {}).items()},
            inventory={k: int(v) for k, v in (raw.get("inventory") or {}).items()},
            pos=(pos["x"], pos["y"], pos["z"]) if pos else None,
            y=raw.get("y"),
            biome=raw.get("biome"),
            age=raw.get("age"),
            ticks=int(raw.get("ticks") or 0),
            wall_s=float(raw.get("wallMs") or 0) / 1000,
            died=int(raw.get("died") or 0),
            details={k: v for k, v in raw.items() if k not in known},
        )

    @classmethod
    def failure(cls, action: str, reason: str, **details: Any) -> ActionResult:
        return cls(action=action, ok=False, reason=reason, details=details)

    def summary(self) -> str:
        gained = ", ".join(f"{'+' if v > 0 else ''}{v} {k}" for k, v in sorted(self.delta.items()))
        status = "ok" if self.ok else f"FAILED: {self.reason}"
        return f"{self.action}: {status} [{gained or 'no change'}] y={self.y} {self.ticks} ticks {self.wall_s:.1f} s"

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action, "ok": self.ok, "reason": self.reason, "delta": self.delta, "y": self.y,
            "pos": self.pos, "biome": self.biome, "age": self.age, "ticks": self.ticks, "wall_s": round(self.wall_s, 2),
            "died": self.died, **({"details": self.details} if self.details else {}),
        }


@dataclass
class Observation:
    inventory: dict[str, int]
    held: str | None
    pos: tuple[float, float, float]
    y: int
    biome: str | None
    time_of_day: int
    age: int
    health: float
    food: int
    blocks: dict[str, dict[str, Any]]  # name -> {count, nearest, at}
    entities: dict[str, float]  # name -> nearest distance
    deaths: int = 0

    @classmethod
    def from_js(cls, raw: dict[str, Any]) -> Observation:
        p = raw.get("pos") or {"x": 0, "y": 0, "z": 0}
        return cls(
            inventory={k: int(v) for k, v in (raw.get("inventory") or {}).items()},
            held=raw.get("held"),
            pos=(p["x"], p["y"], p["z"]),
            y=int(raw.get("y") or 0),
            biome=raw.get("biome"),
            time_of_day=int(raw.get("timeOfDay") or 0),
            age=int(raw.get("age") or 0),
            health=float(raw.get("health") or 0),
            food=int(raw.get("food") or 0),
            blocks=raw.get("blocks") or {},
            entities=raw.get("entities") or {},
            deaths=int(raw.get("deaths") or 0),
        )

    def to_prompt(self, max_blocks: int = 12) -> str:
        """A compact text for an LLM prompt."""
        inv = ", ".join(f"{v} {k}" for k, v in sorted(self.inventory.items())) or "nothing"
        near = sorted(self.blocks.items(), key=lambda kv: kv[1].get("nearest", 1e9))[:max_blocks]
        blocks = ", ".join(f"{k} x{v['count']} ({v['nearest']:.0f} m)" for k, v in near) or "none"
        ents = ", ".join(f"{k} ({d:.0f} m)" for k, d in sorted(self.entities.items(), key=lambda kv: kv[1])[:6])
        x, y, z = self.pos
        return (
            f"position: ({x:.0f}, {y:.0f}, {z:.0f}), biome: {self.biome}, time: {self.time_of_day}\n"
            f"health: {self.health:.0f}/20, food: {self.food}/20, holding: {self.held or 'nothing'}\n"
            f"inventory: {inv}\n"
            f"nearby blocks: {blocks}\n" + (f"nearby entities: {ents}\n" if ents else "")
        )
