"""chromadb memory of successful plans per sub-goal, with offline MiniLM embeddings (see store.py, embedding.py)."""

from memory_store.data_dir import DataDirError, default_data_dir
from memory_store.store import (
    SUMMARY_EVERY,
    PlanMemory,
    PlanRecord,
    ReferencePlan,
    most_frequent_plan,
    subgoal_key,
)

__all__ = [
    "DataDirError",
    "SUMMARY_EVERY",
    "PlanMemory",
    "PlanRecord",
    "ReferencePlan",
    "default_data_dir",
    "most_frequent_plan",
    "subgoal_key",
]
