# dict and set keys: one key however its text was built, numbers equal across types, order kept through removals
import random

words = ["alpha", "beta", "gamma", "a much longer key than fifteen bytes", "é", "naïve", "日本語"]
d = {}
for i, w in enumerate(words):
    d[w] = i
built = ["al" + "pha", "BETA".lower(), "".join(["g", "a", "m", "m", "a"]), "a much longer key than fifteen bytes!"[:-1],
         "\u00e9", "na" + "ï" + "ve", "日本" + "語", f"{'alp'}ha", "xalphax"[1:-1], "alpha ".strip(), " ".join(["x"]) * 0 + "beta"]
for b in built:
    print(repr(b), b in d, d.get(b))
print("e\u0301" in d, "e\u0301" == "\u00e9", len("e\u0301"))

n = {1: "one", 2.5: "two and a half", None: "none", (1, "a"): "tuple"}
print(n[1.0], n[True], 1 in n, 1.0 in n, n[(1.0, "a")], n[(True, "a")], n.get(2.5), n[None])
n[1.0] = "uno"
print(n, list(n.keys()))
print({True: "t", 1: "i", 1.0: "f"})

# insertion order through removals and re-insertions, and many keys (the table grows and shrinks)
order = {}
for i in range(1000):
    order[f"k{i}"] = i
for i in range(0, 1000, 3):
    del order[f"k{i}"]
for i in range(0, 30, 3):
    order[f"k{i}"] = -i
print(len(order), list(order.items())[:5], list(order.items())[-5:])
while len(order) > 3:
    order.popitem()
print(order)
for k in list(order):
    order.pop(k)
print(order, len(order))
order["again"] = 1
print(order)

random.seed(7)
shadow = {}
live = {}
for step in range(5000):
    k = random.randint(0, 300)
    if random.random() < 0.4 and k in live:
        del live[k]
        shadow.pop(k)
    else:
        live[k] = step
        shadow[k] = step
print(len(live), sum(live.values()), list(live)[:8] == list(shadow)[:8])

s = {"x", "y", 3, 3.0, (1, 2)}
print(len(s), 3 in s, (1.0, 2) in s, "x" in s)
s.discard("x")
print(sorted(str(v) for v in s))

for bad in ([1], {1: 2}, {1}, (1, [2])):
    try:
        {bad: 1}
    except TypeError as e:
        print("TypeError:", e)
print(hash(1) == hash(1.0) == hash(True), hash((1, "a")) == hash((1.0, "a")), hash("ab") == hash("a" + "b"))
