"""The committed, executed notebooks rendered to HTML by nbconvert and opened in headless Chromium: every SVG that
Soma drew is laid out with a non-empty bounding box. Screenshots go to Tests/artifacts/ (not committed)."""
import glob
import os
import shutil

import nbformat
import pytest
from nbconvert import HTMLExporter

webdriver = pytest.importorskip("selenium.webdriver")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACTS = os.path.join(ROOT, "Tests", "artifacts")
NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

# nbconvert shows some SVG outputs inline and others as <img src="data:image/svg+xml;base64,...">. An image must have
# loaded with a size; it is then replaced by its SVG, parsed into the page, so that getBBox() can measure what it draws.
INLINE_SVG_IMAGES = """
const sizes = [];
for (const img of Array.from(document.querySelectorAll('img[src^="data:image/svg+xml"]'))) {
    sizes.push([img.naturalWidth, img.naturalHeight]);
    const data = img.src.slice(img.src.indexOf(',') + 1);
    const text = img.src.includes(';base64,')
        ? new TextDecoder().decode(Uint8Array.from(atob(data), c => c.charCodeAt(0))) : decodeURIComponent(data);
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    img.replaceWith(document.importNode(svg, true));
}
return sizes;
"""

# Soma's SVGs are those with the figure-background class (figures, history charts); the page may hold others.
SVG_BOXES = """
return Array.from(document.querySelectorAll('svg')).filter(s => s.querySelector('.figure-background')).map(s => {
    const b = s.getBBox();
    const r = s.getBoundingClientRect();
    return {width: b.width, height: b.height, shownWidth: r.width, shownHeight: r.height, label: s.getAttribute('aria-label')};
});
"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM or not DRIVER:
        pytest.skip("Debian's chromium and chromium-driver are not installed (make setup)")
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[os.path.basename(p) for p in NOTEBOOKS])
def test_notebook_svgs_render_in_chromium(browser, path):
    nb = nbformat.read(path, as_version=4)
    expected = sum("image/svg+xml" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    os.makedirs(ARTIFACTS, exist_ok=True)
    name = os.path.splitext(os.path.basename(path))[0]
    page = os.path.join(ARTIFACTS, name + ".html")
    with open(page, "w", encoding="utf-8") as f:
        f.write(html)
    browser.get("file://" + page)
    for width, height in browser.execute_script(INLINE_SVG_IMAGES):
        assert width > 0 and height > 0
    boxes = browser.execute_script(SVG_BOXES)
    assert len(boxes) == expected
    for box in boxes:
        assert box["width"] > 0 and box["height"] > 0, box
        assert box["shownWidth"] > 0 and box["shownHeight"] > 0, box
    height = browser.execute_script("return Math.min(document.body.scrollHeight, 12000)")
    browser.set_window_size(1280, max(1000, height))
    assert browser.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))
