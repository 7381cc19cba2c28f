"""``contigo``: run the system (embedded or distributed), one service, or an operator task."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from eventkit.settings import ConfigError, load_settings


async def _serve(name: str, host: str, port: int) -> None:
    from contigo import serving
    from contigo.services import BY_NAME
    from eventkit.host import kafka_broker
    from eventkit.logs import configure_logging

    configure_logging(os.environ.get("CONTIGO_LOG_LEVEL", "INFO"))
    if name == "gateway":
        import gateway.app
        import gateway.config

        app = gateway.app.create_app(load_settings(gateway.config.Settings))
    elif name == "web":
        import web.app
        import web.config

        app = web.app.create_app(load_settings(web.config.Settings))
    else:
        entry = BY_NAME[name]
        settings = load_settings(entry.settings)
        broker = kafka_broker(settings.kafka_bootstrap, client_id=f"contigo-{name}")
        app = entry.create_app(settings, broker, own_broker=True)
    with serving.until_stopped() as stopping:
        await serving.serve(app, host, port, stopping)


def _mail_catcher(port: int, folder: Path) -> None:
    import threading

    from contigo.mailcatcher import start_mail_catcher
    from contigo.processes import StopRequestedError, stop_on_signals

    with stop_on_signals():
        controller = start_mail_catcher(folder, port=port)
        print(f"mail catcher on 127.0.0.1:{port}, messages in {folder}", flush=True)
        try:
            threading.Event().wait()
        except StopRequestedError:
            pass
        finally:
            controller.stop()


def _rotate_keys(key_file: Path | None) -> None:
    from authkit import public_path, rotate_keys

    if key_file is None:
        from contigo.embedded import default_data_dir

        env = os.environ.get("CONTIGO_TOKEN_KEY_FILE")
        key_file = Path(env) if env else default_data_dir() / "keys" / "token.pem"
    try:
        new_kid, previous_kid = rotate_keys(key_file)
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"cannot rotate the token key in {key_file}: {type(exc).__name__}: {exc}") from None
    print(f"token key rotated in {key_file}: signing key {new_kid}, previous {previous_kid} kept in")
    print(f"{public_path(key_file)} until the next rotation (tokens it signed stay valid until they expire).")
    print("Restart identity to sign with the new key; the other services follow the public file on their own.")


def asyncpg_errors() -> type[Exception]:
    import asyncpg

    return asyncpg.PostgresError


def _verify_ledger(database_url: str | None) -> int:
    """0 when every chain is intact; 1 naming the first row changed or removed in each broken one."""
    from contigo.ledger import verify_all

    if not database_url:
        raise ConfigError("CONTIGO_ADMIN_DATABASE_URL (or CONTIGO_DATABASE_URL, or --database-url) is required")
    try:
        reports = asyncio.run(verify_all(database_url))
    except (OSError, asyncpg_errors()) as exc:
        print(f"contigo: cannot read the ledger: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    for report in reports:
        print(report.line())
    broken = [r for r in reports if r.problem]
    print(f"ledger: {len(broken)} chain(s) broken" if broken else "ledger: every chain intact")
    return 1 if broken else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contigo", description="CONTIGO Aliados")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="run the whole system (embedded by default)")
    up.add_argument("--distributed", action="store_true", help="each service as its own process on Kafka/MinIO")
    up.add_argument("--port", type=int, default=8000)
    up.add_argument("--data-dir", type=Path, default=None)
    up.add_argument("--smtp-port", type=int, default=2525, help="port of the local mail catcher")
    serve = sub.add_parser("serve", help="run one service as its own process")
    serve.add_argument("service", choices=["identity", "access", "documents", "padron", "cases", "gateway", "web"])
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, required=True)
    sub.add_parser("init", help="create topics and bucket, apply migrations (distributed)")
    ledger = sub.add_parser("verify-ledger", help="check the hash chains of credentials, revocations and access logs")
    ledger.add_argument(
        "--database-url",
        default=os.environ.get("CONTIGO_ADMIN_DATABASE_URL") or os.environ.get("CONTIGO_DATABASE_URL"),
        help="a role that may read every chain (default: CONTIGO_ADMIN_DATABASE_URL, else CONTIGO_DATABASE_URL)",
    )
    replay = sub.add_parser("replay-dlq", help="send a consumer group's dead letters back to their topic")
    replay.add_argument("--topic", required=True)
    replay.add_argument("--group", required=True)
    replay.add_argument("--bootstrap", default=os.environ.get("CONTIGO_KAFKA_BOOTSTRAP", "127.0.0.1:59092"))
    mail = sub.add_parser("mail-catcher", help="a local SMTP server keeping messages in a folder")
    mail.add_argument("--port", type=int, default=2525)
    mail.add_argument("--folder", type=Path, default=Path(".contigo/mail"))
    openapi = sub.add_parser("openapi", help="the gateway's published OpenAPI document, composed from the services'")
    what = openapi.add_mutually_exclusive_group()
    what.add_argument("--write", action="store_true", help="write it to the gateway's package")
    what.add_argument("--check", action="store_true", help="fail when the committed one is out of date")
    rotate = sub.add_parser("rotate-keys", help="a new token signing key for identity, keeping the previous one")
    rotate.add_argument(
        "--key-file",
        type=Path,
        default=None,
        help="identity's private key (default: CONTIGO_TOKEN_KEY_FILE, else .contigo/keys/token.pem)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    code = 0

    try:
        if args.command == "up" and args.distributed:
            from contigo.distributed import up as up_distributed

            return up_distributed(Path(".contigo/distributed"), smtp_port=args.smtp_port)
        if args.command == "openapi":
            from contigo.openapi import main as openapi_main

            return openapi_main("write" if args.write else "check" if args.check else "print")
        if args.command == "up":
            from contigo.embedded import default_data_dir
            from contigo.embedded import serve as serve_embedded

            serve_embedded(args.data_dir or default_data_dir(), port=args.port, smtp_port=args.smtp_port)
        elif args.command == "serve":
            asyncio.run(_serve(args.service, args.host, args.port))
        elif args.command == "init":
            from contigo.provision import init

            asyncio.run(init())
        elif args.command == "verify-ledger":
            code = _verify_ledger(args.database_url)
        elif args.command == "replay-dlq":
            from eventkit.replay import replay_dead_letters

            count = asyncio.run(replay_dead_letters(args.bootstrap, args.topic, args.group))
            print(f"{count} dead letter(s) of {args.group} sent back to {args.topic}")
        elif args.command == "mail-catcher":
            _mail_catcher(args.port, args.folder)
        elif args.command == "rotate-keys":
            _rotate_keys(args.key_file)
    except ConfigError as exc:
        print(f"contigo: configuration error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:
        print(f"contigo: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
