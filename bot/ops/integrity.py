"""Check a downloaded file against its Subresource-Integrity hash, as npm records them.

    python -m bot.ops.integrity FILE sha512-BASE64

Exits 0 when they match; otherwise prints both hashes and exits 1 (the Makefile stops)."""

from __future__ import annotations

import base64
import hashlib
import sys
from pathlib import Path


def integrity(path: Path, algorithm: str = "sha512") -> str:
    digest = hashlib.new(algorithm, path.read_bytes()).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("Usage : python -m bot.ops.integrity <fichier> <empreinte sha512-…>", file=sys.stderr)
        return 2
    file, expected = args
    found = integrity(Path(file), expected.partition("-")[0])
    if found != expected:
        print(f"Empreinte inattendue pour {file} : {found} au lieu de {expected}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
