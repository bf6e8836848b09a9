"""The one exception type whose message is meant for the user, shown as a single line."""


class CoachError(Exception):
    """A problem the user can act on: bad input, a missing model, an unreachable service."""
