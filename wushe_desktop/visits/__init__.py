"""探访关爱: visit schedules per key group, visit to-dos, visit records, overdue lists."""
