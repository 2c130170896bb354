"""What `load_demo` loads, in order. Each capability adds its own step (a dotted path to a
function `load(stdout) -> dict`); every step must be idempotent."""
STEPS = [
    "demo.catalogue.load",
    "demo.ocop.load",
    "demo.showrooms.load",
]
STEPS.append("demo.pos.load")  # showroom shelves and counter staff (pos/)
