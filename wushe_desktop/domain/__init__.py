"""Pure domain rules (validators, codes, calculations): no database, no Qt."""
