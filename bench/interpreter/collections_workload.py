# list comprehensions, dict building and lookups, sorting with a key -- ms per round
import time


def round_trip(n):
    squares = [i * i for i in range(n) if i % 3 != 0]
    index = {f"k{i}": v for i, v in enumerate(squares)}
    total = 0
    for key in index:
        total += index[key] % 11
    words = sorted(index.keys(), key=lambda k: (len(k), k), reverse=True)
    counts = {}
    for w in words:
        counts[w[-1]] = counts.get(w[-1], 0) + 1
    return total + len(words) + sum(counts.values())


ROUNDS = 20
start = time.perf_counter()
result = 0
for _ in range(ROUNDS):
    result += round_trip(20_000)
elapsed = time.perf_counter() - start
print(result)
print("RESULT", elapsed / ROUNDS * 1e3)
