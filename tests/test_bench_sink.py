"""The bench's SMTP sink: messages per recipient, read from ``smtp-sink``'s dump."""

from __future__ import annotations

from pathlib import Path

from bench.sink import DumpReader

# Two transactions as ``smtp-sink -D`` appends them: its own headers, then the message as
# received (whose header and body here carry the sink's recipient header, and must not count;
# a body that forged a whole block would show as one transaction more than the sink counted,
# which stops the bench: ``SmtpSink.per_address``).
TRANSACTIONS = (
    b"X-Client-Addr: 127.0.0.1\n"
    b"X-Client-Proto: ESMTP\n"
    b"X-Helo-Args: [127.0.0.1]\n"
    b"X-Mail-Args: <lettres@lecarburateur.fr>\n"
    b"X-Rcpt-Args: <Bench-1-1-1@example.org>\n"
    b"X-Rcpt-Args: <bench-1-1-2@example.org>\n"
    b"Received: from [127.0.0.1] ([127.0.0.1])\n"
    b"\tby smtp-sink (smtp-sink) with ESMTP id 4f190fa9;\n"
    b"\tThu,  3 Dec 2026 18:02:54 +0000 (UTC)\n"
    b"Subject: Confirmez votre inscription\n"
    b"X-Rcpt-Args: <intrus@example.org>\n"
    b"\n"
    b"Bonjour,\n"
    b"X-Rcpt-Args: <intrus@example.org>\n"
    b"\n"
)
SECOND = (
    b"X-Client-Addr: 127.0.0.1\n"
    b"X-Client-Proto: ESMTP\n"
    b"X-Mail-Args: <lettres@lecarburateur.fr>\n"
    b"X-Rcpt-Args: <bench-1-1-1@example.org> NOTIFY=NEVER\n"
    b"Received: from [127.0.0.1] ([127.0.0.1])\n"
    b"\tby smtp-sink (smtp-sink) with ESMTP id 1d97e5bd;\n"
    b"\tThu,  3 Dec 2026 18:02:54 +0000 (UTC)\n"
    b"Subject: Confirmez votre inscription\n"
    b"\n"
    b"Bonjour,\n"
    b"\n"
)


def test_dump__counts_each_recipient_of_the_sinks_own_headers_only(tmp_path: Path) -> None:
    dump = tmp_path / "transactions"
    dump.write_bytes(TRANSACTIONS + SECOND)

    reader = DumpReader(dump)

    assert reader.read() == {"bench-1-1-1@example.org": 2, "bench-1-1-2@example.org": 1}
    assert reader.transactions == 2


def test_dump__read_on_from_where_it_stopped_even_mid_line(tmp_path: Path) -> None:
    dump = tmp_path / "transactions"
    cut = SECOND.index(b"Rcpt") + 4
    dump.write_bytes(TRANSACTIONS + SECOND[:cut])
    reader = DumpReader(dump)
    assert reader.read() == {"bench-1-1-1@example.org": 1, "bench-1-1-2@example.org": 1}

    with dump.open("ab") as more:
        more.write(SECOND[cut:])

    assert reader.read() == {"bench-1-1-1@example.org": 2, "bench-1-1-2@example.org": 1}
    assert reader.transactions == 2


def test_dump__a_missing_file_is_nothing_received_yet(tmp_path: Path) -> None:
    reader = DumpReader(tmp_path / "transactions")

    assert reader.read() == {}
    assert reader.transactions == 0
