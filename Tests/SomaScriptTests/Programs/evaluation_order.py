# Evaluation order and errors around subscripts and method calls whose container or receiver is a variable,
# when the key or an argument runs code (prints, mutates the container, rebinds a global, raises).

log = []


def note(label, value):
    log.append(label)
    return value


def local_containers():
    d = {"a": 1}
    xs = [10, 20, 30]
    d[note("key", "b")] = note("value", 2)  # value first, then the key
    print(sorted(d.items()), log)
    log.clear()

    def grow():
        d["c"] = 3
        xs.append(40)
        return "c"

    print(d[grow()], xs[len(xs) - 1], xs[-1])
    d[grow()] = d[grow()] + 1
    print(d["c"])
    counts = {}
    for w in ["apple", "berry", "cherry", "plum", "kiwi", "éclair", "zoë"]:
        counts[w[-1]] = counts.get(w[-1], 0) + 1
        counts[w[0]] = counts.get(note(w, w[0]), 10) * 2
    print(counts, log)
    log.clear()
    try:
        d[note("missing", "zz")]
    except KeyError as e:
        print("KeyError", e, log)
    log.clear()
    try:
        xs[note("index", 99)] = 0
    except IndexError as e:
        print("IndexError", e, log)
    log.clear()
    try:
        d[[1, 2]] = 3
    except TypeError as e:
        print("TypeError", e)
    try:
        d.get([1])
    except TypeError as e:
        print("TypeError", e)
    try:
        d.get(note("argument", 1), note("default", 2), 3)
    except TypeError as e:
        print("TypeError", e, log)
    log.clear()
    s = "héllo"
    print(s[1], s[-1], "abc"[note("i", 2)], log)
    log.clear()
    try:
        print("abc"[3])
    except IndexError as e:
        print("IndexError", e)
    t = (1, 2, 3)
    print(t[note("t", 1)], log)
    log.clear()


def unbound_receiver():
    try:
        c.get(note("argument", 1))
    except UnboundLocalError as e:
        print("UnboundLocalError", e, log)
    log.clear()
    try:
        c[note("key", 1)] = 2
    except UnboundLocalError as e:
        print("UnboundLocalError", e, log)
    log.clear()
    c = {}
    return c


def receiver_replaced_by_other_types():
    results = []
    for box in [{"k": 1}, [5, 6], "str", (7, 8), range(3)]:
        try:
            results.append(box[note("k", 0) if not isinstance(box, dict) else "k"])
        except Exception as e:
            results.append(type(e).__name__)
        try:
            results.append(box.get("k"))
        except AttributeError as e:
            results.append(str(e))
    print(results)
    log.clear()


g = {"x": 1}


def rebind_g():
    global g
    g = {"fresh": True}
    return "x"


def global_containers():
    old = g
    g[rebind_g()] = 5  # the old dict gets the item: `g` is read before the key runs
    print(old, g)
    print(old[rebind_g()] if False else g.get(rebind_g(), "none"), g)


class Keyed:
    def __init__(self):
        self.items = {}

    def __getitem__(self, k):
        return ("got", k)

    def __setitem__(self, k, v):
        self.items[k] = v


def user_containers():
    k = Keyed()
    k[note("k", 1)] = note("v", 2)
    print(k.items, k[note("k2", 3)], log)
    log.clear()


local_containers()
unbound_receiver()
receiver_replaced_by_other_types()
global_containers()
user_containers()
