"""chromadb memory of successful plans per sub-goal (see issue: the brain)."""
