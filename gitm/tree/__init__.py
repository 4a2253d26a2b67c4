"""Planning without a world: the tech tree, the decomposer and goal names."""
