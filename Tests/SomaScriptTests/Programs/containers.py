l = [3, 1, 2]
l.append(4); l.extend([5, 6]); l.insert(0, 0)
print(l, l.pop(), l.pop(0), l.index(2), l.count(1))
l.remove(1); l.sort(); print(l)
l.reverse(); print(l, l.copy(), l[::2], l[1:-1])
l[1:3] = [9, 9, 9]; print(l)
del l[0]; print(l)
l *= 2; print(l, [0] * 3, [1, 2] + [3])
m = [[1, 2], [3, 4]]
print([row[1] for row in m], [x for row in m for x in row], {x % 3 for x in range(10)})
d = {"a": 1, "b": 2}
d["c"] = 3
print(d, d.get("z"), d.get("z", 0), list(d.keys()), list(d.values()), list(d.items()), "a" in d, len(d))
print(d.pop("a"), d, d.setdefault("q", []), d.popitem(), d)
d.update({"x": 1}, y=2); print(d, dict(zip("ab", [1, 2])), dict(a=1), {**d, "z": 0})
for k, v in d.items():
    print(k, v, end="; ")
print()
del d["x"]; print(d)
t = (1, 2, 3)
print(t, t[0], t[-1], t[1:], (1,), (), t + (4,), t * 2, t.index(2), t.count(1), len(t), 2 in t)
s = {1, 2, 3}
s.add(4); s.discard(1); s.remove(2)
print(sorted(s), sorted(s | {9}), sorted(s & {3}), sorted(s - {3}), sorted(s ^ {3, 8}), {1, 2} <= {1, 2, 3}, set())
print(list(range(5)), list(range(2, 10, 3)), list(range(5, 0, -2)), range(10)[2], len(range(0, 10, 3)), 3 in range(5))
nested = {"k": [1, {"z": (1, 2)}]}
print(nested, nested["k"][1]["z"][0])
print([1, 2] == [1, 2], (1, 2) < (1, 3), [1, 2] < [1, 2, 0], "a" < "b", 1 == 1.0, {1: 2} == {1: 2})
print(sorted({"b": 1, "a": 2}), sorted([(2, "b"), (1, "z"), (2, "a")]), list(map(str, [1, 2])))
a = [1, 2, 3]
b = a
b.append(4)
print(a, a is b, a == a.copy(), a is a.copy())
print(1 < 2 < 3, 1 < 2 > 3, not None, None is None, 0 or "x", 1 and 2, [] or [0])
