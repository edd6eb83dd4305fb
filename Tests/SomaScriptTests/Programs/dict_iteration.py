# iterating a dict or set sees stored values and fails once keys are added or removed, as CPython's
d = {"a": 1, "b": 2, "c": 3}
for k in d:
    d[k] = d[k] * 10
print(d)
print([k for k in d], {k: v for k, v in d.items()}, sorted(d), list(d), set(d) == {"a", "b", "c"})
try:
    for k in d:
        d[k + k] = 1
except RuntimeError as e:
    print("RuntimeError:", e)
print(len(d))
try:
    for k in d:
        if k == "c":
            del d["a"]
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    print([d.pop(k) for k in d])
except RuntimeError as e:
    print("RuntimeError:", e)
for k in d:
    if k == "b":
        del d[k]
        break
print(d)
s = {1, 2, 3}
try:
    for x in s:
        s.add(x + 10)
except RuntimeError as e:
    print("RuntimeError:", e)
e = {}
for k in e:
    print("never")
it = iter({"x": 1, "y": 2})
print(next(it), next(it))
d2 = {"p": 1}
for k in d2:
    d2["q"] = 2
    break
print(d2)
d3 = {"p": 1}
for k in d3:
    d3["q"] = 2
