#!/usr/bin/python3
"""A real SMTP server on loopback for the messaging tests (aiosmtpd).

Every message received is written as N.eml and N.json beside it; the JSON is what Python's email module decodes
from it (subject, names, text and HTML parts, attachments with size and SHA-256), so the C++ test checks what a
mail program would show. Prints "READY <port>" once it accepts connections and runs until stdin closes.

  smtpsink.py --dir DIR [--port P] [--tls none|starttls|ssl --cert C --key K] [--auth USER:PASS]
              [--fail-first N]   (answers 451 to the first N messages)
"""
import argparse
import hashlib
import json
import os
import ssl
import sys
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def summary(raw):
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    out = {
        "subject": str(msg["subject"]),
        "from_name": msg["from"].addresses[0].display_name,
        "from_addr": msg["from"].addresses[0].addr_spec,
        "to": [a.addr_spec for a in msg["to"].addresses],
        "to_names": [a.display_name for a in msg["to"].addresses],
        "message_id": str(msg["message-id"]),
        "content_type": msg.get_content_type(),
        "defects": [type(d).__name__ for part in msg.walk() for d in part.defects],
        "attachments": [],
        "longest_line": max(len(line) for line in raw.split(b"\r\n")),
        "bare_lf": raw.replace(b"\r\n", b"").count(b"\n"),
    }
    body = msg.get_body(preferencelist=("plain",))
    out["text"] = body.get_content() if body else None
    html = msg.get_body(preferencelist=("html",))
    out["html"] = html.get_content() if html else None
    for part in msg.iter_attachments():
        data = part.get_content()
        out["attachments"].append({
            "filename": part.get_filename(),
            "type": part.get_content_type(),
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "pdf": data[:5] == b"%PDF-",
        })
    return out


class Sink:
    def __init__(self, directory, fail_first):
        self.directory = directory
        self.fail_first = fail_first
        self.count = 0
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.fail_first:
            self.refused += 1
            return "451 4.3.0 try again later"
        self.count += 1
        raw = envelope.original_content
        base = os.path.join(self.directory, str(self.count))
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        info = summary(raw)
        info["envelope_from"] = envelope.mail_from
        info["envelope_to"] = envelope.rcpt_tos
        info["authenticated"] = session.authenticated
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(info, f, ensure_ascii=False)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 OK"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--tls", default="none", choices=["none", "starttls", "ssl"])
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--auth")
    p.add_argument("--fail-first", type=int, default=0)
    a = p.parse_args()

    kwargs = {}
    context = None
    if a.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)
    if a.tls == "starttls":
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = True
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        # Implicit TLS (ssl) is invisible to aiosmtpd's check, which looks only at STARTTLS.
        kwargs["auth_require_tls"] = a.tls == "starttls"

    port = a.port
    if port == 0:
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(Sink(a.dir, a.fail_first), hostname="127.0.0.1", port=port,
                            ssl_context=context if a.tls == "ssl" else None, server_hostname="localhost",
                            ready_timeout=10, **kwargs)
    controller.start()
    print("READY", port, flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
