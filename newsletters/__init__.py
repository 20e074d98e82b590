"""Newsletter subscriptions: double opt-in, topics, consent ledger, suppression and outbox."""
