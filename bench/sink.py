"""The benchmark's SMTP sink: Postfix's ``smtp-sink`` (C), counted from its own output.

A Python sink (aiosmtpd) accepted about 280 messages a second from a bare loop on the bench
machine and so was the ceiling it claimed to measure; ``smtp-sink`` accepts several thousand.
With ``-c`` it prints ``sess=S quit=Q mesg=M`` followed by a carriage return each time it
receives the final "." of a message: the output goes to a file, and the count is read from the
file's tail, so nothing sits between the sender and the sink.

With ``per_recipient``, it also appends every transaction to a dump file (``-D``), whose
headers of its own name each recipient (``X-Rcpt-Args``): ``make bench-load`` counts there how
many messages each address received, exactly once per address or the run fails.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import smtplib
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.services import port_open, wait_for

SMTP_SINK = "/usr/sbin/smtp-sink"
COUNTER = re.compile(rb"mesg=(\d+)\r")
# The address of an RCPT command as the dump records it: ``<address>`` and any parameters.
RECIPIENT = re.compile(rb"^X-Rcpt-Args: <([^>]*)>")


class DumpReader:
    """Messages per recipient in an ``smtp-sink -D`` dump, read on from where it stopped.

    Each transaction starts with smtp-sink's own headers: ``X-Client-Addr`` first, one
    ``X-Rcpt-Args`` per recipient, and a ``Received`` header that ends them; the message as
    received follows. Only lines inside that block are read, so a message's own headers or
    body cannot add a recipient; ``transactions`` says how many blocks were read, to be held
    against the sink's own count of messages.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.in_block = False
        self.transactions = 0
        self.per_address: Counter[str] = Counter()

    def read(self) -> Counter[str]:
        """Messages per recipient (lower-cased) in the dump so far."""
        try:
            with self.path.open("rb") as dump:
                dump.seek(self.offset)
                data = dump.read()
        except FileNotFoundError:
            return self.per_address
        end = data.rfind(b"\n") + 1  # complete lines only: the sink may be writing the rest
        self.offset += end
        for line in data[:end].split(b"\n"):
            if line.startswith(b"X-Client-Addr: "):
                self.in_block = True
                self.transactions += 1
            elif self.in_block and line.startswith(b"Received: "):
                self.in_block = False
            elif self.in_block and (match := RECIPIENT.match(line)):
                self.per_address[match[1].decode(errors="replace").lower()] += 1
        return self.per_address


class SmtpSink:
    """``smtp-sink -c`` on 127.0.0.1:``port``, its running counters written to a file."""

    def __init__(self, directory: Path, port: int, *, per_recipient: bool = False) -> None:
        self.port = port
        self.output = directory / "smtp-sink.out"
        self.process: subprocess.Popen[bytes] | None = None
        self.dump: DumpReader | None = None
        if per_recipient:
            # smtp-sink writes the dump as nobody (below), who cannot enter ``directory`` (a
            # private temporary directory): a directory of its own under the system's.
            dumps = Path(tempfile.mkdtemp(prefix="carburateur-smtp-sink-"))
            if os.geteuid() == 0:
                os.chown(dumps, pwd.getpwnam("nobody").pw_uid, -1)
            self.dump = DumpReader(dumps / "transactions")

    def start(self) -> None:
        dump = ["-D", str(self.dump.path)] if self.dump else []
        with self.output.open("wb") as output:
            # -u nobody: it refuses to run as root otherwise; backlog 100 as in Postfix's docs.
            self.process = subprocess.Popen(  # noqa: S603
                [SMTP_SINK, "-c", "-u", "nobody", *dump, f"127.0.0.1:{self.port}", "100"],
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

    def per_address(self) -> Counter[str]:
        """Messages received so far per recipient, lower-cased (``per_recipient`` only).

        Stops the bench if the dump holds more or fewer transactions than the sink counted
        messages: a dump read wrong must not pass for an exact count.
        """
        if self.dump is None:
            raise RuntimeError("smtp-sink démarré sans per_recipient : pas de compte par adresse")
        # The dump and the counter are written apart: once the senders stop, they agree.
        deadline = time.monotonic() + 10
        self.dump.read()
        while self.dump.transactions != self.count():
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"Le puits SMTP compte {self.count()} messages, son journal "
                    f"{self.dump.transactions} transactions."
                )
            time.sleep(0.1)
            self.dump.read()
        return Counter(self.dump.per_address)

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
        if self.dump is not None:
            shutil.rmtree(self.dump.path.parent, ignore_errors=True)
