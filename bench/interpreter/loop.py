# for i in range(N): s += i * i % 7 -- ns per iteration
import time

N = 2_000_000
start = time.perf_counter()
s = 0
for i in range(N):
    s += i * i % 7
elapsed = time.perf_counter() - start
print(s)
print("RESULT", elapsed / N * 1e9)
