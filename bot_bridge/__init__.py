"""The body: a Mineflayer bot driven from Python, and the embedded flying-squid world."""
