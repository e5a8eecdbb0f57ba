"""Keep commenters' addresses out of everything the project stores or prints.

Ids and erasure keys are HMAC-SHA256 digests under a secret key that never
enters the repository, so nobody can recompute them from an address the way
Gravatar-style hashes can be. The key is `HYVA_COMMENT_KEY` when set, else
the file `$XDG_CONFIG_HOME/hyva-vastaus/comment-key` (by default under
`~/.config`), created with mode 0600 on first use. With another key,
`invoke forget-commenter` cannot find earlier comments (re-imports still
recognise them by case, date and text), so keep the key with your backups.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from datetime import datetime
from pathlib import Path

KEY_VARIABLE = "HYVA_COMMENT_KEY"
ANONYMOUS = "Nimetön"
MASK = "[osoite piilotettu]"
MAX_NAME_LENGTH = 80

# Close to RFC 5322's dot-atom: deliberately generous, masking too much is safe.
ADDRESS = re.compile(r"(?:mailto:)?[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def key_file() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "hyva-vastaus" / "comment-key"


def load_key() -> bytes:
    """The secret from the environment, or from the user's config file (made once)."""
    if os.environ.get(KEY_VARIABLE):
        return os.environ[KEY_VARIABLE].encode("utf-8")
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another import created it meanwhile
        else:
            with os.fdopen(handle, "w") as stream:
                stream.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def keyed_hash(key: bytes, purpose: str, value: str) -> str:
    """HMAC of `value`; `purpose` keeps an id and an erasure key of one string apart."""
    return hmac.digest(key, f"{purpose}\0{value}".encode("utf-8"), "sha256").hex()


def erasure_key(key: bytes, address: str) -> str:
    return keyed_hash(key, "address", address.strip().lower())


def comment_id(key: bytes, message_id: str) -> str:
    return keyed_hash(key, "message-id", message_id)[:16]


def mask_addresses(text: str) -> str:
    return ADDRESS.sub(MASK, text)


def mask_sender(text: str | None, address: str) -> str | None:
    """Hide one known address (say, inside a Message-ID) and any other address."""
    if text and address:
        text = re.sub(re.escape(address), MASK, text, flags=re.IGNORECASE)
    return text


def display_name(name: str) -> str:
    """The sender's name without any address in it; "Nimetön" when nothing is left."""
    name = " ".join(ADDRESS.sub(" ", name or "").split()).strip(" <>()[]\"',;")
    if not any(character.isalnum() for character in name):
        return ANONYMOUS
    return name[:MAX_NAME_LENGTH].strip()


# Erasures done by `invoke forget-commenter`, one line each:
# `<ISO 8601 UTC time> <erasure key>`, so publishing and rollback can tell
# which releases still hold an erased person's comments.
ERASURE_LOG = ".erasures"


def erasure_times(comments_dir: Path) -> list[datetime]:
    """When each erasure recorded in `comments_dir` was made, oldest first."""
    path = comments_dir / ERASURE_LOG
    if not path.exists():
        return []
    return sorted(datetime.fromisoformat(line.split()[0])
                  for line in path.read_text(encoding="ascii").splitlines() if line.strip())
