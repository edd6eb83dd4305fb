def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))
print(f(1, c=3))
print(f(1, 5, 6, 7, c=8, e=9, z=0))
print(f(*[1, 2, 3], **{"c": 0}))
def outer():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc
g = outer()
g(); g()
print(g())
total = 0
def bump():
    global total
    total += 10
bump()
print(total)
sq = lambda x, p=2: x ** p
print(sq(3), sq(2, 3), list(map(lambda t: t * 2, [1, 2])), list(filter(None, [0, 1, 2])))
print(sorted(["bb", "a", "ccc"], key=len, reverse=True), max([3, 1, 2]), min(4, 2, key=lambda v: -v))
def gen():
    x = yield 1
    print("got", x)
    yield from [2, 3]
    return 9
it = gen()
print(next(it), it.send("hi"), next(it), next(it, "end"))
print(list(enumerate("ab", start=1)), list(zip([1, 2, 3], "xy")), list(reversed([1, 2, 3])))
print(any([0, 0]), all([1, 2]), sum([1.5, 2]), abs(-3), divmod(7, -2), pow(2, 10), pow(3, 4, 5))
a, *rest = [1, 2, 3, 4]
*init, last = "xyz"
print(a, rest, init, last)
p = q = [0]
print(p is q)
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(20))
