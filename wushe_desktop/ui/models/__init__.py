"""Qt item models that hold plain row dataclasses, never live ORM objects."""
