"""Start and stop a private OpenLink Virtuoso for tests and benchmarks.

Each ``VirtuosoServer`` runs Debian's ``virtuoso-t`` (installed by ``.ci/install-virtuoso.sh``)
in the foreground, in its own process group, on free loopback ports, with a fresh database and
configuration in a temporary directory that is removed when it stops. Nothing of the system
service (``/etc/virtuoso-opensource-7``, ports 1111/8890) is used.

Access: reads on ``/sparql`` (anonymous), writes on ``/sparql-auth`` and the Graph Store
``/sparql-graph-crud-auth`` with HTTP digest authentication as ``dba``/``dba`` (the default
password of a new database; the server listens on 127.0.0.1 only). ``isql()`` runs SQL through
Debian's ``isql-vt`` on the server's SQL port.

>>> ini = render_ini(Path("/tmp/x"), 21111, 28890)
>>> "ServerPort = 127.0.0.1:28890" in ini and "ResultSetMaxRows = 1000000" in ini
True
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

USER, PASSWORD = "dba", "dba"
INSTALL_HINT = "Virtuoso is not installed: run `bash .ci/install-virtuoso.sh`"
VSP_ROOT = "/var/lib/virtuoso-opensource-7/vsp"


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def isql_binary() -> str | None:
    return shutil.which("isql-vt") or shutil.which("isql")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_ini(workdir: Path, sql_port: int, http_port: int) -> str:
    """A minimal virtuoso.ini: own database files, loopback ports, no result-size cap."""
    return f"""\
[Database]
DatabaseFile = {workdir}/virtuoso.db
ErrorLogFile = {workdir}/virtuoso.log
LockFile = {workdir}/virtuoso.lck
TransactionFile = {workdir}/virtuoso.trx
xa_persistent_file = {workdir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {workdir}/virtuoso-temp.db
TransactionFile = {workdir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {workdir}
CaseMode = 2
NumberOfBuffers = 20000
MaxDirtyBuffers = 12000
MaxQueryMem = 512M
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {VSP_ROOT if Path(VSP_ROOT).is_dir() else workdir}
ServerThreads = 8
MaxClientConnections = 8
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxSortedTopRows = 1000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 400
"""


class VirtuosoServer:
    """One private Virtuoso process; use as a context manager or call start()/stop()."""

    def __init__(self, workdir: str | os.PathLike | None = None, startup_timeout: float = 90):
        self.binary = virtuoso_binary()
        if self.binary is None:
            raise RuntimeError(INSTALL_HINT)
        self._own_dir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="torkg-virtuoso-"))
        self.sql_port, self.http_port = free_port(), free_port()
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None

    # -- addresses -------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.base}/sparql-auth"

    @property
    def gsp_url(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def location(self) -> str:
        """The ``--store`` location of this server (credentials: TORKG_STORE_USER/PASSWORD)."""
        return f"sparql+{self.query_url}?update=/sparql-auth"

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> "VirtuosoServer":
        ini = self.workdir / "virtuoso.ini"
        ini.write_text(render_ini(self.workdir, self.sql_port, self.http_port), encoding="utf-8")
        log = open(self.workdir / "stdout.log", "wb")
        self.process = subprocess.Popen(
            [self.binary, "+configfile", str(ini), "+foreground"], cwd=self.workdir,
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)                    # its own process group, killed as one
        log.close()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_tail()
                self.stop()
                raise RuntimeError(f"virtuoso-t exited with code {self.process.returncode}:\n{tail}")
            if self._answers():
                return self
            time.sleep(0.3)
        tail = self.log_tail()
        self.stop()
        raise RuntimeError(f"Virtuoso did not answer on {self.query_url} within "
                           f"{self.startup_timeout:g}s:\n{tail}")

    def _answers(self) -> bool:
        url = self.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(req, timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        """Stop the server (SIGTERM to its process group, SIGKILL if it lingers) and remove
        its directory."""
        p, self.process = self.process, None
        if p is not None and p.poll() is None:
            for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
                try:
                    os.killpg(p.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    p.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "VirtuosoServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- helpers ---------------------------------------------------------------------------
    def log_tail(self, lines: int = 30) -> str:
        out = []
        for name in ("stdout.log", "virtuoso.log"):
            f = self.workdir / name
            if f.exists():
                out += f.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        return "\n".join(out)

    def isql(self, sql: str, timeout: float = 60) -> str:
        """Run SQL statements through isql-vt as dba; the output, or RuntimeError."""
        binary = isql_binary()
        if binary is None:
            raise RuntimeError(INSTALL_HINT)
        r = subprocess.run([binary, f"127.0.0.1:{self.sql_port}", USER, PASSWORD, f"EXEC={sql}"],
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0 or "*** Error" in r.stdout:
            raise RuntimeError(f"isql failed on {sql!r}: {r.stdout}{r.stderr}")
        return r.stdout
