# recursive fib(27) -- ms per call
import time


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


start = time.perf_counter()
value = fib(27)
elapsed = time.perf_counter() - start
print(value)
print("RESULT", elapsed * 1e3)
