for i in range(5):
    if i == 1:
        continue
    if i == 3:
        break
    print("i", i)
else:
    print("no break")
for i in range(2):
    pass
else:
    print("completed")
n = 0
while n < 3:
    n += 1
else:
    print("while done", n)
def check(v):
    try:
        if v == 0:
            raise ValueError("zero!")
        r = 10 // v
    except ValueError as e:
        print("value error:", e)
        return "ve"
    except (TypeError, ZeroDivisionError) as e:
        print("type/zero:", type(e).__name__)
    else:
        print("ok", r)
        return r
    finally:
        print("finally", v)
    return "end"
print(check(0), check(2), check("a"))
class MyError(Exception):
    def __init__(self, code):
        super().__init__(f"code {code}")
        self.code = code
try:
    raise MyError(7)
except Exception as e:
    print(type(e).__name__, e, e.code, e.args, isinstance(e, Exception))
try:
    try:
        {}["k"]
    except KeyError as e:
        print("key", e, repr(e))
        raise
except LookupError as e:
    print("outer", type(e).__name__)
class Ctx:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, t, v, tb):
        print("exit", t.__name__ if t else None)
        return True
with Ctx() as c:
    print("body", type(c).__name__)
    raise RuntimeError("swallowed")
print("after")
assert 1 + 1 == 2, "math"
x = 1
x += 2; x -= 1; x *= 10; x //= 3; x %= 4; x **= 3; x <<= 2; x |= 1; x ^= 3; x &= 255
print(x, 7 // -2, -7 % 3, 7.5 // 2, -7.5 % 2, 2 ** -1, 10 / 4, 1e300 * 10, 5 & 3, 5 | 3, ~5, 1 << 10)
print(True + True, 3 * True, 1 if [] else 2, int(True))
import random
random.seed(42)
print(random.random(), random.randint(1, 100), random.choice("abcdef"), random.uniform(1, 2))
items = list(range(10))
random.shuffle(items)
print(items, random.sample(range(100), 5), round(random.gauss(0, 1), 12))
import math, sys, time
print(math.floor(-2.5), math.ceil(2.1), math.pi, math.exp(1), math.log(100, 10), math.isclose(0.1 + 0.2, 0.3), math.inf)
t0 = time.perf_counter()
print(time.perf_counter() >= t0, type(time.time()).__name__)
sys.stdout.write("written\n")
