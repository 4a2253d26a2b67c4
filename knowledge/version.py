"""The Minecraft version the knowledge base, the embedded server and the bot speak: one value, handed to every
node process (server, bot, world generator, tools) by the Python side that starts it."""

MC_VERSION = "1.21.4"
