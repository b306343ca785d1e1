"""AI operations for Writers Factory: token estimates, prices, providers, runs, workflows.

Nothing here imports pydantic-ai, tiktoken or genai-prices at import time; each module
loads them inside the function that needs them, so the command line starts fast.
"""
