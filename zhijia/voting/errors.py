"""Domain errors of module voting, each with the HTTP status the API and pages answer with."""

from __future__ import annotations

from zhijia.core.errors import ActionRefused


class VotingError(ActionRefused):
    """Base: `status` for the API/pages, `message` in plain Chinese."""

    status = 409


class PollStateError(VotingError):
    """The poll is not in the state the action needs (e.g. closing a draft)."""


class PollNotOpen(VotingError):
    """Casting into a poll that is not open (not yet opened, or already closed)."""


class NotOnRoll(VotingError):
    status = 403


class AlreadyVoted(VotingError):
    pass


class ResultsNotPublished(VotingError):
    """Results, trackers and choices are refused until the poll is closed."""


class BadChoice(VotingError):
    status = 400

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


class BadInput(VotingError):
    """Invalid data for creating/opening a poll or entering a paper result; `errors` maps a
    field name to its message, for forms."""

    status = 400

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message, errors=errors)
