"""社区活动: community activities with counted and named participants and photos."""
