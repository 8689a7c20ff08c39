"""The signed-in user's own account: who they are, and their personal API tokens."""
