"""footlog: track the structure of your feet against barefoot mileage."""

__version__ = "0.1.0"
