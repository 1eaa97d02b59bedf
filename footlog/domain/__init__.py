"""Pure Python + numpy: views, landmarks, measures, runs, statistics.

Nothing here imports Qt, OpenCV, scikit-image or SQL; a test enforces it.
"""
