x = 1 + 2
print(x, "hello", 3.5, [1, 2, (3,)], {"a": 1})
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(20))
class A:
    def __init__(self, v):
        self.v = v
    def __repr__(self):
        return f"A({self.v!r})"
    @property
    def double(self):
        return self.v * 2
class B(A):
    def __init__(self):
        super().__init__(10)
print(A(3), B().double, [A("x")])
print(f"{3.14159:.2f} {x=} {'s':>5}|")
s = 0
for i in range(100000):
    s += i * i % 7
print(s)
try:
    1/0
except ZeroDivisionError as e:
    print("caught", e)
def gen(n):
    for i in range(n):
        yield i * i
print(list(gen(5)), sum(x for x in range(10)))
print([i for i in range(10) if i % 2], {k: v for k, v in zip("abc", range(3))})
import math
print(math.sqrt(2), round(2.675, 2), 1e16, 0.1+0.2, 1/3)
