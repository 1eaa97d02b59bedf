"""The methods text of the report: what each measure is and how far it can be trusted.

The long form, with every landmark, is docs/MEASURES.md; this is what a reader of a report
needs on one page. Keep the two in agreement.
"""

from __future__ import annotations

MEASURE_METHODS: dict[str, str] = {
    "hallux_angle": (
        "Angle between the medial border of the foot (from the heel's inner edge to the bump "
        "of the first metatarsal head) and the line from that bump to the big toe's inner "
        "edge, both drawn as tangents to the foot's outline seen from above. Positive when the "
        "big toe turns toward the second toe. When the heel is not in the photo, the first "
        "line is drawn from the midfoot's inner edge instead (0.4 to 1.2 forefoot widths "
        "behind the first metatarsal head, never on the leg); such angles are compared only "
        "with angles measured the same way."
    ),
    "toe_splay": (
        "Angle between the big toe's medial tangent line and the little toe's lateral tangent "
        "line; positive when the toes fan out, negative when they converge as in a shoe."
    ),
    "toe_spread_ratio": (
        "Distance between the big toe's and the little toe's tangent points divided by the "
        "forefoot width at the metatarsal heads; above 1 the toes spread wider than the "
        "forefoot."
    ),
    "forefoot_width": (
        "Distance between the medial bump of the first and the lateral bump of the fifth "
        "metatarsal head, in mm on the floor plane (needs the sheet, a page or a card)."
    ),
    "foot_length": "Heel to the most distal toe tip along the foot's axis, in mm.",
    "arch_height_index": (
        "Side view: height of the top of the foot at half its length above the floor, divided "
        "by the length from the heel to the ball of the big toe (truncated foot length)."
    ),
    "arch_height_ratio": (
        "Side view: height of the highest point of the inner arch above the floor, divided by "
        "the foot's length; the floor line's tilt in the photo is corrected."
    ),
    "arch_height": "Side view: height of the inner arch's highest point above the floor, mm.",
    "arch_index": (
        "Footprint without toes split into thirds along the heel-to-second-toe axis: area of "
        "the middle third divided by the whole (Cavanagh and Rodgers)."
    ),
    "chippaux_smirak_index": "Footprint: narrowest midfoot width over widest forefoot width.",
    "staheli_index": "Footprint: narrowest midfoot width over widest heel width.",
    "clarke_angle": (
        "Footprint: angle between the medial tangent of the print and the line to the deepest "
        "point of the medial arch concavity."
    ),
}

CAVEATS = (
    "These measures are photographic, not radiographic. They describe the outline of the foot "
    "seen from above or from the side, skin and soft tissue included; they are not the bone "
    "angles of an X-ray. Photographic hallux angles read about 5 degrees below radiographic "
    "ones.",
    "Self-taken photos vary from one to the next: the published minimal detectable change of "
    "the photographic hallux angle is 6.9 degrees (Yamaguchi et al., JOSPT 2019). footlog "
    "estimates the person's own repeatability from days with two or more photos and uses it "
    "once there are enough such days; a change smaller than it is noise.",
    "Landmarks are found automatically and may be corrected by hand; photos the detector "
    "doubted are marked and drawn hollow in the charts. Millimetres need a calibration: the "
    "printed sheet, a plain A4 or Letter page, or a bank card (rough). Angles are computed on "
    "the floor plane when a calibration is found, which removes the camera's perspective.",
    "Barefoot distance grows with time, so a trend against it cannot be told apart from "
    "anything else that changed over the same years.",
)
