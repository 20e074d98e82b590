"""Every email's plumbing: the outbox, suppression, address hashing, throttle, ESP webhooks."""
