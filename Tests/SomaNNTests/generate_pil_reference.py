"""Records what PIL (which torchvision's Resize calls for PIL images) makes of small images
(run once; needs numpy and pillow, e.g. `.venv/bin/pip install pillow`):

    .venv/bin/python Tests/SomaNNTests/generate_pil_reference.py

Writes Tests/SomaNNTests/Data/data_pil.json. The inputs are bytes (i * 37 + 11) % 256 so the
Swift test rebuilds them without reading anything else.
"""
import json
import os

import numpy as np
from PIL import Image

out = {"cases": []}
for mode, channels in [("L", 1), ("RGB", 3)]:
    for (w, h) in [(10, 7), (31, 23)]:
        px = (np.arange(w * h * channels) * 37 + 11) % 256
        arr = px.astype(np.uint8).reshape(h, w, channels) if channels > 1 else px.astype(np.uint8).reshape(h, w)
        img = Image.fromarray(arr, mode)
        for size in [(4, 5), (5, 3), (11, 13), (7, 20), (h, 6), (3, w)]:
            r = img.resize((size[1], size[0]), Image.BILINEAR)
            out["cases"].append({
                "mode": mode, "width": w, "height": h, "size": list(size),
                "pixels": np.asarray(r).flatten().tolist(),
            })
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Data", "data_pil.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path, len(out["cases"]), "cases")

# Files in the PNG and JPEG variants ImageFolder meets, and what PIL's convert("RGB") (the
# torchvision ImageFolder loader) makes of them.
import base64
import io

rng = np.random.default_rng(0)
files = []


def add(name, img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    data = buf.getvalue()
    rgb = Image.open(io.BytesIO(data)).convert("RGB")
    files.append({"name": name, "base64": base64.b64encode(data).decode(),
                  "width": rgb.width, "height": rgb.height,
                  "rgb": np.asarray(rgb).flatten().tolist()})


base = Image.fromarray(rng.integers(0, 256, (6, 5, 3), dtype=np.uint8), "RGB")
add("rgb.png", base, "PNG")
add("grey.png", base.convert("L"), "PNG")
add("grey_alpha.png", base.convert("LA"), "PNG")
add("rgba.png", base.convert("RGBA"), "PNG")
add("palette.png", base.convert("P", palette=Image.ADAPTIVE, colors=8), "PNG")
add("bilevel.png", base.convert("1"), "PNG")
smooth = Image.fromarray(((np.arange(16 * 24 * 3).reshape(16, 24, 3) * 3) % 256).astype(np.uint8), "RGB")
add("photo.jpg", smooth, "JPEG", quality=90)
add("grey.jpg", smooth.convert("L"), "JPEG", quality=90)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Data", "data_pil_decode.json")
with open(path, "w") as f:
    json.dump({"files": files}, f)
print("wrote", path, len(files), "files")
