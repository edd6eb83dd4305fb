# method calls and attribute updates on a small class -- ns per call
import time


class Counter:
    def __init__(self, step):
        self.total = 0
        self.step = step

    def add(self, k):
        self.total += self.step * k
        return self.total

    def value(self):
        return self.total


N = 500_000
c = Counter(3)
start = time.perf_counter()
for i in range(N):
    c.add(i)
    c.value()
elapsed = time.perf_counter() - start
print(c.value())
print("RESULT", elapsed / (2 * N) * 1e9)
