"""footlog.charts"""
