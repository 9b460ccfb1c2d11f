"""Database layer: declarative base, engine/session factory, migrations, backup."""
