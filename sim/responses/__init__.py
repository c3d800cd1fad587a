"""The lever-response check: one-lever experiments against the baseline, paired by seed, held to
the ranges the empirical evidence gives (``innovsim responses``; see docs/responses.md)."""
