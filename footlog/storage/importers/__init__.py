"""footlog.storage.importers"""
