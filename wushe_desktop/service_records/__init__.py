"""Service records (服务记录): one list of every service the station gives."""
