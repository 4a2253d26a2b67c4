"""gitm: a Ghost-in-the-Minecraft style agent (knowledge -> tech tree -> decomposer -> planner -> bot)."""

__version__ = "0.1.0"
MC_VERSION = "1.21.4"
