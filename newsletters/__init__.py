"""Newsletter subscriptions and issues: double opt-in, topics, consent ledger, sending."""
