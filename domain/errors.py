"""Typed domain errors. Each one means: the command broke a rule and nothing was written."""


class DomainError(Exception):
    """Base class of every rule the domain enforces."""

    title = "Domain rule broken"


class InvalidInput(DomainError):
    """A value that can never be right, whatever the aggregate's state."""

    title = "Invalid input"


class UnknownCode(InvalidInput):
    title = "Unknown code"


class FutureDate(InvalidInput):
    """A date or time describing something done lies in the future."""

    title = "Date in the future"


class ReasonRequired(InvalidInput):
    title = "Reason required"


class RuleViolation(DomainError):
    """The command is valid on its own but not in the aggregate's current state."""

    title = "Not allowed in the current state"


class MeetingCancelled(RuleViolation):
    title = "Meeting cancelled"


class MeetingNotHeld(RuleViolation):
    title = "Meeting not held yet"


class MeetingAlreadyHeld(RuleViolation):
    title = "Meeting already held"


class AgencyNotInvited(RuleViolation):
    title = "Agency not invited"


class AlreadyInvited(RuleViolation):
    """The agency, with the same sub-role, is already invited to the meeting."""

    title = "Agency already invited"


class ActionClosed(RuleViolation):
    """The action is completed or cancelled."""

    title = "Action completed or cancelled"


class ActionNotClosed(RuleViolation):
    title = "Action is still open"


class NoPendingProposal(RuleViolation):
    """No agency proposal of a due date is waiting for governance's decision."""

    title = "No proposal waiting"


class RecommendationClosed(RuleViolation):
    title = "Recommendation closed"


class RecommendationNotClosed(RuleViolation):
    title = "Recommendation not closed"


class NoSuchResponse(RuleViolation):
    title = "No such response"


class ClosureNotAllowed(RuleViolation):
    """Closing needs a response and every linked action finished, or an override."""

    title = "Recommendation cannot be closed"


class BeforeAgreed(RuleViolation):
    """Something about an action would take effect, or fall due, before the action was agreed."""

    title = "Before the action was agreed"


class AgreedBeforeMeeting(RuleViolation):
    title = "Agreed before the meeting was held"


class BeforeRaised(RuleViolation):
    title = "Before the recommendation was raised"


class OutOfOrder(RuleViolation):
    """A change of status would take effect before the change it follows."""

    title = "Before the previous change of status"
