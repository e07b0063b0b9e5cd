"""The cryptography of reports, all of it libsodium's (PyNaCl), none of it ours.

- Each report has its own X25519 key pair. Everything in the report (the reporter's
  words, their files, the network's notes) is a sealed box to the report's public
  key: anyone can add to a report, only holders of its private key can read it.
- The report's private key is itself sealed to each recipient allowed to read the
  report, and to the network's recovery key. Re-encrypting a report for other
  readers means a new key pair, everything opened and sealed again, and the old
  envelopes deleted.
- A recipient's private key is kept under their passphrase: Argon2id derives a
  secret-box key from it.
- The reporter's receipt code gives, through Argon2id as well, the key pair to which
  the network's replies are sealed; the code itself is never stored, only a
  BLAKE2b digest to find the report by.
"""

import base64
import hashlib
import json
import secrets

from django.conf import settings
from nacl import pwhash, utils
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

# Crockford's base32 without the letters people confuse (I, L, O, U).
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_GROUPS = 8
RECEIPT_GROUP_LENGTH = 4  # 32 characters of 5 bits: 160 random bits


def _kdf_limits() -> tuple[int, int]:
    """Argon2id's cost: moderate in production; the test settings lower it."""
    level = settings.INTAKE_KDF_LEVEL
    ops = getattr(pwhash.argon2id, f"OPSLIMIT_{level}")
    mem = getattr(pwhash.argon2id, f"MEMLIMIT_{level}")
    return ops, mem


def derive_key(*, secret: str, salt: bytes, ops: int, mem: int) -> bytes:
    return pwhash.argon2id.kdf(
        SecretBox.KEY_SIZE, secret.encode(), salt, opslimit=ops, memlimit=mem
    )


# --- Sealing to a public key -------------------------------------------------------


def new_key_pair() -> PrivateKey:
    return PrivateKey.generate()


def seal(*, public_key: bytes, data: bytes) -> bytes:
    return SealedBox(PublicKey(public_key)).encrypt(data)


def unseal(*, private_key: PrivateKey, data: bytes) -> bytes:
    """Raises nacl.exceptions.CryptoError when the box is not for this key."""
    return SealedBox(private_key).decrypt(data)


def seal_json(*, public_key: bytes, value) -> bytes:
    return seal(
        public_key=public_key, data=json.dumps(value, ensure_ascii=False).encode()
    )


def unseal_json(*, private_key: PrivateKey, data: bytes):
    return json.loads(unseal(private_key=private_key, data=data))


# --- A recipient's private key under a passphrase --------------------------------


def wrap_private_key(*, private_key: PrivateKey, passphrase: str) -> dict:
    """The key locked under `passphrase`, with what is needed to unlock it."""
    salt = utils.random(pwhash.argon2id.SALTBYTES)
    ops, mem = _kdf_limits()
    box = SecretBox(derive_key(secret=passphrase, salt=salt, ops=ops, mem=mem))
    return {
        "wrapped_private_key": bytes(box.encrypt(bytes(private_key))),
        "kdf_salt": salt,
        "kdf_ops": ops,
        "kdf_mem": mem,
    }


def unwrap_private_key(
    *, wrapped: bytes, passphrase: str, salt: bytes, ops: int, mem: int
) -> PrivateKey:
    """Raises nacl.exceptions.CryptoError for a wrong passphrase."""
    box = SecretBox(derive_key(secret=passphrase, salt=salt, ops=ops, mem=mem))
    return PrivateKey(box.decrypt(wrapped))


# --- Receipt codes ----------------------------------------------------------------


def new_receipt_code() -> str:
    chars = "".join(
        secrets.choice(RECEIPT_ALPHABET)
        for _ in range(RECEIPT_GROUPS * RECEIPT_GROUP_LENGTH)
    )
    return "-".join(
        chars[i : i + RECEIPT_GROUP_LENGTH]
        for i in range(0, len(chars), RECEIPT_GROUP_LENGTH)
    )


def normalise_receipt_code(code: str) -> str:
    """What the reporter typed, forgiving spaces, dashes, case and look-alikes."""
    cleaned = "".join(c for c in (code or "").upper() if c.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return cleaned


def receipt_lookup(code: str) -> str:
    """The digest a report is found by; 160 random bits need no slow hash to be
    unguessable, and the code cannot be recovered from it."""
    return hashlib.blake2b(
        normalise_receipt_code(code).encode(), person=b"intake-receipt"
    ).hexdigest()


def reporter_key_pair(*, code: str, salt: bytes) -> PrivateKey:
    ops, mem = _kdf_limits()
    seed = derive_key(secret=normalise_receipt_code(code), salt=salt, ops=ops, mem=mem)
    return PrivateKey.from_seed(seed)


def new_salt() -> bytes:
    return utils.random(pwhash.argon2id.SALTBYTES)


# --- Text forms of keys -------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def fingerprint(public_key: bytes) -> str:
    """Sixteen hex digits in groups, to compare a key read aloud or printed."""
    digest = hashlib.blake2b(bytes(public_key), digest_size=8).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))
