# enumerate and zip hand out their result tuples again only when nothing holds the last one.
print(list(enumerate("abc")))
print(list(zip([1, 2, 3], "xyz")))
kept = []
for t in enumerate([10, 20, 30], start=1):
    kept.append(t)
print(kept)
total = 0
for i, v in enumerate([5, 6, 7]):
    total += i * v
print(total)
it = enumerate("pq")
first = next(it)
second = next(it)
print(first, second, first is second)
pairs = [p for p in zip("ab", "cd")]
print(pairs)
d = {k: v for k, v in zip(["a", "b"], [1, 2])}
print(d)
z = zip([1, 2], [3, 4], [5, 6])
a = next(z)
print(a, next(z), a)
squares = {i: v * v for i, v in enumerate(range(4))}
print(squares)
nested = [(i, j) for i, x in enumerate("ab") for j, y in enumerate("cd")]
print(nested)
last = None
for pair in enumerate("xy"):
    if last is not None:
        print(last, pair, last is pair)
    last = pair
