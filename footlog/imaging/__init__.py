"""footlog.imaging"""
