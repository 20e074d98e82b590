"""Contest-vote reminders ("Me rappeler de voter"): follows, the plan's dispatch, the ledger.

How each reminder is sent exactly once, and what is left to chance: docs/reminders.md.
"""
