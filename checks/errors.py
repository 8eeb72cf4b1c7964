"""The one exception hierarchy of prunecert.

Every error a user can provoke with bad input is an :class:`InputError` (the CLI maps
it to exit code 3 with a one-line message).  Internal bugs stay ordinary exceptions.
"""


class PrunecertError(Exception):
    """Base class of every error prunecert raises on purpose."""


class InputError(PrunecertError, ValueError):
    """Bad user input: malformed expression, empty/reversed box, eps <= 0, NaN, bad shapes."""


class ExpressionError(InputError):
    """An expression could not be parsed or uses something the compiler does not support."""


class BoxError(InputError):
    """A variable box is empty, reversed, non-finite or names an unknown variable."""


class NetworkError(InputError):
    """A network file is malformed or has inconsistent shapes."""


class CertificateError(PrunecertError):
    """A certificate is malformed, altered, or does not re-check."""


class BudgetExceeded(PrunecertError):
    """A computation ran out of its time/size budget (callers turn this into UNKNOWN)."""


class CycleError(InputError):
    """A claim dependency graph has a cycle."""
