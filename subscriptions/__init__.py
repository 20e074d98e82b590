"""Who receives what: topics, subscribers, consent, the CSV import and the public sign-up."""
