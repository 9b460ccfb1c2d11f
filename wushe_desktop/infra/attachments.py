"""A content-addressed store for attached files (scanned consent forms, photos, documents).

Files live in ``paths.data_dir()/attachments/<first two hex digits>/<sha256><suffix>``; the
database keeps the relative path and the SHA-256, so a file is stored once however often it
is attached and can be verified. Backups copy the store beside the database backup
(``<backup>.attachments/``, hard links where possible) and restore copies missing files back;
stored files are never overwritten or deleted by either.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from wushe_desktop import paths
from wushe_desktop.infra.errors import ValidationError, WusheError

MAX_BYTES = 200 * 1024 * 1024
_CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    relative_path: str  # "ab/ab12…ef.pdf", with forward slashes
    sha256: str
    size: int


def store_dir() -> Path:
    path = paths.data_dir() / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_file(source: Path) -> StoredFile:
    """Copy ``source`` into the store (hashing as it copies); an identical file is reused."""
    source = Path(source)
    if not source.is_file():
        raise ValidationError(f"文件“{source}”不存在或不是文件。", field="file")
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError(
            f"文件“{source.name}”有 {size // (1024 * 1024)} MB，超过 200 MB 的上限。", field="file"
        )
    root = store_dir()
    tmp = root / f".incoming-{os.getpid()}-{id(source)}"
    digest = hashlib.sha256()
    try:
        with source.open("rb") as src, tmp.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
        sha = digest.hexdigest()
        suffix = source.suffix.lower()[:10]
        relative = f"{sha[:2]}/{sha}{suffix}"
        target = root / relative
        if target.exists():
            tmp.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WusheError(f"无法保存附件“{source.name}”：{exc.strerror or exc}") from exc
    return StoredFile(relative, sha, size)


def resolve(relative_path: str) -> Path:
    """The stored file's absolute path; refuses paths that leave the store."""
    root = store_dir().resolve()
    path = (root / relative_path).resolve()
    if root not in path.parents:
        raise ValidationError("附件路径无效。", field="file")
    if not path.is_file():
        raise WusheError("附件文件不在数据目录中（可能被移动或删除），请从备份中恢复附件文件夹。")
    return path


def verify(relative_path: str, sha256: str) -> bool:
    """True when the stored file still has its recorded hash."""
    digest = hashlib.sha256()
    with resolve(relative_path).open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest() == sha256


def _copy_tree(src: Path, dst: Path) -> int:
    """Copy files of ``src`` missing in ``dst`` (hard links where possible); returns count."""
    copied = 0
    if not src.is_dir():
        return 0
    for path in src.rglob("*"):
        if not path.is_file() or path.name.startswith(".incoming-"):
            continue
        target = dst / path.relative_to(src)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        copied += 1
    return copied


def backup_folder(db_backup: Path) -> Path:
    return db_backup.with_name(db_backup.name + ".attachments")


def copy_to_backup(db_backup: Path) -> int:
    """Copy the store beside a database backup (called by ``backup_to``)."""
    root = paths.data_dir() / "attachments"
    return _copy_tree(root, backup_folder(db_backup)) if root.is_dir() else 0


def restore_from_backup(db_backup: Path) -> int:
    """Copy attachments kept beside a backup back into the store (missing files only)."""
    return _copy_tree(backup_folder(db_backup), store_dir())
