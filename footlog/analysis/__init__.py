"""footlog.analysis"""
