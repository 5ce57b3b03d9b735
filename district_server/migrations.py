"""Alembic, driven from code (the CLI's `migrate` and the embedded demo)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from district_server.settings import PACKAGE_DIR


def alembic_config(url: str) -> Config:
    config = Config(str(PACKAGE_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(PACKAGE_DIR / "alembic"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)
