"""Sending an approved issue to its topic's confirmed subscribers, exactly once each.

How exactly-once holds (the ledger, claims and leases, crashes, restarts): docs/exactly-once.md.
"""

from __future__ import annotations

from .chunks import ChunkResult, finish_if_complete, rendered_issue, send_chunk
from .controls import cancel, pause, resend_failed, resume, tick
from .fanout import dispatch_chunks, start_send
from .progress import Progress, progress
from .rules import NotSendable, create_send, recipient_count, sendability_problems

__all__ = [
    "ChunkResult",
    "NotSendable",
    "Progress",
    "cancel",
    "create_send",
    "dispatch_chunks",
    "finish_if_complete",
    "pause",
    "progress",
    "recipient_count",
    "rendered_issue",
    "resend_failed",
    "resume",
    "send_chunk",
    "sendability_problems",
    "start_send",
    "tick",
]
