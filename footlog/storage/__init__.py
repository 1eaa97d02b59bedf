"""footlog.storage"""
