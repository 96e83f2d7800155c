"""Run the service under uvicorn: ``torkg serve`` or ``python -m torkg.api.server --store DIR``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn

from torkg.api.settings import Settings, SettingsError
from torkg.store import current_snapshot


def run(store_path: str, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None) -> None:
    """Serve the store at ``store_path`` on ``host:port`` until interrupted."""
    from torkg.api.app import create_app
    path = Path(store_path)
    if current_snapshot(path) is None and not (path / "primary").exists():
        raise SystemExit(f"there is no store at {path}; run `torkg ingest` first, or pass --store DIR")
    try:
        settings = (settings or Settings.from_env()).with_(store_path=str(path))
    except SettingsError as e:
        raise SystemExit(f"configuration error: {e}") from None
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info",
                timeout_graceful_shutdown=5)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m torkg.api.server", description=__doc__)
    p.add_argument("--store", default=None, help="store directory (default: $TORKG_STORE or var/store)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    args = p.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as e:
        print(f"configuration error: {e}", file=sys.stderr)
        return 2
    run(args.store or settings.store_path, args.host, args.port, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
