"""The benchmark's SMTP sink: Postfix's ``smtp-sink`` (C), counted from its own output.

A Python sink (aiosmtpd) accepted about 280 messages a second from a bare loop on the bench
machine and so was the ceiling it claimed to measure; ``smtp-sink`` accepts several thousand.
With ``-c`` it prints ``sess=S quit=Q mesg=M`` followed by a carriage return each time it
receives the final "." of a message: the output goes to a file, and the count is read from the
file's tail, so nothing sits between the sender and the sink.
"""

from __future__ import annotations

import re
import smtplib
import subprocess
from pathlib import Path

from tests.services import port_open, wait_for

SMTP_SINK = "/usr/sbin/smtp-sink"
COUNTER = re.compile(rb"mesg=(\d+)\r")


class SmtpSink:
    """``smtp-sink -c`` on 127.0.0.1:``port``, its running counters written to a file."""

    def __init__(self, directory: Path, port: int) -> None:
        self.port = port
        self.output = directory / "smtp-sink.out"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.output.open("wb") as output:
            # -u nobody: it refuses to run as root otherwise; backlog 100 as in Postfix's docs.
            self.process = subprocess.Popen(  # noqa: S603
                [SMTP_SINK, "-c", "-u", "nobody", f"127.0.0.1:{self.port}", "100"],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: port_open(self.port), "le puits SMTP (smtp-sink)", timeout=20)

    def count(self) -> int:
        """Messages accepted so far: the last complete counter line in the output."""
        try:
            with self.output.open("rb") as output:
                output.seek(0, 2)
                output.seek(max(output.tell() - 256, 0))
                found = COUNTER.findall(output.read())
        except OSError:
            return 0
        return int(found[-1]) if found else 0

    def self_check(self, messages: int = 200) -> None:
        """Send ``messages`` over two connections and check the count moves by exactly that.

        The bench trusts this count to say when a send is over and whether it was exact, so a
        sink that counts wrong (or an output format that changed) stops the bench here.
        """
        before = self.count()
        for _connection in range(2):
            with smtplib.SMTP("127.0.0.1", self.port) as client:
                for number in range(messages // 2):
                    client.sendmail(
                        "banc@lecarburateur.fr",
                        [f"controle{number}@exemple.fr"],
                        b"Subject: controle\r\n\r\nUn message de controle.\r\n",
                    )
        wait_for(lambda: self.count() - before >= messages, "le compte du puits SMTP", timeout=10)
        counted = self.count() - before
        if counted != messages:
            raise SystemExit(f"Le puits SMTP compte {counted} messages pour {messages} envoyés.")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
