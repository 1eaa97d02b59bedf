"""footlog.gui"""
