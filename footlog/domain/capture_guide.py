"""How to take a foot photo footlog can measure well: the words of Help ▸ Taking Photos.

The protocol is the README's ("Taking photos") and docs/MEASURES.md's (the heel in view,
two or three photos a session); this module holds it once for the window and the report.
"""

from __future__ import annotations

import math

# Camera height above the floor (cm) shown in the picture. Why 70 cm: a phone's main camera
# (about 26 mm equivalent focal length, 4:3) sees about 67 x 53 degrees, so at 70 cm the
# photo covers about 93 x 70 cm: the A4 sheet (30 cm) with the heel and the toes fits with
# room to spare whatever the phone's rotation, at about 4 pixels per mm on a 12 MP photo.
# Higher, the foot shrinks; lower, the toes' height above the floor (2-3 cm) shifts them by
# more than 3 % of their distance from the photo's centre (3 / 70 = 4 % at 70 cm).
CAMERA_HEIGHT_CM = 70
PHONE_FIELD_OF_VIEW_DEG = (67.0, 53.0)  # long side, short side of a 4:3 main camera


def covered_cm(height_cm: float = CAMERA_HEIGHT_CM) -> tuple[float, float]:
    """The floor a photo from `height_cm` straight above covers (long side, short side, cm)."""
    long_side, short_side = (2 * height_cm * math.tan(math.radians(a / 2))
                             for a in PHONE_FIELD_OF_VIEW_DEG)
    return long_side, short_side


CAPTURE_STEPS: tuple[tuple[str, str], ...] = (
    ("Print the sheet",
     "File ▸ Print Calibration Sheet… (or footlog sheet). Print it at 100 % (actual size) "
     "and check its ruler: 100 mm. A plain A4 or Letter page works too, less well; a bank "
     "card on the floor gives a rough scale."),
    ("Heel on the line",
     "Lay the sheet flat on a hard floor. Stand on it with your weight on both feet, the "
     "back of your heel on the heel line and the foot along the page."),
    ("Camera straight above",
     f"Hold the phone level, straight above your toes (not above your ankle), about "
     f"{CAMERA_HEIGHT_CM} cm above the floor. Use the main camera, not the wide-angle one."),
    ("Everything in view",
     "The whole sheet, with the squares in its margins, and your heel must show: the "
     "big-toe angle is measured from the inner edge of the heel. Pull the trouser leg up; "
     "ask someone to take the photo if your leg hides the heel."),
    ("Two or three photos each time",
     "Step off the sheet and on again between photos. The difference between photos of "
     "the same day is how footlog learns how much your own photos vary, and the mean of "
     "three photos varies less than one."),
    ("The same way every time",
     "Same sheet, floor and light, about once a month. A side photo at floor level (the "
     "arch) and a wet or ink footprint are optional extras."),
)
